//! The `canon` binary as users and CI scripts run it: output, files and exit codes.

use crate::cli_common::{canon, stderr, stdout, CANONICAL_DUMP, LEGACY, SCHEMA};
use std::path::Path;

#[test]
fn quick_start_plans_the_example_without_a_server() {
    let o = canon(&["plan", "--schema", SCHEMA, "--target", LEGACY]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    for expected in [
        "create table `outbox`",
        "create table `refresh_tokens`",
        "add primary key",
        "ALTER TABLE `user_roles`",
        "drop view `pedidos` — drops the view",
        "makes the integer unsigned",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
    assert!(
        !out.contains('\u{1b}'),
        "no colour codes when stdout is not a terminal"
    );
}

#[test]
fn check_exits_2_on_drift_and_0_when_clean() {
    let drift = canon(&["check", "--schema", SCHEMA, "--target", LEGACY]);
    assert_eq!(drift.status.code(), Some(2));
    assert!(stdout(&drift).contains("table `outbox` (missing, will be created)"));
    let clean = canon(&["check", "--schema", SCHEMA, "--target", CANONICAL_DUMP]);
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{}{}",
        stdout(&clean),
        stderr(&clean)
    );

    let json = canon(&[
        "check", "--schema", SCHEMA, "--target", LEGACY, "--format", "json",
    ]);
    assert_eq!(json.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("valid JSON");
    assert_eq!(v["drift"], true);
    let names: Vec<&str> = v["objects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["object"]["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"outbox")
            && names.contains(&"refresh_tokens")
            && names.contains(&"pedidos")
    );
}

#[test]
fn a_saved_plan_shows_the_same_review_and_a_client_script() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plan.yaml");
    let f = file.to_str().unwrap();
    let planned = canon(&["plan", "--schema", SCHEMA, "--target", LEGACY, "--out", f]);
    assert_eq!(planned.status.code(), Some(0));
    let yaml = std::fs::read_to_string(&file).unwrap();
    assert!(
        yaml.contains("format: 2") && yaml.contains("fingerprints:") && yaml.contains("rollback:"),
        "{yaml}"
    );

    let shown = canon(&["show", f]);
    assert_eq!(
        stdout(&shown),
        stdout(&planned),
        "show renders the plan exactly as planned"
    );

    let sql = stdout(&canon(&["show", f, "--format", "sql"]));
    assert!(sql.starts_with("-- canon ") && sql.contains("-- current fingerprint:"));
    assert!(sql.contains("CREATE TABLE `outbox`") && sql.contains("-- left out: view `pedidos`"));
    let md = stdout(&canon(&["show", f, "--format", "markdown"]));
    assert!(md.contains("```diff") && md.contains("| # | object |"));
    let json: serde_json::Value =
        serde_json::from_slice(&canon(&["show", f, "--format", "json"]).stdout).unwrap();
    assert_eq!(json["format"], 2);
    let back = stdout(&canon(&["show", f, "--format", "rollback-sql"]));
    assert!(
        back.contains("-- canon 0.1.0 rollback") && back.contains("DROP TABLE `outbox`"),
        "{back}"
    );
}

#[test]
fn malformed_ddl_is_an_error_with_file_line_and_span() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.sql");
    std::fs::write(&bad, "CREATE TABLE ok1 (id int PRIMARY KEY);\n\nCREATE TABLE t (\n  id int PRIMARY KEY,\n  name varchar(20) NOT NULL DEFALT 'x'\n);\n").unwrap();
    let o = canon(&[
        "plan",
        "--schema",
        bad.to_str().unwrap(),
        "--target",
        LEGACY,
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("bad.sql:5:29"), "{err}");
    assert!(err.contains("unknown column attribute `DEFALT`"), "{err}");
    assert!(stdout(&o).is_empty(), "no plan is printed on error");
}

