//! Apply a plan's steps to a copy of the current model, the way the server would, and check
//! that what remains different from the desired model is exactly what the plan left out.

use super::{Action, AlterClause, ObjectKind, ObjectRef, Plan, PlanError, Step};
use crate::diff::{diff, programs, Change, TableChange};
use crate::model::*;
use std::collections::BTreeSet;

fn insert_at(columns: &mut Vec<Column>, column: Column, position: &Position) {
    let at = match position {
        Position::First => 0,
        Position::After(name) => columns
            .iter()
            .position(|c| c.name.eq_ignore_ascii_case(name))
            .map_or(columns.len(), |i| i + 1),
    };
    columns.insert(at, column);
}

fn apply_clause(t: &mut Table, clause: &AlterClause) {
    match clause {
        AlterClause::DropForeignKey { name } => t.foreign_keys.retain(|f| &f.name != name),
        AlterClause::DropIndex { name } => t.indexes.retain(|i| &i.name != name),
        AlterClause::DropCheck { name } => t.checks.retain(|c| &c.name != name),
        AlterClause::DropColumn { name } => {
            t.columns.retain(|c| !c.name.eq_ignore_ascii_case(name));
            // The server removes the column from every key, and drops keys left empty.
            for ix in &mut t.indexes {
                ix.parts.retain(
                    |p| !matches!(&p.target, KeyTarget::Column(c) if c.eq_ignore_ascii_case(name)),
                );
            }
            t.indexes.retain(|i| !i.parts.is_empty());
        }
        AlterClause::AddColumn { column, position } => {
            insert_at(&mut t.columns, column.clone(), position)
        }
        AlterClause::ModifyColumn { column, position } => {
            let Some(i) = t
                .columns
                .iter()
                .position(|c| c.name.eq_ignore_ascii_case(&column.name))
            else {
                return;
            };
            match position {
                None => t.columns[i] = column.clone(),
                Some(p) => {
                    t.columns.remove(i);
                    insert_at(&mut t.columns, column.clone(), p);
                }
            }
        }
        AlterClause::RenameColumn { from, to } => {
            // The server renames the column in the table's keys and foreign keys too.
            let same = |n: &String| n.eq_ignore_ascii_case(from);
            for c in t.columns.iter_mut().filter(|c| same(&c.name)) {
                c.name = to.clone();
            }
            for ix in &mut t.indexes {
                for p in &mut ix.parts {
                    if let KeyTarget::Column(c) = &mut p.target {
                        if same(c) {
                            *c = to.clone();
                        }
                    }
                }
            }
            for fk in &mut t.foreign_keys {
                fk.columns
                    .iter_mut()
                    .filter(|c| same(c))
                    .for_each(|c| *c = to.clone());
            }
        }
        AlterClause::AddPartitions { partitions } => {
            if let Some(p) = &mut t.options.partitioning {
                p.partitions.extend(partitions.iter().cloned());
            }
        }
        AlterClause::DropPartitions { names } => {
            if let Some(p) = &mut t.options.partitioning {
                p.partitions
                    .retain(|x| !names.iter().any(|n| n.eq_ignore_ascii_case(&x.name)));
            }
        }
        AlterClause::PartitionBy { partitioning } => {
            t.options.partitioning = Some(Box::new(partitioning.clone()))
        }
        AlterClause::RemovePartitioning { .. } => t.options.partitioning = None,
        AlterClause::AddSystemVersioning => t.system_versioned = true,
        AlterClause::DropSystemVersioning => t.system_versioned = false,
        AlterClause::KeepHistory => {}
        AlterClause::AddIndex { index } => t.indexes.push(index.clone()),
        AlterClause::AddCheck { check } => t.checks.push(check.clone()),
        AlterClause::AddForeignKey { fk } => t.foreign_keys.push(fk.clone()),
        AlterClause::Options { options } => {
            let o = &mut t.options;
            if let Some(e) = &options.engine {
                o.engine = Some(e.clone());
            }
            if let Some((cs, coll)) = &options.charset {
                o.charset = Some(cs.clone());
                o.collation = Some(coll.clone());
            }
            if let Some(r) = &options.row_format {
                o.row_format = (r != "DEFAULT").then(|| r.clone());
            }
            if let Some(c) = &options.comment {
                o.comment = (!c.is_empty()).then(|| c.clone());
            }
            for (k, v) in &options.other {
                if v == "DEFAULT" {
                    o.other.remove(k);
                } else {
                    o.other.insert(k.clone(), v.clone());
                }
            }
        }
    }
}

