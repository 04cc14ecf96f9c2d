//! Literals and constants as the server prints them in what it stores, for keys only (the
//! text keeps what was written): each rule recorded in `fixtures/expressions/`.

use sqlparser::ast::{BinaryOperator, Expr, UnaryOperator, Value};

/// `_cs 0x..` (a string given by its bytes): in a generated column, CHECK or DEFAULT the
/// server prints the bytes, printable ASCII as is and any other byte as `x` and two
/// upper-case hex digits (`_ucs2 0x0045` is stored `_ucs2'x00E'`).
pub(super) fn printed_bytes(e: &mut Expr) {
    if let Some(bytes) = introduced_bytes(e) {
        let text: String = bytes
            .iter()
            .map(|&b| match b {
                0x20..=0x7e => char::from(b).to_string(),
                _ => format!("x{b:02X}"),
            })
            .collect();
        set_string(e, text);
    }
}

/// In a view, `_cs 0x..` is stored as the string it spells (`_ucs2 0x00E9` is `'é'`).
pub(super) fn decoded_string(e: &mut Expr) {
    let Expr::Prefixed { prefix, .. } = &*e else {
        return;
    };
    let charset = prefix.value[1..].to_lowercase();
    let Some(bytes) = introduced_bytes(e) else {
        return;
    };
    let units = |n: usize| bytes.len() % n == 0;
    let text = match charset.as_str() {
        "utf8" | "utf8mb3" | "utf8mb4" | "binary" | "ascii" => String::from_utf8(bytes).ok(),
        "ucs2" | "utf16" if units(2) => {
            let words: Vec<u16> = bytes
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16(&words).ok()
        }
        "utf32" if units(4) => bytes
            .chunks(4)
            .map(|c| char::from_u32(u32::from_be_bytes([c[0], c[1], c[2], c[3]])))
            .collect(),
        // latin1 is cp1252, which differs from ISO-8859-1 in 0x80..0x9f: those left alone.
        "latin1" if !bytes.iter().any(|b| (0x80..0xa0).contains(b)) => {
            Some(bytes.iter().map(|&b| char::from(b)).collect())
        }
        _ => None,
    };
    if let Some(text) = text {
        *e = Expr::value(Value::SingleQuotedString(text));
    }
}

fn introduced_bytes(e: &Expr) -> Option<Vec<u8>> {
    let Expr::Prefixed { prefix, value } = e else {
        return None;
    };
    let Expr::Value(v) = &**value else {
        return None;
    };
    let Value::HexStringLiteral(hex) = &v.value else {
        return None;
    };
    if !prefix.value.starts_with('_') || hex.len() % 2 == 1 {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok())
        .collect()
}

fn set_string(e: &mut Expr, text: String) {
    if let Expr::Prefixed { value, .. } = e {
        **value = Expr::value(Value::SingleQuotedString(text));
    }
}

/// In a view, `x IS NULL` of a constant that cannot be NULL is stored as
/// `/*always not null*/ 1 is null`.
pub(super) fn always_not_null(e: &mut Expr) {
    if let Expr::IsNull(inner) = e {
        if never_null_constant(inner) {
            **inner = Expr::value(Value::Number("1".into(), false));
        }
    }
}

/// Literals other than NULL, the current date and time, and sums, differences and products
/// of them.
fn never_null_constant(e: &Expr) -> bool {
    match e {
        Expr::Function(f) => {
            let clock = ["current_timestamp", "curdate", "curtime"];
            let no_args = match &f.args {
                sqlparser::ast::FunctionArguments::List(l) => l.args.is_empty(),
                _ => true,
            };
            no_args && clock.contains(&f.name.to_string().as_str())
        }
        Expr::Nested(inner) => never_null_constant(inner),
        Expr::Value(v) => !matches!(v.value, Value::Null | Value::Placeholder(_)),
        Expr::Prefixed { value, .. } => never_null_constant(value),
        Expr::UnaryOp {
            op: UnaryOperator::Minus | UnaryOperator::Plus,
            expr,
        } => never_null_constant(expr),
        Expr::BinaryOp {
            left,
            op: BinaryOperator::Plus | BinaryOperator::Minus | BinaryOperator::Multiply,
            right,
        } => never_null_constant(left) && never_null_constant(right),
        _ => false,
    }
}
