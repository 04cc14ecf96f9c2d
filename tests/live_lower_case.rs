//! A server with `lower_case_table_names=1` stores table names in lower case; canonical DDL
//! written in mixed case must still compare equal, and plans must converge.

mod common;

use common::{canon, out, server_with};
use std::path::Path;

const MIXED: &str = "CREATE TABLE Users (Id int PRIMARY KEY, Name varchar(20));
CREATE TABLE Orders (id int PRIMARY KEY, user_id int, CONSTRAINT fk_orders_users FOREIGN KEY (user_id) REFERENCES Users (Id));
CREATE VIEW V_Orders AS SELECT Orders.id, Users.Name FROM Orders JOIN Users ON Users.Id = Orders.user_id;
";

#[test]
fn mixed_case_names_match_a_lower_case_server() {
    let server = server_with(&["--lower-case-table-names=1"]);
    assert_eq!(
        server.sql("", "SELECT @@lower_case_table_names").trim(),
        "1"
    );
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("schema.sql");
    std::fs::write(&schema, MIXED).unwrap();
    let schema = schema.to_str().unwrap();

    // Loaded as written: the server lower-cases the names; canon sees no drift.
    let db = server.database("lctn");
    let loaded = server.run_file(&db, Path::new(schema));
    assert!(
        loaded.status.success(),
        "{}",
        String::from_utf8_lossy(&loaded.stderr)
    );
    let check = canon(&["check", "--schema", schema, "--target", &server.url(&db)]);
    assert_eq!(check.status.code(), Some(0), "{}", out(&check));

    // From an empty database, the plan creates what is missing and converges.
    let empty = server.database("lctn_empty");
    let plan = canon(&[
        "plan",
        "--schema",
        schema,
        "--target",
        &server.url(&empty),
        "--format",
        "sql",
    ]);
    assert_eq!(plan.status.code(), Some(0), "{}", out(&plan));
    let script = dir.path().join("plan.sql");
    std::fs::write(&script, &plan.stdout).unwrap();
    let applied = server.run_file(&empty, &script);
    assert!(
        applied.status.success(),
        "{}",
        String::from_utf8_lossy(&applied.stderr)
    );
    let check = canon(&["check", "--schema", schema, "--target", &server.url(&empty)]);
    assert_eq!(check.status.code(), Some(0), "{}", out(&check));
}
