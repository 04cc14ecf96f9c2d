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
fn data_statements_are_refused_in_canonical_files_and_ignored_in_dumps() {
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("s.sql");
    std::fs::write(
        &schema,
        "CREATE TABLE t (id int PRIMARY KEY);\nGRANT ALL ON *.* TO 'x'@'%';\n",
    )
    .unwrap();
    let o = canon(&[
        "check",
        "--schema",
        schema.to_str().unwrap(),
        "--target",
        LEGACY,
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("GRANT is not a schema definition"),
        "{}",
        stderr(&o)
    );

    let canonical = dir.path().join("c.sql");
    std::fs::write(&canonical, "CREATE TABLE t (id int PRIMARY KEY);\n").unwrap();
    let dump = dir.path().join("d.sql");
    std::fs::write(
        &dump,
        "CREATE TABLE `t` (`id` int(11) NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;\nLOCK TABLES `t` WRITE;\n/*!40000 ALTER TABLE `t` DISABLE KEYS */;\nINSERT INTO `t` VALUES (1),(2);\n/*!40000 ALTER TABLE `t` ENABLE KEYS */;\nUNLOCK TABLES;\nDELIMITER ;;\n/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER trg BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.id = NEW.id + 1; END */;;\nDELIMITER ;\n",
    )
    .unwrap();
    let o = canon(&[
        "check",
        "--schema",
        canonical.to_str().unwrap(),
        "--target",
        dump.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let plan = canon(&[
        "plan",
        "--schema",
        canonical.to_str().unwrap(),
        "--target",
        dump.to_str().unwrap(),
    ]);
    assert!(
        stdout(&plan).contains("trigger `trg` is not managed by canon"),
        "{}",
        stdout(&plan)
    );
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
