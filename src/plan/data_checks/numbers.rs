//! What a number column's new type does to its values, as MariaDB 10.11 does it under the
//! default strict sql_mode (recorded by hand, cited in tests/suite/data_checks_numbers.rs):
//! a value out of the new range is refused (error 1264), so the change is blocked; a value
//! rounded to fewer decimals, or to FLOAT's precision, is changed silently, and counted.

use super::{Alteration, Fit, Kind};
use crate::flavor::Flavor;
use crate::model::{Column, ColumnType, KeyTarget, Table};
use crate::plan::safety::int_bounds;

/// The checks changing the number column `from` into `to` needs.
pub(super) fn checks(have: &Table, from: &Column, to: &Column, flavor: Flavor) -> Vec<Kind> {
    let extremes = || leads_an_index(have, &from.name);
    match (&from.ty, &to.ty) {
        (ColumnType::Int { .. }, ColumnType::Int { .. }) => {
            let (Some(a), Some(b)) = (int_bounds(&from.ty), int_bounds(&to.ty)) else {
                return Vec::new();
            };
            if b.0 > a.0 || b.1 < a.1 {
                vec![Kind::NotFitting {
                    fit: Fit::Range {
                        min: b.0 as i64,
                        max: b.1 as u64,
                    },
                    extremes: extremes(),
                }]
            } else {
                Vec::new()
            }
        }
        (ColumnType::Decimal { .. } | ColumnType::Float { .. }, ColumnType::Int { .. }) => {
            to_integer(&from.ty, &to.ty, extremes(), flavor)
        }
        (ColumnType::Float { .. }, ColumnType::Float { .. }) => {
            floating(&from.ty, &to.ty, extremes())
        }
        (from_ty, ColumnType::Decimal { .. }) => decimal(from_ty, &to.ty, extremes()),
        _ => Vec::new(),
    }
}

/// A DECIMAL, FLOAT or DOUBLE becoming an integer: rounded (a DECIMAL half away from zero; a
/// FLOAT or DOUBLE half to even on MariaDB, half away from zero on MySQL, whose manual says
/// so of inserts into an integer column), refused out of the integer's range, fractions
/// rounded silently.
fn to_integer(from: &ColumnType, to: &ColumnType, extremes: bool, flavor: Flavor) -> Vec<Kind> {
    let Some((min, max)) = int_bounds(to) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    // A DECIMAL(P,S) rounds to at most 10^(P-S) either way; FLOAT and DOUBLE hold anything.
    let (fits, fractions) = match *from {
        ColumnType::Decimal {
            precision,
            scale,
            unsigned,
            ..
        } => {
            let reach = 10i128.checked_pow(precision - scale).unwrap_or(i128::MAX);
            (reach <= max && (unsigned || -reach >= min), scale > 0)
        }
        _ => (false, true),
    };
    if !fits {
        out.push(Kind::NotFitting {
            fit: Fit::Rounded {
                min: min as i64,
                max: max as u64,
                decimal: matches!(from, ColumnType::Decimal { .. }),
                to_even: flavor.is_mariadb(),
            },
            extremes,
        });
    }
    if fractions {
        out.push(Kind::Altered {
            how: Alteration::Scale(0),
        });
    }
    out
}

/// FLOAT and DOUBLE: to FLOAT(M,D) or DOUBLE(M,D), like a DECIMAL (rounded to D decimals,
/// refused beyond M-D integer digits); DOUBLE to FLOAT refuses beyond FLOAT's range and
/// keeps about 7 digits; a sign lost refuses negative values.
fn floating(from: &ColumnType, to: &ColumnType, extremes: bool) -> Vec<Kind> {
    let (
        ColumnType::Float {
            double: was_double,
            precision: was,
            unsigned: was_unsigned,
            ..
        },
        ColumnType::Float {
            double,
            precision,
            unsigned,
            ..
        },
    ) = (from, to)
    else {
        return Vec::new();
    };
    let single = *was_double && !*double;
    let signless = *unsigned && !*was_unsigned;
    let mut out = Vec::new();
    match *precision {
        Some((m, d)) => {
            // Without (M,D) the column held any digits and decimals.
            let (digits, scale) = was.map_or((u32::MAX, u32::MAX), |(m, d)| (m - d, d));
            if m - d < digits || signless {
                out.push(Kind::NotFitting {
                    fit: Fit::Decimal {
                        digits: m - d,
                        scale: d,
                        unsigned: signless,
                    },
                    extremes,
                });
            }
            if d < scale {
                out.push(Kind::Altered {
                    how: Alteration::Scale(d),
                });
            }
        }
        None if single || signless => out.push(Kind::NotFitting {
            fit: Fit::Float {
                single,
                unsigned: signless,
            },
            extremes,
        }),
        None => {}
    }
    if single {
        out.push(Kind::Altered {
            how: Alteration::Precision,
        });
    }
    out
}

/// An integer or DECIMAL becoming a DECIMAL: fewer integer digits (or no sign) refuse the
/// values that no longer fit; a smaller scale rounds.
fn decimal(from_ty: &ColumnType, to: &ColumnType, extremes: bool) -> Vec<Kind> {
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
            extremes,
        });
    }
    if scale < was_scale {
        out.push(Kind::Altered {
            how: Alteration::Scale(scale),
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
