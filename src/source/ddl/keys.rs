//! Keys and constraints inside a CREATE TABLE: PRIMARY/UNIQUE/plain/FULLTEXT/SPATIAL keys
//! with their parts and options, FOREIGN KEY with its actions, CHECK.

use super::attributes::attribute;
use super::cursor::paren_expr;
use super::cursor::{Cursor, PResult, SpanError};
use crate::model::*;
use sqlparser::tokenizer::Token;

pub(super) enum Element {
    Index(Index),
    ForeignKey(ForeignKey),
    Check(Check),
}

/// A key or constraint definition, or None when a column definition starts here.
pub(super) fn constraint_or_key(c: &mut Cursor) -> PResult<Option<Element>> {
    let mut constraint_name = None;
    if c.eat_kw("CONSTRAINT")
        && !(c.is_kw("PRIMARY") || c.is_kw("UNIQUE") || c.is_kw("FOREIGN") || c.is_kw("CHECK"))
    {
        constraint_name = Some(c.ident()?);
    }
    let element = if c.eat_kws(&["PRIMARY", "KEY"]) {
        // A name given to a primary key (`PRIMARY KEY name (...)`, as Gammu writes it) is
        // accepted and dropped by the server: it is always PRIMARY.
        optional_index_name(c)?;
        Element::Index(index_rest(c, IndexKind::Primary, "PRIMARY".to_string())?)
    } else if c.eat_kw("UNIQUE") {
        let _ = c.eat_kw("KEY") || c.eat_kw("INDEX");
        let name = optional_index_name(c)?.or(constraint_name.clone());
        Element::Index(index_rest(c, IndexKind::Unique, name.unwrap_or_default())?)
    } else if constraint_name.is_none() && (c.is_kw("KEY") || c.is_kw("INDEX")) {
        c.advance();
        let name = optional_index_name(c)?;
        Element::Index(index_rest(c, IndexKind::Key, name.unwrap_or_default())?)
    } else if constraint_name.is_none() && (c.is_kw("FULLTEXT") || c.is_kw("SPATIAL")) {
        let kind = if c.eat_kw("FULLTEXT") {
            IndexKind::Fulltext
        } else {
            c.advance();
            IndexKind::Spatial
        };
        let _ = c.eat_kw("KEY") || c.eat_kw("INDEX");
        let name = optional_index_name(c)?;
        Element::Index(index_rest(c, kind, name.unwrap_or_default())?)
    } else if c.eat_kws(&["FOREIGN", "KEY"]) {
        let index_name = optional_index_name(c)?;
        let columns = c.ident_list()?;
        let mut fk = foreign_key_rest(c, columns)?;
        // MariaDB names the constraint after the CONSTRAINT clause, else the index name.
        fk.name = constraint_name.or(index_name).unwrap_or_default();
        Element::ForeignKey(fk)
    } else if c.is_kw("CHECK") {
        c.advance();
        let expr = paren_expr(c, "a CHECK expression")?;
        not_enforced(c)?;
        Element::Check(Check {
            name: constraint_name.unwrap_or_default(),
            expr,
        })
    } else if constraint_name.is_some() {
        return c.error("expected PRIMARY KEY, UNIQUE, FOREIGN KEY or CHECK after CONSTRAINT");
    } else {
        return Ok(None);
    };
    Ok(Some(element))
}

pub(super) fn not_enforced(c: &mut Cursor) -> PResult<()> {
    if c.is_kw("NOT") && c.is_kw_at(1, "ENFORCED") {
        return c.error("NOT ENFORCED checks are not supported");
    }
    c.eat_kw("ENFORCED");
    Ok(())
}

pub(super) fn optional_index_name(c: &mut Cursor) -> PResult<Option<String>> {
    match c.peek() {
        Token::Word(w) if w.quote_style.is_some() || !w.value.eq_ignore_ascii_case("USING") => {
            Ok(Some(c.ident()?))
        }
        _ => Ok(None),
    }
}

pub(super) fn index_using(c: &mut Cursor) -> PResult<Option<IndexAlgorithm>> {
    if !c.eat_kw("USING") && !c.eat_kw("TYPE") {
        return Ok(None);
    }
    Ok(Some(match c.ident()?.to_ascii_uppercase().as_str() {
        "BTREE" => IndexAlgorithm::Btree,
        "HASH" => IndexAlgorithm::Hash,
        "RTREE" => IndexAlgorithm::Rtree,
        other => return c.error(format!("unknown index type `{other}`")),
    }))
}

