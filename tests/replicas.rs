//! `canon apply --replica` against a real MariaDB primary and GTID replica started by the
//! harness (tests/common/replication.rs): a replica that follows reaches the plan's end; a
//! lagging one (MASTER_DELAY) makes apply wait, then go on; a stopped SQL thread refuses the
//! apply before any step; a replica changed by hand is named after the apply and by
//! `check --targets`. Replica URLs carry the `canon` user's password, which never shows.
//! The tests share one pair of servers and change its replication, so they run one at a time.

mod common;

use common::replication::{pair, Pair};
use common::{approved_plan, approved_plan_with, canon, out};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

const PASSWORD: &str = "canon-test-pw";

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn exclusive() -> MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner())
}

const START: &str = "CREATE TABLE t (id int PRIMARY KEY, a int)";
const DESIRED: &str = "CREATE TABLE t (id int PRIMARY KEY, a int, b int, KEY ka (a));\n\
                       CREATE TABLE u (id int PRIMARY KEY);\n";

/// A database with table `t` on the primary, replicated; and an approved plan to DESIRED.
fn setup(p: &Pair) -> (String, tempfile::TempDir, std::path::PathBuf) {
    let db = p.primary.database("replicas");
    p.primary.sql(&db, START);
    p.wait_caught_up();
    let dir = tempfile::tempdir().unwrap();
    let plan = approved_plan(dir.path(), &p.primary.url(&db), DESIRED);
    (db, dir, plan)
}

/// The replica over TCP as `canon`, password in the URL; and how canon names it.
fn replica_url(p: &Pair, db: &str) -> (String, String) {
    (
        format!("mysql://canon:{PASSWORD}@127.0.0.1:{}/{db}", p.replica.port),
        format!("127.0.0.1:{}/{db}", p.replica.port),
    )
}

/// `canon apply PLAN` on the primary watching `replica`.
fn apply_args(p: &Pair, db: &str, plan: &std::path::Path, replica: &str) -> Vec<String> {
    let plan = plan.to_str().unwrap();
    let target = p.primary.url(db);
    [
        "apply",
        plan,
        "--target",
        &target,
        "--yes",
        "--replica",
        replica,
    ]
    .map(String::from)
    .to_vec()
}

/// canon's result; its output never holds the password.
fn run(args: &[String]) -> std::process::Output {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = canon(&args);
    assert!(!out(&o).contains(PASSWORD), "password shown:\n{}", out(&o));
    o
}

fn apply(p: &Pair, db: &str, plan: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let mut args = apply_args(p, db, plan, &replica_url(p, db).0);
    args.extend(extra.iter().map(|a| a.to_string()));
    run(&args)
}

/// apply said the replica reached the plan's end, and its server shows the primary's tables.
fn at_the_end(p: &Pair, db: &str, said: &str) {
    let name = &replica_url(p, db).1;
    assert!(
        said.contains(&format!("replica {name}: at the plan's end")),
        "{said}"
    );
    assert_eq!(p.replica.show_create_all(db), p.primary.show_create_all(db));
}

/// Restores what a test changed in replication, also when it fails.
struct Restore<'a>(&'a Pair, &'static str);

impl Drop for Restore<'_> {
    fn drop(&mut self) {
        self.0.replica.sql("", self.1);
        self.0.wait_running();
    }
}

#[test]
fn a_following_replica_reaches_the_plans_end() {
    let _one = exclusive();
    let p = pair();
    let (db, _dir, plan) = setup(p);
    let o = apply(p, &db, &plan, &[]);
    let said = out(&o);
    assert_eq!(o.status.code(), Some(0), "{said}");
    let (_, name) = replica_url(p, &db);
    assert!(
        said.contains(&format!("replica {name}: replicating, lag 0 s")),
        "{said}"
    );
    // The replica has what the primary has, table by table, as its server shows it.
    at_the_end(p, &db, &said);
    // `t`, `u`, and canon's history table, journaled on the primary and replicated.
    assert_eq!(p.replica.show_create_all(&db).len(), 3);
}

