//! Column changes the server refuses as `MODIFY COLUMN` (error 1907, "This is not yet
//! supported for generated columns"): VIRTUAL ↔ STORED, and a regular column ↔ VIRTUAL. Seen
//! on MariaDB 10.11; MySQL's manual ("ALTER TABLE and Generated Columns", 8.4: 15.1.9.2) states
//! the same rules, not tried here. Such a column is dropped and added again, rated by what the
//! drop loses. Regular ↔ STORED is a MODIFY the server accepts.

use super::{AlterClause, Clause, Safety};
use crate::diff::TableChange;
use crate::model::*;

/// How a column is filled: None for a regular column, else whether its values are stored.
fn stored(c: &Column) -> Option<bool> {
    c.generated.as_ref().map(|g| g.stored)
}

/// Whether `from` → `to` must be a drop and an add.
pub fn refused_as_modify(from: &Column, to: &Column) -> bool {
    match (stored(from), stored(to)) {
        (a, b) if a == b => false,
        (None, Some(true)) | (Some(true), None) => false,
        _ => true,
    }
}

/// What recreating `from` loses: nothing for a VIRTUAL column; a STORED or regular one's
/// values.
pub fn safety(from: &Column) -> Safety {
    match stored(from) {
        Some(false) => Safety::Safe,
        Some(true) => Safety::Destructive {
            reason: format!(
                "the server cannot change `{}` in place: its stored values are dropped and computed again",
                from.name
            ),
        },
        None => Safety::Destructive {
            reason: format!(
                "the server cannot change `{}` in place: it is dropped with its data",
                from.name
            ),
        },
    }
}

/// Where `name` goes in `want`: after the column before it.
fn place(want: &Table, name: &str) -> Position {
    let i = want
        .columns
        .iter()
        .position(|c| c.name.eq_ignore_ascii_case(name));
    match i {
        Some(i) if i > 0 => Position::After(want.columns[i - 1].name.clone()),
        _ => Position::First,
    }
}

/// The clauses that drop `from` and add `to` at `position` (by default its place in `want`).
pub fn recreate(
    from: &Column,
    to: &Column,
    position: Option<&Position>,
    want: &Table,
) -> Vec<Clause> {
    let position = position.cloned().unwrap_or_else(|| place(want, &to.name));
    vec![
        (
            AlterClause::DropColumn {
                name: from.name.clone(),
            },
            safety(from),
            format!("drop column `{}` (its generation changes)", from.name),
        ),
        (
            AlterClause::AddColumn {
                column: to.clone(),
                position,
            },
            Safety::Safe,
            format!("add column `{}` back", to.name),
        ),
    ]
}

/// Whether `expr` names `column`. An expression sqlparser cannot read counts as naming it:
/// re-creating a check for nothing costs little, leaving one the server refuses fails the step.
fn names_column(expr: &SqlExpr, column: &str) -> bool {
    use sqlparser::ast::{visit_expressions, Expr};
    let dialect = sqlparser::dialect::MySqlDialect {};
    let parsed = sqlparser::parser::Parser::new(&dialect)
        .try_with_sql(&expr.text)
        .and_then(|mut p| p.parse_expr());
    let Ok(tree) = parsed else {
        return true;
    };
    let found = visit_expressions(&tree, |e| {
        let name = match e {
            Expr::Identifier(i) => Some(i),
            Expr::CompoundIdentifier(parts) => parts.last(),
            _ => None,
        };
        match name {
            Some(i) if i.value.eq_ignore_ascii_case(column) => std::ops::ControlFlow::Break(()),
            _ => std::ops::ControlFlow::Continue(()),
        }
    });
    found.is_break()
}

