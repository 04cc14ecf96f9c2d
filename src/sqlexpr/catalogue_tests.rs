//! The catalogue of expressions as the server stores them (`fixtures/expressions/`, recorded
//! by `scripts/record-expressions`): each pair written -> stored is a test. The written form
//! and the stored form must read as the same expression (no false drift), and the stored form
//! must print back as the server printed it (no misread).

use super::{canonical_query, parse_expr, strip_schema, Relations};
use crate::flavor::{Flavor, Vendor};
use crate::model::DefaultValue;
use crate::source::ddl::cursor::Cursor;
use crate::source::ddl::parse::{default_text, statement, Stmt};
use serde::Deserialize;

const MARIADB: &str = include_str!("../../fixtures/expressions/mariadb-10.11.jsonl");
/// MySQL 8.0's, from the reference manual's examples (no MySQL server runs here).
const MYSQL_MANUAL: &str = include_str!("../../fixtures/expressions/mysql-8.0.manual.jsonl");

#[derive(Deserialize)]
struct Header {
    server: String,
    database: String,
}

#[derive(Deserialize)]
struct Pair {
    from: String,
    context: String,
    written: String,
    stored: String,
    /// A view's own column list.
    #[serde(default)]
    columns: Vec<String>,
}

/// The tables recorded expressions and queries read (scripts/record-expressions).
struct T;
impl Relations for T {
    fn columns_of(&self, relation: &str) -> Option<Vec<String>> {
        let cols: &[&str] = match relation {
            "t" => &["i", "n", "f", "s", "b", "d", "dt", "tm", "j", "e"],
            "u" => &["id", "i", "name"],
            "w" => &["id", "u_id", "note"],
            _ => return None,
        };
        Some(cols.iter().map(|c| c.to_string()).collect())
    }
}

/// The query text and column list canon's DDL reader keeps of a CREATE VIEW.
fn written_view(ddl: &str, flavor: Flavor) -> Result<String, String> {
    let mut c = Cursor::new(ddl).map_err(|e| e.message)?;
    match statement(&mut c, flavor).map_err(|e| e.message)? {
        Stmt::CreateView { view, .. } => Ok(view.query.text),
        _ => Err("not a view".into()),
    }
}

/// The tokens of a text, as the comparison of two printings sees them: identifiers and
/// keywords without case, names quoted, the view's own database left out, a pair of
/// parentheses around the whole dropped.
fn tokens(text: &str, db: &str) -> Vec<String> {
    let Some(all) = super::printed_tokens(text) else {
        return vec![text.to_string()];
    };
    let qualifier = format!("`{db}`");
    let mut out: Vec<String> = Vec::new();
    let mut iter = all.into_iter();
    while let Some(t) = iter.next() {
        if t == qualifier {
            iter.next(); // the `.` after the qualifier
            continue;
        }
        out.push(t);
    }
    while out.first().map(String::as_str) == Some("(")
        && out.last().map(String::as_str) == Some(")")
        && encloses(&out)
    {
        out.pop();
        out.remove(0);
    }
    out
}

/// Whether the first token's parenthesis closes at the last token.
fn encloses(tokens: &[String]) -> bool {
    let mut depth = 0;
    for (i, t) in tokens.iter().enumerate() {
        match t.as_str() {
            "(" => depth += 1,
            ")" => depth -= 1,
            _ => {}
        }
        if depth == 0 {
            return i == tokens.len() - 1;
        }
    }
    false
}

#[derive(Debug, PartialEq)]
enum Outcome {
    Same,
    /// Written and stored read as different expressions: canon would report drift.
    FalseDrift(String, String),
    /// The stored text reads as a tree that prints something else.
    Misread(String),
    Unreadable(String),
}

