//! `canon apply`: run exactly the approved plan on a live database, or nothing.
//!
//! Before the first step: the plan is approved and unedited (gate), meant for this database,
//! the live schema is at the plan's starting point or at one of its checkpoints (resume),
//! one apply per database holds the lock, the user has every privilege the steps need, and,
//! when asked (or when a step is destructive), a backup was taken and verified. Then the
//! steps run one at a time, each journaled in the history table, and the result is checked
//! against the plan's expected end.

pub mod backup;
pub mod cluster;
mod error;
pub mod gate;
pub mod grants;
pub mod history;
pub mod osc;
pub mod programs;
pub mod replicas;
mod run;
pub mod server;

use crate::document::report::ApplyReport;
use crate::document::{DocStep, PlanDocument};
use crate::plan::privileges::Privilege;
use crate::source::live::{self, ConnSpec};
pub use error::ApplyError;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// How to apply, from the command line.
pub struct ApplyOptions {
    pub retarget: bool,
    pub yes: bool,
    pub backup_dir: Option<PathBuf>,
    pub no_backup: bool,
    /// Seconds to wait for another apply's lock.
    pub wait: u64,
    /// `lock_wait_timeout` for each step, in seconds: a step fails instead of hanging.
    pub lock_wait_timeout: u64,
    pub history_table: String,
    /// Who runs it, for the history table; None: the database user.
    pub operator: Option<String>,
    /// Galera: run each step node by node by RSU instead of TOI.
    pub rsu: bool,
    /// The target's replicas, watched before, between and after the steps.
    pub replicas: replicas::Replicas,
    /// Count the plan's data checks again before the first step (`--recheck-data`).
    pub recheck_data: bool,
}

/// Talks to the operator: progress lines, and the one question before changing anything.
pub trait Operator {
    fn say(&mut self, line: &str);
    /// None when there is no terminal to ask on.
    fn confirm(&mut self, question: &str) -> Option<bool>;
}

/// Check the privileges of everything still to do; name each missing one with its GRANT.
fn preflight(
    remaining: &[DocStep],
    spec: &ConnSpec,
    grant_lines: &[String],
    user: &str,
    history: (&str, bool),
    scratch: Option<&str>,
    server: (programs::Binlog, crate::flavor::Flavor),
) -> Result<(), ApplyError> {
    let g = grants::Grants::parse(grant_lines);
    let db = spec.database.as_str();
    // Database → privileges missing there (granted database-wide, as DBAs usually do).
    let mut missing: BTreeMap<String, Vec<Privilege>> = BTreeMap::new();
    let mut need = |p: Privilege, d: &str, t: Option<&str>| {
        if !g.has(p, d, t) {
            let e = missing.entry(d.to_string()).or_default();
            if !e.contains(&p) {
                e.push(p);
            }
        }
    };
    for s in remaining {
        for p in &s.privileges {
            need(*p, db, Some(&s.object.name));
        }
        // The tool copies rows into a shadow table kept in sync by triggers, then swaps.
        if s.osc.is_some() {
            for p in [
                Privilege::Select,
                Privilege::Insert,
                Privilege::Update,
                Privilege::Delete,
                Privilege::Create,
                Privilege::Alter,
                Privilege::Drop,
                Privilege::Trigger,
            ] {
                need(p, db, None);
            }
        }
    }
    let (table, exists) = history;
    if !exists {
        need(Privilege::Create, db, Some(table));
    }
    for p in [Privilege::Select, Privilege::Insert, Privilege::Update] {
        need(p, db, Some(table));
    }
    if let Some(scratch) = scratch {
        for p in [
            Privilege::Select,
            Privilege::ShowView,
            Privilege::Trigger,
            Privilege::Event,
        ] {
            need(p, db, None);
        }
        for p in [
            Privilege::Create,
            Privilege::Drop,
            Privilege::CreateView,
            Privilege::Select,
        ] {
            need(p, scratch, None);
        }
    }
    let lacks = programs::lacking(remaining, user, &g, server.0, server.1);
    if missing.is_empty() && lacks.is_empty() {
        return Ok(());
    }
    let mut described = Vec::new();
    let mut statements = Vec::new();
    for l in lacks {
        described.push(l.what);
        statements.push(l.fix);
    }
    for (d, privs) in &missing {
        let names: Vec<&str> = privs.iter().map(|p| p.name()).collect();
        described.push(format!("{} on `{d}`", names.join(", ")));
        statements.push(crate::sql::steps::grant(privs, d, user));
    }
    Err(ApplyError::MissingPrivileges {
        user: user.to_string(),
        missing: described,
        grants: statements,
    })
}

/// Run the plan. The database changes only after every check has passed and the operator
/// confirmed (or gave `--yes`).
pub async fn apply(
    doc: &PlanDocument,
    spec: &ConnSpec,
    opts: &ApplyOptions,
    op: &mut dyn Operator,
) -> Result<ApplyReport, ApplyError> {
    gate::approved(doc)?;
    if let Some(step) = gate::unfaithful_step(doc) {
        return Err(ApplyError::Unfaithful { step });
    }
    let label = spec.label();
    gate::same_target(doc, &label, opts.retarget)?;
    gate::backup_required(doc, opts.backup_dir.is_some(), opts.no_backup)?;
    let plan_id = doc.digest();

    let mut conn = live::connect(spec).await?;
    let run = run::Run {
        doc,
        spec,
        opts,
        plan_id: &plan_id,
        label: &label,
    };
    let result = run.locked(&mut conn, op).await;
    cluster::unlock(&mut conn, &opts.history_table).await;
    server::unlock(&mut conn, &spec.database).await;
    let _ = conn.disconnect().await;
    result
}
