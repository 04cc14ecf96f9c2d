//! The document built from a plan: what differs, and each step (and rollback step) with
//! what `plan` decided about it (`plan::finish`) and its SQL, as render writes it.

use super::account::{account, accounts};
use super::{
    ChangeKind, DocStep, Fingerprints, LeftOut, ObjectDiff, PlanDocument, Sources, FORMAT,
};
use crate::diff::Change;
use crate::flavor::Flavor;
use crate::model::{Schema, Sizes, Table, View};
use crate::plan::finish::{finish, Decided, Setting};
use crate::plan::osc::Policy;
use crate::plan::{Action, ObjectKind, ObjectRef, Plan, Step};
use crate::source::Shown;
use crate::sql::ddl;
use crate::sql::{osc, steps as sql};
use std::collections::BTreeMap;

pub struct Context<'a> {
    pub flavor: Flavor,
    /// None when no rollback could be planned (the reason is among the warnings).
    pub rollback: Option<&'a Plan>,
    pub canonical: Vec<String>,
    pub target: Shown,
    pub allow_destructive: bool,
    pub ignore: Vec<String>,
    pub warnings: Vec<String>,
    pub current: &'a Schema,
    /// The current schema as the plan's renames leave it: what `changes` were made from.
    pub renamed: &'a Schema,
    pub desired: &'a Schema,
    pub sizes: &'a Sizes,
    pub assert_online: bool,
    /// When big rebuilds go to an online schema change tool.
    pub osc: &'a Policy,
}

fn left_out(l: &crate::plan::LeftOut) -> LeftOut {
    LeftOut {
        object: l.object.clone(),
        summary: account(&l.change),
        reason: l.reason.clone(),
    }
}

fn table_text(t: Option<&Table>, f: Flavor) -> Option<String> {
    t.map(|t| ddl::create_table(t, f))
}

fn view_text(v: Option<&View>) -> Option<String> {
    v.map(|v| ddl::create_view(v, false))
}

/// One entry per differing object, with what differs in it.
pub fn objects(
    changes: &[Change],
    current: &Schema,
    desired: &Schema,
    flavor: Flavor,
) -> Vec<ObjectDiff> {
    let details = accounts(changes);
    changes
        .iter()
        .map(|c| {
            let (kind, name, change) = match c {
                Change::CreateTable { table } => {
                    (ObjectKind::Table, &table.name, ChangeKind::Create)
                }
                Change::DropTable { table } => (ObjectKind::Table, &table.name, ChangeKind::Drop),
                Change::AlterTable { table, .. } => (ObjectKind::Table, table, ChangeKind::Alter),
                Change::CreateView { view } => (ObjectKind::View, &view.name, ChangeKind::Create),
                Change::DropView { view } => (ObjectKind::View, &view.name, ChangeKind::Drop),
                Change::ReplaceView { to, .. } => (ObjectKind::View, &to.name, ChangeKind::Replace),
                Change::CreateSequence { sequence } => {
                    (ObjectKind::Sequence, &sequence.name, ChangeKind::Create)
                }
                Change::DropSequence { sequence } => {
                    (ObjectKind::Sequence, &sequence.name, ChangeKind::Drop)
                }
                Change::AlterSequence { to, .. } => {
                    (ObjectKind::Sequence, &to.name, ChangeKind::Alter)
                }
                Change::CreateProgram { program: p } => {
                    (p.kind(), &p.name().to_string(), ChangeKind::Create)
                }
                Change::DropProgram { program: p } => {
                    (p.kind(), &p.name().to_string(), ChangeKind::Drop)
                }
                Change::ReplaceProgram { to: p, .. } => {
                    (p.kind(), &p.name().to_string(), ChangeKind::Replace)
                }
            };
            let object = ObjectRef {
                kind,
                name: name.clone(),
            };
            let (cur, want, origin) = match kind {
                ObjectKind::Table => {
                    let (c, d) = (current.tables.get(name), desired.tables.get(name));
                    (
                        table_text(c, flavor),
                        table_text(d, flavor),
                        d.or(c).and_then(|t| t.origin.clone()),
                    )
                }
                ObjectKind::View => {
                    let (c, d) = (current.views.get(name), desired.views.get(name));
                    (
                        view_text(c),
                        view_text(d),
                        d.or(c).and_then(|v| v.origin.clone()),
                    )
                }
                ObjectKind::Sequence => {
                    let (c, d) = (current.sequences.get(name), desired.sequences.get(name));
                    (
                        c.map(crate::sql::sequence::create_sequence),
                        d.map(crate::sql::sequence::create_sequence),
                        d.or(c).and_then(|s| s.origin.clone()),
                    )
                }
                // The whole CREATE statement of each side: the review's unified diff shows
                // the body's lines that changed.
                _ => {
                    let text = |s: &Schema| {
                        crate::diff::programs::program(s, kind, name)
                            .map(|p| crate::sql::program_steps::create_program(&p, false, None))
                    };
                    let origin = crate::diff::programs::program(desired, kind, name)
                        .or_else(|| crate::diff::programs::program(current, kind, name))
                        .and_then(|p| p.origin().cloned());
                    (text(current), text(desired), origin)
                }
            };
            ObjectDiff {
                details: details
                    .iter()
                    .filter(|(o, _)| *o == object)
                    .map(|(_, d)| d.clone())
                    .collect(),
                object,
                change,
                current: cur,
                canonical: want,
                origin,
            }
        })
        .collect()
}

