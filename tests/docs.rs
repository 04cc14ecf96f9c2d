//! The docs' examples, run: every ```console block in `docs/*.md` is executed with trycmd and
//! its output compared (`[..]` and `...` stand for what differs between runs). Commands that
//! need a server reach this binary's throwaway MariaDB through the `DB_*` variables, with the
//! legacy example loaded as `arisgourmet`. After a change of canon's output, regenerate the
//! expected blocks with `TRYCMD=overwrite cargo test --test docs` and review the diff (it
//! drops elisions in the blocks it rewrites: put them back where the output varies).

mod common;

use std::path::Path;

#[test]
fn every_console_example_in_the_docs_prints_what_it_shows() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Always a throwaway one: the walk-through drops and applies `arisgourmet`.
    let server = common::throwaway_server();
    server.sql(
        "",
        "DROP DATABASE IF EXISTS arisgourmet; CREATE DATABASE arisgourmet",
    );
    let loaded = server.run_file("arisgourmet", &root.join("fixtures/arisgourmet-legacy.sql"));
    assert!(loaded.status.success(), "{}", common::out(&loaded));
    // docs/live-servers.md: tables canon does not model are named, not diffed.
    server.sql(
        "",
        "DROP DATABASE IF EXISTS odd; CREATE DATABASE odd; \
         CREATE TABLE odd.prices (id int, valid_from date, valid_to date, PERIOD FOR valid (valid_from, valid_to), PRIMARY KEY (id, valid WITHOUT OVERLAPS)); \
         CREATE SEQUENCE odd.invoice_numbers",
    );
    // docs/live-servers.md: a user with SELECT alone is told the grant it lacks.
    server.sql(
        "",
        "CREATE USER IF NOT EXISTS 'select_only'@'127.0.0.1' IDENTIFIED BY 'select-only-pw'; \
         GRANT SELECT ON arisgourmet.* TO 'select_only'@'127.0.0.1'",
    );

    // The examples run in a scratch directory that sees the repository's inputs under their
    // own names, so the files they write (plans, backups) stay out of the work tree.
    let work = tempfile::tempdir().unwrap();
    for dir in ["schema", "fixtures", "examples"] {
        std::os::unix::fs::symlink(root.join(dir), work.path().join(dir)).unwrap();
    }
    std::env::set_current_dir(work.path()).unwrap();
    shop(server, work.path());
    sized(server, work.path());
    fleet(server, work.path());
    // docs/normalization.md: an error points at the text.
    std::fs::create_dir(work.path().join("bad")).unwrap();
    std::fs::write(
        work.path().join("bad/schema.sql"),
        "CREATE TABLE ok1 (id int PRIMARY KEY);\n\nCREATE TABLE t (\n  id int PRIMARY KEY,\n  name varchar(20) NOT NULL DEFALT 'x'\n);\n",
    )
    .unwrap();

    // Set in canon's environment rather than trycmd's, so an example can override one
    // (`DB_PASSWORD=wrongpw canon ...`): trycmd's own variables win over the example's.
    let port = server.port.to_string();
    let home = work.path().display().to_string();
    for (key, value) in [
        ("DB_HOST", "127.0.0.1"),
        ("DB_PORT", port.as_str()),
        ("DB_USER", "canon"),
        ("DB_PASSWORD", "canon-test-pw"),
        ("DB_NAME", "arisgourmet"),
        ("NO_COLOR", "1"),
        // No ~/.my.cnf of whoever runs the tests.
        ("HOME", home.as_str()),
    ] {
        std::env::set_var(key, value);
    }
    let cases = trycmd::TestCases::new();
    cases
        .register_bin("canon", Path::new(env!("CARGO_BIN_EXE_canon")))
        .case(root.join("docs/*.md"));
}

/// docs/operators.md: a deploy user without ALTER, and an approved plan that needs it.
fn shop(server: &common::Server, work: &Path) {
    server.sql(
        "",
        "DROP DATABASE IF EXISTS shop; CREATE DATABASE shop; \
         CREATE TABLE shop.items (id int PRIMARY KEY); \
         CREATE USER IF NOT EXISTS 'deploy'@'127.0.0.1' IDENTIFIED BY 'deploy-pw'; \
         GRANT SELECT, SHOW VIEW, CREATE, INSERT, UPDATE ON shop.* TO 'deploy'@'127.0.0.1'",
    );
    let want = work.join("shop.sql");
    std::fs::write(
        &want,
        "CREATE TABLE items (id int PRIMARY KEY, name varchar(40));\n",
    )
    .unwrap();
    let plan = work.join("shop.yaml");
    let (want, plan) = (want.to_str().unwrap(), plan.to_str().unwrap());
    let url = server.tcp_url("canon", "shop");
    let pw = [("DB_PASSWORD", "canon-test-pw")];
    let o = common::canon_env(
        &["plan", "--schema", want, "--target", &url, "--out", plan],
        &pw,
    );
    assert!(o.status.success(), "{}", common::out(&o));
    let o = common::canon(&["approve", plan, "--by", "ana@dba"]);
    assert!(o.status.success(), "{}", common::out(&o));
}

