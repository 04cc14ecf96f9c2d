//! canon on a real 3-node MariaDB Galera cluster (Debian's galera-4) started by the harness:
//! cluster detection, the cluster-wide apply lock, and convergence of every node. The
//! tests share one cluster and one of them desyncs a node, so they run one at a time.

mod common;

use common::galera::{cluster, Cluster};
use common::{approved_plan, canon, out, Server};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

const PASSWORD: &str = "canon-test-pw";

static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

/// canon's URL for a node: the TCP login every node shares (accounts replicate).
fn url(node: &Server, db: &str) -> String {
    node.tcp_url(&format!("canon:{PASSWORD}"), db)
}

fn apply(node: &Server, plan: &Path, db: &str, extra: &[&str]) -> Output {
    let u = url(node, db);
    let mut args = vec!["apply", plan.to_str().unwrap(), "--target", &u, "--yes"];
    args.extend(extra);
    canon(&args)
}

/// Exit 1 with `words` said, and the password nowhere.
fn refused(o: &Output, words: &str) {
    assert_eq!(o.status.code(), Some(1), "{}", out(o));
    assert!(out(o).contains(words), "expected `{words}` in:\n{}", out(o));
    assert!(!out(o).contains(PASSWORD), "{}", out(o));
}

fn node_label(c: &Cluster, i: usize) -> String {
    format!("node{} (127.0.0.1:{})", i + 1, c.nodes[i].port)
}

/// Rows of the history table on one node: the cluster-wide lock row (id 0) included.
fn lock_rows(node: &Server, db: &str) -> String {
    node.sql(db, "SELECT COUNT(*) FROM canon_history WHERE id = 0")
        .trim()
        .to_string()
}

/// A database `prefix_*` on every node holding `current`, and an approved plan (made
/// through node 1) to `desired`.
fn planned(
    c: &Cluster,
    dir: &Path,
    prefix: &str,
    current: &str,
    desired: &str,
) -> (String, PathBuf) {
    let db = c.database(prefix);
    c.nodes[0].sql(&db, current);
    c.settle();
    let plan = approved_plan(dir, &url(&c.nodes[0], &db), desired);
    (db, plan)
}

/// An approved plan adding a column to table `t`.
fn plan_adding_a_column(c: &Cluster, dir: &Path, prefix: &str) -> (String, PathBuf) {
    planned(
        c,
        dir,
        prefix,
        "CREATE TABLE t (id int PRIMARY KEY)",
        "CREATE TABLE t (id int PRIMARY KEY, n int);\n",
    )
}

/// The apply's output names every node at the plan's final fingerprint.
fn says_every_node_converged(c: &Cluster, text: &str) {
    for i in 0..3 {
        let line = format!("node {}: at the plan's final fingerprint", node_label(c, i));
        assert!(text.contains(&line), "expected `{line}` in:\n{text}");
    }
}

#[test]
fn the_cluster_starts_with_three_synced_nodes() {
    let _one = serial();
    let c = cluster();
    eprintln!("galera cluster started in {:.1} s", c.started_in);
    for n in &c.nodes {
        assert_eq!(n.wsrep_state().as_deref(), Some("Synced"));
    }
    let size = c.nodes[2].sql(
        "",
        "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'WSREP_CLUSTER_SIZE'",
    );
    assert_eq!(size.trim(), "3");
}

