//! `-- canon: renamed from OLD` notes → RENAME steps that run before everything else, so
//! the rows stay; the rest of the plan is made from the schema as the renames leave it.
//! Without a note, a drop and an add of the same definition is pointed out as a likely rename.

use super::{simulate, Action, AlterClause, ObjectKind, ObjectRef, Safety, Step};
use crate::diff::{Change, TableChange};
use crate::model::{Column, Schema, Table};

/// The rename steps, the schema after them, and notes that could not be followed.
pub struct Renames<'a> {
    pub steps: Vec<Step>,
    /// Borrowed when there is nothing to rename: most plans, and no copy of a big schema.
    pub schema: std::borrow::Cow<'a, Schema>,
    pub warnings: Vec<String>,
}

/// `rename column `a` to `b``, one per column rename.
fn column_summaries(clauses: &[AlterClause], to_word: &str) -> Vec<String> {
    clauses
        .iter()
        .filter_map(|c| match c {
            AlterClause::RenameColumn { from, to } => {
                Some(format!("rename column `{from}` {to_word} `{to}`"))
            }
            _ => None,
        })
        .collect()
}

fn step(table: &str, action: Action, summary: Vec<String>) -> Step {
    Step {
        object: ObjectRef {
            kind: ObjectKind::Table,
            name: table.to_string(),
        },
        action,
        safety: Safety::Safe,
        summary,
    }
}

/// Renames the notes of `desired` ask for and `current` still needs: the old name is there,
/// the new one is not. A note whose new name is already live is done, and says nothing.
pub fn renames<'a>(current: &'a Schema, desired: &Schema) -> Renames<'a> {
    if desired.renames.is_empty() {
        return Renames {
            steps: Vec::new(),
            schema: std::borrow::Cow::Borrowed(current),
            warnings: Vec::new(),
        };
    }
    let mut schema = current.clone();
    let (mut steps, mut warnings) = (Vec::new(), Vec::new());
    for r in desired.renames.iter().filter(|r| r.column.is_none()) {
        let (from, to) = (&r.from, &r.table);
        match (schema.tables.contains_key(from), schema.tables.contains_key(to)) {
            (true, false) if !desired.tables.contains_key(from) => {
                let s = step(
                    to,
                    Action::RenameTable {
                        from: from.clone(),
                        to: to.clone(),
                    },
                    vec![format!(
                        "rename {} to {}",
                        ObjectKind::Table.label(from),
                        crate::sql::quote::ident(to)
                    )],
                );
                simulate::apply(&mut schema, &s);
                steps.push(s);
            }
            (true, true) => warnings.push(format!(
                "`{to}` is noted as renamed from `{from}`, but both tables exist: the note is not followed"
            )),
            _ => {}
        }
    }
    let mut tables: Vec<&str> = desired
        .renames
        .iter()
        .filter(|r| r.column.is_some())
        .map(|r| r.table.as_str())
        .collect();
    tables.dedup();
    for table in tables {
        let (Some(have), Some(want)) = (schema.tables.get(table), desired.tables.get(table)) else {
            continue;
        };
        let mut clauses = Vec::new();
        for r in desired.renames.iter().filter(|r| r.table == table) {
            let Some(to) = &r.column else { continue };
            let from = &r.from;
            match (have.column(from).is_some(), have.column(to).is_some()) {
                (true, false) if want.column(from).is_none() => {
                    clauses.push(AlterClause::RenameColumn {
                        from: from.clone(),
                        to: to.clone(),
                    })
                }
                (true, true) => warnings.push(format!(
                    "`{table}`.`{to}` is noted as renamed from `{from}`, but both columns exist: the note is not followed"
                )),
                _ => {}
            }
        }
        if clauses.is_empty() {
            continue;
        }
        let summary = column_summaries(&clauses, "to");
        let s = step(
            table,
            Action::AlterTable {
                table: table.to_string(),
                clauses,
            },
            summary,
        );
        simulate::apply(&mut schema, &s);
        steps.push(s);
    }
    Renames {
        steps,
        schema: std::borrow::Cow::Owned(schema),
        warnings,
    }
}

/// The steps that undo renames: tables back to their old names first, then their columns
/// (so no later step renames the table a column step names: each step's guard holds).
pub fn reversed(steps: &[Step]) -> Vec<Step> {
    let mut tables = Vec::new();
    let mut columns = Vec::new();
    let mut old_name = std::collections::BTreeMap::new();
    for s in steps.iter().rev() {
        match &s.action {
            Action::RenameTable { from, to } => {
                old_name.insert(to.clone(), from.clone());
                tables.push(step(
                    from,
                    Action::RenameTable {
                        from: to.clone(),
                        to: from.clone(),
                    },
                    vec![format!(
                        "rename {} back to {}",
                        ObjectKind::Table.label(to),
                        crate::sql::quote::ident(from)
                    )],
                ));
            }
            Action::AlterTable { table, clauses } => columns.push((table.clone(), clauses)),
            _ => {}
        }
    }
    for (table, clauses) in columns {
        let table = old_name.get(&table).cloned().unwrap_or(table);
        let back: Vec<AlterClause> = clauses
            .iter()
            .rev()
            .filter_map(|c| match c {
                AlterClause::RenameColumn { from, to } => Some(AlterClause::RenameColumn {
                    from: to.clone(),
                    to: from.clone(),
                }),
                _ => None,
            })
            .collect();
        let summary = column_summaries(&back, "back to");
        tables.push(step(
            &table,
            Action::AlterTable {
                table: table.clone(),
                clauses: back,
            },
            summary,
        ));
    }
    tables
}

/// Two columns (or tables) alike in all but the name.
fn same_column_but_name(a: &Column, b: &Column) -> bool {
    let mut b = b.clone();
    b.name = a.name.clone();
    *a == b
}

fn same_table_but_name(a: &Table, b: &Table) -> bool {
    a.columns.len() == b.columns.len()
        && a.columns.iter().zip(&b.columns).all(|(x, y)| x == y)
        && a.options == b.options
}

/// Drops and adds that look like renames, with how to say so, for the reviewer.
pub fn likely(changes: &[Change]) -> Vec<String> {
    let mut out = Vec::new();
    for c in changes {
        if let Change::AlterTable { table, changes } = c {
            for dropped in changes.iter().filter_map(|tc| match tc {
                TableChange::DropColumn { column } => Some(column),
                _ => None,
            }) {
                for added in changes.iter().filter_map(|tc| match tc {
                    TableChange::AddColumn { column, .. } => Some(column),
                    _ => None,
                }) {
                    if same_column_but_name(dropped, added) {
                        out.push(format!(
                            "`{table}`.`{}` may be `{}` renamed: the plan drops one and adds the other, losing its data. If so, add `-- canon: renamed from {}` to its line",
                            added.name, dropped.name, dropped.name
                        ));
                    }
                }
            }
        }
    }
    let dropped = changes.iter().filter_map(|c| match c {
        Change::DropTable { table } => Some(table),
        _ => None,
    });
    for d in dropped {
        for c in changes {
            if let Change::CreateTable { table } = c {
                if same_table_but_name(d, table) {
                    out.push(format!(
                        "{} may be {} renamed: the plan drops one and creates the other, losing its rows. If so, add `-- canon: renamed from {}` above its CREATE TABLE",
                        ObjectKind::Table.label(&table.name),
                        crate::sql::quote::ident(&d.name),
                        d.name
                    ));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
