//! `canon apply`: run exactly the approved plan on a live database, or nothing.
//!
//! Before the first step: the plan is approved and unedited (gate), meant for this database,
//! the live schema is at the plan's starting point or at one of its checkpoints (resume),
//! one apply per database holds the lock, the user has every privilege the steps need, and,
//! when asked (or when a step is destructive), a backup was taken and verified. Then the
//! steps run one at a time, each journaled in the history table, and the result is checked
//! against the plan's expected end.

pub mod backup;
pub mod gate;
pub mod grants;
pub mod history;
pub mod osc;
pub mod server;

use crate::flavor::Flavor;
use crate::plan::privileges::Privilege;
use crate::plan::ObjectKind;
use crate::render::document::{DocStep, PlanDocument};
use crate::source::live::{self, ConnSpec};
use crate::source::Shown;
use gate::{Outcome, Start};
use miette::Diagnostic;
use mysql_async::prelude::Queryable;
use mysql_async::Conn;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum ApplyError {
    #[error("this plan has no approval")]
    #[diagnostic(
        code(canon::apply::unapproved),
        help("a DBA reviews it with `canon show PLAN` and approves it with `canon approve PLAN --by NAME`")
    )]
    NotApproved,
    #[error("this plan was edited after {by} approved it (at {at}): refusing to run what nobody approved")]
    #[diagnostic(
        code(canon::apply::edited),
        help("make a new plan with `canon plan --out FILE` and have it approved")
    )]
    Edited { by: String, at: String },
    #[error("this plan file is format {found}, written by an older canon; apply needs format 2 (checkpoints for resuming)")]
    #[diagnostic(code(canon::apply::format), help("plan again with this canon"))]
    OldFormat { found: u32 },
    #[error("step {step} of this plan says something other than canon would: its SQL or privileges were written by hand, or the plan was made elsewhere")]
    #[diagnostic(
        code(canon::apply::unfaithful),
        help("make the plan with `canon plan --out FILE` and have that approved")
    )]
    Unfaithful { step: usize },
    #[error("the plan was made for {planned}, not {given}")]
    #[diagnostic(
        code(canon::apply::target),
        help("to run a plan reviewed on one database against another with the same starting schema (e.g. staging → production), add --retarget; the starting schema is still checked")
    )]
    OtherTarget { planned: Shown, given: Shown },
    #[error("the plan was made for {planned}; {target} runs {found}")]
    #[diagnostic(
        code(canon::apply::flavor),
        help("plan again against this server: its SQL may differ")
    )]
    OtherFlavor {
        planned: String,
        found: String,
        target: Shown,
    },
    #[error("apply runs against a live database; {0} is a file")]
    #[diagnostic(
        code(canon::apply::target),
        help("--target mysql://USER@HOST/DATABASE, or the DB_* variables")
    )]
    NotLive(String),
    #[error("the plan has {destructive} destructive step(s) and no backup was asked for")]
    #[diagnostic(
        code(canon::apply::backup),
        help("give --backup-dir DIR (a verified dump is taken first), or --no-backup to go without one on purpose")
    )]
    BackupRequired { destructive: usize },
    #[error("the database is not where the plan expects it{}: its schema changed since the plan was made{}", if *after_step == 0 { String::new() } else { format!(" (after step {after_step})") }, moved.iter().map(|m| format!("\n  - {m}")).collect::<String>())]
    #[diagnostic(
        code(canon::apply::stale),
        help("nothing was changed. Plan again (`canon plan --out FILE`) and have the new plan approved.\nexpected fingerprint {expected}\nfound    fingerprint {found}")
    )]
    Stale {
        after_step: usize,
        expected: String,
        found: String,
        /// What differs from the plan's start, object by object, with the lines that moved.
        moved: Vec<String>,
    },
    #[error("the history table does not fit this plan: {detail}")]
    #[diagnostic(code(canon::apply::history))]
    History { detail: String },
    #[error("another apply is running on `{database}`: the lock is held by {holder}")]
    #[diagnostic(
        code(canon::apply::locked),
        help("waited {waited} s; wait for it to finish, or give --wait SECS")
    )]
    Locked {
        database: String,
        holder: String,
        waited: u64,
    },
    #[error("`{user}` lacks privileges the plan needs: {}", missing.join("; "))]
    #[diagnostic(code(canon::apply::privileges), help("nothing was changed. A DBA can grant them with:\n{}", grants.join("\n")))]
    MissingPrivileges {
        user: String,
        missing: Vec<String>,
        grants: Vec<String>,
    },
    #[error("{target} does not take writes: {why}")]
    #[diagnostic(
        code(canon::apply::read_only),
        help("apply to the primary; a replica follows it")
    )]
    ReadOnly { target: Shown, why: String },
    #[error("apply needs confirmation: no terminal to ask on")]
    #[diagnostic(
        code(canon::apply::confirm),
        help("run it on a terminal, or pass --yes in scripts and CI")
    )]
    NoTerminal,
    #[error("not confirmed: nothing was changed")]
    #[diagnostic(code(canon::apply::declined))]
    Declined,
    #[error("backup failed: {reason}")]
    #[diagnostic(
        code(canon::apply::backup),
        help("nothing was changed; fix the cause, or run with --no-backup on purpose")
    )]
    Backup { reason: String },
    #[error("the backup {path} does not verify: {reason}")]
    #[diagnostic(
        code(canon::apply::backup),
        help("nothing was changed; the file is kept for inspection")
    )]
    BackupUnverified { path: String, reason: String },
    #[error("step {step} ({object}) failed: {reason}")]
    #[diagnostic(
        code(canon::apply::step),
        help("steps before it are applied and recorded in the history table; the server keeps a DDL statement whole or not at all. Fix the cause and run the same `canon apply` again: it resumes at step {step}")
    )]
    StepFailed {
        step: usize,
        object: String,
        reason: String,
    },
    #[error("after the last step the database is not what the plan leads to")]
    #[diagnostic(
        code(canon::apply::validation),
        help("expected fingerprint {expected}\nfound    fingerprint {found}\nsomething else changed the schema meanwhile; compare with `canon check`")
    )]
    Validation { expected: String, found: String },
    #[error("{what} failed: {reason}")]
    #[diagnostic(code(canon::apply::server))]
    Server { what: String, reason: String },
    #[error("the plan runs a step with {tool}, but {reason}")]
    #[diagnostic(
        code(canon::apply::osc),
        help("nothing was changed; install it (Debian: apt-get install percona-toolkit), or plan again with --osc-tool none to run every step in the server")
    )]
    OscUnusable { tool: String, reason: String },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Live(#[from] live::LiveError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Target(Box<crate::Error>),
}

