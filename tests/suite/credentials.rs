//! Who canon connects as. A user with too few privileges is told the grant it lacks; and a
//! canary password, given by each way canon takes one (URL, `DB_PASSWORD`, a targets file,
//! `canon.yaml`'s `password_env`, an option file), never appears in anything canon writes:
//! stdout and stderr of every command in every format, on success and on each kind of
//! failure, the files it writes (plan, dump, backup) and its history table.

use crate::common;
use common::*;
use std::path::{Path, PathBuf};

const CANARY: &str = "Canary-7f3Qx9";
const USER: &str = "canary";
const SCHEMA: &str = "schema/arisgourmet";

/// One way of giving the password: the arguments and environment that name `db` on `port`.
struct Way {
    name: &'static str,
    args: Vec<String>,
    env: Vec<(String, String)>,
}

/// `timeout` seconds, for a server that never answers.
fn ways(dir: &Path, port: u16, db: &str, timeout: u8) -> Vec<Way> {
    let query = format!("ssl-mode=disabled&timeout={timeout}");
    let bare = format!("mysql://{USER}@127.0.0.1:{port}/{db}?{query}");
    let options = dir.join("my.cnf");
    std::fs::write(&options, format!("[client]\npassword={CANARY}\n")).unwrap();
    let config = dir.join("canon.yaml");
    std::fs::write(
        &config,
        format!("environments:\n  ci:\n    target: {bare}\n    password_env: CANARY_PW\n    allow_destructive: true\n"),
    )
    .unwrap();
    let s = |v: &str| v.to_string();
    vec![
        Way {
            name: "URL",
            args: vec![
                s("--target"),
                format!("mysql://{USER}:{CANARY}@127.0.0.1:{port}/{db}?{query}"),
            ],
            env: vec![],
        },
        Way {
            name: "DB_PASSWORD",
            args: vec![],
            env: vec![
                (s("DB_HOST"), s("127.0.0.1")),
                (s("DB_PORT"), port.to_string()),
                (s("DB_USER"), s(USER)),
                (s("DB_PASSWORD"), s(CANARY)),
                (s("DB_NAME"), s(db)),
                (s("DB_TIMEOUT"), timeout.to_string()),
            ],
        },
        Way {
            name: "canon.yaml",
            args: vec![
                s("--config"),
                config.display().to_string(),
                s("--env"),
                s("ci"),
            ],
            env: vec![(s("CANARY_PW"), s(CANARY))],
        },
        Way {
            name: "option file",
            args: vec![
                s("--defaults-file"),
                options.display().to_string(),
                s("--target"),
                bare,
            ],
            env: vec![],
        },
    ]
}

/// Runs canon with HOME in `dir` (no `~/.my.cnf` but the test's) and fails on any canary.
fn run(dir: &Path, way: &Way, args: &[&str]) -> std::process::Output {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(way.args.iter().map(String::as_str));
    let mut env: Vec<(&str, &str)> = way
        .env
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let home = dir.display().to_string();
    env.push(("HOME", &home));
    let o = canon_env(&all, &env);
    let text = out(&o);
    assert!(
        !text.contains(CANARY),
        "{}: `canon {}` shows the password:\n{text}",
        way.name,
        args.join(" ")
    );
    o
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// Every file canon wrote under `dir` (the inputs the test wrote itself aside).
fn assert_no_canary_in_files(dir: &Path) {
    let mut files = Vec::new();
    files_under(dir, &mut files);
    let inputs = ["my.cnf", "canon.yaml", "targets.txt"];
    for f in files {
        if inputs.iter().any(|i| f.ends_with(i)) {
            continue;
        }
        let bytes = std::fs::read(&f).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(CANARY),
            "{} holds the password",
            f.display()
        );
    }
}

/// The runbooks' legacy schema, loaded as a DBA would: drift for every command to report.
fn legacy(db: &str) {
    let o = server().run_file(db, Path::new("fixtures/arisgourmet-legacy.sql"));
    assert!(o.status.success(), "{}", out(&o));
}

