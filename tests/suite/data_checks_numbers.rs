//! Narrowed floating-point numbers, numbers becoming integers and ENUM/SET charsets on the
//! throwaway server: `bad` holds rows each check finds, `good` none.
//!
//! The expected values were recorded by hand on MariaDB 10.11.19 under its default sql_mode
//! (STRICT_TRANS_TABLES,...) with these very tables:
//! - DOUBLE → FLOAT: 1e39 refused (1264 Out of range), 3.4028235e38 refused,
//!   3.40282346638528859e38 kept; 0.1 kept as FLOAT's nearest (`d <> CAST(d AS FLOAT)`),
//!   1e-50 became 0, 123456789.123 became 123457000: no warning.
//! - DOUBLE → DOUBLE(7,2), FLOAT(10,4) → FLOAT(6,2): in place (0 rows affected), values kept
//!   as stored (100000 shown 100000.00, 1.125 shown 1.12 but `d * 1000` = 1125); the next
//!   ALTER that copies the table (`MODIFY x bigint`, or `ALGORITHM=COPY`) refuses 100000 and
//!   12345.6789 (1264). Copied, 1.005 became 1.00 silently.
//! - DECIMAL(10,2) → TINYINT: rounded half away from zero (2.50 → 3, -2.50 → -3, 127.49 →
//!   127), 127.50 and -128.50 refused (1264). DOUBLE → TINYINT: half to even, as ROUND(dbl)
//!   (2.5 → 2, 0.5 → 0, 3.5 → 4, -128.5 → -128 kept), 127.5 refused.
//! - DECIMAL -0.40 → TINYINT UNSIGNED refused (1264); DOUBLE -0.4 and -0.5 became 0.
//! - ENUM/SET utf8mb4 → latin1: never refused; the list is converted ('ﬁ' → '?', an emoji
//!   → '?'), the rows keep their position, so a row holding 'ﬁ' now reads '?' (HEX 3F, the
//!   SET 'a,ﬁ' reads 'a,?'): no warning. Two values that become equal refuse the ALTER
//!   whatever the rows (1291 duplicated value '?' in ENUM): a schema error, not a check.

use super::data_checks::{left_out, plan_json};
use super::data_checks_narrowing::{apply_all, plan_text, refused, results};
use crate::common::{out, server};

const TABLES: &str = "CREATE TABLE bad (id int PRIMARY KEY, d double, m double, f float(10,4),
  price decimal(10,2), ratio double, owed decimal(6,2), KEY ix_price (price));
CREATE TABLE good LIKE bad;
INSERT INTO bad VALUES
  (1, 1e39, 100000, 12345.6789, 127.50, 255.5, -0.40),
  (2, 0.1, 1.125, 1.2345, 2.50, 2.5, 1.00),
  (3, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO good VALUES
  (1, 0.5, 99999.99, 1.25, 127.00, -0.4, 0.00),
  (2, 2, -3, 9999.5, -128.00, 255.0, 9999.00);";

const COLUMNS: &str = "(id int PRIMARY KEY, d float, m double(7,2), f float(6,2),
  price tinyint, ratio tinyint unsigned, owed smallint unsigned, KEY ix_price (price))";

/// The same change of two tables' columns.
fn both(columns: &str) -> String {
    format!("CREATE TABLE bad {columns};\nCREATE TABLE good {columns};\n")
}

