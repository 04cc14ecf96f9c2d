//! canon keeps MySQL and MariaDB databases at their canonical schema.
//!
//! The pipeline, one way: source → model → diff → plan → render (and, later, apply).
//! [`load_desired`] and [`load_target`] read both sides into one normalized model,
//! [`plan`] diffs them and orders the steps, and `render` prints the result for people.

pub mod apply;
pub mod approve;
pub mod cli;
pub mod commands;
pub mod compat;
pub mod config;
pub mod diff;
pub mod excerpt;
pub mod flavor;
pub mod lint;
pub mod model;
pub mod plan;
pub mod planfile;
pub mod progress;
pub mod render;
pub mod source;
pub mod sqlexpr;
pub mod validate;
pub mod yaml;

use flavor::Flavor;
use miette::Diagnostic;
use model::normalize::{normalize, NormalizeError};
use model::Schema;
use render::document::{self, PlanDocument};
use source::ddl::{self, LoadError, Loader, SourceKind, Warning};
use source::Shown;
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

/// What `--target` names: a dump file or a live database.
pub enum Target {
    Dump(PathBuf),
    Live(source::live::ConnSpec),
}

/// Where a password and connection defaults come from, besides the target itself.
#[derive(Debug, Default, Clone)]
pub struct Credentials {
    /// An explicit password (the variable an environment names, else `DB_PASSWORD`): wins
    /// over one in the URL.
    pub password: Option<String>,
    /// A MySQL option file's `[client]` settings: used for what nothing else gives.
    pub option_file: Option<source::live::options::OptionFile>,
}

impl Target {
    /// `--target` as given, else the runbooks' `DB_*` variables; an option file fills in
    /// what neither says (the password, and for `DB_*` the user, host, port and socket).
    pub fn resolve(arg: Option<&str>, creds: &Credentials) -> Result<Target, Error> {
        use source::live::ConnSpec;
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let file = creds.option_file.clone().unwrap_or_default();
        let password = creds.password.clone().or_else(|| env("DB_PASSWORD"));
        let mut spec = match arg {
            Some(url) if url.contains("://") => ConnSpec::parse(url, password)?,
            // A URL without its scheme would be shown as a file's path, password and all.
            Some(arg) if arg.contains('@') && !std::path::Path::new(arg).exists() => {
                return Err(source::live::LiveError::BadTarget(
                    "the target is neither a file nor a mysql:// URL (it is not shown: it may hold a password)".into(),
                )
                .into())
            }
            Some(path) => return Ok(Target::Dump(PathBuf::from(path))),
            None => {
                let get = |k: &str| match k {
                    "DB_PASSWORD" => password.clone(),
                    _ => env(k).or_else(|| match k {
                        "DB_HOST" => file.host.clone(),
                        "DB_USER" => file.user.clone(),
                        "DB_PORT" => file.port.map(|p| p.to_string()),
                        "DB_SOCKET" => file.socket.clone(),
                        _ => None,
                    }),
                };
                match ConnSpec::from_env(get) {
                    Some(spec) => spec?,
                    None => return Err(Error::NoTarget),
                }
            }
        };
        if spec.password.is_none() {
            spec.password = file.password;
        }
        Ok(Target::Live(spec))
    }

