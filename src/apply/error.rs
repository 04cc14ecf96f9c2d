//! Why an apply refused or stopped: each variant says whether anything changed and what to do.

use crate::source::live;
use crate::source::Shown;
use miette::Diagnostic;

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
    #[error("this plan defines its programs as `{planned}` (programs.definer: CURRENT_USER, who planned it), but `{applying}` applies it; nothing was changed")]
    #[diagnostic(
        code(canon::apply::definer),
        help("plan again connected as the account that applies, or apply as `{planned}`")
    )]
    DefinerPinned { planned: String, applying: String },
    #[error("the rows changed since the plan was approved; nothing was changed:\n  {}", changes.join("\n  "))]
    #[diagnostic(
        code(canon::apply::data_changed),
        help("plan again (`canon plan --out FILE`) and have the new counts approved; `--recheck-data off` skips this check")
    )]
    DataChanged { changes: Vec<String> },
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
    #[error("the Galera cluster of {target} is not ready: node {node} {why}")]
    #[diagnostic(
        code(canon::apply::cluster),
        help("nothing was changed; wait until every node is Synced and the cluster Primary (SHOW STATUS LIKE 'wsrep_%'), then run the same `canon apply` again")
    )]
    ClusterNotReady {
        target: Shown,
        node: String,
        why: String,
    },
    #[error("Galera node {node} runs schema changes by {method} (wsrep_OSU_method): canon applies by TOI, every node at once")]
    #[diagnostic(
        code(canon::apply::cluster),
        help("nothing was changed; set wsrep_OSU_method = TOI, or ask for a rolling upgrade with --rsu (index additions only)")
    )]
    ClusterOsu { node: String, method: String },
    #[error("step {step} ({object}) is a table rebuild ({algorithm}) of {duration}: under Galera's TOI writes on every node would wait for all of it")]
    #[diagnostic(
        code(canon::apply::cluster),
        help("nothing was changed; plan again with the online schema change tool (--osc-tool pt-online-schema-change), which works under TOI, and have the new plan approved")
    )]
    TooLongForToi {
        step: usize,
        object: String,
        algorithm: String,
        duration: String,
    },
    #[error("after the last step Galera node {node} is not at the plan's final schema")]
    #[diagnostic(
        code(canon::apply::cluster),
        help("expected fingerprint {expected}\nfound    fingerprint {found}\nthe steps ran on the connected node; compare that node with `canon check` and look at its wsrep status")
    )]
    ClusterDiverged {
        node: String,
        expected: String,
        found: String,
    },
    #[error("--rsu (rolling schema upgrade, node by node) needs a Galera cluster: {target} is not a Galera node")]
    #[diagnostic(
        code(canon::apply::rsu),
        help("nothing was changed; run without --rsu")
    )]
    RsuNotCluster { target: Shown },
    #[error("step {step} ({object}) cannot run node by node (--rsu): {why}")]
    #[diagnostic(
        code(canon::apply::rsu),
        help(
            "nothing was changed; run without --rsu: canon then applies by TOI, every node at once"
        )
    )]
    RsuIncompatible {
        step: usize,
        object: String,
        why: String,
    },
    #[error("replica {replica} is not ready: {why}")]
    #[diagnostic(
        code(canon::apply::replica),
        help("nothing was changed; start its replication (START REPLICA) and wait until its lag is known, or leave it out of --replica")
    )]
    ReplicaUnhealthy { replica: Shown, why: String },
    #[error("stopped before the next step: replica {replica} cannot be followed: {why}")]
    #[diagnostic(
        code(canon::apply::replica),
        help("the steps run so far are applied and recorded in the history table; once the replica replicates again, run the same `canon apply`: it resumes")
    )]
    ReplicaStopped { replica: Shown, why: String },
    #[error("every step ran on the primary, but not every replica reached the plan's end:{}", problems.iter().map(|p| format!("\n  - {p}")).collect::<String>())]
    #[diagnostic(
        code(canon::apply::replica),
        help("a lagging replica catches up on its own; run the same `canon apply` again to check. A replica that diverged was changed by hand: compare it with `canon check --target`")
    )]
    ReplicasBehind { problems: Vec<String> },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Live(#[from] live::LiveError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Target(Box<crate::Error>),
}

impl ApplyError {
    /// A statement the server did not run, named by what it was for.
    pub fn server(what: &str, e: mysql_async::Error) -> ApplyError {
        ApplyError::Server {
            what: what.to_string(),
            reason: e.to_string(),
        }
    }
}