#[test]
fn a_lagging_replica_makes_apply_wait_then_go_on() {
    let _one = exclusive();
    let p = pair();
    let (db, _dir, plan) = setup(p);
    p.set_delay(8);
    let _restore = Restore(
        p,
        "STOP SLAVE; CHANGE MASTER TO MASTER_DELAY = 0; START SLAVE",
    );
    // A write the replica holds back for 8 s: its lag grows to 8 s, then drops to 0.
    p.primary.sql(&db, "INSERT INTO t VALUES (1, 1)");
    std::thread::sleep(Duration::from_millis(2500));
    let clock = Instant::now();
    let o = apply(p, &db, &plan, &["--max-lag", "1"]);
    let said = out(&o);
    assert_eq!(o.status.code(), Some(0), "{said}");
    let (_, name) = replica_url(p, &db);
    let first_wait = said
        .find(&format!("waiting for replica {name}: lag "))
        .unwrap_or_else(|| panic!("no wait shown:\n{said}"));
    let first_step = said.find("[1/").expect("step 1 ran");
    assert!(
        first_wait < first_step,
        "waited before the first step:\n{said}"
    );
    assert!(said.contains("> --max-lag 1 s"), "{said}");
    // The replica applied the steps after their 8 s delay, and then reached the end.
    assert!(clock.elapsed() >= Duration::from_secs(8), "{said}");
    at_the_end(p, &db, &said);
}

#[test]
fn a_replica_still_behind_after_the_wait_is_named_as_lagging() {
    let _one = exclusive();
    let p = pair();
    let (db, _dir, plan) = setup(p);
    p.set_delay(20);
    let _restore = Restore(
        p,
        "STOP SLAVE; CHANGE MASTER TO MASTER_DELAY = 0; START SLAVE",
    );
    let o = apply(p, &db, &plan, &["--max-lag", "10", "--replica-wait", "3"]);
    let said = out(&o);
    assert_eq!(o.status.code(), Some(1), "{said}");
    let (_, name) = replica_url(p, &db);
    assert!(
        said.contains("[2/2]"),
        "every step ran on the primary:\n{said}"
    );
    assert!(
        said.contains(&format!(
            "{name}: it lags: not at the primary's position after 3 s (lag "
        )),
        "{said}"
    );
    // Held back 20 s, the replica has none of the plan's steps yet.
    assert_eq!(p.replica.sql(&db, "SHOW TABLES LIKE 'u'"), "");
}

#[test]
fn a_stopped_sql_thread_refuses_the_apply_before_any_step() {
    let _one = exclusive();
    let p = pair();
    let (db, _dir, plan) = setup(p);
    let before = p.primary.show_create_all(&db);
    p.replica.sql("", "STOP SLAVE SQL_THREAD");
    let _restore = Restore(p, "START SLAVE SQL_THREAD");
    let o = apply(p, &db, &plan, &[]);
    let said = out(&o);
    assert_eq!(o.status.code(), Some(1), "{said}");
    let (_, name) = replica_url(p, &db);
    assert!(
        said.contains(&format!(
            "replica {name} is not ready: its SQL thread is not running"
        )),
        "{said}"
    );
    assert!(!said.contains("[1/"), "no step ran:\n{said}");
    assert_eq!(p.primary.show_create_all(&db), before);
    let history = p.primary.sql(
        "",
        &format!("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '{db}'"),
    );
    assert_eq!(history.trim(), "1", "only `t`, no history table");
}

