//! What a column's new definition does to the values it holds, as the server does it under
//! the default strict sql_mode (tests/suite/data_checks.rs records each case): values it
//! refuses (a length, range, number of digits, TIMESTAMP's range or a charset they do not
//! fit) block the change; values it changes without refusing (rounded decimals, cut
//! fractions of seconds, a lost time of day or date) are counted in the destructive reason.

use super::{Alteration, Fit, Kind};
use crate::flavor::Flavor;
use crate::model::{Column, ColumnType, IndexKind, KeyTarget, StrKind, Table, TemporalKind};
use crate::plan::safety::{int_bounds, lob_bytes};

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
    match (&from.ty, &to.ty) {
        (ColumnType::Int { .. }, ColumnType::Int { .. }) => {
            if let (Some(a), Some(b)) = (int_bounds(&from.ty), int_bounds(&to.ty)) {
                if b.0 > a.0 || b.1 < a.1 {
                    out.push(Kind::NotFitting {
                        fit: Fit::Range {
                            min: b.0 as i64,
                            max: b.1 as u64,
                        },
                        extremes: leads_an_index(have, &from.name),
                    });
                }
            }
        }
        (ColumnType::Enum { values: a }, ColumnType::Enum { values: b })
        | (ColumnType::Set { values: a }, ColumnType::Set { values: b }) => {
            let gone: Vec<String> = a.iter().filter(|v| !b.contains(v)).cloned().collect();
            if !gone.is_empty() {
                out.push(fit(Fit::Without(gone)));
            }
        }
        (from_ty, ColumnType::Decimal { .. }) => out.extend(decimal(have, from, from_ty, &to.ty)),
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
    let (a, b) = (from.charset.as_deref()?, to.charset.as_deref()?);
    (text(from) && text(to) && a != b && b != "utf8mb4" && a != "ascii").then(|| b.to_string())
}

/// An integer or DECIMAL becoming a DECIMAL: fewer integer digits (or no sign) refuse the
/// values that no longer fit; a smaller scale rounds.
fn decimal(have: &Table, from: &Column, from_ty: &ColumnType, to: &ColumnType) -> Vec<Kind> {
    let ColumnType::Decimal {
        precision,
        scale,
        unsigned,
        ..
    } = *to
    else {
        return Vec::new();
    };
    let (digits, was_scale, was_unsigned) = match *from_ty {
        ColumnType::Decimal {
            precision: p,
            scale: s,
            unsigned: u,
            ..
        } => (p - s, s, u),
        ColumnType::Int { .. } => {
            let (lo, hi) = int_bounds(from_ty).expect("an integer type");
            let digits = lo.abs().max(hi).to_string().len() as u32;
            (digits, 0, lo == 0)
        }
        _ => return Vec::new(),
    };
    let mut out = Vec::new();
    let signless = unsigned && !was_unsigned;
    if precision - scale < digits || signless {
        out.push(Kind::NotFitting {
            fit: Fit::Decimal {
                digits: precision - scale,
                scale,
                unsigned: signless,
            },
            extremes: leads_an_index(have, &from.name),
        });
    }
    if scale < was_scale {
        out.push(Kind::Altered {
            how: Alteration::Scale(scale),
        });
    }
    out
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

/// An index starts with the column: its smallest and largest values are two look-ups.
fn leads_an_index(have: &Table, column: &str) -> bool {
    have.indexes.iter().any(|i| {
        matches!(i.parts.first(), Some(p) if p.prefix.is_none()
            && matches!(&p.target, KeyTarget::Column(c) if c.eq_ignore_ascii_case(column)))
    })
}

/// A collation change of a column under unique keys, with or without a charset change:
/// each key's collisions.
pub(super) fn collisions(have: &Table, from: &Column, to: &Column) -> Vec<(Vec<String>, Kind)> {
    let Some(collation) = to
        .collation
        .as_ref()
        .filter(|c| from.collation.as_ref() != Some(*c))
    else {
        return Vec::new();
    };
    let charset = to
        .charset
        .clone()
        .filter(|cs| from.charset.as_ref() != Some(cs));
    have.indexes
        .iter()
        .filter(|i| matches!(i.kind, IndexKind::Primary | IndexKind::Unique))
        // A key over an expression is not checked.
        .filter(|i| {
            i.parts
                .iter()
                .all(|p| matches!(p.target, KeyTarget::Column(_)))
        })
        .filter(|i| i.column_names().contains(&from.name.as_str()))
        .map(|i| {
            let prefixes: Vec<Option<u32>> = i.parts.iter().map(|p| p.prefix).collect();
            (
                i.column_names().iter().map(|c| c.to_string()).collect(),
                Kind::Collisions {
                    column: from.name.clone(),
                    collation: collation.clone(),
                    charset: charset.clone(),
                    prefixes: if prefixes.iter().any(Option::is_some) {
                        prefixes
                    } else {
                        Vec::new()
                    },
                },
            )
        })
        .collect()
}
