//! What the `apply` modules share: a legacy database with rows and a plan for it, approving and
//! applying a plan, and the state a refusal must leave alone.

use crate::common::{canon, out, server};
use std::path::{Path, PathBuf};
use std::process::Output;

pub const SCHEMA: &str = "schema/arisgourmet";
pub const LEGACY: &str = "fixtures/legacy-src/arisgourmet-legacy.ddl.sql";

pub fn load(db: &str, file: &str) {
    let o = server().run_file(db, &Path::new(env!("CARGO_MANIFEST_DIR")).join(file));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// A legacy database with rows, and a plan for it written to `dir`.
pub fn legacy(dir: &Path, destructive: bool) -> (String, PathBuf) {
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
pub fn steps(plan: &Path) -> usize {
    canon::document::planfile::read(plan).unwrap().steps.len()
}

pub fn approve(plan: &Path) {
    let o = canon(&["approve", plan.to_str().unwrap(), "--by", "ana@dba"]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
}

pub fn apply(plan: &Path, db: &str, extra: &[&str]) -> Output {
    let url = server().url(db);
    let mut args = vec!["apply", plan.to_str().unwrap(), "--target", &url];
    args.extend_from_slice(extra);
    canon(&args)
}

/// Everything a refusal must leave alone: every table's definition, and no history table.
pub fn state(db: &str) -> (Vec<String>, String) {
    (
        server().show_create_all(db),
        server().sql(db, "SELECT COUNT(*) FROM users"),
    )
}

pub fn history(db: &str) -> Vec<(u32, String)> {
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

pub fn refused(o: &Output, words: &str) {
    assert_eq!(o.status.code(), Some(1), "{}", out(o));
    assert!(out(o).contains(words), "expected `{words}` in:\n{}", out(o));
}
