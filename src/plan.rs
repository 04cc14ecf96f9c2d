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

pub mod guard;
pub mod online;
pub mod osc;
pub mod privileges;
pub mod rename;
pub mod safety;
pub mod simulate;

#[cfg(test)]
mod partition_tests;

use crate::diff::{Change, TableChange};
pub use crate::model::ObjectKind;
use crate::model::*;
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
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub object: ObjectRef,
    pub action: Action,
    pub safety: Safety,
    /// What the step does, one entry per clause, for the reviewer.
    pub summary: Vec<String>,
}

/// A change the plan does not make (destructive, not allowed): still drift.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeftOut {
    pub object: ObjectRef,
    pub summary: String,
    pub reason: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub steps: Vec<Step>,
    pub left_out: Vec<LeftOut>,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct PlanOptions {
    pub allow_destructive: bool,
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

/// A reviewer's one-line account of a table change. Also what the simulation check compares.
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
    }
}

/// The names HASH and KEY partitions get from the server.
fn first_partition(p: &Partitioning) -> String {
    p.partitions
        .first()
        .map_or_else(|| "p0".to_string(), |x| x.name.clone())
}

/// A partitioning change as statements: RANGE/LIST partitions dropped and added (rows of
/// the others stay where they are) when the scheme is the same and the kept partitions keep
/// their bounds and order; otherwise the table is partitioned anew.
fn partition_clauses(from: Option<&Partitioning>, to: Option<&Partitioning>) -> Vec<Clause> {
    let by = |p: &Partitioning| {
        let kind = format!("{:?}", p.kind).to_ascii_uppercase();
        (
            AlterClause::PartitionBy {
                partitioning: p.clone(),
            },
            Safety::Safe,
            format!("partition by {kind}"),
        )
    };
    let (a, b) = match (from, to) {
        (None, None) => return vec![],
        (None, Some(b)) => return vec![by(b)],
        (Some(a), None) => {
            return vec![(
                AlterClause::RemovePartitioning {
                    first: first_partition(a),
                },
                Safety::Safe,
                "remove partitioning".into(),
            )]
        }
        (Some(a), Some(b)) => (a, b),
    };
    let same_scheme = a.kind == b.kind
        && a.linear == b.linear
        && a.by_columns == b.by_columns
        && a.columns == b.columns
        && a.expr == b.expr
        && a.sub == b.sub
        && matches!(a.kind, PartitionKind::Range | PartitionKind::List);
    let named =
        |p: &Partitioning, n: &str| p.partitions.iter().any(|x| x.name.eq_ignore_ascii_case(n));
    let kept: Vec<&Partition> = a.partitions.iter().filter(|x| named(b, &x.name)).collect();
    let added: Vec<Partition> = b
        .partitions
        .iter()
        .filter(|x| !named(a, &x.name))
        .cloned()
        .collect();
    let in_place = same_scheme
        && b.partitions.len() == kept.len() + added.len()
        && b.partitions
            .iter()
            .zip(kept.iter().copied().chain(&added))
            .all(|(x, y)| x == y);
    if !in_place {
        return vec![by(b)];
    }
    let mut out = Vec::new();
    let dropped: Vec<String> = a
        .partitions
        .iter()
        .filter(|x| !named(b, &x.name))
        .map(|x| x.name.clone())
        .collect();
    if !dropped.is_empty() {
        let list = dropped.join("`, `");
        out.push((
            AlterClause::DropPartitions { names: dropped },
            Safety::Destructive {
                reason: format!("deletes the rows in partition(s) `{list}`"),
            },
            format!("drop partition(s) `{list}`"),
        ));
    }
    if !added.is_empty() {
        let list = added
            .iter()
            .map(|x| x.name.as_str())
            .collect::<Vec<_>>()
            .join("`, `");
        out.push((
            AlterClause::AddPartitions { partitions: added },
            Safety::Safe,
            format!("add partition(s) `{list}`"),
        ));
    }
    out
}

/// Whether a column change alters what foreign keys compare (type, charset, collation).
fn changes_key_type(from: &Column, to: &Column) -> bool {
    from.ty != to.ty || from.charset != to.charset || from.collation != to.collation
}