pub fn apply(schema: &mut Schema, step: &Step) {
    match &step.action {
        Action::CreateTable { table } => {
            schema.tables.insert(table.name.clone(), table.clone());
        }
        Action::DropTable { table } => {
            schema.tables.remove(table);
        }
        Action::AlterTable { table, clauses } => {
            if let Some(t) = schema.tables.get_mut(table) {
                clauses.iter().for_each(|c| apply_clause(t, c));
            }
            // Foreign keys elsewhere that name a renamed column follow it.
            for c in clauses {
                if let AlterClause::RenameColumn { from, to } = c {
                    for t in schema.tables.values_mut() {
                        for fk in t.foreign_keys.iter_mut().filter(|f| &f.ref_table == table) {
                            fk.ref_columns
                                .iter_mut()
                                .filter(|c| c.eq_ignore_ascii_case(from))
                                .for_each(|c| *c = to.clone());
                        }
                    }
                }
            }
        }
        Action::RenameTable { from, to } => {
            if let Some(mut t) = schema.tables.remove(from) {
                t.name = to.clone();
                schema.tables.insert(to.clone(), t);
            }
            // InnoDB points foreign keys at the new name; views keep the old one.
            for t in schema.tables.values_mut() {
                for fk in t.foreign_keys.iter_mut().filter(|f| &f.ref_table == from) {
                    fk.ref_table = to.clone();
                }
            }
        }
        Action::CreateView { view, .. } => {
            schema.views.insert(view.name.clone(), view.clone());
        }
        Action::DropView { view } => {
            schema.views.remove(view);
        }
        Action::CreateSequence { sequence } | Action::AlterSequence { sequence } => {
            schema
                .sequences
                .insert(sequence.name.clone(), sequence.clone());
        }
        Action::DropSequence { sequence } => {
            schema.sequences.remove(sequence);
        }
        Action::CreateProgram { program, .. } => programs::put(schema, program.clone()),
        Action::DropProgram { kind, name } => programs::remove(schema, *kind, name),
    }
}

/// The fingerprint of the schema before the steps, then after each step: how an apply that
/// stopped half way tells how far it got. Only the object a step touches is replayed and
/// re-digested.
pub fn checkpoints(current: &Schema, steps: &[Step]) -> Vec<String> {
    let mut sum = current.fingerprint_sum();
    let mut sim = Schema::default();
    let mut loaded = BTreeSet::new();
    let mut out = Vec::with_capacity(steps.len() + 1);
    out.push(sum.finish());
    let digest = |s: &Schema, o: &ObjectRef| s.digest_of(o.kind, &o.name);
    for step in steps {
        let objects = touched(step, &sim, &loaded, current);
        for o in &objects {
            // Each object is copied in once, as it is before the first step that touches it.
            if loaded.insert(o.clone()) {
                match o.kind {
                    ObjectKind::Table => {
                        if let Some(t) = current.tables.get(&o.name) {
                            sim.tables.insert(o.name.clone(), t.clone());
                        }
                    }
                    ObjectKind::View => {
                        if let Some(v) = current.views.get(&o.name) {
                            sim.views.insert(o.name.clone(), v.clone());
                        }
                    }
                    ObjectKind::Sequence => {
                        if let Some(s) = current.sequences.get(&o.name) {
                            sim.sequences.insert(o.name.clone(), s.clone());
                        }
                    }
                    _ => {
                        if let Some(p) = programs::program(current, o.kind, &o.name) {
                            programs::put(&mut sim, p);
                        }
                    }
                }
            }
            if let Some(d) = digest(&sim, o) {
                sum.remove(o.kind, &o.name, &d);
            }
        }
        apply(&mut sim, step);
        for o in &objects {
            if let Some(d) = digest(&sim, o) {
                sum.add(o.kind, &o.name, &d);
            }
        }
        out.push(sum.finish());
    }
    out
}

