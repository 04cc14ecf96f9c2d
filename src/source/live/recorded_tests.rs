//! Introspection on recorded answers (`fixtures/introspection/<server>/`, made by
//! `scripts/record-introspection`, see its README): the model built from them must equal
//! the DDL the database was made from. The MariaDB recording checks the recorded path
//! against the live one the other tests run; the MySQL recordings test what CI has no
//! server of.

use super::build::{assemble, flavor_of, tables_of, Answers};
use super::record::Record;
use crate::flavor::Flavor;
use crate::model::normalize::normalize;
use crate::source::ddl::{Loader, SourceKind};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One row of `mysql --batch` output: tab-separated, `NULL` for SQL NULL, `\t \n \\ \0`
/// escaped.
struct Recorded(HashMap<String, Option<String>>);

impl Record for Recorded {
    fn cell(&self, col: &str) -> Option<Option<String>> {
        self.0.get(col).cloned()
    }
}

fn unescape(cell: &str) -> Option<String> {
    if cell == "NULL" {
        return None;
    }
    let mut out = String::with_capacity(cell.len());
    let mut chars = cell.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('0') => out.push('\0'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    Some(out)
}

fn rows(dir: &Path, name: &str) -> Vec<Recorded> {
    let path = dir.join(format!("{name}.tsv"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines();
    let header: Vec<&str> = lines
        .next()
        .map(|h| h.split('\t').collect())
        .unwrap_or_default();
    lines
        .map(|line| {
            let cells = line.split('\t').map(unescape);
            Recorded(header.iter().map(|h| h.to_string()).zip(cells).collect())
        })
        .collect()
}

fn one(dir: &Path, name: &str) -> Recorded {
    rows(dir, name).into_iter().next().expect("one row")
}

/// How a recording is named in messages: the fixture's server and database.
fn recorded() -> crate::source::Shown {
    crate::source::Shown::server("recorded", 3306, "fixture")
}

/// The recording read as introspection reads a live server.
fn introspected(dir: &Path) -> super::Introspected {
    read(dir, None).unwrap()
}

/// The recording read, with one answer's column left out (`without`: answer, column).
fn read(
    dir: &Path,
    without: Option<(&str, &str)>,
) -> Result<super::Introspected, super::LiveError> {
    // An answer's rows, without the column `without` names for it.
    let answer = |name: &str| {
        let mut read = rows(dir, name);
        if let Some((_, col)) = without.filter(|(answer, _)| *answer == name) {
            read.iter_mut().for_each(|r| drop(r.0.remove(col)));
        }
        read
    };
    let database = std::fs::read_to_string(dir.join("database")).unwrap();
    let server = one(dir, "server");
    let flavor = flavor_of(&server, &recorded()).unwrap();
    let tables = answer("tables");
    let base = tables_of(&tables, "BASE TABLE")?;
    let shown = base
        .iter()
        .map(|t| {
            let text = std::fs::read_to_string(dir.join("show_create").join(format!("{t}.sql")));
            (t.clone(), text.unwrap().trim_end().to_string())
        })
        .collect();
    let answers = Answers {
        server,
        schema: one(dir, "schema"),
        tables,
        views: answer("views"),
        programs: super::programs::ProgramRows {
            triggers: answer("triggers"),
            routines: answer("routines"),
            parameters: answer("parameters"),
            events: answer("events"),
        },
        shown,
        sequences: Vec::new(),
    };
    assemble(answers, flavor, database.trim(), recorded(), None)
}

fn recordings() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/introspection");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn every_recording_reads_as_the_ddl_it_was_made_from() {
    let dirs = recordings();
    assert!(dirs.len() >= 3, "{dirs:?}");
    for dir in dirs {
        let live = introspected(&dir);
        assert!(
            live.unsupported.is_empty(),
            "{}: {:?}",
            dir.display(),
            live.unsupported
        );
        let mut loader = Loader::new(live.flavor);
        loader
            .load_file(&dir.join("canonical.sql"), SourceKind::Schema)
            .unwrap();
        let mut canonical = loader.finish().schema;
        canonical.charset = live.schema.charset.clone();
        canonical.collation = live.schema.collation.clone();
        normalize(&mut canonical, live.flavor).unwrap();
        let changes = crate::diff::diff(&live.schema, &canonical);
        assert!(changes.is_empty(), "{}: {changes:#?}", dir.display());
        assert!(!live.schema.tables.is_empty() && !live.schema.views.is_empty());
    }
}

/// The stored programs of the MariaDB recording read as its canonical.sql's, but for what
/// only the server knows (who created them, with which session settings).
#[test]
fn recorded_programs_read_as_the_ddl_they_were_made_from() {
    let dir = recordings()
        .into_iter()
        .find(|d| d.ends_with("mariadb-10.11"))
        .unwrap();
    let live = introspected(&dir).schema;
    let mut loader = Loader::new(Flavor::DEFAULT);
    loader
        .load_file(&dir.join("canonical.sql"), SourceKind::Schema)
        .unwrap();
    let mut canonical = loader.finish().schema;
    canonical.collation = live.collation.clone();
    normalize(&mut canonical, Flavor::DEFAULT).unwrap();
    let mut read = live.clone();
    read.triggers.values_mut().for_each(|t| {
        assert_eq!(t.definer.as_deref(), Some("root@127.0.0.1"));
        (t.definer, t.context) = (None, None);
    });
    (read
        .procedures
        .values_mut()
        .chain(read.functions.values_mut()))
    .for_each(|r| {
        assert_eq!(
            r.context.as_ref().unwrap().database_collation,
            "utf8mb4_general_ci"
        );
        (r.definer, r.context) = (None, None);
    });
    read.events
        .values_mut()
        .for_each(|e| (e.definer, e.context) = (None, None));
    canonical
        .triggers
        .values_mut()
        .for_each(|t| t.origin = None);
    (canonical
        .procedures
        .values_mut()
        .chain(canonical.functions.values_mut()))
    .for_each(|r| r.origin = None);
    canonical.events.values_mut().for_each(|e| e.origin = None);
    assert_eq!(read.triggers, canonical.triggers);
    assert_eq!(read.procedures, canonical.procedures);
    assert_eq!(read.functions, canonical.functions);
    assert_eq!(read.events, canonical.events);
    assert_eq!(
        (
            read.triggers.len(),
            read.procedures.len(),
            read.functions.len(),
            read.events.len()
        ),
        (2, 1, 1, 2)
    );
}

#[test]
fn an_answer_without_a_column_its_reader_needs_fails_the_read() {
    let dir = &recordings()[0];
    for (answer, column) in [
        ("tables", "type"),
        ("tables", "table_rows"),
        ("views", "security"),
        ("triggers", "action_order"),
        ("routines", "security"),
        ("parameters", "mode"),
        ("events", "on_completion"),
    ] {
        match read(dir, Some((answer, column))) {
            Err(super::LiveError::Answer(missing)) => assert_eq!(missing.0, column),
            Err(other) => panic!("{answer}.{column}: {other}"),
            Ok(_) => panic!("{answer} without `{column}` was read"),
        }
    }
}
