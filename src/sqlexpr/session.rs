//! What a key makes of the parts of an expression the server fills in from the creating
//! session (recorded in `fixtures/expressions/`): the charset of `CAST(x AS CHAR)`,
//! `CONVERT(x, CHAR)`, `CHR(n)` and a dynamic column's `AS char`, and the database of a
//! sequence function's sequence, marked with [`SESSION_CHARSET`] so that one left unwritten
//! matches any (see `SqlExpr`'s `eq`).

use super::dialect::{call, word};
use crate::model::SESSION_CHARSET;
use sqlparser::ast::{
    BinaryOperator, DataType, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Ident,
    ObjectName, ObjectNamePart, Value,
};

/// One node of a key copy; children are already in key form (post-order).
pub(super) fn mark_session_charsets(e: &mut Expr) {
    match e {
        Expr::Cast { data_type, .. } => mark_cast(data_type),
        Expr::Function(f) => {
            let name = f.name.to_string().to_lowercase();
            let FunctionArguments::List(list) = &mut f.args else {
                return;
            };
            match (name.as_str(), list.args.as_mut_slice()) {
                // `CHR(n)` is `char(n using <character_set_database>)`.
                ("chr", [FunctionArg::Unnamed(FunctionArgExpr::Expr(n))]) => {
                    let n = std::mem::replace(n, Expr::value(Value::Null));
                    let using = Expr::BinaryOp {
                        left: Box::new(n),
                        op: BinaryOperator::Custom("USING".into()),
                        right: Box::new(word(&SESSION_CHARSET.to_string())),
                    };
                    *e = call(
                        ObjectName::from(vec![Ident::new("char")]),
                        vec![Expr::Nested(Box::new(using))],
                    );
                }
                ("char", [.., FunctionArg::Unnamed(FunctionArgExpr::Expr(last))]) => {
                    if let Expr::BinaryOp { op, right, .. } = unnested(last) {
                        if matches!(op, BinaryOperator::Custom(o) if o == "USING") {
                            mark_word(right);
                        }
                    }
                }
                // A dynamic column's type (`column_get(b, 'x' as char)`); column_create
                // and column_add print the collation too.
                ("column_get" | "column_create" | "column_add", args) => {
                    let collated = name != "column_get";
                    for a in args {
                        if let FunctionArg::Unnamed(FunctionArgExpr::Expr(a)) = a {
                            if let Expr::BinaryOp {
                                op: BinaryOperator::Custom(op),
                                right,
                                ..
                            } = unnested(a)
                            {
                                if op == "AS" {
                                    mark_typed(right, collated);
                                }
                            }
                        }
                    }
                }
                // The sequence of `nextval(s)`, `lastval(s)`, `setval(s, ...)`: the server
                // qualifies it with the session's database (`nextval(`db`.`s`)`).
                (
                    "nextval" | "lastval" | "setval",
                    [FunctionArg::Unnamed(FunctionArgExpr::Expr(s)), ..],
                ) => mark_database(s),
                _ => {}
            }
        }
        _ => {}
    }
}

/// A sequence's name as the marker, its database (when written, spelled with letters,
/// digits and `_` only, as the mark's comparison reads it) and the name.
fn mark_database(sequence: &mut Expr) {
    let (database, name) = match sequence {
        Expr::Identifier(name) => (String::new(), name.clone()),
        Expr::CompoundIdentifier(parts) if parts.len() == 2 => {
            let spelled = parts[0]
                .value
                .chars()
                .map(|c| match c {
                    'a'..='z' | 'A'..='Z' | '0'..='9' | '_' => c.to_string(),
                    _ => format!("_{:x}_", u32::from(c)),
                })
                .collect();
            (spelled, parts[1].clone())
        }
        _ => return,
    };
    *sequence = word(&format!("{SESSION_CHARSET}{database}.{name}"));
}

fn mark_typed(e: &mut Expr, collated: bool) {
    if let Expr::Value(v) = e {
        if let Value::Placeholder(ty) = &mut v.value {
            *ty = marked_type(ty, collated);
        }
    }
}

fn unnested(e: &mut Expr) -> &mut Expr {
    match e {
        Expr::Nested(inner) => unnested(inner),
        other => other,
    }
}

fn mark_word(e: &mut Expr) {
    if let Expr::Value(v) = e {
        if let Value::Placeholder(cs) = &mut v.value {
            cs.insert(0, SESSION_CHARSET);
        }
    }
}

/// `char[(n)]` with its charset marked, or the marker alone when none is written.
fn mark_cast(ty: &mut DataType) {
    let text = match ty {
        DataType::Char(_) | DataType::Character(_) => ty.to_string().to_lowercase(),
        DataType::Custom(name, _) => match name.0.as_slice() {
            [ObjectNamePart::Identifier(id)] if id.value.starts_with("char") => id.value.clone(),
            _ => return,
        },
        _ => return,
    };
    let marked = marked_type(&text, false);
    if marked != text {
        *ty = DataType::Custom(ObjectName::from(vec![Ident::new(marked)]), Vec::new());
    }
}

/// A character type's text with its charset (and, `collated`, its collation) marked
/// (`char(4) charset <mark>latin1`, `char charset <mark> collate <mark>`); other types as
/// they are.
fn marked_type(ty: &str, collated: bool) -> String {
    let mark = SESSION_CHARSET;
    let Some(rest) = ty.strip_prefix("char") else {
        return ty.to_string();
    };
    if !(rest.is_empty() || rest.starts_with('(') || rest.starts_with(' ')) {
        return ty.to_string();
    }
    let (length, rest) = match rest.find(')') {
        Some(end) if rest.starts_with('(') => rest.split_at(end + 1),
        _ => ("", rest),
    };
    let mut words = rest.split_whitespace().peekable();
    let mut out = format!("char{length} charset ");
    out.push(mark);
    if words.next_if_eq(&"charset").is_some() {
        match words.next() {
            Some(cs) => out.push_str(cs),
            None => return ty.to_string(),
        }
    }
    // `binary` after the charset: its binary collation (`char binary` is the session's).
    if words.next_if_eq(&"binary").is_some() {
        out.push_str(" binary");
    }
    // The server fills in the charset's default collation: any matches what is not written.
    let collation = match (words.next(), words.next(), words.peek()) {
        (None, None, None) => "",
        (Some("collate"), Some(collation), None) => collation,
        _ => return ty.to_string(),
    };
    if collated || !collation.is_empty() {
        out.push_str(" collate ");
        out.push(mark);
        out.push_str(collation);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_charset_written_is_kept_after_the_mark() {
        let m = SESSION_CHARSET;
        assert_eq!(marked_type("char", false), format!("char charset {m}"));
        assert_eq!(
            marked_type("char(10)", false),
            format!("char(10) charset {m}")
        );
        assert_eq!(
            marked_type("char charset utf8mb3 collate utf8mb3_general_ci", true),
            format!("char charset {m}utf8mb3 collate {m}utf8mb3_general_ci")
        );
        assert_eq!(
            marked_type("char charset latin1", true),
            format!("char charset {m}latin1 collate {m}")
        );
        assert_eq!(
            marked_type("char(4) charset binary", false),
            format!("char(4) charset {m}binary")
        );
        assert_eq!(
            marked_type("char(10) charset utf8mb3 binary", false),
            format!("char(10) charset {m}utf8mb3 binary")
        );
        assert_eq!(
            marked_type("char(10) binary", false),
            format!("char(10) charset {m} binary")
        );
        assert_eq!(marked_type("signed", false), "signed");
        assert_eq!(marked_type("charx", false), "charx");
    }
}
