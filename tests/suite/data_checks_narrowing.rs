//! Narrowed decimals, date/time types and charsets on the throwaway server: `bad` holds rows
//! each check finds, `good` none. What blocks a change is what the server refuses under its
//! default strict sql_mode (each blocked ALTER is run by hand and must fail); what the server
//! changes without refusing (rounds, cuts, drops a part) is counted as a loss and applied.

use super::data_checks::{destructive_plan, left_out, plan_json};
use crate::apply_common::{apply, approve};
use crate::common::{out, server};
use serde_json::Value;

/// Non-ASCII text as hex, so that no client charset stands between the test and the rows.
const EMOJI: &str = "CONVERT(X'6869F09F9880' USING utf8mb4)"; // "hi" and U+1F600
const LIGATURE: &str = "CONVERT(X'EFAC81' USING utf8mb4)"; // U+FB01, not in latin1
const CAFE: &str = "CONVERT(X'636166C3A9' USING utf8mb4)"; // "café": latin1 holds it

fn tables() -> String {
    format!(
        "CREATE TABLE bad (id int PRIMARY KEY, price decimal(10,3), rate decimal(8,4),
           n int, salt_n int, at datetime(6), day datetime, ts datetime, clock datetime(6),
           name varchar(20) CHARACTER SET utf8mb4, body text,
           code varchar(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
           KEY ix_n (n), KEY ix_salt (salt_n), UNIQUE KEY uq_code (code));
         CREATE TABLE good LIKE bad;
         INSERT INTO bad VALUES
           (1, 9999.995, 1.2345, -5, 300, '2020-01-01 10:00:00.5', '2020-01-01 10:30:00',
            '1960-01-01 00:00:00', '2020-01-01 10:00:00.25', {EMOJI}, REPEAT('b', 300), 'a'),
           (2, 1.5, 2.5, 300, 1, '2020-01-01 10:00:00', '2020-01-02 00:00:00',
            '2020-01-01 00:00:00', NULL, {LIGATURE}, 'x', 'A'),
           (3, NULL, NULL, 7, 2, NULL, NULL, NULL, NULL, {CAFE}, NULL, 'c');
         INSERT INTO good VALUES
           (1, 9999.994, 1.23, 0, 1, '2020-01-01 10:00:00', '2020-01-01 00:00:00',
            '2020-01-01 00:00:00', NULL, {CAFE}, 'x', 'a'),
           (2, -12.5, 2.5, 200, 2, NULL, NULL, '2038-01-01 00:00:00', NULL, 'plain', NULL, 'b');"
    )
}

const WANT: &str = "
CREATE TABLE bad (id int PRIMARY KEY, price decimal(6,2), rate decimal(8,2),
  n tinyint unsigned, salt_n tinyint, at datetime, day date, ts timestamp NULL, clock time,
  name varchar(20) CHARACTER SET latin1, body tinytext,
  code varchar(10) CHARACTER SET latin1 COLLATE latin1_general_ci,
  KEY ix_n (n), KEY ix_salt (salt_n), UNIQUE KEY uq_code (code));
CREATE TABLE good (id int PRIMARY KEY, price decimal(6,2), rate decimal(8,2),
  n tinyint unsigned, salt_n tinyint, at datetime, day date, ts timestamp NULL, clock time,
  name varchar(20) CHARACTER SET latin1, body tinytext,
  code varchar(10) CHARACTER SET latin1 COLLATE latin1_general_ci,
  KEY ix_n (n), KEY ix_salt (salt_n), UNIQUE KEY uq_code (code));
";

/// The checks of a table's column: (kind, the count and what was in use, as the plan words it).
pub(crate) fn results(plan: &Value, table: &str, column: &str) -> Vec<(String, String)> {
    let change = format!("change column `{column}`");
    plan["data_checks"]
        .as_array()
        .expect("data checks in the plan")
        .iter()
        .filter(|c| c["table"] == table && c["change"] == change.as_str())
        .map(|c| {
            assert_eq!(c["outcome"], "counted", "{c}");
            let mut words = c["count"].to_string();
            let in_use = &c["in_use"];
            match in_use["measure"].as_str() {
                None => {}
                Some("longest") => {
                    words.push_str(&format!(" longest {} {}", in_use["length"], in_use["unit"]))
                }
                Some(_) => words.push_str(&format!(
                    " from {} to {}",
                    in_use["smallest"], in_use["largest"]
                )),
            }
            (c["kind"].as_str().unwrap().to_string(), words)
        })
        .collect()
}