/// Transactions open longer than this are reported before the first step: a DDL step waits
/// for every transaction that has read the table, and the application queues behind it.
const BLOCKER_AGE_SECS: u64 = 2;

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
}

/// Talks to the operator: progress lines, and the one question before changing anything.
pub trait Operator {
    fn say(&mut self, line: &str);
    /// None when there is no terminal to ask on.
    fn confirm(&mut self, question: &str) -> Option<bool>;
}

/// What an apply did, for the validation report.
#[derive(Debug)]
pub struct ApplyReport {
    pub plan_id: String,
    pub target: Shown,
    pub history_table: String,
    pub backup: Option<backup::Backup>,
    /// Steps applied before this run (recorded, or found at their checkpoint).
    pub already: usize,
    pub found: Vec<usize>,
    /// Steps this run applied, with seconds each.
    pub ran: Vec<(usize, f64)>,
    pub total: usize,
    /// The live fingerprint now, equal to the plan's expected end.
    pub fingerprint: String,
    pub warnings: Vec<String>,
}

fn object_name(s: &DocStep) -> String {
    match s.object.kind {
        ObjectKind::Table => format!("table `{}`", s.object.name),
        ObjectKind::View => format!("view `{}`", s.object.name),
    }
}

fn target_err(e: crate::Error) -> ApplyError {
    ApplyError::Target(Box::new(e))
}

