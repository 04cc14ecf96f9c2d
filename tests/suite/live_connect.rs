//! Connecting to a real server: clear errors that never show the password, the runbooks'
//! environment variables, many databases with one unreachable, and a connection lost during
//! introspection.

use crate::common;

use crate::helpers::{load, root};
use common::{canon, canon_env, out, server};

#[test]
fn connection_problems_are_clear_errors_that_never_show_the_password() {
    let db = server().database("conn");
    let secret = "s3cr3t-Never-Shown";
    let wrong = format!("mysql://canon:{secret}@127.0.0.1:{}/{db}", server().port);
    let cases = [
        (wrong.clone(), "access denied for user `canon`"),
        (
            format!(
                "mysql://canon:canon-test-pw@127.0.0.1:{}/no_such_db",
                server().port
            ),
            "does not exist",
        ),
        (
            format!("mysql://canon:{secret}@127.0.0.1:1/{db}"),
            "refused the connection",
        ),
        (
            format!("mysql://canon:{secret}@localhost/{db}?socket=/nonexistent/canon.sock"),
            "refused",
        ),
        (
            format!("mysql://canon:{secret}@127.0.0.1/{db}?ssl-mode=sometimes"),
            "unknown ssl-mode",
        ),
        // The throwaway server offers no TLS: `required` must refuse, not fall back.
        (
            format!(
                "mysql://canon:{secret}@127.0.0.1:{}/{db}?ssl-mode=required",
                server().port
            ),
            "TLS with",
        ),
        (
            format!("mysql://canon:{secret}@127.0.0.1/{db}?password={secret}"),
            "unknown URL parameter",
        ),
    ];
    for (url, expected) in cases {
        let o = canon(&["check", "--schema", "schema/arisgourmet", "--target", &url]);
        assert_eq!(o.status.code(), Some(1), "{expected}: {}", out(&o));
        let text = out(&o);
        assert!(text.contains(expected), "expected {expected:?} in {text}");
        assert!(
            !text.contains("s3cr3t-Never-Shown"),
            "password shown: {text}"
        );
    }
    // The password from the environment wins over the URL's, and is never shown either.
    let o = canon_env(
        &["check", "--schema", "/dev/null", "--target", &wrong],
        &[("DB_PASSWORD", "canon-test-pw")],
    );
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
}

#[test]
fn the_runbooks_environment_variables_name_the_target() {
    let db = server().database("env");
    load(&db, &root().join("schema/arisgourmet"));
    let port = server().port.to_string();
    let env = [
        ("DB_HOST", "127.0.0.1"),
        ("DB_PORT", port.as_str()),
        ("DB_USER", "canon"),
        ("DB_PASSWORD", "canon-test-pw"),
        ("DB_NAME", db.as_str()),
    ];
    let o = canon_env(&["check", "--schema", "schema/arisgourmet"], &env);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(out(&o).contains(&format!("127.0.0.1:{port}/{db}")));

    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("p.yaml");
    let o = canon_env(
        &[
            "plan",
            "--schema",
            "schema/arisgourmet",
            "--out",
            file.to_str().unwrap(),
            "--format",
            "json",
        ],
        &env,
    );
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(!written.contains("canon-test-pw") && !out(&o).contains("canon-test-pw"));
    assert!(
        written.contains(&format!("target: 127.0.0.1:{port}/{db}")),
        "{written}"
    );
}

#[test]
fn many_databases_are_checked_and_one_unreachable_does_not_stop_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let clean = server().database("tenant_a");
    load(&clean, &root().join("schema/arisgourmet"));
    let drifted = server().database("tenant_b");
    load(
        &drifted,
        &root().join("fixtures/legacy-src/arisgourmet-legacy.ddl.sql"),
    );
    let list = dir.path().join("tenants.txt");
    std::fs::write(
        &list,
        format!(
            "# tenants of arisgourmet\n{}\n{}\nmysql://root@127.0.0.1:1/nowhere   # decommissioned host\n",
            server().url(&clean),
            server().url(&drifted)
        ),
    )
    .unwrap();
    let l = list.to_str().unwrap();
    let o = canon(&[
        "check",
        "--schema",
        "schema/arisgourmet",
        "--targets",
        l,
        "--format",
        "json",
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "an unreachable database fails the run: {}",
        out(&o)
    );
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let dbs = report["databases"].as_array().unwrap();
    assert_eq!(dbs.len(), 3);
    assert_eq!(dbs[0]["drift"], false);
    assert_eq!(dbs[1]["drift"], true);
    assert!(
        dbs[2]["error"].as_str().unwrap().contains("refused"),
        "{}",
        dbs[2]
    );
    assert_eq!(
        (report["drifted"].as_u64(), report["failed"].as_u64()),
        (Some(1), Some(1))
    );
    let text = out(&canon(&[
        "check",
        "--schema",
        "schema/arisgourmet",
        "--targets",
        l,
    ]));
    assert!(
        text.contains("3 database(s): 1 clean, 1 drifted, 1 could not be checked"),
        "{text}"
    );
    // Without the unreachable one: drift, exit 2.
    std::fs::write(
        &list,
        format!("{}\n{}\n", server().url(&clean), server().url(&drifted)),
    )
    .unwrap();
    let o = canon(&[
        "check",
        "--schema",
        "schema/arisgourmet",
        "--targets",
        l,
        "--format",
        "junit",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout)
            .matches("<testsuite ")
            .count(),
        2
    );
}

