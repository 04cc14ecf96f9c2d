//! The server dies in the middle of `canon apply` (SIGKILL, twice: among a run of CREATE
//! TABLE steps, and during an ALTER that rebuilds a table of 300,000 rows), comes back, and
//! the same `canon apply` is run again: it resumes, every step is applied exactly once, no
//! row is lost. A binary of its own: it crashes its own throwaway server.

mod common;

use common::{canon, canon_binary, out, throwaway_server as server};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn spawn_apply(plan: &str, url: &str) -> Child {
    Command::new(canon_binary())
        .args(["apply", plan, "--target", url, "--yes"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn count(db: &str, sql: &str) -> usize {
    server().try_count(db, sql).unwrap_or(0)
}

/// Wait until `sql` (a count) reaches `at_least`, then crash the server.
fn crash_when(db: &str, sql: &str, at_least: usize, apply: Child) {
    let start = Instant::now();
    while count(db, sql) < at_least {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the apply never got there"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    server().crash();
    let o = apply.wait_with_output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(1),
        "the apply loses its server: {}",
        out(&o)
    );
}

#[test]
fn an_apply_killed_twice_resumes_and_applies_each_step_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = server().database("crash");
    server().big_table(&db);
    let mut want =
        String::from("CREATE TABLE big (id int PRIMARY KEY, v varchar(200) NOT NULL);\n");
    for i in 0..150 {
        want.push_str(&format!(
            "CREATE TABLE t{i:03} (id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, a int, b varchar(40), KEY (a));\n"
        ));
    }
    let url = server().url(&db);
    let plan = common::approved_plan(dir.path(), &url, &want);
    let plan = plan.to_str().unwrap();
    let schema = dir.path().join("want.sql");
    let schema = schema.to_str().unwrap();

    let done = "SELECT COUNT(*) FROM canon_history WHERE outcome = 'done'";
    crash_when(&db, done, 40, spawn_apply(plan, &url));
    let after_first = count(&db, done);
    assert!(
        after_first < 151,
        "crashed before the end ({after_first} done)"
    );

    let big_running =
        "SELECT COUNT(*) FROM canon_history WHERE object = 'table `big`' AND outcome = 'running'";
    crash_when(&db, big_running, 1, spawn_apply(plan, &url));

    let o = canon(&["apply", plan, "--target", &url, "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let per_step = server().sql(
        &db,
        "SELECT step_id, SUM(outcome = 'done') FROM canon_history WHERE step_id > 0 GROUP BY step_id ORDER BY step_id",
    );
    let rows: Vec<&str> = per_step.lines().collect();
    assert_eq!(rows.len(), 151, "every step is in the history");
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(
            *row,
            format!("{}\t1", i + 1),
            "step {} done exactly once",
            i + 1
        );
    }
    let interrupted = count(
        &db,
        "SELECT COUNT(*) FROM canon_history WHERE outcome = 'running'",
    );
    assert!(interrupted >= 1, "the crashes interrupted steps");
    assert_eq!(
        server().sql(&db, "SELECT COUNT(*) FROM big").trim(),
        "300000"
    );
    let check = canon(&["check", "--schema", schema, "--target", &url]);
    assert_eq!(check.status.code(), Some(0), "{}", out(&check));
}
