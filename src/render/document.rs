//! The plan document: what `canon plan --out` writes and `canon show` reads. Every field a
//! reviewer or a later `apply` needs is here, rendered once; nothing is re-derived on reading.

use super::{ddl, sql};
use crate::diff::Change;
use crate::flavor::Flavor;
use crate::model::{Schema, Table, View};
use crate::plan::simulate::accounts;
use crate::plan::{LeftOut, ObjectKind, ObjectRef, Plan, Safety};
use serde::{Deserialize, Serialize};

/// Version of the plan file format; readers refuse newer ones.
pub const FORMAT: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanDocument {
    pub format: u32,
    pub canon_version: String,
    pub flavor: String,
    pub source: Sources,
    pub fingerprints: Fingerprints,
    pub allow_destructive: bool,
    /// Every object that differs, with its current and canonical definition.
    pub objects: Vec<ObjectDiff>,
    pub steps: Vec<DocStep>,
    pub left_out: Vec<LeftOut>,
    #[serde(default)]
    pub warnings: Vec<String>,
    #[serde(default)]
    pub approvals: Vec<Approval>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sources {
    pub canonical: Vec<String>,
    /// A dump file's path, or a server's host, port and database: never credentials.
    pub target: String,
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
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocStep {
    pub id: usize,
    pub object: ObjectRef,
    pub summary: Vec<String>,
    pub safety: Safety,
    pub sql: String,
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
    pub canonical: Vec<String>,
    pub target: String,
    pub allow_destructive: bool,
    pub warnings: Vec<String>,
    pub current: &'a Schema,
    pub desired: &'a Schema,
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
            };
            let object = ObjectRef {
                kind,
                name: name.clone(),
            };
            let (cur, want) = match kind {
                ObjectKind::Table => (
                    table_text(current.tables.get(name), flavor),
                    table_text(desired.tables.get(name), flavor),
                ),
                ObjectKind::View => (
                    view_text(current.views.get(name)),
                    view_text(desired.views.get(name)),
                ),
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
            }
        })
        .collect()
}

pub fn build(plan: &Plan, changes: &[Change], ctx: Context) -> PlanDocument {
    PlanDocument {
        format: FORMAT,
        canon_version: env!("CARGO_PKG_VERSION").to_string(),
        flavor: ctx.flavor.to_string(),
        source: Sources {
            canonical: ctx.canonical,
            target: ctx.target,
        },
        fingerprints: Fingerprints {
            current: ctx.current.fingerprint(),
            desired: ctx.desired.fingerprint(),
        },
        allow_destructive: ctx.allow_destructive,
        objects: objects(changes, ctx.current, ctx.desired, ctx.flavor),
        steps: plan
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| DocStep {
                id: i + 1,
                object: s.object.clone(),
                summary: s.summary.clone(),
                safety: s.safety.clone(),
                sql: sql::statement(s, ctx.flavor),
            })
            .collect(),
        left_out: plan.left_out.clone(),
        warnings: ctx.warnings,
        approvals: Vec::new(),
    }
}

impl PlanDocument {
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
            &self.steps,
            &self.left_out,
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
