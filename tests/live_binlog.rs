//! A server with binary logging on (`--log-bin`; a binary of its own, as its server's options
//! differ): creating a trigger or a function needs SUPER unless
//! `log_bin_trust_function_creators` is ON, and a function with none of DETERMINISTIC, NO
//! SQL, READS SQL DATA needs the variable whatever the privileges (MariaDB 10.11's errors 1419
//! and 1418). The preflight says so before anything runs, with what to run.

mod common;

use common::{approved_plan, canon, out, server_with, Server};

const TABLE: &str = "CREATE TABLE t (id int PRIMARY KEY, n int);";

fn programs(s: &Server, db: &str) -> String {
    let sql = "SELECT (SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()) + (SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE())";
    s.sql(db, sql).trim().to_string()
}

fn apply(plan: &std::path::Path, url: &str) -> std::process::Output {
    canon(&["apply", plan.to_str().unwrap(), "--target", url, "--yes"])
}

#[test]
fn binary_logging_asks_for_super_or_the_trust_variable_with_what_to_run() {
    let s = server_with(&["--log-bin=canon-bin", "--server-id=1"]);
    assert_eq!(s.sql("", "SELECT @@log_bin").trim(), "1");
    let db = s.database("binlog");
    s.sql(&db, TABLE);
    let user = format!("blog_{}", std::process::id());
    s.sql(
        "",
        &format!(
            "CREATE USER '{user}'@'127.0.0.1' IDENTIFIED BY 'Blog-pw-3'; \
             GRANT SELECT, INSERT, UPDATE, CREATE, DROP, ALTER, TRIGGER, CREATE ROUTINE, ALTER ROUTINE ON `{}`.* TO '{user}'@'127.0.0.1'",
            db.replace('_', "\\_")
        ),
    );
    let url = s
        .tcp_url(&user, &db)
        .replace(&format!("{user}@"), &format!("{user}:Blog-pw-3@"));
    let dir = tempfile::tempdir().unwrap();
    let safe = format!(
        "{TABLE}
        CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW SET NEW.n = 1;
        CREATE FUNCTION twice(x int) RETURNS int DETERMINISTIC RETURN x * 2;"
    );
    let plan = approved_plan(dir.path(), &url, &safe);
    let o = apply(&plan, &url);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    let fix = format!("GRANT SUPER ON *.* TO '{user}'@'127.0.0.1';  -- or: SET GLOBAL log_bin_trust_function_creators = ON;");
    assert!(out(&o).contains(&fix), "{fix} in {}", out(&o));
    assert!(!out(&o).contains("Blog-pw-3"));
    assert_eq!(programs(s, &db), "0", "nothing changed");
    s.sql("", &format!("GRANT SUPER ON *.* TO '{user}'@'127.0.0.1'"));
    let o = apply(&plan, &url);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert_eq!(programs(s, &db), "2");

    // A function binary logging cannot trust: even SUPER does not do.
    let unsafe_ = format!("{safe}\nCREATE FUNCTION now_ish() RETURNS int RETURN 1;");
    let dir = tempfile::tempdir().unwrap();
    let plan = approved_plan(dir.path(), &url, &unsafe_);
    let o = apply(&plan, &url);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(
        out(&o).contains("function `now_ish` has none of DETERMINISTIC, NO SQL, READS SQL DATA"),
        "{}",
        out(&o)
    );
    assert_eq!(programs(s, &db), "2", "nothing changed");
    s.sql("", "SET GLOBAL log_bin_trust_function_creators = ON");
    let o = apply(&plan, &url);
    s.sql("", "SET GLOBAL log_bin_trust_function_creators = OFF");
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert_eq!(programs(s, &db), "3");
}
