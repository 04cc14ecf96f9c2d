//! The command line. Doc comments here are the `--help` text.

use crate::flavor::Flavor;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Keeps MySQL and MariaDB databases at their canonical schema.
///
/// Exit codes: 0 success (no drift), 2 drift found (`check`), 1 error.
#[derive(Debug, Parser)]
#[command(name = "canon", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
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
    /// The database: a mysql:// URL or a dump file (as for `plan`); default: the DB_* variables.
    #[arg(long, value_name = "TARGET")]
    pub target: Option<String>,
    /// Server flavor for dump files.
    #[arg(long, value_name = "FLAVOR")]
    pub flavor: Option<Flavor>,
    /// Directory to write `tables/*.sql` and `views/*.sql` into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct Sides {
    /// Canonical DDL: .sql files, or directories read recursively in name order.
    #[arg(long = "schema", value_name = "PATH", required = true, num_args = 1..)]
    pub schema: Vec<PathBuf>,
    /// What the database has: mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?ssl-mode=
    /// disabled|preferred|required|verify-ca|verify-identity&ssl-ca=FILE&socket=PATH], or a
    /// `mysqldump --no-data` / `mariadb-dump --no-data` file. Without it: DB_HOST, DB_PORT,
    /// DB_USER, DB_PASSWORD, DB_NAME. DB_PASSWORD wins over a password in the URL.
    #[arg(long, value_name = "TARGET")]
    pub target: Option<String>,
    /// Server flavor for dump files, e.g. mariadb-10.11, mariadb-11.4, mysql-8.0, mysql-8.4.
    /// Default: the dump header's server version, else mariadb-10.11. Live servers say their own.
    #[arg(long, value_name = "FLAVOR")]
    pub flavor: Option<Flavor>,
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub sides: Sides,
    /// How to report drift.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
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
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A plan file written by `canon plan --out`.
    pub plan: PathBuf,
    /// How to print it.
    #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
    pub format: ShowFormat,
}
