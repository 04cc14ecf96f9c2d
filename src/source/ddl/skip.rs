//! Statements of a schema file or dump that are not schema definitions (data, session and
//! transaction statements, users and grants): skipped, counted, and reported once per kind.

use super::cursor::Cursor;
use super::{SourceKind, Warning};
use crate::model::Origin;
use sqlparser::tokenizer::Token;

const DATA: &[&str] = &[
    "INSERT", "REPLACE", "UPDATE", "DELETE", "LOAD", "TRUNCATE", "CALL", "DO", "HANDLER",
];

struct Kind {
    what: String,
    count: usize,
    first: Origin,
    source: SourceKind,
}

/// The kinds of statements skipped, in the order first seen.
#[derive(Default)]
pub struct Skipped {
    kinds: Vec<Kind>,
}

impl std::fmt::Debug for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.kinds.iter().map(|k| (&k.what, k.count)))
            .finish()
    }
}

impl Skipped {
    /// Count one statement of kind `what`; `origin` is asked for only the first time.
    pub fn record(&mut self, what: &str, source: SourceKind, origin: impl FnOnce() -> Origin) {
        match self.kinds.iter_mut().find(|k| k.what == what) {
            Some(k) => k.count += 1,
            None => self.kinds.push(Kind {
                what: what.to_string(),
                count: 1,
                first: origin(),
                source,
            }),
        }
    }

    pub fn warnings(&self) -> Vec<Warning> {
        self.kinds
            .iter()
            .map(|k| Warning {
                message: format!(
                    "{} {} statement{} skipped (the first one shown): {}",
                    k.count,
                    k.what,
                    if k.count == 1 { "" } else { "s" },
                    why(&k.what, k.source),
                ),
                origin: Some(k.first.clone()),
            })
            .collect()
    }
}

fn why(what: &str, source: SourceKind) -> &'static str {
    let verb = what.split(' ').next().unwrap_or(what);
    if DATA.contains(&verb) {
        return match source {
            SourceKind::Schema => "canon manages the schema, it never loads data",
            SourceKind::Dump => "data, not schema",
        };
    }
    if what.ends_with(" TEMPORARY") {
        return "a temporary table lives in one session: it is not part of a schema";
    }
    if matches!(verb, "GRANT" | "REVOKE") || what.ends_with(" USER") || what.ends_with(" ROLE") {
        return "users and grants are not part of a database's schema";
    }
    "no effect on the schema"
}

/// The label of a bulk statement the splitter dropped.
pub fn bulk_label(verb: &'static str) -> &'static str {
    match verb {
        "LOAD" => "LOAD DATA",
        v => v,
    }
}

fn word(c: &Cursor, n: usize) -> Option<String> {
    match c.peek_at(n) {
        Token::Word(w) if w.quote_style.is_none() => Some(w.value.to_ascii_uppercase()),
        _ => None,
    }
}

/// What a statement is, by its first words: `SET`, `LOCK TABLES`, `DROP TRIGGER`, ...
pub fn label(c: &Cursor) -> String {
    let first = word(c, 0).unwrap_or_default();
    match word(c, 1) {
        Some(second)
            if matches!(
                first.as_str(),
                "DROP" | "LOCK" | "UNLOCK" | "START" | "CREATE" | "ALTER" | "LOAD"
            ) =>
        {
            format!("{first} {second}")
        }
        _ => first,
    }
}

/// Whether the statement creates, changes or drops a user or role (which the schema grammar
/// does not read).
pub fn is_account(c: &Cursor) -> bool {
    let verb = word(c, 0);
    let at = if word(c, 1).as_deref() == Some("OR") {
        3
    } else {
        1
    };
    matches!(
        verb.as_deref(),
        Some("CREATE" | "ALTER" | "DROP" | "RENAME")
    ) && matches!(word(c, at).as_deref(), Some("USER" | "ROLE"))
}