#[test]
fn narrowed_floats_and_numbers_to_integers_count_what_the_server_refuses_or_rounds() {
    let dir = tempfile::tempdir().unwrap();
    let db = server().database("dc_numbers");
    server().sql(&db, TABLES);
    let url = server().url(&db);
    let want = both(COLUMNS);
    let plan = plan_json(dir.path(), &url, &want, &["--allow-destructive"]);
    let pair = |k: &str, w: &str| (k.to_string(), w.to_string());
    let fit_and_change =
        |fit: &str, changed: &str| vec![pair("not_fitting", fit), pair("altered", changed)];
    // (column, bad's checks, good's checks): what does not fit, then what changes.
    let expected = [
        // 1e39; and 0.1 as well, which FLOAT holds only approximately.
        ("d", fit_and_change("1", "2"), fit_and_change("0", "0")),
        ("m", fit_and_change("1", "1"), fit_and_change("0", "0")),
        ("f", fit_and_change("1", "2"), fit_and_change("0", "0")),
        // Indexed: its numbers in use are read too.
        (
            "price",
            fit_and_change(r#"1 from "2.50" to "127.50""#, "2"),
            fit_and_change(r#"0 from "-128.00" to "127.00""#, "0"),
        ),
        // -0.4 becomes 0: it fits, rounded.
        ("ratio", fit_and_change("1", "2"), fit_and_change("0", "1")),
        ("owed", fit_and_change("1", "1"), fit_and_change("0", "0")),
    ];
    for (column, bad, good) in &expected {
        assert_eq!(&results(&plan, "bad", column), bad, "bad.{column}");
        assert_eq!(&results(&plan, "good", column), good, "good.{column}");
    }

    // What the server refuses blocks the change on `bad`, and only there.
    let blocked = left_out(&plan);
    for column in ["d", "m", "f", "price", "ratio", "owed"] {
        assert!(
            blocked.iter().any(
                |l| l.starts_with(&format!("bad: change column `{column}`: blocked by data: "))
            ),
            "{column}: {blocked:#?}"
        );
    }
    assert_eq!(blocked.len(), 6, "{blocked:#?}");
    // What it changes is counted in the destructive reasons.
    let reasons = plan["steps"].to_string();
    let loss = "change column `ratio`: 1 values rounded";
    assert!(reasons.contains(loss), "{loss}: {reasons}");
    let text = plan_text(dir.path(), &url, &["--allow-destructive"]);
    let words =
        "table `bad`: change column `price`: 1 values that do not fit (in use: 2.50 to 127.50)";
    assert!(out(&text).contains(words), "{words}\n{}", out(&text));

    // The server agrees: each blocked change, run by hand on `bad`, fails in strict mode
    // (the (M,D) ones when the table is copied: in place they keep the values).
    refused(
        &db,
        &[
            "MODIFY d float",
            "MODIFY m double(7,2), ALGORITHM=COPY",
            "MODIFY f float(6,2), ALGORITHM=COPY",
            "MODIFY price tinyint",
            "MODIFY ratio tinyint unsigned",
            "MODIFY owed smallint unsigned",
        ],
        "1264",
    );

    // The plan runs: the changes that were counted happened as counted.
    apply_all(dir.path(), &url, &want, &db);
    assert_eq!(
        server().sql(
            &db,
            "SELECT d, m, f, price, ratio, owed FROM good ORDER BY id"
        ),
        "0.5\t99999.99\t1.25\t127\t0\t0\n2\t-3.00\t9999.50\t-128\t255\t9999\n"
    );
    // What was blocked is still as it was.
    assert_eq!(
        server().sql(&db, "SELECT d, price, owed FROM bad WHERE id = 1"),
        "1e39\t127.50\t-0.40\n"
    );
}

#[test]
fn enum_and_set_charsets_count_the_values_the_server_turns_into_question_marks() {
    let dir = tempfile::tempdir().unwrap();
    let db = server().database("dc_enum_charset");
    server().sql(
        &db,
        "SET NAMES utf8mb4;
         CREATE TABLE bad (id int PRIMARY KEY,
           st enum('a','café','ﬁ') CHARACTER SET utf8mb4,
           tg set('a','café','ﬁ') CHARACTER SET utf8mb4);
         CREATE TABLE good LIKE bad;
         INSERT INTO bad VALUES (1, 'ﬁ', 'ﬁ,a'), (2, 'café', 'café'), (3, NULL, NULL);
         INSERT INTO good VALUES (1, 'café', 'café,a'), (2, 'a', '');",
    );
    let url = server().url(&db);
    let columns = "(id int PRIMARY KEY, st enum('a','café','ﬁ') CHARACTER SET latin1,
      tg set('a','café','ﬁ') CHARACTER SET latin1)";
    let plan = plan_json(dir.path(), &url, &both(columns), &["--allow-destructive"]);
    for (column, bad, good) in [("st", "1", "0"), ("tg", "1", "0")] {
        let altered = |n: &str| vec![("altered".to_string(), n.to_string())];
        assert_eq!(results(&plan, "bad", column), altered(bad), "bad.{column}");
        assert_eq!(
            results(&plan, "good", column),
            altered(good),
            "good.{column}"
        );
    }
    // The server refuses nothing: nothing is blocked, the rows are counted in the reason.
    assert_eq!(left_out(&plan), Vec::<String>::new());
    let reasons = plan["steps"].to_string();
    for column in ["st", "tg"] {
        let loss = format!(
            "change column `{column}`: 1 values with a character the charset lacks (kept as ?)"
        );
        assert!(reasons.contains(&loss), "{loss}: {reasons}");
    }
    // The server agrees: the change runs, and the row counted reads `?`.
    server().sql(
        &db,
        "SET NAMES utf8mb4; ALTER TABLE bad MODIFY st enum('a','café','ﬁ') CHARACTER SET latin1,
           MODIFY tg set('a','café','ﬁ') CHARACTER SET latin1",
    );
    assert_eq!(
        server().sql(&db, "SELECT HEX(st), HEX(tg) FROM bad ORDER BY id"),
        "3F\t612C3F\n636166E9\t636166E9\nNULL\tNULL\n"
    );
}
