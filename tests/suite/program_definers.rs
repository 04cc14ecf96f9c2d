//! Programs' definers on the server: writing another account's `DEFINER=` (the preflight
//! asks for SET USER, with the GRANT to run) and `programs.definer: CURRENT_USER` (pinned to
//! who plans and applies). Binary logging's demands are tests/live_binlog.rs (a server of
//! its own).

use crate::common::{canon, canon_env, out, server};

/// A database with table `t`, and a user of its own holding the table privileges and
/// TRIGGER there (no SUPER, no SET USER). Returns (database, user).
fn database_and_user(prefix: &str) -> (String, String) {
    let s = server();
    let db = s.database(prefix);
    s.sql(&db, "CREATE TABLE t (id int PRIMARY KEY, n int)");
    let user = format!("{prefix}_{}", std::process::id());
    s.sql(
        "",
        &format!(
            "CREATE USER '{user}'@'127.0.0.1' IDENTIFIED BY 'Def-pw-7'; \
             GRANT SELECT, INSERT, UPDATE, CREATE, DROP, ALTER, TRIGGER ON `{}`.* TO '{user}'@'127.0.0.1'",
            db.replace('_', "\\_")
        ),
    );
    (db, user)
}

const PASSWORD: [(&str, &str); 1] = [("DB_PASSWORD", "Def-pw-7")];
/// The harness's other account, `canon`@`127.0.0.1` (ALL ON *.*).
const CANON: [(&str, &str); 1] = [("DB_PASSWORD", "canon-test-pw")];

fn definer_of(db: &str, trigger: &str) -> String {
    server()
        .sql(
            db,
            &format!("SELECT DEFINER FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND TRIGGER_NAME = '{trigger}'"),
        )
        .trim()
        .to_string()
}

/// `canon CMD --config dir/canon.yaml --schema dir/want.sql --target url MORE...`.
fn with_config(
    cmd: &str,
    dir: &std::path::Path,
    url: &str,
    env: &[(&str, &str)],
    more: &[&str],
) -> std::process::Output {
    let (cfg, schema) = (dir.join("canon.yaml"), dir.join("want.sql"));
    let mut args = vec![
        cmd,
        "--config",
        cfg.to_str().unwrap(),
        "--schema",
        schema.to_str().unwrap(),
        "--target",
        url,
    ];
    args.extend(more);
    canon_env(&args, env)
}

/// Plan and approve as `url`'s user, under `config`; the plan file.
fn approved(dir: &std::path::Path, config: &str, want: &str, url: &str) -> String {
    std::fs::write(dir.join("canon.yaml"), config).unwrap();
    std::fs::write(dir.join("want.sql"), want).unwrap();
    let plan = dir.join("p.yaml").to_str().unwrap().to_string();
    let o = with_config("plan", dir, url, &PASSWORD, &["--out", &plan]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let o = canon(&["approve", &plan, "--by", "ana@dba"]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    plan
}

/// With `definer: manage`, a step writing another account as definer needs SET USER (MariaDB
/// 10.11: "you need (at least one of) the SUPER, SET USER privilege(s)"): the preflight says
/// so before anything runs, with the GRANT; that GRANT is enough.
#[test]
fn writing_another_definer_asks_for_set_user_with_the_grant() {
    let (db, user) = database_and_user("def_other");
    let dir = tempfile::tempdir().unwrap();
    let url = server().tcp_url(&user, &db);
    let want = "CREATE TABLE t (id int PRIMARY KEY, n int);
        CREATE DEFINER=`root`@`localhost` TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW SET NEW.n = 1;";
    let plan = approved(dir.path(), "programs:\n  definer: manage\n", want, &url);
    let o = canon_env(&["apply", &plan, "--target", &url, "--yes"], &PASSWORD);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    let grant = format!("GRANT SET USER ON *.* TO '{user}'@'127.0.0.1';");
    assert!(out(&o).contains(&grant), "{grant} in {}", out(&o));
    assert!(
        out(&o).contains("to write DEFINER=root@localhost"),
        "{}",
        out(&o)
    );
    assert!(!out(&o).contains("Def-pw-7"));
    assert_eq!(definer_of(&db, "t_bi"), "", "nothing changed");
    server().sql("", &grant);
    let o = canon_env(&["apply", &plan, "--target", &url, "--yes"], &PASSWORD);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert_eq!(definer_of(&db, "t_bi"), "root@localhost");
}

/// `definer: CURRENT_USER` reads who plans: a trigger another account defined is drift, and
/// is replaced as that user's; the plan refuses to run as anyone else; afterwards there is
/// no drift for that user, and there is for another.
#[test]
fn current_user_pins_the_definer_to_who_plans_and_applies() {
    let (db, user) = database_and_user("def_cur");
    let trigger = "CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW SET NEW.n = 1;";
    // Created by the harness's root@localhost.
    server().sql(&db, trigger);
    let dir = tempfile::tempdir().unwrap();
    let url = server().tcp_url(&user, &db);
    let config = "programs:\n  definer: CURRENT_USER\n";
    let want = format!("CREATE TABLE t (id int PRIMARY KEY, n int);\n{trigger}");
    let plan = approved(dir.path(), config, &want, &url);
    let text = std::fs::read_to_string(&plan).unwrap();
    assert!(
        text.contains(&format!("DEFINER=`{user}`@`127.0.0.1` TRIGGER `t_bi`")),
        "{text}"
    );
    // Applied by another account, the plan would not define the programs as who applies.
    let other = server().tcp_url("canon", &db);
    let o = canon_env(&["apply", &plan, "--target", &other, "--yes"], &CANON);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(
        out(&o).contains(&format!(
            "defines its programs as `{user}@127.0.0.1` (programs.definer: CURRENT_USER"
        )),
        "{}",
        out(&o)
    );
    assert_eq!(definer_of(&db, "t_bi"), "root@localhost");
    let o = canon_env(&["apply", &plan, "--target", &url, "--yes"], &PASSWORD);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert_eq!(definer_of(&db, "t_bi"), format!("{user}@127.0.0.1"));

    let check = |url: &str, env: &[(&str, &str)]| with_config("check", dir.path(), url, env, &[]);
    let o = check(&url, &PASSWORD);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let o = check(&other, &CANON);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(out(&o).contains("definer"), "{}", out(&o));
}