/// The plan's renames in the review: on the renamed table's entry (made if the rename is its
/// only change), whose current definition is the one under the old name.
fn with_renames(mut objects: Vec<ObjectDiff>, steps: &[Step], ctx: &Context) -> Vec<ObjectDiff> {
    let mut old_names = std::collections::BTreeMap::new();
    for s in steps {
        let (table, details) = match &s.action {
            Action::RenameTable { from, to } => {
                old_names.insert(to.clone(), from.clone());
                (to, s.summary.clone())
            }
            Action::AlterTable { table, clauses }
                if clauses
                    .iter()
                    .all(|c| matches!(c, crate::plan::AlterClause::RenameColumn { .. })) =>
            {
                (table, s.summary.clone())
            }
            _ => continue,
        };
        let old = old_names.get(table).unwrap_or(table);
        let current = table_text(ctx.current.tables.get(old), ctx.flavor);
        match objects
            .iter_mut()
            .find(|o| o.object.kind == ObjectKind::Table && &o.object.name == table)
        {
            Some(o) => {
                o.details.splice(0..0, details);
                o.current = current;
            }
            None => objects.push(ObjectDiff {
                object: s.object.clone(),
                change: ChangeKind::Alter,
                details,
                current,
                canonical: table_text(ctx.desired.tables.get(table), ctx.flavor),
                origin: ctx.desired.tables.get(table).and_then(|t| t.origin.clone()),
            }),
        }
    }
    objects
}

/// Each decided step as the document records it, numbered from 1.
fn doc_steps(decided: Vec<Decided>, flavor: Flavor) -> Vec<DocStep> {
    decided
        .into_iter()
        .enumerate()
        .map(|(i, d)| DocStep {
            id: i + 1,
            object: d.step.object.clone(),
            summary: d.step.summary.clone(),
            safety: d.step.safety.clone(),
            sql: sql::planned(d.step, d.online.as_ref().filter(|_| d.asserted), flavor),
            after: d.after,
            guard: d.guard,
            privileges: d.privileges,
            osc: d.tool.and_then(|t| osc::command(d.step, &t, flavor)),
            online: d.online,
            action: Some(d.step.action.clone()),
        })
        .collect()
}

pub fn build(plan: &Plan, changes: &[Change], mut ctx: Context) -> PlanDocument {
    let back: &[Step] = ctx.rollback.map_or(&[], |r| &r.steps);
    let setting = Setting {
        flavor: ctx.flavor,
        current: ctx.current,
        renamed: ctx.renamed,
        sizes: ctx.sizes,
        assert_online: ctx.assert_online,
        osc: ctx.osc,
    };
    let finished = finish(&plan.steps, back, &setting);
    let sizes: Sizes = plan
        .steps
        .iter()
        .filter_map(|s| Some((s.object.name.clone(), *ctx.sizes.get(&s.object.name)?)))
        .collect();
    let fingerprints = Fingerprints {
        current: finished.start,
        desired: ctx.desired.fingerprint(),
    };
    let steps = doc_steps(finished.steps, ctx.flavor);
    let rollback = doc_steps(finished.rollback, ctx.flavor);
    let assert_online = ctx.assert_online;
    ctx.warnings.extend(finished.warnings);
    // The review part is what `check` reports; the plan adds its steps to it.
    PlanDocument {
        fingerprints,
        start: super::start_digests(ctx.current),
        assert_online,
        sizes,
        steps,
        left_out: plan.left_out.iter().map(left_out).collect(),
        rollback,
        ..drift_only(&plan.steps, changes, ctx)
    }
}

/// What `check` reports: the objects that differ (renames noted on them) and the warnings;
/// no steps, checkpoints or rollback, which only a plan needs.
pub fn drift_only(renames: &[Step], changes: &[Change], ctx: Context) -> PlanDocument {
    let objects = with_renames(
        objects(changes, ctx.renamed, ctx.desired, ctx.flavor),
        renames,
        &ctx,
    );
    PlanDocument {
        format: FORMAT,
        canon_version: env!("CARGO_PKG_VERSION").to_string(),
        flavor: ctx.flavor.to_string(),
        source: Sources {
            canonical: ctx.canonical,
            target: ctx.target,
            databases: Vec::new(),
        },
        fingerprints: Fingerprints {
            current: String::new(),
            desired: String::new(),
        },
        allow_destructive: ctx.allow_destructive,
        assert_online: false,
        sizes: Sizes::new(),
        ignore: ctx.ignore,
        compat_views: crate::compat::compat_views(ctx.renamed, ctx.desired),
        objects,
        start: BTreeMap::new(),
        steps: Vec::new(),
        left_out: Vec::new(),
        rollback: Vec::new(),
        warnings: ctx.warnings,
        approvals: Vec::new(),
        data_checks: Vec::new(),
        definer: None,
    }
}

#[cfg(test)]
mod tests;
