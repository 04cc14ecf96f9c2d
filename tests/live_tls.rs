//! TLS against a throwaway MariaDB serving a certificate from a CA made for the test (IP
//! address 127.0.0.1 only): `verify-identity` passes with that CA on 127.0.0.1, and is refused
//! with another CA or on another address (127.0.0.2, same server); `verify-ca` refuses
//! another CA.

mod common;

use common::{canon, out, server_with, Server};
use std::path::{Path, PathBuf};
use std::process::Command;

fn openssl(dir: &Path, args: &[&str]) {
    let o = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl runs");
    assert!(
        o.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// A CA, and a server certificate it signed for 127.0.0.1; plus an unrelated CA.
fn certificates() -> PathBuf {
    let dir = tempfile::Builder::new()
        .prefix("canon-test-tls-")
        .tempdir()
        .unwrap()
        .keep();
    for ca in ["ca", "other-ca"] {
        openssl(
            &dir,
            &[
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-keyout",
                &format!("{ca}-key.pem"),
                "-out",
                &format!("{ca}.pem"),
                "-subj",
                &format!("/CN=canon test {ca}"),
            ],
        );
    }
    std::fs::write(
        dir.join("san.ext"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(
        &dir,
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "server-key.pem",
            "-out",
            "server.csr",
            "-subj",
            "/CN=canon test server",
        ],
    );
    openssl(
        &dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca-key.pem",
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            "san.ext",
            "-out",
            "server.pem",
        ],
    );
    dir
}

fn tls_server() -> (&'static Server, PathBuf) {
    let certs = certificates();
    let opt = |k: &str, f: &str| format!("--{k}={}", certs.join(f).display());
    let options = [
        opt("ssl-ca", "ca.pem"),
        opt("ssl-cert", "server.pem"),
        opt("ssl-key", "server-key.pem"),
        "--bind-address=127.0.0.1,127.0.0.2".to_string(),
    ];
    let refs: Vec<&str> = options.iter().map(String::as_str).collect();
    (server_with(&refs), certs)
}

#[test]
fn verify_identity_checks_the_ca_and_the_name() {
    let (server, certs) = tls_server();
    assert_eq!(server.sql("", "SELECT @@have_ssl").trim(), "YES");
    let db = server.database("tls");
    server.sql(&db, "CREATE TABLE t (id int PRIMARY KEY)");
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("s.sql");
    std::fs::write(&schema, "CREATE TABLE t (id int PRIMARY KEY);\n").unwrap();
    let s = schema.to_str().unwrap();
    let url = |host: &str, mode: &str, ca: &str| {
        format!(
            "mysql://canon:canon-test-pw@{host}:{}/{db}?ssl-mode={mode}&ssl-ca={}",
            server.port,
            certs.join(ca).display()
        )
    };
    let check = |u: String| canon(&["check", "--schema", s, "--target", &u]);

    let ok = check(url("127.0.0.1", "verify-identity", "ca.pem"));
    assert_eq!(ok.status.code(), Some(0), "{}", out(&ok));

    let wrong_ca = check(url("127.0.0.1", "verify-identity", "other-ca.pem"));
    assert_eq!(wrong_ca.status.code(), Some(1), "{}", out(&wrong_ca));
    assert!(
        out(&wrong_ca).contains("TLS with 127.0.0.1"),
        "{}",
        out(&wrong_ca)
    );
    let wrong_ca = check(url("127.0.0.1", "verify-ca", "other-ca.pem"));
    assert_eq!(wrong_ca.status.code(), Some(1), "{}", out(&wrong_ca));

    // 127.0.0.2 reaches the same server, but the certificate does not name it.
    let wrong_name = check(url("127.0.0.2", "verify-identity", "ca.pem"));
    assert_eq!(wrong_name.status.code(), Some(1), "{}", out(&wrong_name));
    assert!(
        out(&wrong_name).contains("TLS with 127.0.0.2"),
        "{}",
        out(&wrong_name)
    );
    assert!(!out(&wrong_name).contains("canon-test-pw"));
    // verify-ca with the right CA. (The driver, mysql_async 0.37 with rustls 0.23, checks the
    // name under verify-ca too, so 127.0.0.2 is refused there as well: stricter, documented.)
    let ca_only = check(url("127.0.0.1", "verify-ca", "ca.pem"));
    assert_eq!(ca_only.status.code(), Some(0), "{}", out(&ca_only));
    // The server read its certificates when it started.
    let _ = std::fs::remove_dir_all(&certs);
}