fn outcome(pair: &Pair, db: &str, flavor: Flavor) -> Outcome {
    let unreadable = |e: String| Outcome::Unreadable(e);
    let (written, stored, printed) = match pair.context.as_str() {
        "view" | "query" => {
            let query = if pair.context == "view" {
                format!("SELECT {} AS x FROM t", pair.written)
            } else {
                pair.written.clone()
            };
            // Read as a schema file is: CREATE VIEW through canon's DDL reader.
            let names = match pair.columns.as_slice() {
                [] => String::new(),
                cols => format!(" ({})", cols.join(", ")),
            };
            let ddl = format!("CREATE VIEW q{names} AS {query}");
            let written = match written_view(&ddl, flavor) {
                Ok(q) => q,
                Err(e) => return unreadable(format!("written: {e}")),
            };
            let Ok(stored) = strip_schema(&pair.stored, db) else {
                return unreadable(format!("stored: {}", pair.stored));
            };
            let w = match canonical_query(&written, &pair.columns, &T) {
                Ok((w, _)) => w,
                Err(e) => return unreadable(format!("written: {e}")),
            };
            let s = match canonical_query(&stored, &[], &T) {
                Ok((s, _)) => s,
                Err(e) => return unreadable(format!("stored: {e}")),
            };
            let printed = s.text.clone();
            (w, s, printed)
        }
        "default" => {
            let w = default_text(&format!("({})", pair.written));
            let s = default_text(&pair.stored);
            match (w, s) {
                (Err(e), _) => return unreadable(format!("written: {}", e.message)),
                (_, Err(e)) => return unreadable(format!("stored: {}", e.message)),
                (Ok(w), Ok(s)) => {
                    if w != s {
                        return Outcome::FalseDrift(format!("{w:?}"), format!("{s:?}"));
                    }
                    let DefaultValue::Expr(s) = s else {
                        return Outcome::Same;
                    };
                    let text = s.text.clone();
                    let DefaultValue::Expr(w) = w else {
                        return Outcome::Same;
                    };
                    (*w, *s, text)
                }
            }
        }
        _ => {
            let w = match parse_expr(&pair.written) {
                Ok(w) => w,
                Err(e) => return unreadable(format!("written: {e}")),
            };
            let s = match parse_expr(&pair.stored) {
                Ok(s) => s,
                Err(e) => return unreadable(format!("stored: {e}")),
            };
            let text = s.text.clone();
            (w, s, text)
        }
    };
    if tokens(&printed, db) != tokens(&pair.stored, db) {
        return Outcome::Misread(printed);
    }
    if written != stored {
        return Outcome::FalseDrift(written.key, stored.key);
    }
    Outcome::Same
}

#[test]
fn every_stored_expression_reads_as_written_and_prints_as_stored() {
    assert_catalogue(MARIADB, Vendor::MariaDb, (10, 11));
}

#[test]
fn every_mysql_manual_example_reads_as_written_and_prints_as_shown() {
    assert_catalogue(MYSQL_MANUAL, Vendor::MySql, (8, 0));
}

/// Each pair of a catalogue: no false drift, no misread, nothing unreadable, read under the
/// flavor its header names (`expected`, so a header cannot move a catalogue to another one).
fn assert_catalogue(catalogue: &str, vendor: Vendor, (major, minor): (u32, u32)) {
    let mut lines = catalogue.lines();
    let header: Header = serde_json::from_str(lines.next().unwrap()).unwrap();
    let pairs: Vec<Pair> = lines.map(|l| serde_json::from_str(l).unwrap()).collect();
    let flavor = Flavor::from_server_version(&header.server).unwrap();
    assert_eq!(flavor.vendor, vendor);
    assert_eq!((flavor.version.major, flavor.version.minor), (major, minor));
    let (mut drift, mut misread, mut unreadable) = (Vec::new(), Vec::new(), Vec::new());
    for p in &pairs {
        let line = format!(
            "{} {}: `{}` -> `{}`",
            p.from, p.context, p.written, p.stored
        );
        match outcome(p, &header.database, flavor) {
            Outcome::Same => {}
            Outcome::FalseDrift(w, s) => drift.push(format!("{line}\n    {w}\n    {s}")),
            Outcome::Misread(printed) => misread.push(format!("{line}\n    printed {printed}")),
            Outcome::Unreadable(e) => unreadable.push(format!("{line}\n    {e}")),
        }
    }
    eprintln!(
        "{} pairs: {} false drift, {} misread, {} unreadable",
        pairs.len(),
        drift.len(),
        misread.len(),
        unreadable.len()
    );
    for (what, list) in [
        ("misread", &misread),
        ("unreadable", &unreadable),
        ("false drift", &drift),
    ] {
        for l in list.iter() {
            eprintln!("{what}: {l}");
        }
    }
    assert!(
        misread.is_empty(),
        "every stored expression prints back as stored"
    );
    assert!(
        unreadable.is_empty(),
        "every expression reads, written and stored"
    );
    assert!(
        drift.is_empty(),
        "written and stored read as the same expression"
    );
}
