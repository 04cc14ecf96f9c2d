//! The data checks' statements as MySQL and MariaDB are sent them.

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
