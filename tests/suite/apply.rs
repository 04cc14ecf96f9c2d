//! `canon apply` on a real server: every refusal changes nothing; an approved plan runs,
//! journaled, with a verified backup; two applies at once; privileges; the idempotent script.

use crate::common;

use common::{canon, canon_env, out, server};
use std::path::{Path, PathBuf};
use std::process::Output;

const SCHEMA: &str = "schema/arisgourmet";
const LEGACY: &str = "fixtures/legacy-src/arisgourmet-legacy.ddl.sql";

fn load(db: &str, file: &str) {
    let o = server().run_file(db, &Path::new(env!("CARGO_MANIFEST_DIR")).join(file));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// A legacy database with rows, and a plan for it written to `dir`.
fn legacy(dir: &Path, destructive: bool) -> (String, PathBuf) {
    let db = server().database("apply");
    load(&db, LEGACY);
    server().sql(&db, "INSERT INTO users (email, password_hash, full_name) VALUES ('a@x', 'h', 'Ana'), ('b@x', 'h', 'Beto'); INSERT INTO roles (name) VALUES ('admin'); INSERT INTO user_roles (user_id, role_id) VALUES (1, 1), (2, 1)");
    let plan = dir.join(format!("{db}.yaml"));
    let url = server().url(&db);
    let mut args = vec![
        "plan",
        "--schema",
        SCHEMA,
        "--target",
        &url,
        "--out",
        plan.to_str().unwrap(),
    ];
    if destructive {
        args.push("--allow-destructive");
    }
    let o = canon(&args);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    (db, plan)
}

/// How many steps a plan file has.
fn steps(plan: &Path) -> usize {
    canon::document::planfile::read(plan).unwrap().steps.len()
}

fn approve(plan: &Path) {
    let o = canon(&["approve", plan.to_str().unwrap(), "--by", "ana@dba"]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
}

fn apply(plan: &Path, db: &str, extra: &[&str]) -> Output {
    let url = server().url(db);
    let mut args = vec!["apply", plan.to_str().unwrap(), "--target", &url];
    args.extend_from_slice(extra);
    canon(&args)
}

/// Everything a refusal must leave alone: every table's definition, and no history table.
fn state(db: &str) -> (Vec<String>, String) {
    (
        server().show_create_all(db),
        server().sql(db, "SELECT COUNT(*) FROM users"),
    )
}

fn history(db: &str) -> Vec<(u32, String)> {
    server()
        .sql(
            db,
            "SELECT step_id, outcome FROM canon_history WHERE step_id > 0 ORDER BY id",
        )
        .lines()
        .map(|l| {
            let (s, o) = l.split_once('\t').unwrap();
            (s.parse().unwrap(), o.to_string())
        })
        .collect()
}

fn refused(o: &Output, words: &str) {
    assert_eq!(o.status.code(), Some(1), "{}", out(o));
    assert!(out(o).contains(words), "expected `{words}` in:\n{}", out(o));
}

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

#[test]
fn an_environment_from_canon_yaml_with_an_option_file_and_ignored_tables() {
    let dir = tempfile::tempdir().unwrap();
    let db = server().database("apply_env");
    load(&db, LEGACY);
    // A leftover of an online schema change tool: ignored by pattern, on both sides.
    server().sql(&db, "CREATE TABLE _orders_gho (id int PRIMARY KEY)");
    let cnf = dir.path().join("deploy.cnf");
    std::fs::write(&cnf, "[client]\npassword=canon-test-pw\n").unwrap();
    let cfg = dir.path().join("canon.yaml");
    std::fs::write(
        &cfg,
        format!(
            "schema: [{root}/{SCHEMA}]\nenvironments:\n  staging:\n    target: {url}\n    defaults_file: deploy.cnf\n    ignore: ['_*_gho']\n",
            root = env!("CARGO_MANIFEST_DIR"),
            url = server().tcp_url("canon", &db),
        ),
    )
    .unwrap();
    let c = cfg.to_str().unwrap();
    let plan = dir.path().join("p.yaml");
    let p = plan.to_str().unwrap();
    let o = canon(&["plan", "--config", c, "--env", "staging", "--out", p]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(!out(&o).contains("_orders_gho"), "{}", out(&o));
    approve(&plan);
    let o = canon(&["apply", p, "--config", c, "--env", "staging", "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(out(&o).contains("the live schema is the plan's expected result"));
    // What remains is only what the plan left out (destructive), never the ignored table.
    let o = canon(&["check", "--config", c, "--env", "staging"]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(
        !out(&o).contains("outbox") && !out(&o).contains("_orders_gho"),
        "{}",
        out(&o)
    );
    assert_eq!(
        server()
            .sql(&db, "SHOW TABLES LIKE '\\_orders\\_gho'")
            .trim(),
        "_orders_gho",
        "ignored tables are left alone"
    );
    // The environment forbids destructive plans, so an apply of one is refused too.
    std::fs::write(
        &cfg,
        std::fs::read_to_string(&cfg).unwrap() + "    allow_destructive: false\n",
    )
    .unwrap();
    let o = canon(&[
        "plan",
        "--config",
        c,
        "--env",
        "staging",
        "--allow-destructive",
    ]);
    refused(&o, "does not allow destructive changes");
}

#[test]
fn the_operator_script_backs_up_applies_and_validates() {
    let dir = tempfile::tempdir().unwrap();
    let (db, plan) = legacy(dir.path(), true);
    approve(&plan);
    let release = || {
        let bin = common::canon_binary();
        let path = format!(
            "{}:{}",
            bin.parent().unwrap().display(),
            std::env::var("PATH").unwrap_or_default()
        );
        std::process::Command::new("bash")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ci/apply-release.sh"))
            .arg(&plan)
            .arg(SCHEMA)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("PATH", path)
            .env("DB_HOST", "127.0.0.1")
            .env("DB_PORT", server().port.to_string())
            .env("DB_USER", "canon")
            .env("DB_PASSWORD", "canon-test-pw")
            .env("DB_NAME", &db)
            .env("BACKUP_DIR", dir.path().join("backups"))
            .output()
            .unwrap()
    };
    let run = release();
    // The plan was made over the socket; the script reaches the same database over TCP.
    assert_eq!(run.status.code(), Some(1), "{}", out(&run));
    assert!(out(&run).contains("the plan was made for"), "{}", out(&run));

    let url = server().tcp_url("canon", &db);
    let o = canon_env(
        &[
            "plan",
            "--schema",
            SCHEMA,
            "--target",
            &url,
            "--allow-destructive",
            "--out",
            plan.to_str().unwrap(),
        ],
        &[("DB_PASSWORD", "canon-test-pw")],
    );
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    approve(&plan);
    let run = release();
    assert_eq!(run.status.code(), Some(0), "{}", out(&run));
    let text = String::from_utf8_lossy(&run.stdout).to_string();
    assert!(text.contains("its schema restores identically"), "{text}");
    assert!(
        text.trim_end().ends_with("passed"),
        "validation passes: {text}"
    );
    assert!(!text.contains("canon-test-pw"));
}

#[test]
fn hostile_names_are_quoted_everywhere_plan_apply_script_and_rollback() {
    const HOSTILE: &str = "fixtures/hostile/desired.sql";
    let dir = tempfile::tempdir().unwrap();
    let db = server().database("apply_hostile");
    // What the names try to drop: still there at the end.
    server().sql(&db, "CREATE TABLE users (id int PRIMARY KEY); CREATE TABLE x (id int PRIMARY KEY); INSERT INTO users VALUES (1)");
    let url = server().url(&db);
    let plan = dir.path().join("p.yaml");
    let p = plan.to_str().unwrap();
    let o = canon(&["plan", "--schema", HOSTILE, "--target", &url, "--out", p]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    approve(&plan);
    let o = apply(&plan, &db, &["--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let drift = |label: &str| {
        let o = canon(&[
            "check", "--schema", HOSTILE, "--target", &url, "--format", "json",
        ]);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let names: Vec<String> = v["objects"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| {
                format!(
                    "{} {}",
                    o["change"].as_str().unwrap(),
                    o["object"]["name"].as_str().unwrap()
                )
            })
            .collect();
        assert_eq!(
            names,
            ["drop users", "drop x"],
            "{label}: only the sentinels differ"
        );
    };
    drift("after apply");
    // The rollback script, then the plan's script, each twice, through the mysql client.
    for (format, name) in [("rollback-sql", "back"), ("sql", "forth")] {
        let o = canon(&["show", p, "--format", format]);
        let file = dir.path().join(format!("{name}.sql"));
        std::fs::write(&file, &o.stdout).unwrap();
        for _ in 0..2 {
            let ran = server().run_file(&db, &file);
            assert!(
                ran.status.success(),
                "{name}: {}",
                String::from_utf8_lossy(&ran.stderr)
            );
        }
    }
    drift("after rollback and the script again");
    assert_eq!(server().sql(&db, "SELECT COUNT(*) FROM users").trim(), "1");
    let tables = server().sql(
        &db,
        "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()",
    );
    assert_eq!(
        tables.trim(),
        "7",
        "3 hostile tables, a view, the sentinels and canon_history"
    );
}

#[test]
fn the_password_appears_in_no_output_file_journal_or_backup() {
    const PW: &str = "Sw33p-S3cret-pw";
    let dir = tempfile::tempdir().unwrap();
    let db = server().database("apply_secret");
    load(&db, LEGACY);
    let user = format!("sweep_{}", std::process::id());
    server().sql("", &format!("CREATE USER '{user}'@'127.0.0.1' IDENTIFIED BY '{PW}'; GRANT ALL ON *.* TO '{user}'@'127.0.0.1'"));
    let in_url = format!("mysql://{user}:{PW}@127.0.0.1:{}/{db}", server().port);
    let plain = server().tcp_url(&user, &db);
    let env = [("DB_PASSWORD", PW)];
    let plan = dir.path().join("p.yaml");
    let p = plan.to_str().unwrap();
    let backups = dir.path().join("backups");
    let dumped = dir.path().join("dumped");
    let mut outputs = Vec::new();
    let mut run = |args: &[&str], with_env: bool| {
        let o = if with_env {
            canon_env(args, &env)
        } else {
            canon(args)
        };
        outputs.push((args.join(" ").replace(PW, "<pw>"), out(&o)));
        o
    };
    assert_eq!(
        run(
            &[
                "plan",
                "--schema",
                SCHEMA,
                "--target",
                &in_url,
                "--allow-destructive",
                "--out",
                p
            ],
            false
        )
        .status
        .code(),
        Some(0)
    );
    run(&["approve", p, "--by", "ana"], false);
    for format in ["text", "json", "junit", "github", "markdown"] {
        run(
            &[
                "check", "--schema", SCHEMA, "--target", &plain, "--format", format,
            ],
            true,
        );
    }
    run(
        &[
            "validate", "--schema", SCHEMA, "--target", &in_url, "--format", "json",
        ],
        false,
    );
    for format in common::SHOW_FORMATS {
        run(&["show", p, "--format", format], false);
    }
    run(
        &[
            "dump",
            "--target",
            &plain,
            "--out",
            dumped.to_str().unwrap(),
        ],
        true,
    );
    let applied = run(
        &[
            "apply",
            p,
            "--target",
            &plain,
            "--yes",
            "--backup-dir",
            backups.to_str().unwrap(),
        ],
        true,
    );
    assert_eq!(applied.status.code(), Some(0), "{}", out(&applied));
    // Error paths: a wrong password, a refused port, an unknown database.
    run(
        &[
            "check",
            "--schema",
            SCHEMA,
            "--target",
            &in_url.replace(PW, &format!("{PW}-wrong")),
        ],
        false,
    );
    run(
        &[
            "check",
            "--schema",
            SCHEMA,
            "--target",
            &format!("mysql://{user}:{PW}@127.0.0.1:1/{db}"),
        ],
        false,
    );
    run(
        &[
            "check",
            "--schema",
            SCHEMA,
            "--target",
            &in_url.replace(&db, "no_such_db"),
        ],
        false,
    );

    for (cmd, text) in &outputs {
        assert!(!text.contains(PW), "`canon {cmd}` printed the password");
    }
    let mut files = vec![plan.clone()];
    for d in [&backups, &dumped] {
        let mut stack = vec![d.clone()];
        while let Some(p) = stack.pop() {
            for e in std::fs::read_dir(&p).unwrap().flatten() {
                if e.path().is_dir() {
                    stack.push(e.path());
                } else {
                    files.push(e.path());
                }
            }
        }
    }
    assert!(files.len() > 5, "{files:?}");
    for f in &files {
        assert!(!f.display().to_string().contains(PW));
        let bytes = std::fs::read(f).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(PW),
            "{} holds the password",
            f.display()
        );
    }
    let journal = server().sql(&db, "SELECT * FROM canon_history");
    assert!(journal.lines().count() > 10 && !journal.contains(PW));
}

#[test]
fn an_assert_online_plan_carries_sizes_and_costs_and_applies_with_its_clauses() {
    let dir = tempfile::tempdir().unwrap();
    let db = server().database("online");
    server().sql(
        &db,
        "CREATE TABLE orders (id int NOT NULL PRIMARY KEY, amount int NOT NULL, note varchar(20)) ENGINE=InnoDB;
         INSERT INTO orders SELECT seq, seq % 100, 'n' FROM seq_1_to_20000;
         ANALYZE TABLE orders",
    );
    let desired = dir.path().join("want.sql");
    std::fs::write(
        &desired,
        "CREATE TABLE orders (id int NOT NULL PRIMARY KEY, amount bigint NOT NULL,
           note varchar(80), placed_at datetime DEFAULT NULL, KEY k_amount (amount)) ENGINE=InnoDB;\n",
    )
    .unwrap();
    let url = server().url(&db);
    let plan = dir.path().join("p.yaml");
    let (w, p) = (desired.to_str().unwrap(), plan.to_str().unwrap());
    let plan_online = || {
        let o = canon(&[
            "plan",
            "--schema",
            w,
            "--target",
            &url,
            "--assert-online",
            "--out",
            p,
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", out(&o));
        o
    };
    let o = plan_online();
    let text = out(&o);
    // The review shows the cost, the table's size from information_schema, and why.
    assert!(text.contains("cost: COPY, lock SHARED; ~"), "{text}");
    assert!(
        text.contains("changing the type of `amount` copies the table"),
        "{text}"
    );
    assert!(text.contains("ALGORITHM=COPY, LOCK=SHARED"), "{text}");
    let json = canon(&["show", p, "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(doc["assert_online"], true);
    let rows = doc["sizes"]["orders"]["rows"].as_u64().unwrap();
    assert!((18_000..22_000).contains(&rows), "{rows}");
    assert!(doc["sizes"]["orders"]["data_bytes"].as_u64().unwrap() > 100_000);
    assert_eq!(doc["steps"][0]["online"]["algorithm"], "copy");
    assert_eq!(doc["steps"][0]["online"]["duration"], "seconds");
    let md = canon(&["show", p, "--format", "markdown"]);
    assert!(out(&md).contains("| COPY, SHARED | ~"), "{}", out(&md));
    let html = out(&canon(&["show", p, "--format", "html"]));
    assert!(html.contains("cost: COPY, lock SHARED; ~"), "{html}");
    assert!(
        html.contains("<li>changing the type of `amount` copies the table</li>"),
        "{html}"
    );
    let script = out(&canon(&["show", p, "--format", "sql"]));
    assert!(script.contains("-- cost: COPY, lock SHARED; ~"), "{script}");

    approve(&plan);
    let o = apply(&plan, &db, &["--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let check = canon(&["check", "--schema", w, "--target", &url]);
    assert_eq!(check.status.code(), Some(0), "{}", out(&check));
    assert_eq!(
        server().sql(&db, "SELECT COUNT(*) FROM orders").trim(),
        "20000"
    );

    // The clause belongs to the typed step: a plan whose SQL lost it (edited before the
    // approval) is refused, and nothing runs.
    std::fs::write(
        &desired,
        std::fs::read_to_string(&desired)
            .unwrap()
            .replace("KEY k_amount", "extra int, KEY k_amount"),
    )
    .unwrap();
    plan_online();
    let mut doc = canon::document::planfile::read(&plan).unwrap();
    let sql = doc.steps[0].sql.clone();
    assert!(sql.ends_with(",\n  ALGORITHM=INSTANT, LOCK=NONE"), "{sql}");
    doc.steps[0].sql = sql.replace(",\n  ALGORITHM=INSTANT, LOCK=NONE", "");
    canon::document::planfile::write(&plan, &doc).unwrap();
    approve(&plan);
    let o = apply(&plan, &db, &["--yes"]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(
        out(&o).contains("step 1 of this plan says something other than canon would"),
        "{}",
        out(&o)
    );
    assert_eq!(server().sql(&db, "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND COLUMN_NAME = 'extra'").trim(), "0");
}

#[test]
fn renames_noted_in_the_ddl_keep_the_rows_and_the_old_names_readable() {
    let dir = tempfile::tempdir().unwrap();
    let db = server().database("rename");
    load(&db, "fixtures/cases/rename-with-notes/current.sql");
    server().sql(
        &db,
        "INSERT INTO clients (name, mail) VALUES ('Ana', 'ana@x'), ('Beto', 'beto@x');
         INSERT INTO orders VALUES (1, 1, 9.50), (2, 2, 12.00)",
    );
    let url = server().url(&db);
    let desired = "fixtures/cases/rename-with-notes/desired.sql";
    let plan = common::approved_plan(dir.path(), &url, &std::fs::read_to_string(desired).unwrap());
    let shown = out(&canon(&["show", plan.to_str().unwrap()]));
    assert!(
        shown.contains("RENAME TABLE `clients` TO `customers`"),
        "{shown}"
    );
    assert!(shown.contains("may be `notes` renamed"), "{shown}");
    let o = apply(&plan, &db, &["--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert_eq!(
        server().sql(&db, "SELECT full_name, email FROM customers ORDER BY id"),
        "Ana\tana@x\nBeto\tbeto@x\n"
    );
    assert_eq!(
        server().sql(&db, "SELECT customer_id, total FROM orders ORDER BY id"),
        "1\t9.50\n2\t12.00\n"
    );
    // The compatibility view answers old code under the old names.
    assert_eq!(
        server().sql(&db, "SELECT name, mail FROM clients WHERE id = 2"),
        "Beto\tbeto@x\n"
    );
    // Only the drop of `notes` (destructive, not allowed) is left; the notes now ask nothing.
    let again = canon(&[
        "plan", "--schema", desired, "--target", &url, "--format", "json",
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(doc["steps"].as_array().unwrap().len(), 0, "{}", out(&again));
    assert_eq!(doc["left_out"][0]["summary"], "drop table `notes`");
}

/// pt-online-schema-change, which ./scripts/test installs (Debian: percona-toolkit).
fn pt_osc_installed() {
    let found = std::process::Command::new("pt-online-schema-change")
        .arg("--version")
        .output();
    assert!(
        found.is_ok_and(|o| o.status.success()),
        "pt-online-schema-change is needed: apt-get install percona-toolkit (./scripts/test does)"
    );
}

#[test]
fn a_large_rebuild_runs_through_pt_online_schema_change_and_a_failing_one_changes_nothing() {
    pt_osc_installed();
    let dir = tempfile::tempdir().unwrap();
    let db = server().database("osc");
    server().sql(
        &db,
        "CREATE TABLE big (id int NOT NULL PRIMARY KEY, amount int NOT NULL, note varchar(20)) ENGINE=InnoDB;
         INSERT INTO big SELECT seq, seq % 100, 'n' FROM seq_1_to_30000;
         ANALYZE TABLE big",
    );
    let url = server().url(&db);
    let desired = dir.path().join("want.sql");
    std::fs::write(
        &desired,
        "CREATE TABLE big (id int NOT NULL PRIMARY KEY, amount bigint NOT NULL, note varchar(20)) ENGINE=InnoDB;\n",
    )
    .unwrap();
    let plan = dir.path().join("p.yaml");
    let (w, p) = (desired.to_str().unwrap(), plan.to_str().unwrap());
    let make_plan = || {
        let o = canon(&[
            "plan",
            "--schema",
            w,
            "--target",
            &url,
            "--osc-min-rows",
            "10000",
            "--out",
            p,
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", out(&o));
        approve(&plan);
        out(&o)
    };
    let rows = || server().sql(&db, "SELECT COUNT(*), SUM(amount) FROM big");
    let big = || server().sql(&db, "SHOW CREATE TABLE big");
    let before = (big(), rows());

    // A trigger on the table: the tool refuses (it needs its own), the table stays as it was.
    server().sql(
        &db,
        "CREATE TRIGGER big_ins BEFORE INSERT ON big FOR EACH ROW SET NEW.note = 'x'",
    );
    let shown = make_plan();
    assert!(
        shown.contains("runs as: pt-online-schema-change --alter 'MODIFY COLUMN `amount` bigint(20) NOT NULL' --execute --progress time,5 'D=<database>,t=big'"),
        "{shown}"
    );
    let o = apply(&plan, &db, &["--yes"]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(
        out(&o).contains("step 1 (table `big`) failed: pt-online-schema-change failed"),
        "{}",
        out(&o)
    );
    assert!(out(&o).contains("triggers"), "{}", out(&o));
    assert_eq!((big(), rows()), before);
    assert_eq!(history(&db), vec![(1, "failed".to_string())]);
    server().sql(&db, "DROP TRIGGER big_ins");

    // The tool missing (an empty PATH directory): refused before any step.
    let empty = tempfile::tempdir().unwrap();
    let o = common::canon_env(
        &["apply", p, "--target", &url, "--yes"],
        &[("PATH", empty.path().to_str().unwrap())],
    );
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(
        out(&o).contains("pt-online-schema-change, but it is not installed here"),
        "{}",
        out(&o)
    );

    // Then it runs: rows copied in the background, the table swapped in, journaled.
    let o = apply(&plan, &db, &["--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(
        out(&o).contains("pt-online-schema-change: Successfully altered"),
        "{}",
        out(&o)
    );
    assert_eq!(rows(), before.1);
    let check = canon(&["check", "--schema", w, "--target", &url]);
    assert_eq!(check.status.code(), Some(0), "{}", out(&check));
    assert_eq!(history(&db).last(), Some(&(1, "done".to_string())));
    // Below the threshold the same change stays in the server.
    let o = canon(&["plan", "--schema", w, "--target", &url, "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(doc["steps"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s.get("osc").is_none()));
}