#[test]
fn what_is_not_schema_is_skipped_with_one_warning_per_kind() {
    let dir = tempfile::tempdir().unwrap();
    let canonical = dir.path().join("c.sql");
    std::fs::write(
        &canonical,
        "CREATE TABLE t (id int PRIMARY KEY);\nINSERT INTO t VALUES (1) ON DUPLICATE KEY UPDATE id = id;\nINSERT INTO t VALUES (2);\nGRANT ALL ON *.* TO 'x'@'%';\nCREATE USER 'y'@'%';\nDELIMITER ;;\nCREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.id = NEW.id + 1; END ;;\nDELIMITER ;\n",
    )
    .unwrap();
    let dump = dir.path().join("d.sql");
    std::fs::write(
        &dump,
        "CREATE TABLE `t` (`id` int(11) NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;\nLOCK TABLES `t` WRITE;\n/*!40000 ALTER TABLE `t` DISABLE KEYS */;\nINSERT INTO `t` VALUES (1),(2);\n/*!40000 ALTER TABLE `t` ENABLE KEYS */;\nUNLOCK TABLES;\nDELIMITER ;;\n/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER trg BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.id = NEW.id + 1; END */;;\nDELIMITER ;\n",
    )
    .unwrap();
    let args = [
        "--schema",
        canonical.to_str().unwrap(),
        "--target",
        dump.to_str().unwrap(),
    ];
    let o = canon(&[&["check"][..], &args].concat());
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let plan = canon(&[&["plan"][..], &args].concat());
    let out = stdout(&plan);
    for warning in [
        "2 INSERT statements skipped (the first one shown): canon manages the schema, it never loads data (canonical, ",
        "c.sql:2)",
        "1 GRANT statement skipped (the first one shown): users and grants",
        "1 CREATE USER statement skipped",
        "1 INSERT statement skipped (the first one shown): data, not schema (target, ",
        "d.sql:4)",
        "1 LOCK TABLES statement skipped",
        "1 UNLOCK TABLES statement skipped",
    ] {
        assert!(out.contains(warning), "{warning:?} in {out}");
    }
}

#[test]
fn bad_command_lines_and_files_exit_1_never_2() {
    let cases: &[&[&str]] = &[
        &[
            "plan",
            "--schema",
            SCHEMA,
            "--target",
            LEGACY,
            "--flavor",
            "oracle-19",
        ],
        &[
            "plan",
            "--schema",
            SCHEMA,
            "--target",
            "fixtures/does-not-exist.sql",
        ],
        &["plan", "--schema", "no/such/dir", "--target", LEGACY],
        &["check", "--schema", SCHEMA],
        &[
            "plan",
            "--schema",
            SCHEMA,
            "--target",
            LEGACY,
            "--osc-tool",
            "gh-ghost",
        ],
        &[
            "check",
            "--schema",
            SCHEMA,
            "--target",
            "mysql://u@127.0.0.1/db?timeout=0",
        ],
        &["show", "fixtures/does-not-exist.yaml"],
        &["show", "Cargo.toml"],
        &["frobnicate"],
    ];
    for args in cases {
        let o = canon(args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).is_empty(), "{args:?} says why");
    }
    assert!(Path::new(env!("CARGO_MANIFEST_DIR")).join(LEGACY).exists());
}

