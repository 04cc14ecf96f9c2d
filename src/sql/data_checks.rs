//! The data checks' SQL: a count bounded by a time budget (the server stops it), the query a
//! DBA runs to see the rows, and the sample key values of duplicates. Read-only SELECTs.

use crate::flavor::{Flavor, Vendor};
use crate::plan::data_checks::{Alteration, Computed, DataCheck, Fit, Kind};
use crate::sql::quote::{ident, string};

/// How many rows the DBA's query shows, and how many duplicate keys a sample holds.
const SHOWN: u32 = 100;
const SAMPLES: u32 = 5;

/// `SELECT ...` with the server's own time limit: MariaDB's `max_statement_time` (seconds),
/// MySQL's `MAX_EXECUTION_TIME` optimizer hint (milliseconds, SELECT only).
fn bounded(select: &str, flavor: Flavor, budget_ms: u64) -> String {
    let rest = select.strip_prefix("SELECT ").unwrap_or(select);
    match flavor.vendor {
        Vendor::MariaDb => format!(
            "SET STATEMENT max_statement_time={}.{:03} FOR SELECT {rest}",
            budget_ms / 1000,
            budget_ms % 1000
        ),
        Vendor::MySql => format!("SELECT /*+ MAX_EXECUTION_TIME({budget_ms}) */ {rest}"),
    }
}

/// Each part of a new key as a value of the row `c`: its column, or the expression the
/// server computes for it (its column names resolve to `c`, the only table).
fn part_values(check: &DataCheck, exprs: &[Option<Computed>]) -> Vec<String> {
    check
        .columns
        .iter()
        .enumerate()
        .map(|(i, col)| match exprs.get(i).and_then(Option::as_ref) {
            Some(Computed {
                expr,
                charset: Some(cs),
                collation: Some(co),
            }) => format!("CONVERT(({expr}) USING {cs}) COLLATE {}", ident(co)),
            Some(c) => format!("({})", c.expr),
            None => format!("c.{}", ident(col)),
        })
        .collect()
}

/// The key's parts, prefixes kept.
fn key_parts(
    check: &DataCheck,
    prefixes: &[Option<u32>],
    exprs: &[Option<Computed>],
) -> Vec<String> {
    part_values(check, exprs)
        .into_iter()
        .zip(prefixes)
        .map(|(v, p)| match p {
            Some(n) => format!("LEFT({v}, {n})"),
            None => v,
        })
        .collect()
}

/// A unique key's parts (prefixes kept) under the column's new collation, in its new
/// charset when that changes too.
fn collated(
    check: &DataCheck,
    prefixes: &[Option<u32>],
    column: &str,
    collation: &str,
    charset: Option<&str>,
) -> Vec<String> {
    check
        .columns
        .iter()
        .enumerate()
        .map(|(i, col)| {
            let mut part = match (col == column, charset) {
                (true, Some(cs)) => format!("CONVERT(c.{} USING {cs})", ident(col)),
                _ => format!("c.{}", ident(col)),
            };
            if let Some(n) = prefixes.get(i).copied().flatten() {
                part = format!("LEFT({part}, {n})");
            }
            if col == column {
                part = format!("{part} COLLATE {}", ident(collation));
            }
            part
        })
        .collect()
}

/// The key a duplicates or collisions check groups by; None for the other kinds.
fn grouped(check: &DataCheck) -> Option<String> {
    match &check.kind {
        Kind::Duplicates { prefixes, exprs } => Some(key_parts(check, prefixes, exprs).join(", ")),
        Kind::Collisions {
            column,
            collation,
            charset,
            prefixes,
        } => Some(collated(check, prefixes, column, collation, charset.as_deref()).join(", ")),
        _ => None,
    }
}

