//! `CALL p()` of a procedure the same source created, whose body is only schema statements:
//! the server runs them where the CALL is, and so does canon (ulogd2's schema adds its foreign
//! keys with `CALL ULOG2_ADD_FOREIGN_KEYS();`). Any other CALL stays skipped, as data.

use super::cursor::Cursor;
use super::parse::{self, Stmt};
use super::split::split;
use crate::flavor::Flavor;
use sqlparser::tokenizer::Token;

/// (name, body) of `CREATE PROCEDURE name() ... BEGIN body END`, a procedure without
/// parameters; None for any other statement.
pub(super) fn procedure_body(text: &str) -> Option<(String, String)> {
    let mut c = Cursor::new(text).ok()?;
    while !c.at_end() && !c.is_kw("PROCEDURE") {
        c.advance();
    }
    c.advance();
    let name = c.ident().ok()?;
    if !(c.eat(&Token::LParen) && c.eat(&Token::RParen)) {
        return None;
    }
    while !c.at_end() && !c.is_kw("BEGIN") {
        c.advance();
    }
    let from = c.span_at(0).1;
    while c.position() + 1 < c.len() {
        c.advance();
    }
    let to = c.span_at(0).0;
    (c.is_kw("END") && from <= to).then(|| (name.to_ascii_lowercase(), text[from..to].to_string()))
}

/// The procedure a `CALL name()` (or `CALL name`) statement calls with no arguments.
pub(super) fn called(text: &str) -> Option<String> {
    let mut c = Cursor::new(text).ok()?;
    if !c.eat_kw("CALL") {
        return None;
    }
    let name = c.ident().ok()?;
    if c.eat(&Token::LParen) && !c.eat(&Token::RParen) {
        return None;
    }
    c.at_end().then(|| name.to_ascii_lowercase())
}

/// The body's statements, read, when every one changes tables; None when any is something
/// else (control flow, data, variables): canon does not run those.
pub(super) fn schema_statements(body: &str, flavor: Flavor) -> Option<Vec<Stmt>> {
    split(body, flavor)
        .into_iter()
        .map(|s| {
            if s.bulk.is_some() || s.source.is_some() {
                return None;
            }
            let mut c = Cursor::new(&s.text).ok()?;
            let stmt = parse::statement(&mut c, flavor).ok()?;
            matches!(
                stmt,
                Stmt::Alter { .. } | Stmt::CreateTable { .. } | Stmt::DropTables { .. }
            )
            .then_some(stmt)
        })
        .collect()
}