fn options_change(from: &TableOptions, to: &TableOptions) -> OptionsChange {
    let mut oc = OptionsChange::default();
    if from.engine != to.engine {
        oc.engine = to.engine.clone();
    }
    if from.charset != to.charset || from.collation != to.collation {
        if let (Some(cs), Some(coll)) = (&to.charset, &to.collation) {
            oc.charset = Some((cs.clone(), coll.clone()));
        }
    }
    if from.row_format != to.row_format {
        oc.row_format = Some(to.row_format.clone().unwrap_or_else(|| "DEFAULT".into()));
    }
    if from.comment != to.comment {
        oc.comment = Some(to.comment.clone().unwrap_or_default());
    }
    for (k, v) in &to.other {
        if from.other.get(k) != Some(v) {
            oc.other.insert(k.clone(), v.clone());
        }
    }
    for k in from.other.keys() {
        if !to.other.contains_key(k) {
            oc.other.insert(k.clone(), "DEFAULT".into());
        }
    }
    oc
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
}

impl Work {
    fn keep(
        &mut self,
        object: ObjectRef,
        summary: &str,
        safety: &Safety,
        opts: PlanOptions,
    ) -> bool {
        match safety {
            Safety::Destructive { reason } if !opts.allow_destructive => {
                self.left_out.push(LeftOut {
                    object,
                    summary: summary.to_string(),
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
    let mut w = Work::default();
    let mut retyped: Vec<(String, String)> = Vec::new();
    let mut held: Vec<(String, String)> = Vec::new();
    for change in changes {
        match change {
            Change::CreateTable { table } => w.creates.push(table.clone()),
            Change::DropTable { table } => {
                let s = Safety::Destructive {
                    reason: "drops the table and all its rows".into(),
                };
                if w.keep(
                    table_ref(&table.name),
                    &format!("drop table `{}`", table.name),
                    &s,
                    opts,
                ) {
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
                if w.keep(
                    view_ref(&view.name),
                    &format!("drop view `{}`", view.name),
                    &s,
                    opts,
                ) {
                    w.view_drops.push((view.name.clone(), s));
                }
            }
            Change::AlterTable { table, changes } => {
                let want = &desired.tables[table];
                for tc in changes {
                    let summary = describe(tc);
                    let (clause, safety) = match tc {
                        TableChange::DropForeignKey { fk } => {
                            w.fk_drops
                                .entry(table.clone())
                                .or_default()
                                .push(fk.clone());
                            continue;
                        }
                        TableChange::AddForeignKey { fk } => {
                            w.fk_adds.entry(table.clone()).or_default().push(fk.clone());
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
                            let safety = Safety::from_reasons(reasons);
                            if w.keep(table_ref(table), &summary, &safety, opts) {
                                w.body.entry(table.clone()).or_default().extend(parts);
                            }
                            continue;
                        }
                        TableChange::DropColumn { column } => (
                            AlterClause::DropColumn {
                                name: column.name.clone(),
                            },
                            Safety::Destructive {
                                reason: format!("drops column `{}` and its data", column.name),
                            },
                        ),
                        TableChange::AddColumn { column, position } => (
                            AlterClause::AddColumn {
                                column: column.clone(),
                                position: position.clone(),
                            },
                            Safety::Safe,
                        ),
                        TableChange::ModifyColumn { from, to, position } => {
                            let s = safety::column_change(from, to, want);
                            if changes_key_type(from, to) {
                                if !s.is_destructive() || opts.allow_destructive {
                                    retyped.push((table.clone(), to.name.clone()));
                                } else {
                                    held.push((table.clone(), to.name.clone()));
                                }
                            }
                            (
                                AlterClause::ModifyColumn {
                                    column: to.clone(),
                                    position: position.clone(),
                                },
                                s,
                            )
                        }
                        TableChange::DropIndex { index } => (
                            AlterClause::DropIndex {
                                name: index.name.clone(),
                            },
                            Safety::Safe,
                        ),
                        TableChange::AddIndex { index } => (
                            AlterClause::AddIndex {
                                index: index.clone(),
                            },
                            Safety::Safe,
                        ),
                        TableChange::DropCheck { check } => (
                            AlterClause::DropCheck {
                                name: check.name.clone(),
                            },
                            Safety::Safe,
                        ),
                        TableChange::AddCheck { check } => (
                            AlterClause::AddCheck {
                                check: check.clone(),
                            },
                            Safety::Safe,
                        ),
                        TableChange::Options { from, to } => (
                            AlterClause::Options {
                                options: options_change(from, to),
                            },
                            Safety::Safe,
                        ),
                    };
                    if w.keep(table_ref(table), &summary, &safety, opts) {
                        w.body
                            .entry(table.clone())
                            .or_default()
                            .push((clause, safety, summary));
                    }
                }
            }
        }
    }
    hold_back_foreign_key_partners(current, desired, &mut retyped, held, &mut w);
    cycle_foreign_keys_around_retyped_columns(current, desired, &retyped, &mut w);
    w.retyped = retyped;
    let plan = order(w);
    simulate::check(current, desired, changes, &plan)?;
    Ok(plan)
}

/// The steps that take the objects a plan touches back to where they were: the plan's
/// rollback. Every change is included; the destructive ones are where data cannot come back.
pub fn rollback(current: &Schema, plan: &Plan) -> Result<Plan, PlanError> {
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
        },
    )
}

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
fn fk_pairs<'a>(
    fk: &'a ForeignKey,
    owner: &'a str,
) -> impl Iterator<Item = [(&'a str, &'a str); 2]> + 'a {
    fk.columns
        .iter()
        .zip(&fk.ref_columns)
        .map(move |(c, r)| [(owner, c.as_str()), (fk.ref_table.as_str(), r.as_str())])
}

fn is_in(set: &[(String, String)], (t, c): (&str, &str)) -> bool {
    set.iter().any(|(a, b)| a == t && b.eq_ignore_ascii_case(c))
}

/// Columns tied by a foreign key must keep matching types. When one side's type change is
/// left out (destructive, not allowed), the other side's change waits too, and foreign keys
/// that need the left-out type are not added: each is listed as left out with the reason.
fn hold_back_foreign_key_partners(
    current: &Schema,
    desired: &Schema,
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
            let summary = format!("change column `{column}`");
            if let Some(body) = w.body.get_mut(&table) {
                body.retain(|(clause, _, _)| !matches!(clause, AlterClause::ModifyColumn { column: c, .. } if c.name == column));
            }
            w.left_out.push(LeftOut {
                object: table_ref(&table),
                summary,
                reason: format!("waits for the left-out change of `{ot}`.`{oc}`, which a foreign key ties it to"),
            });
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
                left.push((name.clone(), fk.name.clone(), col));
                false
            }
            None => true,
        });
    }
    for (owner, fks) in &mut w.fk_adds {
        fks.retain(|fk| match blocked(fk, owner) {
            Some(col) => {
                left.push((owner.clone(), fk.name.clone(), col));
                false
            }
            None => true,
        });
    }
    for (table, fk, col) in left {
        w.left_out.push(LeftOut {
            object: table_ref(&table),
            summary: format!("add foreign key `{fk}`"),
            reason: format!("needs the left-out type change of {col}"),
        });
    }
}

