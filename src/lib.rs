//! canon keeps MySQL and MariaDB databases at their canonical schema.
//!
//! The pipeline, one way: source → model → diff → plan → render (and, later, apply).
//! [`load_desired`] and [`load_target`] read both sides into one normalized model,
//! [`plan`] diffs them and orders the steps, and `render` prints the result for people.

pub mod apply;
pub mod cli;
pub mod commands;
pub mod compat;
pub mod config;
pub mod data_checks;
pub mod diff;
pub mod document;
pub mod environment;
pub mod excerpt;
pub mod flavor;
pub mod lint;
pub mod model;
pub mod plan;
pub mod progress;
pub mod render;
pub mod source;
pub mod sql;
pub mod sqlexpr;
pub mod validate;
pub mod yaml;

mod error;
mod parallel;
mod sides;
mod target;

pub use error::Error;
pub use sides::{
    live_side, load_desired, load_sides, load_target, without_ignored, PlanRequest, Side,
};
pub use target::{Credentials, Target};

use document::PlanDocument;
use flavor::Flavor;
use model::Schema;
use plan::compose::{self, Drift};
use sides::{finish_desired, read_desired, side_warnings};
use source::Shown;
use std::path::PathBuf;

pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(Error::Runtime)
}

fn context<'a>(
    req: &'a PlanRequest,
    current: &'a Side,
    renamed: &'a Schema,
    desired: &'a Side,
    warnings: Vec<String>,
) -> document::Context<'a> {
    document::Context {
        flavor: current.flavor,
        rollback: None,
        canonical: req.schema.iter().map(|p| p.display().to_string()).collect(),
        target: current.label.clone(),
        allow_destructive: req.allow_destructive,
        ignore: req.ignore.clone(),
        warnings,
        current: &current.schema,
        renamed,
        desired: &desired.schema,
        sizes: &current.sizes,
        assert_online: req.assert_online,
        osc: &req.osc,
    }
}

/// Read both sides, diff them and plan the steps: the document a DBA reviews. No data
/// checks: `plan_checking` runs them.
pub fn plan(req: &PlanRequest) -> Result<PlanDocument, Error> {
    let off = data_checks::Request {
        mode: plan::data_checks::Mode::Off,
        ..Default::default()
    };
    plan_checking(req, &off)
}

/// `plan`, with the data checks `data` asks for run on a live target first: changes the
/// rows would make fail are left out, losses are counted.
pub fn plan_checking(
    req: &PlanRequest,
    data: &data_checks::Request,
) -> Result<PlanDocument, Error> {
    let (current, desired) = load_sides(req)?;
    let drift = compose::drift(&current.schema, &desired.schema);
    let opts = plan::PlanOptions {
        allow_destructive: req.allow_destructive,
        // MariaDB replaces a program in one statement: nothing to lock.
        lock_triggers: req.programs.lock_triggers && !current.flavor.is_mariadb(),
    };
    let checked = data_checks::for_plan(req, &current, &drift.renamed, &drift.changes, data)?;
    let blocked = plan::data_checks::blocked(&checked);
    let mut composed = compose::compose_blocked(&drift, &desired.schema, opts, blocked)?;
    plan::data_checks::count_losses(&mut composed.steps, &checked);
    let mut warnings = side_warnings(&current, &desired);
    if let Err(e) = &composed.rollback {
        warnings.push(format!("no rollback steps: {e}"));
    }
    let Drift {
        renamed,
        changes,
        warnings: notes,
        ..
    } = drift;
    warnings.extend(notes);
    let mut ctx = context(req, &current, &renamed, &desired, warnings);
    ctx.rollback = composed.rollback.as_ref().ok();
    let mut doc = document::build(&composed.steps, &changes, ctx);
    doc.data_checks = checked;
    if req.programs.definer == diff::programs::DefinerPolicy::CurrentUser {
        doc.definer = current.user.clone();
    }
    // A Galera cluster runs each step on every node at once: the review says what blocks.
    if let Target::Live(spec) = Target::resolve(req.target.as_deref(), &req.credentials)? {
        if let Some(osu) = runtime()?.block_on(apply::cluster::osu_method(&spec))? {
            doc.warnings
                .extend(apply::cluster::review(&osu, &doc.steps));
        }
    }
    Ok(doc)
}

/// What differs, for `canon check`: the plan's review part without planning the steps.
pub fn check(req: &PlanRequest) -> Result<PlanDocument, Error> {
    check_with(req, plan::data_checks::Mode::Off)
}

/// `check`, with the AUTO_INCREMENT headroom of a live target's columns among its warnings
/// (`--data-checks fast|full`).
pub fn check_with(req: &PlanRequest, data: plan::data_checks::Mode) -> Result<PlanDocument, Error> {
    let (current, desired) = load_sides(req)?;
    let drift = compose::drift(&current.schema, &desired.schema);
    let mut warnings = side_warnings(&current, &desired);
    let headroom = data_checks::headroom(req, &current, data)?;
    warnings.extend(drift.warnings.iter().cloned());
    let ctx = context(req, &current, &drift.renamed, &desired, warnings);
    let mut doc = document::drift_only(&drift.renames, &drift.changes, ctx);
    doc.data_checks = headroom;
    Ok(doc)
}

/// Apply an approved plan file to a live target (`canon apply`).
pub fn apply(
    doc: &PlanDocument,
    target: Option<&str>,
    creds: &Credentials,
    opts: &apply::ApplyOptions,
    op: &mut dyn apply::Operator,
) -> Result<document::report::ApplyReport, Error> {
    let spec = match Target::resolve(target, creds)? {
        Target::Live(spec) => spec,
        Target::Dump(path) => {
            return Err(apply::ApplyError::NotLive(path.display().to_string()).into())
        }
    };
    Ok(runtime()?.block_on(apply::apply(doc, &spec, opts, op))?)
}

/// The application's migrations to require (`canon validate --require-migration`).
pub struct Migrations {
    pub required: Vec<String>,
    pub table: String,
    pub column: String,
}

/// `canon validate`: the validation report of the target against the canonical schema.
pub fn validate(
    req: &PlanRequest,
    migrations: Option<&Migrations>,
    data: plan::data_checks::Mode,
) -> Result<(validate::Validation, Shown), Error> {
    let (current, desired) = load_sides(req)?;
    let mut v = validate::validate(&current.schema, &desired.schema);
    v.auto_increment = data_checks::headroom(req, &current, data)?
        .iter()
        .map(render::data_checks::line)
        .collect();
    if let Some(m) = migrations {
        let spec = match Target::resolve(req.target.as_deref(), &req.credentials)? {
            Target::Live(spec) => spec,
            Target::Dump(_) => return Err(Error::MigrationsNeedServer),
        };
        let recorded =
            runtime()?.block_on(source::live::column_values(&spec, &m.table, &m.column))?;
        v.missing_migrations = Some(validate::missing_migrations(&m.required, &recorded));
    }
    Ok((v, current.label))
}

/// `canon lint`: the canonical schema's findings, silenced ones left out.
pub fn lint(paths: &[PathBuf], flavor: Option<Flavor>) -> Result<Vec<lint::Finding>, Error> {
    let flavor = flavor.unwrap_or(Flavor::DEFAULT);
    let mut loaded = read_desired(paths, flavor)?;
    let implicit = std::mem::take(&mut loaded.implicit_indexes);
    let side = finish_desired(loaded, paths, flavor, &Schema::default(), &[])?;
    let findings = lint::lint(&side.schema, &implicit);
    Ok(lint::silenced(findings, |f| {
        std::fs::read_to_string(f).ok()
    }))
}