/// The rows at fault, as a condition on the row `c`.
fn at_fault(check: &DataCheck) -> String {
    let col = |i: usize| format!("c.{}", ident(&check.columns[i]));
    let not_null = |values: Vec<String>| {
        values
            .iter()
            .map(|v| format!("{v} IS NOT NULL"))
            .collect::<Vec<_>>()
            .join(" AND ")
    };
    let columns = || part_values(check, &[]);
    match &check.kind {
        // Keys with a NULL part never collide.
        Kind::Duplicates { exprs, .. } => not_null(part_values(check, exprs)),
        Kind::Collisions { .. } => not_null(columns()),
        Kind::Nulls => format!("{} IS NULL", col(0)),
        Kind::Orphans {
            parent,
            parent_columns,
            parent_exists,
        } => {
            if !parent_exists {
                return not_null(columns());
            }
            let matches: Vec<String> = parent_columns
                .iter()
                .enumerate()
                .map(|(i, p)| format!("p.{} = {}", ident(p), col(i)))
                .collect();
            format!(
                "{} AND NOT EXISTS (SELECT 1 FROM {} AS p WHERE {})",
                not_null(columns()),
                ident(parent),
                matches.join(" AND ")
            )
        }
        Kind::Violations { expr } => format!("NOT ({expr})"),
        Kind::NotFitting { fit, .. } => not_fitting(fit, &col(0)),
        Kind::Altered { how } => altered(how, &col(0)),
        Kind::ValuesLost => format!("{} IS NOT NULL", col(0)),
        Kind::RowsLost | Kind::Headroom { .. } => "1".into(),
        // Never run: no row is at fault that canon knows of.
        Kind::Unchecked { .. } => "0".into(),
    }
}

/// A value `c` the narrowed type refuses (the server's error in strict mode).
fn not_fitting(fit: &Fit, c: &str) -> String {
    match fit {
        Fit::Chars(n) => format!("CHAR_LENGTH({c}) > {n}"),
        Fit::Bytes(n) => format!("LENGTH({c}) > {n}"),
        Fit::Range { min, max } => format!("({c} < {min} OR {c} > {max})"),
        Fit::Without(values) => {
            // A SET value holds several: each removed one is looked for by name.
            let each: Vec<String> = values
                .iter()
                .map(|v| format!("FIND_IN_SET({}, {c})", string(v)))
                .collect();
            each.join(" OR ")
        }
        // Rounded first, as the server does: 9999.995 no longer fits DECIMAL(6,2).
        Fit::Decimal {
            digits,
            scale,
            unsigned,
        } => {
            let limit = format!("1{}", "0".repeat(*digits as usize));
            let sign = if *unsigned {
                format!(" OR {c} < 0")
            } else {
                String::new()
            };
            format!("(ABS(ROUND({c}, {scale})) >= {limit}{sign})")
        }
        // In the session's time zone, as the ALTER converts; a zero date stays zero.
        Fit::Timestamp { max } => {
            format!("{c} > 0 AND FLOOR(COALESCE(UNIX_TIMESTAMP({c}), 0)) NOT BETWEEN 1 AND {max}")
        }
        Fit::Charset(cs) => lacks(cs, c),
        // Rounded as the conversion rounds: ROUND rounds a DECIMAL half away from zero and
        // a FLOAT or DOUBLE half to even; as a DECIMAL, half away. A DECIMAL's sign is
        // checked before rounding: -0.4 does not fit UNSIGNED.
        Fit::Rounded {
            min,
            max,
            decimal,
            to_even,
        } => {
            let rounded = if *decimal || *to_even {
                format!("ROUND({c})")
            } else {
                format!("ROUND(CAST({c} AS DECIMAL(65,30)))")
            };
            let low = if *decimal && *min == 0 {
                format!("{c} < 0")
            } else {
                format!("{rounded} < {min}")
            };
            format!("({low} OR {rounded} > {max})")
        }
        Fit::Float { single, unsigned } => {
            let mut out = Vec::new();
            if *single {
                // FLT_MAX, as a DOUBLE literal: beyond it the server refuses the value.
                out.push(format!("ABS({c}) > 3.4028234663852886e38"));
            }
            if *unsigned {
                out.push(format!("{c} < 0"));
            }
            format!("({})", out.join(" OR "))
        }
    }
}

/// A character the charset `cs` lacks comes back as `?` from the round trip.
fn lacks(cs: &str, c: &str) -> String {
    format!(
        "CONVERT(CONVERT({c} USING {cs}) USING utf8mb4) COLLATE utf8mb4_bin <> CONVERT({c} USING utf8mb4)"
    )
}

