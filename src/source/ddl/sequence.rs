//! MariaDB's `CREATE SEQUENCE` and `ALTER SEQUENCE`: the sequence options, then the table
//! options (ENGINE, COMMENT, engine-defined attributes), as the server's grammar has them.

use super::cursor::{Cursor, PResult};
use super::options::table_options;
use crate::flavor::Flavor;
use crate::model::{Sequence, SequenceOptions, TableOptions};
use sqlparser::tokenizer::Token;

/// After `CREATE SEQUENCE name`: the options and the table options.
pub fn create_sequence(c: &mut Cursor, name: String) -> PResult<Sequence> {
    let options = sequence_options(c)?;
    let (table, _) = table_options(c)?;
    only_engine_and_comment(c, &table)?;
    Ok(Sequence::from_options(name, options, table))
}

/// A sequence's table takes an engine, a comment and engine-defined attributes.
fn only_engine_and_comment(c: &Cursor, o: &TableOptions) -> PResult<()> {
    if o.charset.is_some() || o.collation.is_some() || o.row_format.is_some() {
        return c.error("a sequence has no charset, collation or row format");
    }
    if o.partitioning.is_some() {
        return c.error("a sequence cannot be partitioned");
    }
    Ok(())
}

/// `START WITH n`, `MINVALUE n`, `NO MAXVALUE`, `INCREMENT BY n`, `CACHE n`, `NOCYCLE`, ...
/// in any order; `RESTART` (the next value: data, not schema) is read and left out.
pub fn sequence_options(c: &mut Cursor) -> PResult<SequenceOptions> {
    let mut o = SequenceOptions::default();
    loop {
        if c.eat_kw("START") {
            let _ = c.eat_kw("WITH") || c.eat(&Token::Eq);
            o.start = Some(signed(c)?);
        } else if c.eat_kw("RESTART") {
            if c.eat_kw("WITH") || c.eat(&Token::Eq) || matches!(c.peek(), Token::Number(..)) {
                signed(c)?;
            }
        } else if c.eat_kw("INCREMENT") {
            let _ = c.eat_kw("BY") || c.eat(&Token::Eq);
            o.increment = Some(signed(c)?);
        } else if c.eat_kw("MINVALUE") {
            c.eat(&Token::Eq);
            o.min = Some(Some(signed(c)?));
        } else if c.eat_kw("MAXVALUE") {
            c.eat(&Token::Eq);
            o.max = Some(Some(signed(c)?));
        } else if c.eat_kw("NOMINVALUE") || c.eat_kws(&["NO", "MINVALUE"]) {
            o.min = Some(None);
        } else if c.eat_kw("NOMAXVALUE") || c.eat_kws(&["NO", "MAXVALUE"]) {
            o.max = Some(None);
        } else if c.eat_kw("CACHE") {
            c.eat(&Token::Eq);
            let n = signed(c)?;
            o.cache = Some(u64::try_from(n).map_err(|_| c.error_here("CACHE takes a count"))?);
        } else if c.eat_kw("NOCACHE") {
            o.cache = Some(0);
        } else if c.eat_kw("CYCLE") {
            o.cycle = Some(true);
        } else if c.eat_kw("NOCYCLE") {
            o.cycle = Some(false);
        } else {
            return Ok(o);
        }
    }
}

/// A whole number with its sign, within a signed 64-bit range (the server's).
fn signed(c: &mut Cursor) -> PResult<i64> {
    let negative = c.eat(&Token::Minus);
    if !negative {
        c.eat(&Token::Plus);
    }
    let text = match c.peek() {
        Token::Number(n, _) => n.clone(),
        _ => return c.error(format!("expected a number, found {}", c.describe())),
    };
    let value = if negative { format!("-{text}") } else { text };
    let n = value
        .parse::<i64>()
        .map_err(|_| c.error_here(format!("{value} is not a whole number a sequence can hold")))?;
    c.advance();
    Ok(n)
}

/// A sequence as canon reads the server's `SHOW CREATE SEQUENCE` of it.
pub fn from_shown(shown: &str) -> Result<Sequence, String> {
    let why = |e: String| format!("canon cannot read its SHOW CREATE SEQUENCE: {e}");
    let loaded = super::parse_text(
        "SHOW CREATE SEQUENCE",
        &format!("{shown};"),
        super::SourceKind::Dump,
        Flavor::DEFAULT,
    )
    .map_err(|e| why(e.to_string()))?;
    loaded
        .schema
        .sequences
        .into_values()
        .next()
        .ok_or_else(|| why("no sequence was read".into()))
}
