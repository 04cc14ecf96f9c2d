//! A server with `aria_page_checksum=OFF` gives a new Aria table no page checksums, and
//! prints `PAGE_CHECKSUM=0` for it; canonical DDL that does not say must compare equal, and
//! a table that asks for them must still differ.

mod common;

use common::{canon, out, server_with};
use std::path::Path;

const ARIA: &str = "CREATE TABLE plain (id int PRIMARY KEY) ENGINE=Aria;
CREATE TABLE checked (id int PRIMARY KEY) ENGINE=Aria PAGE_CHECKSUM=1;
CREATE TABLE parts (id int) ENGINE=Aria PARTITION BY HASH (id) PARTITIONS 2;
";

#[test]
fn an_unwritten_page_checksum_is_the_servers_default() {
    let server = server_with(&["--aria-page-checksum=0"]);
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("schema.sql");
    std::fs::write(&schema, ARIA).unwrap();
    let schema = schema.to_str().unwrap();
    let db = server.database("aria");
    let loaded = server.run_file(&db, Path::new(schema));
    assert!(
        loaded.status.success(),
        "{}",
        String::from_utf8_lossy(&loaded.stderr)
    );
    let shown = server.show_create_all(&db).join("\n");
    assert!(shown.contains("PAGE_CHECKSUM=0"), "{shown}");
    let check = canon(&["check", "--schema", schema, "--target", &server.url(&db)]);
    assert_eq!(check.status.code(), Some(0), "{}", out(&check));

    // Asking for checksums where the table has none is drift.
    let asks = dir.path().join("asks.sql");
    std::fs::write(
        &asks,
        ARIA.replace("ENGINE=Aria;", "ENGINE=Aria PAGE_CHECKSUM=1;"),
    )
    .unwrap();
    let check = canon(&[
        "check",
        "--schema",
        asks.to_str().unwrap(),
        "--target",
        &server.url(&db),
    ]);
    assert_eq!(check.status.code(), Some(2), "{}", out(&check));
    assert!(out(&check).contains("plain"), "{}", out(&check));
}
