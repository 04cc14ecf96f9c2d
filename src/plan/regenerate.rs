//! Column changes the server refuses as `MODIFY COLUMN` (error 1907, "This is not yet
//! supported for generated columns"): VIRTUAL ↔ STORED, and a regular column ↔ VIRTUAL. Seen
//! on MariaDB 10.11; MySQL's manual states the same rules. Such a column is dropped and added
//! again, rated by what the drop loses. Regular ↔ STORED is a MODIFY the server accepts.

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

/// Dropping a column takes it out of every key that holds it: those keys (unless the diff
/// already drops them) are dropped and added back after the column is.
pub fn keys_to_restore(
    have: &Table,
    want: &Table,
    recreated: &[&str],
    changes: &[TableChange],
) -> Vec<Clause> {
    let dropped_anyway = |name: &str| {
        changes
            .iter()
            .any(|c| matches!(c, TableChange::DropIndex { index } if index.name == name))
    };
    let mut drops = Vec::new();
    let mut adds = Vec::new();
    for ix in &have.indexes {
        let holds = ix
            .column_names()
            .iter()
            .any(|c| recreated.iter().any(|r| r.eq_ignore_ascii_case(c)));
        if !holds || dropped_anyway(&ix.name) {
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
    fn only_a_virtual_column_is_recreated_safely() {
        assert_eq!(safety(&column("int AS (a) VIRTUAL")), Safety::Safe);
        assert!(safety(&column("int AS (a) STORED")).is_destructive());
        assert!(safety(&column("int")).is_destructive());
    }
}
