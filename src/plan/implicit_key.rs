//! A foreign key added by a plan where the server had generated a key for an earlier one on
//! the same columns. Seen on MariaDB 10.11: after `DROP FOREIGN KEY t_ibfk_1` the generated
//! key `pid` stays, but `ADD CONSTRAINT t_ibfk_1 FOREIGN KEY (pid) ...` replaces it with a new
//! key named `t_ibfk_1` (naming the key in `FOREIGN KEY pid (pid)` does not change that; the
//! same statement cannot drop and add the constraint: errno 121). A key the statement itself
//! re-creates is the user's, and the server keeps it: so the key is dropped and added back in
//! the statement that adds the foreign key.

use super::{AlterClause, Clause, Safety};
use crate::model::*;
use std::collections::BTreeMap;

fn same_columns(a: &[String], b: &[&str]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.eq_ignore_ascii_case(y))
}

/// For each (table, foreign key) the plan adds: the key to re-create with it, when the
/// canonical key for its columns has another name, exists unchanged now, and may have been
/// generated for a foreign key on the same columns that the plan drops.
pub fn keys_to_recreate(
    current: &Schema,
    desired: &Schema,
    fk_drops: &BTreeMap<String, Vec<ForeignKey>>,
    fk_adds: &BTreeMap<String, Vec<ForeignKey>>,
) -> BTreeMap<(String, String), Index> {
    let mut out = BTreeMap::new();
    for (owner, fks) in fk_adds {
        let (Some(have), Some(want)) = (current.tables.get(owner), desired.tables.get(owner))
        else {
            continue;
        };
        let dropped = fk_drops.get(owner).map_or(&[][..], |d| d.as_slice());
        for fk in fks {
            let leading = |ix: &&Index| {
                let cols = ix.column_names();
                cols.len() >= fk.columns.len()
                    && same_columns(&fk.columns, &cols[..fk.columns.len()])
            };
            let Some(key) = want.indexes.iter().find(leading) else {
                continue;
            };
            // The server names the key it generates after the constraint, or, for an
            // unnamed one (`<table>_ibfk_<n>`), after its first column.
            let unnamed = |d: &ForeignKey| {
                d.name
                    .strip_prefix(&format!("{owner}_ibfk_"))
                    .is_some_and(|n| n.parse::<u32>().is_ok())
            };
            let generated_before = dropped.iter().any(|d| {
                same_columns(&d.columns, &key.column_names())
                    && (key.name == d.name
                        || (unnamed(d) && key.name.eq_ignore_ascii_case(&d.columns[0])))
            });
            if key.name != fk.name && have.index(&key.name) == Some(key) && generated_before {
                out.insert((owner.clone(), fk.name.clone()), key.clone());
            }
        }
    }
    out
}

/// The clauses that add `fk`, with its key re-created when `keys` says so.
pub fn add_clauses(
    keys: &BTreeMap<(String, String), Index>,
    table: &str,
    fk: ForeignKey,
) -> Vec<Clause> {
    let key = keys.get(&(table.to_string(), fk.name.clone()));
    let mut out = vec![(
        AlterClause::AddForeignKey { fk: fk.clone() },
        Safety::Safe,
        format!("add foreign key `{}`", fk.name),
    )];
    if let Some(key) = key {
        out.push((
            AlterClause::DropIndex {
                name: key.name.clone(),
            },
            Safety::Safe,
            format!("drop index `{}` (the server generated it)", key.name),
        ));
        out.push((
            AlterClause::AddIndex { index: key.clone() },
            Safety::Safe,
            format!("add index `{}` back (kept for `{}`)", key.name, fk.name),
        ));
    }
    out
}