/// A TCP proxy to the test server that forwards each connection's replies only up to
/// `budget` bytes, then goes silent (`close` false: a network that drops packets) or shuts
/// the connection (`close` true). Returns its port and the largest reply count it forwarded.
fn cutting_proxy(
    budget: usize,
    close: bool,
) -> (u16, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};
    use std::sync::atomic::{AtomicUsize, Ordering};
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = std::sync::Arc::new(AtomicUsize::new(0));
    let upstream_port = server().port;
    let seen_by_proxy = seen.clone();
    std::thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(mut client) = client else { return };
            let mut upstream = TcpStream::connect(("127.0.0.1", upstream_port)).unwrap();
            let (mut c_in, mut u_out) =
                (client.try_clone().unwrap(), upstream.try_clone().unwrap());
            std::thread::spawn(move || std::io::copy(&mut c_in, &mut u_out));
            let seen = seen_by_proxy.clone();
            std::thread::spawn(move || {
                let (mut sent, mut buf) = (0usize, [0u8; 4096]);
                while let Ok(n) = upstream.read(&mut buf) {
                    let n = n.min(budget - sent);
                    if n == 0 || client.write_all(&buf[..n]).is_err() {
                        break;
                    }
                    sent += n;
                    seen.fetch_max(sent, Ordering::SeqCst);
                    if sent == budget {
                        break;
                    }
                }
                if close {
                    let _ = client.shutdown(std::net::Shutdown::Both);
                } else {
                    // Silence: hold the connection open, forward nothing more.
                    std::thread::sleep(std::time::Duration::from_secs(120));
                }
            });
        }
    });
    (port, seen)
}

#[test]
fn a_connection_lost_during_introspection_is_an_error_never_a_partial_model() {
    let db = server().database("cut");
    load(&db, &root().join("schema/arisgourmet"));
    let check = |port: u16| {
        let url = format!(
            "mysql://canon:canon-test-pw@127.0.0.1:{port}/{db}?ssl-mode=disabled&timeout=2"
        );
        canon(&["check", "--schema", "schema/arisgourmet", "--target", &url])
    };
    // Uncut, the proxy passes the whole introspection: clean, and we learn its size.
    let (port, seen) = cutting_proxy(usize::MAX, false);
    let o = check(port);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let whole = seen.load(std::sync::atomic::Ordering::SeqCst);
    assert!(whole > 5_000, "the introspection read only {whole} bytes");
    // Cut at points spread over the handshake, the bulk queries and SHOW CREATE.
    // A silent network costs the 2 s timeout per case, so it is tried at three points.
    let cuts = [60, 400, 2_000, whole / 4, whole / 2, whole - 200];
    for (i, budget) in cuts.into_iter().enumerate() {
        for close in [true, false].into_iter().take(1 + i % 2) {
            let (port, _) = cutting_proxy(budget, close);
            let started = std::time::Instant::now();
            let o = check(port);
            let text = out(&o);
            assert_eq!(
                o.status.code(),
                Some(1),
                "cut after {budget} of {whole} bytes (close {close}): {text}"
            );
            assert!(
                text.contains("no answer within 2 s")
                    || text.contains("cannot reach")
                    || text.contains("failed"),
                "cut after {budget} bytes (close {close}): {text}"
            );
            assert!(!text.contains("canon-test-pw"), "{text}");
            assert!(
                started.elapsed() < std::time::Duration::from_secs(20),
                "cut after {budget} bytes (close {close}) took {:?}",
                started.elapsed()
            );
        }
    }
}
