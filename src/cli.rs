//! The command line. Doc comments here are the `--help` text.

use crate::flavor::Flavor;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Keeps MySQL and MariaDB databases at their canonical schema.
///
/// Exit codes: 0 success (no drift); 2 drift found (`check`), a failed validation
/// (`validate`) or an error-level finding (`lint`); 1 any error, including a bad command line.
#[derive(Debug, Parser)]
#[command(name = "canon", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// No progress display and no informational messages (errors still print); with
    /// `plan --out` the plan is only written to the file, and `approve` prints nothing.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also print how long each phase took (reading, planning, each step).
    #[arg(long, short, global = true)]
    pub verbose: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compare the canonical schema with a target and print the plan that brings the target there.
    Plan(PlanArgs),
    /// Exit 0 when the target matches the canonical schema, 2 when it has drifted, 1 on error.
    Check(CheckArgs),
    /// Render a saved plan file.
    Show(ShowArgs),
    /// Write a database's schema as canonical DDL, one file per table and view.
    Dump(DumpArgs),
    /// Approve a saved plan: the approval is bound to a digest of what the plan will do, so
    /// editing the plan afterwards voids it.
    Approve(ApproveArgs),
    /// Run an approved plan on a live database, exactly as approved, one journaled step at a
    /// time. Refuses (exit 1, nothing changed) a plan that is unapproved, edited after
    /// approval, stale, or meant for another database; running it again resumes.
    Apply(ApplyArgs),
    /// The runbooks' validation: missing tables, compatibility views, tables without a
    /// primary key, charset/collation and foreign-key type mismatches, missing migrations.
    /// Exit 0 when all pass, 2 when any fails, 1 on error.
    Validate(ValidateArgs),
    /// Check the canonical DDL for what a reviewer would raise (tables without a primary key,
    /// mixed collations, utf8mb3, foreign keys between different types, duplicate indexes,
    /// FLOAT for money, reserved words, nullable unique columns). Exit 2 when a finding is an
    /// error. Silence one with `-- canon: allow ID` on its line or the line above.
    Lint(LintArgs),
    /// Print a shell completion script (e.g. `canon completions bash > /etc/bash_completion.d/canon`).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `canon man > /usr/local/share/man/man1/canon.1`.
    Man,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ValidateFormat {
    Text,
    /// Stable keys: missing_tables, compat_views, compat_views_count, ...
    Json,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub sides: Sides,
    #[arg(long, value_enum, default_value_t = ValidateFormat::Text)]
    pub format: ValidateFormat,
    /// A migration the application's history table must list (repeat for several).
    #[arg(long = "require-migration", value_name = "NAME")]
    pub require_migration: Vec<String>,
    /// The application's migrations table.
    #[arg(long, value_name = "TABLE", default_value = "migrations")]
    pub migrations_table: String,
    /// The column of that table holding migration names.
    #[arg(long, value_name = "COLUMN", default_value = "name")]
    pub migrations_column: String,
    /// Report AUTO_INCREMENT columns past half their type's range (one bounded MAX per
    /// column on a live target): fast gives each 2 s, full 60 s.
    #[arg(long, value_enum, default_value_t = DataChecks::Off)]
    pub data_checks: DataChecks,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// An approved plan file (`canon plan --out`, then `canon approve`).
    pub plan: PathBuf,
    /// The database: mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?ssl-mode=...&ssl-ca=FILE&
    /// socket=PATH&timeout=SECONDS]; default: the DB_* variables. It must be the database the
    /// plan was made for (see --retarget).
    #[arg(long, value_name = "TARGET")]
    pub target: Option<String>,
    /// Do not ask for confirmation (scripts and CI). Without it, apply asks on a terminal
    /// and refuses when there is none.
    #[arg(long)]
    pub yes: bool,
    /// Run a plan made for another database (e.g. reviewed on staging) here; the live schema
    /// must still be exactly the plan's starting schema.
    #[arg(long)]
    pub retarget: bool,
    /// Take a backup first with mariadb-dump/mysqldump into DIR, verify it (complete, and its
    /// schema restores identically into a scratch database), and journal its path and sha256.
    #[arg(long, value_name = "DIR")]
    pub backup_dir: Option<PathBuf>,
    /// Run a plan with destructive steps without a backup, on purpose.
    #[arg(long, conflicts_with = "backup_dir")]
    pub no_backup: bool,
    /// Seconds to wait when another apply holds this database's lock (default: fail at once).
    #[arg(long, value_name = "SECS", default_value_t = 0)]
    pub wait: u64,
    /// The server's lock_wait_timeout for each step, in seconds: a step blocked by a long
    /// transaction fails cleanly instead of stalling the application behind it.
    #[arg(long, value_name = "SECS", default_value_t = 10)]
    pub lock_wait_timeout: u64,
    #[command(flatten)]
    pub history: HistoryTable,
    #[command(flatten)]
    pub settings: EnvArgs,
    /// Who runs the apply, for the history table (default: the login name, else the database
    /// user).
    #[arg(long, value_name = "NAME", env = "CANON_OPERATOR")]
    pub operator: Option<String>,
    /// Galera: a rolling schema upgrade, each step on one node at a time (desynced, then
    /// resynced), for steps compatible with replication both ways (index additions).
    #[arg(long)]
    pub rsu: bool,
    /// A replica of the target, mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE (repeat for
    /// several; default: the environment's `replicas` in canon.yaml). Each must replicate
    /// with a known lag before the first step, and reach the plan's end after the last.
    #[arg(long = "replica", value_name = "URL")]
    pub replicas: Vec<String>,
    /// Before each step, wait while a replica lags more than this many seconds
    /// (Seconds_Behind_Master); pt-online-schema-change gets the same limit.
    #[arg(long, value_name = "SECS", default_value_t = 1)]
    pub max_lag: u64,
    /// How long to wait for the replicas: for their lag to come down before a step, and for
    /// all of them to reach the plan's end after the last.
    #[arg(long, value_name = "SECS", default_value_t = 300)]
    pub replica_wait: u64,
    /// Count the plan's data checks again before the first step and refuse if the rows
    /// changed so a step would fail or lose more than approved; off skips (recorded in the
    /// history table).
    #[arg(long, value_enum, default_value_t = Recheck::On)]
    pub recheck_data: Recheck,
    /// Apply to many databases, each with its own lock, checks, backup and journal: those
    /// the plan lists (or all, with --retarget). Exit 1 unless every one ends at the plan's end.
    #[command(flatten)]
    pub fleet: Fleet,
    /// With a list: apply to this many databases first, one at a time, before the waves.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub canary: usize,
    /// With a list: go on after a database fails (default: no new wave starts).
    #[arg(long)]
    pub continue_on_error: bool,
    /// With a list: how to report each database's outcome and time.
    #[arg(long, value_enum, default_value_t = FleetFormat::Text)]
    pub format: FleetFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FleetFormat {
    Text,
    Json,
    Junit,
    Markdown,
}

#[derive(Debug, Args)]
pub struct ApproveArgs {
    /// A plan file written by `canon plan --out`; the approval is added to it.
    pub plan: PathBuf,
    /// Who approves (a name or e-mail, as your team records reviews).
    #[arg(long, value_name = "NAME")]
    pub by: String,
    /// Why, or under which conditions (e.g. a change ticket).
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct DumpArgs {
    /// The database: a mysql:// URL (with `?timeout=SECONDS` and the other parameters of
    /// `plan`) or a dump file; default: the DB_* variables.
    #[arg(long, value_name = "TARGET")]
    pub target: Option<String>,
    /// Server flavor for dump files.
    #[arg(long, value_name = "FLAVOR")]
    pub flavor: Option<Flavor>,
    /// Directory to write `tables/*.sql` and `views/*.sql` into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub history: HistoryTable,
    #[command(flatten)]
    pub settings: EnvArgs,
}

/// Where settings come from besides the command line.
#[derive(Debug, Args)]
pub struct EnvArgs {
    /// Configuration file (default: canon.yaml in the working directory, when present).
    #[arg(long, value_name = "FILE", env = "CANON_CONFIG")]
    pub config: Option<PathBuf>,
    /// A named environment of the configuration file: its target, password variable,
    /// option file, policies and ignored tables.
    #[arg(long, value_name = "NAME", env = "CANON_ENV")]
    pub env: Option<String>,
    /// A MySQL option file whose [client] section gives the user, password, host, port or
    /// socket that nothing else gives (default: ~/.my.cnf when present).
    #[arg(long, value_name = "FILE")]
    pub defaults_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct Sides {
    /// Canonical DDL: .sql files, or directories read recursively in name order (default:
    /// `schema:` of the configuration file).
    #[arg(long = "schema", value_name = "PATH", num_args = 1..)]
    pub schema: Vec<PathBuf>,
    /// What the database has: mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?ssl-mode=
    /// disabled|preferred|required|verify-ca|verify-identity&ssl-ca=FILE&socket=PATH&
    /// timeout=SECONDS (default 30)], or a `mysqldump --no-data` / `mariadb-dump --no-data`
    /// file. Without it: DB_HOST, DB_PORT, DB_USER, DB_PASSWORD, DB_NAME (DB_SOCKET,
    /// DB_TIMEOUT). DB_PASSWORD wins over a password in the URL.
    #[arg(long, value_name = "TARGET")]
    pub target: Option<String>,
    /// Server flavor for dump files, e.g. mariadb-10.11, mariadb-11.4, mysql-8.0, mysql-8.4.
    /// Default: the dump header's server version, else mariadb-10.11. Live servers say their own.
    #[arg(long, value_name = "FLAVOR")]
    pub flavor: Option<Flavor>,
    #[command(flatten)]
    pub history: HistoryTable,
    #[command(flatten)]
    pub settings: EnvArgs,
}

/// canon's journal of applied steps, kept in the target database and never treated as drift.
#[derive(Debug, Args)]
pub struct HistoryTable {
    /// Name of canon's history table in the target database (default: canon_history).
    #[arg(
        long = "history-table",
        value_name = "NAME",
        env = "CANON_HISTORY_TABLE"
    )]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    Text,
    Yaml,
    Json,
    Sql,
    Markdown,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub sides: Sides,
    /// Write the plan file (YAML) here, for review, approval and apply.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// How to print the plan.
    #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
    pub format: PlanFormat,
    /// Include destructive steps (drops, narrowing changes). Without it they are only listed.
    #[arg(long)]
    pub allow_destructive: bool,
    /// End each ALTER with its predicted ALGORITHM and LOCK: the server then refuses a step
    /// it would run more expensively (e.g. copying the table) instead of silently doing so.
    #[arg(long)]
    pub assert_online: bool,
    /// Run rebuilds of large tables with this tool: pt-online-schema-change (the default) or
    /// none. Overrides canon.yaml's online_schema_change.tool.
    #[arg(long, value_name = "TOOL")]
    pub osc_tool: Option<String>,
    /// A table is large from this many rows (default 1000000).
    #[arg(long, value_name = "ROWS")]
    pub osc_min_rows: Option<u64>,
    /// ... or from this many bytes of data and indexes (default 1 GiB).
    #[arg(long, value_name = "BYTES")]
    pub osc_min_bytes: Option<u64>,
    /// Count the rows each change depends on (duplicates before a UNIQUE key, NULLs before
    /// NOT NULL, orphans, values lost) on a live target: fast gives each check 2 s, full 60 s.
    #[arg(long, value_enum, default_value_t = DataChecks::Fast)]
    pub data_checks: DataChecks,
    /// Show a few duplicate key values in the data checks (never of columns whose names look
    /// sensitive; see docs/data-checks.md).
    #[arg(long)]
    pub show_samples: bool,
    /// Plan many databases: they are grouped by starting schema and --out DIRECTORY gets one
    /// plan per group, listing its databases. Exit 1 if any could not be planned.
    #[command(flatten)]
    pub fleet: Fleet,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DataChecks {
    Off,
    Fast,
    Full,
}

impl DataChecks {
    pub fn mode(self) -> crate::plan::data_checks::Mode {
        use crate::plan::data_checks::Mode;
        match self {
            DataChecks::Off => Mode::Off,
            DataChecks::Fast => Mode::Fast,
            DataChecks::Full => Mode::Full,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Recheck {
    On,
    Off,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    /// A stable report for scripts (documented in docs/ci.md).
    Json,
    /// JUnit XML: a failed test case per drifted object.
    Junit,
    /// GitHub Actions annotations at the canonical file and line of each drifted object.
    Github,
    /// A pull-request comment.
    Markdown,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub sides: Sides,
    /// How to report drift.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Warn about AUTO_INCREMENT columns past half their type's range (one bounded MAX per
    /// column on a live target): fast gives each 2 s, full 60 s.
    #[arg(long, value_enum, default_value_t = DataChecks::Off)]
    pub data_checks: DataChecks,
    /// Check many databases that share the schema (tenants, shards). A few run at a time; one
    /// that fails is reported and the others still run. Exit 1 if any failed, else 2 if any
    /// drifted.
    #[command(flatten)]
    pub fleet: Fleet,
}

/// Many databases that share one schema (tenants, shards); see docs/fleets.md.
#[derive(Debug, Args)]
pub struct Fleet {
    /// A file with one target per line (URL or dump file; `#` comments), instead of --target.
    #[arg(long, value_name = "FILE", conflicts_with = "target")]
    pub targets: Option<PathBuf>,
    /// A shell command whose output lists the targets as --targets does (an inventory).
    #[arg(long, value_name = "COMMAND", conflicts_with_all = ["target", "targets"])]
    pub targets_cmd: Option<String>,
    /// How many databases of the list to work on at once.
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub parallel: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    Text,
    /// An idempotent script for the `mysql` client.
    Sql,
    Markdown,
    Json,
    Yaml,
    /// The plan's rollback as an idempotent `mysql` client script.
    RollbackSql,
    /// One self-contained HTML page for the DBA: side-by-side diffs, steps, approvals.
    Html,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A plan file written by `canon plan --out`.
    pub plan: PathBuf,
    /// How to print it.
    #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
    pub format: ShowFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    Text,
    Github,
    Json,
    Sarif,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Canonical DDL: .sql files or directories (default: `schema:` of canon.yaml).
    #[arg(long = "schema", value_name = "PATH", num_args = 1..)]
    pub schema: Vec<PathBuf>,
    /// The server flavor whose rules normalize the DDL (default: mariadb-10.11).
    #[arg(long, value_name = "FLAVOR")]
    pub flavor: Option<Flavor>,
    #[arg(long, value_enum, default_value_t = LintFormat::Text)]
    pub format: LintFormat,
    #[command(flatten)]
    pub settings: EnvArgs,
}
