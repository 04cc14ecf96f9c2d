//! Foreign keys around the other changes: tied columns keep matching types, keys step aside
//! while what they use changes, and keys still needed are not dropped.

use super::{one_change, table_ref, AlterClause, LeftOut, Work};
use crate::diff::{Change, TableChange};
use crate::model::*;
use std::collections::BTreeSet;

/// Whether two columns can be tied by a foreign key: same integer size and sign, same
/// family and charset (lengths and display widths may differ).
pub fn key_types_match(a: &Column, b: &Column) -> bool {
    fn shape(c: &Column) -> ColumnType {
        match &c.ty {
            ColumnType::Int { size, unsigned, .. } => ColumnType::Int {
                size: *size,
                width: None,
                unsigned: *unsigned,
                zerofill: false,
            },
            ColumnType::String { kind, .. } => ColumnType::String {
                kind: *kind,
                length: 0,
            },
            other => other.clone(),
        }
    }
    shape(a) == shape(b) && a.charset == b.charset
}

/// The (table, column) pairs a foreign key ties together.
pub(super) fn fk_pairs<'a>(
    fk: &'a ForeignKey,
    owner: &'a str,
) -> impl Iterator<Item = [(&'a str, &'a str); 2]> + 'a {
    fk.columns
        .iter()
        .zip(&fk.ref_columns)
        .map(move |(c, r)| [(owner, c.as_str()), (fk.ref_table.as_str(), r.as_str())])
}

pub(super) fn is_in(set: &[(String, String)], (t, c): (&str, &str)) -> bool {
    set.iter().any(|(a, b)| a == t && b.eq_ignore_ascii_case(c))
}

/// Columns tied by a foreign key must keep matching types. When one side's type change is
/// left out (destructive, not allowed), the other side's change waits too, and foreign keys
/// that need the left-out type are not added: each is listed as left out with the reason.
pub(super) fn hold_back_foreign_key_partners(
    current: &Schema,
    desired: &Schema,
    changes: &[Change],
    retyped: &mut Vec<(String, String)>,
    mut held: Vec<(String, String)>,
    w: &mut Work,
) {
    if held.is_empty() {
        return;
    }
    let mut links: Vec<[(String, String); 2]> = Vec::new();
    for schema in [current, desired] {
        for (owner, t) in &schema.tables {
            for fk in &t.foreign_keys {
                links.extend(
                    fk_pairs(fk, owner).map(|p| p.map(|(a, b)| (a.to_string(), b.to_string()))),
                );
            }
        }
    }
    loop {
        let newly: Vec<(String, String, (String, String))> = retyped
            .iter()
            .filter_map(|r| {
                links.iter().find_map(|[a, b]| {
                    let other = if a == r {
                        b
                    } else if b == r {
                        a
                    } else {
                        return None;
                    };
                    is_in(&held, (&other.0, &other.1))
                        .then(|| (r.0.clone(), r.1.clone(), other.clone()))
                })
            })
            .collect();
        if newly.is_empty() {
            break;
        }
        for (table, column, (ot, oc)) in newly {
            retyped.retain(|(t, c)| !(t == &table && c == &column));
            if let Some(body) = w.body.get_mut(&table) {
                body.retain(|(clause, _, _)| !matches!(clause, AlterClause::ModifyColumn { column: c, .. } if c.name == column));
            }
            // Every retyped column came from a column change of the diff.
            if let Some(change) = column_change(changes, &table, &column) {
                w.left_out.push(LeftOut {
                    object: table_ref(&table),
                    change: one_change(&table, change),
                    reason: format!("waits for the left-out change of `{ot}`.`{oc}`, which a foreign key ties it to"),
                });
            }
            held.push((table, column));
        }
    }
    // After the plan a held column keeps its current type; any other its canonical one.
    let after = |t: &str, c: &str| -> Option<Column> {
        let side = if is_in(&held, (t, c)) {
            current
        } else {
            desired
        };
        side.tables
            .get(t)
            .or_else(|| current.tables.get(t))
            .and_then(|t| t.column(c))
            .cloned()
    };
    let blocked = |fk: &ForeignKey, owner: &str| {
        fk_pairs(fk, owner).find_map(|[a, b]| {
            let (ca, cb) = (after(a.0, a.1)?, after(b.0, b.1)?);
            let held_side = if is_in(&held, a) { a } else { b };
            (!key_types_match(&ca, &cb)).then(|| format!("`{}`.`{}`", held_side.0, held_side.1))
        })
    };
    let mut left = Vec::new();
    for t in &mut w.creates {
        let name = t.name.clone();
        t.foreign_keys.retain(|fk| match blocked(fk, &name) {
            Some(col) => {
                left.push((name.clone(), fk.clone(), col));
                false
            }
            None => true,
        });
    }
    for (owner, fks) in &mut w.fk_adds {
        fks.retain(|fk| match blocked(fk, owner) {
            Some(col) => {
                left.push((owner.clone(), fk.clone(), col));
                false
            }
            None => true,
        });
    }
    for (table, fk, col) in left {
        w.left_out.push(LeftOut {
            object: table_ref(&table),
            change: one_change(&table, TableChange::AddForeignKey { fk }),
            reason: format!("needs the left-out type change of {col}"),
        });
    }
}

