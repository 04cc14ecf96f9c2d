//! The plan document: what `canon plan --out` writes and `canon show` reads. Every field a
//! reviewer or a later `apply` needs is here, rendered once; nothing is re-derived on reading.

use super::account::{account, accounts};
use super::{ddl, sql};
use crate::diff::Change;
use crate::flavor::Flavor;
use crate::model::{Origin, Schema, Sizes, Table, View};
use crate::plan::guard::{guards, Guard};
use crate::plan::online::{predictions, Online};
use crate::plan::osc::{self, Osc};
use crate::plan::privileges::{needed, Privilege};
use crate::plan::simulate::checkpoints;
use crate::plan::{Action, ObjectKind, ObjectRef, Plan, Safety, Step};
use crate::source::Shown;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Version of the plan file format; readers refuse newer ones. Format 2 added per-step
/// checkpoints, guards and privileges, and the rollback steps.
pub const FORMAT: u32 = 2;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanDocument {
    pub format: u32,
    pub canon_version: String,
    pub flavor: String,
    pub source: Sources,
    pub fingerprints: Fingerprints,
    pub allow_destructive: bool,
    /// Each ALTER carries its predicted `ALGORITHM=..., LOCK=...`, so the server refuses to
    /// run it any other (costlier) way.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub assert_online: bool,
    /// Rows and bytes of the tables the steps touch, from information_schema at plan time.
    #[serde(default, skip_serializing_if = "Sizes::is_empty")]
    pub sizes: Sizes,
    /// Table and view name patterns left out of both sides (and of apply's checks).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore: Vec<String>,
    /// Every object that differs, with its current and canonical definition.
    pub objects: Vec<ObjectDiff>,
    /// Each object's digest where the plan starts ("table name": digest), so that a stale
    /// plan names what changed since. Not approved: the starting fingerprint already is.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub start: BTreeMap<String, String>,
    /// Live views the canonical schema does not have: what they expose, who reads them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub compat_views: Vec<crate::compat::CompatView>,
    pub steps: Vec<DocStep>,
    pub left_out: Vec<LeftOut>,
    /// Steps that take the touched objects back to where they were (lossy ones destructive).
    #[serde(default)]
    pub rollback: Vec<DocStep>,
    #[serde(default)]
    pub warnings: Vec<String>,
    #[serde(default)]
    pub approvals: Vec<Approval>,
}

/// A change the plan does not make (destructive, not allowed), as the reviewer reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeftOut {
    pub object: ObjectRef,
    pub summary: String,
    pub reason: String,
}

