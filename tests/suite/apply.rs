//! `canon apply` on a real server: every refusal changes nothing; an approved plan runs,
//! journaled, with a verified backup; two applies at once; privileges; the idempotent script.

use crate::apply_common::{
    apply, approve, history, legacy, load, refused, state, steps, LEGACY, SCHEMA,
};
use crate::common;
use common::{canon, canon_env, out, server};
use std::path::PathBuf;
use std::process::Output;

#[test]
fn every_refusal_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (db, plan) = legacy(dir.path(), true);
    let before = state(&db);

    refused(&apply(&plan, &db, &["--yes"]), "this plan has no approval");
    approve(&plan);
    // Destructive steps need a backup, or an explicit --no-backup.
    refused(
        &apply(&plan, &db, &["--yes"]),
        "11 destructive step(s) and no backup",
    );
    // No terminal to ask on, and no --yes.
    refused(
        &apply(&plan, &db, &["--no-backup"]),
        "no terminal to ask on",
    );
    // Another database, even one with the same schema, needs --retarget.
    let other = server().database("apply_other");
    load(&other, LEGACY);
    refused(
        &apply(&plan, &other, &["--yes", "--no-backup"]),
        "the plan was made for",
    );
    // A dump file is not a database.
    refused(
        &canon(&[
            "apply",
            plan.to_str().unwrap(),
            "--target",
            "fixtures/arisgourmet-legacy.sql",
        ]),
        "apply runs against a live database",
    );
    // Edited after approval: one character of SQL.
    let text = std::fs::read_to_string(&plan).unwrap();
    let edited = dir.path().join("edited.yaml");
    std::fs::write(
        &edited,
        text.replacen("DROP VIEW `pedidos`", "DROP VIEW `platos`", 1),
    )
    .unwrap();
    refused(
        &apply(&edited, &db, &["--yes", "--no-backup"]),
        "edited after ana@dba approved it",
    );
    // Stale: the database moved after the plan was made; the refusal says what moved.
    server().sql(
        &db,
        "ALTER TABLE users ADD COLUMN nickname varchar(20); CREATE TABLE audit (id int PRIMARY KEY)",
    );
    let moved = state(&db);
    let o = apply(&plan, &db, &["--yes", "--no-backup"]);
    refused(&o, "its schema changed since the plan was made");
    for what in [
        "table `users` was altered",
        "+ `nickname` varchar(20) DEFAULT NULL",
        "table `audit` was created",
    ] {
        assert!(out(&o).contains(what), "expected `{what}` in:\n{}", out(&o));
    }
    assert_eq!(out(&o).matches("  - table ").count(), 2, "{}", out(&o));
    assert_eq!(state(&db), moved, "a stale plan changes nothing");
    server().sql(
        &db,
        "ALTER TABLE users DROP COLUMN nickname; DROP TABLE audit",
    );
    assert_eq!(state(&db), before, "no refusal changed the database");
    let tables = server().sql(&db, "SHOW TABLES LIKE 'canon_history'");
    assert!(tables.trim().is_empty(), "no refusal wrote history");
    // Bad password: exit 1, the password never shown.
    let bad = format!(
        "mysql://canon:Wr0ng-S3cret@127.0.0.1:{}/{db}",
        server().port
    );
    let o = canon(&[
        "apply",
        plan.to_str().unwrap(),
        "--target",
        &bad,
        "--yes",
        "--no-backup",
        "--retarget",
    ]);
    refused(&o, "access denied");
    assert!(!out(&o).contains("Wr0ng-S3cret"));
}

