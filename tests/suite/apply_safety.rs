//! What `canon apply` writes is safe: hostile names are quoted in the plan, the apply, the
//! script and the rollback, and the password is in no output, file, journal or backup.

use crate::apply_common::{apply, approve, load, LEGACY, SCHEMA};
use crate::common;
use common::{canon, canon_env, out, server};

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
