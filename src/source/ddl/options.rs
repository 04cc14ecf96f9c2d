//! Table options: after a CREATE TABLE's columns, in ALTER TABLE, in CREATE SEQUENCE.

use super::attributes::attribute;
use super::cursor::{Cursor, PResult, SpanError};
use super::partition::partitioning;
use crate::flavor::canonical_charset_name;
use crate::model::*;
use sqlparser::tokenizer::Token;

/// A charset or collation name, as canon names it; MariaDB's internal `filename` charset
/// (its encoding of table names as file names, which SHOW CHARACTER SET and
/// information_schema do not list) is refused by name.
pub fn charset_name(c: &mut Cursor) -> PResult<String> {
    let name = canonical_charset_name(&c.word_or_string()?);
    if name == "filename" {
        return c.refuse(
            "filename charset",
            "`filename` is MariaDB's internal charset for table names as file names: SHOW CHARACTER SET and information_schema do not list it, so canon has no collation, length or comparison of it to model",
        );
    }
    Ok(name)
}

pub fn table_options(c: &mut Cursor) -> PResult<(TableOptions, bool)> {
    let mut o = TableOptions::default();
    let mut any = false;
    loop {
        c.eat(&Token::Comma);
        if c.at_end() || c.is_kw("ALGORITHM") || c.is_kw("LOCK") {
            return Ok((o, any));
        }
        let had_default = c.eat_kw("DEFAULT");
        if c.eat_kw("ENGINE") || c.eat_kw("TYPE") {
            c.eat_equals();
            o.engine = Some(c.word_or_string()?);
        } else if c.eat_kw("CHARSET") || c.eat_kws(&["CHARACTER", "SET"]) {
            c.eat_equals();
            o.charset = Some(charset_name(c)?);
        } else if c.eat_kw("COLLATE") {
            c.eat_equals();
            o.collation = Some(charset_name(c)?);
        } else if had_default {
            return c.error("expected CHARSET or COLLATE after DEFAULT");
        } else if c.eat_kw("ROW_FORMAT") {
            c.eat_equals();
            o.row_format = Some(c.word_or_string()?.to_ascii_uppercase());
        } else if c.eat_kw("COMMENT") {
            c.eat_equals();
            o.comment = Some(c.string()?);
        } else if c.eat_kw("AUTO_INCREMENT") {
            // The counter is data, not schema (up to 2^64 - 1: not read as a number).
            c.eat_equals();
            match c.advance() {
                Token::Number(..) => {}
                _ => return c.error("expected the AUTO_INCREMENT counter"),
            }
        } else if c.is_kw("PARTITION") {
            o.partitioning = Some(Box::new(partitioning(c)?));
        } else if c.is_kw("WITH") {
            // `WITH SYSTEM VERSIONING`: CREATE TABLE's, read by its caller.
            return Ok((o, any));
        } else if c.eat_kw("CONNECTION") {
            c.eat_equals();
            let v = crate::sql::quote::string(&c.string()?);
            o.other.insert("CONNECTION".into(), v);
        } else if c.eat_kw("UNION") {
            // MERGE tables: the tables they unite.
            c.eat_equals();
            c.expect(&Token::LParen)?;
            let mut names = Vec::new();
            loop {
                let path = c.qualified_ident()?;
                let quoted: Vec<String> =
                    path.iter().map(|n| crate::sql::quote::ident(n)).collect();
                names.push(quoted.join("."));
                if !c.eat(&Token::Comma) {
                    break;
                }
            }
            c.expect(&Token::RParen)?;
            o.other
                .insert("UNION".into(), format!("({})", names.join(",")));
        } else if let Some(kind) = ["DATA", "INDEX"].into_iter().find(|k| c.is_kw(k)) {
            c.advance();
            c.expect_kw("DIRECTORY")?;
            c.eat_equals();
            let v = crate::sql::quote::string(&c.string()?);
            o.other.insert(format!("{kind} DIRECTORY"), v);
        } else if c.is_kw("SEQUENCE") {
            // `SHOW CREATE TABLE` of a sequence: its options are the one row written into it.
            return c.refuse(
                "sequence written as a table",
                "a sequence's table (SEQUENCE=1) holds its options as a row, which canon does not read: write CREATE SEQUENCE",
            );
        } else if let Some(name) = SERVER_OPTIONS
            .iter()
            .find(|k| c.is_kw(k))
            .map(|k| k.to_string())
        {
            c.advance();
            c.eat_equals();
            let v = c.word_or_string()?;
            o.other.insert(name, v);
        } else if let Some(a) = attribute(c)? {
            o.attribute_order.written(&a.name);
            o.other.insert(a.name, a.value);
        } else {
            return Err(SpanError {
                help: Some(
                    "an engine-defined attribute is read as the server prints it: `name`='value'"
                        .into(),
                ),
                ..c.error_here(format!("unknown table option {}", c.describe()))
            });
        }
        any = true;
    }
}