/// After the index name: `[USING x] (key parts) [options]`.
pub(super) fn index_rest(c: &mut Cursor, kind: IndexKind, name: String) -> PResult<Index> {
    let mut index = Index {
        name,
        kind,
        parts: Vec::new(),
        using: index_using(c)?,
        comment: None,
        invisible: false,
        parser: None,
        attributes: Vec::new(),
        key_block_size: None,
    };
    c.expect(&Token::LParen)?;
    loop {
        index.parts.push(key_part(c)?);
        if !c.eat(&Token::Comma) {
            break;
        }
    }
    c.expect(&Token::RParen)?;
    loop {
        if let Some(u) = index_using(c)? {
            index.using = Some(u);
        } else if c.eat_kw("COMMENT") {
            index.comment = Some(c.string()?);
        } else if c.eat_kw("INVISIBLE") || c.eat_kw("IGNORED") {
            index.invisible = true;
        } else if c.eat_kw("VISIBLE") || c.eat_kws(&["NOT", "IGNORED"]) {
            index.invisible = false;
        } else if c.eat_kws(&["WITH", "PARSER"]) {
            index.parser = Some(c.ident()?);
        } else if c.eat_kw("KEY_BLOCK_SIZE") {
            c.eat_equals();
            index.key_block_size = Some(c.number()?);
        } else if c.is_kw("CLUSTERING") || c.is_kw("ENGINE_ATTRIBUTE") {
            // TokuDB's clustering keys and MySQL's ENGINE_ATTRIBUTE: no MariaDB 10.11 stores them.
            return c.refuse(
                "index options",
                format!("the index option {} is not modelled", c.describe()),
            );
        } else if let Some(a) = attribute(c)? {
            index.attributes.push(a);
        } else {
            return Ok(index);
        }
    }
}

pub(super) fn key_part(c: &mut Cursor) -> PResult<KeyPart> {
    let target = if c.peek() == &Token::LParen {
        KeyTarget::Expr(paren_expr(c, "a key expression")?)
    } else {
        KeyTarget::Column(c.ident()?)
    };
    let prefix = if c.peek() == &Token::LParen {
        c.advance();
        let n = c.number()?;
        c.expect(&Token::RParen)?;
        Some(n)
    } else {
        None
    };
    let desc = if c.eat_kw("DESC") {
        true
    } else {
        c.eat_kw("ASC");
        false
    };
    if c.is_kw("WITHOUT") && c.is_kw_at(1, "OVERLAPS") {
        return c.refuse(
            "key WITHOUT OVERLAPS",
            "a key over an application-time period (WITHOUT OVERLAPS) is not modelled yet",
        );
    }
    Ok(KeyPart {
        target,
        prefix,
        desc,
    })
}

pub(super) fn foreign_key_rest(c: &mut Cursor, columns: Vec<String>) -> PResult<ForeignKey> {
    c.expect_kw("REFERENCES")?;
    let at = c.position();
    let mut path = c.qualified_ident()?;
    if path.len() > 1 {
        return Err(SpanError {
            unsupported: Some("foreign key to another database"),
            ..c.error_over(
                at,
                c.position() - at,
                format!(
                    "the foreign key references `{}` in another database: canon models one database",
                    path.join("`.`")
                ),
            )
        });
    }
    let ref_table = path.remove(0);
    let ref_columns = c.ident_list()?;
    if ref_columns.len() != columns.len() {
        return c.error(format!(
            "the foreign key has {} column(s) but references {}",
            columns.len(),
            ref_columns.len()
        ));
    }
    if c.is_kw("MATCH") {
        return c.error("MATCH clauses of foreign keys are not supported");
    }
    let mut fk = ForeignKey {
        name: String::new(),
        columns,
        ref_table,
        ref_columns,
        on_delete: None,
        on_update: None,
    };
    loop {
        if c.eat_kws(&["ON", "DELETE"]) {
            fk.on_delete = fk_action(c)?;
        } else if c.eat_kws(&["ON", "UPDATE"]) {
            fk.on_update = fk_action(c)?;
        } else {
            return Ok(fk);
        }
    }
}

/// RESTRICT is the default and is stored as None, like the server prints it.
pub(super) fn fk_action(c: &mut Cursor) -> PResult<Option<FkAction>> {
    Ok(if c.eat_kw("RESTRICT") {
        None
    } else if c.eat_kw("CASCADE") {
        Some(FkAction::Cascade)
    } else if c.eat_kws(&["SET", "NULL"]) {
        Some(FkAction::SetNull)
    } else if c.eat_kws(&["SET", "DEFAULT"]) {
        Some(FkAction::SetDefault)
    } else if c.eat_kws(&["NO", "ACTION"]) {
        Some(FkAction::NoAction)
    } else {
        return c.error("expected RESTRICT, CASCADE, SET NULL, SET DEFAULT or NO ACTION");
    })
}
