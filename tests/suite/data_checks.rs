//! Plans that know the data: every check on the throwaway server with rows made to trigger it
//! and rows made not to; a blocked change that a DBA fixes and applies; an apply refused
//! because the rows changed after approval; samples kept out of sensitive columns.

use crate::apply_common::{apply, approve};
use crate::common::{canon, out, server};
use serde_json::Value;
use std::path::Path;

/// The same changes on two tables: `bad` holds rows each check finds, `good` none.
const TABLES: &str = "
CREATE TABLE parent (id int PRIMARY KEY);
INSERT INTO parent VALUES (1), (2);
CREATE TABLE bad (id int PRIMARY KEY, ref varchar(20), note varchar(30), qty int,
  small int, state enum('new','old','gone'), parent_id int, legacy text,
  code varchar(10) COLLATE utf8mb4_bin, UNIQUE KEY uq_code (code));
CREATE TABLE good LIKE bad;
INSERT INTO bad VALUES
  (1, 'A', 'short', 5, 1, 'new', 1, 'kept', 'k'),
  (2, 'A', NULL, -1, 300, 'gone', 9, 'also', 'K'),
  (3, 'B', 'a note longer than ten', 2, -200, 'old', NULL, NULL, 'm'),
  (4, 'B', 'x', 3, 2, 'new', 8, NULL, NULL);
INSERT INTO good VALUES
  (1, 'A', 'short', 5, 1, 'new', 1, NULL, 'k'),
  (2, 'B', 'x', 1, 127, 'old', 2, NULL, 'm'),
  (3, NULL, 'y', NULL, -128, NULL, NULL, NULL, NULL);
CREATE TABLE old_rows (id int);
INSERT INTO old_rows VALUES (1), (2), (3);
";

const WANT: &str = "
CREATE TABLE parent (id int PRIMARY KEY);
CREATE TABLE bad (id int PRIMARY KEY, ref varchar(20), note varchar(10) NOT NULL, qty int,
  small tinyint, state enum('new','old'), parent_id int,
  code varchar(10) COLLATE utf8mb4_general_ci, UNIQUE KEY uq_code (code),
  UNIQUE KEY uq_ref (ref),
  CONSTRAINT bad_parent FOREIGN KEY (parent_id) REFERENCES parent (id),
  CONSTRAINT bad_qty CHECK (qty > 0));
CREATE TABLE good (id int PRIMARY KEY, ref varchar(20), note varchar(10) NOT NULL, qty int,
  small tinyint, state enum('new','old'), parent_id int,
  code varchar(10) COLLATE utf8mb4_general_ci, UNIQUE KEY uq_code (code),
  UNIQUE KEY uq_ref (ref),
  CONSTRAINT good_parent FOREIGN KEY (parent_id) REFERENCES parent (id),
  CONSTRAINT good_qty CHECK (qty > 0));
";