/// A table whose drop is left out keeps its foreign keys, and the server refuses to drop a key
/// one of them needs (error 1553) unless another key serves it after the statement: such a
/// key's drop (and its re-creation) is left out too.
pub(super) fn hold_back_keys_still_referenced(current: &Schema, w: &mut Work) {
    let kept: Vec<(String, ForeignKey)> = w
        .left_out
        .iter()
        .filter_map(|l| match &l.change {
            Change::DropTable { table } => Some(table),
            _ => None,
        })
        .flat_map(|t| t.foreign_keys.iter().map(|fk| (t.name.clone(), fk.clone())))
        .collect();
    for (owner, fk) in kept {
        let (Some(have), Some(body)) = (
            current.tables.get(&fk.ref_table),
            w.body.get_mut(&fk.ref_table),
        ) else {
            continue;
        };
        let serves = |ix: &Index| {
            let cols = ix.column_names();
            cols.len() >= fk.ref_columns.len()
                && fk
                    .ref_columns
                    .iter()
                    .zip(&cols)
                    .all(|(a, b)| a.eq_ignore_ascii_case(b))
        };
        let dropped = |name: &str| {
            body.iter()
                .any(|(c, _, _)| matches!(c, AlterClause::DropIndex { name: n } if n == name))
        };
        let served_after = have
            .indexes
            .iter()
            .any(|ix| serves(ix) && !dropped(&ix.name))
            || body
                .iter()
                .any(|(c, _, _)| matches!(c, AlterClause::AddIndex { index } if serves(index)));
        if served_after {
            continue;
        }
        let held: Vec<Index> = have
            .indexes
            .iter()
            .filter(|ix| serves(ix) && dropped(&ix.name))
            .cloned()
            .collect();
        for ix in held {
            let mut changes = vec![TableChange::DropIndex { index: ix.clone() }];
            body.retain(|(c, _, _)| match c {
                AlterClause::DropIndex { name } => *name != ix.name,
                AlterClause::AddIndex { index } if index.name == ix.name => {
                    changes.push(TableChange::AddIndex {
                        index: index.clone(),
                    });
                    false
                }
                _ => true,
            });
            for change in changes {
                w.left_out.push(LeftOut {
                    object: table_ref(&fk.ref_table),
                    change: one_change(&fk.ref_table, change),
                    reason: format!(
                        "foreign key `{}` of `{owner}`, whose drop is left out, still needs it",
                        fk.name
                    ),
                });
            }
        }
    }
}

