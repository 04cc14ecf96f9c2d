//! Both sides of a diff read and normalized: the canonical files and the target (a dump or a
//! live database), without canon's history table and what `ignore` leaves out.

use crate::flavor::Flavor;
use crate::model::normalize::normalize;
use crate::model::{self, Schema};
use crate::source::ddl::{self, Loader, SourceKind, Warning};
use crate::source::{self, Shown};
use crate::target::{Credentials, Target};
use crate::{config, plan, runtime, Error};
use std::path::PathBuf;

/// One side of a diff, normalized, with what the reader noticed on the way.
pub struct Side {
    pub schema: Schema,
    /// Table sizes, from a live server only.
    pub sizes: model::Sizes,
    pub flavor: Flavor,
    pub warnings: Vec<Warning>,
    pub label: Shown,
    /// Who read a live server (`CURRENT_USER()`, `user@host`): who is taken to apply.
    pub user: Option<String>,
}

impl Side {
    /// A side read from files: no sizes; what the reader skipped.
    fn of_files(schema: Schema, skipped: Vec<Warning>, flavor: Flavor, label: Shown) -> Side {
        Side {
            warnings: skipped,
            schema,
            sizes: model::Sizes::new(),
            flavor,
            label,
            user: None,
        }
    }
}

/// The canonical schema from DDL files and directories. Tables without a charset inherit the
/// target database's default (`database`), unless the files create the database themselves.
pub fn load_desired(paths: &[PathBuf], flavor: Flavor, database: &Schema) -> Result<Side, Error> {
    finish_desired(read_desired(paths, flavor)?, paths, flavor, database, &[])
}

/// The canonical files parsed, not yet normalized.
pub(crate) fn read_desired(paths: &[PathBuf], flavor: Flavor) -> Result<ddl::Loaded, Error> {
    let mut loader = Loader::new(flavor);
    for file in ddl::collect_files(paths)? {
        loader.load_file(&file, SourceKind::Schema)?;
    }
    Ok(loader.finish())
}

pub(crate) fn finish_desired(
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
    schema.aria_checksums_off = database.aria_checksums_off;
    normalize(&mut schema, flavor).map_err(|source| Error::Normalize {
        side: "canonical schema",
        source,
    })?;
    Ok(Side::of_files(schema, skipped, flavor, label))
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
        warnings: Vec::new(),
        schema: live.schema,
        sizes: live.sizes,
        flavor: live.flavor,
        label: live.label,
        user: live.user,
    })
}

/// A target read: a live server's answers (its tables not yet model), or a dump's side.
enum Read {
    Live(source::live::Answered),
    Dump(Side),
}

impl Read {
    fn flavor(&self) -> Flavor {
        match self {
            Read::Live(answered) => answered.flavor,
            Read::Dump(side) => side.flavor,
        }
    }

    /// The side, with a live server's tables read against `known` (see
    /// [`source::live::Answered::assemble`]).
    fn side(self, known: Option<&Schema>, history: &str, ignore: &[String]) -> Result<Side, Error> {
        match self {
            Read::Live(answered) => live_side(answered.assemble(known)?, history, ignore),
            Read::Dump(side) => Ok(side),
        }
    }
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
    read_target(target, flavor, history, ignore)?.side(None, history, ignore)
}

fn read_target(
    target: &Target,
    flavor: Option<Flavor>,
    history: &str,
    ignore: &[String],
) -> Result<Read, Error> {
    let path = match target {
        Target::Dump(path) => path,
        Target::Live(spec) => {
            return Ok(Read::Live(runtime()?.block_on(source::live::read(spec))?))
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
    Ok(Read::Dump(Side::of_files(schema, skipped, flavor, label)))
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
    /// Whether programs' definers and creation contexts are drift (`programs:` in canon.yaml).
    pub programs: crate::diff::programs::Policy,
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
    // They are made model against the database's defaults before its tables are: a table
    // the server prints as canon renders the canonical one needs no parse.
    let guess = req.flavor.unwrap_or(Flavor::DEFAULT);
    let (read, early) = std::thread::scope(|s| {
        let early = s.spawn(|| read_desired(&req.schema, guess));
        (
            read_target(&target, req.flavor, &req.history_table, &req.ignore),
            early.join(),
        )
    });
    let read = read?;
    let flavor = read.flavor();
    let loaded = match early {
        Ok(Ok(l)) if flavor == guess || (flavor.vendor == guess.vendor && !l.versioned) => l,
        _ => read_desired(&req.schema, flavor)?,
    };
    let defaults;
    let database = match &read {
        Read::Live(answered) => {
            defaults = answered.defaults()?;
            &defaults
        }
        Read::Dump(side) => &side.schema,
    };
    let mut desired = finish_desired(loaded, &req.schema, flavor, database, &req.ignore)?;
    let mut current = read.side(Some(&desired.schema), &req.history_table, &req.ignore)?;
    without_ignored(&mut desired.schema, &req.ignore);
    let notes = crate::diff::programs::settle(
        &mut current.schema,
        &mut desired.schema,
        req.programs,
        current.user.as_deref(),
    );
    desired
        .warnings
        .extend(notes.into_iter().map(|message| Warning {
            message,
            origin: None,
        }));
    Ok((current, desired))
}

/// The warnings of both sides' readers, each saying which side.
pub(crate) fn side_warnings(current: &Side, desired: &Side) -> Vec<String> {
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
