//! The docs' examples, run: every ```console block in `docs/*.md` is executed with trycmd and
//! its output compared (`[..]` and `...` stand for what differs between runs). Commands that
//! need a server reach this binary's throwaway MariaDB through the `DB_*` variables, with the
//! legacy example loaded as `arisgourmet`. After a change of canon's output, regenerate the
//! expected blocks with `TRYCMD=overwrite cargo test --test docs` and review the diff (it
//! drops elisions in the blocks it rewrites: put them back where the output varies).

mod common;

use std::path::Path;

#[test]
fn every_console_example_in_the_docs_prints_what_it_shows() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Always a throwaway one: the walk-through drops and applies `arisgourmet`.
    let server = common::throwaway_server();
    server.sql(
        "",
        "DROP DATABASE IF EXISTS arisgourmet; CREATE DATABASE arisgourmet",
    );
    let loaded = server.run_file("arisgourmet", &root.join("fixtures/arisgourmet-legacy.sql"));
    assert!(loaded.status.success(), "{}", common::out(&loaded));
    // docs/live-servers.md: tables canon does not model are named, not diffed.
    server.sql(
        "",
        "DROP DATABASE IF EXISTS odd; CREATE DATABASE odd; \
         CREATE TABLE odd.prices (id int PRIMARY KEY) WITH SYSTEM VERSIONING; \
         CREATE SEQUENCE odd.invoice_numbers",
    );
    // docs/live-servers.md: a user with SELECT alone is told the grant it lacks.
    server.sql(
        "",
        "CREATE USER IF NOT EXISTS 'select_only'@'127.0.0.1' IDENTIFIED BY 'select-only-pw'; \
         GRANT SELECT ON arisgourmet.* TO 'select_only'@'127.0.0.1'",
    );

    // The examples run in a scratch directory that sees the repository's inputs under their
    // own names, so the files they write (plans, backups) stay out of the work tree.
    let work = tempfile::tempdir().unwrap();
    for dir in ["schema", "fixtures", "examples"] {
        std::os::unix::fs::symlink(root.join(dir), work.path().join(dir)).unwrap();
    }
    std::env::set_current_dir(work.path()).unwrap();
    // docs/normalization.md: an error points at the text.
    std::fs::create_dir(work.path().join("bad")).unwrap();
    std::fs::write(
        work.path().join("bad/schema.sql"),
        "CREATE TABLE ok1 (id int PRIMARY KEY);\n\nCREATE TABLE t (\n  id int PRIMARY KEY,\n  name varchar(20) NOT NULL DEFALT 'x'\n);\n",
    )
    .unwrap();

    // Set in canon's environment rather than trycmd's, so an example can override one
    // (`DB_PASSWORD=wrongpw canon ...`): trycmd's own variables win over the example's.
    let port = server.port.to_string();
    let home = work.path().display().to_string();
    for (key, value) in [
        ("DB_HOST", "127.0.0.1"),
        ("DB_PORT", port.as_str()),
        ("DB_USER", "canon"),
        ("DB_PASSWORD", "canon-test-pw"),
        ("DB_NAME", "arisgourmet"),
        ("NO_COLOR", "1"),
        // No ~/.my.cnf of whoever runs the tests.
        ("HOME", home.as_str()),
    ] {
        std::env::set_var(key, value);
    }
    let cases = trycmd::TestCases::new();
    cases
        .register_bin("canon", Path::new(env!("CARGO_BIN_EXE_canon")))
        .case(root.join("docs/*.md"));
}

/// The sample `canon.yaml` shown in docs/configuration.md is the file the docs' examples use.
#[test]
fn the_sample_configuration_in_the_docs_is_the_example_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let page = std::fs::read_to_string(root.join("docs/configuration.md")).unwrap();
    let sample = std::fs::read_to_string(root.join("examples/canon.yaml")).unwrap();
    let shown = page
        .split("```yaml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a yaml block in docs/configuration.md");
    assert_eq!(shown, sample);
}

/// The README's first quick-start command runs canon through cargo without `-q`, so a first
/// build shows its progress, and plans the bundled example.
#[test]
fn the_readme_quick_start_builds_visibly_and_plans_the_example() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let block = readme
        .split("## Quick start")
        .nth(1)
        .and_then(|rest| rest.split("```sh\n").nth(1))
        .and_then(|rest| rest.split("```").next())
        .expect("a sh block under Quick start");
    let mut lines = block.lines();
    let first = lines.next().unwrap();
    let args = first
        .strip_prefix("cargo run -- ")
        .unwrap_or_else(|| panic!("`cargo run -- ...` without -q: {first}"));
    assert_eq!(lines.next(), Some("./scripts/test"));
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_canon"))
        .args(args.split_whitespace())
        .current_dir(root)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("9 step(s) planned"));
}
