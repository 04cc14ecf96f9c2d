//! `PARTITION BY ...` as the server stores it: RANGE, LIST, HASH and KEY partitioning, the
//! partitions by name with their own options, and subpartitions.

use super::cursor::paren_expr;
use super::cursor::{Cursor, PResult, SpanError};
use crate::model::*;
use crate::sql::quote::string;
use sqlparser::tokenizer::{Token, Word};
use std::collections::BTreeMap;

/// A partition bound or list value, as the server prints it: numbers, quoted strings,
/// MAXVALUE, NULL, and parenthesized tuples of them (LIST COLUMNS).
fn partition_value(c: &mut Cursor) -> PResult<String> {
    let negative = c.eat(&Token::Minus);
    let keyword = |w: &Word| {
        w.quote_style.is_none()
            && ["MAXVALUE", "NULL"]
                .iter()
                .any(|k| w.value.eq_ignore_ascii_case(k))
    };
    let v = match (c.peek().clone(), c.peek_at(1).clone()) {
        (Token::Number(n, _), _) => format!("{}{n}", if negative { "-" } else { "" }),
        _ if negative => return Err(not_literal(c)),
        (Token::SingleQuotedString(s) | Token::DoubleQuotedString(s), _) => string(&s),
        (Token::Word(w), _) if keyword(&w) => w.value.to_ascii_uppercase(),
        // `_cs 0x81`: bytes a string of the column's charset holds, as the server prints
        // any bound that is not printable (recorded on MariaDB 10.11: `_binary 0xFF` and
        // `_binary X'FF'` are stored `_binary 0xff`).
        (Token::Word(w), Token::HexStringLiteral(hex))
            if w.quote_style.is_none() && w.value.starts_with('_') =>
        {
            c.advance();
            format!("{} 0x{}", w.value, hex.to_ascii_lowercase())
        }
        (Token::LParen, _) => {
            c.advance();
            let inner = partition_values(c)?;
            return Ok(format!("({})", inner.join(",")));
        }
        _ => return Err(not_literal(c)),
    };
    c.advance();
    Ok(v)
}

fn not_literal(c: &Cursor) -> SpanError {
    SpanError {
        help: Some("the server stores the computed value: write that number (e.g. SELECT TO_DAYS('2025-01-01'))".into()),
        ..c.error_here("a partition bound must be a literal value")
    }
}

/// `v, v, ...)`: the values after an opening parenthesis, through the closing one.
fn partition_values(c: &mut Cursor) -> PResult<Vec<String>> {
    let mut out = vec![partition_value(c)?];
    while c.eat(&Token::Comma) {
        out.push(partition_value(c)?);
    }
    c.expect(&Token::RParen)?;
    Ok(out)
}

/// `PARTITION BY` (or `SUBPARTITION BY`) through `PARTITIONS n`: how rows are divided.
fn scheme(c: &mut Cursor, sub: bool) -> PResult<Partitioning> {
    let linear = c.eat_kw("LINEAR");
    let kind = if !sub && c.eat_kw("RANGE") {
        PartitionKind::Range
    } else if !sub && c.eat_kw("LIST") {
        PartitionKind::List
    } else if c.eat_kw("HASH") {
        PartitionKind::Hash
    } else if c.eat_kw("KEY") {
        PartitionKind::Key
    } else if !sub && c.eat_kw("SYSTEM_TIME") {
        PartitionKind::SystemTime
    } else if sub {
        return c.error("expected HASH or KEY after SUBPARTITION BY");
    } else {
        return c.error("expected RANGE, LIST, HASH, KEY or SYSTEM_TIME after PARTITION BY");
    };
    if linear && matches!(kind, PartitionKind::Range | PartitionKind::List) {
        return c.error("LINEAR goes with HASH or KEY only");
    }
    let mut p = Partitioning {
        kind,
        linear,
        columns: Vec::new(),
        by_columns: false,
        expr: None,
        count: 0,
        count_written: AsWritten(false),
        partitions: Vec::new(),
        sub: None,
        rotation: None,
    };
    match kind {
        PartitionKind::Range | PartitionKind::List if c.eat_kw("COLUMNS") => {
            p.by_columns = true;
            p.columns = c.ident_list()?;
        }
        PartitionKind::Key => {
            // The algorithm of KEY hashing is not printed back by the server.
            if c.eat_kw("ALGORITHM") {
                c.eat_equals();
                c.number()?;
            }
            c.expect(&Token::LParen)?;
            if !c.eat(&Token::RParen) {
                p.columns.push(c.ident()?);
                while c.eat(&Token::Comma) {
                    p.columns.push(c.ident()?);
                }
                c.expect(&Token::RParen)?;
            }
        }
        PartitionKind::SystemTime => p.rotation = Some(Box::new(rotation(c)?)),
        _ => p.expr = Some(paren_expr(c, "partitioning expression")?),
    }
    if c.eat_kw(if sub { "SUBPARTITIONS" } else { "PARTITIONS" }) {
        p.count = c.number()?;
        p.count_written = AsWritten(true);
    }
    Ok(p)
}

