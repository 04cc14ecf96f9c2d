//! `ALTER TABLE` operations applied to a table of the model, as the server would.

use super::alter_table::AlterOp;
use crate::model::{Column, IndexKind, Position, Table, TableOptions};

fn place(len: usize, cols: &[Column], position: &Option<Position>) -> Result<usize, String> {
    match position {
        None => Ok(len),
        Some(Position::First) => Ok(0),
        Some(Position::After(c)) => cols
            .iter()
            .position(|x| x.name.eq_ignore_ascii_case(c))
            .map(|i| i + 1)
            .ok_or_else(|| format!("column `{c}` (named in AFTER) does not exist")),
    }
}

pub fn apply_alter(t: &mut Table, op: AlterOp) -> Result<(), String> {
    let missing = |what: &str, name: &str, t: &Table| {
        format!(
            "{what} {} does not exist in {}",
            crate::sql::quote::ident(name),
            crate::model::ObjectKind::Table.label(&t.name)
        )
    };
    match op {
        AlterOp::AddColumn {
            column,
            position,
            inline,
        } => {
            if t.column(&column.name).is_some() {
                return Err(format!(
                    "column `{}` already exists in `{}`",
                    column.name, t.name
                ));
            }
            let at = place(t.columns.len(), &t.columns, &position)?;
            t.columns.insert(at, column);
            t.indexes.extend(inline.indexes);
            t.foreign_keys.extend(inline.foreign_keys);
        }
        AlterOp::ModifyColumn {
            old_name,
            column,
            position,
        } => {
            let i = t
                .columns
                .iter()
                .position(|c| c.name.eq_ignore_ascii_case(&old_name))
                .ok_or_else(|| missing("column", &old_name, t))?;
            if position.is_none() {
                t.columns[i] = column;
            } else {
                t.columns.remove(i);
                let at = place(t.columns.len(), &t.columns, &position)?;
                t.columns.insert(at, column);
            }
        }
        AlterOp::AddIndex(i) => {
            if !i.name.is_empty() && t.index(&i.name).is_some() {
                return Err(format!("index `{}` already exists in `{}`", i.name, t.name));
            }
            t.indexes.push(i);
        }
        AlterOp::AddForeignKey(f) => t.foreign_keys.push(f),
        AlterOp::AddCheck(c) => t.checks.push(c),
        AlterOp::DropColumn(name) => {
            let before = t.columns.len();
            t.columns.retain(|c| !c.name.eq_ignore_ascii_case(&name));
            if t.columns.len() == before {
                return Err(missing("column", &name, t));
            }
        }
        AlterOp::DropIndex(name) => {
            let before = t.indexes.len();
            t.indexes.retain(|i| !i.name.eq_ignore_ascii_case(&name));
            if t.indexes.len() == before {
                return Err(missing("index", &name, t));
            }
        }
        AlterOp::DropPrimaryKey => t.indexes.retain(|i| i.name != "PRIMARY"),
        AlterOp::DropForeignKey(name) => {
            let before = t.foreign_keys.len();
            t.foreign_keys
                .retain(|f| !f.name.eq_ignore_ascii_case(&name));
            if t.foreign_keys.len() == before {
                return Err(missing("foreign key", &name, t));
            }
        }
        AlterOp::DropCheck(name) => t.checks.retain(|c| !c.name.eq_ignore_ascii_case(&name)),
        AlterOp::Options(o) => merge_options(&mut t.options, o),
    }
    Ok(())
}

/// After an `ALTER TABLE` (or `CREATE INDEX`) that added an index: the indexes the server made
/// for foreign keys (`implicit`) that another index now serves are dropped, as the server drops
/// them (ZoneMinder's `Groups_Monitors` adds `CREATE INDEX ... (GroupId)` after its foreign
/// key). Returns the names dropped.
pub fn drop_served_implicit(t: &mut Table, implicit: &[String]) -> Vec<String> {
    let mut dropped = Vec::new();
    for name in implicit {
        let Some(at) = t
            .indexes
            .iter()
            .position(|i| i.name.eq_ignore_ascii_case(name))
        else {
            continue;
        };
        let own = &t.indexes[at];
        let served = t.indexes.iter().enumerate().any(|(j, ix)| {
            j != at
                && matches!(
                    ix.kind,
                    IndexKind::Primary | IndexKind::Unique | IndexKind::Key
                )
                && ix.parts.len() >= own.parts.len()
                && ix
                    .parts
                    .iter()
                    .zip(&own.parts)
                    .all(|(p, q)| p.target == q.target)
        });
        if served {
            dropped.push(t.indexes.remove(at).name);
        }
    }
    dropped
}

/// Options an ALTER writes replace those of the same name; the others stay.
pub fn merge_options(cur: &mut TableOptions, o: TableOptions) {
    cur.engine = o.engine.or(cur.engine.take());
    cur.charset = o.charset.or(cur.charset.take());
    cur.collation = o.collation.or(cur.collation.take());
    cur.row_format = o.row_format.or(cur.row_format.take());
    cur.comment = o.comment.or(cur.comment.take());
    cur.other.extend(o.other);
    for name in o.attribute_order.0 {
        cur.attribute_order.written(&name);
    }
}
