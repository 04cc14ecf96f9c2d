//! Triggers, routines and events planned and applied on the real server (their reading and
//! round trips are in programs.rs).

use crate::common::{approved_plan, canon, canon_env, out, server};
use crate::helpers::check_live;

/// The canary: a plan that retypes a table's column (a copying ALTER) leaves the table's
/// trigger in place and firing; the rows it writes afterwards prove it.
#[test]
fn a_trigger_survives_its_table_being_retyped_and_still_fires() {
    let s = server();
    let db = s.database("prog_canary");
    let table = "CREATE TABLE orders (id int PRIMARY KEY, total decimal(8,2));
        CREATE TABLE order_log (order_id int, total decimal(12,2));";
    let trigger = "
        CREATE TRIGGER orders_ai AFTER INSERT ON orders FOR EACH ROW
          INSERT INTO order_log VALUES (NEW.id, NEW.total);";
    s.sql(&db, &format!("{table}{trigger}"));
    s.sql(&db, "INSERT INTO orders VALUES (1, 10.50)");

    let desired = format!(
        "{}{trigger}",
        table.replace("total decimal(8,2)", "total decimal(12,2)")
    );
    let dir = tempfile::tempdir().unwrap();
    let plan = approved_plan(dir.path(), &s.url(&db), &desired);
    let shown = canon(&["show", plan.to_str().unwrap(), "--format", "sql"]);
    // Only the table changes: the trigger is neither dropped nor re-created.
    assert!(
        out(&shown).contains("ALTER TABLE `orders`"),
        "{}",
        out(&shown)
    );
    assert!(!out(&shown).contains("TRIGGER"), "{}", out(&shown));
    let o = canon(&[
        "apply",
        plan.to_str().unwrap(),
        "--target",
        &s.url(&db),
        "--yes",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));

    let schema = dir.path().join("want.sql");
    let check = check_live(schema.to_str().unwrap(), &db);
    assert_eq!(check.status.code(), Some(0), "{}", out(&check));
    // A total the old type could not hold, written through the trigger.
    s.sql(&db, "INSERT INTO orders VALUES (2, 1234567.89)");
    assert_eq!(
        s.sql(
            &db,
            "SELECT order_id, total FROM order_log ORDER BY order_id"
        ),
        "1\t10.50\n2\t1234567.89\n"
    );
}

/// Loaded from the canonical files, the database has no drift, whatever definer the loading
/// session had; a changed body is drift that `check` reports with exit code 2.
#[test]
fn check_reports_a_changed_trigger_and_nothing_else() {
    let s = server();
    let db = s.database("prog_check");
    let ddl = "CREATE TABLE t (id int PRIMARY KEY, n int);
        CREATE DEFINER=`someone`@`%` TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW SET NEW.n = 1;";
    s.sql(&db, ddl);
    let dir = tempfile::tempdir().unwrap();
    let same = dir.path().join("same.sql");
    std::fs::write(&same, ddl.replace("`someone`@`%`", "`app`@`localhost`")).unwrap();
    let o = check_live(same.to_str().unwrap(), &db);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let other = dir.path().join("other.sql");
    std::fs::write(&other, ddl.replace("SET NEW.n = 1", "SET NEW.n = 2")).unwrap();
    let o = check_live(other.to_str().unwrap(), &db);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(out(&o).contains("trigger `t_bi`"), "{}", out(&o));
}

/// The preflight names the privileges program steps need, with the GRANT to run, and
/// changes nothing.
#[test]
fn a_user_without_trigger_and_routine_privileges_is_refused_with_the_grant() {
    let dir = tempfile::tempdir().unwrap();
    let db = server().database("prog_priv");
    server().sql(&db, "CREATE TABLE t (id int PRIMARY KEY, n int)");
    let want = dir.path().join("want.sql");
    std::fs::write(
        &want,
        "CREATE TABLE t (id int PRIMARY KEY, n int);
         CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW SET NEW.n = 1;
         CREATE PROCEDURE p() SELECT 1;",
    )
    .unwrap();
    let user = format!("plim_{}", std::process::id());
    server().sql(
        "",
        &format!(
            "CREATE USER '{user}'@'127.0.0.1' IDENTIFIED BY 'Plim-pw-9'; \
             GRANT SELECT, INSERT, UPDATE, CREATE, DROP, ALTER ON `{}`.* TO '{user}'@'127.0.0.1'",
            // The same database row as the GRANT canon prints: the server uses one row of
            // mysql.db, the most specific, so a second, exact one would hide these.
            db.replace('_', "\\_")
        ),
    );
    let url = server().tcp_url(&user, &db);
    let env = [("DB_PASSWORD", "Plim-pw-9")];
    let plan = dir.path().join("p.yaml");
    let (p, w) = (plan.to_str().unwrap(), want.to_str().unwrap());
    let o = canon_env(&["plan", "--schema", w, "--target", &url, "--out", p], &env);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let o = canon(&["approve", p, "--by", "ana@dba"]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let o = canon_env(&["apply", p, "--target", &url, "--yes"], &env);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    let grant = format!(
        "GRANT CREATE ROUTINE, ALTER ROUTINE, TRIGGER ON `{}`.* TO '{user}'@'127.0.0.1';",
        db.replace('_', "\\_")
    );
    assert!(out(&o).contains(&grant), "{grant} in {}", out(&o));
    assert!(!out(&o).contains("Plim-pw-9"));
    let programs = "SELECT (SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()) + (SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE())";
    assert_eq!(server().sql(&db, programs).trim(), "0", "nothing changed");
    // The GRANT it prints is enough.
    server().sql("", &grant);
    let o = canon_env(&["apply", p, "--target", &url, "--yes"], &env);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert_eq!(server().sql(&db, programs).trim(), "2");
}

/// An event created while `event_scheduler` is OFF (the test server's default) exists but
/// does not run: the apply says so.
#[test]
fn an_event_on_a_server_whose_scheduler_is_off_is_reported() {
    let s = server();
    assert_eq!(s.sql("", "SELECT @@GLOBAL.event_scheduler").trim(), "OFF");
    let db = s.database("prog_event");
    s.sql(&db, "CREATE TABLE t (id int PRIMARY KEY)");
    let dir = tempfile::tempdir().unwrap();
    let plan = approved_plan(
        dir.path(),
        &s.url(&db),
        "CREATE TABLE t (id int PRIMARY KEY);
         CREATE EVENT purge ON SCHEDULE EVERY 1 HOUR DO DELETE FROM t;",
    );
    let o = canon(&[
        "apply",
        plan.to_str().unwrap(),
        "--target",
        &s.url(&db),
        "--yes",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(
        out(&o)
            .contains("event_scheduler is OFF: the events this plan creates exist but do not run"),
        "{}",
        out(&o)
    );
    assert_eq!(
        s.sql(
            &db,
            "SELECT COUNT(*) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE()"
        )
        .trim(),
        "1"
    );
}
