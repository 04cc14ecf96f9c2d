//! `canon plan --targets`: databases grouped by where they start, one plan per group listing
//! its databases; and the fleet commands' helpers that `fleet_apply` shares.

use crate::common;
use common::*;
use std::path::Path;

/// The canonical schema: two tables, each with a unique key.
pub const DESIRED: &str = "CREATE TABLE a (id int NOT NULL PRIMARY KEY, name varchar(20), UNIQUE KEY uq_a (name)) ENGINE=InnoDB;\n\
CREATE TABLE b (id int NOT NULL PRIMARY KEY, name varchar(20), UNIQUE KEY uq_b (name)) ENGINE=InnoDB;\n";
/// Start A: both tables without their keys (the plan adds `uq_a`, then `uq_b`).
pub const AT_A: &str =
    "CREATE TABLE a (id int NOT NULL PRIMARY KEY, name varchar(20)) ENGINE=InnoDB;\n\
CREATE TABLE b (id int NOT NULL PRIMARY KEY, name varchar(20)) ENGINE=InnoDB;\n";
/// Start B: table `b` missing.
pub const AT_B: &str =
    "CREATE TABLE a (id int NOT NULL PRIMARY KEY, name varchar(20)) ENGINE=InnoDB;\n";

/// A new database holding `ddl`.
pub fn db_at(prefix: &str, ddl: &str) -> String {
    let db = server().database(prefix);
    server().sql(&db, ddl);
    db
}

/// `dir/want.sql` with the canonical schema, and `dir/targets.txt` listing `entries`.
pub fn fleet_files(dir: &Path, entries: &[String]) -> (String, String) {
    let want = dir.join("want.sql");
    std::fs::write(&want, DESIRED).unwrap();
    let list = dir.join("targets.txt");
    std::fs::write(&list, format!("# the fleet\n{}\n", entries.join("\n"))).unwrap();
    (want.display().to_string(), list.display().to_string())
}

/// The harness's URLs of `dbs`.
pub fn urls(dbs: &[String]) -> Vec<String> {
    dbs.iter().map(|d| server().url(d)).collect()
}

/// A command's JSON output; its whole output when that is not JSON.
pub fn json_of(o: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|_| panic!("{}", out(o)))
}

/// What canon shows for a database of the harness's server.
pub fn label(db: &str) -> String {
    let o = canon(&[
        "check",
        "--schema",
        "schema/arisgourmet",
        "--target",
        &server().url(db),
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_default();
    match v["target"].as_str() {
        Some(t) => t.to_string(),
        None => panic!("no label for {db}: {}", out(&o)),
    }
}

/// A fleet ready to apply: in a new directory, the canonical schema, the list of `entries`,
/// and the approved plan of the first entry's group (`plan --targets` into `dir/plans`).
pub struct Ready {
    pub dir: tempfile::TempDir,
    pub list: String,
    pub plan: String,
}

pub fn ready(entries: &[String]) -> Ready {
    let dir = tempfile::tempdir().unwrap();
    let (want, list) = fleet_files(dir.path(), entries);
    let plans = dir.path().join("plans").display().to_string();
    let args = [
        "plan",
        "--schema",
        &want,
        "--targets",
        &list,
        "--out",
        &plans,
        "--format",
        "json",
    ];
    let v = json_of(&canon(&args));
    // Groups come in the order of their first database.
    let plan = v["groups"][0]["plan"].as_str().unwrap().to_string();
    let o = canon(&["approve", &plan, "--by", "ana@dba"]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    Ready { dir, list, plan }
}

#[test]
fn plan_groups_databases_by_where_they_start() {
    let (a1, a2) = (db_at("fleet_g", AT_A), db_at("fleet_g", AT_A));
    let b1 = db_at("fleet_g", AT_B);
    let c1 = db_at("fleet_g", DESIRED);
    let dir = tempfile::tempdir().unwrap();
    let gone = "mysql://root@127.0.0.1:1/gone?timeout=2".to_string();
    let entries = [&a1, &b1, &a2, &c1].map(|d| server().url(d));
    let mut listed = entries.to_vec();
    listed.push(gone);
    let (want, list) = fleet_files(dir.path(), &listed);
    let plans = dir.path().join("plans");
    let p = plans.to_str().unwrap();

    let o = canon(&["plan", "--schema", &want, "--targets", &list, "--out", p]);
    let text = out(&o);
    assert_eq!(o.status.code(), Some(1), "one is unreachable: {text}");
    assert!(
        text.contains("5 database(s): 2 at ")
            && text.contains(", 1 at ")
            && text.contains("1 at the canonical schema, 1 could not be read; 2 plan(s) written"),
        "{text}"
    );
    assert!(text.contains("127.0.0.1:1/gone"), "{text}");

    // The same list from an inventory command: the same groups.
    let o = canon(&[
        "plan",
        "--schema",
        &want,
        "--targets-cmd",
        &format!("cat '{list}'"),
        "--out",
        p,
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    let v: serde_json::Value = json_of(&o);
    let groups = v["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 2, "{v}");
    let names = |g: &serde_json::Value| -> Vec<String> {
        g["databases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d.as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names(&groups[0]), vec![label(&a1), label(&a2)]);
    assert_eq!(names(&groups[1]), vec![label(&b1)]);
    assert_eq!(v["canonical"], serde_json::json!([label(&c1)]));
    assert_eq!(v["failed"][0]["target"], "127.0.0.1:1/gone");

    // Each plan file lists its databases, starts where they are, and leads to the canonical schema.
    for (g, db) in [(&groups[0], &a1), (&groups[1], &b1)] {
        let plan = g["plan"].as_str().unwrap();
        let o = canon(&["show", plan, "--format", "json"]);
        let doc: serde_json::Value = json_of(&o);
        assert_eq!(
            doc["source"]["databases"].as_array().map(|a| a.len()),
            Some(names(g).len())
        );
        assert_eq!(doc["fingerprints"]["current"], g["fingerprint"]);
        let single = canon(&[
            "plan",
            "--schema",
            &want,
            "--target",
            &server().url(db),
            "--format",
            "json",
        ]);
        let one: serde_json::Value = json_of(&single);
        assert_eq!(
            doc["steps"], one["steps"],
            "the group's plan is each database's plan"
        );
        let o = canon(&["show", plan]);
        assert!(
            out(&o).contains(&format!(
                "databases: {} at this starting schema",
                names(g).len()
            )),
            "{}",
            out(&o)
        );
    }
    assert_eq!(std::fs::read_dir(&plans).unwrap().count(), 2);

    // Without --out there is nowhere to write the plans.
    let o = canon(&["plan", "--schema", &want, "--targets", &list]);
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("give --out DIRECTORY"), "{}", out(&o));
    // An inventory command that fails is an error, and its text is not repeated.
    let o = canon(&[
        "plan",
        "--schema",
        &want,
        "--targets-cmd",
        "echo pw-in-cmd; exit 3",
        "--out",
        p,
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        out(&o).contains("--targets-cmd failed") && !out(&o).contains("pw-in-cmd"),
        "{}",
        out(&o)
    );
}
