//! Servers that must not be written to, and a backup that cannot be written (or fills the disk): `canon apply`
//! refuses before any step. A binary of its own: it changes global server settings.

mod common;

use common::{canon, out, throwaway_server as server};

#[test]
fn read_only_servers_replicas_and_unwritable_backups_are_refused_before_any_step() {
    let dir = tempfile::tempdir().unwrap();
    let db = server().database("faults");
    server().sql(&db, "CREATE TABLE t (id int PRIMARY KEY)");
    let url = server().url(&db);
    let plan = common::approved_plan(
        dir.path(),
        &url,
        "CREATE TABLE t (id int PRIMARY KEY, note varchar(20));\n",
    );
    let p = plan.to_str().unwrap();
    let unchanged = || {
        server()
            .sql(&db, "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 't'")
            .trim()
            == "1"
    };
    let apply = |extra: &[&str]| {
        let mut args = vec!["apply", p, "--target", &url, "--yes"];
        args.extend_from_slice(extra);
        canon(&args)
    };

    server().sql("", "SET GLOBAL read_only = 1");
    let o = apply(&[]);
    server().sql("", "SET GLOBAL read_only = 0");
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(
        out(&o).contains("does not take writes: the server runs with read_only = ON"),
        "{}",
        out(&o)
    );
    assert!(unchanged());

    // A configured (not even running) replication source makes it a replica.
    server().sql(
        "",
        "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=9, MASTER_USER='repl'",
    );
    let o = apply(&[]);
    server().sql("", "RESET SLAVE ALL");
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(out(&o).contains("it is a replica"), "{}", out(&o));
    assert!(unchanged());

    // A backup directory that cannot be created: refused, nothing changed.
    let blocker = dir.path().join("a-file");
    std::fs::write(&blocker, "not a directory").unwrap();
    let o = apply(&["--backup-dir", blocker.join("backups").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(
        out(&o).contains("backup failed: cannot create"),
        "{}",
        out(&o)
    );
    assert!(unchanged());

    // A disk that fills during the dump: files this process and its children write are
    // capped at 16 KiB (the dump of 5,000 rows is larger), and the signal the cap raises is
    // ignored, so the dump tool sees a failing write as it would on a full disk.
    server().sql(&db, "INSERT INTO t SELECT seq FROM seq_1_to_5000");
    let backups = dir.path().join("full");
    let o = std::process::Command::new("bash")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 16; exec \"$0\" \"$@\"")
        .arg(common::canon_binary())
        .args(["apply", p, "--target", &url, "--yes", "--backup-dir"])
        .arg(&backups)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(out(&o).contains("backup failed:"), "{}", out(&o));
    assert!(
        out(&o).contains("errno"),
        "the dump tool's own error is shown: {}",
        out(&o)
    );
    assert!(unchanged());
    assert_eq!(
        std::fs::read_dir(&backups).unwrap().count(),
        0,
        "the cut file is removed"
    );

    let o = apply(&[]);
    assert_eq!(o.status.code(), Some(0), "and then it applies: {}", out(&o));
    assert!(!unchanged());
}
