//! What `canon` reports for CI and reviewers: `check` as JUnit, GitHub annotations and
//! Markdown, `validate`'s findings, `lint` in every format (SARIF checked against its schema),
//! and the HTML review page in a real browser.

use crate::cli_common::{canon, stderr, stdout, CANONICAL_DUMP, LEGACY, SCHEMA};
use std::path::Path;
use std::process::{Command, Output};

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