#[test]
fn an_approved_plan_runs_with_a_verified_backup_and_is_journaled() {
    let dir = tempfile::tempdir().unwrap();
    let (db, plan) = legacy(dir.path(), true);
    approve(&plan);
    let backups = dir.path().join("backups");
    let o = apply(
        &plan,
        &db,
        &[
            "--yes",
            "--backup-dir",
            backups.to_str().unwrap(),
            "--operator",
            "op1",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let report = String::from_utf8_lossy(&o.stdout).to_string();
    let n = steps(&plan);
    assert!(n > 20, "the destructive legacy plan has {n} steps");
    assert!(report.contains(&format!("{n} of {n} run now")), "{report}");
    assert!(
        report.contains("no drift: the database matches the canonical schema"),
        "{report}"
    );
    assert!(
        report.contains("its schema restores identically"),
        "{report}"
    );

    // The backup: one file, complete, its sha256 journaled.
    let files: Vec<PathBuf> = std::fs::read_dir(&backups)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1);
    let dump = std::fs::read_to_string(&files[0]).unwrap();
    assert!(dump.contains("INSERT INTO `users`") && dump.trim_end().ends_with("-- Dump completed"));
    let journal = server().sql(
        &db,
        "SELECT sql_text, detail, operator FROM canon_history WHERE step_id = 0",
    );
    assert!(
        journal.contains(files[0].to_str().unwrap()) && journal.contains("op1"),
        "{journal}"
    );
    let sha = std::process::Command::new("sha256sum")
        .arg(&files[0])
        .output()
        .unwrap();
    let sha = String::from_utf8_lossy(&sha.stdout);
    assert!(
        journal.contains(sha.split_whitespace().next().unwrap()),
        "{journal}"
    );
    let scratch = server().sql("", "SHOW DATABASES LIKE 'canon\\_verify%'");
    assert!(
        scratch.trim().is_empty(),
        "the scratch database is dropped: {scratch}"
    );

    // Every step once, in order; rows kept; no drift; the history table is not drift.
    let h = history(&db);
    assert_eq!(
        h,
        (1..=n as u32)
            .map(|i| (i, "done".to_string()))
            .collect::<Vec<_>>()
    );
    assert_eq!(server().sql(&db, "SELECT COUNT(*) FROM users").trim(), "2");
    assert_eq!(
        server().sql(&db, "SELECT COUNT(*) FROM user_roles").trim(),
        "2"
    );
    let url = server().url(&db);
    let check = canon(&["check", "--schema", SCHEMA, "--target", &url]);
    assert_eq!(check.status.code(), Some(0), "{}", out(&check));

    // Running it again does nothing and says so.
    let again = apply(&plan, &db, &["--yes", "--no-backup"]);
    assert_eq!(again.status.code(), Some(0), "{}", out(&again));
    assert!(
        out(&again).contains(&format!("0 of {n} run now"))
            && out(&again).contains(&format!("{n} applied before"))
    );
    assert_eq!(history(&db).len(), n);

    // The rollback script takes it back to the legacy schema, rows kept where they can be.
    let back = canon(&["show", plan.to_str().unwrap(), "--format", "rollback-sql"]);
    let file = dir.path().join("rollback.sql");
    std::fs::write(&file, &back.stdout).unwrap();
    let ran = server().run_file(&db, &file);
    assert!(
        ran.status.success(),
        "{}",
        String::from_utf8_lossy(&ran.stderr)
    );
    let check = canon(&["check", "--schema", LEGACY, "--target", &url]);
    assert_eq!(check.status.code(), Some(0), "{}", out(&check));
    assert_eq!(server().sql(&db, "SELECT COUNT(*) FROM users").trim(), "2");
}

#[test]
fn a_script_run_by_hand_half_way_is_found_and_the_rest_applied() {
    let dir = tempfile::tempdir().unwrap();
    let (db, plan) = legacy(dir.path(), false);
    approve(&plan);
    let script = canon(&["show", plan.to_str().unwrap(), "--format", "sql"]);
    let text = String::from_utf8_lossy(&script.stdout).to_string();
    let half = &text[..text.find("\n-- step 4:").unwrap()];
    let file = dir.path().join("half.sql");
    std::fs::write(&file, half).unwrap();
    assert!(server().run_file(&db, &file).status.success());
    let o = apply(&plan, &db, &["--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(
        out(&o).contains("3 found applied outside canon"),
        "{}",
        out(&o)
    );
    assert_eq!(history(&db).len(), steps(&plan));
    // And the whole script again, after all that, still runs cleanly.
    let file = dir.path().join("whole.sql");
    std::fs::write(&file, &text).unwrap();
    let ran = server().run_file(&db, &file);
    assert!(
        ran.status.success(),
        "{}",
        String::from_utf8_lossy(&ran.stderr)
    );
}

#[test]
fn a_user_without_alter_is_refused_with_the_grant_to_run() {
    let dir = tempfile::tempdir().unwrap();
    let db = server().database("apply_priv");
    server().sql(&db, "CREATE TABLE t (id int PRIMARY KEY)");
    let want = dir.path().join("want.sql");
    std::fs::write(
        &want,
        "CREATE TABLE t (id int PRIMARY KEY, name varchar(20));\n",
    )
    .unwrap();
    let user = format!("lim_{}", std::process::id());
    server().sql(
        "",
        &format!(
            "CREATE USER '{user}'@'127.0.0.1' IDENTIFIED BY 'Lim-pw-9'; \
             GRANT SELECT, INSERT, UPDATE, CREATE, DROP ON `{db}`.* TO '{user}'@'127.0.0.1'"
        ),
    );
    let url = server().tcp_url(&user, &db);
    let env = [("DB_PASSWORD", "Lim-pw-9")];
    let plan = dir.path().join("p.yaml");
    let p = plan.to_str().unwrap();
    let w = want.to_str().unwrap();
    let o = canon_env(&["plan", "--schema", w, "--target", &url, "--out", p], &env);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    approve(&plan);
    let o = canon_env(&["apply", p, "--target", &url, "--yes"], &env);
    refused(&o, "lacks privileges the plan needs: ALTER");
    assert!(
        out(&o).contains(&format!(
            "GRANT ALTER ON `{}`.* TO '{user}'@'127.0.0.1';",
            db.replace('_', "\\_")
        )),
        "{}",
        out(&o)
    );
    assert!(!out(&o).contains("Lim-pw-9"));
    assert_eq!(
        server().sql(&db, "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't'").trim(),
        "1",
        "nothing changed"
    );
    server().sql(
        "",
        &format!("GRANT ALTER ON `{db}`.* TO '{user}'@'127.0.0.1'"),
    );
    let o = canon_env(&["apply", p, "--target", &url, "--yes"], &env);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
}

#[test]
fn two_applies_at_once_one_proceeds_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = server().database("apply_lock");
    // One slow step: rebuilding a table of 300,000 rows.
    server().big_table(&db);
    let url = server().url(&db);
    let plan = common::approved_plan(
        dir.path(),
        &url,
        "CREATE TABLE big (id int PRIMARY KEY, v varchar(200) NOT NULL, w int);\n",
    );
    let p = plan.to_str().unwrap();
    let first = std::process::Command::new(common::canon_binary())
        .args(["apply", p, "--target", &url, "--yes"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while !server()
        .sql("", &format!("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '{db}' AND TABLE_NAME = 'canon_history'"))
        .starts_with('1')
        || server().sql(&db, "SELECT COUNT(*) FROM canon_history WHERE outcome = 'running'").trim() != "1"
    {
        assert!(start.elapsed().as_secs() < 30, "the first apply never started its step");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let second = apply(&plan, &db, &["--yes"]);
    refused(&second, "another apply is running");
    assert!(
        out(&second).contains("the lock is held by connection"),
        "{}",
        out(&second)
    );
    let first = first.wait_with_output().unwrap();
    assert_eq!(first.status.code(), Some(0), "{}", out(&first));
    assert_eq!(history(&db), vec![(1, "done".to_string())]);
    assert_eq!(
        server().sql(&db, "SELECT COUNT(*) FROM big").trim(),
        "300000"
    );
}

#[test]
fn a_step_blocked_by_a_long_transaction_fails_cleanly_and_a_rerun_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let db = server().database("apply_mdl");
    server().sql(
        &db,
        "CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1)",
    );
    let url = server().url(&db);
    let plan = common::approved_plan(
        dir.path(),
        &url,
        "CREATE TABLE t (id int PRIMARY KEY, note varchar(20));\n",
    );
    // An application's transaction that read `t` and stays open: it holds a metadata lock.
    let holder = server().background(
        &db,
        "START TRANSACTION; SELECT * FROM t; SELECT SLEEP(9); COMMIT",
    );
    std::thread::sleep(std::time::Duration::from_millis(3200));
    let o = apply(&plan, &db, &["--yes", "--lock-wait-timeout", "1"]);
    refused(&o, "step 1 (table `t`) failed: ");
    assert!(
        out(&o).contains("Lock wait timeout exceeded"),
        "{}",
        out(&o)
    );
    assert!(
        out(&o).contains("warning: transaction of connection"),
        "the blocker is reported: {}",
        out(&o)
    );
    assert_eq!(history(&db), vec![(1, "failed".to_string())]);
    let _ = holder.wait_with_output();
    let o = apply(&plan, &db, &["--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert_eq!(
        history(&db),
        vec![(1, "failed".to_string()), (1, "done".to_string())]
    );
}

/// Run `canon args` on a pseudo-terminal (util-linux `script`), typing `answer` at its prompt.
fn on_terminal(args: &[&str], answer: &str) -> Output {
    let cmd = std::iter::once(common::canon_binary().display().to_string())
        .chain(args.iter().map(|a| format!("'{a}'")))
        .collect::<Vec<_>>()
        .join(" ");
    let mut child = std::process::Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("util-linux `script` runs");
    std::thread::sleep(std::time::Duration::from_millis(1500));
    use std::io::Write;
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(format!("{answer}\n").as_bytes()).unwrap();
    drop(stdin);
    child.wait_with_output().unwrap()
}

#[test]
fn on_a_terminal_apply_asks_first_and_no_means_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let (db, plan) = legacy(dir.path(), false);
    approve(&plan);
    let before = state(&db);
    let url = server().url(&db);
    let args = ["apply", plan.to_str().unwrap(), "--target", &url];
    let no = on_terminal(&args, "n");
    assert_eq!(no.status.code(), Some(1), "{}", out(&no));
    assert!(
        out(&no).contains(&format!(
            "{} step(s) to run (0 destructive), approved by ana@dba? [y/N]",
            steps(&plan)
        )),
        "{}",
        out(&no)
    );
    assert!(
        out(&no).contains("not confirmed: nothing was changed"),
        "{}",
        out(&no)
    );
    assert_eq!(state(&db), before);
    let yes = on_terminal(&args, "y");
    assert_eq!(yes.status.code(), Some(0), "{}", out(&yes));
    assert_eq!(history(&db).len(), steps(&plan));
}