#[test]
fn approvals_bind_to_the_reviewed_plan_and_edits_void_them() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plan.yaml");
    let f = file.to_str().unwrap();
    assert_eq!(
        canon(&["plan", "--schema", SCHEMA, "--target", LEGACY, "--out", f])
            .status
            .code(),
        Some(0)
    );
    let approved = canon(&["approve", f, "--by", "ana@dba", "--note", "CHG-42"]);
    assert_eq!(approved.status.code(), Some(0), "{}", stderr(&approved));
    assert!(stdout(&approved).starts_with("approved by ana@dba"));
    let shown = stdout(&canon(&["show", f]));
    assert!(
        shown.contains("approved by ana@dba at 20") && shown.contains(": CHG-42"),
        "{shown}"
    );
    assert!(!shown.contains("VOID"));
    assert!(stdout(&canon(&["show", f, "--format", "sql"])).contains("-- approved by ana@dba"));
    let again = canon(&["approve", f, "--by", "ana@dba"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("already approved"));

    // Someone edits a step's SQL after the approval.
    let yaml = std::fs::read_to_string(&file).unwrap();
    let steps = yaml.find("\nsteps:").expect("a steps section");
    let (head, tail) = yaml.split_at(steps);
    let edited = format!(
        "{head}{}",
        tail.replacen("CREATE TABLE `outbox`", "CREATE TABLE `outbox_x`", 1)
    );
    assert_ne!(yaml, edited);
    std::fs::write(&file, edited).unwrap();
    let shown = stdout(&canon(&["show", f]));
    assert!(
        shown.contains("(VOID: the plan was edited after this approval)"),
        "{shown}"
    );
    let refused = canon(&["approve", f, "--by", "beto"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("edited after ana@dba approved it"),
        "{}",
        stderr(&refused)
    );
}

#[test]
fn a_table_canon_does_not_model_is_named_never_dropped_and_can_be_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("schema.sql");
    std::fs::write(
        &schema,
        "CREATE TABLE ok (id int PRIMARY KEY);\nCREATE TABLE hist (id int, valid_from date, valid_to date, PERIOD FOR valid (valid_from, valid_to), PRIMARY KEY (id, valid WITHOUT OVERLAPS));\n",
    )
    .unwrap();
    let dump = dir.path().join("dump.sql");
    std::fs::write(&dump, "CREATE TABLE ok (id int PRIMARY KEY);\n").unwrap();
    let (s, d) = (schema.to_str().unwrap(), dump.to_str().unwrap());
    // Read without it, the plan would not create it (or would drop it): refused by name.
    let o = canon(&["check", "--schema", s, "--target", d]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.contains("`hist`: key WITHOUT OVERLAPS: a key over an application-time period (WITHOUT OVERLAPS) is not modelled")
            && err.contains("schema.sql:2"),
        "{err}"
    );
    let cfg = dir.path().join("canon.yaml");
    std::fs::write(&cfg, "ignore: [hist]\n").unwrap();
    let o = canon(&[
        "check",
        "--config",
        cfg.to_str().unwrap(),
        "--schema",
        s,
        "--target",
        d,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
}

#[test]
fn quiet_says_nothing_on_stderr_and_verbose_gives_timings() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("p.yaml");
    let p = plan.to_str().unwrap();
    let loud = canon(&["plan", "--schema", SCHEMA, "--target", LEGACY, "--out", p]);
    assert!(stderr(&loud).contains("plan written to"));
    let quiet = canon(&[
        "--quiet", "plan", "--schema", SCHEMA, "--target", LEGACY, "--out", p,
    ]);
    assert_eq!(quiet.status.code(), Some(0));
    assert_eq!(stderr(&quiet), "", "nothing but errors on stderr");
    assert!(stdout(&loud).contains("Steps"));
    assert_eq!(stdout(&quiet), "", "with --out the file is the result");
    assert!(std::fs::read_to_string(&plan)
        .unwrap()
        .contains("format: 2"));
    let approve = canon(&["-q", "approve", p, "--by", "ana@dba"]);
    assert_eq!(approve.status.code(), Some(0), "{}", stderr(&approve));
    assert_eq!(
        (stdout(&approve), stderr(&approve)),
        (String::new(), String::new())
    );
    assert!(std::fs::read_to_string(&plan).unwrap().contains("ana@dba"));
    let verbose = canon(&["check", "--schema", SCHEMA, "--target", LEGACY, "-v"]);
    assert_eq!(verbose.status.code(), Some(2));
    let err = stderr(&verbose);
    assert!(
        err.lines().any(
            |l| l.starts_with("reading the target and the canonical schema: ") && l.ends_with(" s")
        ),
        "{err}"
    );
    // Errors still print under --quiet.
    let bad = canon(&["-q", "check", "--schema", "nowhere.sql", "--target", LEGACY]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("nowhere.sql"));
}

#[test]
fn a_plan_whose_sql_differs_from_its_typed_steps_is_refused_even_when_approved() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("p.yaml");
    let p = plan.to_str().unwrap();
    assert_eq!(
        canon(&["plan", "--schema", SCHEMA, "--target", LEGACY, "--out", p])
            .status
            .code(),
        Some(0)
    );
    let yaml = std::fs::read_to_string(&plan).unwrap();
    // The step's SQL, not the review text of `objects` that comes before it.
    let at = yaml.find("\nsteps:").unwrap();
    let edited = format!(
        "{}{}",
        &yaml[..at],
        yaml[at..].replacen(
            "`aggregate_type` varchar(100)",
            "`aggregate_type` varchar(10)",
            1
        )
    );
    assert_ne!(yaml, edited, "the SQL holds the column");
    std::fs::write(&plan, edited).unwrap();
    // Approved after the edit (whoever approves may not read YAML): still refused.
    assert_eq!(canon(&["approve", p, "--by", "ana"]).status.code(), Some(0));
    let o = canon(&[
        "apply",
        p,
        "--target",
        "mysql://root@127.0.0.1:1/legacy",
        "--yes",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("step 1 of this plan says something other than canon would"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn compatibility_views_are_listed_and_dropped_only_when_destructive_steps_are_allowed() {
    let plan = |extra: &[&str]| {
        let mut args = vec!["plan", "--schema", SCHEMA, "--target", LEGACY];
        args.extend_from_slice(extra);
        canon(&args)
    };
    let text = stdout(&plan(&[]));
    assert!(
        text.contains("Compatibility views (live, not in the canonical schema)")
            && text.contains("- `platos`: reads `dishes`; exposes id, menu_id, nombre, precio; read by no view; kept (dropping it is destructive"),
        "{text}"
    );
    assert!(
        text.contains("view `platos`: drop view `platos` — drops the view"),
        "{text}"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&plan(&["--format", "json"]).stdout).unwrap();
    assert_eq!(json["compat_views"][0]["name"], "pedidos");
    assert_eq!(
        json["compat_views"][0]["reads"],
        serde_json::json!(["orders"])
    );
    let allowed = stdout(&plan(&["--allow-destructive"]));
    assert!(
        allowed.contains("read by no view; dropped by step"),
        "{allowed}"
    );
    assert!(
        allowed.contains("[DESTRUCTIVE] view `platos`: drop view `platos`"),
        "{allowed}"
    );
    let md = stdout(&plan(&["--format", "markdown"]));
    assert!(
        md.contains("### Compatibility views\n\n- `pedidos`: reads `orders`"),
        "{md}"
    );
}

#[test]
fn help_names_every_command_that_exits_2_and_the_timeout_parameter() {
    let help = stdout(&canon(&["--help"]));
    for command in ["`check`", "`validate`", "`lint`"] {
        assert!(help.contains(command), "exit 2 of {command}: {help}");
    }
    for command in ["plan", "check", "validate", "dump", "apply"] {
        let help = stdout(&canon(&[command, "--help"]));
        assert!(help.contains("timeout=SECONDS"), "{command} --help: {help}");
    }
}

#[test]
fn show_names_a_file_that_is_not_a_plan() {
    let o = canon(&["show", LEGACY]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("is not a canon plan file: it has no `format:` at its top level (is it SQL?)"),
        "{err}"
    );
    assert!(
        !err.contains("Head") && !err.contains("MariaDB dump"),
        "{err}"
    );
}

#[test]
fn a_table_of_one_row_is_one_row() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("p.yaml");
    let p = plan.to_str().unwrap();
    let o = canon(&["plan", "--schema", SCHEMA, "--target", LEGACY, "--out", p]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Sizes as a live plan records them (a dump gives none).
    let text = std::fs::read_to_string(&plan).unwrap().replacen(
        "\nobjects:",
        "\nsizes:\n  roles: {rows: 1, data_bytes: 16384, index_bytes: 0}\n  users: {rows: 2, data_bytes: 16384, index_bytes: 0}\nobjects:",
        1,
    );
    std::fs::write(&plan, text).unwrap();
    let out = stdout(&canon(&["show", p]));
    assert!(out.contains("~1 row, 16.0 KiB"), "{out}");
    assert!(out.contains("~2 rows, 16.0 KiB"), "{out}");
    assert!(!out.contains("~1 rows"), "{out}");
}
