//! Literal defaults as the server stores and prints them for the column's type: a number written
//! for a string column becomes the string the server converts it to (`varchar DEFAULT 00` is
//! '0', as Kamailio writes it), a hex or bit literal its bytes, an integer on an ENUM or SET
//! picks members by position; BLOB/TEXT keep a number as the parser read it; YEAR, ZEROFILL and
//! FLOAT(M,D) as the server pads them. MariaDB values were recorded from 10.11 (`SHOW CREATE
//! TABLE`, in the tests); MySQL prints every literal default quoted, and converts YEAR values as
//! MariaDB does (reference manual, "The YEAR Type").

use crate::flavor::Flavor;
use crate::model::*;

pub(super) fn literal(d: DefaultValue, ty: &ColumnType, flavor: Flavor) -> DefaultValue {
    let numeric = matches!(
        ty,
        ColumnType::Int { .. } | ColumnType::Decimal { .. } | ColumnType::Float { .. }
    );
    let mariadb = flavor.is_mariadb();
    match d {
        DefaultValue::String(s) if numeric && s.trim().parse::<f64>().is_ok() => {
            literal(DefaultValue::Number(s.trim().to_string()), ty, flavor)
        }
        DefaultValue::Number(n) if is_year(ty) => year(&n, false, ty, mariadb),
        DefaultValue::String(s) if is_year(ty) => year(&s, true, ty, mariadb),
        DefaultValue::Number(n) => match ty {
            ColumnType::Int {
                width, zerofill, ..
            } => {
                let n = n
                    .parse::<i128>()
                    .map(|v| v.to_string())
                    .or_else(|_| n.parse::<f64>().map(|f| format!("{}", f.round() as i128)))
                    .unwrap_or(n);
                DefaultValue::Number(zero_filled(n, *zerofill && mariadb, *width))
            }
            ColumnType::Decimal { scale, .. } => DefaultValue::Number(decimal_text(&n, *scale)),
            ColumnType::Float {
                double,
                precision,
                zerofill,
                ..
            } => {
                let n = match (n.parse::<f64>(), precision) {
                    (Ok(f), Some((_, scale))) if mariadb => format!("{f:.0$}", *scale as usize),
                    (Ok(f), _) => format!("{f}"),
                    (Err(_), _) => n,
                };
                // The width a zero-filled float is padded to: its M, else 12 (FLOAT) or 22.
                let width = precision.map_or(if *double { 22 } else { 12 }, |(m, _)| m);
                DefaultValue::Number(zero_filled(n, *zerofill && mariadb, Some(width)))
            }
            ColumnType::Bit { .. } => DefaultValue::Number(n),
            ColumnType::String { .. } => {
                literal(DefaultValue::String(number_as_string(&n)), ty, flavor)
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
            // MariaDB keeps a number given to a BLOB or TEXT as its parser read it (`00` is 0,
            // `.5` is 0.5, `-0.0` is 0.0), a float as it was written (`1E3`).
            _ if ty.is_lob() && mariadb && is_float(&n) => {
                DefaultValue::Number(n.trim_start_matches('+').to_string())
            }
            _ if ty.is_lob() && mariadb => DefaultValue::Number(exact_number(&n)),
            _ => DefaultValue::String(n.trim_start_matches('+').to_string()),
        },
        DefaultValue::Bits(bits) if matches!(ty, ColumnType::String { .. }) => {
            match bits_bytes(&bits).and_then(|b| String::from_utf8(b).ok()) {
                Some(s) => literal(DefaultValue::String(s), ty, flavor),
                None => DefaultValue::Bits(bits),
            }
        }
        DefaultValue::Expr(e) if is_bytes_type(ty) => {
            match hex_bytes(&e.text).and_then(|b| String::from_utf8(b).ok()) {
                Some(s) => literal(DefaultValue::String(s), ty, flavor),
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

fn is_year(ty: &ColumnType) -> bool {
    matches!(
        ty,
        ColumnType::Temporal {
            kind: TemporalKind::Year,
            ..
        }
    )
}

/// A YEAR default as stored: a number 0 is the year 0000, 1 to 69 are 2001 to 2069 and 70 to
/// 99 are 1970 to 1999; a string of one or two digits is read the same way, but `'0'` and
/// `'00'` are 2000. MariaDB prints it as a number, of two digits in a YEAR(2).
fn year(n: &str, string: bool, ty: &ColumnType, mariadb: bool) -> DefaultValue {
    let text = n.trim().trim_start_matches('+');
    let Ok(value) = text.parse::<f64>() else {
        return DefaultValue::String(n.to_string());
    };
    let value = value.round() as i64;
    let two_digit_string = string && text.len() <= 2;
    let stored = match value {
        0 if !two_digit_string => 0,
        0..=69 if two_digit_string || !string => 2000 + value,
        70..=99 if two_digit_string || !string => 1900 + value,
        v => v,
    };
    if !mariadb {
        return DefaultValue::String(format!("{stored:04}"));
    }
    let two_digits = matches!(ty, ColumnType::Temporal { fsp: 2, .. });
    DefaultValue::Number(if two_digits {
        format!("{:02}", stored % 100)
    } else {
        format!("{stored:04}")
    })
}

/// ZEROFILL: the number padded with zeros to the column's width.
fn zero_filled(n: String, zerofill: bool, width: Option<u32>) -> String {
    match width {
        Some(w) if zerofill && !n.starts_with('-') => format!("{n:0>0$}", w as usize),
        _ => n,
    }
}

/// `1.5` in a `decimal(6,3)` is `1.500`.
fn decimal_text(n: &str, scale: u32) -> String {
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

#[cfg(test)]
#[path = "defaults_tests.rs"]
mod tests;
