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
    let server = common::server();
    server.sql(
        "",
        "DROP DATABASE IF EXISTS arisgourmet; CREATE DATABASE arisgourmet",
    );
    let loaded = server.run_file("arisgourmet", &root.join("fixtures/arisgourmet-legacy.sql"));
    assert!(loaded.status.success(), "{}", common::out(&loaded));

    // The examples run in a scratch directory that sees the repository's inputs under their
    // own names, so the files they write (plans, backups) stay out of the work tree.
    let work = tempfile::tempdir().unwrap();
    for dir in ["schema", "fixtures", "examples"] {
        std::os::unix::fs::symlink(root.join(dir), work.path().join(dir)).unwrap();
    }
    std::env::set_current_dir(work.path()).unwrap();

    let cases = trycmd::TestCases::new();
    cases
        .register_bin("canon", Path::new(env!("CARGO_BIN_EXE_canon")))
        .env("DB_HOST", "127.0.0.1")
        .env("DB_PORT", server.port.to_string())
        .env("DB_USER", "canon")
        .env("DB_PASSWORD", "canon-test-pw")
        .env("DB_NAME", "arisgourmet")
        .env("NO_COLOR", "1")
        .env("HOME", work.path().display().to_string())
        .case(root.join("docs/*.md"));
}
