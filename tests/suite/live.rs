//! canon against a real server (the throwaway MariaDB of `common`).

use crate::common;

use crate::helpers::{check_live, drift, load, plan, root};
use canon::render::review;
use common::{canon, out, server};
use std::path::PathBuf;

/// Every DDL fixture that loads as written.
fn fixtures() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures/roundtrip"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    for case in std::fs::read_dir(root().join("fixtures/cases")).unwrap() {
        let dir = case.unwrap().path();
        files.push(dir.join("current.sql"));
        files.push(dir.join("desired.sql"));
    }
    files.push(root().join("schema/arisgourmet"));
    files.push(root().join("fixtures/hostile/desired.sql"));
    files.push(root().join("fixtures/legacy-src/arisgourmet-legacy.ddl.sql"));
    // A `keep-compat-view` note adds a view the server never sees in the file itself.
    files.retain(|f| !std::fs::read_to_string(f).is_ok_and(|t| t.contains("keep-compat-view")));
    files.sort();
    files
}

#[test]
fn every_fixture_round_trips_with_zero_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let fixtures = fixtures();
    assert!(fixtures.len() >= 80, "{} fixtures", fixtures.len());
    let mut tables = 0;
    for f in &fixtures {
        let db = server().database("rt");
        load(&db, f);
        // The server's model of what it stored equals canon's model of the file.
        let live = plan(f, server().url(&db), false);
        assert!(
            live.objects.is_empty(),
            "{}: live drift:\n{}",
            f.display(),
            drift(&live)
        );
        // So does the server's own dump of it, with its programs (triggers are in by default).
        let options = ["--no-data", "--routines", "--events", "--skip-dump-date"];
        let dump = server().dump_with(&db, tmp.path(), &options);
        let dumped = plan(f, dump.display().to_string(), false);
        assert!(
            dumped.objects.is_empty(),
            "{}: dump drift:\n{}",
            f.display(),
            drift(&dumped)
        );
        tables += server().show_create_all(&db).len();
    }
    let check = canon(&["check", "--schema", "schema/arisgourmet", "--target", &{
        let db = server().database("rtcli");
        load(&db, &root().join("schema/arisgourmet"));
        server().url(&db)
    }]);
    assert_eq!(check.status.code(), Some(0), "{}", out(&check));
    eprintln!("round trip: {} fixtures, {tables} tables", fixtures.len());
}

/// A column dropped and added back (its generation changes) is not dropped again when the
/// script runs again: the values written to it since stay.
#[test]
fn a_column_added_back_is_not_dropped_again_by_a_second_run() {
    let tmp = tempfile::tempdir().unwrap();
    let case = root().join("fixtures/cases/generated-column-kinds");
    let desired = case.join("desired.sql");
    let db = server().database("regen");
    load(&db, &case.join("current.sql"));
    server().sql(&db, "INSERT INTO t (id, a, r, x) VALUES (1, 1, 7, 8)");
    let doc = plan(&desired, server().url(&db), true);
    let file = tmp.path().join("regen.sql");
    std::fs::write(&file, review::script(&doc)).unwrap();
    for run in ["first", "second"] {
        let applied = server().run_file(&db, &file);
        assert!(
            applied.status.success(),
            "{run} run: {}",
            String::from_utf8_lossy(&applied.stderr)
        );
        if run == "first" {
            // `g` is a regular column now: what is written to it is data.
            server().sql(&db, "UPDATE t SET g = 42");
        }
    }
    assert_eq!(server().sql(&db, "SELECT g FROM t").trim(), "42");
    assert!(plan(&desired, server().url(&db), true).objects.is_empty());
}

#[test]
fn the_legacy_database_converges_keeping_its_rows() {
    let tmp = tempfile::tempdir().unwrap();
    let db = server().database("legacy");
    load(
        &db,
        &root().join("fixtures/legacy-src/arisgourmet-legacy.ddl.sql"),
    );
    server().sql(&db, "INSERT INTO users (email, password_hash, full_name) VALUES ('a@x', 'h', 'Ana'), ('b@x', 'h', 'Beto'); INSERT INTO roles (name) VALUES ('admin'); INSERT INTO user_roles (user_id, role_id) VALUES (1, 1), (2, 1)");
    let check = check_live("schema/arisgourmet", &db);
    assert_eq!(check.status.code(), Some(2), "{}", out(&check));

    let doc = plan(&root().join("schema/arisgourmet"), server().url(&db), true);
    let script = tmp.path().join("legacy.sql");
    std::fs::write(&script, review::script(&doc)).unwrap();
    let applied = server().run_file(&db, &script);
    assert!(
        applied.status.success(),
        "{}",
        String::from_utf8_lossy(&applied.stderr)
    );
    let check = check_live("schema/arisgourmet", &db);
    assert_eq!(check.status.code(), Some(0), "{}", out(&check));
    assert_eq!(server().sql(&db, "SELECT COUNT(*) FROM users").trim(), "2");
    assert_eq!(
        server().sql(&db, "SELECT COUNT(*) FROM user_roles").trim(),
        "2"
    );
}

