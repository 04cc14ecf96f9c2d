//! A column definition: its type, attributes and the keys written inline with it.

use super::attributes::attribute;
use super::cursor::{paren_expr, Cursor, PResult};
use super::defaults::{current_timestamp, default_value};
use super::keys::{foreign_key_rest, not_enforced};
use super::options::charset_name;
use super::types::column_type;
use crate::flavor::Flavor;
use crate::model::*;
use sqlparser::tokenizer::Token;

/// Keys and constraints written inside a column definition.
#[derive(Default)]
pub struct Inline {
    pub indexes: Vec<Index>,
    pub foreign_keys: Vec<ForeignKey>,
    /// `WITH SYSTEM VERSIONING` on the column: the table is versioned, in this column only
    /// unless others say so too.
    pub versioned: bool,
}

pub(super) fn column_def(c: &mut Cursor, flavor: Flavor) -> PResult<(Column, Inline)> {
    let name = c.ident()?;
    let (ty, implied) = column_type(c)?;
    let mut col = Column::new(name, ty);
    let mut inline = Inline::default();
    if let Some(cs) = implied.charset {
        col.charset = Some(cs.to_string());
    }
    if implied.serial {
        serial(&mut col, &mut inline);
    }
    loop {
        if c.eat_kws(&["NOT", "NULL"]) {
            col.nullable = false;
        } else if c.eat_kw("NULL") {
            col.nullable = true;
        } else if c.eat_kw("DEFAULT") {
            col.default = Some(default_value(c)?);
        } else if c.eat_kws(&["ON", "UPDATE"]) {
            col.on_update =
                Some(current_timestamp(c)?.ok_or_else(|| {
                    c.error_here("only CURRENT_TIMESTAMP is allowed in ON UPDATE")
                })?);
        } else if c.eat_kw("AUTO_INCREMENT") {
            col.auto_increment = true;
        } else if c.eat_kws(&["SERIAL", "DEFAULT", "VALUE"]) {
            serial(&mut col, &mut inline);
        } else if c.eat_kw("UNIQUE") {
            c.eat_kw("KEY");
            inline
                .indexes
                .push(single_column_index(IndexKind::Unique, "", &col.name));
        } else if c.eat_kws(&["PRIMARY", "KEY"]) || c.eat_kw("KEY") {
            inline.indexes.push(single_column_index(
                IndexKind::Primary,
                "PRIMARY",
                &col.name,
            ));
        } else if c.eat_kw("COMMENT") {
            col.comment = Some(c.string()?);
        } else if c.eat_kw("COLLATE") {
            col.collation = Some(charset_name(c)?);
            col.binary = false;
        } else if c.eat_kw("CHARSET") || c.eat_kws(&["CHARACTER", "SET"]) {
            col.charset = Some(charset_name(c)?);
        } else if c.eat_kw("BINARY") {
            col.collation = None;
            col.binary = true;
        } else if c.eat_kw("INVISIBLE") {
            col.invisible = true;
        } else if c.eat_kw("VISIBLE") {
            col.invisible = false;
        } else if c.is_kw("GENERATED") || c.is_kw("AS") {
            if c.eat_kw("GENERATED") {
                c.expect_kw("ALWAYS")?;
            }
            c.expect_kw("AS")?;
            if c.eat_kw("ROW") {
                col.system_time = Some(if c.eat_kw("START") {
                    RowTime::Start
                } else {
                    c.expect_kw("END")?;
                    RowTime::End
                });
                continue;
            }
            let expr = paren_expr(c, "a generated column expression")?;
            let stored = if c.eat_kw("STORED") || c.eat_kw("PERSISTENT") {
                true
            } else {
                c.eat_kw("VIRTUAL");
                false
            };
            col.generated = Some(Box::new(Generated { expr, stored }));
        } else if c.eat_kw("REFERENCES") {
            // Parse it in any case; only MariaDB turns it into a real foreign key.
            c.back();
            let fk = foreign_key_rest(c, vec![col.name.clone()])?;
            if flavor.inline_references_create_fk() {
                inline.foreign_keys.push(fk);
            }
        } else if c.is_kw("CHECK") || c.is_kw("CONSTRAINT") {
            if c.eat_kw("CONSTRAINT") {
                let name = c.ident()?;
                c.expect_kw("CHECK")?;
                return c.error(format!(
                    "name the check `{name}` as a table constraint: CONSTRAINT `{name}` CHECK (...) after the columns"
                ));
            }
            c.advance();
            col.check = Some(Box::new(paren_expr(c, "a CHECK expression")?));
            not_enforced(c)?;
        } else if c.eat_kw("COMPRESSED") {
            if c.eat(&Token::Eq) {
                c.ident()?;
            }
            col.compressed = true;
        } else if c.eat_kw("COLUMN_FORMAT") {
            let format = c.ident()?;
            if format.eq_ignore_ascii_case("COMPRESSED") {
                col.compressed = true;
            } else if !format.eq_ignore_ascii_case("DEFAULT") {
                return c.error(format!("COLUMN_FORMAT {format} is not supported"));
            }
        } else if let Some(a) = attribute(c)? {
            col.attributes.push(a);
        } else if c.eat_kws(&["WITHOUT", "SYSTEM", "VERSIONING"]) {
            col.unversioned = true;
        } else if c.eat_kws(&["WITH", "SYSTEM", "VERSIONING"]) {
            inline.versioned = true;
        } else {
            break;
        }
    }
    match c.peek() {
        Token::Comma | Token::RParen | Token::EOF => Ok((col, inline)),
        _ if c.is_kw("FIRST") || c.is_kw("AFTER") => Ok((col, inline)),
        _ => c.error(format!(
            "unknown column attribute {} in column `{}`",
            c.describe(),
            col.name
        )),
    }
}

fn single_column_index(kind: IndexKind, name: &str, column: &str) -> Index {
    Index::on_columns(name.to_string(), kind, &[column.to_string()])
}

/// `SERIAL` is `BIGINT UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE`.
fn serial(col: &mut Column, inline: &mut Inline) {
    col.nullable = false;
    col.auto_increment = true;
    inline
        .indexes
        .push(single_column_index(IndexKind::Unique, "", &col.name));
}