pub(crate) fn plan_json(dir: &Path, url: &str, desired: &str, extra: &[&str]) -> Value {
    let want = dir.join("want.sql");
    std::fs::write(&want, desired).unwrap();
    let mut args = vec![
        "plan",
        "--schema",
        want.to_str().unwrap(),
        "--target",
        url,
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let o = canon(&args);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// A plan with destructive steps from `desired`, written to `dir/p.yaml`.
pub(crate) fn destructive_plan(dir: &Path, url: &str, desired: &str) -> std::path::PathBuf {
    let want = dir.join("want.sql");
    std::fs::write(&want, desired).unwrap();
    let plan = dir.join("p.yaml");
    let (w, p) = (want.to_str().unwrap(), plan.to_str().unwrap());
    let o = canon(&[
        "plan",
        "--schema",
        w,
        "--target",
        url,
        "--allow-destructive",
        "--out",
        p,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    plan
}

/// (table, change, kind) → the count, for the checks that finished.
fn counts(plan: &Value) -> Vec<(String, String, String, u64)> {
    plan["data_checks"]
        .as_array()
        .expect("data checks in the plan")
        .iter()
        .map(|c| {
            assert_eq!(c["outcome"], "counted", "{c}");
            (
                c["table"].as_str().unwrap().to_string(),
                c["change"].as_str().unwrap().to_string(),
                c["kind"].as_str().unwrap().to_string(),
                c["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

pub(crate) fn left_out(plan: &Value) -> Vec<String> {
    plan["left_out"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            format!(
                "{}: {}: {}",
                l["object"]["name"].as_str().unwrap(),
                l["summary"].as_str().unwrap(),
                l["reason"].as_str().unwrap()
            )
        })
        .collect()
}

fn summaries(plan: &Value) -> Vec<String> {
    plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["summary"].as_array().unwrap().clone())
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_check_counts_the_rows_that_trigger_it_and_only_those() {
    let dir = tempfile::tempdir().unwrap();
    let db = server().database("dc_each");
    server().sql(&db, TABLES);
    let url = server().url(&db);
    let plan = plan_json(dir.path(), &url, WANT, &["--allow-destructive"]);
    let mut got = counts(&plan);
    got.sort();
    let expect = |t: &str, change: &str, kind: &str, n: u64| {
        (t.to_string(), change.to_string(), kind.to_string(), n)
    };
    let mut want = Vec::new();
    // `bad`: two duplicate groups (A, B), one NULL note, one note too long, two values out of
    // tinyint's range, one removed ENUM value, two orphans (9, 8), one row failing the CHECK,
    // two values lost with the column, one pair of codes ('k', 'K') equal once case-blind.
    for (t, fk, ck, [dups, nulls, long, range, gone, orphans, violations, lost, collide]) in [
        ("bad", "bad_parent", "bad_qty", [2, 1, 1, 2, 1, 2, 1, 2, 1]),
        ("good", "good_parent", "good_qty", [0; 9]),
    ] {
        want.push(expect(t, "change column `code`", "collisions", collide));
        want.push(expect(t, "add index `uq_ref`", "duplicates", dups));
        want.push(expect(t, "change column `note`", "nulls", nulls));
        want.push(expect(t, "change column `note`", "not_fitting", long));
        want.push(expect(t, "change column `small`", "not_fitting", range));
        want.push(expect(t, "change column `state`", "not_fitting", gone));
        want.push(expect(
            t,
            &format!("add foreign key `{fk}`"),
            "orphans",
            orphans,
        ));
        want.push(expect(
            t,
            &format!("add check `{ck}`"),
            "violations",
            violations,
        ));
        want.push(expect(t, "drop column `legacy`", "values_lost", lost));
    }
    want.push(expect("old_rows", "drop table `old_rows`", "rows_lost", 3));
    want.sort();
    assert_eq!(got, want);

    // Every change `bad`'s rows would make fail is left out, blocked by data, with its
    // counts and the query that shows the rows; `good`'s are planned.
    let blocked = left_out(&plan);
    for change in [
        "add index `uq_ref`",
        "change column `code`",
        "change column `note`",
        "change column `small`",
        "change column `state`",
        "add foreign key `bad_parent`",
        "add check `bad_qty`",
    ] {
        let line = blocked
            .iter()
            .find(|l| l.starts_with(&format!("bad: {change}:")))
            .unwrap_or_else(|| panic!("{change} left out: {blocked:#?}"));
        assert!(
            line.contains("blocked by data: ") && line.contains("to see them: SELECT "),
            "{line}"
        );
    }
    assert!(
        blocked.iter().all(|l| l.starts_with("bad: ")),
        "{blocked:#?}"
    );
    let planned = summaries(&plan);
    for change in [
        "add index `uq_ref`",
        "change column `note`",
        "add foreign key `good_parent`",
        "add check `good_qty`",
    ] {
        assert!(planned.iter().any(|s| s == change), "{change}: {planned:?}");
    }
    // Losses carry their numbers.
    let reasons: Vec<&str> = plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["safety"]["reason"].as_str())
        .collect();
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("drops column `legacy`: 2 non-NULL values lost")),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("drops table `old_rows`: 3 rows lost")),
        "{reasons:?}"
    );

    // The query a DBA is told to run shows exactly the rows counted.
    let query = plan["data_checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["table"] == "bad" && c["kind"] == "orphans")
        .unwrap()["rows_query"]
        .as_str()
        .unwrap()
        .to_string();
    let rows = server().sql(&db, &query);
    assert_eq!(rows.lines().count(), 2, "{rows}");

    // The printed plan runs: what it does not make stays drift.
    let want_file = dir.path().join("want.sql");
    let plan_file = destructive_plan(dir.path(), &url, WANT);
    approve(&plan_file);
    let o = apply(&plan_file, &db, &["--yes", "--no-backup"]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let o = canon(&[
        "check",
        "--schema",
        want_file.to_str().unwrap(),
        "--target",
        &url,
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let drifted: Vec<&str> = v["objects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["object"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(drifted, ["bad"]);
}

#[test]
fn off_runs_no_checks_and_plans_what_the_schema_says() {
    let dir = tempfile::tempdir().unwrap();
    let db = server().database("dc_off");
    server().sql(&db, TABLES);
    let plan = plan_json(
        dir.path(),
        &server().url(&db),
        WANT,
        &["--data-checks", "off"],
    );
    assert!(plan.get("data_checks").is_none(), "{plan}");
    assert!(summaries(&plan).contains(&"add index `uq_ref`".to_string()));
}

const ACCOUNTS: &str = "CREATE TABLE accounts (id int PRIMARY KEY, login varchar(40), \
    api_token varchar(40), UNIQUE KEY uq_login (login), UNIQUE KEY uq_token (api_token));";

#[test]
fn a_unique_key_blocked_by_duplicates_is_planned_once_the_dba_removes_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = server().database("dc_e2e");
    server().sql(
        &db,
        "CREATE TABLE accounts (id int PRIMARY KEY, login varchar(40), api_token varchar(40));
         INSERT INTO accounts VALUES (1, 'ana', 't1'), (2, 'ana', 't2'), (3, 'beto', 't3');",
    );
    let url = server().url(&db);
    let plan = plan_json(dir.path(), &url, ACCOUNTS, &[]);
    assert!(
        left_out(&plan).iter().any(|l| l
            .starts_with("accounts: add index `uq_login`: blocked by data: 1 duplicate groups")),
        "{:#?}",
        left_out(&plan)
    );
    assert!(summaries(&plan).contains(&"add index `uq_token`".to_string()));

    // The DBA runs the plan's query, deletes the duplicate, plans again: the key is in.
    server().sql(&db, "DELETE FROM accounts WHERE id = 2");
    let plan = plan_json(dir.path(), &url, ACCOUNTS, &[]);
    assert_eq!(left_out(&plan), Vec::<String>::new());
    assert!(summaries(&plan).contains(&"add index `uq_login`".to_string()));
    let p = crate::common::approved_plan(dir.path(), &url, ACCOUNTS);
    let o = apply(&p, &db, &["--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let want = dir.path().join("want.sql");
    let o = canon(&[
        "check",
        "--schema",
        want.to_str().unwrap(),
        "--target",
        &url,
    ]);
    assert_eq!(o.status.code(), Some(0), "converged: {}", out(&o));
}

#[test]
fn apply_refuses_when_rows_changed_after_approval_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = server().database("dc_recheck");
    server().sql(
        &db,
        "CREATE TABLE notes (id int PRIMARY KEY, body varchar(40), legacy_notes text);
         INSERT INTO notes VALUES (1, 'a', 'old'), (2, 'b', NULL);",
    );
    let url = server().url(&db);
    let plan = destructive_plan(
        dir.path(),
        &url,
        "CREATE TABLE notes (id int PRIMARY KEY, body varchar(40) NOT NULL, UNIQUE KEY uq_body (body));",
    );
    approve(&plan);
    // After approval: a duplicate body, a NULL body, and more values in the dropped column.
    server().sql(
        &db,
        "INSERT INTO notes VALUES (3, 'a', 'more'), (4, NULL, 'and more');",
    );
    let state = || {
        (
            server().show_create_all(&db),
            server().sql(&db, "SELECT * FROM notes ORDER BY id"),
        )
    };
    let before = state();
    let o = apply(&plan, &db, &["--yes", "--no-backup"]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    let text = out(&o);
    for line in [
        "the rows changed since the plan was approved; nothing was changed",
        "table `notes`: add index `uq_body`: now 1 duplicate groups",
        "table `notes`: change column `body`: now 1 rows with NULL",
        "table `notes`: drop column `legacy_notes`: now 3 non-NULL values lost (approved: 1 non-NULL values lost)",
    ] {
        assert!(text.contains(line), "{line}\n{text}");
    }
    assert_eq!(state(), before, "nothing changed");

    // Without the duplicate and the NULL, only the loss is still larger than approved.
    server().sql(&db, "DELETE FROM notes WHERE id IN (3, 4)");
    server().sql(&db, "UPDATE notes SET legacy_notes = 'now' WHERE id = 2");
    let o = apply(&plan, &db, &["--yes", "--no-backup"]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(!out(&o).contains("uq_body"), "{}", out(&o));
    // The operator skips the recheck: the plan runs, and the history table says so.
    let o = apply(
        &plan,
        &db,
        &["--yes", "--no-backup", "--recheck-data", "off"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let skipped = server().sql(
        &db,
        "SELECT outcome, detail FROM canon_history WHERE object = 'data checks'",
    );
    assert!(skipped.contains("skipped\t--recheck-data off"), "{skipped}");
}

#[test]
fn samples_never_show_values_of_sensitive_columns() {
    const CANARY: &str = "CANARY-7f3e-token";
    let dir = tempfile::tempdir().unwrap();
    let db = server().database("dc_canary");
    server().sql(
        &db,
        &format!(
            "CREATE TABLE accounts (id int PRIMARY KEY, login varchar(40), api_token varchar(40));
             INSERT INTO accounts VALUES (1, 'ana', '{CANARY}'), (2, 'ana', '{CANARY}');"
        ),
    );
    let url = server().url(&db);
    let want = dir.path().join("want.sql");
    std::fs::write(&want, ACCOUNTS).unwrap();
    let plan = dir.path().join("p.yaml");
    let o = canon(&[
        "plan",
        "--schema",
        want.to_str().unwrap(),
        "--target",
        &url,
        "--show-samples",
        "--out",
        plan.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let mut seen = vec![out(&o), std::fs::read_to_string(&plan).unwrap()];
    for format in crate::common::SHOW_FORMATS {
        let o = canon(&["show", plan.to_str().unwrap(), "--format", format]);
        assert_eq!(o.status.code(), Some(0), "{}", out(&o));
        // Every review shows the counts: the script in its comments, JSON and YAML as data.
        let shown = match format {
            "json" | "yaml" => "duplicates",
            "rollback-sql" => "",
            _ => "table `accounts`: add index `uq_login`: 1 duplicate groups (e.g. ana)",
        };
        assert!(out(&o).contains(shown), "{format}: {}", out(&o));
        seen.push(out(&o));
    }
    // A login is not sensitive: its sample shows, so samples are on.
    assert!(
        seen[0].contains("1 duplicate groups (e.g. ana)"),
        "{}",
        seen[0]
    );
    for text in &seen {
        assert!(!text.contains(CANARY), "{text}");
    }
    // Without --show-samples, no value at all.
    let o = canon(&["plan", "--schema", want.to_str().unwrap(), "--target", &url]);
    assert!(out(&o).contains("1 duplicate groups —"), "{}", out(&o));
    assert!(!out(&o).contains("e.g. ana"), "{}", out(&o));
}

#[test]
fn a_check_over_its_budget_says_so_and_the_plan_goes_on() {
    let db = server().database("dc_budget");
    server().big_table(&db);
    let spec = match canon::Target::resolve(Some(&server().url(&db)), &Default::default()) {
        Ok(canon::Target::Live(spec)) => spec,
        _ => panic!("a live target"),
    };
    let check = canon::plan::data_checks::DataCheck {
        table: "big".into(),
        change: "add index `uq_v`".into(),
        columns: vec!["v".into()],
        kind: canon::plan::data_checks::Kind::Duplicates {
            prefixes: vec![None],
            exprs: Vec::new(),
        },
    };
    let mut sizes = canon::model::Sizes::new();
    sizes.insert(
        "big".into(),
        canon::model::TableSize {
            rows: 300_000,
            data_bytes: 0,
            index_bytes: 0,
        },
    );
    let settings = canon::data_checks::Settings {
        flavor: "mariadb-10.11.0".parse().unwrap(),
        budget_ms: 1,
        samples: false,
        sensitive: &[],
        sizes: &sizes,
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let got = rt.block_on(canon::data_checks::check(
        &spec,
        vec![check.clone()],
        &settings,
    ));
    assert!(started.elapsed().as_secs() < 5, "stopped at its budget");
    assert_eq!(
        got[0].result(),
        "not checked (300,000 rows, over budget)",
        "{got:?}"
    );
    assert!(!got[0].blocks());
    // Within a budget it finishes: the 300,000 values are one group.
    let settings = canon::data_checks::Settings {
        budget_ms: 30_000,
        ..settings
    };
    let got = rt.block_on(canon::data_checks::check(&spec, vec![check], &settings));
    assert_eq!(got[0].count(), Some(1), "{got:?}");
}

#[test]
fn check_and_validate_report_auto_increment_columns_near_their_type_maximum() {
    let dir = tempfile::tempdir().unwrap();
    let db = server().database("dc_headroom");
    let tables = "CREATE TABLE near (id int AUTO_INCREMENT PRIMARY KEY, v int);
        CREATE TABLE far (id bigint unsigned AUTO_INCREMENT PRIMARY KEY);";
    server().sql(
        &db,
        &format!("{tables} INSERT INTO near VALUES (2000000000, 1); INSERT INTO far VALUES (5);"),
    );
    let url = server().url(&db);
    let want = dir.path().join("want.sql");
    std::fs::write(&want, tables).unwrap();
    let w = want.to_str().unwrap();
    let line =
        "table `near`: AUTO_INCREMENT column `id`: 2,000,000,000 of 2,147,483,647 used (93.1%)";
    let check = |extra: &[&str]| {
        let mut args = vec![
            "check",
            "--schema",
            w,
            "--target",
            &url,
            "--data-checks",
            "fast",
        ];
        args.extend_from_slice(extra);
        canon(&args)
    };
    let o = check(&[]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "a warning, not drift: {}",
        out(&o)
    );
    assert!(out(&o).contains(line), "{}", out(&o));
    assert!(!out(&o).contains("`far`"), "{}", out(&o));
    let o = check(&["--format", "json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["auto_increment"][0]["count"], 2_000_000_000u64, "{v}");
    assert_eq!(v["auto_increment"].as_array().unwrap().len(), 1, "{v}");
    let o = canon(&[
        "validate",
        "--schema",
        w,
        "--target",
        &url,
        "--data-checks",
        "full",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(out(&o).contains(line), "{}", out(&o));
    // Off (the default for check): no query, no line.
    let o = canon(&["check", "--schema", w, "--target", &url]);
    assert!(!out(&o).contains("AUTO_INCREMENT column"), "{}", out(&o));
}