#[test]
fn unsupported_tables_are_named_and_fail_the_check() {
    let db = server().database("unsup");
    // A kind of table canon does not model yet, a key WITHOUT OVERLAPS, beside a sequence
    // (which canon reads).
    server().sql(
        &db,
        "CREATE TABLE ok (id int PRIMARY KEY);
        CREATE TABLE parts (id int, valid_from date, valid_to date, PERIOD FOR valid (valid_from, valid_to), PRIMARY KEY (id, valid WITHOUT OVERLAPS)); CREATE SEQUENCE seq1;",
    );
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("ok.sql");
    std::fs::write(&schema, "CREATE TABLE ok (id int PRIMARY KEY);").unwrap();
    let schema = schema.to_str().unwrap();
    let o = check_live(schema, &db);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(
        out(&o).contains("`parts`: key WITHOUT OVERLAPS: a key over an application-time period (WITHOUT OVERLAPS) is not modelled")
            && !out(&o).contains("`seq1`"),
        "{}",
        out(&o)
    );
    // Left out by the configuration, it stops nothing: the rest is compared, and the
    // sequence the schema does not hold is drift.
    let config = dir.path().join("canon.yaml");
    std::fs::write(&config, "ignore: [parts]\n").unwrap();
    let url = server().url(&db);
    let o = canon(&[
        "check",
        "--config",
        config.to_str().unwrap(),
        "--schema",
        schema,
        "--target",
        &url,
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(out(&o).contains("sequence `seq1`"), "{}", out(&o));
    std::fs::write(&config, "ignore: [parts, seq1]\n").unwrap();
    let url = server().url(&db);
    let args = [
        "check",
        "--config",
        config.to_str().unwrap(),
        "--schema",
        schema,
        "--target",
        &url,
    ];
    let o = canon(&args);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    server().sql(&db, "DROP TABLE ok");
    let o = canon(&args);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
}

#[test]
fn triggers_and_routines_the_canonical_schema_lacks_are_drift() {
    let db = server().database("trg");
    server().sql(&db, "CREATE TABLE t (id int PRIMARY KEY); CREATE TRIGGER trg_t BEFORE INSERT ON t FOR EACH ROW SET NEW.id = NEW.id; CREATE PROCEDURE p_noop() SELECT 1");
    let schema = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(schema.path(), "CREATE TABLE t (id int PRIMARY KEY);").unwrap();
    let o = canon(&[
        "plan",
        "--schema",
        schema.path().to_str().unwrap(),
        "--target",
        &server().url(&db),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    // Dropping them is destructive: left out, with the reason.
    for part in [
        "trigger `trg_t` (not in the canonical schema)",
        "procedure `p_noop` (not in the canonical schema)",
        "changes what writes do: an INSERT on table `t` no longer runs it (BEFORE each row)",
        "code that calls it fails",
    ] {
        assert!(out(&o).contains(part), "{part:?} in {}", out(&o));
    }
    let check = check_live(schema.path().to_str().unwrap(), &db);
    assert_eq!(check.status.code(), Some(2), "{}", out(&check));
}

/// A full backup made the runbooks' way, with rows, triggers, routines and events, read as
/// the current schema and as the canonical one.
#[test]
fn a_full_backup_with_data_and_routines_is_a_target_and_a_schema() {
    let canonical = "CREATE TABLE customer (\n  id int NOT NULL AUTO_INCREMENT PRIMARY KEY,\n  name varchar(60) NOT NULL,\n  note text\n);\nCREATE TABLE orders (\n  id int NOT NULL AUTO_INCREMENT PRIMARY KEY,\n  customer_id int NOT NULL,\n  total decimal(10,2) NOT NULL DEFAULT 0,\n  CONSTRAINT fk_customer FOREIGN KEY (customer_id) REFERENCES customer (id)\n);\nCREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100;\n";
    let db = server().database("backup");
    server().sql(&db, canonical);
    server().sql(
        &db,
        "INSERT INTO customer (name, note) VALUES ('a;b', 'it''s \\\\ -- not a comment;\\n/* nor this */'), ('DELIMITER ;;', NULL), ('x', 'line\nbreak');\n\
         INSERT INTO orders (customer_id, total) SELECT c.id, seq * 10 FROM customer c, seq_1_to_50;\n\
         DELIMITER //\n\
         CREATE TRIGGER orders_total BEFORE INSERT ON orders FOR EACH ROW BEGIN IF NEW.total < 0 THEN SET NEW.total = 0; END IF; END//\n\
         CREATE PROCEDURE refill(IN n int) BEGIN DECLARE i int DEFAULT 0; WHILE i < n DO INSERT INTO customer (name) VALUES (CONCAT('c', i)); SET i = i + 1; END WHILE; END//\n\
         DELIMITER ;\n\
         CREATE FUNCTION twice(x int) RETURNS int DETERMINISTIC RETURN x * 2;\n\
         CREATE EVENT nightly ON SCHEDULE EVERY 1 DAY DO DELETE FROM orders WHERE total = 0;",
    );
    let dir = tempfile::tempdir().unwrap();
    let backup = server().dump_with(
        &db,
        dir.path(),
        &[
            "--single-transaction",
            "--routines",
            "--triggers",
            "--events",
        ],
    );
    let text = std::fs::read_to_string(&backup).unwrap();
    for part in [
        "INSERT INTO `orders`",
        "DELIMITER ;;",
        "CREATE DEFINER",
        "EVENT `nightly`",
    ] {
        assert!(text.contains(part), "the backup holds {part}");
    }
    let wanted = dir.path().join("canonical.sql");
    std::fs::write(&wanted, canonical).unwrap();
    let (wanted, backup) = (wanted.to_str().unwrap(), backup.to_str().unwrap());

    let as_target = canon(&["plan", "--schema", wanted, "--target", backup]);
    assert_eq!(as_target.status.code(), Some(0), "{}", out(&as_target));
    for warning in [
        "INSERT statements skipped (the first one shown): data, not schema (target, ",
        // The canonical files lack the backup's programs: they would be dropped.
        "trigger `orders_total` (not in the canonical schema)",
        "procedure `refill` (not in the canonical schema)",
        "function `twice` (not in the canonical schema)",
        "event `nightly` (not in the canonical schema)",
    ] {
        assert!(
            out(&as_target).contains(warning),
            "{warning:?} in {}",
            out(&as_target)
        );
    }
    let check = canon(&["check", "--schema", wanted, "--target", backup]);
    assert_eq!(check.status.code(), Some(2), "{}", out(&check));
    let check = canon(&["check", "--schema", backup, "--target", &server().url(&db)]);
    assert_eq!(check.status.code(), Some(0), "{}", out(&check));
}

#[test]
fn dump_writes_canonical_files_that_round_trip() {
    for fixture in [
        "schema/arisgourmet",
        "fixtures/roundtrip/38-views-nested.sql",
        "fixtures/roundtrip/41-unicode-names.sql",
        "fixtures/roundtrip/28-foreign-keys.sql",
    ] {
        let db = server().database("dump");
        load(&db, &root().join(fixture));
        let dir = tempfile::tempdir().unwrap();
        let o = canon(&[
            "dump",
            "--target",
            &server().url(&db),
            "--out",
            dir.path().to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{fixture}: {}", out(&o));
        let check = check_live(dir.path().to_str().unwrap(), &db);
        assert_eq!(check.status.code(), Some(0), "{fixture}: {}", out(&check));
        // The files load as they are into an empty database, and give the same tables.
        let copy = server().database("dumpcopy");
        load(&copy, &dir.path().join("tables"));
        if dir.path().join("views").exists() {
            load(&copy, &dir.path().join("views"));
        }
        assert_eq!(
            server().show_create_all(&copy),
            server().show_create_all(&db),
            "{fixture}"
        );
        let check = check_live(fixture, &copy);
        assert_eq!(check.status.code(), Some(0), "{fixture}: {}", out(&check));
    }
}

#[test]
fn validate_reads_the_applications_migrations_table() {
    let db = server().database("validate");
    load(&db, &root().join("schema/arisgourmet"));
    server().sql(
        &db,
        "INSERT INTO migrations (timestamp, name) VALUES (1, '001_init'), (2, '002_outbox')",
    );
    let url = server().url(&db);
    let v = |extra: &[&str]| {
        let mut args = vec![
            "validate",
            "--schema",
            "schema/arisgourmet",
            "--target",
            &url,
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        canon(&args)
    };
    let o = v(&[
        "--require-migration",
        "001_init",
        "--require-migration",
        "003_refresh_tokens",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        report["missing_migrations"],
        serde_json::json!(["003_refresh_tokens"])
    );
    assert_eq!(report["missing_tables"], serde_json::json!([]));
    let o = v(&["--require-migration", "002_outbox"]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let o = v(&[
        "--require-migration",
        "x",
        "--migrations-table",
        "no_such_table",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        out(&o).contains("reading `no_such_table`.`name`"),
        "{}",
        out(&o)
    );
}

/// The statement with an `ALGORITHM=..., LOCK=...` clause; Err holds the server's refusal.
fn alter_with(db: &str, sql: &str, algorithm: &str, lock: &str) -> Result<(), String> {
    let o = server().client_output(db, &format!("{sql},\n  ALGORITHM={algorithm}, LOCK={lock}"));
    if o.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&o.stderr).into_owned())
    }
}

#[test]
fn online_predictions_are_what_the_server_does() {
    use canon::plan::online::{Algorithm, Lock};
    use canon::plan::{Action, AlterClause};
    let better = |a: Algorithm| match a {
        Algorithm::Instant => None,
        Algorithm::NoRebuild => Some(Algorithm::Instant),
        Algorithm::Rebuild => Some(Algorithm::NoRebuild),
        Algorithm::Copy => Some(Algorithm::Rebuild),
    };
    let weaker = |l: Lock| match l {
        Lock::None => None,
        Lock::Shared => Some(Lock::None),
        Lock::Exclusive => Some(Lock::Shared),
    };
    let (mut confirmed, mut refuted) = (0, 0);
    for (case, dir) in crate::cases::checked_online() {
        let db = server().database("online");
        load(&db, &dir.join("current.sql"));
        let doc = plan(&dir.join("desired.sql"), server().url(&db), true);
        let flavor: canon::flavor::Flavor = doc.flavor.parse().unwrap();
        for s in &doc.steps {
            // The server takes no ALGORITHM/LOCK with a partition operation.
            let partition_op = matches!(&s.action, Some(Action::AlterTable { clauses, .. })
                if clauses.iter().any(AlterClause::is_partition_op));
            let (Some(o), false) = (&s.online, partition_op) else {
                server().sql(&db, &s.sql);
                continue;
            };
            let what = format!("{case} step {} ({})", s.id, s.summary.join(", "));
            // MariaDB takes any ALGORITHM with a new engine, and copies anyway.
            let new_engine = matches!(&s.action, Some(Action::AlterTable { clauses, .. })
                if clauses.iter().any(|c| matches!(c, AlterClause::Options { options } if options.engine.is_some())));
            if let Some(b) = better(o.algorithm).filter(|_| !new_engine) {
                let e = alter_with(&db, &s.sql, b.clause(flavor), o.lock.clause())
                    .expect_err(&format!("{what}: the server also runs it as {b:?}: {o:?}"));
                assert!(e.contains("not supported"), "{what}: {e}");
                refuted += 1;
            }
            if let Some(w) = weaker(o.lock) {
                let e = alter_with(&db, &s.sql, o.algorithm.clause(flavor), w.clause()).expect_err(
                    &format!("{what}: the server also runs it with LOCK={w:?}: {o:?}"),
                );
                assert!(e.contains("not supported"), "{what}: {e}");
                refuted += 1;
            }
            alter_with(&db, &s.sql, o.algorithm.clause(flavor), o.lock.clause())
                .unwrap_or_else(|e| panic!("{what}: predicted {o:?}, refused: {e}"));
            confirmed += 1;
        }
        let again = plan(&dir.join("desired.sql"), server().url(&db), true);
        assert!(again.objects.is_empty(), "{case}: {}", drift(&again));
    }
    assert!(
        confirmed >= 40 && refuted >= 40,
        "{confirmed} confirmed, {refuted} refuted"
    );
}
