//! UNIQUE keys over generated columns on the throwaway server: the duplicates check groups
//! by the column, or by its expression when the same step adds it (no row holds it yet, but
//! the server computes it for the key). `bad` holds duplicates, `good` none.
//!
//! Recorded by hand on MariaDB 10.11.19 (default sql_mode) with these very tables: each
//! `ALTER TABLE bad ADD ...` below fails with 1062 (`Duplicate entry 'a@x' for key 'uq_lv'`;
//! for a column added in the same statement the server names the entry 'NULL': `Duplicate
//! entry 'NULL' for key 'uq_ci'`), and `ci`'s duplicates are found only under the column's
//! collation (utf8mb4_general_ci), not its expression's (utf8mb4_bin): grouped by
//! `CONVERT((email) USING utf8mb4) COLLATE utf8mb4_general_ci`, bad has 1 group and good 0.
//! MariaDB has no expression key parts (`UNIQUE KEY ((lower(email)))` is a syntax error,
//! 1064): MySQL's are grouped by their expression, unit-tested in src/sql/data_checks.rs.

use super::data_checks::{left_out, plan_json};
use super::data_checks_narrowing::{apply_all, refused};
use crate::common::server;
use serde_json::Value;

const COLUMNS: &str = "(id int PRIMARY KEY, email varchar(50) COLLATE utf8mb4_bin,
  lv varchar(50) COLLATE utf8mb4_bin AS (lower(email)) VIRTUAL";

/// The checks of a table's new keys: (key, kind, count or cause).
fn keys(plan: &Value, table: &str) -> Vec<(String, String, String)> {
    plan["data_checks"]
        .as_array()
        .expect("data checks in the plan")
        .iter()
        .filter(|c| c["table"] == table)
        .map(|c| {
            let told = if c["kind"] == "unchecked" {
                c["cause"].to_string()
            } else {
                c["count"].to_string()
            };
            (
                c["change"].as_str().unwrap().to_string(),
                c["kind"].as_str().unwrap().to_string(),
                told,
            )
        })
        .collect()
}

#[test]
fn unique_keys_over_generated_columns_count_duplicates_of_the_values_the_server_computes() {
    let dir = tempfile::tempdir().unwrap();
    let db = server().database("dc_keys");
    server().sql(
        &db,
        &format!(
            "CREATE TABLE bad {COLUMNS});
             CREATE TABLE good LIKE bad;
             INSERT INTO bad (id, email) VALUES (1, 'A@x'), (2, 'a@x'), (3, 'b@x'), (4, NULL);
             INSERT INTO good (id, email) VALUES (1, 'a@x'), (2, 'b@x'), (3, NULL), (4, NULL);"
        ),
    );
    let url = server().url(&db);
    let added = "ci varchar(50) COLLATE utf8mb4_general_ci AS (email) VIRTUAL,
      up varchar(50) COLLATE utf8mb4_general_ci AS (upper(email)) STORED,
      tag int, UNIQUE KEY uq_lv (lv), UNIQUE KEY uq_ci (ci), UNIQUE KEY uq_up (up),
      UNIQUE KEY uq_tag (tag))";
    let want =
        format!("CREATE TABLE bad {COLUMNS}, {added};\nCREATE TABLE good {COLUMNS}, {added};\n");
    let plan = plan_json(dir.path(), &url, &want, &[]);
    let check = |key: &str, kind: &str, told: &str| {
        (
            format!("add index `{key}`"),
            kind.to_string(),
            told.to_string(),
        )
    };
    let expect = |n: &str| {
        vec![
            check("uq_lv", "duplicates", n),
            check("uq_ci", "duplicates", n),
            check("uq_up", "duplicates", n),
            // A plain column the step adds holds no value yet: nothing to count.
            check("uq_tag", "unchecked", r#""column added in the same step""#),
        ]
    };
    let mut bad = keys(&plan, "bad");
    let mut good = keys(&plan, "good");
    bad.sort();
    good.sort();
    let (mut want_bad, mut want_good) = (expect("1"), expect("0"));
    want_bad.sort();
    want_good.sort();
    assert_eq!(bad, want_bad);
    assert_eq!(good, want_good);
    let blocked = left_out(&plan);
    for key in ["uq_lv", "uq_ci", "uq_up"] {
        assert!(
            blocked.iter().any(|l| l.starts_with(&format!(
                "bad: add index `{key}`: blocked by data: 1 duplicate groups"
            ))),
            "{key}: {blocked:#?}"
        );
    }
    assert_eq!(blocked.len(), 3, "{blocked:#?}");

    // The server agrees: each key, added by hand on `bad`, fails on the duplicates.
    refused(
        &db,
        &[
            "ADD UNIQUE KEY uq_lv (lv)",
            "ADD COLUMN ci varchar(50) COLLATE utf8mb4_general_ci AS (email) VIRTUAL, ADD UNIQUE KEY uq_ci (ci)",
            "ADD COLUMN up varchar(50) COLLATE utf8mb4_general_ci AS (upper(email)) STORED, ADD UNIQUE KEY uq_up (up)",
        ],
        "1062",
    );

    // The plan runs: `good` gets its keys, `bad` keeps its rows without them.
    apply_all(dir.path(), &url, &want, &db);
    let indexes = |t: &str| {
        server().sql(
            &db,
            &format!(
                "SELECT GROUP_CONCAT(DISTINCT index_name ORDER BY index_name) FROM information_schema.statistics
                 WHERE table_schema = DATABASE() AND table_name = '{t}'"
            ),
        )
    };
    assert_eq!(indexes("good"), "PRIMARY,uq_ci,uq_lv,uq_tag,uq_up\n");
    assert_eq!(indexes("bad"), "PRIMARY,uq_tag\n");
}