impl LeftOut {
    fn of(l: &crate::plan::LeftOut) -> LeftOut {
        LeftOut {
            object: l.object.clone(),
            summary: account(&l.change),
            reason: l.reason.clone(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sources {
    pub canonical: Vec<String>,
    /// A dump file's path, or a server's host, port and database: never credentials.
    pub target: Shown,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fingerprints {
    pub current: String,
    pub desired: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Create,
    Alter,
    Replace,
    Drop,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ObjectDiff {
    pub object: ObjectRef,
    pub change: ChangeKind,
    pub details: Vec<String>,
    pub current: Option<String>,
    pub canonical: Option<String>,
    /// Where the canonical definition is (file and line), else where the current one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocStep {
    pub id: usize,
    pub object: ObjectRef,
    pub summary: Vec<String>,
    pub safety: Safety,
    pub sql: String,
    /// The schema's fingerprint once this step has run: how a resumed apply knows where
    /// an interrupted one stopped.
    #[serde(default)]
    pub after: String,
    /// How the idempotent script tells that this step has already run; none when running
    /// it again changes nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guard: Option<Guard>,
    /// What the connected user needs on the target database to run it.
    #[serde(default)]
    pub privileges: Vec<Privilege>,
    /// For an ALTER: the algorithm and lock the server is predicted to use, why, and how
    /// long it may take.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online: Option<Online>,
    /// A large table's rebuild runs through this tool instead of the server's ALTER.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub osc: Option<Osc>,
    /// The typed step the SQL was rendered from: `apply` renders it again and refuses a plan
    /// whose SQL says something else. Kept as one line of JSON: YAML tags of nested enums do
    /// not read back.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "action_json")]
    pub action: Option<Action>,
}

mod action_json {
    use crate::plan::Action;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(a: &Option<Action>, s: S) -> Result<S::Ok, S::Error> {
        match a {
            Some(a) => {
                s.serialize_str(&serde_json::to_string(a).map_err(serde::ser::Error::custom)?)
            }
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Action>, D::Error> {
        let text: Option<String> = Option::deserialize(d)?;
        text.map(|t| serde_json::from_str(&t).map_err(serde::de::Error::custom))
            .transpose()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Approval {
    pub by: String,
    #[serde(default)]
    pub note: Option<String>,
    pub digest: String,
    pub at: String,
}

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
    pub osc: &'a osc::Policy,
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
                        c.map(super::sequence::create_sequence),
                        d.map(super::sequence::create_sequence),
                        d.or(c).and_then(|s| s.origin.clone()),
                    )
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

/// A step's statement, with the predicted algorithm and lock asserted when asked for.
fn statement(step: &Step, online: Option<&Online>, assert_online: bool, flavor: Flavor) -> String {
    let sql = sql::statement(step, flavor);
    match online {
        Some(o) if assert_online && crate::plan::online::assertable(step) => {
            sql::asserting(&sql, o, flavor)
        }
        _ => sql,
    }
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

/// The tool command of each step that a large rebuild sends to it; why not, for the others
/// that are large.
fn routes(
    steps: &[Step],
    online: &[Option<Online>],
    ctx: &Context,
) -> (Vec<Option<Osc>>, Vec<String>) {
    let mut why_not = Vec::new();
    let routed = steps
        .iter()
        .zip(online)
        .enumerate()
        .map(|(i, (s, o))| {
            let o = o.as_ref()?;
            let tool = ctx.osc.tool.as_deref()?;
            match osc::route(s, o, ctx.sizes.get(&s.object.name), ctx.renamed, ctx.osc) {
                Ok(true) => osc::command(s, tool, ctx.flavor),
                Ok(false) => None,
                Err(why) => {
                    why_not.push(format!("step {}: {why}", i + 1));
                    None
                }
            }
        })
        .collect();
    (routed, why_not)
}

fn doc_steps(
    steps: &[Step],
    after: &[String],
    online: &[Option<Online>],
    osc: &[Option<Osc>],
    first_id: usize,
    ctx: &Context,
) -> Vec<DocStep> {
    steps
        .iter()
        .zip(after)
        .zip(online)
        .zip(guards(steps))
        .enumerate()
        .map(|(i, (((s, after), online), guard))| DocStep {
            id: first_id + i,
            object: s.object.clone(),
            summary: s.summary.clone(),
            safety: s.safety.clone(),
            sql: statement(s, online.as_ref(), ctx.assert_online, ctx.flavor),
            after: after.clone(),
            guard,
            privileges: needed(s),
            online: online.clone(),
            osc: osc.get(i).cloned().flatten(),
            action: Some(s.action.clone()),
        })
        .collect()
}

pub fn build(plan: &Plan, changes: &[Change], mut ctx: Context) -> PlanDocument {
    let back: &[Step] = ctx.rollback.map_or(&[], |r| &r.steps);
    // The rollback's checkpoints continue from where the plan ends.
    let all: Vec<Step> = plan.steps.iter().chain(back).cloned().collect();
    let after = checkpoints(ctx.current, &all);
    let (forward, backward) = after[1..].split_at(plan.steps.len());
    let online = predictions(ctx.current, &all, ctx.sizes, ctx.flavor);
    let (online_fwd, online_back) = online.split_at(plan.steps.len());
    let sizes: Sizes = plan
        .steps
        .iter()
        .filter_map(|s| Some((s.object.name.clone(), *ctx.sizes.get(&s.object.name)?)))
        .collect();
    // Only the plan's own steps: the rollback is a script for a person.
    let (routed, why_not) = routes(&plan.steps, online_fwd, &ctx);
    let steps = doc_steps(&plan.steps, forward, online_fwd, &routed, 1, &ctx);
    let rollback = doc_steps(back, backward, online_back, &[], 1, &ctx);
    let fingerprints = Fingerprints {
        current: after[0].clone(),
        desired: ctx.desired.fingerprint(),
    };
    let assert_online = ctx.assert_online;
    ctx.warnings.extend(why_not);
    // The review part is what `check` reports; the plan adds its steps to it.
    PlanDocument {
        fingerprints,
        start: start_digests(ctx.current),
        assert_online,
        sizes,
        steps,
        left_out: plan.left_out.iter().map(LeftOut::of).collect(),
        rollback,
        ..drift_only(&plan.steps, changes, ctx)
    }
}

/// Each object of `schema` and its digest (64 bits: enough to tell a change).
pub fn start_digests(schema: &Schema) -> BTreeMap<String, String> {
    schema
        .digests()
        .into_iter()
        .map(|(kind, name, d)| {
            let hex: String = d[..8].iter().map(|b| format!("{b:02x}")).collect();
            (start_key(kind, name), hex)
        })
        .collect()
}

/// How an object is keyed in [`PlanDocument::start`].
pub fn start_key(kind: ObjectKind, name: &str) -> String {
    let kind = match kind {
        ObjectKind::Table => "table",
        ObjectKind::View => "view",
        ObjectKind::Sequence => "sequence",
    };
    format!("{kind} {name}")
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
    }
}

impl PlanDocument {
    /// The first step whose SQL or privileges are not what its typed action renders to (for
    /// the plan's flavor): a plan edited by hand, or made elsewhere.
    pub fn unfaithful_step(&self) -> Option<usize> {
        let flavor: Flavor = self.flavor.parse().ok()?;
        self.steps.iter().chain(&self.rollback).find_map(|d| {
            let Some(action) = &d.action else {
                return Some(d.id);
            };
            let step = Step {
                object: d.object.clone(),
                action: action.clone(),
                safety: d.safety.clone(),
                summary: d.summary.clone(),
            };
            // A tool command must be the one canon renders, for a tool canon knows.
            let osc_ok = d.osc.as_ref().is_none_or(|o| {
                o.tool == osc::PT_OSC && osc::command(&step, &o.tool, flavor).as_ref() == Some(o)
            });
            (statement(&step, d.online.as_ref(), self.assert_online, flavor) != d.sql
                || needed(&step) != d.privileges
                || !osc_ok)
                .then_some(d.id)
        })
    }

    /// What an approval is bound to: everything `apply` will act on and where, so editing a
    /// step, its SQL, the target, the fingerprints or the destructive flag voids approvals.
    /// The review texts (`objects`), warnings and the approvals themselves are not part of it.
    pub fn digest(&self) -> String {
        let bound = (
            self.format,
            &self.flavor,
            &self.source,
            &self.fingerprints,
            self.allow_destructive,
            self.assert_online,
            &self.ignore,
            &self.steps,
            &self.left_out,
            &self.rollback,
        );
        let json = serde_json::to_vec(&bound).unwrap_or_default();
        blake3::hash(&json).to_hex().to_string()
    }

    /// Approvals that still match the plan as it is now.
    pub fn valid_approvals(&self) -> impl Iterator<Item = &Approval> {
        let digest = self.digest();
        self.approvals.iter().filter(move |a| a.digest == digest)
    }
}

/// A plan of `steps` table creations, for tests of what reads plans.
#[cfg(test)]
pub fn sample(steps: usize) -> PlanDocument {
    use crate::plan::{ObjectKind, ObjectRef};
    PlanDocument {
        format: FORMAT,
        canon_version: "0".into(),
        flavor: "mariadb-10.11.0".into(),
        source: Sources {
            canonical: vec!["schema".into()],
            target: Shown::server("db", 3306, "app"),
        },
        fingerprints: Fingerprints {
            current: "f0".into(),
            desired: format!("f{steps}"),
        },
        allow_destructive: false,
        assert_online: false,
        sizes: Sizes::new(),
        ignore: Vec::new(),
        objects: Vec::new(),
        start: BTreeMap::new(),
        compat_views: Vec::new(),
        steps: (1..=steps)
            .map(|i| DocStep {
                id: i,
                object: ObjectRef {
                    kind: ObjectKind::Table,
                    name: format!("t{i}"),
                },
                summary: vec![format!("create table `t{i}`")],
                safety: Safety::Safe,
                sql: format!("CREATE TABLE `t{i}` (`id` int(11) NOT NULL)"),
                after: format!("f{i}"),
                guard: None,
                privileges: Vec::new(),
                online: None,
                osc: None,
                action: None,
            })
            .collect(),
        left_out: Vec::new(),
        rollback: Vec::new(),
        warnings: Vec::new(),
        approvals: Vec::new(),
    }
}
