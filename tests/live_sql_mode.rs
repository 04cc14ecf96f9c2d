//! A server whose sql_mode quotes names with `"` and reads strings without backslash
//! escapes: canon's sessions leave those flags out, so it reads `SHOW CREATE TABLE` and
//! writes string literals as on any other server; its `mysql` script does the same.

mod common;

use common::{approved_plan, canon, out, server_with};

const BEFORE: &str = r"CREATE TABLE files (
  id int NOT NULL PRIMARY KEY,
  path varchar(100) NOT NULL DEFAULT 'C:\\temp' COMMENT 'a \\ backslash, it''s'
) COMMENT='tab\\le';
CREATE VIEW v_files AS SELECT id, concat(path, '\\') AS p FROM files;
";

/// What the comment of the added column must read, byte for byte.
const NOTE: &str = r"back\slash 'quoted'";

fn after() -> String {
    BEFORE.replace(
        "COMMENT 'a \\\\ backslash, it''s'\n",
        "COMMENT 'a \\\\ backslash, it''s',\n  note varchar(10) NOT NULL DEFAULT '\\\\' COMMENT 'back\\\\slash ''quoted'''\n",
    )
}

#[test]
fn ansi_quotes_and_no_backslash_escapes_change_nothing_canon_reads_or_writes() {
    let server = server_with(&["--sql-mode=ANSI_QUOTES,NO_BACKSLASH_ESCAPES,STRICT_TRANS_TABLES"]);
    let mode = server.sql("", "SELECT @@GLOBAL.sql_mode");
    assert!(
        mode.contains("ANSI_QUOTES") && mode.contains("NO_BACKSLASH_ESCAPES"),
        "{mode}"
    );
    let dir = tempfile::tempdir().unwrap();
    let before = dir.path().join("before.sql");
    // The file is written for a default sql_mode, as canon's own output is.
    std::fs::write(
        &before,
        format!("SET SESSION sql_mode = 'STRICT_TRANS_TABLES';\n{BEFORE}"),
    )
    .unwrap();
    let canonical = dir.path().join("canonical.sql");
    std::fs::write(&canonical, BEFORE).unwrap();
    let want = dir.path().join("want.sql");
    std::fs::write(&want, after()).unwrap();

    for via_script in [false, true] {
        let db = server.database("modes");
        let loaded = server.run_file(&db, &before);
        assert!(
            loaded.status.success(),
            "{}",
            String::from_utf8_lossy(&loaded.stderr)
        );
        let url = server.url(&db);
        let check = canon(&[
            "check",
            "--schema",
            canonical.to_str().unwrap(),
            "--target",
            &url,
        ]);
        assert_eq!(check.status.code(), Some(0), "{}", out(&check));

        if via_script {
            let plan = canon(&[
                "plan",
                "--schema",
                want.to_str().unwrap(),
                "--target",
                &url,
                "--format",
                "sql",
            ]);
            assert_eq!(plan.status.code(), Some(0), "{}", out(&plan));
            let script = dir.path().join("plan.sql");
            std::fs::write(&script, &plan.stdout).unwrap();
            let ran = server.run_file(&db, &script);
            assert!(
                ran.status.success(),
                "{}",
                String::from_utf8_lossy(&ran.stderr)
            );
        } else {
            let plan = approved_plan(dir.path(), &url, &after());
            let applied = canon(&["apply", plan.to_str().unwrap(), "--target", &url, "--yes"]);
            assert_eq!(applied.status.code(), Some(0), "{}", out(&applied));
        }
        let comment = server.sql(
            "",
            &format!("SELECT HEX(COLUMN_COMMENT), HEX(COLUMN_DEFAULT) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '{db}' AND COLUMN_NAME = 'note'"),
        );
        let hex = |s: &str| s.bytes().map(|b| format!("{b:02X}")).collect::<String>();
        assert_eq!(
            comment.trim(),
            format!("{}\t{}", hex(NOTE), hex(r"'\\'")),
            "via script: {via_script}"
        );
        let check = canon(&[
            "check",
            "--schema",
            want.to_str().unwrap(),
            "--target",
            &url,
        ]);
        assert_eq!(
            check.status.code(),
            Some(0),
            "via script: {via_script}: {}",
            out(&check)
        );
    }
}

#[test]
fn sessions_keep_strictness_and_drop_what_changes_printing_or_reading() {
    let server = server_with(&["--sql-mode=ANSI_QUOTES,NO_BACKSLASH_ESCAPES,STRICT_TRANS_TABLES"]);
    let after = |mode: &str| {
        let sql = format!(
            "SET SESSION sql_mode = '{mode}'; {}; SELECT @@SESSION.sql_mode",
            canon::sql::session::sql_mode_statement()
        );
        server.sql("", &sql).trim().to_string()
    };
    assert_eq!(
        after("STRICT_TRANS_TABLES,ANSI_QUOTES,NO_ZERO_DATE,NO_BACKSLASH_ESCAPES,NO_ENGINE_SUBSTITUTION"),
        "STRICT_TRANS_TABLES,NO_ZERO_DATE,NO_ENGINE_SUBSTITUTION"
    );
    // MariaDB's ORACLE mode, which the server spells out as its flags.
    assert_eq!(
        after("ORACLE"),
        "PIPES_AS_CONCAT,IGNORE_SPACE,NO_AUTO_CREATE_USER,SIMULTANEOUS_ASSIGNMENT"
    );
    assert_eq!(after(""), "");
}