/// `PARTITION BY RANGE|LIST [COLUMNS] | [LINEAR] HASH|KEY ... [SUBPARTITION BY ...]
/// [(PARTITION ...)]`.
pub fn partitioning(c: &mut Cursor) -> PResult<Partitioning> {
    c.expect_kw("PARTITION")?;
    c.expect_kw("BY")?;
    let mut p = scheme(c, false)?;
    let kind = p.kind;
    if c.eat_kws(&["SUBPARTITION", "BY"]) {
        if !matches!(kind, PartitionKind::Range | PartitionKind::List) {
            return c.error("only RANGE and LIST partitions have subpartitions");
        }
        p.sub = Some(Box::new(scheme(c, true)?));
    }
    if c.eat(&Token::LParen) {
        loop {
            c.expect_kw("PARTITION")?;
            let name = c.ident()?;
            let values = match kind {
                PartitionKind::Hash | PartitionKind::Key => String::new(),
                PartitionKind::SystemTime if c.eat_kw("HISTORY") => "HISTORY".to_string(),
                PartitionKind::SystemTime => {
                    c.expect_kw("CURRENT")?;
                    "CURRENT".to_string()
                }
                // MariaDB's catch-all LIST partition.
                PartitionKind::List if c.eat_kw("DEFAULT") => "DEFAULT".to_string(),
                PartitionKind::Range => {
                    c.expect_kw("VALUES")?;
                    c.expect_kw("LESS")?;
                    c.expect_kw("THAN")?;
                    if c.eat_kw("MAXVALUE") {
                        "LESS THAN MAXVALUE".to_string()
                    } else {
                        c.expect(&Token::LParen)?;
                        format!("LESS THAN ({})", partition_values(c)?.join(","))
                    }
                }
                PartitionKind::List => {
                    c.expect_kw("VALUES")?;
                    c.expect_kw("IN")?;
                    c.expect(&Token::LParen)?;
                    // The server lists NULL first, but keeps the order of LIST COLUMNS.
                    let (mut nulls, rest): (Vec<String>, Vec<String>) = partition_values(c)?
                        .into_iter()
                        .partition(|v| v == "NULL" && !p.by_columns);
                    nulls.extend(rest);
                    format!("IN ({})", nulls.join(","))
                }
            };
            let (options, attribute_order) = partition_options(c)?;
            let mut part = Partition {
                name,
                values,
                options,
                attribute_order,
                subpartitions: Vec::new(),
            };
            if p.sub.is_some() && c.eat(&Token::LParen) {
                loop {
                    c.expect_kw("SUBPARTITION")?;
                    let name = c.ident()?;
                    let (options, attribute_order) = partition_options(c)?;
                    part.subpartitions.push(Partition {
                        name,
                        values: String::new(),
                        options,
                        attribute_order,
                        subpartitions: Vec::new(),
                    });
                    if !c.eat(&Token::Comma) {
                        break;
                    }
                }
                c.expect(&Token::RParen)?;
            }
            p.partitions.push(part);
            if c.eat(&Token::Comma) {
                continue;
            }
            c.expect(&Token::RParen)?;
            break;
        }
    } else if matches!(kind, PartitionKind::Range | PartitionKind::List) {
        return c
            .error("RANGE and LIST partitioning needs its partitions: (PARTITION p0 VALUES ...)");
    }
    if kind == PartitionKind::SystemTime && p.partitions.is_empty() {
        // The server makes one history partition and the current one unless told.
        p.count = if p.count == 0 { 2 } else { p.count };
    }
    if matches!(kind, PartitionKind::Hash | PartitionKind::Key) {
        // Named partitions are counted: the server prints them instead of PARTITIONS n.
        p.count = if p.partitions.is_empty() {
            p.count.max(1)
        } else {
            p.partitions.len() as u32
        };
    }
    if let Some(sub) = p.sub.as_mut() {
        let named = p.partitions.first().map_or(0, |x| x.subpartitions.len());
        sub.count = if named > 0 {
            named as u32
        } else {
            sub.count.max(1)
        };
    }
    Ok(p)
}

