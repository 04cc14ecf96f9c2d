//! What a column's new definition does to the values it holds, as the server does it under
//! the default strict sql_mode (tests/suite/data_checks*.rs record each case): values it
//! refuses (a length, range, number of digits, TIMESTAMP's range or a charset they do not
//! fit) block the change; values it changes without refusing (rounded numbers, cut
//! fractions of seconds, a lost time of day or date, an ENUM's characters its new charset
//! lacks) are counted in the destructive reason. Numbers are `numbers.rs`'s.

use super::{Alteration, Fit, Kind};
use crate::flavor::Flavor;
use crate::model::{Column, ColumnType, StrKind, Table, TemporalKind};
use crate::plan::safety::lob_bytes;

/// The checks changing `from` into `to` needs, besides NULLs.
pub(super) fn checks(have: &Table, from: &Column, to: &Column, flavor: Flavor) -> Vec<Kind> {
    let mut out: Vec<Kind> = Vec::new();
    let fit = |fit| Kind::NotFitting {
        fit,
        extremes: false,
    };
    if let Some(f) = shortened(from, to) {
        out.push(fit(f));
    }
    if let Some(cs) = charset_narrowed(from, to) {
        out.push(fit(Fit::Charset(cs)));
    }
    if let Some(cs) = listed_charset_narrowed(from, to) {
        out.push(Kind::Altered {
            how: Alteration::Charset(cs),
        });
    }
    out.extend(super::numbers::checks(have, from, to, flavor));
    match (&from.ty, &to.ty) {
        (ColumnType::Enum { values: a }, ColumnType::Enum { values: b })
        | (ColumnType::Set { values: a }, ColumnType::Set { values: b }) => {
            let gone: Vec<String> = a.iter().filter(|v| !b.contains(v)).cloned().collect();
            if !gone.is_empty() {
                out.push(fit(Fit::Without(gone)));
            }
        }
        (
            ColumnType::Temporal { kind: k1, fsp: f1 },
            ColumnType::Temporal { kind: k2, fsp: f2 },
        ) => out.extend(temporal((*k1, *f1), (*k2, *f2), flavor)),
        _ => {}
    }
    out
}

/// A string or LOB whose length limit shrinks (in characters for text, in bytes otherwise;
/// a TEXT's limit is in bytes, so only counted when the charset stays).
fn shortened(from: &Column, to: &Column) -> Option<Fit> {
    use ColumnType as T;
    match (&from.ty, &to.ty) {
        (
            T::String {
                kind: k1,
                length: was,
            },
            T::String {
                kind: k2,
                length: now,
            },
        ) => {
            let text = |k: &StrKind| matches!(k, StrKind::Char | StrKind::Varchar);
            (now < was && text(k1) == text(k2)).then_some(if text(k1) {
                Fit::Chars(*now)
            } else {
                Fit::Bytes(*now)
            })
        }
        (T::Text { size: a }, T::Text { size: b }) if from.charset == to.charset && b < a => {
            Some(Fit::Bytes(lob_bytes(*b) as u32))
        }
        (T::Blob { size: a }, T::Blob { size: b }) if b < a => {
            Some(Fit::Bytes(lob_bytes(*b) as u32))
        }
        _ => None,
    }
}

/// The charset a text column converts to, when it may not hold every character
/// (utf8mb4 holds them all; ascii fits in every charset).
fn charset_narrowed(from: &Column, to: &Column) -> Option<String> {
    let text = |c: &Column| {
        matches!(
            c.ty,
            ColumnType::String {
                kind: StrKind::Char | StrKind::Varchar,
                ..
            } | ColumnType::Text { .. }
        )
    };
    narrower_charset(from, to).filter(|_| text(from) && text(to))
}

/// The charset an ENUM or SET converts to, when it may not hold every character. The server
/// converts the list of values, not the rows: a character the charset lacks becomes `?` in
/// the list, so the rows holding it change silently (MariaDB 10.11, recorded in
/// tests/suite/data_checks_numbers.rs).
fn listed_charset_narrowed(from: &Column, to: &Column) -> Option<String> {
    let listed = |c: &Column| matches!(c.ty, ColumnType::Enum { .. } | ColumnType::Set { .. });
    narrower_charset(from, to).filter(|_| listed(from) && listed(to))
}

fn narrower_charset(from: &Column, to: &Column) -> Option<String> {
    let (a, b) = (from.charset.as_deref()?, to.charset.as_deref()?);
    (a != b && b != "utf8mb4" && a != "ascii").then(|| b.to_string())
}

/// Date and time types: TIMESTAMP's range refuses what lies outside it; fewer fractional
/// digits, a DATE or a TIME lose a part of the value without refusing it.
fn temporal(from: (TemporalKind, u32), to: (TemporalKind, u32), flavor: Flavor) -> Vec<Kind> {
    use TemporalKind as T;
    let has_date = |k| matches!(k, T::Date | T::DateTime | T::Timestamp);
    let has_time = |k| matches!(k, T::Time | T::DateTime | T::Timestamp);
    let mut out = Vec::new();
    if to.0 == T::Timestamp && matches!(from.0, T::Date | T::DateTime) {
        // MariaDB 11.5 took TIMESTAMP to 2106 (64-bit servers); MySQL stays at 2038.
        let max = if flavor.is_mariadb() && flavor.at_least(11, 5) {
            u32::MAX as u64
        } else {
            i32::MAX as u64
        };
        out.push(Kind::NotFitting {
            fit: Fit::Timestamp { max },
            extremes: false,
        });
    }
    if has_time(from.0) && to.0 == T::Date {
        out.push(Kind::Altered {
            how: Alteration::TimeOfDay,
        });
    } else if has_time(from.0) && has_time(to.0) && to.1 < from.1 {
        out.push(Kind::Altered {
            how: Alteration::Fraction(to.1),
        });
    }
    if has_date(from.0) && to.0 == T::Time {
        out.push(Kind::Altered {
            how: Alteration::Date,
        });
    }
    out
}