/// The text review of the plan of `dir/want.sql` (as `plan_json` last wrote it).
pub(crate) fn plan_text(dir: &std::path::Path, url: &str, extra: &[&str]) -> std::process::Output {
    let want = dir.join("want.sql");
    let mut args = vec!["plan", "--schema", want.to_str().unwrap(), "--target", url];
    args.extend_from_slice(extra);
    crate::common::canon(&args)
}

/// Each ALTER of `bad`, run by hand, fails with the server's error `code` (the server
/// agrees with what the plan blocked).
pub(crate) fn refused(db: &str, alters: &[&str], code: &str) {
    for alter in alters {
        let o = server().client_output(db, &format!("ALTER TABLE bad {alter}"));
        let said = String::from_utf8_lossy(&o.stderr);
        assert!(!o.status.success(), "{alter} should fail");
        assert!(said.contains(code), "{alter}: {said}");
    }
}

/// The plan of `desired` with destructive steps allowed, approved and applied.
pub(crate) fn apply_all(dir: &std::path::Path, url: &str, desired: &str, db: &str) {
    let p = destructive_plan(dir, url, desired);
    approve(&p);
    let o = apply(&p, db, &["--yes", "--no-backup"]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
}

#[test]
fn narrowed_decimals_dates_and_charsets_count_what_the_server_refuses_or_changes() {
    let dir = tempfile::tempdir().unwrap();
    let db = server().database("dc_narrow");
    server().sql(&db, &tables());
    let url = server().url(&db);
    let plan = plan_json(dir.path(), &url, WANT, &["--allow-destructive"]);
    let pair = |k: &str, w: &str| (k.to_string(), w.to_string());
    // (column, bad's checks, good's checks)
    let expected = [
        (
            "price",
            vec![pair("not_fitting", "1"), pair("altered", "1")],
            vec![pair("not_fitting", "0"), pair("altered", "1")],
        ),
        (
            "rate",
            vec![pair("altered", "1")],
            vec![pair("altered", "0")],
        ),
        (
            "n",
            vec![pair("not_fitting", r#"2 from "-5" to "300""#)],
            vec![pair("not_fitting", r#"0 from "0" to "200""#)],
        ),
        // A sensitive name: its numbers are never read, only counted.
        (
            "salt_n",
            vec![pair("not_fitting", "1")],
            vec![pair("not_fitting", "0")],
        ),
        ("at", vec![pair("altered", "1")], vec![pair("altered", "0")]),
        (
            "day",
            vec![pair("altered", "1")],
            vec![pair("altered", "0")],
        ),
        (
            "ts",
            vec![pair("not_fitting", "1")],
            vec![pair("not_fitting", "0")],
        ),
        // To TIME(0): the fractions and the date.
        (
            "clock",
            vec![pair("altered", "1"), pair("altered", "1")],
            vec![pair("altered", "0"), pair("altered", "0")],
        ),
        (
            "name",
            vec![pair("not_fitting", r#"2 longest 4 "characters""#)],
            vec![pair("not_fitting", r#"0 longest 5 "characters""#)],
        ),
        (
            "body",
            vec![pair("not_fitting", r#"1 longest 300 "bytes""#)],
            vec![pair("not_fitting", r#"0 longest 1 "bytes""#)],
        ),
        // A charset and collation change: the values convert, but two collide.
        (
            "code",
            vec![
                pair("not_fitting", r#"0 longest 1 "characters""#),
                pair("collisions", "1"),
            ],
            vec![
                pair("not_fitting", r#"0 longest 1 "characters""#),
                pair("collisions", "0"),
            ],
        ),
    ];
    for (column, bad, good) in &expected {
        assert_eq!(&results(&plan, "bad", column), bad, "bad.{column}");
        assert_eq!(&results(&plan, "good", column), good, "good.{column}");
    }

    // What the server refuses blocks the change on `bad`, and only there.
    let blocked = left_out(&plan);
    for column in ["price", "n", "salt_n", "ts", "name", "body", "code"] {
        assert!(
            blocked.iter().any(
                |l| l.starts_with(&format!("bad: change column `{column}`: blocked by data: "))
            ),
            "{column}: {blocked:#?}"
        );
    }
    assert_eq!(blocked.len(), 7, "{blocked:#?}");
    // What it changes is counted in the destructive reasons.
    let reasons = plan["steps"].to_string();
    for loss in [
        "change column `rate`: 1 values rounded",
        "change column `at`: 1 values that lose fractional seconds",
        "change column `day`: 1 values that lose their time of day",
        "change column `clock`: 1 values that lose their date",
        "change column `price`: 1 values rounded",
    ] {
        assert!(reasons.contains(loss), "{loss}: {reasons}");
    }
    // Lengths and numbers in use are in every review; a sensitive column's never.
    let text = plan_text(dir.path(), &url, &["--allow-destructive"]);
    for words in [
        "table `bad`: change column `name`: 2 values that do not fit (longest in use: 4 characters)",
        "table `bad`: change column `n`: 2 values that do not fit (in use: -5 to 300)",
        "table `bad`: change column `salt_n`: 1 values that do not fit — blocked",
    ] {
        assert!(out(&text).contains(words), "{words}\n{}", out(&text));
    }

    // The server agrees: each blocked change, run by hand on `bad`, fails in strict mode.
    for alter in [
        "MODIFY price decimal(6,2)",
        "MODIFY n tinyint unsigned",
        "MODIFY ts timestamp NULL",
        "MODIFY name varchar(20) CHARACTER SET latin1",
        "MODIFY body tinytext",
        "MODIFY code varchar(10) CHARACTER SET latin1 COLLATE latin1_general_ci",
    ] {
        let o = server().client_output(&db, &format!("ALTER TABLE bad {alter}"));
        assert!(!o.status.success(), "{alter} should fail");
    }

    // The plan runs: `good` converges, `bad` keeps what was blocked; the counted changes
    // happened as counted.
    apply_all(dir.path(), &url, WANT, &db);
    assert_eq!(
        server().sql(&db, "SELECT rate, at, day, clock FROM bad WHERE id = 1"),
        "1.23\t2020-01-01 10:00:00\t2020-01-01\t10:00:00\n"
    );
    let after = plan_json(dir.path(), &url, WANT, &["--allow-destructive"]);
    let still: Vec<String> = after["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["object"]["name"].as_str().unwrap().to_string())
        .collect();
    assert!(!still.contains(&"good".to_string()), "{still:?}");
}

#[test]
fn prefix_keys_collide_under_a_new_collation_and_keys_over_added_columns_are_not_checked() {
    let dir = tempfile::tempdir().unwrap();
    let db = server().database("dc_prefix");
    server().sql(
        &db,
        "CREATE TABLE bad (id int PRIMARY KEY, code varchar(20) COLLATE utf8mb4_bin,
           UNIQUE KEY uq_code (code(3)));
         CREATE TABLE good LIKE bad;
         INSERT INTO bad VALUES (1, 'abcX'), (2, 'ABCy'), (3, 'abd');
         INSERT INTO good VALUES (1, 'abcX'), (2, 'abdy'), (3, NULL);
         CREATE TABLE grow (id int PRIMARY KEY);
         INSERT INTO grow VALUES (1), (2);",
    );
    let url = server().url(&db);
    let want = "CREATE TABLE bad (id int PRIMARY KEY, code varchar(20) COLLATE utf8mb4_general_ci,
           UNIQUE KEY uq_code (code(3)));
         CREATE TABLE good (id int PRIMARY KEY, code varchar(20) COLLATE utf8mb4_general_ci,
           UNIQUE KEY uq_code (code(3)));
         CREATE TABLE grow (id int PRIMARY KEY, tag int NOT NULL DEFAULT 0,
           UNIQUE KEY uq_tag (tag));";
    let plan = plan_json(dir.path(), &url, want, &[]);
    assert_eq!(
        results(&plan, "bad", "code"),
        [("collisions".into(), "1".into())]
    );
    assert_eq!(
        results(&plan, "good", "code"),
        [("collisions".into(), "0".into())]
    );
    // The server agrees: 'abc' and 'ABC' are one prefix once case-blind.
    let o = server().client_output(
        &db,
        "ALTER TABLE bad MODIFY code varchar(20) COLLATE utf8mb4_general_ci",
    );
    assert!(!o.status.success(), "the prefixes collide");
    assert_eq!(
        left_out(&plan)
            .iter()
            .filter(|l| l.starts_with("bad: change column `code`: blocked by data: 1 groups"))
            .count(),
        1,
        "{:#?}",
        left_out(&plan)
    );

    // No row holds the added column yet: the key's check is not run, and says so.
    let grow: Vec<&Value> = plan["data_checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["table"] == "grow")
        .collect();
    assert_eq!(grow.len(), 1, "{grow:?}");
    assert_eq!(grow[0]["kind"], "unchecked", "{}", grow[0]);
    assert_eq!(
        grow[0]["cause"], "column added in the same step",
        "{}",
        grow[0]
    );
    let text = plan_text(dir.path(), &url, &[]);
    assert!(
        out(&text).contains(
            "table `grow`: add index `uq_tag`: not checked: column added in the same step"
        ),
        "{}",
        out(&text)
    );
}
