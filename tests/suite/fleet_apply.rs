//! `canon apply PLAN --targets`: canary then waves, a failure stopping the run or not, a
//! stale database skipped, a run resumed, and the reports (with a canary password).

use super::fleet::*;
use crate::common;
use common::*;
use serde_json::Value;

fn apply_json(plan: &str, list: &str, extra: &[&str]) -> (Option<i32>, Value) {
    let mut args = vec![
        "apply",
        plan,
        "--targets",
        list,
        "--yes",
        "--format",
        "json",
    ];
    args.extend(extra);
    let o = canon(&args);
    let v = json_of(&o);
    (o.status.code(), v)
}

fn outcomes(v: &Value) -> Vec<String> {
    v["databases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["outcome"].as_str().unwrap().to_string())
        .collect()
}

/// The key names of a table, as the server lists them.
fn keys(db: &str, table: &str) -> String {
    server().sql(db, &format!("SELECT GROUP_CONCAT(INDEX_NAME ORDER BY INDEX_NAME) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '{table}'"))
        .trim()
        .to_string()
}

#[test]
fn canary_first_then_waves_and_a_second_run_does_nothing() {
    let dbs: Vec<String> = (0..5).map(|_| db_at("fleet_w", AT_A)).collect();
    let fleet = ready(&urls(&dbs));
    let (list, p) = (fleet.list.as_str(), fleet.plan.as_str());

    // Without --yes and without a terminal nothing runs.
    let o = canon(&["apply", p, "--targets", list]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert_eq!(keys(&dbs[0], "a"), "PRIMARY");

    let (code, v) = apply_json(p, list, &["--canary", "1", "--parallel", "2"]);
    assert_eq!(code, Some(0), "{v}");
    assert_eq!(outcomes(&v), vec!["applied"; 5]);
    let runs = v["databases"].as_array().unwrap();
    let waves: Vec<u64> = runs.iter().map(|d| d["wave"].as_u64().unwrap()).collect();
    assert_eq!(waves, vec![0, 1, 1, 2, 2]);
    let end = |d: &Value| d["started"].as_f64().unwrap() + d["seconds"].as_f64().unwrap();
    let start = |d: &Value| d["started"].as_f64().unwrap();
    assert!(
        end(&runs[0]) <= start(&runs[1]) && end(&runs[0]) <= start(&runs[2]),
        "the canary ends before wave 1: {v}"
    );
    assert!(
        end(&runs[1]).max(end(&runs[2])) <= start(&runs[3]),
        "wave 1 ends before wave 2: {v}"
    );
    for (d, db) in runs.iter().zip(&dbs) {
        assert_eq!(d["ran"], 2, "{v}");
        assert_eq!(keys(db, "a"), "PRIMARY,uq_a");
        assert_eq!(keys(db, "b"), "PRIMARY,uq_b");
        // Each database journaled its own steps.
        assert_eq!(
            server()
                .sql(
                    db,
                    "SELECT COUNT(*) FROM canon_history WHERE outcome = 'done'"
                )
                .trim(),
            "2"
        );
    }

    let (code, v) = apply_json(p, list, &["--parallel", "3"]);
    assert_eq!(code, Some(0), "{v}");
    assert!(
        v["databases"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["ran"] == 0 && d["already"] == 2),
        "{v}"
    );
}

#[test]
fn a_failure_stops_the_run_unless_told_to_go_on_and_a_rerun_resumes() {
    let dbs: Vec<String> = (0..4).map(|_| db_at("fleet_f", AT_A)).collect();
    // Duplicate names in `b` of the second database: the plan's step 2 (`uq_b`) fails there.
    server().sql(&dbs[1], "INSERT INTO b VALUES (1, 'x'), (2, 'x')");
    let fleet = ready(&urls(&dbs));
    let (list, p) = (fleet.list.as_str(), fleet.plan.as_str());

    let (code, v) = apply_json(p, list, &["--parallel", "1"]);
    assert_eq!(code, Some(1), "{v}");
    assert_eq!(
        outcomes(&v),
        vec!["applied", "failed", "not-run", "not-run"]
    );
    assert!(
        v["databases"][1]["error"]
            .as_str()
            .unwrap()
            .contains("step 2"),
        "{v}"
    );
    assert!(v["databases"][2]["wave"].is_null(), "{v}");
    assert_eq!(
        keys(&dbs[1], "a"),
        "PRIMARY,uq_a",
        "step 1 ran before step 2 failed"
    );
    for db in &dbs[2..] {
        assert_eq!(
            keys(db, "a"),
            "PRIMARY",
            "a database after the failure is untouched"
        );
    }

    let (code, v) = apply_json(p, list, &["--parallel", "1", "--continue-on-error"]);
    assert_eq!(code, Some(1), "{v}");
    assert_eq!(
        outcomes(&v),
        vec!["applied", "failed", "applied", "applied"]
    );
    assert_eq!(v["databases"][0]["ran"], 0, "{v}");
    assert_eq!(keys(&dbs[3], "b"), "PRIMARY,uq_b");

    // The cause fixed, the same command resumes the failed database after its step 1.
    server().sql(&dbs[1], "DELETE FROM b WHERE id = 2");
    let (code, v) = apply_json(p, list, &["--parallel", "2"]);
    assert_eq!(code, Some(0), "{v}");
    assert_eq!(outcomes(&v), vec!["applied"; 4]);
    assert_eq!(
        (
            v["databases"][1]["ran"].as_u64(),
            v["databases"][1]["already"].as_u64()
        ),
        (Some(1), Some(1)),
        "{v}"
    );
    assert_eq!(keys(&dbs[1], "b"), "PRIMARY,uq_b");
}

#[test]
fn a_database_that_moved_is_skipped_as_stale_and_others_plans_are_left_alone() {
    let (a1, a2) = (db_at("fleet_s", AT_A), db_at("fleet_s", AT_A));
    let b1 = db_at("fleet_s", AT_B);
    let Ready {
        dir: _dir,
        list,
        plan,
    } = ready(&[&a1, &a2, &b1].map(|d| server().url(d)));
    // After the review, someone changes the second database by hand.
    server().sql(&a2, "ALTER TABLE a ADD COLUMN note text");

    let o = canon(&["apply", &plan, "--targets", &list, "--yes"]);
    let text = out(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(
        text.contains(&format!("{} [wave 1", label(&a2))) && text.contains("stale, skipped"),
        "{text}"
    );
    assert!(
        text.contains(&format!("{} [-, 0.00 s] not in this plan", label(&b1))),
        "{text}"
    );
    assert!(
        text.contains("3 database(s) in ")
            && text.contains("1 applied, 1 stale, 0 failed, 0 not run, 1 in other plans"),
        "{text}"
    );
    assert_eq!(keys(&a1, "a"), "PRIMARY,uq_a");
    assert_eq!(keys(&a2, "a"), "PRIMARY", "the stale database is untouched");
    assert_eq!(
        server().sql(&a2, "SHOW TABLES LIKE 'canon_history'").trim(),
        ""
    );
    assert_eq!(server().sql(&b1, "SHOW TABLES LIKE 'b'").trim(), "");
}

/// A JUnit report with a case per database: one passed, one an error.
fn junit_counts(xml: &[u8]) {
    let report = quick_junit::Report::deserialize_from_str(&String::from_utf8_lossy(xml)).unwrap();
    let suite = &report.test_suites[0];
    assert_eq!((suite.tests, suite.errors, suite.failures), (2, 1, 0));
}

const CANARY: &str = "Fleet-Canary-42zq";

#[test]
fn every_report_names_each_database_and_never_the_password() {
    server().sql(
        "",
        &format!("CREATE USER IF NOT EXISTS 'fleetpw'@'127.0.0.1' IDENTIFIED BY '{CANARY}'; GRANT ALL ON *.* TO 'fleetpw'@'127.0.0.1'"),
    );
    let port = server().port;
    let (a1, a2) = (db_at("fleet_r", AT_A), db_at("fleet_r", AT_A));
    server().sql(&a2, "INSERT INTO b VALUES (1, 'x'), (2, 'x')");
    let url =
        |db: &str| format!("mysql://fleetpw:{CANARY}@127.0.0.1:{port}/{db}?ssl-mode=disabled");
    let Ready { dir, list, plan } = ready(&[url(&a1), url(&a2)]);
    let p = plan.as_str();
    let env = [("DB_PASSWORD", CANARY)];
    let want = dir.path().join("want.sql").display().to_string();
    let again = dir.path().join("again").display().to_string();
    let check = ["check", "--schema", &want, "--targets", &list];
    let plan_again = [
        "plan",
        "--schema",
        &want,
        "--targets",
        &list,
        "--out",
        &again,
        "--format",
        "json",
    ];
    for args in [&check[..], &plan_again[..]] {
        let text = out(&canon_env(args, &env));
        assert!(!text.contains(CANARY), "{text}");
        assert!(text.contains(&format!("127.0.0.1:{port}/{a2}")), "{text}");
    }
    for (format, expect) in [
        ("text", vec!["applied 2 step(s)", "failed: step 2"]),
        (
            "json",
            vec!["\"outcome\": \"applied\"", "\"outcome\": \"failed\""],
        ),
        (
            "junit",
            vec![
                "<testcase name=\"127.0.0.1:",
                "<error message=\"failed: step 2",
            ],
        ),
        (
            "markdown",
            vec![
                "| database | wave | seconds | outcome |",
                "| failed: step 2",
            ],
        ),
    ] {
        let o = canon_env(
            &[
                "apply",
                p,
                "--targets",
                &list,
                "--yes",
                "--continue-on-error",
                "--format",
                format,
            ],
            &env,
        );
        let text = out(&o);
        assert_eq!(o.status.code(), Some(1), "{format}: {text}");
        assert!(!text.contains(CANARY), "{format}: {text}");
        for db in [&a1, &a2] {
            assert!(
                text.contains(&format!("127.0.0.1:{port}/{db}")),
                "{format}: {text}"
            );
        }
        // The first run (text) applies; the later ones find the first database done.
        assert!(expect.iter().all(|e| text.contains(e)), "{format}: {text}");
        if format == "junit" {
            junit_counts(&o.stdout);
        }
    }
    for f in std::fs::read_dir(dir.path().join("plans"))
        .unwrap()
        .flatten()
    {
        assert!(!std::fs::read_to_string(f.path()).unwrap().contains(CANARY));
    }
    assert!(!server()
        .sql(&a1, "SELECT * FROM canon_history")
        .contains(CANARY));
}

#[test]
fn each_database_is_backed_up_and_verified_on_its_own() {
    let dbs: Vec<String> = (0..2).map(|_| db_at("fleet_k", AT_A)).collect();
    let Ready { dir, list, plan } = ready(&urls(&dbs));
    let backups = dir.path().join("backups");
    let (code, v) = apply_json(&plan, &list, &["--backup-dir", backups.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{v}");
    for (d, db) in v["databases"].as_array().unwrap().iter().zip(&dbs) {
        let file = d["backup"]
            .as_str()
            .unwrap_or_else(|| panic!("no backup: {v}"));
        assert!(file.contains(db.as_str()), "{file}");
        assert!(std::fs::read_to_string(file)
            .unwrap()
            .contains("CREATE TABLE `b`"));
        let journaled = server().sql(
            db,
            "SELECT sql_text FROM canon_history WHERE outcome = 'backup'",
        );
        assert_eq!(
            journaled.trim(),
            file,
            "the backup is journaled in its own database"
        );
    }
}