/// The diff's change of one column of a table.
fn column_change(changes: &[Change], table: &str, column: &str) -> Option<TableChange> {
    changes.iter().find_map(|c| match c {
        Change::AlterTable { table: t, changes } if t == table => changes
            .iter()
            .find(|tc| matches!(tc, TableChange::ModifyColumn { to, .. } if to.name == column))
            .cloned(),
        _ => None,
    })
}

/// Tables whose engine changes in phase 4.
pub(super) fn re_engined(w: &Work) -> BTreeSet<String> {
    w.body
        .iter()
        .filter(|(_, clauses)| {
            clauses.iter().any(|(c, _, _)| {
                matches!(c, AlterClause::Options { options } if options.engine.is_some())
            })
        })
        .map(|(t, _)| t.clone())
        .collect()
}

/// Columns phase 4 adds or puts in a key it adds (`added`), else the columns it drops or
/// takes out of a key it drops, as (table, column).
pub(super) fn body_columns(current: &Schema, w: &Work, added: bool) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (table, clauses) in &w.body {
        for (clause, _, _) in clauses {
            let columns = match (clause, added) {
                (AlterClause::AddColumn { column, .. }, true) => vec![column.name.as_str()],
                (AlterClause::AddIndex { index }, true) => index.column_names(),
                (AlterClause::DropColumn { name }, false) => vec![name.as_str()],
                (AlterClause::DropIndex { name }, false) => current
                    .tables
                    .get(table)
                    .and_then(|t| t.index(name))
                    .map(Index::column_names)
                    .unwrap_or_default(),
                _ => continue,
            };
            out.extend(columns.into_iter().map(|c| (table.clone(), c.to_string())));
        }
    }
    out
}

/// A column's type cannot change while a foreign key uses it (on either side): such keys are
/// dropped before and added back after. A table dropped in phase 7 has its keys dropped first
/// when they use such a column or a column or key phase 4 drops (errors 1829, 1553).
pub(super) fn cycle_foreign_keys_around_retyped_columns(
    current: &Schema,
    desired: &Schema,
    retyped: &[(String, String)],
    w: &mut Work,
) {
    // A table changing engine cannot hold or be the target of a foreign key meanwhile.
    let re_engined = re_engined(w);
    let uses = |fk: &ForeignKey, owner: &str| {
        re_engined.contains(owner)
            || re_engined.contains(&fk.ref_table)
            || retyped.iter().any(|(t, c)| {
                (t == owner && fk.columns.iter().any(|x| x.eq_ignore_ascii_case(c)))
                    || (*t == fk.ref_table
                        && fk.ref_columns.iter().any(|x| x.eq_ignore_ascii_case(c)))
            })
    };
    let unkeyed = body_columns(current, w, false);
    let points_at_unkeyed = |fk: &ForeignKey| {
        fk.ref_columns
            .iter()
            .any(|c| is_in(&unkeyed, (&fk.ref_table, c)))
    };
    for (owner, table) in &current.tables {
        // A table dropped in phase 7 still holds its keys while phase 4 changes what they
        // use: the server refuses that, so its keys go first (and never come back).
        let dropped = w.drops.iter().any(|d| &d.name == owner);
        let cycled = |fk: &&ForeignKey| uses(fk, owner) || (dropped && points_at_unkeyed(fk));
        for fk in table.foreign_keys.iter().filter(cycled) {
            let drops = w.fk_drops.entry(owner.clone()).or_default();
            if drops.iter().any(|d| d.name == fk.name) {
                continue;
            }
            drops.push(fk.clone());
            if dropped {
                continue;
            }
            let back = desired
                .tables
                .get(owner)
                .and_then(|t| t.foreign_keys.iter().find(|f| f.name == fk.name));
            if let Some(back) = back {
                let adds = w.fk_adds.entry(owner.clone()).or_default();
                if !adds.iter().any(|a| a.name == back.name) {
                    adds.push(back.clone());
                }
            }
        }
    }
}
