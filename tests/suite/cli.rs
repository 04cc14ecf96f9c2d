//! The `canon` binary as users and CI scripts run it: output, files and exit codes.

use std::path::Path;
use std::process::{Command, Output};

const SCHEMA: &str = "schema/arisgourmet";
const LEGACY: &str = "fixtures/arisgourmet-legacy.sql";
const CANONICAL_DUMP: &str = "fixtures/arisgourmet-canonical.sql";

fn canon(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_canon"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .output()
        .expect("canon runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

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
        "CREATE TABLE t (id int PRIMARY KEY);\nINSERT INTO t VALUES (1) ON DUPLICATE KEY UPDATE id = id;\nINSERT INTO t VALUES (2);\nGRANT ALL ON *.* TO 'x'@'%';\nCREATE USER 'y'@'%';\n",
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
        "1 trigger not compared yet, left as it is (`trg`) (target, ",
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
fn check_reports_for_ci_junit_github_and_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let o = canon(&[
        "check", "--schema", SCHEMA, "--target", LEGACY, "--format", "junit",
    ]);
    assert_eq!(o.status.code(), Some(2), "drift exits 2 in every format");
    let xml = dir.path().join("drift.xml");
    std::fs::write(&xml, &o.stdout).unwrap();
    // Valid against the JUnit schema (xmllint, from libxml2-utils: ./scripts/test installs it).
    let xsd = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/junit.xsd");
    let lint = Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(&xsd)
        .arg(&xml)
        .output()
        .expect("xmllint runs (apt-get install libxml2-utils)");
    assert!(lint.status.success(), "{}", stderr(&lint));
    let report = quick_junit::Report::deserialize_from_str(&stdout(&o)).unwrap();
    let suite = &report.test_suites[0];
    assert_eq!(
        suite.failures, 15,
        "14 drifted objects and the whole-schema case"
    );
    assert!(suite
        .test_cases
        .iter()
        .any(|c| c.name.as_str() == "table `refresh_tokens`"
            && c.classname.as_ref().map(|n| n.as_str())
                == Some("schema/arisgourmet/30_distributed.sql")));
    let clean = canon(&[
        "check",
        "--schema",
        SCHEMA,
        "--target",
        CANONICAL_DUMP,
        "--format",
        "junit",
    ]);
    assert_eq!(clean.status.code(), Some(0));
    let report = quick_junit::Report::deserialize_from_str(&stdout(&clean)).unwrap();
    assert_eq!((report.tests, report.failures), (1, 0));

    let gh = stdout(&canon(&[
        "check", "--schema", SCHEMA, "--target", LEGACY, "--format", "github",
    ]));
    assert_eq!(gh.lines().count(), 14, "{gh}");
    assert!(
        gh.lines().any(|l| l
            .starts_with("::error file=schema/arisgourmet/30_distributed.sql,line=")
            && l.contains("table `refresh_tokens` missing from the database")),
        "{gh}"
    );
    // A view to drop has no canonical file: annotated without one.
    assert!(
        gh.contains("::error title=canon drift::view `pedidos` not in the canonical schema"),
        "{gh}"
    );

    let md = stdout(&canon(&[
        "check", "--schema", SCHEMA, "--target", LEGACY, "--format", "markdown",
    ]));
    assert!(
        md.starts_with(
            "### ❌ canon: `fixtures/arisgourmet-legacy.sql` has drifted (14 object(s))"
        ),
        "{md}"
    );
    assert!(md.contains("<details><summary>table `users`</summary>") && md.contains("```diff"));
}

#[test]
fn validate_reports_what_the_runbooks_checked_by_hand() {
    let o = canon(&[
        "validate", "--schema", SCHEMA, "--target", LEGACY, "--format", "json",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["passed"], false);
    assert_eq!(
        v["missing_tables"],
        serde_json::json!(["outbox", "refresh_tokens"])
    );
    assert_eq!(v["compat_views"], serde_json::json!(["pedidos", "platos"]));
    assert_eq!(v["compat_views_count"], 2);
    assert_eq!(
        v["compat_view_details"][1],
        serde_json::json!({"name": "platos", "reads": ["dishes"],
            "columns": ["id", "menu_id", "nombre", "precio"], "used_by": []})
    );
    assert_eq!(
        v["tables_without_primary_key"],
        serde_json::json!(["user_roles"])
    );
    let users_email = v["collation_mismatches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["table"] == "users" && m["column"] == "email")
        .expect("users.email is reported");
    assert_eq!(users_email["current"], "utf8mb4_general_ci");
    assert_eq!(users_email["canonical"], "utf8mb4_unicode_ci");
    assert_eq!(v["foreign_key_type_mismatches"], serde_json::json!([]));
    assert_eq!(v["missing_migrations"], serde_json::Value::Null);

    let ok = canon(&["validate", "--schema", SCHEMA, "--target", CANONICAL_DUMP]);
    assert_eq!(ok.status.code(), Some(0), "{}", stdout(&ok));
    assert!(stdout(&ok).trim_end().ends_with("passed"));
    // Migrations are read from the application's table: a dump file cannot answer.
    let no = canon(&[
        "validate",
        "--schema",
        SCHEMA,
        "--target",
        LEGACY,
        "--require-migration",
        "x",
    ]);
    assert_eq!(no.status.code(), Some(1));
    assert!(stderr(&no).contains("needs a live database"));
}

#[test]
fn foreign_keys_between_mismatched_types_fail_validation() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.sql");
    // Loaded with foreign key checks off, as dumps are: the server would refuse it otherwise.
    std::fs::write(
        &file,
        "SET FOREIGN_KEY_CHECKS=0;\nCREATE TABLE p (id bigint unsigned PRIMARY KEY);\nCREATE TABLE c (id int PRIMARY KEY, p_id int, CONSTRAINT fk_c_p FOREIGN KEY (p_id) REFERENCES p (id));\n",
    )
    .unwrap();
    let f = file.to_str().unwrap();
    let o = canon(&["validate", "--schema", f, "--target", f, "--format", "json"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["foreign_key_type_mismatches"],
        serde_json::json!([{"table": "c", "foreign_key": "fk_c_p", "column": "p_id", "type": "int(11)",
            "ref_table": "p", "ref_column": "id", "ref_type": "bigint(20) unsigned"}])
    );
}

#[test]
fn a_table_canon_does_not_model_is_named_never_dropped_and_can_be_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("schema.sql");
    std::fs::write(
        &schema,
        "CREATE TABLE ok (id int PRIMARY KEY);\nCREATE TABLE hist (id int) WITH SYSTEM VERSIONING;\n",
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
        err.contains("`hist`: system versioning: system-versioned tables are not modelled")
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
fn canon_yaml_names_schema_environments_policies_and_ignored_tables() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cfg = dir.path().join("canon.yaml");
    std::fs::write(
        &cfg,
        format!(
            "schema: [{schema}]\nignore: ['platos']\nenvironments:\n  legacy:\n    target: {legacy}\n    ignore: ['pedidos']\n  prod:\n    target: {legacy}\n    allow_destructive: false\n",
            schema = root.join(SCHEMA).display(),
            legacy = root.join(LEGACY).display()
        ),
    )
    .unwrap();
    let c = cfg.to_str().unwrap();
    let o = canon(&[
        "check", "--config", c, "--env", "legacy", "--format", "json",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let names: Vec<&str> = report["objects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["object"]["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"outbox"), "{names:?}");
    assert!(
        !names.contains(&"platos") && !names.contains(&"pedidos"),
        "ignored views are not drift: {names:?}"
    );
    // The environment's policy: no destructive plans for prod.
    let o = canon(&[
        "plan",
        "--config",
        c,
        "--env",
        "prod",
        "--allow-destructive",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("environment `prod` does not allow destructive changes"),
        "{}",
        stderr(&o)
    );
    let o = canon(&["plan", "--config", c, "--env", "staging"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no environment `staging`") && stderr(&o).contains("legacy, prod"));

    // Mistakes point into the file; passwords never belong in it.
    std::fs::write(
        &cfg,
        "schema: [schema]\nenvironments:\n  prod:\n    targte: mysql://x@db/app\n",
    )
    .unwrap();
    let o = canon(&["check", "--config", c, "--env", "prod"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("unknown field `targte`") && stderr(&o).contains("canon.yaml:4:5"),
        "{}",
        stderr(&o)
    );
    std::fs::write(
        &cfg,
        "environments:\n  prod:\n    target: mysql://deploy:Pr0d-pw@db/app\n",
    )
    .unwrap();
    let o = canon(&["check", "--config", c, "--env", "prod", "--schema", SCHEMA]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("puts a password in its target URL") && !stderr(&o).contains("Pr0d-pw")
    );
    // No schema anywhere.
    std::fs::write(&cfg, "ignore: []\n").unwrap();
    let o = canon(&["check", "--config", c, "--target", LEGACY]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no canonical schema"));
}

#[test]
fn shell_completions_and_a_man_page_come_from_the_command_line_definition() {
    let dir = tempfile::tempdir().unwrap();
    let bash = canon(&["completions", "bash"]);
    assert_eq!(bash.status.code(), Some(0));
    let script = dir.path().join("canon.bash");
    std::fs::write(&script, &bash.stdout).unwrap();
    // The script is valid bash, and completes the subcommands and their flags.
    let syntax = Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .unwrap();
    assert!(syntax.status.success(), "{}", stderr(&syntax));
    let text = stdout(&bash);
    for word in [
        "apply",
        "validate",
        "--backup-dir",
        "--allow-destructive",
        "--env",
    ] {
        assert!(text.contains(word), "completion lacks {word}");
    }
    assert!(stdout(&canon(&["completions", "zsh"])).contains("#compdef canon"));
    let man = stdout(&canon(&["man"]));
    assert!(
        man.contains(".TH canon 1") && man.contains("apply"),
        "{man}"
    );
}

#[test]
fn the_ci_examples_are_valid_yaml_and_call_canon_as_it_parses() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ci");
    let mut calls = 0;
    for file in ["github-actions.yml", "gitlab-ci.yml"] {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        let _: serde_json::Value =
            canon::yaml::from_str(&text).unwrap_or_else(|e| panic!("{file}: {}", e.message));
        for line in text.lines() {
            let Some(at) = line.find("canon ") else {
                continue;
            };
            if line.trim_start().starts_with('#') || line[..at].contains('#') {
                continue;
            }
            let words: Vec<&str> = line[at..]
                .split_whitespace()
                .take_while(|w| !matches!(*w, ">" | "|" | "<" | "#"))
                .collect();
            if words.len() < 2 || words[1] == "install" {
                continue;
            }
            use clap::Parser;
            canon::cli::Cli::try_parse_from(&words)
                .unwrap_or_else(|e| panic!("{file}: `{}`: {e}", words.join(" ")));
            calls += 1;
        }
    }
    assert!(calls >= 3, "found {calls} canon calls");
}

/// The SARIF 2.1.0 JSON schema, from the serde-sarif package's source in cargo's registry
/// (a dev-dependency for this; `cargo test` has fetched it).
fn sarif_schema() -> serde_json::Value {
    let home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
        .expect("CARGO_HOME or HOME");
    let schema = std::fs::read_dir(home.join("registry/src"))
        .expect("cargo's registry sources")
        .flatten()
        .flat_map(|index| {
            std::fs::read_dir(index.path())
                .into_iter()
                .flatten()
                .flatten()
        })
        .filter(|p| p.file_name().to_string_lossy().starts_with("serde-sarif-"))
        .map(|p| p.path().join("src/schema.json"))
        .find(|p| p.is_file())
        .expect("serde-sarif's schema.json in the registry");
    serde_json::from_str(&std::fs::read_to_string(schema).unwrap()).unwrap()
}

#[test]
fn lint_finds_what_a_reviewer_would_raise_in_every_format() {
    const BAD: &str = "fixtures/lint/review-me.sql";
    let o = canon(&["lint", "--schema", BAD, "--format", "json"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "error findings exit 2: {}",
        stderr(&o)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let found: Vec<(String, u64)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let expect = [
        ("CL001", 12), // events: no primary key
        ("CL002", 16), // events.note: another collation
        ("CL002", 20), // legacy_codes: utf8mb3 table among utf8mb4 ones
        ("CL003", 20),
        ("CL004", 13), // events.account_id int → accounts.id bigint unsigned
        ("CL005", 8),  // ix_order repeated by ix_order_2
        ("CL006", 5),  // accounts.balance double (events.fee is silenced)
        ("CL007", 6),  // `order`
        ("CL008", 4),  // nullable email in a unique key
        ("CL009", 17), // fk_events_account has no index of its own
    ];
    for (rule, line) in expect {
        assert!(
            found.contains(&(rule.to_string(), line)),
            "{rule} at line {line} missing: {found:?}"
        );
    }
    assert_eq!(found.len(), expect.len(), "{found:?}");
    assert_eq!(
        (v["errors"].as_u64(), v["warnings"].as_u64()),
        (Some(2), Some(8))
    );

    // The findings are the output: `canon lint > lint.txt` captures them all.
    let text = canon(&["lint", "--schema", BAD]);
    assert!(
        stdout(&text).contains("review-me.sql:12:1")
            && stdout(&text).contains("canon: allow CL001"),
        "{}",
        stdout(&text)
    );
    assert!(stdout(&text).contains("10 finding(s): 2 error(s), 8 warning(s)"));
    assert_eq!(stderr(&text), "", "findings are not errors of canon");
    let gh = stdout(&canon(&["lint", "--schema", BAD, "--format", "github"]));
    assert!(gh.contains("::error file=fixtures/lint/review-me.sql,line=12,title=CL001 no-primary-key::table `events` has no primary key"), "{gh}");

    let sarif: serde_json::Value =
        serde_json::from_slice(&canon(&["lint", "--schema", BAD, "--format", "sarif"]).stdout)
            .unwrap();
    let schema = sarif_schema();
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "SARIF invalid: {errors:?}");
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken), "the schema check can fail");
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 10);
    // The canonical example schema is clean of errors.
    let ok = canon(&["lint", "--schema", SCHEMA]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
}

/// Headless Chromium as the probe of this project's machines runs it (Debian's `chromium`;
/// ./scripts/test installs it).
fn chromium(args: &[&str], profile: &Path) -> Output {
    Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("chromium runs (apt-get install chromium)")
}

#[test]
fn the_html_review_page_renders_in_a_real_browser_and_shows_the_diff() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.yaml");
    let p = plan.to_str().unwrap();
    assert_eq!(
        canon(&["plan", "--schema", SCHEMA, "--target", LEGACY, "--out", p])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        canon(&["approve", p, "--by", "ana@dba", "--note", "<b>CHG-42</b>"])
            .status
            .code(),
        Some(0)
    );
    let html = canon(&["show", p, "--format", "html"]);
    assert_eq!(html.status.code(), Some(0));
    let page = dir.path().join("plan.html");
    std::fs::write(&page, &html.stdout).unwrap();
    let text = stdout(&html);
    // Values are escaped: a note cannot inject markup.
    assert!(text.contains("&lt;b&gt;CHG-42&lt;") && !text.contains("<b>CHG-42"));
    let url = format!("file://{}", page.display());

    let dom = chromium(&["--dump-dom", &url], &dir.path().join("profile-dom"));
    let dom_text = stdout(&dom);
    assert!(
        dom_text.contains("data-rendered=\"14\""),
        "the page's script ran over 14 objects: {}",
        stderr(&dom)
    );
    assert!(dom_text.contains("ana@dba at "));
    let log = stderr(&dom);
    // Chromium logs every console message (errors, uncaught exceptions) as `CONSOLE`; the
    // page writes none.
    let console: Vec<&str> = log.lines().filter(|l| l.contains("CONSOLE")).collect();
    assert!(console.is_empty(), "console messages: {console:?}");

    let shot = dir.path().join("plan.png");
    let o = chromium(
        &[
            "--window-size=1200,1600",
            &format!("--screenshot={}", shot.display()),
            &url,
        ],
        &dir.path().join("profile-shot"),
    );
    assert!(shot.exists(), "{}", stderr(&o));
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (1200, 1600));
    let channels = info.color_type.samples();
    let count = |rgb: [u8; 3]| {
        buf[..info.buffer_size()]
            .chunks(channels)
            .filter(|px| px[..3] == rgb)
            .count()
    };
    // The side-by-side diff is on screen: removed lines on red, added lines on green.
    let (removed, added) = (count([0xff, 0xeb, 0xe9]), count([0xda, 0xfb, 0xe1]));
    assert!(
        removed > 20_000 && added > 20_000,
        "diff colours on screen: {removed} / {added}"
    );
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

/// A server that accepts TCP and never answers: the error comes after `timeout=N` seconds,
/// not twice that (TLS tried first, then plain), and says so once.
#[test]
fn a_silent_server_costs_the_timeout_once() {
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    for seconds in [2u64, 3] {
        let url = format!("mysql://u@127.0.0.1:{port}/db?timeout={seconds}");
        let started = std::time::Instant::now();
        let o = canon(&["check", "--schema", SCHEMA, "--target", &url]);
        let took = started.elapsed().as_secs_f64();
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(
            took >= seconds as f64 - 0.1 && took < seconds as f64 + 1.0,
            "timeout={seconds} took {took:.1} s"
        );
        let said = format!("no answer within {seconds} s");
        assert_eq!(err.matches(&said).count(), 1, "{err}");
    }
}

/// A connection the peer closes at once is reported with the innermost cause, once.
#[test]
fn a_reset_connection_is_worded_once() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            drop(stream);
        }
    });
    let url = format!("mysql://u@127.0.0.1:{port}/db?timeout=5");
    let o = canon(&["check", "--schema", SCHEMA, "--target", &url]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("cannot reach 127.0.0.1:"), "{err}");
    assert!(!err.contains("Input/output error"), "{err}");
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

#[test]
fn a_missing_option_file_is_named_without_url_help() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("canon.yaml");
    std::fs::write(
        &cfg,
        "environments:\n  staging:\n    target: mysql://deploy@db-staging/app\n    defaults_file: ~/.my.cnf\n",
    )
    .unwrap();
    let o = canon_home(
        &[
            "check",
            "--config",
            cfg.to_str().unwrap(),
            "--env",
            "staging",
            "--schema",
            SCHEMA,
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("cannot read") && err.contains(".my.cnf"),
        "{err}"
    );
    assert!(!err.contains("mysql://USER"), "no URL syntax help: {err}");
}

/// canon with another home directory (where `~/.my.cnf` is looked for).
fn canon_home(args: &[&str], home: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_canon"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("HOME", home)
        .output()
        .expect("canon runs")
}
