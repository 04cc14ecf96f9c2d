//! `canon apply` as operators run it: a target environment from `canon.yaml` (option file,
//! ignored tables), and the operator script that backs up, applies and validates.

use crate::apply_common::{approve, legacy, load, refused, LEGACY, SCHEMA};
use crate::common;
use common::{canon, canon_env, out, server};
use std::path::Path;

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
