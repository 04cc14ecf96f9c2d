//! Column defaults as DDL and information_schema write them: literals, `NULL`,
//! `CURRENT_TIMESTAMP` and its synonyms, folded literals (`0x05`, `_utf8mb4'x'`), expressions.

use super::cursor::paren_expr;
use super::cursor::{Cursor, PResult, SpanError};
use crate::model::*;
use crate::sqlexpr;
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::Token;

/// `CURRENT_TIMESTAMP`, `CURRENT_TIMESTAMP(3)`, `NOW()`, `LOCALTIME`, `LOCALTIMESTAMP()`.
pub(super) fn current_timestamp(c: &mut Cursor) -> PResult<Option<u32>> {
    let is_now = ["CURRENT_TIMESTAMP", "NOW", "LOCALTIME", "LOCALTIMESTAMP"]
        .iter()
        .any(|k| c.is_kw(k));
    if !is_now {
        return Ok(None);
    }
    let now = c.is_kw("NOW");
    c.advance();
    if c.eat(&Token::LParen) {
        if c.eat(&Token::RParen) {
            return Ok(Some(0));
        }
        let fsp = c.number()?;
        c.expect(&Token::RParen)?;
        return Ok(Some(fsp));
    }
    if now {
        return c.error("NOW needs parentheses: NOW()");
    }
    Ok(Some(0))
}

pub(super) fn default_value(c: &mut Cursor) -> PResult<DefaultValue> {
    if let Some(fsp) = current_timestamp(c)? {
        return Ok(DefaultValue::CurrentTimestamp(fsp));
    }
    if c.eat_kw("NULL") {
        return Ok(DefaultValue::Null);
    }
    if c.eat_kw("TRUE") {
        return Ok(DefaultValue::Number("1".into()));
    }
    if c.eat_kw("FALSE") {
        return Ok(DefaultValue::Number("0".into()));
    }
    let sign = if c.eat(&Token::Minus) {
        "-"
    } else {
        c.eat(&Token::Plus);
        ""
    };
    match c.peek().clone() {
        Token::Number(n, _) => {
            c.advance();
            return Ok(DefaultValue::Number(format!("{sign}{n}")));
        }
        _ if !sign.is_empty() => return c.error("expected a number after the sign"),
        Token::SingleQuotedString(s) | Token::DoubleQuotedString(s) => {
            c.advance();
            return Ok(DefaultValue::String(s));
        }
        Token::Word(w) if w.value.eq_ignore_ascii_case("b") => {
            if let Token::SingleQuotedString(bits) = c.peek_at(1).clone() {
                c.advance();
                c.advance();
                return Ok(DefaultValue::Bits(bits));
            }
        }
        Token::SingleQuotedByteStringLiteral(bits) => {
            c.advance();
            return Ok(DefaultValue::Bits(bits));
        }
        // `DEFAULT 0x05`, `DEFAULT _utf8mb4'x'`: expression defaults the server folded.
        Token::HexStringLiteral(_) => return folded_default(c, 1),
        Token::Word(w)
            if w.value.starts_with('_') && matches!(c.peek_at(1), Token::SingleQuotedString(_)) =>
        {
            return folded_default(c, 2)
        }
        Token::LParen => {
            let expr = paren_expr(c, "a default expression")?;
            return Ok(literal_default(expr));
        }
        // `DEFAULT NEXT VALUE FOR s` / `PREVIOUS VALUE FOR s`, stored as `nextval(s)` /
        // `lastval(s)`.
        Token::Word(w)
            if ["NEXT", "PREVIOUS"]
                .iter()
                .any(|k| w.value.eq_ignore_ascii_case(k))
                && matches!(c.peek_at(1), Token::Word(v) if v.value.eq_ignore_ascii_case("VALUE")) =>
        {
            let from = c.position();
            c.advance();
            c.advance();
            c.expect_kw("FOR")?;
            c.ident()?;
            if c.eat(&Token::Period) {
                c.ident()?;
            }
            let tokens = c.slice_since(from);
            let expr = c.sub_parse(tokens, from, "a default expression", |p| p.parse_expr())?;
            return Ok(DefaultValue::Expr(Box::new(sqlexpr::from_expr(expr))));
        }
        // `DEFAULT `a``: the value of another column, as MariaDB prints it (written bare,
        // when the name is no keyword).
        Token::Word(w)
            if (w.quote_style == Some('`')
                || (w.quote_style.is_none() && w.keyword == Keyword::NoKeyword))
                && !matches!(c.peek_at(1), Token::LParen | Token::Period) =>
        {
            let from = c.position();
            c.advance();
            let tokens = c.slice_since(from);
            let expr = c.sub_parse(tokens, from, "a default expression", |p| p.parse_expr())?;
            return Ok(DefaultValue::Expr(Box::new(sqlexpr::from_expr(expr))));
        }
        Token::Word(_) if c.peek_at(1) == &Token::LParen => {
            // `DEFAULT uuid()`: a function call written without parentheses around it.
            let from = c.position();
            c.advance();
            c.parenthesized()?;
            let tokens = c.slice_since(from);
            let expr = c.sub_parse(tokens, from, "a default expression", |p| p.parse_expr())?;
            return Ok(DefaultValue::Expr(Box::new(sqlexpr::from_expr(expr))));
        }
        _ => {}
    }
    c.error(format!("cannot read this default value: {}", c.describe()))
}

/// A default of `n` tokens, read as the expression it is.
pub(super) fn folded_default(c: &mut Cursor, n: usize) -> PResult<DefaultValue> {
    let from = c.position();
    for _ in 0..n {
        c.advance();
    }
    let tokens = c.slice_since(from);
    let expr = c.sub_parse(tokens, from, "a default value", |p| p.parse_expr())?;
    Ok(literal_default(sqlexpr::from_expr(expr)))
}

/// A parenthesized default that is only a literal is stored as that literal.
pub(super) fn literal_default(expr: SqlExpr) -> DefaultValue {
    let t = expr.text.as_str();
    if t.eq_ignore_ascii_case("NULL") {
        DefaultValue::Null
    } else if t.parse::<f64>().is_ok() {
        DefaultValue::Number(t.to_string())
    } else if t.len() >= 2
        && t.starts_with('\'')
        && t.ends_with('\'')
        && !t[1..t.len() - 1].replace("''", "").contains('\'')
    {
        // One string literal, as printed by sqlexpr: quotes doubled, backslashes escaped.
        let inner = &t[1..t.len() - 1];
        DefaultValue::String(inner.replace("''", "'").replace("\\\\", "\\"))
    } else if let Some(fsp) = t
        .strip_prefix("current_timestamp(")
        .and_then(|r| r.strip_suffix(')'))
        .and_then(|n| {
            if n.is_empty() {
                Some(0)
            } else {
                n.parse().ok()
            }
        })
    {
        DefaultValue::CurrentTimestamp(fsp)
    } else {
        DefaultValue::Expr(Box::new(expr))
    }
}

/// A default as MariaDB's information_schema COLUMN_DEFAULT prints it: quoted literals,
/// numbers, `NULL`, `current_timestamp()`, or an expression.
pub fn default_text(text: &str) -> PResult<DefaultValue> {
    let mut c = Cursor::new(text)?;
    if let Ok(d) = default_value(&mut c) {
        if c.at_end() {
            return Ok(d);
        }
    }
    let expr = sqlexpr::parse_expr(text).map_err(|e| SpanError {
        message: format!("cannot read the default `{text}`: {e}"),
        start: 0,
        end: text.len(),
        help: None,
        unsupported: None,
    })?;
    Ok(literal_default(expr))
}