/// Dropping a column takes it out of every key that holds it, and the server refuses to drop
/// it while a table check names it (error 1054): those keys and checks (unless the diff
/// already drops them) are dropped and added back after the column is.
pub fn dependents_to_restore(
    have: &Table,
    want: &Table,
    recreated: &[&str],
    changes: &[TableChange],
) -> Vec<Clause> {
    let is_recreated = |c: &str| recreated.iter().any(|r| r.eq_ignore_ascii_case(c));
    let mut drops = Vec::new();
    let mut adds = Vec::new();
    for ix in &have.indexes {
        let dropped_anyway = changes
            .iter()
            .any(|c| matches!(c, TableChange::DropIndex { index } if index.name == ix.name));
        if dropped_anyway || !ix.column_names().into_iter().any(is_recreated) {
            continue;
        }
        drops.push((
            AlterClause::DropIndex {
                name: ix.name.clone(),
            },
            Safety::Safe,
            format!("drop index `{}` (it holds a re-added column)", ix.name),
        ));
        if let Some(back) = want.index(&ix.name) {
            adds.push((
                AlterClause::AddIndex {
                    index: back.clone(),
                },
                Safety::Safe,
                format!("add index `{}` back", ix.name),
            ));
        }
    }
    for ch in &have.checks {
        let dropped_anyway = changes
            .iter()
            .any(|c| matches!(c, TableChange::DropCheck { check } if check.name == ch.name));
        if dropped_anyway || !recreated.iter().any(|r| names_column(&ch.expr, r)) {
            continue;
        }
        drops.push((
            AlterClause::DropCheck {
                name: ch.name.clone(),
            },
            Safety::Safe,
            format!("drop check `{}` (it names a re-added column)", ch.name),
        ));
        if let Some(back) = want.checks.iter().find(|c| c.name == ch.name) {
            adds.push((
                AlterClause::AddCheck {
                    check: back.clone(),
                },
                Safety::Safe,
                format!("add check `{}` back", ch.name),
            ));
        }
    }
    drops.extend(adds);
    drops
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flavor::Flavor;
    use crate::model::normalize::schema_of;

    fn column(def: &str) -> Column {
        let s = schema_of(&format!("CREATE TABLE t (a int, c {def})"), Flavor::DEFAULT);
        s.tables["t"].columns[1].clone()
    }

    /// Each pair as MariaDB 10.11 answered `ALTER TABLE t MODIFY COLUMN c ...`.
    #[test]
    fn the_server_refuses_modify_between_virtual_and_anything_else() {
        let (regular, virt, stored) = ("int", "int AS (a + 1) VIRTUAL", "int AS (a + 1) STORED");
        let other_virt = "int AS (a + 5) VIRTUAL";
        let other_stored = "int AS (a + 5) STORED";
        for (from, to, refused) in [
            (virt, stored, true),
            (stored, virt, true),
            (regular, virt, true),
            (virt, regular, true),
            (regular, stored, false),
            (stored, regular, false),
            (virt, other_virt, false),
            (stored, other_stored, false),
        ] {
            assert_eq!(
                refused_as_modify(&column(from), &column(to)),
                refused,
                "{from} -> {to}"
            );
        }
    }

    #[test]
    fn a_check_names_a_column_anywhere_in_it() {
        let check = |sql: &str| {
            let ddl = format!("CREATE TABLE t (a int, v int, CONSTRAINT c CHECK ({sql}))");
            schema_of(&ddl, Flavor::DEFAULT).tables["t"].checks[0]
                .expr
                .clone()
        };
        assert!(names_column(&check("v < 1000"), "v"));
        assert!(names_column(&check("a > 0 AND coalesce(t.V, 0) < 5"), "v"));
        assert!(!names_column(&check("a > 0 AND 'v' <> ''"), "v"));
    }

    #[test]
    fn only_a_virtual_column_is_recreated_safely() {
        assert_eq!(safety(&column("int AS (a) VIRTUAL")), Safety::Safe);
        assert!(safety(&column("int AS (a) STORED")).is_destructive());
        assert!(safety(&column("int")).is_destructive());
    }
}
