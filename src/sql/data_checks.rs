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
mod tests {
    use super::*;
    use crate::flavor::Version;

    fn flavor(vendor: Vendor) -> Flavor {
        Flavor {
            vendor,
            version: Version::new(8, 0, 36),
        }
    }

    fn check(kind: Kind, columns: &[&str]) -> DataCheck {
        DataCheck {
            table: "or`ders".into(),
            change: "x".into(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            kind,
        }
    }

    #[test]
    fn mysql_counts_carry_the_execution_time_hint() {
        let c = check(Kind::Nulls, &["email"]);
        assert_eq!(
            count(&c, flavor(Vendor::MySql), 2000),
            "SELECT /*+ MAX_EXECUTION_TIME(2000) */ COUNT(*) FROM `or``ders` AS c WHERE c.`email` IS NULL"
        );
        let d = check(
            Kind::Duplicates {
                prefixes: vec![None, Some(10)],
                exprs: Vec::new(),
            },
            &["a", "b"],
        );
        assert_eq!(
            count(&d, flavor(Vendor::MySql), 1500),
            "SELECT /*+ MAX_EXECUTION_TIME(1500) */ COUNT(*) FROM (SELECT 1 FROM `or``ders` AS c WHERE c.`a` IS NOT NULL AND c.`b` IS NOT NULL GROUP BY c.`a`, LEFT(c.`b`, 10) HAVING COUNT(*) > 1) AS d"
        );
        assert!(samples(&d, flavor(Vendor::MySql), 1500)
            .unwrap()
            .starts_with(
                "SELECT /*+ MAX_EXECUTION_TIME(1500) */ CONCAT_WS(', ', c.`a`, LEFT(c.`b`, 10))"
            ));
    }

    #[test]
    fn collisions_group_the_key_under_the_new_collation() {
        let c = check(
            Kind::Collisions {
                column: "code".into(),
                collation: "utf8mb4_general_ci".into(),
                charset: None,
                prefixes: Vec::new(),
            },
            &["shop", "code"],
        );
        assert_eq!(
            count(&c, flavor(Vendor::MySql), 2000),
            "SELECT /*+ MAX_EXECUTION_TIME(2000) */ COUNT(*) FROM (SELECT 1 FROM `or``ders` AS c WHERE c.`shop` IS NOT NULL AND c.`code` IS NOT NULL GROUP BY c.`shop`, c.`code` COLLATE `utf8mb4_general_ci` HAVING COUNT(*) > 1) AS d"
        );
    }

    #[test]
    fn mariadb_counts_set_the_statement_time() {
        let c = check(
            Kind::Orphans {
                parent: "customers".into(),
                parent_columns: vec!["id".into()],
                parent_exists: true,
            },
            &["customer_id"],
        );
        assert_eq!(
            count(&c, flavor(Vendor::MariaDb), 2500),
            "SET STATEMENT max_statement_time=2.500 FOR SELECT COUNT(*) FROM `or``ders` AS c WHERE c.`customer_id` IS NOT NULL AND NOT EXISTS (SELECT 1 FROM `customers` AS p WHERE p.`id` = c.`customer_id`)"
        );
    }

    #[test]
    fn removed_set_values_are_found_by_name() {
        let c = check(
            Kind::NotFitting {
                fit: Fit::Without(vec!["a'b".into(), "c".into()]),
                extremes: false,
            },
            &["tags"],
        );
        assert_eq!(
            rows(&c),
            "SELECT c.* FROM `or``ders` AS c WHERE FIND_IN_SET('a''b', c.`tags`) OR FIND_IN_SET('c', c.`tags`) LIMIT 100"
        );
    }

    fn mysql(c: &DataCheck) -> String {
        count(c, flavor(Vendor::MySql), 2000)
    }

    #[test]
    fn narrowed_decimals_count_what_no_longer_fits_once_rounded_and_what_is_rounded() {
        let fit = Kind::NotFitting {
            fit: Fit::Decimal {
                digits: 4,
                scale: 2,
                unsigned: true,
            },
            extremes: true,
        };
        assert_eq!(
            mysql(&check(fit, &["price"])),
            "SELECT /*+ MAX_EXECUTION_TIME(2000) */ COUNT(*), (SELECT MIN(m.`price`) FROM `or``ders` AS m), (SELECT MAX(m.`price`) FROM `or``ders` AS m) FROM `or``ders` AS c WHERE (ABS(ROUND(c.`price`, 2)) >= 10000 OR c.`price` < 0)"
        );
        let rounded = Kind::Altered {
            how: Alteration::Scale(2),
        };
        assert_eq!(
            mysql(&check(rounded, &["price"])),
            "SELECT /*+ MAX_EXECUTION_TIME(2000) */ COUNT(*) FROM `or``ders` AS c WHERE c.`price` <> ROUND(c.`price`, 2)"
        );
    }

    #[test]
    fn narrowed_strings_count_and_measure_in_one_scan() {
        let charset = Kind::NotFitting {
            fit: Fit::Charset("latin1".into()),
            extremes: false,
        };
        assert_eq!(
            mysql(&check(charset.clone(), &["name"])),
            "SELECT /*+ MAX_EXECUTION_TIME(2000) */ COUNT(CASE WHEN CONVERT(CONVERT(c.`name` USING latin1) USING utf8mb4) COLLATE utf8mb4_bin <> CONVERT(c.`name` USING utf8mb4) THEN 1 END), MAX(CHAR_LENGTH(c.`name`)) FROM `or``ders` AS c"
        );
        // The DBA's query lists the rows, not the measure.
        assert_eq!(
            rows(&check(charset, &["name"])),
            "SELECT c.* FROM `or``ders` AS c WHERE CONVERT(CONVERT(c.`name` USING latin1) USING utf8mb4) COLLATE utf8mb4_bin <> CONVERT(c.`name` USING utf8mb4) LIMIT 100"
        );
        let bytes = Kind::NotFitting {
            fit: Fit::Bytes(255),
            extremes: false,
        };
        assert_eq!(
            mysql(&check(bytes, &["body"])),
            "SELECT /*+ MAX_EXECUTION_TIME(2000) */ COUNT(CASE WHEN LENGTH(c.`body`) > 255 THEN 1 END), MAX(LENGTH(c.`body`)) FROM `or``ders` AS c"
        );
    }

    #[test]
    fn narrowed_temporals_count_values_out_of_range_or_losing_a_part() {
        let range = Kind::NotFitting {
            fit: Fit::Timestamp { max: 2147483647 },
            extremes: false,
        };
        assert_eq!(
            mysql(&check(range, &["at"])),
            "SELECT /*+ MAX_EXECUTION_TIME(2000) */ COUNT(*) FROM `or``ders` AS c WHERE c.`at` > 0 AND FLOOR(COALESCE(UNIX_TIMESTAMP(c.`at`), 0)) NOT BETWEEN 1 AND 2147483647"
        );
        for (how, fault) in [
            (Alteration::Fraction(2), "MICROSECOND(c.`at`) % 10000 <> 0"),
            (
                Alteration::Fraction(0),
                "MICROSECOND(c.`at`) % 1000000 <> 0",
            ),
            (Alteration::TimeOfDay, "TIME(c.`at`) <> '00:00:00'"),
            (Alteration::Date, "c.`at` IS NOT NULL"),
        ] {
            assert_eq!(
                mysql(&check(Kind::Altered { how }, &["at"])),
                format!("SELECT /*+ MAX_EXECUTION_TIME(2000) */ COUNT(*) FROM `or``ders` AS c WHERE {fault}")
            );
        }
    }

    #[test]
    fn collisions_with_a_new_charset_group_the_converted_values_prefixes_kept() {
        let c = check(
            Kind::Collisions {
                column: "code".into(),
                collation: "latin1_general_ci".into(),
                charset: Some("latin1".into()),
                prefixes: vec![None, Some(4)],
            },
            &["shop", "code"],
        );
        assert_eq!(
            mysql(&c),
            "SELECT /*+ MAX_EXECUTION_TIME(2000) */ COUNT(*) FROM (SELECT 1 FROM `or``ders` AS c WHERE c.`shop` IS NOT NULL AND c.`code` IS NOT NULL GROUP BY c.`shop`, LEFT(CONVERT(c.`code` USING latin1), 4) COLLATE `latin1_general_ci` HAVING COUNT(*) > 1) AS d"
        );
    }

    /// MySQL 8.0's manual (Out-of-Range and Overflow Handling; Precision Math, Rounding
    /// Behavior; CAST): out of range refuses in strict mode; an insert into an integer
    /// column rounds half away from zero, exact or approximate, while ROUND of a DOUBLE
    /// rounds to even; `CAST(x AS FLOAT)` from 8.0.17.
    #[test]
    fn numbers_into_integers_and_floats_count_after_rounding_as_the_conversion_does() {
        let fit = |fit| Kind::NotFitting {
            fit,
            extremes: false,
        };
        for (f, fault) in [
            (
                Fit::Rounded {
                    min: -128,
                    max: 127,
                    decimal: true,
                    to_even: false,
                },
                "(ROUND(c.`n`) < -128 OR ROUND(c.`n`) > 127)",
            ),
            // A negative DECIMAL never fits UNSIGNED; a DOUBLE's -0.4 rounds to 0.
            (
                Fit::Rounded {
                    min: 0,
                    max: 255,
                    decimal: true,
                    to_even: false,
                },
                "(c.`n` < 0 OR ROUND(c.`n`) > 255)",
            ),
            // MySQL rounds a DOUBLE into an integer half away from zero, unlike its ROUND.
            (
                Fit::Rounded {
                    min: 0,
                    max: 255,
                    decimal: false,
                    to_even: false,
                },
                "(ROUND(CAST(c.`n` AS DECIMAL(65,30))) < 0 OR ROUND(CAST(c.`n` AS DECIMAL(65,30))) > 255)",
            ),
            (
                Fit::Float {
                    single: true,
                    unsigned: true,
                },
                "(ABS(c.`n`) > 3.4028234663852886e38 OR c.`n` < 0)",
            ),
        ] {
            assert_eq!(
                mysql(&check(fit(f), &["n"])),
                format!("SELECT /*+ MAX_EXECUTION_TIME(2000) */ COUNT(*) FROM `or``ders` AS c WHERE {fault}")
            );
        }
        for (how, fault) in [
            (Alteration::Precision, "c.`n` <> CAST(c.`n` AS FLOAT)"),
            (
                Alteration::Charset("latin1".into()),
                "CONVERT(CONVERT(c.`n` USING latin1) USING utf8mb4) COLLATE utf8mb4_bin <> CONVERT(c.`n` USING utf8mb4)",
            ),
        ] {
            assert_eq!(
                mysql(&check(Kind::Altered { how }, &["n"])),
                format!("SELECT /*+ MAX_EXECUTION_TIME(2000) */ COUNT(*) FROM `or``ders` AS c WHERE {fault}")
            );
        }
    }

    /// MySQL 8.0.13+'s functional key parts (the manual, CREATE INDEX): hidden generated
    /// columns, so their duplicates are the expression's, grouped as the server groups it.
    #[test]
    fn keys_over_expressions_group_by_the_values_the_server_computes() {
        let computed = |expr: &str, collation: Option<&str>| {
            Some(Computed {
                expr: expr.into(),
                charset: collation.map(|_| "utf8mb4".into()),
                collation: collation.map(Into::into),
            })
        };
        let d = check(
            Kind::Duplicates {
                prefixes: vec![None, None, Some(4)],
                exprs: vec![
                    None,
                    computed("lower(`email`)", None),
                    computed("`email`", Some("utf8mb4_general_ci")),
                ],
            },
            &["shop", "lower(`email`)", "ci"],
        );
        let keys = "c.`shop`, (lower(`email`)), LEFT(CONVERT((`email`) USING utf8mb4) COLLATE `utf8mb4_general_ci`, 4)";
        assert_eq!(
            mysql(&d),
            format!("SELECT /*+ MAX_EXECUTION_TIME(2000) */ COUNT(*) FROM (SELECT 1 FROM `or``ders` AS c WHERE c.`shop` IS NOT NULL AND (lower(`email`)) IS NOT NULL AND CONVERT((`email`) USING utf8mb4) COLLATE `utf8mb4_general_ci` IS NOT NULL GROUP BY {keys} HAVING COUNT(*) > 1) AS d")
        );
        assert!(rows(&d).starts_with(&format!("SELECT {keys}, COUNT(*) AS n FROM")));
    }
}
