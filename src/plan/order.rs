//! The collected work as steps, phase by phase (see the phases in `plan.rs`).

use super::foreign_keys::{body_columns, fk_pairs, is_in, re_engined};
use super::{
    implicit_key, table_ref, view_ref, Action, AlterClause, Clause, OptionsChange, Plan, Safety,
    Step, Work,
};
use crate::model::*;
use std::collections::{BTreeMap, BTreeSet};

/// Kahn's algorithm over names in a stable order. Returns the order and, when a cycle
/// remains, breaks it at the smallest name by reporting the edges it had to ignore.
fn topological(
    nodes: &BTreeSet<String>,
    deps: &BTreeMap<String, BTreeSet<String>>,
) -> (Vec<String>, Vec<(String, String)>) {
    let mut remaining: BTreeMap<String, BTreeSet<String>> = nodes
        .iter()
        .map(|n| {
            let d = deps.get(n).cloned().unwrap_or_default();
            (
                n.clone(),
                d.into_iter()
                    .filter(|x| x != n && nodes.contains(x))
                    .collect(),
            )
        })
        .collect();
    let (mut order, mut broken) = (Vec::new(), Vec::new());
    while !remaining.is_empty() {
        let ready: Vec<String> = remaining
            .iter()
            .filter(|(_, d)| d.is_empty())
            .map(|(n, _)| n.clone())
            .collect();
        let next = if ready.is_empty() {
            let (n, d) = remaining
                .iter()
                .next()
                .map(|(n, d)| (n.clone(), d.clone()))
                .unwrap_or_default();
            broken.extend(d.into_iter().map(|x| (n.clone(), x)));
            vec![n]
        } else {
            ready
        };
        for n in next {
            remaining.remove(&n);
            for d in remaining.values_mut() {
                d.remove(&n);
            }
            order.push(n);
        }
    }
    (order, broken)
}

/// Options an engine change leaves behind (Aria's PAGE_CHECKSUM=1, kept by the table after
/// `ENGINE=InnoDB`) are reset by the server only in a statement after the engine changed;
/// reset in the same one, they stay (seen on MariaDB 10.11). So does an unpartitioned Aria
/// table's PAGE_CHECKSUM reset before `PARTITION BY` (the engine writes it back; reset once
/// partitioned, it goes). Those resets move to a step of their own, after the partitioning.
fn split_engine_resets(mut clauses: Vec<Clause>) -> (Vec<Clause>, Option<Clause>) {
    let mut resets = BTreeMap::new();
    let repartitioned = clauses
        .iter()
        .any(|(c, _, _)| matches!(c, AlterClause::PartitionBy { .. }));
    for (clause, _, _) in &mut clauses {
        if let AlterClause::Options { options } = clause {
            if options.engine.is_some() || repartitioned {
                let defaults: Vec<String> = options
                    .other
                    .iter()
                    .filter(|(_, v)| v.as_str() == "DEFAULT")
                    .map(|(k, _)| k.clone())
                    .collect();
                for k in defaults {
                    options.other.remove(&k);
                    resets.insert(k, "DEFAULT".to_string());
                }
            }
        }
    }
    if resets.is_empty() {
        return (clauses, None);
    }
    // An options clause that only reset what moved says nothing any more.
    clauses.retain(|(c, _, _)| {
        !matches!(c, AlterClause::Options { options } if *options == OptionsChange::default())
    });
    let reset = AlterClause::Options {
        options: OptionsChange {
            other: resets,
            ..OptionsChange::default()
        },
    };
    (
        clauses,
        Some((
            reset,
            Safety::Safe,
            "reset options of the old engine".into(),
        )),
    )
}

fn alter_step(table: &str, clauses: Vec<(AlterClause, Safety, String)>) -> Step {
    let reasons: Vec<String> = clauses
        .iter()
        .filter_map(|(_, s, summary)| match s {
            Safety::Destructive { reason } => Some(format!("{summary}: {reason}")),
            Safety::Safe => None,
        })
        .collect();
    Step {
        object: table_ref(table),
        safety: Safety::from_reasons(reasons),
        summary: clauses.iter().map(|(_, _, d)| d.clone()).collect(),
        action: Action::AlterTable {
            table: table.to_string(),
            clauses: clauses.into_iter().map(|(c, _, _)| c).collect(),
        },
    }
}