/// The objects a step changes: its own, and for a rename the old name and the tables whose
/// foreign keys follow it. `sim` holds the `loaded` objects; the others are as in `current`.
fn touched(
    step: &Step,
    sim: &Schema,
    loaded: &BTreeSet<ObjectRef>,
    current: &Schema,
) -> Vec<ObjectRef> {
    let table = |name: &str| ObjectRef {
        kind: ObjectKind::Table,
        name: name.to_string(),
    };
    let mut out = vec![step.object.clone()];
    let parent = match &step.action {
        Action::RenameTable { from, .. } => {
            out.push(table(from));
            from.as_str()
        }
        Action::AlterTable { table: t, clauses }
            if clauses
                .iter()
                .any(|c| matches!(c, AlterClause::RenameColumn { .. })) =>
        {
            t.as_str()
        }
        _ => return out,
    };
    let names: BTreeSet<&String> = sim.tables.keys().chain(current.tables.keys()).collect();
    for name in names {
        let t = match loaded.contains(&table(name)) {
            true => sim.tables.get(name),
            false => current.tables.get(name),
        };
        if t.is_some_and(|t| t.foreign_keys.iter().any(|f| f.ref_table == parent)) {
            out.push(table(name));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// What a difference is about, without the definitions: the simulation check compares these,
/// so a change left out matches what remains of it however it is described.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ChangeKey {
    pub object: ObjectRef,
    pub kind: KeyKind,
    /// The column, index, constraint, or the object itself.
    pub item: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum KeyKind {
    CreateTable,
    DropTable,
    AddColumn,
    DropColumn,
    /// A column changed, moved, or both.
    ModifyColumn,
    AddIndex,
    DropIndex,
    AddForeignKey,
    DropForeignKey,
    AddCheck,
    DropCheck,
    Options,
    Partitioning,
    Periods,
    SystemVersioning,
    CreateView,
    ReplaceView,
    DropView,
    CreateSequence,
    AlterSequence,
    DropSequence,
    CreateProgram,
    ReplaceProgram,
    DropProgram,
}

fn table_key(tc: &TableChange) -> (KeyKind, &str) {
    use KeyKind as K;
    match tc {
        TableChange::AddColumn { column, .. } => (K::AddColumn, &column.name),
        TableChange::DropColumn { column } => (K::DropColumn, &column.name),
        TableChange::ModifyColumn { to, .. } => (K::ModifyColumn, &to.name),
        TableChange::AddIndex { index } => (K::AddIndex, &index.name),
        TableChange::DropIndex { index } => (K::DropIndex, &index.name),
        TableChange::AddForeignKey { fk } => (K::AddForeignKey, &fk.name),
        TableChange::DropForeignKey { fk } => (K::DropForeignKey, &fk.name),
        TableChange::AddCheck { check } => (K::AddCheck, &check.name),
        TableChange::DropCheck { check } => (K::DropCheck, &check.name),
        TableChange::Options { .. } => (K::Options, ""),
        TableChange::Partitioning { .. } => (K::Partitioning, ""),
        TableChange::Periods { .. } => (K::Periods, ""),
        TableChange::SystemVersioning { .. } => (K::SystemVersioning, ""),
    }
}

/// Every difference as a typed key.
pub fn keys<'a>(changes: impl IntoIterator<Item = &'a Change>) -> BTreeSet<ChangeKey> {
    let key = |kind, name: &str, k, item: &str| ChangeKey {
        object: ObjectRef {
            kind,
            name: name.to_string(),
        },
        kind: k,
        item: item.to_string(),
    };
    let (table, view, sequence) = (ObjectKind::Table, ObjectKind::View, ObjectKind::Sequence);
    let mut out = BTreeSet::new();
    for c in changes {
        match c {
            Change::CreateTable { table: t } => {
                out.insert(key(table, &t.name, KeyKind::CreateTable, &t.name));
            }
            Change::DropTable { table: t } => {
                out.insert(key(table, &t.name, KeyKind::DropTable, &t.name));
            }
            Change::AlterTable { table: t, changes } => {
                for tc in changes {
                    let (k, item) = table_key(tc);
                    out.insert(key(table, t, k, item));
                }
            }
            Change::CreateView { view: v } => {
                out.insert(key(view, &v.name, KeyKind::CreateView, &v.name));
            }
            Change::ReplaceView { to, .. } => {
                out.insert(key(view, &to.name, KeyKind::ReplaceView, &to.name));
            }
            Change::DropView { view: v } => {
                out.insert(key(view, &v.name, KeyKind::DropView, &v.name));
            }
            Change::CreateSequence { sequence: s } => {
                out.insert(key(sequence, &s.name, KeyKind::CreateSequence, &s.name));
            }
            Change::AlterSequence { to: s, .. } => {
                out.insert(key(sequence, &s.name, KeyKind::AlterSequence, &s.name));
            }
            Change::DropSequence { sequence: s } => {
                out.insert(key(sequence, &s.name, KeyKind::DropSequence, &s.name));
            }
            Change::CreateProgram { program: p } => {
                out.insert(key(p.kind(), p.name(), KeyKind::CreateProgram, p.name()));
            }
            Change::ReplaceProgram { to: p, .. } => {
                out.insert(key(p.kind(), p.name(), KeyKind::ReplaceProgram, p.name()));
            }
            Change::DropProgram { program: p } => {
                out.insert(key(p.kind(), p.name(), KeyKind::DropProgram, p.name()));
            }
        }
    }
    out
}

/// The objects of `schema` named in `touched`, with the database defaults.
pub fn subset(schema: &Schema, touched: &BTreeSet<&ObjectRef>) -> Schema {
    let is_touched = |kind, name: &String| {
        touched.contains(&ObjectRef {
            kind,
            name: name.clone(),
        })
    };
    Schema {
        charset: schema.charset.clone(),
        collation: schema.collation.clone(),
        lower_case_names: schema.lower_case_names,
        aria_checksums_off: schema.aria_checksums_off,
        tables: schema
            .tables
            .iter()
            .filter(|(n, _)| is_touched(ObjectKind::Table, n))
            .map(|(n, t)| (n.clone(), t.clone()))
            .collect(),
        views: schema
            .views
            .iter()
            .filter(|(n, _)| is_touched(ObjectKind::View, n))
            .map(|(n, v)| (n.clone(), v.clone()))
            .collect(),
        sequences: schema
            .sequences
            .iter()
            .filter(|(n, _)| is_touched(ObjectKind::Sequence, n))
            .map(|(n, s)| (n.clone(), s.clone()))
            .collect(),
        ..programs::subset(schema, |kind, name| is_touched(kind, &name.to_string()))
    }
}

/// The simulation check: run on every plan before anyone sees it. Only the objects the
/// steps touch are copied and replayed; the others keep the differences the diff found.
pub fn check(
    current: &Schema,
    desired: &Schema,
    changes: &[Change],
    plan: &Plan,
) -> Result<(), PlanError> {
    let touched: BTreeSet<&ObjectRef> = plan.steps.iter().map(|s| &s.object).collect();
    let pick = |s: &Schema| subset(s, &touched);
    let mut sim = pick(current);
    for step in &plan.steps {
        apply(&mut sim, step);
    }
    let mut remaining = keys(&diff(&sim, &pick(desired)));
    remaining.extend(
        keys(changes)
            .into_iter()
            .filter(|k| !touched.contains(&k.object)),
    );
    let left_out = keys(plan.left_out.iter().map(|l| &l.change));
    if remaining == left_out {
        return Ok(());
    }
    let extra: Vec<String> = remaining
        .symmetric_difference(&left_out)
        .map(|k| {
            format!(
                "{}: {:?} {}",
                k.object.kind.label(&k.object.name),
                k.kind,
                crate::sql::quote::ident(&k.item)
            )
        })
        .collect();
    Err(PlanError::DoesNotConverge(extra.join(", ")))
}
