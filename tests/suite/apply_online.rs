//! `canon apply` that keeps tables usable: an `--assert-online` plan with sizes, costs and its
//! clauses, renames that keep the rows and the old names readable, and large rebuilds through
//! pt-online-schema-change.

use crate::apply_common::{apply, approve, history, load};
use crate::common;
use common::{canon, out, server};

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

    // A table with a trigger is not routed to the tool (its copy would lose the trigger): the
    // step stays in the server, and the plan says why, by name.
    server().sql(
        &db,
        "CREATE TRIGGER big_ins BEFORE INSERT ON big FOR EACH ROW SET NEW.note = 'x'",
    );
    let shown = make_plan();
    assert!(
        !shown.contains("runs as: pt-online-schema-change"),
        "{shown}"
    );
    assert!(
        shown.contains("table `big` is large (~") && shown.contains("but has triggers (`big_ins`)"),
        "{shown}"
    );
    server().sql(&db, "DROP TRIGGER big_ins");

    // A trigger holding the name the tool gives its own (pt_osc_DB_TABLE_ins, on another
    // table): the tool fails half way and cleans up; the table stays as it was. (A trigger on
    // `big` itself would keep the step in the server: triggers are not moved to a copy.)
    server().sql(
        &db,
        &format!(
            "CREATE TABLE blocker (id int);
             CREATE TRIGGER pt_osc_{db}_big_ins AFTER INSERT ON blocker FOR EACH ROW SET @x = 1"
        ),
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
    // Without the blocker the database is no longer where the plan started: planned again.
    server().sql(&db, "DROP TABLE blocker");
    make_plan();

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