/// Introspect the live schema as the plan saw it (without the history table and the
/// ignored tables).
async fn live_schema(
    spec: &ConnSpec,
    history: &str,
    ignore: &[String],
) -> Result<crate::model::Schema, ApplyError> {
    let side =
        crate::live_side(live::introspect(spec).await?, history, ignore).map_err(target_err)?;
    Ok(side.schema)
}

/// Check the privileges of everything still to do; name each missing one with its GRANT.
fn preflight(
    remaining: &[DocStep],
    spec: &ConnSpec,
    grant_lines: &[String],
    user: &str,
    history: (&str, bool),
    scratch: Option<&str>,
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
    if missing.is_empty() {
        return Ok(());
    }
    let mut described = Vec::new();
    let mut statements = Vec::new();
    for (d, privs) in &missing {
        let names: Vec<&str> = privs.iter().map(|p| p.name()).collect();
        described.push(format!("{} on `{d}`", names.join(", ")));
        statements.push(crate::render::sql::grant(privs, d, user));
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
    if let Some(step) = doc.unfaithful_step() {
        return Err(ApplyError::Unfaithful { step });
    }
    let label = spec.label();
    gate::same_target(doc, &label, opts.retarget)?;
    gate::backup_required(doc, opts.backup_dir.is_some(), opts.no_backup)?;
    let plan_id = doc.digest();

    let mut conn = live::connect(spec).await?;
    let result = locked(doc, spec, opts, op, &mut conn, &plan_id, &label).await;
    server::unlock(&mut conn, &spec.database).await;
    let _ = conn.disconnect().await;
    result
}

async fn locked(
    doc: &PlanDocument,
    spec: &ConnSpec,
    opts: &ApplyOptions,
    op: &mut dyn Operator,
    conn: &mut Conn,
    plan_id: &str,
    label: &Shown,
) -> Result<ApplyReport, ApplyError> {
    let version: Option<String> =
        conn.query_first("SELECT VERSION()")
            .await
            .map_err(|e| ApplyError::Server {
                what: "reading the server version".into(),
                reason: e.to_string(),
            })?;
    let version = version.unwrap_or_default();
    let flavor =
        Flavor::from_server_version(&version).map_err(|source| live::LiveError::Unsupported {
            target: label.clone(),
            version: version.clone(),
            source,
        })?;
    let planned: Option<Flavor> = doc.flavor.parse().ok();
    if planned.is_none_or(|p| {
        p.vendor != flavor.vendor
            || (p.version.major, p.version.minor) != (flavor.version.major, flavor.version.minor)
    }) {
        return Err(ApplyError::OtherFlavor {
            planned: doc.flavor.clone(),
            found: flavor.to_string(),
            target: label.clone(),
        });
    }
    server::writable(conn, flavor, label).await?;
    server::lock(conn, &spec.database, opts.wait).await?;

    let history_table = opts.history_table.as_str();
    let recorded = history::read(conn, history_table, plan_id).await?;
    let live_now = live_schema(spec, history_table, &doc.ignore).await?;
    let Start { done, found } = match gate::start(doc, &live_now.fingerprint(), &recorded) {
        Err(ApplyError::Stale {
            after_step,
            expected,
            found,
            ..
        }) => {
            return Err(ApplyError::Stale {
                moved: gate::moved(doc, &live_now, flavor, after_step),
                after_step,
                expected,
                found,
            })
        }
        other => other?,
    };
    let remaining = &doc.steps[done..];
    let total = doc.steps.len();

    // Every tool the steps need is found before anything changes.
    let mut tools = BTreeMap::new();
    if remaining.iter().any(|s| s.osc.is_some()) {
        // The tool's own sessions get the server's default sql_mode, not canon's.
        let mode: Option<String> =
            conn.query_first("SELECT @@GLOBAL.sql_mode")
                .await
                .map_err(|e| ApplyError::Server {
                    what: "reading the server's sql_mode".into(),
                    reason: e.to_string(),
                })?;
        let mode = mode.unwrap_or_default();
        for s in remaining {
            if let Some(o) = &s.osc {
                tools.insert(s.id, osc::find(o, spec, &mode)?);
            }
        }
    }
    let scratch = opts
        .backup_dir
        .as_ref()
        .map(|_| format!("canon_verify_{}_{}", &plan_id[..12], std::process::id()));
    if !remaining.is_empty() || !found.is_empty() {
        let (grant_lines, user) = server::grants(conn).await?;
        let exists = history::exists(conn, history_table).await?;
        preflight(
            remaining,
            spec,
            &grant_lines,
            &user,
            (history_table, exists),
            scratch.as_deref(),
        )?;
    }
    let operator = match &opts.operator {
        Some(o) => o.clone(),
        None => conn
            .query_first::<String, _>("SELECT CURRENT_USER()")
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| spec.user.clone()),
    };
    let mut warnings = Vec::new();
    if !remaining.is_empty() {
        warnings = server::blockers(conn, BLOCKER_AGE_SECS).await;
        for w in &warnings {
            op.say(&format!("warning: {w}"));
        }
        let destructive = remaining
            .iter()
            .filter(|s| s.safety.is_destructive())
            .count();
        let question = format!(
            "apply plan {} to {label}: {} step(s) to run ({destructive} destructive){}, approved by {}?",
            &plan_id[..12],
            remaining.len(),
            if done > 0 {
                format!(", resuming after step {done}")
            } else {
                String::new()
            },
            doc.approvals
                .iter()
                .map(|a| a.by.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
        if !opts.yes {
            match op.confirm(&question) {
                None => return Err(ApplyError::NoTerminal),
                Some(false) => return Err(ApplyError::Declined),
                Some(true) => {}
            }
        }
    }

    // From here on the database may change.
    let backup = match (&opts.backup_dir, &scratch, remaining.is_empty()) {
        (Some(dir), Some(scratch), false) => Some(
            take_backup(
                spec,
                dir,
                scratch,
                flavor,
                plan_id,
                history_table,
                &doc.ignore,
                &live_now,
                op,
            )
            .await?,
        ),
        _ => None,
    };
    if !remaining.is_empty() || !found.is_empty() {
        history::create(conn, history_table).await?;
    }
    if let Some(b) = &backup {
        let detail = format!("sha256 {} ({} bytes), verified", b.sha256, b.bytes);
        let path = b.path.display().to_string();
        history::start(
            conn,
            history_table,
            &history::Entry {
                plan_id,
                step: 0,
                object: "backup",
                sql: &path,
                outcome: "backup",
                detail: Some(&detail),
                operator: &operator,
            },
        )
        .await?;
    }
    for &id in &found {
        let s = &doc.steps[id - 1];
        let row = history::start(
            conn,
            history_table,
            &history::Entry {
                plan_id,
                step: id,
                object: &object_name(s),
                sql: &s.sql,
                outcome: Outcome::Running.as_str(),
                detail: None,
                operator: &operator,
            },
        )
        .await?;
        history::finish(
            conn,
            history_table,
            row,
            Outcome::Done,
            Some("found applied: the schema was at this step's checkpoint"),
        )
        .await?;
    }

    conn.exec_drop(
        "SET SESSION lock_wait_timeout = ?",
        (opts.lock_wait_timeout,),
    )
    .await
    .map_err(|e| ApplyError::Server {
        what: "setting lock_wait_timeout".into(),
        reason: e.to_string(),
    })?;
    let mut ran = Vec::new();
    for s in remaining {
        let object = object_name(s);
        op.say(&format!(
            "[{}/{total}] {object}: {}",
            s.id,
            s.summary.join(", ")
        ));
        let row = history::start(
            conn,
            history_table,
            &history::Entry {
                plan_id,
                step: s.id,
                object: &object,
                sql: &s.sql,
                outcome: Outcome::Running.as_str(),
                detail: None,
                operator: &operator,
            },
        )
        .await?;
        let clock = Instant::now();
        let result = match (&s.osc, tools.get(&s.id)) {
            (Some(o), Some(tool)) => osc::run(tool, o, spec, op),
            _ => conn.query_drop(&s.sql).await.map_err(|e| e.to_string()),
        };
        if let Err(reason) = result {
            // The connection may be gone with the server; the row then stays `running` and
            // the next apply settles it from the live schema.
            let _ = history::finish(conn, history_table, row, Outcome::Failed, Some(&reason)).await;
            return Err(ApplyError::StepFailed {
                step: s.id,
                object,
                reason,
            });
        }
        history::finish(conn, history_table, row, Outcome::Done, None).await?;
        ran.push((s.id, clock.elapsed().as_secs_f64()));
    }

    let end = live_schema(spec, history_table, &doc.ignore)
        .await?
        .fingerprint();
    let expected = doc
        .steps
        .last()
        .map_or(&doc.fingerprints.current, |s| &s.after);
    if &end != expected {
        return Err(ApplyError::Validation {
            expected: expected.clone(),
            found: end,
        });
    }
    Ok(ApplyReport {
        plan_id: plan_id.to_string(),
        target: label.clone(),
        history_table: history_table.to_string(),
        backup,
        already: done - found.len(),
        found,
        ran,
        total,
        fingerprint: end,
        warnings,
    })
}

/// Dump, check the file, restore its schema into a scratch database and compare that with
/// the live schema; the scratch database is dropped whatever happens.
#[allow(clippy::too_many_arguments)]
async fn take_backup(
    spec: &ConnSpec,
    dir: &std::path::Path,
    scratch: &str,
    flavor: Flavor,
    plan_id: &str,
    history: &str,
    ignore: &[String],
    live: &crate::model::Schema,
    op: &mut dyn Operator,
) -> Result<backup::Backup, ApplyError> {
    let stamp = humantime::format_rfc3339_seconds(std::time::SystemTime::now())
        .to_string()
        .replace([':', '-'], "");
    let stem = format!(
        "{}-{stamp}-{}",
        safe_file_name(&spec.database),
        &plan_id[..12]
    );
    op.say(&format!(
        "backup: dumping {} into {}",
        spec.label(),
        dir.display()
    ));
    let b = backup::dump(spec, dir, &stem, flavor.is_mariadb(), history)?;
    // The live schema was read just before: the dump must hold at least its tables.
    backup::check_complete(&b, live.tables.len())?;
    op.say(&format!(
        "backup: verifying {} in scratch database `{scratch}`",
        b.path.display()
    ));
    let mut conn = live::connect(spec).await?;
    let create = crate::render::sql::create_scratch(
        scratch,
        live.charset.as_deref(),
        live.collation.as_deref(),
    );
    let result = async {
        conn.query_drop(&create)
            .await
            .map_err(|e| ApplyError::BackupUnverified {
                path: b.path.display().to_string(),
                reason: format!("cannot create the scratch database `{scratch}`: {e}"),
            })?;
        backup::restore_schema(spec, &b, scratch, flavor.is_mariadb())?;
        let mut scratch_spec = spec.clone();
        scratch_spec.database = scratch.to_string();
        let restored = live_schema(&scratch_spec, history, ignore).await?;
        if restored.fingerprint() != live.fingerprint() {
            return Err(ApplyError::BackupUnverified {
                path: b.path.display().to_string(),
                reason: "its schema, restored, differs from the live schema".into(),
            });
        }
        Ok(())
    }
    .await;
    let _ = conn
        .query_drop(crate::render::sql::drop_scratch(scratch))
        .await;
    let _ = conn.disconnect().await;
    result.map(|_| b)
}

/// A database name as part of a file name: letters, digits, `-` and `_` only.
fn safe_file_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}