fn fk_drop_step(table: &str, fks: Vec<ForeignKey>) -> Step {
    let clauses = fks
        .into_iter()
        .map(|fk| {
            let d = format!("drop foreign key `{}`", fk.name);
            (
                AlterClause::DropForeignKey { name: fk.name },
                Safety::Safe,
                d,
            )
        })
        .collect();
    alter_step(table, clauses)
}

/// Phase 1: views that are gone.
fn view_drops(w: &mut Work) -> Vec<Step> {
    std::mem::take(&mut w.view_drops)
        .into_iter()
        .map(|(name, safety)| Step {
            object: view_ref(&name),
            summary: vec![format!("drop {}", ObjectKind::View.label(&name))],
            action: Action::DropView { view: name },
            safety,
        })
        .collect()
}

/// Phase 7's order: referencing tables first. A cycle among them is broken by dropping its
/// closing foreign keys in phase 2.
fn table_drop_order(w: &mut Work) -> Vec<String> {
    let dropped: BTreeSet<String> = w.drops.iter().map(|t| t.name.clone()).collect();
    let mut referenced_by: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for t in &w.drops {
        for fk in &t.foreign_keys {
            referenced_by
                .entry(fk.ref_table.clone())
                .or_default()
                .insert(t.name.clone());
        }
    }
    let (drop_order, drop_cycles) = topological(&dropped, &referenced_by);
    for (parent, child) in drop_cycles {
        if let Some(t) = w.drops.iter().find(|t| t.name == child) {
            for fk in t.foreign_keys.iter().filter(|f| f.ref_table == parent) {
                w.fk_drops
                    .entry(child.clone())
                    .or_default()
                    .push(fk.clone());
            }
        }
    }
    drop_order
}

/// Phase 3: new tables, referenced ones first. Their foreign keys that cannot be made yet
/// (a cycle's closing key, a key to a column phase 4 retypes or keys, or to a table whose
/// engine changes there) wait for phase 5.
fn creates(current: &Schema, w: &mut Work, re_engined: &BTreeSet<String>) -> Vec<Step> {
    let created: BTreeSet<String> = w.creates.iter().map(|t| t.name.clone()).collect();
    let deps: BTreeMap<String, BTreeSet<String>> = w
        .creates
        .iter()
        .map(|t| {
            (
                t.name.clone(),
                t.foreign_keys.iter().map(|f| f.ref_table.clone()).collect(),
            )
        })
        .collect();
    let (create_order, cycles) = topological(&created, &deps);
    // Columns phase 4 adds or puts in a new key: new tables' keys to them wait for phase 5.
    let keyed = body_columns(current, w, true);
    let mut steps = Vec::new();
    for name in create_order {
        let Some(mut table) = w.creates.iter().find(|t| t.name == name).cloned() else {
            continue;
        };
        let (deferred, inline): (Vec<ForeignKey>, Vec<ForeignKey>) =
            table.foreign_keys.drain(..).partition(|f| {
                cycles.iter().any(|(a, b)| *a == name && *b == f.ref_table)
                    || fk_pairs(f, &name).any(|[_, r]| is_in(&w.retyped, r) || is_in(&keyed, r))
                    || re_engined.contains(&f.ref_table)
            });
        table.foreign_keys = inline;
        if !deferred.is_empty() {
            w.fk_adds.entry(name.clone()).or_default().extend(deferred);
        }
        steps.push(Step {
            object: table_ref(&name),
            summary: vec![format!("create {}", ObjectKind::Table.label(&name))],
            action: Action::CreateTable { table },
            safety: Safety::Safe,
        });
    }
    steps
}