fn canary_user() {
    server().sql(
        "",
        &format!(
            "CREATE USER IF NOT EXISTS '{USER}'@'127.0.0.1' IDENTIFIED BY '{CANARY}'; \
             GRANT ALL ON *.* TO '{USER}'@'127.0.0.1'"
        ),
    );
}

#[test]
fn no_command_shows_the_password_on_success() {
    canary_user();
    let port = server().port;
    for i in 0..4 {
        let db = server().database("canary");
        legacy(&db);
        let dir = tempfile::tempdir().unwrap();
        let way = &ways(dir.path(), port, &db, 30)[i];
        let d = |f: &str| dir.path().join(f).display().to_string();
        for format in ["text", "json", "junit", "github", "markdown"] {
            let o = run(
                dir.path(),
                way,
                &["check", "--schema", SCHEMA, "--format", format],
            );
            assert_eq!(o.status.code(), Some(2), "{}: {}", way.name, out(&o));
        }
        for format in ["text", "yaml", "json", "sql", "markdown"] {
            run(
                dir.path(),
                way,
                &["plan", "--schema", SCHEMA, "--format", format],
            );
        }
        for format in ["text", "json"] {
            run(
                dir.path(),
                way,
                &["validate", "--schema", SCHEMA, "--format", format],
            );
        }
        let o = run(dir.path(), way, &["dump", "--out", &d("dump")]);
        assert_eq!(o.status.code(), Some(0), "{}: {}", way.name, out(&o));
        let plan = d("plan.yaml");
        let args = [
            "plan",
            "--schema",
            SCHEMA,
            "--allow-destructive",
            "--out",
            &plan,
        ];
        let o = run(dir.path(), way, &args);
        assert_eq!(o.status.code(), Some(0), "{}: {}", way.name, out(&o));
        for format in SHOW_FORMATS {
            let o = canon(&["show", &plan, "--format", format]);
            assert!(
                o.status.success() && !out(&o).contains(CANARY),
                "{}",
                out(&o)
            );
        }
        let o = canon(&["approve", &plan, "--by", "dba"]);
        assert!(
            o.status.success() && !out(&o).contains(CANARY),
            "{}",
            out(&o)
        );
        let args = ["apply", &plan, "--yes", "--backup-dir", &d("backup")];
        let o = run(dir.path(), way, &args);
        assert_eq!(o.status.code(), Some(0), "{}: {}", way.name, out(&o));
        // Applied again: it finds every step done.
        run(dir.path(), way, &args);
        let o = run(dir.path(), way, &["check", "--schema", SCHEMA]);
        assert_eq!(o.status.code(), Some(0), "{}: {}", way.name, out(&o));
        assert_no_canary_in_files(dir.path());
        let history = server().sql(&db, "SELECT * FROM canon_history");
        assert!(
            !history.is_empty() && !history.contains(CANARY),
            "{history}"
        );
    }
}

