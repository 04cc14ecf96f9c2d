//! canon's error: every failure a command can end with, each with its diagnostic code.

use crate::document::{approve, planfile};
use crate::source::ddl::LoadError;
use crate::source::Shown;
use crate::{apply, config, flavor, model, plan, source};
use miette::Diagnostic;
use model::normalize::NormalizeError;

#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum Error {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Load(#[from] LoadError),
    #[error("in the {side}: {source}")]
    #[diagnostic(code(canon::model))]
    Normalize {
        side: &'static str,
        source: NormalizeError,
    },
    #[error(transparent)]
    #[diagnostic(code(canon::plan))]
    Plan(#[from] plan::PlanError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    PlanFile(#[from] planfile::PlanFileError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Approval(#[from] approve::ApprovalError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Apply(#[from] apply::ApplyError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(#[from] config::ConfigError),
    #[error(transparent)]
    #[diagnostic(code(canon::flavor))]
    Flavor(#[from] flavor::FlavorError),
    #[error("no target: give --target mysql://USER@HOST/DATABASE or a dump file, or set DB_NAME (with DB_HOST, DB_PORT, DB_USER, DB_PASSWORD)")]
    #[diagnostic(code(canon::target))]
    NoTarget,
    #[error(transparent)]
    #[diagnostic(transparent)]
    Live(#[from] source::live::LiveError),
    #[error(
        "{target} has {} table(s) or view(s) canon cannot represent faithfully, so it will not plan against them:\n{}",
        list.len(),
        list.iter().map(|(t, why)| format!("  - `{t}`: {why}")).collect::<Vec<_>>().join("\n")
    )]
    #[diagnostic(
        code(canon::unsupported),
        help("they are reported rather than diffed, so no wrong ALTER is ever planned; if canon need not manage them, leave them out with `ignore` in canon.yaml")
    )]
    Unsupported {
        target: Shown,
        list: Vec<(String, String)>,
    },
    #[error("cannot read {path}")]
    #[diagnostic(code(canon::io))]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {path}")]
    #[diagnostic(code(canon::io))]
    Write {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("--require-migration reads the application's history table: it needs a live database, not a dump file")]
    #[diagnostic(code(canon::validate))]
    MigrationsNeedServer,
    #[error("no canonical schema: give --schema PATH, or `schema:` in canon.yaml")]
    #[diagnostic(code(canon::schema))]
    NoSchema,
    #[error("{0}")]
    #[diagnostic(code(canon::usage))]
    Usage(String),
    #[error("cannot start the async runtime")]
    #[diagnostic(code(canon::runtime))]
    Runtime(#[source] std::io::Error),
}
