//! Literal defaults as the server stores them for the column's type: a number written for a
//! string column becomes the string the server converts it to (`varchar DEFAULT 00` is '0', as
//! Kamailio writes it), a hex or bit literal becomes its bytes, an integer on an ENUM or SET
//! picks members by position. Every rule was read on MariaDB 10.11 (see the tests).

use super::*;

pub(super) fn normalize_default(d: DefaultValue, ty: &ColumnType) -> DefaultValue {
    let numeric = matches!(
        ty,
        ColumnType::Int { .. } | ColumnType::Decimal { .. } | ColumnType::Float { .. }
    );
    match d {
        DefaultValue::String(s) if numeric && s.trim().parse::<f64>().is_ok() => {
            normalize_default(DefaultValue::Number(s.trim().to_string()), ty)
        }
        DefaultValue::Number(n) => match ty {
            ColumnType::Int { .. } => DefaultValue::Number(
                n.parse::<i128>()
                    .map(|v| v.to_string())
                    .or_else(|_| n.parse::<f64>().map(|f| format!("{}", f.round() as i128)))
                    .unwrap_or(n),
            ),
            ColumnType::Decimal { scale, .. } => DefaultValue::Number(decimal_text(&n, *scale)),
            ColumnType::Float { .. } => {
                DefaultValue::Number(n.parse::<f64>().map_or(n, |f| format!("{f}")))
            }
            ColumnType::Bit { .. } => DefaultValue::Number(n),
            ColumnType::String { .. } => {
                normalize_default(DefaultValue::String(number_as_string(&n)), ty)
            }
            ColumnType::Enum { values } => match exact_number(&n).parse::<usize>() {
                Ok(i) if i >= 1 && i <= values.len() => DefaultValue::String(values[i - 1].clone()),
                _ => DefaultValue::Number(n),
            },
            ColumnType::Set { values } => match exact_number(&n).parse::<u64>() {
                Ok(bits) if bits >> values.len().min(63) == 0 => DefaultValue::String(
                    (0..values.len())
                        .filter(|i| bits & (1 << i) != 0)
                        .map(|i| values[i].as_str())
                        .collect::<Vec<_>>()
                        .join(","),
                ),
                _ => DefaultValue::Number(n),
            },
            // TEXT and BLOB keep an expression default: the server prints the literal as its
            // parser read it (`00` is 0, `.5` is 0.5), floats as they were written (`1e3`).
            _ if is_float(&n) => DefaultValue::String(n.trim_start_matches('+').to_string()),
            _ => DefaultValue::String(exact_number(&n)),
        },
        DefaultValue::Bits(bits) if matches!(ty, ColumnType::String { .. }) => {
            match bits_bytes(&bits).and_then(|b| String::from_utf8(b).ok()) {
                Some(s) => normalize_default(DefaultValue::String(s), ty),
                None => DefaultValue::Bits(bits),
            }
        }
        DefaultValue::Expr(e) if is_bytes_type(ty) => {
            match hex_bytes(&e.text).and_then(|b| String::from_utf8(b).ok()) {
                Some(s) => normalize_default(DefaultValue::String(s), ty),
                None => DefaultValue::Expr(e),
            }
        }
        // BINARY(n) is fixed-length: the server pads a shorter default with zero bytes.
        DefaultValue::String(mut s) => {
            if let ColumnType::String {
                kind: StrKind::Binary,
                length,
            } = ty
            {
                while s.len() < *length as usize {
                    s.push('\0');
                }
            }
            DefaultValue::String(s)
        }
        other => other,
    }
}

/// Columns whose default the server stores as a string: a hex literal there is its bytes.
fn is_bytes_type(ty: &ColumnType) -> bool {
    matches!(
        ty,
        ColumnType::String { .. } | ColumnType::Enum { .. } | ColumnType::Set { .. }
    )
}

fn is_float(n: &str) -> bool {
    n.contains(['e', 'E'])
}

/// An integer or decimal literal as the server's parser holds it: no `+`, no leading zeros,
/// no sign on zero (`-0` is 0, `-0.0` is 0.0, `.5` is 0.5), the fraction's digits kept.
fn exact_number(n: &str) -> String {
    let (negative, digits) = match n.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, n.trim_start_matches('+')),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    let zero = int == "0" && frac.bytes().all(|b| b == b'0');
    let sign = if negative && !zero { "-" } else { "" };
    if digits.contains('.') {
        format!("{sign}{int}.{frac}")
    } else {
        format!("{sign}{int}")
    }
}

/// A number converted to a string column's value: exact numbers as `exact_number`, floats as
/// the server prints a double (shortest digits, plain between 1e-15 and 1e15, else `1.5e16`).
fn number_as_string(n: &str) -> String {
    if !is_float(n) {
        return exact_number(n);
    }
    let Ok(f) = n.parse::<f64>() else {
        return n.to_string();
    };
    let sci = format!("{f:e}");
    let exponent: i32 = sci
        .split_once('e')
        .and_then(|(_, e)| e.parse().ok())
        .unwrap_or(0);
    if f != 0.0 && !(-15..15).contains(&exponent) {
        sci
    } else {
        format!("{f}")
    }
}

/// `0x41` or `X'41'` as bytes.
fn hex_bytes(text: &str) -> Option<Vec<u8>> {
    let digits = text.strip_prefix("0x").or_else(|| {
        text.strip_prefix(['x', 'X'])
            .and_then(|r| r.strip_prefix('\''))
            .and_then(|r| r.strip_suffix('\''))
    })?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let padded = if digits.len() % 2 == 1 {
        format!("0{digits}")
    } else {
        digits.to_string()
    };
    (0..padded.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&padded[i..i + 2], 16).ok())
        .collect()
}

/// `b'1000001'`'s bit string as bytes, right-aligned as the server reads it.
fn bits_bytes(bits: &str) -> Option<Vec<u8>> {
    if bits.is_empty() || !bits.bytes().all(|b| b == b'0' || b == b'1') {
        return None;
    }
    let pad = (8 - bits.len() % 8) % 8;
    let padded = format!("{}{bits}", "0".repeat(pad));
    (0..padded.len())
        .step_by(8)
        .map(|i| u8::from_str_radix(&padded[i..i + 8], 2).ok())
        .collect()
}

/// `1.5` in a `decimal(6,3)` is `1.500`.
pub(super) fn decimal_text(n: &str, scale: u32) -> String {
    let (int, frac) = n.split_once('.').unwrap_or((n, ""));
    let scale = scale as usize;
    if frac.len() <= scale {
        let int = if int.is_empty() || int == "-" || int == "+" {
            format!("{}0", int.trim_start_matches('+'))
        } else {
            int.trim_start_matches('+').to_string()
        };
        if scale == 0 {
            int
        } else {
            format!("{int}.{frac:0<scale$}")
        }
    } else {
        n.parse::<f64>()
            .map_or(n.to_string(), |f| format!("{f:.scale$}"))
    }
}

#[cfg(test)]
#[path = "defaults_tests.rs"]
mod tests;