    /// What messages and reports show of it.
    pub fn shown(&self) -> Shown {
        match self {
            Target::Dump(path) => Shown::files(&[path]),
            Target::Live(spec) => spec.label(),
        }
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(Error::Runtime)
}

/// One side of a diff, normalized, with what the reader noticed on the way.
pub struct Side {
    pub schema: Schema,
    /// Table sizes, from a live server only.
    pub sizes: model::Sizes,
    pub flavor: Flavor,
    pub warnings: Vec<Warning>,
    pub label: Shown,
}

/// The canonical schema from DDL files and directories. Tables without a charset inherit the
/// target database's default (`database`), unless the files create the database themselves.
pub fn load_desired(paths: &[PathBuf], flavor: Flavor, database: &Schema) -> Result<Side, Error> {
    finish_desired(read_desired(paths, flavor)?, paths, flavor, database, &[])
}

/// The canonical files parsed, not yet normalized.
fn read_desired(paths: &[PathBuf], flavor: Flavor) -> Result<ddl::Loaded, Error> {
    let mut loader = Loader::new(flavor);
    for file in ddl::collect_files(paths)? {
        loader.load_file(&file, SourceKind::Schema)?;
    }
    Ok(loader.finish())
}

fn finish_desired(
    loaded: ddl::Loaded,
    paths: &[PathBuf],
    flavor: Flavor,
    database: &Schema,
    ignore: &[String],
) -> Result<Side, Error> {
    let skipped = loaded.skipped_warnings();
    let label = Shown::files(paths);
    refuse_unsupported(&label, loaded.unsupported, ignore)?;
    let mut schema = loaded.schema;
    if schema.charset.is_none() && schema.collation.is_none() {
        schema.charset = database.charset.clone();
        schema.collation = database.collation.clone();
    }
    schema.lower_case_names = database.lower_case_names;
    normalize(&mut schema, flavor).map_err(|source| Error::Normalize {
        side: "canonical schema",
        source,
    })?;
    Ok(Side {
        warnings: [ddl::warnings(&schema), skipped].concat(),
        schema,
        sizes: model::Sizes::new(),
        flavor,
        label,
    })
}

/// Tables a file defines with features canon does not model: an error naming each (a plan
/// without them would drop them), unless `ignore` leaves them out.
fn refuse_unsupported(
    label: &Shown,
    unsupported: Vec<ddl::Refusal>,
    ignore: &[String],
) -> Result<(), Error> {
    let list: Vec<(String, String)> = unsupported
        .into_iter()
        .filter(|r| !ignored(ignore, &r.table))
        .map(|r| {
            let at = format!("{}:{}", r.origin.file, r.origin.line);
            (r.table, format!("{}: {} ({at})", r.feature, r.reason))
        })
        .collect();
    if list.is_empty() {
        return Ok(());
    }
    Err(Error::Unsupported {
        target: label.clone(),
        list,
    })
}

/// canon's own history table is not part of the schema it manages.
fn without_history(schema: &mut Schema, history: &str) {
    let lower = schema.lower_case_names;
    schema
        .tables
        .retain(|n, _| !(n == history || (lower && n.eq_ignore_ascii_case(history))));
}

/// Whether an `ignore` pattern matches the name.
fn ignored(patterns: &[String], name: &str) -> bool {
    patterns.iter().any(|p| config::matches(p, name))
}

/// Leave out the tables, views and sequences an `ignore` pattern matches.
pub fn without_ignored(schema: &mut Schema, patterns: &[String]) {
    schema.tables.retain(|n, _| !ignored(patterns, n));
    schema.views.retain(|n, _| !ignored(patterns, n));
    schema.sequences.retain(|n, _| !ignored(patterns, n));
}

/// A live database's side, once introspected, without the history table and what `ignore`
/// matches; refused when a table cannot be modelled, unless `ignore` leaves it out anyway.
pub fn live_side(
    mut live: source::live::Introspected,
    history: &str,
    ignore: &[String],
) -> Result<Side, Error> {
    without_history(&mut live.schema, history);
    without_ignored(&mut live.schema, ignore);
    live.unsupported
        .retain(|(n, _)| n != history && !ignored(ignore, n));
    if !live.unsupported.is_empty() {
        return Err(Error::Unsupported {
            target: live.label,
            list: live.unsupported,
        });
    }
    Ok(Side {
        warnings: ddl::warnings(&live.schema),
        schema: live.schema,
        sizes: live.sizes,
        flavor: live.flavor,
        label: live.label,
    })
}

/// What the database has. A live server gives its own flavor; for a dump file the flavor is
/// the one given, else the dump header's. The history table (`history`) and what `ignore`
/// matches are left out (on a server, those may be tables canon cannot model).
pub fn load_target(
    target: &Target,
    flavor: Option<Flavor>,
    history: &str,
    ignore: &[String],
) -> Result<Side, Error> {
    let path = match target {
        Target::Dump(path) => path,
        Target::Live(spec) => {
            let live = runtime()?.block_on(source::live::introspect(spec))?;
            return live_side(live, history, ignore);
        }
    };
    let label = Shown::files(&[path]);
    let flavor = match flavor {
        Some(f) => f,
        None => ddl::dump_flavor(path)?.unwrap_or(Flavor::DEFAULT),
    };
    let mut loader = Loader::new(flavor);
    loader.load_file(path, SourceKind::Dump)?;
    let loaded = loader.finish();
    let skipped = loaded.skipped_warnings();
    refuse_unsupported(&label, loaded.unsupported, ignore)?;
    let mut schema = loaded.schema;
    normalize(&mut schema, flavor).map_err(|source| Error::Normalize {
        side: "target",
        source,
    })?;
    without_history(&mut schema, history);
    without_ignored(&mut schema, ignore);
    Ok(Side {
        warnings: [ddl::warnings(&schema), skipped].concat(),
        schema,
        sizes: model::Sizes::new(),
        flavor,
        label,
    })
}

#[derive(Clone)]
pub struct PlanRequest {
    pub schema: Vec<PathBuf>,
    /// As given on the command line; None reads the `DB_*` variables.
    pub target: Option<String>,
    pub flavor: Option<Flavor>,
    pub allow_destructive: bool,
    /// Render each ALTER with its predicted `ALGORITHM=..., LOCK=...` (`--assert-online`).
    pub assert_online: bool,
    /// When large rebuilds go through an online schema change tool.
    pub osc: plan::osc::Policy,
    /// canon's history table, left out of the target's schema.
    pub history_table: String,
    /// Table and view names left out on both sides (`*`/`?` patterns).
    pub ignore: Vec<String>,
    pub credentials: Credentials,
}

fn warning_text(w: &Warning, side: &str) -> String {
    match &w.origin {
        Some(o) => format!("{} ({side}, {}:{})", w.message, o.file, o.line),
        None => format!("{} ({side})", w.message),
    }
}

/// Both sides of a request, read and normalized: (current, desired).
pub fn load_sides(req: &PlanRequest) -> Result<(Side, Side), Error> {
    let target = Target::resolve(req.target.as_deref(), &req.credentials)?;
    // The canonical files are read while the target is (the server does most of that work);
    // with a guessed flavor, kept only when the real one cannot have read them differently.
    let guess = req.flavor.unwrap_or(Flavor::DEFAULT);
    let (current, early) = std::thread::scope(|s| {
        let early = s.spawn(|| read_desired(&req.schema, guess));
        (
            load_target(&target, req.flavor, &req.history_table, &req.ignore),
            early.join(),
        )
    });
    let current = current?;
    let loaded = match early {
        Ok(Ok(l))
            if current.flavor == guess
                || (current.flavor.vendor == guess.vendor && !l.versioned) =>
        {
            l
        }
        _ => read_desired(&req.schema, current.flavor)?,
    };
    let mut desired = finish_desired(
        loaded,
        &req.schema,
        current.flavor,
        &current.schema,
        &req.ignore,
    )?;
    without_ignored(&mut desired.schema, &req.ignore);
    Ok((current, desired))
}

/// The warnings of both sides' readers, each saying which side.
fn side_warnings(current: &Side, desired: &Side) -> Vec<String> {
    current
        .warnings
        .iter()
        .map(|w| warning_text(w, "target"))
        .chain(
            desired
                .warnings
                .iter()
                .map(|w| warning_text(w, "canonical")),
        )
        .collect()
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

/// Read both sides, diff them and plan the steps: the document a DBA reviews.
pub fn plan(req: &PlanRequest) -> Result<PlanDocument, Error> {
    let (current, desired) = load_sides(req)?;
    // Renames run first, keeping the data; the rest is planned from where they leave it.
    let renames = plan::rename::renames(&current.schema, &desired.schema);
    let changes = diff::diff(&renames.schema, &desired.schema);
    let opts = plan::PlanOptions {
        allow_destructive: req.allow_destructive,
    };
    let mut steps = plan::plan(&renames.schema, &desired.schema, &changes, opts)?;
    let rollback = plan::rollback(&renames.schema, &steps).map(|mut back| {
        back.steps.extend(plan::rename::reversed(&renames.steps));
        back
    });
    steps.steps.splice(0..0, renames.steps.iter().cloned());
    let mut warnings = side_warnings(&current, &desired);
    if let Err(e) = &rollback {
        warnings.push(format!("no rollback steps: {e}"));
    }
    warnings.extend(renames.warnings.iter().cloned());
    warnings.extend(plan::rename::likely(&changes));
    let mut ctx = context(req, &current, &renames.schema, &desired, warnings);
    ctx.rollback = rollback.as_ref().ok();
    Ok(document::build(&steps, &changes, ctx))
}

/// What differs, for `canon check`: the plan's review part without planning the steps.
pub fn check(req: &PlanRequest) -> Result<PlanDocument, Error> {
    let (current, desired) = load_sides(req)?;
    let renames = plan::rename::renames(&current.schema, &desired.schema);
    let changes = diff::diff(&renames.schema, &desired.schema);
    let mut warnings = side_warnings(&current, &desired);
    warnings.extend(renames.warnings.iter().cloned());
    warnings.extend(plan::rename::likely(&changes));
    let ctx = context(req, &current, &renames.schema, &desired, warnings);
    Ok(document::drift_only(&renames.steps, &changes, ctx))
}

/// Apply an approved plan file to a live target (`canon apply`).
pub fn apply(
    doc: &PlanDocument,
    target: Option<&str>,
    creds: &Credentials,
    opts: &apply::ApplyOptions,
    op: &mut dyn apply::Operator,
) -> Result<apply::ApplyReport, Error> {
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
) -> Result<(validate::Validation, Shown), Error> {
    let (current, desired) = load_sides(req)?;
    let mut v = validate::validate(&current.schema, &desired.schema);
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
