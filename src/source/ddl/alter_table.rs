//! The grammar of ALTER TABLE's operations (alter.rs applies them to a table).

use super::column::{column_def, Inline};
use super::cursor::{online_hints, Cursor, PResult};
use super::keys::{constraint_or_key, Element};
use super::options::table_options;
use crate::flavor::Flavor;
use crate::model::*;

pub enum AlterOp {
    AddColumn {
        column: Column,
        position: Option<Position>,
        inline: Inline,
    },
    ModifyColumn {
        old_name: String,
        column: Column,
        position: Option<Position>,
    },
    AddIndex(Index),
    AddForeignKey(ForeignKey),
    AddCheck(Check),
    DropColumn(String),
    DropIndex(String),
    DropPrimaryKey,
    DropForeignKey(String),
    DropCheck(String),
    Options(TableOptions),
}

fn position(c: &mut Cursor) -> PResult<Option<Position>> {
    Ok(if c.eat_kw("FIRST") {
        Some(Position::First)
    } else if c.eat_kw("AFTER") {
        Some(Position::After(c.ident()?))
    } else {
        None
    })
}

pub(super) fn alter_op(c: &mut Cursor, flavor: Flavor) -> PResult<Option<AlterOp>> {
    if c.eat_kw("ADD") {
        if let Some(el) = constraint_or_key(c)? {
            return Ok(Some(match el {
                Element::Index(i) => AlterOp::AddIndex(i),
                Element::ForeignKey(f) => AlterOp::AddForeignKey(f),
                Element::Check(ch) => AlterOp::AddCheck(ch),
            }));
        }
        c.eat_kw("COLUMN");
        c.eat_kws(&["IF", "NOT", "EXISTS"]);
        let (column, inline) = column_def(c, flavor)?;
        let position = position(c)?;
        return Ok(Some(AlterOp::AddColumn {
            column,
            position,
            inline,
        }));
    }
    if c.eat_kw("MODIFY") || c.is_kw("CHANGE") {
        let change = c.eat_kw("CHANGE");
        c.eat_kw("COLUMN");
        c.eat_kws(&["IF", "EXISTS"]);
        let old_name = if change { Some(c.ident()?) } else { None };
        let (column, inline) = column_def(c, flavor)?;
        if !inline.indexes.is_empty() || !inline.foreign_keys.is_empty() {
            return c.error("add keys with ADD KEY / ADD FOREIGN KEY, not inside MODIFY");
        }
        let position = position(c)?;
        return Ok(Some(AlterOp::ModifyColumn {
            old_name: old_name.unwrap_or_else(|| column.name.clone()),
            column,
            position,
        }));
    }
    if c.eat_kw("DROP") {
        return Ok(Some(if c.eat_kws(&["PRIMARY", "KEY"]) {
            AlterOp::DropPrimaryKey
        } else if c.eat_kws(&["FOREIGN", "KEY"]) {
            c.eat_kws(&["IF", "EXISTS"]);
            AlterOp::DropForeignKey(c.ident()?)
        } else if c.eat_kw("INDEX") || c.eat_kw("KEY") {
            c.eat_kws(&["IF", "EXISTS"]);
            AlterOp::DropIndex(c.ident()?)
        } else if c.eat_kw("CHECK") || c.eat_kw("CONSTRAINT") {
            c.eat_kws(&["IF", "EXISTS"]);
            AlterOp::DropCheck(c.ident()?)
        } else {
            c.eat_kw("COLUMN");
            c.eat_kws(&["IF", "EXISTS"]);
            AlterOp::DropColumn(c.ident()?)
        }));
    }
    // mysqldump's `ALTER TABLE t DISABLE KEYS` around data: no schema meaning.
    if c.eat_kws(&["DISABLE", "KEYS"]) || c.eat_kws(&["ENABLE", "KEYS"]) {
        return Ok(None);
    }
    if c.is_kw("ALGORITHM") || c.is_kw("LOCK") {
        online_hints(c)?;
        return Ok(None);
    }
    if c.eat_kws(&["CONVERT", "TO"]) {
        return c.error(
            "CONVERT TO CHARACTER SET is not a definition: write the charset in the CREATE TABLE",
        );
    }
    let (options, any) = table_options(c)?;
    if !any {
        return c.error(format!("unsupported ALTER TABLE clause {}", c.describe()));
    }
    Ok(Some(AlterOp::Options(options)))
}
