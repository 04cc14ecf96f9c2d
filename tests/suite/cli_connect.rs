//! `canon`'s connection errors: a silent server costs the timeout once, a reset connection is
//! worded once, a missing option file is named.

use crate::cli_common::{canon, stderr, SCHEMA};
use std::path::Path;
use std::process::{Command, Output};

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