#[test]
fn a_replica_changed_by_hand_is_named_after_apply_and_by_check() {
    let _one = exclusive();
    let p = pair();
    let (db, dir, plan) = setup(p);
    // A DBA's change on the replica alone (not written to any binary log).
    p.replica.sql(
        &db,
        "SET SESSION sql_log_bin = 0; ALTER TABLE t ADD COLUMN note varchar(20)",
    );
    let o = apply(p, &db, &plan, &[]);
    let said = out(&o);
    assert_eq!(o.status.code(), Some(1), "{said}");
    assert!(
        said.contains(
            "every step ran on the primary, but not every replica reached the plan's end"
        ),
        "{said}"
    );
    let (replica, name) = replica_url(p, &db);
    assert!(said.contains(&format!("{name}: it diverged")), "{said}");
    // The replica still replicates: the plan's steps reached it beside the hand-made column.
    assert!(p
        .replica
        .sql(&db, "SHOW CREATE TABLE t")
        .contains("`b` int"));

    let primary = format!("mysql://canon:{PASSWORD}@127.0.0.1:{}/{db}", p.primary.port);
    let targets = dir.path().join("targets.txt");
    std::fs::write(&targets, format!("{primary}\n{replica}\n")).unwrap();
    let desired = dir.path().join("want.sql");
    let o = canon(&[
        "check",
        "--schema",
        desired.to_str().unwrap(),
        "--targets",
        targets.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let said = out(&o);
    assert!(!said.contains(PASSWORD), "{said}");
    assert_eq!(o.status.code(), Some(2), "{said}");
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let drift: Vec<(String, bool)> = report["databases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["target"].as_str().unwrap().to_string(),
                d["drift"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        drift,
        [
            (format!("127.0.0.1:{}/{db}", p.primary.port), false),
            (name, true)
        ]
    );
}

#[test]
fn a_replica_that_stops_mid_apply_stops_it_before_the_next_step_and_a_rerun_resumes() {
    let _one = exclusive();
    let p = pair();
    let db = p.primary.database("replicas");
    // Step 1 rebuilds a table of 300,000 rows: the replica's SQL thread is stopped meanwhile.
    p.primary.big_table(&db);
    p.primary.sql(&db, START);
    p.wait_caught_up();
    let dir = tempfile::tempdir().unwrap();
    let plan = approved_plan(
        dir.path(),
        &p.primary.url(&db),
        "CREATE TABLE big (id int PRIMARY KEY, v varchar(200) NOT NULL);\n\
         CREATE TABLE t (id int PRIMARY KEY, a int, b int);\n",
    );
    let (replica, name) = replica_url(p, &db);
    let args = apply_args(p, &db, &plan, &replica);
    let mut running = std::process::Command::new(common::canon_binary())
        .args(&args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let step_of_big = format!(
        "SELECT COUNT(*) FROM information_schema.TABLES t JOIN `{db}`.canon_history h \
         WHERE t.TABLE_SCHEMA = '{db}' AND t.TABLE_NAME = 'canon_history' \
         AND h.step_id = 1 AND h.outcome = 'running' AND h.object LIKE '%big%'"
    );
    while p.primary.try_count("", &step_of_big) != Some(1) {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "step 1 never ran"
        );
        if running.try_wait().unwrap().is_some() {
            let o = running.wait_with_output().unwrap();
            panic!("apply ended before step 1 was seen:\n{}", out(&o));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    p.replica.sql("", "STOP SLAVE SQL_THREAD");
    let restore = Restore(p, "START SLAVE SQL_THREAD");
    let o = running.wait_with_output().unwrap();
    let said = out(&o);
    assert!(!said.contains(PASSWORD), "{said}");
    assert_eq!(o.status.code(), Some(1), "{said}");
    assert!(
        said.contains(&format!(
            "stopped before the next step: replica {name} cannot be followed: its SQL thread is not running"
        )),
        "{said}"
    );
    assert!(!said.contains("[2/2]"), "step 2 did not run:\n{said}");
    assert!(!p.primary.sql(&db, "SHOW CREATE TABLE t").contains("`b`"));

    drop(restore);
    let o = run(&args);
    let said = out(&o);
    assert_eq!(o.status.code(), Some(0), "{said}");
    assert!(
        said.contains("[2/2]") && !said.contains("[1/2]"),
        "resumed:\n{said}"
    );
    at_the_end(p, &db, &said);
}

#[test]
fn a_replica_that_cannot_be_reached_refuses_the_apply() {
    let _one = exclusive();
    let p = pair();
    let (db, _dir, plan) = setup(p);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let nobody = format!("mysql://canon:{PASSWORD}@127.0.0.1:{port}/{db}");
    let o = run(&apply_args(p, &db, &plan, &nobody));
    let said = out(&o);
    assert_eq!(o.status.code(), Some(1), "{said}");
    assert!(
        said.contains(&format!(
            "replica 127.0.0.1:{port}/{db} is not ready: cannot connect"
        )),
        "{said}"
    );
    assert_eq!(
        p.primary.show_create_all(&db),
        [p.primary.sql(&db, "SHOW CREATE TABLE t")]
    );
}

#[test]
fn pt_online_schema_change_watches_the_replica_with_the_same_limit() {
    let _one = exclusive();
    let p = pair();
    let db = p.primary.database("replicas");
    p.primary.sql(
        &db,
        "CREATE TABLE big (id int NOT NULL PRIMARY KEY, amount int NOT NULL) ENGINE=InnoDB; \
         INSERT INTO big SELECT seq, seq % 100 FROM seq_1_to_30000; ANALYZE TABLE big",
    );
    p.wait_caught_up();
    let dir = tempfile::tempdir().unwrap();
    let plan = approved_plan_with(
        dir.path(),
        &p.primary.url(&db),
        "CREATE TABLE big (id int NOT NULL PRIMARY KEY, amount bigint NOT NULL) ENGINE=InnoDB;\n",
        &["--osc-min-rows", "10000"],
    );
    let shown = out(&canon(&["show", plan.to_str().unwrap()]));
    assert!(
        shown.contains("runs as: pt-online-schema-change"),
        "{shown}"
    );
    let o = apply(p, &db, &plan, &["--max-lag", "2"]);
    let said = out(&o);
    assert_eq!(o.status.code(), Some(0), "{said}");
    // The tool connected to the replica given (it names it `<its host> -> HOST:PORT`).
    let watched = said
        .split("pt-online-schema-change: Will check slave lag on:\n")
        .nth(1)
        .and_then(|rest| rest.lines().next())
        .unwrap_or_else(|| panic!("the tool watches no replica:\n{said}"));
    assert!(
        watched.ends_with(&format!(" -> 127.0.0.1:{}", p.replica.port)),
        "{watched}"
    );
    at_the_end(p, &db, &said);
}

#[test]
fn replicas_come_from_the_environment_in_canon_yaml() {
    let _one = exclusive();
    let p = pair();
    let db = p.primary.database("replicas");
    p.primary.sql(&db, START);
    p.wait_caught_up();
    let dir = tempfile::tempdir().unwrap();
    let primary = format!("mysql://canon@127.0.0.1:{}/{db}", p.primary.port);
    let with_password = primary.replace("canon@", &format!("canon:{PASSWORD}@"));
    let plan = approved_plan(dir.path(), &with_password, DESIRED);
    let (_, name) = replica_url(p, &db);
    let config = dir.path().join("canon.yaml");
    std::fs::write(
        &config,
        format!(
            "environments:\n  prod:\n    target: {primary}\n    password_env: REPLICAS_TEST_PW\n    replicas: [mysql://canon@{name}]\n"
        ),
    )
    .unwrap();
    let o = common::canon_env(
        &[
            "apply",
            plan.to_str().unwrap(),
            "--config",
            config.to_str().unwrap(),
            "--env",
            "prod",
            "--yes",
        ],
        &[("REPLICAS_TEST_PW", PASSWORD)],
    );
    let said = out(&o);
    assert!(!said.contains(PASSWORD), "{said}");
    assert_eq!(o.status.code(), Some(0), "{said}");
    assert!(
        said.contains(&format!("replica {name}: replicating")),
        "{said}"
    );
    at_the_end(p, &db, &said);
}
