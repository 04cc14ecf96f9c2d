//! One-line accounts of differences for the reviewer: what an object's drift consists of,
//! and what a left-out change is.

use crate::diff::Change;
use crate::plan::{describe, ObjectKind, ObjectRef};
use std::collections::BTreeSet;

/// Every difference as (object, one-line account), in a stable order.
pub fn accounts<'a>(
    changes: impl IntoIterator<Item = &'a Change>,
) -> BTreeSet<(ObjectRef, String)> {
    let obj = |kind, name: &str| ObjectRef {
        kind,
        name: name.to_string(),
    };
    let mut out = BTreeSet::new();
    for c in changes {
        match c {
            Change::CreateTable { table } => {
                out.insert((
                    obj(ObjectKind::Table, &table.name),
                    format!("create {}", ObjectKind::Table.label(&table.name)),
                ));
            }
            Change::DropTable { table } => {
                out.insert((
                    obj(ObjectKind::Table, &table.name),
                    format!("drop {}", ObjectKind::Table.label(&table.name)),
                ));
            }
            Change::AlterTable { table, changes } => {
                for tc in changes {
                    out.insert((obj(ObjectKind::Table, table), describe(tc)));
                }
            }
            Change::CreateView { view } => {
                out.insert((
                    obj(ObjectKind::View, &view.name),
                    format!("create {}", ObjectKind::View.label(&view.name)),
                ));
            }
            Change::ReplaceView { to, .. } => {
                out.insert((
                    obj(ObjectKind::View, &to.name),
                    format!("replace {}", ObjectKind::View.label(&to.name)),
                ));
            }
            Change::DropView { view } => {
                out.insert((
                    obj(ObjectKind::View, &view.name),
                    format!("drop {}", ObjectKind::View.label(&view.name)),
                ));
            }
            Change::CreateSequence { sequence: s } => {
                out.insert((
                    obj(ObjectKind::Sequence, &s.name),
                    format!(
                        "create {}",
                        crate::model::ObjectKind::Sequence.label(&s.name)
                    ),
                ));
            }
            Change::AlterSequence { to: s, .. } => {
                out.insert((
                    obj(ObjectKind::Sequence, &s.name),
                    format!(
                        "change {}",
                        crate::model::ObjectKind::Sequence.label(&s.name)
                    ),
                ));
            }
            Change::DropSequence { sequence: s } => {
                out.insert((
                    obj(ObjectKind::Sequence, &s.name),
                    format!("drop {}", crate::model::ObjectKind::Sequence.label(&s.name)),
                ));
            }
            Change::CreateProgram { program: p } => {
                out.insert((
                    obj(p.kind(), p.name()),
                    format!("create {}", p.kind().label(p.name())),
                ));
            }
            Change::DropProgram { program: p } => {
                out.insert((
                    obj(p.kind(), p.name()),
                    format!("drop {}", p.kind().label(p.name())),
                ));
            }
            Change::ReplaceProgram { to: p, parts, .. } => {
                let parts: Vec<&str> = parts.iter().map(|x| x.label()).collect();
                out.insert((
                    obj(p.kind(), p.name()),
                    format!(
                        "replace {}: its {} changed",
                        p.kind().label(p.name()),
                        parts.join(", ")
                    ),
                ));
            }
        }
    }
    out
}

/// The account of one change (a left-out one holds exactly one).
pub fn account(change: &Change) -> String {
    accounts([change])
        .into_iter()
        .map(|(_, s)| s)
        .collect::<Vec<_>>()
        .join(", ")
}