/// A value `c` the new type keeps, but changed.
fn altered(how: &Alteration, c: &str) -> String {
    match how {
        Alteration::Scale(n) => format!("{c} <> ROUND({c}, {n})"),
        Alteration::Fraction(n) => format!(
            "MICROSECOND({c}) % 1{} <> 0",
            "0".repeat(6usize.saturating_sub(*n as usize))
        ),
        Alteration::TimeOfDay => format!("TIME({c}) <> '00:00:00'"),
        Alteration::Date => format!("{c} IS NOT NULL"),
        // A FLOAT holds fewer values than a DOUBLE: the cast is the value kept.
        Alteration::Precision => format!("{c} <> CAST({c} AS FLOAT)"),
        Alteration::Charset(cs) => lacks(cs, c),
    }
}

/// A narrowing check's count, with what it reads of the values in use: the longest string
/// (the count scans the table anyway), or a number's extremes read off the index leading
/// with it.
fn narrowing_count(check: &DataCheck, fit: &Fit, extremes: bool) -> String {
    let c = ident(&check.columns[0]);
    let table = ident(&check.table);
    let length = match fit {
        Fit::Chars(_) | Fit::Charset(_) => "CHAR_LENGTH",
        Fit::Bytes(_) => "LENGTH",
        Fit::Range { .. } | Fit::Decimal { .. } | Fit::Rounded { .. } | Fit::Float { .. }
            if extremes =>
        {
            return format!(
                "SELECT COUNT(*), (SELECT MIN(m.{c}) FROM {table} AS m), (SELECT MAX(m.{c}) FROM {table} AS m) {}",
                from(check)
            )
        }
        _ => return format!("SELECT COUNT(*) {}", from(check)),
    };
    format!(
        "SELECT COUNT(CASE WHEN {} THEN 1 END), MAX({length}(c.{c})) FROM {table} AS c",
        at_fault(check)
    )
}

fn from(check: &DataCheck) -> String {
    format!(
        "FROM {} AS c WHERE {}",
        ident(&check.table),
        at_fault(check)
    )
}

/// The count, bounded: one row, one number.
pub fn count(check: &DataCheck, flavor: Flavor, budget_ms: u64) -> String {
    let select = match (&check.kind, grouped(check)) {
        (_, Some(keys)) => format!(
            "SELECT COUNT(*) FROM (SELECT 1 {} GROUP BY {keys} HAVING COUNT(*) > 1) AS d",
            from(check)
        ),
        // Read off the column's index (an AUTO_INCREMENT column always has one).
        (Kind::Headroom { .. }, None) => format!(
            "SELECT GREATEST(COALESCE(MAX(c.{}), 0), 0) {}",
            ident(&check.columns[0]),
            from(check)
        ),
        (Kind::NotFitting { fit, extremes }, None) => narrowing_count(check, fit, *extremes),
        _ => format!("SELECT COUNT(*) {}", from(check)),
    };
    bounded(&select, flavor, budget_ms)
}

/// What a DBA runs to see the rows (not bounded: they run it by hand).
pub fn rows(check: &DataCheck) -> String {
    match (&check.kind, grouped(check)) {
        (_, Some(keys)) => format!(
            "SELECT {keys}, COUNT(*) AS n {} GROUP BY {keys} HAVING COUNT(*) > 1 LIMIT {SHOWN}",
            from(check)
        ),
        (Kind::Headroom { .. }, None) => {
            format!("SELECT MAX(c.{}) {}", ident(&check.columns[0]), from(check))
        }
        _ => format!("SELECT c.* {} LIMIT {SHOWN}", from(check)),
    }
}

/// A few colliding keys, one string each, bounded; None for the other kinds.
pub fn samples(check: &DataCheck, flavor: Flavor, budget_ms: u64) -> Option<String> {
    let keys = grouped(check)?;
    let select = format!(
        "SELECT CONCAT_WS(', ', {keys}) {} GROUP BY {keys} HAVING COUNT(*) > 1 LIMIT {SAMPLES}",
        from(check)
    );
    Some(bounded(&select, flavor, budget_ms))
}

#[cfg(test)]
mod tests;
