//! Changes → ordered, safety-rated steps. Still typed: SQL text is `render`'s job.
//!
//! Order matters, phase by phase:
//! 1. drop views that are gone (nothing may depend on them afterwards);
//! 2. drop foreign keys that go, change, or hold columns whose type changes;
//! 3. create tables, referenced tables first (a cycle's closing keys wait for phase 5);
//! 4. alter tables: columns, indexes, checks and options, one statement per table;
//! 5. add foreign keys, once every table, column and index they use exists;
//! 6. create or replace views, after the tables and views they read;
//! 7. drop tables that are gone, referencing tables first.
//!
//! Stored programs (plan/programs.rs) wrap these: triggers and events that go are dropped
//! before phase 1, routines are created before phase 3, triggers and events after phase 6,
//! and routines that go are dropped after phase 7.

mod clauses;
pub mod compose;
pub mod data_checks;
pub mod finish;
mod foreign_keys;
pub mod guard;
mod implicit_key;
pub mod online;
mod order;
pub mod osc;
pub mod privileges;
mod programs;
mod regenerate;
pub mod rename;
pub mod safety;
mod sequences;
pub mod simulate;
mod versioning;

#[cfg(test)]
mod partition_tests;
#[cfg(test)]
mod period_tests;
#[cfg(test)]
mod versioning_tests;

use crate::diff::{Change, TableChange};
pub use crate::model::ObjectKind;
use crate::model::*;
use clauses::{changes_key_type, partition_clauses};
pub use foreign_keys::key_types_match;
use foreign_keys::{
    cycle_foreign_keys_around_retyped_columns, hold_back_foreign_key_partners,
    hold_back_keys_still_referenced,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "class", rename_all = "snake_case")]
pub enum Safety {
    Safe,
    Destructive { reason: String },
}

impl Safety {
    pub fn from_reasons(reasons: Vec<String>) -> Safety {
        if reasons.is_empty() {
            Safety::Safe
        } else {
            Safety::Destructive {
                reason: reasons.join("; "),
            }
        }
    }
    pub fn is_destructive(&self) -> bool {
        matches!(self, Safety::Destructive { .. })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ObjectRef {
    pub kind: ObjectKind,
    pub name: String,
}

/// Table options that change; None leaves an option as it is.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OptionsChange {
    pub engine: Option<String>,
    pub charset: Option<(String, String)>,
    /// `DEFAULT` resets it.
    pub row_format: Option<String>,
    /// Empty removes it.
    pub comment: Option<String>,
    /// `DEFAULT` resets one.
    pub other: BTreeMap<String, String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "clause", rename_all = "snake_case")]
pub enum AlterClause {
    DropForeignKey {
        name: String,
    },
    DropIndex {
        name: String,
    },
    DropCheck {
        name: String,
    },
    DropColumn {
        name: String,
    },
    AddColumn {
        column: Column,
        position: Position,
    },
    ModifyColumn {
        column: Column,
        position: Option<Position>,
    },
    AddIndex {
        index: Index,
    },
    AddCheck {
        check: Check,
    },
    AddForeignKey {
        fk: ForeignKey,
    },
    Options {
        options: OptionsChange,
    },
    /// Keeps the column's data: from a `-- canon: renamed from` note.
    RenameColumn {
        from: String,
        to: String,
    },
    /// RANGE/LIST partitions added at the end: no rows move.
    AddPartitions {
        partitions: Vec<Partition>,
    },
    /// Partitions removed with the rows in them.
    DropPartitions {
        names: Vec<String>,
    },
    /// (Re)partition the table: its rows are copied into the new partitions.
    PartitionBy {
        partitioning: Partitioning,
    },
    /// Back to one unpartitioned table; `first` is a partition it had (for the guard).
    RemovePartitioning {
        first: String,
    },
    AddSystemVersioning,
    /// The table's history rows go with it.
    DropSystemVersioning,
    /// Not a clause: the ALTER changes columns of a system-versioned table, which MariaDB
    /// runs only with `system_versioning_alter_history=KEEP` (its history rows change too).
    KeepHistory,
}