/// A column's type cannot change while a foreign key uses it (on either side): such keys are
/// dropped before and added back after.
/// Tables whose engine changes in phase 4.
fn re_engined(w: &Work) -> BTreeSet<String> {
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

fn cycle_foreign_keys_around_retyped_columns(
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
    for (owner, table) in &current.tables {
        // A table dropped in phase 7 still holds its keys while phase 4 retypes columns: the
        // server refuses the retype, so its keys to them go first (and never come back).
        let dropped = w.drops.iter().any(|d| &d.name == owner);
        for fk in table.foreign_keys.iter().filter(|fk| uses(fk, owner)) {
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
/// reset in the same one, they stay (seen on MariaDB 10.11). Those resets move to a step of
/// their own.
fn split_engine_resets(mut clauses: Vec<Clause>) -> (Vec<Clause>, Option<Clause>) {
    let mut resets = BTreeMap::new();
    for (clause, _, _) in &mut clauses {
        if let AlterClause::Options { options } = clause {
            if options.engine.is_some() {
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

fn fk_step(table: &str, fks: Vec<ForeignKey>, add: bool) -> Step {
    let clauses = fks
        .into_iter()
        .map(|fk| {
            if add {
                let d = format!("add foreign key `{}`", fk.name);
                (AlterClause::AddForeignKey { fk }, Safety::Safe, d)
            } else {
                let d = format!("drop foreign key `{}`", fk.name);
                (
                    AlterClause::DropForeignKey { name: fk.name },
                    Safety::Safe,
                    d,
                )
            }
        })
        .collect();
    alter_step(table, clauses)
}

fn order(mut w: Work) -> Plan {
    let mut steps = Vec::new();
    // 1. views that are gone
    for (name, safety) in std::mem::take(&mut w.view_drops) {
        steps.push(Step {
            object: view_ref(&name),
            summary: vec![format!("drop view `{name}`")],
            action: Action::DropView { view: name },
            safety,
        });
    }
    // 7 (planned now, emitted last): tables that are gone, referencing tables first.
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
    // 2. foreign keys that go or must step aside
    for (table, fks) in std::mem::take(&mut w.fk_drops) {
        steps.push(fk_step(&table, fks, false));
    }
    // 3. new tables, referenced ones first
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
    // Tables changing engine in phase 4 (e.g. Aria to InnoDB) cannot be referenced before.
    let re_engined = re_engined(&w);
    for name in create_order {
        let Some(mut table) = w.creates.iter().find(|t| t.name == name).cloned() else {
            continue;
        };
        let (deferred, inline): (Vec<ForeignKey>, Vec<ForeignKey>) =
            table.foreign_keys.drain(..).partition(|f| {
                cycles.iter().any(|(a, b)| *a == name && *b == f.ref_table)
                    || fk_pairs(f, &name).any(|[_, r]| is_in(&w.retyped, r))
                    || re_engined.contains(&f.ref_table)
            });
        table.foreign_keys = inline;
        if !deferred.is_empty() {
            w.fk_adds.entry(name.clone()).or_default().extend(deferred);
        }
        steps.push(Step {
            object: table_ref(&name),
            summary: vec![format!("create table `{name}`")],
            action: Action::CreateTable { table },
            safety: Safety::Safe,
        });
    }
    // 4. table bodies, referenced tables first. A foreign key the table gains joins its
    // statement when what it references is final by then (its table has no statement here,
    // or an earlier one): adding one copies the table, so the table is rebuilt once.
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
                let d = format!("add foreign key `{}`", fk.name);
                clauses.push((AlterClause::AddForeignKey { fk }, Safety::Safe, d));
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
        if !rest.is_empty() {
            steps.push(alter_step(&table, rest));
        }
        steps.extend(parts.into_iter().map(|p| alter_step(&table, vec![p])));
        done.insert(table.clone());
        if let Some(resets) = after_engine {
            steps.push(alter_step(&table, vec![resets]));
        }
    }
    // 5. foreign keys
    for (table, fks) in std::mem::take(&mut w.fk_adds) {
        steps.push(fk_step(&table, fks, true));
    }
    // 6. views, after what they read
    let names: BTreeSet<String> = w.view_creates.iter().map(|(v, _)| v.name.clone()).collect();
    let vdeps = w
        .view_creates
        .iter()
        .map(|(v, _)| (v.name.clone(), v.depends_on.iter().cloned().collect()))
        .collect();
    for name in topological(&names, &vdeps).0 {
        if let Some((view, replace)) = w.view_creates.iter().find(|(v, _)| v.name == name).cloned()
        {
            let verb = if replace { "replace" } else { "create" };
            steps.push(Step {
                object: view_ref(&name),
                summary: vec![format!("{verb} view `{name}`")],
                action: Action::CreateView { view, replace },
                safety: Safety::Safe,
            });
        }
    }
    // 7. tables that are gone
    for name in drop_order {
        steps.push(Step {
            object: table_ref(&name),
            summary: vec![format!("drop table `{name}`")],
            action: Action::DropTable { table: name },
            safety: Safety::Destructive {
                reason: "drops the table and all its rows".into(),
            },
        });
    }
    Plan {
        steps,
        left_out: w.left_out,
    }
}