#[test]
fn no_failure_shows_the_password() {
    canary_user();
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_port = silent.local_addr().unwrap().port();
    let closed_port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.yaml");
    let p = plan.display().to_string();
    let o = canon(&[
        "plan",
        "--schema",
        SCHEMA,
        "--target",
        "fixtures/arisgourmet-legacy.sql",
        "--out",
        &p,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    // Refused, unknown database, timeout, access denied (the canary for another user).
    let port = server().port;
    let failures = [
        (closed_port, "x".to_string()),
        (port, "no_such_database".to_string()),
        (silent_port, "x".to_string()),
    ];
    for (port, db) in failures {
        for way in ways(dir.path(), port, &db, 1) {
            for args in [
                vec!["check", "--schema", SCHEMA, "--format", "json"],
                vec!["check", "--schema", SCHEMA, "--format", "junit"],
                vec!["plan", "--schema", SCHEMA],
                vec!["validate", "--schema", SCHEMA, "--format", "json"],
                vec!["apply", &p, "--yes", "--no-backup"],
            ] {
                let o = run(dir.path(), &way, &args);
                assert_eq!(
                    o.status.code(),
                    Some(1),
                    "{} {args:?}: {}",
                    way.name,
                    out(&o)
                );
            }
        }
    }
    // Another user with the canary as a wrong password: access denied.
    let o = canon_env(
        &[
            "check",
            "--schema",
            SCHEMA,
            "--target",
            &format!("mysql://root:{CANARY}@127.0.0.1:{port}/x?ssl-mode=disabled"),
        ],
        &[],
    );
    assert!(
        !out(&o).contains(CANARY) && o.status.code() == Some(1),
        "{}",
        out(&o)
    );
    assert_no_canary_in_files(dir.path());
    drop(silent);
}

#[test]
fn a_targets_file_shows_databases_never_urls() {
    canary_user();
    let db = server().database("canary_list");
    legacy(&db);
    let dir = tempfile::tempdir().unwrap();
    let port = server().port;
    let list = dir.path().join("targets.txt");
    std::fs::write(
        &list,
        format!(
            "# the fleet\n\
             mysql://{USER}:{CANARY}@127.0.0.1:{port}/{db}?ssl-mode=disabled\n\
             mysql://{USER}:{CANARY}@127.0.0.1:1/gone   # decommissioned\n\
             mysql://{USER}:{CANARY}/x@127.0.0.1:{port}/{db}\n\
             {USER}:{CANARY}@127.0.0.1/{db}\n"
        ),
    )
    .unwrap();
    let l = list.display().to_string();
    for format in ["text", "json", "junit", "github", "markdown"] {
        let o = canon_env(
            &[
                "check",
                "--schema",
                SCHEMA,
                "--targets",
                &l,
                "--format",
                format,
            ],
            &[("HOME", &dir.path().display().to_string())],
        );
        let text = out(&o);
        assert_eq!(o.status.code(), Some(1), "{text}");
        assert!(!text.contains(CANARY), "{format}: {text}");
        assert!(!text.contains("/x@"), "{format}: {text}");
        assert!(
            text.contains(&format!("127.0.0.1:{port}/{db}")),
            "{format}: {text}"
        );
        // The two entries that are not URLs canon can read are named by their line.
        assert!(
            text.contains("targets.txt:4") && text.contains("targets.txt:5"),
            "{format}: {text}"
        );
    }
}

/// A CI user with SELECT only: the server hides view queries and foreign-key rules from it.
/// canon names the missing privilege and the grant; with that grant, check and plan work.
#[test]
fn a_read_only_user_is_told_the_grant_it_lacks() {
    let db = server().database("readonly");
    let o = server().run_file(&db, Path::new("fixtures/arisgourmet-canonical.sql"));
    assert!(o.status.success(), "{}", out(&o));
    server().sql(
        "",
        &format!(
            "CREATE USER 'ci_ro'@'127.0.0.1' IDENTIFIED BY 'ro-pw'; \
             GRANT SELECT ON `{db}`.* TO 'ci_ro'@'127.0.0.1'"
        ),
    );
    let url = format!(
        "mysql://ci_ro:ro-pw@127.0.0.1:{}/{db}?ssl-mode=disabled",
        server().port
    );
    let o = canon(&["check", "--schema", SCHEMA, "--target", &url]);
    let text = out(&o);
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(text.contains("lacks the SHOW VIEW privilege"), "{text}");
    assert!(
        text.contains(&format!(
            "GRANT SELECT, SHOW VIEW ON `{db}`.* TO 'ci_ro'@'HOST'"
        )),
        "{text}"
    );
    // Tables are read from SHOW CREATE TABLE, which shows foreign keys' rules to a user
    // with SELECT alone: only the views are hidden.
    assert!(
        text.contains("`v_order_totals`") && !text.contains("foreign key"),
        "{text}"
    );
    assert!(
        !text.contains("cannot parse") && !text.contains("ignore"),
        "{text}"
    );
    server().sql(
        "",
        &format!("GRANT SHOW VIEW ON `{db}`.* TO 'ci_ro'@'127.0.0.1'"),
    );
    let o = canon(&["check", "--schema", SCHEMA, "--target", &url]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let o = canon(&["plan", "--schema", SCHEMA, "--target", &url]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    for format in ["text", "json"] {
        let args = [
            "validate", "--schema", SCHEMA, "--target", &url, "--format", format,
        ];
        let o = canon(&args);
        assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    }
}
