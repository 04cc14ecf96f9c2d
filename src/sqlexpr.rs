//! Canonical forms of SQL expressions and view queries, on sqlparser's AST.
//!
//! The server rewrites expressions (back-quotes identifiers, lower-cases function names, adds
//! or drops parentheses) and view queries (explicit aliases, expanded `*`, qualified columns).
//! Both sides of a diff go through these functions, so equal meaning gives equal keys.

mod query;
#[cfg(test)]
mod tests;

pub use query::{
    canonical_query, from_query, lower_case_relations, output_columns, relations_of,
    strip_schema, Relations,
};

use crate::model::SqlExpr;
use sqlparser::ast::{
    visit_expressions_mut, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Ident,
    ObjectName, ObjectNamePart, Value,
};
use sqlparser::dialect::MySqlDialect;
use sqlparser::parser::Parser;
use std::ops::ControlFlow;

/// Function names MariaDB 10.11 stores under another name (read from its view text).
const SERVER_NAMES: &[(&str, &str)] = &[
    ("upper", "ucase"),
    ("lower", "lcase"),
    ("substring", "substr"),
    ("mid", "substr"),
    ("now", "current_timestamp"),
    ("localtime", "current_timestamp"),
    ("localtimestamp", "current_timestamp"),
    ("current_date", "curdate"),
    ("current_time", "curtime"),
    ("character_length", "char_length"),
    ("length", "octet_length"),
    ("power", "pow"),
];

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

pub(crate) fn rewrite_node(e: &mut Expr) {
    match e {
        Expr::Identifier(id) => backquote(id),
        Expr::CompoundIdentifier(ids) => ids.iter_mut().for_each(backquote),
        // The server stores SUBSTRING and MID as substr(a, b, c).
        Expr::Substring {
            special, shorthand, ..
        } => {
            *special = false;
            *shorthand = true;
        }
        Expr::Value(v) => {
            // The server stores TRUE / FALSE as 1 / 0.
            if let Value::Boolean(b) = v.value {
                v.value = Value::Number(if b { "1" } else { "0" }.into(), false);
            }
        }
        Expr::Function(f) => {
            for part in &mut f.name.0 {
                if let ObjectNamePart::Identifier(id) = part {
                    let lower = id.value.to_lowercase();
                    id.value = SERVER_NAMES
                        .iter()
                        .find(|(from, _)| *from == lower)
                        .map_or(lower, |(_, to)| to.to_string());
                    id.quote_style = None;
                }
            }
            // `CURRENT_TIMESTAMP` without parentheses is the call `current_timestamp()`.
            if matches!(f.args, FunctionArguments::None) {
                f.args = FunctionArguments::List(sqlparser::ast::FunctionArgumentList {
                    duplicate_treatment: None,
                    args: Vec::new(),
                    clauses: Vec::new(),
                });
            }
            // The server stores `count(*)` as `count(0)`.
            if f.name.to_string() == "count" {
                if let FunctionArguments::List(list) = &mut f.args {
                    for arg in &mut list.args {
                        if let FunctionArg::Unnamed(a @ FunctionArgExpr::Wildcard) = arg {
                            *a = FunctionArgExpr::Expr(Expr::value(Value::Number(
                                "0".into(),
                                false,
                            )));
                        }
                    }
                }
            }
        }
        _ => {}
    }
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

/// Parse and canonicalize an expression printed by a server or stored in a plan.
pub fn parse_expr(text: &str) -> Result<SqlExpr, String> {
    let dialect = MySqlDialect {};
    let mut parser = Parser::new(&dialect)
        .try_with_sql(text)
        .map_err(|e| e.to_string())?;
    let expr = parser.parse_expr().map_err(|e| e.to_string())?;
    Ok(from_expr(expr))
}