/// `[LIMIT n | INTERVAL n unit [STARTS ts]] [AUTO]` after `PARTITION BY SYSTEM_TIME`.
fn rotation(c: &mut Cursor) -> PResult<Rotation> {
    let mut r = Rotation::default();
    if c.eat_kw("LIMIT") {
        r.limit = Some(c.number()?.into());
    } else if c.eat_kw("INTERVAL") {
        let n = match c.advance() {
            Token::Number(n, _) => n,
            Token::SingleQuotedString(s) => string(&s),
            _ => return c.error("expected the INTERVAL's length"),
        };
        r.interval = Some(format!("{n} {}", c.ident()?.to_ascii_uppercase()));
        if c.eat_kw("STARTS") {
            // The server prints the start as a TIMESTAMP literal.
            c.eat_kw("TIMESTAMP");
            r.starts = AsWritten(Some(format!("TIMESTAMP{}", string(&c.string()?))));
        }
    }
    r.auto = c.eat_kw("AUTO");
    Ok(r)
}

/// A partition's options by name, and its engine-defined attributes' order as written.
type PartitionOptions = (BTreeMap<String, String>, AsWritten<Vec<String>>);

/// A partition's or subpartition's own options, by name, each value as the server prints
/// it, and the order its engine-defined attributes were written in. Every partition is in
/// the table's engine: ENGINE is read and not kept.
fn partition_options(c: &mut Cursor) -> PResult<PartitionOptions> {
    let mut out = BTreeMap::new();
    let mut order = AsWritten::default();
    loop {
        if c.eat_kw("STORAGE") || c.is_kw("ENGINE") {
            c.expect_kw("ENGINE")?;
            c.eat_equals();
            c.word_or_string()?;
        } else if c.eat_kw("COMMENT") {
            c.eat_equals();
            out.insert("COMMENT".to_string(), string(&c.string()?));
        } else if let Some(kind) = ["DATA", "INDEX"].into_iter().find(|k| c.is_kw(k)) {
            c.advance();
            c.expect_kw("DIRECTORY")?;
            c.eat_equals();
            out.insert(format!("{kind} DIRECTORY"), string(&c.string()?));
        } else if let Some(k) = ["MAX_ROWS", "MIN_ROWS"].into_iter().find(|k| c.is_kw(k)) {
            c.advance();
            c.eat_equals();
            out.insert(k.to_string(), c.number()?.to_string());
        } else if c.eat_kw("CONNECTION") {
            c.eat_equals();
            out.insert("CONNECTION".to_string(), string(&c.string()?));
        } else if c.is_kw("PARTITION")
            || c.is_kw("SUBPARTITION")
            || matches!(c.peek(), Token::Comma | Token::RParen | Token::LParen)
        {
            return Ok((out, order));
        } else if let (Token::Word(w), Token::Eq) = (c.peek().clone(), c.peek_at(1)) {
            // An engine-defined attribute (`page_compressed = 1`): MariaDB prints it after the
            // engine as written, its value quoted when it was.
            c.advance();
            c.advance();
            let value = match c.advance() {
                Token::SingleQuotedString(v) | Token::DoubleQuotedString(v) => string(&v),
                Token::Number(n, _) => n,
                Token::Word(v) if v.quote_style.is_none() => v.value,
                _ => return c.error(format!("expected the value of the attribute `{}`", w.value)),
            };
            order.written(&w.value);
            out.insert(w.value, value);
        } else {
            return c.refuse(
                "partition options",
                format!("partition option {} is not modelled", c.describe()),
            );
        }
    }
}
