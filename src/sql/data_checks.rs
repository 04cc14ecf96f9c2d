//! The data checks' SQL: a count bounded by a time budget (the server stops it), the query a
//! DBA runs to see the rows, and the sample key values of duplicates. Read-only SELECTs.

use crate::flavor::{Flavor, Vendor};
use crate::plan::data_checks::{DataCheck, Fit, Kind};
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

/// The key's parts as expressions of the row `c`.
fn key_parts(check: &DataCheck, prefixes: &[Option<u32>]) -> Vec<String> {
    check
        .columns
        .iter()
        .zip(prefixes)
        .map(|(col, p)| match p {
            Some(n) => format!("LEFT(c.{}, {n})", ident(col)),
            None => format!("c.{}", ident(col)),
        })
        .collect()
}

/// A unique key's parts under the column's new collation.
fn collated(check: &DataCheck, column: &str, collation: &str) -> Vec<String> {
    check
        .columns
        .iter()
        .map(|col| match col == column {
            true => format!("c.{} COLLATE {}", ident(col), ident(collation)),
            false => format!("c.{}", ident(col)),
        })
        .collect()
}

/// The key a duplicates or collisions check groups by; None for the other kinds.
fn grouped(check: &DataCheck) -> Option<String> {
    match &check.kind {
        Kind::Duplicates { prefixes } => Some(key_parts(check, prefixes).join(", ")),
        Kind::Collisions { column, collation } => {
            Some(collated(check, column, collation).join(", "))
        }
        _ => None,
    }
}

/// The rows at fault, as a condition on the row `c`.
fn at_fault(check: &DataCheck) -> String {
    let col = |i: usize| format!("c.{}", ident(&check.columns[i]));
    let not_null = || {
        (0..check.columns.len())
            .map(|i| format!("{} IS NOT NULL", col(i)))
            .collect::<Vec<_>>()
            .join(" AND ")
    };
    match &check.kind {
        // Keys with a NULL part never collide.
        Kind::Duplicates { .. } | Kind::Collisions { .. } => not_null(),
        Kind::Nulls => format!("{} IS NULL", col(0)),
        Kind::Orphans {
            parent,
            parent_columns,
            parent_exists,
        } => {
            if !parent_exists {
                return not_null();
            }
            let matches: Vec<String> = parent_columns
                .iter()
                .enumerate()
                .map(|(i, p)| format!("p.{} = {}", ident(p), col(i)))
                .collect();
            format!(
                "{} AND NOT EXISTS (SELECT 1 FROM {} AS p WHERE {})",
                not_null(),
                ident(parent),
                matches.join(" AND ")
            )
        }
        Kind::Violations { expr } => format!("NOT ({expr})"),
        Kind::NotFitting { fit } => match fit {
            Fit::Chars(n) => format!("CHAR_LENGTH({}) > {n}", col(0)),
            Fit::Bytes(n) => format!("LENGTH({}) > {n}", col(0)),
            Fit::Range { min, max } => format!("({c} < {min} OR {c} > {max})", c = col(0)),
            Fit::Without(values) => {
                // A SET value holds several: each removed one is looked for by name.
                let each: Vec<String> = values
                    .iter()
                    .map(|v| format!("FIND_IN_SET({}, {})", string(v), col(0)))
                    .collect();
                each.join(" OR ")
            }
        },
        Kind::ValuesLost => format!("{} IS NOT NULL", col(0)),
        Kind::RowsLost | Kind::Headroom { .. } => "1".into(),
    }
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
            },
            &["tags"],
        );
        assert_eq!(
            rows(&c),
            "SELECT c.* FROM `or``ders` AS c WHERE FIND_IN_SET('a''b', c.`tags`) OR FIND_IN_SET('c', c.`tags`) LIMIT 100"
        );
    }
}
