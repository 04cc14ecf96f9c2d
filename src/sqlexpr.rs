//! Canonical forms of SQL expressions and view queries, on sqlparser's AST.
//!
//! The server rewrites expressions (back-quotes identifiers, lower-cases function names, adds
//! or drops parentheses) and view queries (explicit aliases, expanded `*`, qualified columns).
//! Both sides of a diff go through these functions, so equal meaning gives equal keys.

mod dialect;
mod fold;
mod query;
mod rewrite;
mod select;
mod session;

pub use dialect::ServerDialect;
#[cfg(test)]
mod catalogue_tests;
#[cfg(test)]
mod tests;

pub use query::{
    canonical_query, from_query, lower_case_relations, name_items_as_written, output_columns,
    relations_of, select_columns, strip_schema, Relations,
};

use crate::model::SqlExpr;
pub(crate) use rewrite::rewrite_node;
use sqlparser::ast::{visit_expressions_mut, Expr, Ident, ObjectName, ObjectNamePart, Value};
use sqlparser::parser::Parser;
use std::ops::ControlFlow;

pub(crate) fn backquote(ident: &mut Ident) {
    ident.quote_style = Some('`');
}

pub(crate) fn canonical_names(name: &mut ObjectName) {
    for part in &mut name.0 {
        if let ObjectNamePart::Identifier(id) = part {
            backquote(id);
        }
    }
}

/// Back-quote identifiers and lower-case function names, in place.
fn canonicalize_expr(expr: &mut Expr) {
    let _ = visit_expressions_mut(expr, |e| {
        rewrite_node(e);
        ControlFlow::<()>::Continue(())
    });
}

/// sqlparser reads `\\` in a string literal as one backslash but prints it back bare, which
/// MySQL would read as an escape: printed literals get their backslashes doubled again.
fn escape_strings<T: sqlparser::ast::VisitMut>(node: &mut T) {
    let _ = visit_expressions_mut(node, |e| {
        if let Expr::Value(v) = e {
            if let Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) = &mut v.value {
                if s.contains('\\') {
                    *s = s.replace('\\', "\\\\");
                }
            }
        }
        ControlFlow::<()>::Continue(())
    });
}

/// A node as SQL text MySQL reads back as the same node.
pub fn sql_text<T: sqlparser::ast::VisitMut + ToString>(mut node: T) -> String {
    escape_strings(&mut node);
    node.to_string()
}

/// The comparison key: every operation parenthesized exactly once, whatever parentheses the
/// author or the server wrote, so only the structure of the expression compares.
pub(crate) fn key_of<T: sqlparser::ast::VisitMut + Clone + ToString>(node: &T) -> String {
    let mut copy = node.clone();
    escape_strings(&mut copy);
    // Post-order: children are already in key form when their parent is seen.
    let _ = visit_expressions_mut(&mut copy, |e| {
        session::mark_session_charsets(e);
        fold::printed_bytes(e);
        if let Expr::Value(v) = e {
            // NUL marks a session's charset (SESSION_CHARSET): never one in a string.
            if let Value::SingleQuotedString(s) = &mut v.value {
                if s.contains('\0') {
                    *s = s.replace('\0', "\\0");
                }
            }
        }
        if let Expr::Nested(inner) = e {
            *e = std::mem::replace(&mut **inner, Expr::value(sqlparser::ast::Value::Null));
        } else if let Expr::Prefixed { prefix, value } = e {
            // MySQL stores string literals with the connection's charset introducer
            // (`_utf8mb4'@'`), which nobody wrote: compared without it.
            if prefix.value.starts_with('_') {
                *e = std::mem::replace(&mut **value, Expr::value(sqlparser::ast::Value::Null));
            }
        } else if matches!(
            e,
            Expr::BinaryOp { .. }
                | Expr::UnaryOp { .. }
                | Expr::Between { .. }
                | Expr::InList { .. }
                | Expr::Like { .. }
                | Expr::IsNull(_)
                | Expr::IsNotNull(_)
        ) {
            let op = std::mem::replace(e, Expr::value(sqlparser::ast::Value::Null));
            *e = Expr::Nested(Box::new(op));
        }
        ControlFlow::<()>::Continue(())
    });
    copy.to_string()
}

pub fn from_expr(mut expr: Expr) -> SqlExpr {
    canonicalize_expr(&mut expr);
    // A top-level pair of parentheses never changes meaning: `CHECK ((a > 0))` is `a > 0`.
    while let Expr::Nested(inner) = expr {
        expr = *inner;
    }
    SqlExpr {
        key: key_of(&expr),
        text: sql_text(expr),
    }
}

/// `json_valid(`column`)`: the check MariaDB keeps on a JSON column.
pub fn json_valid(column: &str) -> SqlExpr {
    let name = ObjectName(vec![ObjectNamePart::Identifier(Ident::new("json_valid"))]);
    let arg = Expr::Identifier(Ident::with_quote('`', column));
    from_expr(dialect::call(name, vec![arg]))
}

/// Parse and canonicalize an expression printed by a server or stored in a plan.
pub fn parse_expr(text: &str) -> Result<SqlExpr, String> {
    let dialect = ServerDialect;
    let mut parser = Parser::new(&dialect)
        .try_with_sql(text)
        .map_err(|e| e.to_string())?;
    let expr = parser.parse_expr().map_err(|e| e.to_string())?;
    // Text after the expression is an expression canon cannot read, never dropped.
    let next = parser.peek_token();
    if next.token != sqlparser::tokenizer::Token::EOF {
        return Err(format!("unexpected `{}` after the expression", next.token));
    }
    Ok(from_expr(expr))
}

/// The tokens of a printed text as two printings of one definition compare: whitespace left
/// out, unquoted words (keywords, function names) without case, quoted names as they are.
/// `None` when the text does not tokenize.
pub fn printed_tokens(text: &str) -> Option<Vec<String>> {
    use sqlparser::tokenizer::{Token, Tokenizer};
    let all = Tokenizer::new(&sqlparser::dialect::MySqlDialect {}, text)
        .tokenize()
        .ok()?;
    Some(
        all.into_iter()
            .filter(|t| !matches!(t, Token::Whitespace(_)))
            .map(|t| match t {
                // A quoted name is a name, an unquoted word may be a keyword: they differ.
                Token::Word(w) if w.quote_style.is_some() => format!("`{}`", w.value),
                Token::Word(w) => w.value.to_lowercase(),
                other => other.to_string(),
            })
            .collect(),
    )
}
