//! The plan document: what `canon plan --out` writes and `canon show` reads. Every field a
//! reviewer or a later `apply` needs is here, rendered once; nothing is re-derived on reading.
//! It records what `plan` decided (build.rs), is kept on disk (planfile.rs), approved
//! (approve.rs), and `apply` reports against it (report.rs).

mod account;
pub mod approve;
mod build;
pub mod fleet;
pub mod planfile;
pub mod report;

pub use build::{build, drift_only, Context};

use crate::model::{Origin, Schema, Sizes};
use crate::plan::guard::Guard;
use crate::plan::online::Online;
use crate::plan::osc::Osc;
use crate::plan::privileges::Privilege;
use crate::plan::{Action, ObjectKind, ObjectRef, Safety};
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
    /// What the rows said about each change that depends on them, when the plan was made
    /// (`--data-checks`): counts, and the query that shows the rows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_checks: Vec<crate::plan::data_checks::Checked>,
    /// The account programs' `DEFINER=` is pinned to (`programs.definer: CURRENT_USER`): who
    /// read the target when planning. Apply refuses to run it as anyone else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definer: Option<String>,
}

/// A change the plan does not make (destructive, not allowed), as the reviewer reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeftOut {
    pub object: ObjectRef,
    pub summary: String,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sources {
    pub canonical: Vec<String>,
    /// A dump file's path, or a server's host, port and database: never credentials.
    pub target: Shown,
    /// A fleet's plan: every database found at this starting schema (`plan --targets`);
    /// approved with the steps, and the databases `apply --targets` runs it on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub databases: Vec<Shown>,
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
    format!("{} {name}", kind.word())
}

/// The object a [`start_key`] names.
pub fn start_object(key: &str) -> (ObjectKind, &str) {
    let kind = |w: &str| ObjectKind::ALL.into_iter().find(|k| k.word() == w);
    match key.split_once(' ') {
        Some((w, name)) => (kind(w).unwrap_or(ObjectKind::Table), name),
        None => (ObjectKind::Table, key),
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
            self.assert_online,
            &self.ignore,
            &self.steps,
            &self.left_out,
            &self.rollback,
        );
        let mut json = serde_json::to_vec(&bound).unwrap_or_default();
        // The counts a DBA approved (what apply's recheck holds the rows to) are bound too;
        // plans without checks keep the digest they always had.
        if !self.data_checks.is_empty() {
            json.extend(serde_json::to_vec(&self.data_checks).unwrap_or_default());
        }
        if let Some(d) = &self.definer {
            json.extend(d.as_bytes());
        }
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
            databases: Vec::new(),
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
        data_checks: Vec::new(),
        definer: None,
    }
}