#[test]
fn apply_converges_on_every_node() {
    let _one = serial();
    let c = cluster();
    let dir = tempfile::tempdir().unwrap();
    let (db, plan) = planned(
        c,
        dir.path(),
        "galera_converge",
        "CREATE TABLE t (id int PRIMARY KEY)",
        "CREATE TABLE t (id int PRIMARY KEY, name varchar(40) NOT NULL DEFAULT '');\n\
         CREATE TABLE u (id int PRIMARY KEY, t_id int, KEY (t_id));\n",
    );
    let o = apply(&c.nodes[0], &plan, &db, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let text = out(&o);
    assert!(
        text.contains("Galera cluster of 3 nodes") && text.contains("schema changes by TOI"),
        "{text}"
    );
    says_every_node_converged(c, &text);
    assert!(!text.contains(PASSWORD), "{text}");
    // Every node has the schema, as its own server prints it, and the lock is released.
    let first = c.nodes[0].show_create_all(&db);
    assert!(
        first.iter().any(|t| t.contains("`name` varchar(40)")),
        "{first:?}"
    );
    for n in &c.nodes[1..] {
        assert_eq!(n.show_create_all(&db), first);
    }
    for n in &c.nodes {
        assert_eq!(lock_rows(n, &db), "0");
    }
    // And canon sees no drift from the node the plan was not applied on.
    let want = dir.path().join("want.sql");
    let o = canon(&[
        "check",
        "--schema",
        want.to_str().unwrap(),
        "--target",
        &url(&c.nodes[2], &db),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
}

/// `big` and `big2`, 300,000 rows each: copying both makes an apply that takes a while.
fn two_big_tables(node: &Server, db: &str) {
    node.big_table(db);
    node.sql(
        db,
        "CREATE TABLE big2 (id int PRIMARY KEY, v varchar(60) NOT NULL); \
         INSERT INTO big2 SELECT seq, REPEAT('y', 60) FROM seq_1_to_300000",
    );
}

#[test]
fn a_second_apply_on_another_node_is_refused_by_the_cluster_lock() {
    let _one = serial();
    let c = cluster();
    let dir = tempfile::tempdir().unwrap();
    let db = c.database("galera_lock");
    two_big_tables(&c.nodes[0], &db);
    c.settle();
    let plan = approved_plan(
        dir.path(),
        &url(&c.nodes[0], &db),
        "CREATE TABLE big (id bigint PRIMARY KEY, v varchar(60) NOT NULL);\n\
         CREATE TABLE big2 (id bigint PRIMARY KEY, v varchar(60) NOT NULL);\n",
    );
    // The review says what TOI does with these rebuilds.
    let shown = out(&canon(&["show", plan.to_str().unwrap()]));
    for said in [
        "the target is a Galera cluster node; schema changes by TOI (wsrep_OSU_method)",
        "runs under TOI: writes on every node wait for its whole duration (seconds)",
    ] {
        assert!(shown.contains(said), "expected `{said}` in:\n{shown}");
    }
    let first_url = url(&c.nodes[0], &db);
    let first = Command::new(common::canon_binary())
        .args([
            "apply",
            plan.to_str().unwrap(),
            "--target",
            &first_url,
            "--yes",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Node 2 sees the first apply's lock row: Galera replicated it.
    let start = Instant::now();
    while c.nodes[1]
        .try_count(&db, "SELECT COUNT(*) FROM canon_history WHERE id = 0")
        .unwrap_or(0)
        != 1
    {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "node2 never saw the first apply's lock"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // The plan names node 1: through another node it is --retarget (the start is checked).
    let second = apply(&c.nodes[1], &plan, &db, &["--retarget"]);
    refused(&second, "another apply is running");
    let text = out(&second);
    assert!(
        text.contains("on node node1") && text.contains("(cluster-wide lock)"),
        "{text}"
    );
    let first = first.wait_with_output().unwrap();
    assert_eq!(first.status.code(), Some(0), "{}", out(&first));
    // Each step ran once, by the first apply.
    let steps = c.nodes[1].sql(
        &db,
        "SELECT step_id, outcome FROM canon_history WHERE id > 0 ORDER BY id",
    );
    assert_eq!(steps, "1\tdone\n2\tdone\n");
}

#[test]
fn a_stale_cluster_lock_is_taken_over_and_said() {
    let _one = serial();
    let c = cluster();
    let dir = tempfile::tempdir().unwrap();
    let (db, plan) = plan_adding_a_column(c, dir.path(), "galera_stale");
    let o = apply(&c.nodes[0], &plan, &db, &["--rsu"]);
    // Node by node, a new column would break rows replicated between changed and unchanged
    // nodes: --rsu refuses it before any step.
    refused(
        &o,
        "step 1 (table `t`) cannot run node by node (--rsu): rows written on a changed node must apply on the others and back",
    );
    for n in &c.nodes {
        assert!(!n.sql(&db, "SHOW CREATE TABLE t").contains("`n`"));
    }
    // A crashed apply's lock row (canon's own table): node2's connection 999999 holds
    // nothing there.
    let create = include_str!("../src/apply/queries/history_create.sql")
        .replace("{history}", "canon_history");
    c.nodes[1].sql(&db, &create);
    c.nodes[1].sql(
        &db,
        "SET STATEMENT sql_mode = 'NO_AUTO_VALUE_ON_ZERO' FOR INSERT INTO canon_history \
         (id, plan_id, step_id, object, sql_text, started_at, outcome, detail, operator, canon_version) \
         VALUES (0, 'crashed', 0, 'apply lock', '', NOW(6), 'lock', 'node=node2 connection=999999', 'bob@dba', '0')",
    );
    c.settle();
    let o = apply(&c.nodes[2], &plan, &db, &["--retarget"]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let said = "taking over a stale cluster apply lock of bob@dba on node node2, connection 999999, since ";
    assert!(out(&o).contains(said), "expected `{said}` in:\n{}", out(&o));
    let why = format!(
        "connection 999999 on {} no longer holds the apply lock there",
        node_label(c, 1)
    );
    assert!(out(&o).contains(&why), "expected `{why}` in:\n{}", out(&o));
    for n in &c.nodes {
        assert_eq!(lock_rows(n, &db), "0");
    }
}

#[test]
fn a_node_not_synced_stops_the_apply_before_any_step() {
    let _one = serial();
    let c = cluster();
    let dir = tempfile::tempdir().unwrap();
    let (db, plan) = plan_adding_a_column(c, dir.path(), "galera_desync");
    let before = c.nodes[0].show_create_all(&db);
    c.nodes[2].sql("", "SET GLOBAL wsrep_desync = ON");
    let o = apply(&c.nodes[0], &plan, &db, &[]);
    c.nodes[2].sql("", "SET GLOBAL wsrep_desync = OFF");
    c.nodes[2].wait_synced();
    refused(&o, "the Galera cluster of");
    let said = format!("node {} is Donor/Desynced, not Synced", node_label(c, 2));
    assert!(
        out(&o).contains(&said),
        "expected `{said}` in:\n{}",
        out(&o)
    );
    // Nothing changed: the schema, and no history table either.
    assert_eq!(c.nodes[0].show_create_all(&db), before);
    assert_eq!(c.nodes[0].sql(&db, "SHOW TABLES LIKE 'canon_history'"), "");
}

#[test]
fn a_large_rebuild_goes_through_pt_online_schema_change_under_toi() {
    let _one = serial();
    let c = cluster();
    let dir = tempfile::tempdir().unwrap();
    let db = c.database("galera_osc");
    c.nodes[0].sql(
        &db,
        "CREATE TABLE big (id int NOT NULL PRIMARY KEY, amount int NOT NULL) ENGINE=InnoDB; \
         INSERT INTO big SELECT seq, seq % 100 FROM seq_1_to_30000; ANALYZE TABLE big",
    );
    c.settle();
    let want = dir.path().join("want.sql");
    std::fs::write(
        &want,
        "CREATE TABLE big (id int NOT NULL PRIMARY KEY, amount bigint NOT NULL) ENGINE=InnoDB;\n",
    )
    .unwrap();
    let plan = dir.path().join("p.yaml");
    let (w, p) = (want.to_str().unwrap(), plan.to_str().unwrap());
    let target = url(&c.nodes[0], &db);
    let o = canon(&[
        "plan",
        "--schema",
        w,
        "--target",
        &target,
        "--osc-min-rows",
        "10000",
        "--out",
        p,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let o = canon(&["approve", p, "--by", "ana@dba"]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let o = apply(&c.nodes[0], &plan, &db, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let text = out(&o);
    assert!(
        text.contains("step 1 (table `big`) goes through pt-online-schema-change"),
        "{text}"
    );
    assert!(!text.contains(PASSWORD), "{text}");
    says_every_node_converged(c, &text);
    c.settle();
    for n in &c.nodes {
        assert_eq!(
            n.sql(&db, "SELECT COUNT(*), SUM(amount) FROM big"),
            "30000\t1485000\n"
        );
    }
}

#[test]
fn rsu_adds_an_index_node_by_node_each_desynced_and_resynced() {
    let _one = serial();
    let c = cluster();
    let dir = tempfile::tempdir().unwrap();
    let (db, plan) = planned(
        c,
        dir.path(),
        "galera_rsu",
        "CREATE TABLE t (id int PRIMARY KEY, n int)",
        "CREATE TABLE t (id int PRIMARY KEY, n int, KEY by_n (n));\n",
    );
    let o = apply(&c.nodes[0], &plan, &db, &["--rsu"]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let text = out(&o);
    says_every_node_converged(c, &text);
    assert!(
        text.contains("schema changes by RSU, node by node (--rsu)"),
        "{text}"
    );
    for i in 0..3 {
        let node = node_label(c, i);
        for line in [
            format!("{node}: desynced, running the step by RSU"),
            format!("{node}: resynced"),
        ] {
            assert!(text.contains(&line), "expected `{line}` in:\n{text}");
        }
        assert_eq!(c.nodes[i].wsrep_state().as_deref(), Some("Synced"));
        assert!(c.nodes[i]
            .sql(&db, "SHOW CREATE TABLE t")
            .contains("KEY `by_n` (`n`)"));
    }
    // Each node in turn: node 1 resynced before node 2 was desynced.
    let at = |line: String| text.find(&line).unwrap();
    assert!(
        at(format!("{}: resynced", node_label(c, 0)))
            < at(format!("{}: desynced", node_label(c, 1)))
    );
}
