//! canon keeps MySQL and MariaDB databases at their canonical schema.
//!
//! The pipeline, one way: source → model → diff → plan → render (and, later, apply).
//! [`load_desired`] and [`load_target`] read both sides into one normalized model,
//! [`plan`] diffs them and orders the steps, and `render` prints the result for people.

pub mod cli;
pub mod commands;
pub mod diff;
pub mod flavor;
pub mod model;
pub mod plan;
pub mod planfile;
pub mod render;
pub mod source;
pub mod sqlexpr;

use flavor::Flavor;
use miette::Diagnostic;
use model::normalize::{normalize, NormalizeError};
use model::Schema;
use render::document::{self, PlanDocument};
use source::ddl::{self, LoadError, Loader, SourceKind, Warning};
use std::path::PathBuf;

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
    #[diagnostic(code(canon::flavor))]
    Flavor(#[from] flavor::FlavorError),
    #[error("unsupported target `{0}`")]
    #[diagnostic(
        code(canon::target),
        help("a target is a `mysqldump --no-data` / `mariadb-dump --no-data` file")
    )]
    Target(String),
}

/// One side of a diff, normalized, with what the reader noticed on the way.
pub struct Side {
    pub schema: Schema,
    pub flavor: Flavor,
    pub warnings: Vec<Warning>,
    pub label: String,
}

/// The canonical schema from DDL files and directories.
pub fn load_desired(paths: &[PathBuf], flavor: Flavor) -> Result<Side, Error> {
    let mut loader = Loader::new(flavor);
    for file in ddl::collect_files(paths)? {
        loader.load_file(&file, SourceKind::Schema)?;
    }
    let loaded = loader.finish();
    let mut schema = loaded.schema;
    normalize(&mut schema, flavor).map_err(|source| Error::Normalize {
        side: "canonical schema",
        source,
    })?;
    Ok(Side {
        schema,
        flavor,
        warnings: loaded.warnings,
        label: paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
    })
}

/// What the database has: a dump file. The flavor is the one given, else the dump's header's.
pub fn load_target(target: &str, flavor: Option<Flavor>) -> Result<Side, Error> {
    if target.contains("://") {
        return Err(Error::Target(
            target.split('@').next_back().unwrap_or(target).to_string(),
        ));
    }
    let path = PathBuf::from(target);
    let text = ddl::read_file(&path)?;
    let flavor = flavor
        .or_else(|| ddl::dump_flavor(&text))
        .unwrap_or(Flavor::DEFAULT);
    let mut loader = Loader::new(flavor);
    loader.load_text(target, text, SourceKind::Dump)?;
    let loaded = loader.finish();
    let mut schema = loaded.schema;
    normalize(&mut schema, flavor).map_err(|source| Error::Normalize {
        side: "target",
        source,
    })?;
    Ok(Side {
        schema,
        flavor,
        warnings: loaded.warnings,
        label: target.to_string(),
    })
}

pub struct PlanRequest {
    pub schema: Vec<PathBuf>,
    pub target: String,
    pub flavor: Option<Flavor>,
    pub allow_destructive: bool,
}

fn warning_text(w: &Warning, side: &str) -> String {
    match &w.origin {
        Some(o) => format!("{} ({side}, {}:{})", w.message, o.file, o.line),
        None => format!("{} ({side})", w.message),
    }
}

/// Read both sides, diff them and plan the steps: the document a DBA reviews.
pub fn plan(req: &PlanRequest) -> Result<PlanDocument, Error> {
    let current = load_target(&req.target, req.flavor)?;
    let desired = load_desired(&req.schema, current.flavor)?;
    let changes = diff::diff(&current.schema, &desired.schema);
    let opts = plan::PlanOptions {
        allow_destructive: req.allow_destructive,
    };
    let steps = plan::plan(&current.schema, &desired.schema, &changes, opts)?;
    let warnings = current
        .warnings
        .iter()
        .map(|w| warning_text(w, "target"))
        .chain(
            desired
                .warnings
                .iter()
                .map(|w| warning_text(w, "canonical")),
        )
        .collect();
    Ok(document::build(
        &steps,
        &changes,
        document::Context {
            flavor: current.flavor,
            canonical: req.schema.iter().map(|p| p.display().to_string()).collect(),
            target: current.label,
            allow_destructive: req.allow_destructive,
            warnings,
            current: &current.schema,
            desired: &desired.schema,
        },
    ))
}