impl AlterClause {
    /// A partition operation: the server takes it only alone in its ALTER, without an
    /// ALGORITHM or LOCK clause.
    pub fn is_partition_op(&self) -> bool {
        matches!(
            self,
            AlterClause::AddPartitions { .. }
                | AlterClause::DropPartitions { .. }
                | AlterClause::PartitionBy { .. }
                | AlterClause::RemovePartitioning { .. }
                // Alone and after them: history partitions go before versioning.
                | AlterClause::DropSystemVersioning
        )
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    CreateTable {
        table: Table,
    },
    AlterTable {
        table: String,
        clauses: Vec<AlterClause>,
    },
    DropTable {
        table: String,
    },
    CreateView {
        view: View,
        replace: bool,
    },
    DropView {
        view: String,
    },
    /// Keeps the table's rows: from a `-- canon: renamed from` note.
    RenameTable {
        from: String,
        to: String,
    },
    CreateSequence {
        sequence: Sequence,
    },
    /// Sets every option `ALTER SEQUENCE` takes to the sequence's.
    AlterSequence {
        sequence: Sequence,
    },
    DropSequence {
        sequence: String,
    },
    /// A trigger, routine or event; `replace` swaps it in one statement (`CREATE OR
    /// REPLACE`). A trigger `follows` the one before it among its table's.
    CreateProgram {
        program: crate::diff::Program,
        replace: bool,
        follows: Option<String>,
        /// MySQL 8: the tables (the trigger's, before and after) the `DROP` + `CREATE`
        /// replacing a trigger runs under `LOCK TABLES ... WRITE`, so that no write runs
        /// without it.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        lock: Vec<String>,
    },
    DropProgram {
        kind: ObjectKind,
        name: String,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub object: ObjectRef,
    pub action: Action,
    pub safety: Safety,
    /// What the step does, one entry per clause, for the reviewer.
    pub summary: Vec<String>,
}

/// A change the plan does not make (destructive, not allowed): still drift. `change` is the
/// typed difference left as it is (an `AlterTable` holds one table change).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LeftOut {
    pub object: ObjectRef,
    pub change: Change,
    pub reason: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Plan {
    pub steps: Vec<Step>,
    pub left_out: Vec<LeftOut>,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct PlanOptions {
    pub allow_destructive: bool,
    /// A trigger replaced by `DROP` + `CREATE` (MySQL 8) runs under `LOCK TABLES ... WRITE`
    /// (`programs.trigger_swap: locked`, on a MySQL target only).
    pub lock_triggers: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("the plan does not reach the canonical schema; left over: {0}. This is a bug in canon: please report it with both schemas")]
    DoesNotConverge(String),
}

fn table_ref(name: &str) -> ObjectRef {
    ObjectRef {
        kind: ObjectKind::Table,
        name: name.to_string(),
    }
}

fn view_ref(name: &str) -> ObjectRef {
    ObjectRef {
        kind: ObjectKind::View,
        name: name.to_string(),
    }
}

/// One table change as an `AlterTable` change of its own: how a left-out one is recorded.
fn one_change(table: &str, change: TableChange) -> Change {
    Change::AlterTable {
        table: table.to_string(),
        changes: vec![change],
    }
}

/// A reviewer's one-line account of a table change.
pub fn describe(change: &TableChange) -> String {
    match change {
        TableChange::AddColumn { column, .. } => format!("add column `{}`", column.name),
        TableChange::DropColumn { column } => format!("drop column `{}`", column.name),
        TableChange::ModifyColumn { from, to, position } => match (from == to, position) {
            (true, _) => format!("move column `{}`", to.name),
            (false, Some(_)) => format!("change and move column `{}`", to.name),
            (false, None) => format!("change column `{}`", to.name),
        },
        TableChange::AddIndex { index } if index.kind == IndexKind::Primary => {
            "add primary key".into()
        }
        TableChange::DropIndex { index } if index.kind == IndexKind::Primary => {
            "drop primary key".into()
        }
        TableChange::AddIndex { index } => format!("add index `{}`", index.name),
        TableChange::DropIndex { index } => format!("drop index `{}`", index.name),
        TableChange::AddForeignKey { fk } => format!("add foreign key `{}`", fk.name),
        TableChange::DropForeignKey { fk } => format!("drop foreign key `{}`", fk.name),
        TableChange::AddCheck { check } => format!("add check `{}`", check.name),
        TableChange::DropCheck { check } => format!("drop check `{}`", check.name),
        TableChange::Options { .. } => "change table options".into(),
        TableChange::Partitioning { .. } => "change partitioning".into(),
        TableChange::Periods { .. } => "change application-time periods".into(),
        TableChange::SystemVersioning { to: true } => "add system versioning".into(),
        TableChange::SystemVersioning { to: false } => "drop system versioning".into(),
    }
}

/// An ALTER clause with its safety and the reviewer's account of it.
type Clause = (AlterClause, Safety, String);

/// Per-table work collected from the changes, before ordering.
#[derive(Default)]
struct Work {
    fk_drops: BTreeMap<String, Vec<ForeignKey>>,
    fk_adds: BTreeMap<String, Vec<ForeignKey>>,
    body: BTreeMap<String, Vec<(AlterClause, Safety, String)>>,
    creates: Vec<Table>,
    drops: Vec<Table>,
    view_drops: Vec<(String, Safety)>,
    view_creates: Vec<(View, bool)>,
    left_out: Vec<LeftOut>,
    /// Columns whose type changes in phase 4: new tables' keys to them wait for phase 5.
    retyped: Vec<(String, String)>,
    /// Columns whose type change is left out: what a foreign key ties to them waits too.
    held: Vec<(String, String)>,
    /// Keys re-created with the foreign key (table, name) the plan adds.
    fk_keys: BTreeMap<(String, String), Index>,
    /// Sequence steps: before the tables, and after them.
    sequences_first: Vec<Step>,
    sequences_last: Vec<Step>,
    programs: programs::ProgramSteps,
    /// Changes the rows would make fail: left out whatever the options.
    blocked: data_checks::Blocked,
}

impl Work {
    /// One table's changes as clauses of its phase-4 statement, or foreign keys for phases 2
    /// and 5.
    fn alter_table(
        &mut self,
        table: &str,
        have: &Table,
        want: &Table,
        changes: &[TableChange],
        opts: PlanOptions,
    ) {
        let mut recreated: Vec<&str> = Vec::new();
        for tc in changes {
            if let Some(l) = data_checks::block(&self.blocked, table, tc) {
                if let TableChange::ModifyColumn { from, to, .. } = tc {
                    if changes_key_type(from, to) {
                        self.held.push((table.to_string(), to.name.clone()));
                    }
                }
                self.left_out.push(l);
                continue;
            }
            let (clauses, safety): (Vec<Clause>, Safety) = match tc {
                TableChange::DropForeignKey { fk } => {
                    self.fk_drops
                        .entry(table.to_string())
                        .or_default()
                        .push(fk.clone());
                    continue;
                }
                TableChange::AddForeignKey { fk } => {
                    self.fk_adds
                        .entry(table.to_string())
                        .or_default()
                        .push(fk.clone());
                    continue;
                }
                TableChange::ModifyColumn { from, to, position }
                    if regenerate::refused_as_modify(from, to) =>
                {
                    let clauses = regenerate::recreate(from, to, position.as_ref(), want);
                    (clauses, regenerate::safety(from))
                }
                TableChange::DropColumn { column }
                    if have
                        .periods
                        .iter()
                        .any(|p| p.start == column.name || p.end == column.name) =>
                {
                    // The server refuses to drop a column a period is bounded by.
                    self.left_out.push(LeftOut {
                        object: table_ref(table),
                        change: one_change(table, tc.clone()),
                        reason: format!("column `{}` bounds an application-time period, whose changes canon does not plan yet", column.name),
                    });
                    continue;
                }
                TableChange::SystemVersioning { .. }
                | TableChange::AddColumn { .. }
                | TableChange::DropColumn { .. }
                | TableChange::ModifyColumn { .. }
                    if versioning::row_bounds_change(tc, have, want) =>
                {
                    self.left_out.push(LeftOut {
                        object: table_ref(table),
                        change: one_change(table, tc.clone()),
                        reason: "canon does not plan changes of a system-versioned table's row start and end columns (ADD/DROP PERIOD FOR SYSTEM_TIME) yet".into(),
                    });
                    continue;
                }
                TableChange::SystemVersioning { to } => {
                    (vec![versioning::clause(*to)], versioning::safety(*to))
                }
                TableChange::Periods { .. } => {
                    // Never planned: left out by name, whatever the options.
                    self.left_out.push(LeftOut {
                        object: table_ref(table),
                        change: one_change(table, tc.clone()),
                        reason: "canon does not plan changes of application-time periods (ADD/DROP PERIOD FOR) yet".into(),
                    });
                    continue;
                }
                TableChange::Partitioning { from, to } => {
                    let parts = partition_clauses(from.as_ref(), to.as_ref());
                    let reasons = parts
                        .iter()
                        .filter_map(|(_, s, _)| match s {
                            Safety::Destructive { reason } => Some(reason.clone()),
                            Safety::Safe => None,
                        })
                        .collect();
                    (parts, Safety::from_reasons(reasons))
                }
                _ => {
                    let Some((clause, safety)) = clauses::clause(tc, want) else {
                        continue;
                    };
                    if let TableChange::ModifyColumn { from, to, .. } = tc {
                        if changes_key_type(from, to) {
                            let planned = !safety.is_destructive() || opts.allow_destructive;
                            let side = if planned {
                                &mut self.retyped
                            } else {
                                &mut self.held
                            };
                            side.push((table.to_string(), to.name.clone()));
                        }
                    }
                    (vec![(clause, safety.clone(), describe(tc))], safety)
                }
            };
            if !self.keep(
                table_ref(table),
                || one_change(table, tc.clone()),
                &safety,
                opts,
            ) {
                continue;
            }
            if let TableChange::ModifyColumn { from, to, .. } = tc {
                if regenerate::refused_as_modify(from, to) {
                    recreated.push(&to.name);
                }
            }
            self.body
                .entry(table.to_string())
                .or_default()
                .extend(clauses);
        }
        if !recreated.is_empty() {
            let keys = regenerate::dependents_to_restore(have, want, &recreated, changes);
            self.body.entry(table.to_string()).or_default().extend(keys);
        }
    }

    /// Whether a change with this safety is planned; if not, it is recorded as left out.
    fn keep(
        &mut self,
        object: ObjectRef,
        change: impl FnOnce() -> Change,
        safety: &Safety,
        opts: PlanOptions,
    ) -> bool {
        match safety {
            Safety::Destructive { reason } if !opts.allow_destructive => {
                self.left_out.push(LeftOut {
                    object,
                    change: change(),
                    reason: reason.clone(),
                });
                false
            }
            _ => true,
        }
    }
}

pub fn plan(
    current: &Schema,
    desired: &Schema,
    changes: &[Change],
    opts: PlanOptions,
) -> Result<Plan, PlanError> {
    plan_blocked(current, desired, changes, opts, Default::default())
}

/// A plan that leaves out the changes the rows block (`data_checks::blocked`).
pub fn plan_blocked(
    current: &Schema,
    desired: &Schema,
    changes: &[Change],
    opts: PlanOptions,
    blocked: data_checks::Blocked,
) -> Result<Plan, PlanError> {
    let mut w = Work {
        blocked,
        ..Work::default()
    };
    for change in changes {
        match change {
            Change::CreateTable { table } => w.creates.push(table.clone()),
            Change::DropTable { table } => {
                let s = Safety::Destructive {
                    reason: "drops the table and all its rows".into(),
                };
                if w.keep(table_ref(&table.name), || change.clone(), &s, opts) {
                    w.drops.push(table.clone());
                }
            }
            Change::CreateView { view } => w.view_creates.push((view.clone(), false)),
            Change::ReplaceView { to, .. } => w.view_creates.push((to.clone(), true)),
            Change::DropView { view } => {
                let readers = crate::compat::used_by(current, &view.name);
                let s = Safety::Destructive {
                    reason: match readers.as_slice() {
                        [] => "drops the view: queries that use it would fail".into(),
                        r => format!(
                            "drops the view: queries that use it would fail, and so would view(s) `{}` that read it",
                            r.join("`, `")
                        ),
                    },
                };
                if w.keep(view_ref(&view.name), || change.clone(), &s, opts) {
                    w.view_drops.push((view.name.clone(), s));
                }
            }
            Change::AlterTable { table, changes } => {
                let (have, want) = (&current.tables[table], &desired.tables[table]);
                w.alter_table(table, have, want, changes, opts);
            }
            Change::CreateSequence { .. }
            | Change::AlterSequence { .. }
            | Change::DropSequence { .. }
            | Change::CreateProgram { .. }
            | Change::ReplaceProgram { .. }
            | Change::DropProgram { .. } => {}
        }
    }
    w.programs = programs::steps(desired, changes, opts);
    w.left_out.append(&mut w.programs.left_out);
    let (first, last, left_out) = sequences::steps(changes, opts);
    (w.sequences_first, w.sequences_last) = (first, last);
    w.left_out.extend(left_out);
    let mut retyped = std::mem::take(&mut w.retyped);
    let held = std::mem::take(&mut w.held);
    hold_back_foreign_key_partners(current, desired, changes, &mut retyped, held, &mut w);
    hold_back_keys_still_referenced(current, &mut w);
    cycle_foreign_keys_around_retyped_columns(current, desired, &retyped, &mut w);
    w.retyped = retyped;
    w.fk_keys = implicit_key::keys_to_recreate(current, desired, &w.fk_drops, &w.fk_adds);
    let plan = order::order(current, w);
    simulate::check(current, desired, changes, &plan)?;
    Ok(plan)
}

/// The steps that take the objects a plan touches back to where they were: the plan's
/// rollback. Every change is included; the destructive ones are where data cannot come back.
/// `opts` are the plan's (a trigger swap locked there is locked back).
pub fn rollback(current: &Schema, plan: &Plan, opts: PlanOptions) -> Result<Plan, PlanError> {
    let touched: BTreeSet<&ObjectRef> = plan.steps.iter().map(|s| &s.object).collect();
    let before = simulate::subset(current, &touched);
    let mut after = before.clone();
    for step in &plan.steps {
        simulate::apply(&mut after, step);
    }
    let changes = crate::diff::diff(&after, &before);
    self::plan(
        &after,
        &before,
        &changes,
        PlanOptions {
            allow_destructive: true,
            ..opts
        },
    )
}