/// docs/fleets.md: four tenants (three at one starting schema, one at another), one that
/// cannot be reached, and the list naming them.
fn fleet(server: &common::Server, work: &Path) {
    let old = "CREATE TABLE customers (id int PRIMARY KEY, email varchar(100));";
    let mut sql = String::new();
    for (db, ddl) in [
        ("tenant_1", old),
        ("tenant_2", old),
        ("tenant_3", "CREATE TABLE customers (id int PRIMARY KEY);"),
        ("tenant_4", old),
    ] {
        sql += &format!("DROP DATABASE IF EXISTS {db}; CREATE DATABASE {db}; USE {db}; {ddl} ");
    }
    server.sql("", &sql);
    std::fs::write(
        work.join("tenants.sql"),
        "CREATE TABLE customers (id int PRIMARY KEY, email varchar(100),\n  UNIQUE KEY uq_email (email));\n",
    )
    .unwrap();
    let port = server.port;
    let list: String = (1..=4)
        .map(|n| format!("mysql://canon@127.0.0.1:{port}/tenant_{n}?ssl-mode=disabled\n"))
        .collect();
    std::fs::write(
        work.join("tenants.txt"),
        format!("# the inventory\n{list}mysql://canon@127.0.0.1:1/tenant_5?timeout=2   # decommissioned\n"),
    )
    .unwrap();
}

/// docs/reviewing-plans.md: tables with rows, whose steps show their cost, one large enough
/// for pt-online-schema-change at a lowered threshold; and the canonical file for them.
fn sized(server: &common::Server, work: &Path) {
    server.sql(
        "",
        "SET SESSION max_recursive_iterations = 100000; \
         DROP DATABASE IF EXISTS sized; CREATE DATABASE sized; \
         CREATE TABLE sized.orders (id int PRIMARY KEY, amount int NOT NULL, note varchar(20)); \
         INSERT INTO sized.orders WITH RECURSIVE s (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 20000) SELECT n, n, 'n' FROM s; \
         CREATE TABLE sized.big (id int PRIMARY KEY, amount int NOT NULL); \
         INSERT INTO sized.big WITH RECURSIVE s (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 30000) SELECT n, n FROM s; \
         ANALYZE TABLE sized.orders, sized.big",
    );
    std::fs::write(
        work.join("sized.sql"),
        "CREATE TABLE orders (id int PRIMARY KEY, amount bigint NOT NULL, note varchar(40),\n  \
         placed_at datetime, KEY k_amount (amount));\n\
         CREATE TABLE big (id int PRIMARY KEY, amount bigint NOT NULL);\n",
    )
    .unwrap();
}

/// The sample `canon.yaml` shown in docs/configuration.md is the file the docs' examples use.
#[test]
fn the_sample_configuration_in_the_docs_is_the_example_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let page = std::fs::read_to_string(root.join("docs/configuration.md")).unwrap();
    let sample = std::fs::read_to_string(root.join("examples/canon.yaml")).unwrap();
    let shown = page
        .split("```yaml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a yaml block in docs/configuration.md");
    assert_eq!(shown, sample);
}

/// The README's first quick-start command runs canon through cargo without `-q`, so a first
/// build shows its progress, and plans the bundled example.
#[test]
fn the_readme_quick_start_builds_visibly_and_plans_the_example() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let block = readme
        .split("## Quick start")
        .nth(1)
        .and_then(|rest| rest.split("```sh\n").nth(1))
        .and_then(|rest| rest.split("```").next())
        .expect("a sh block under Quick start");
    let mut lines = block.lines();
    let first = lines.next().unwrap();
    let args = first
        .strip_prefix("cargo run -- ")
        .unwrap_or_else(|| panic!("`cargo run -- ...` without -q: {first}"));
    assert_eq!(lines.next(), Some("./scripts/test"));
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_canon"))
        .args(args.split_whitespace())
        .current_dir(root)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("9 step(s) planned"));
}