/// Phase 4: table bodies, referenced tables first. A foreign key the table gains joins its
/// statement when what it references is final by then (its table has no statement here,
/// or an earlier one): adding one copies the table, so the table is rebuilt once.
fn bodies(current: &Schema, w: &mut Work, re_engined: &BTreeSet<String>) -> Vec<Step> {
    let bodies: BTreeSet<String> = w.body.keys().cloned().collect();
    let parents: BTreeMap<String, BTreeSet<String>> = bodies
        .iter()
        .map(|t| {
            let refs = w.fk_adds.get(t).into_iter().flatten();
            let refs = refs.map(|f| f.ref_table.clone());
            (
                t.clone(),
                refs.filter(|r| r != t && bodies.contains(r)).collect(),
            )
        })
        .collect();
    let mut steps = Vec::new();
    let mut done = BTreeSet::new();
    for table in topological(&bodies, &parents).0 {
        let Some(mut clauses) = w.body.remove(&table) else {
            continue;
        };
        if let Some(fks) = w.fk_adds.remove(&table) {
            let (now, later): (Vec<ForeignKey>, Vec<ForeignKey>) = fks.into_iter().partition(|f| {
                f.ref_table == table
                    || (!re_engined.contains(&f.ref_table)
                        && (!bodies.contains(&f.ref_table) || done.contains(&f.ref_table)))
            });
            for fk in now {
                clauses.extend(implicit_key::add_clauses(&w.fk_keys, &table, fk));
            }
            if !later.is_empty() {
                w.fk_adds.insert(table.clone(), later);
            }
        }
        let (clauses, after_engine) = split_engine_resets(clauses);
        // Partition operations go alone, each in its own statement, after the rest.
        let (parts, rest): (Vec<Clause>, Vec<Clause>) = clauses
            .into_iter()
            .partition(|(c, _, _)| c.is_partition_op());
        let mut rest = rest;
        super::versioning::keep_history(current.tables.get(&table), &mut rest);
        if !rest.is_empty() {
            steps.push(alter_step(&table, rest));
        }
        steps.extend(parts.into_iter().map(|p| alter_step(&table, vec![p])));
        done.insert(table.clone());
        if let Some(resets) = after_engine {
            steps.push(alter_step(&table, vec![resets]));
        }
    }
    steps
}

/// Phase 6: views, after what they read.
fn views(w: &Work) -> Vec<Step> {
    let names: BTreeSet<String> = w.view_creates.iter().map(|(v, _)| v.name.clone()).collect();
    let deps = w
        .view_creates
        .iter()
        .map(|(v, _)| (v.name.clone(), v.depends_on.iter().cloned().collect()))
        .collect();
    topological(&names, &deps)
        .0
        .into_iter()
        .filter_map(|name| {
            let (view, replace) = w
                .view_creates
                .iter()
                .find(|(v, _)| v.name == name)
                .cloned()?;
            let verb = if replace { "replace" } else { "create" };
            Some(Step {
                object: view_ref(&name),
                summary: vec![format!("{verb} {}", ObjectKind::View.label(&name))],
                action: Action::CreateView { view, replace },
                safety: Safety::Safe,
            })
        })
        .collect()
}

/// The steps, phase by phase (the phases are numbered in `plan.rs`).
pub(super) fn order(current: &Schema, mut w: Work) -> Plan {
    // Triggers and events that go, before what they use goes.
    let mut steps = std::mem::take(&mut w.programs.drops_first);
    steps.extend(view_drops(&mut w));
    // Phase 7 is ordered now, emitted last: a cycle among the dropped tables adds foreign
    // key drops to phase 2.
    let drop_order = table_drop_order(&mut w);
    // 2. foreign keys that go or must step aside
    for (table, fks) in std::mem::take(&mut w.fk_drops) {
        steps.push(fk_drop_step(&table, fks));
    }
    // Sequences before the tables, whose defaults may take their next values; routines
    // too, which columns and views may call.
    steps.append(&mut w.sequences_first);
    steps.append(&mut w.programs.routines);
    // Tables changing engine in phase 4 (e.g. Aria to InnoDB) cannot be referenced before.
    let re_engined = re_engined(&w);
    steps.extend(creates(current, &mut w, &re_engined));
    steps.extend(bodies(current, &mut w, &re_engined));
    // 5. foreign keys
    for (table, fks) in std::mem::take(&mut w.fk_adds) {
        let clauses = fks
            .into_iter()
            .flat_map(|fk| implicit_key::add_clauses(&w.fk_keys, &table, fk))
            .collect();
        steps.push(alter_step(&table, clauses));
    }
    steps.extend(views(&w));
    // Triggers and events once every table, column and view they use exists.
    steps.append(&mut w.programs.last);
    // 7. tables that are gone
    steps.extend(drop_order.into_iter().map(|name| Step {
        object: table_ref(&name),
        summary: vec![format!("drop {}", ObjectKind::Table.label(&name))],
        action: Action::DropTable { table: name },
        safety: Safety::Destructive {
            reason: "drops the table and all its rows".into(),
        },
    }));
    // Sequences that are gone, once no table takes values from them.
    steps.append(&mut w.sequences_last);
    // Routines that go, once nothing the plan keeps calls them.
    steps.append(&mut w.programs.drops_last);
    Plan {
        steps,
        left_out: w.left_out,
    }
}
