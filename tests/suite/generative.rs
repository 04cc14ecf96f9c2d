//! Generative convergence: random pairs of schemas (types, charsets and collations, defaults,
//! indexes, foreign keys between the tables, checks, views, table options), each planned with
//! destructive steps allowed. The plan's simulation must reach the desired model (canon checks
//! that itself); then, on the throwaway server, the current schema is loaded with rows, the
//! plan's script runs, `check` is clean, and every table's SHOW CREATE TABLE equals that of
//! loading the desired DDL directly.
//!
//! `CANON_GEN_CASES=N` runs N cases (default 16); a failure prints the shrunk pair, which
//! becomes a case in fixtures/cases/.

use crate::common;

use canon::render::review;
use canon::PlanRequest;
use common::server;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

#[derive(Clone, Debug)]
struct Col {
    name: &'static str,
    ty: &'static str,
    nullable: bool,
    default: Option<&'static str>,
}

#[derive(Clone, Debug)]
struct Tbl {
    cols: Vec<Col>,
    /// Indexes: (unique, column positions).
    keys: Vec<(bool, Vec<usize>)>,
    collation: &'static str,
    engine: &'static str,
    comment: Option<&'static str>,
    check: bool,
}

/// Column types with their defaults that the server accepts for them.
const TYPES: &[(&str, &[&str])] = &[
    ("int", &["0", "7"]),
    ("bigint unsigned", &["0"]),
    ("smallint", &["-1"]),
    ("decimal(10,2)", &["0.00", "1.50"]),
    ("varchar(40)", &["''", "'x'"]),
    (
        "varchar(120) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin",
        &["'a'"],
    ),
    ("char(8)", &["'k'"]),
    ("datetime", &["'2020-01-01 00:00:00'"]),
    ("date", &["'2020-01-01'"]),
    ("text", &[]),
    ("enum('a','b','c')", &["'a'"]),
    ("double", &["0"]),
    ("tinyint(1)", &["0", "1"]),
];
const NAMES: &[&str] = &["a", "b", "c", "d", "e", "f"];
const COLLATIONS: &[&str] = &[
    "utf8mb4_general_ci",
    "utf8mb4_unicode_ci",
    "utf8mb3_general_ci",
];

fn col() -> impl Strategy<Value = (usize, bool, Option<usize>)> {
    (
        0..TYPES.len(),
        any::<bool>(),
        proptest::option::of(0..2usize),
    )
}

fn table() -> impl Strategy<Value = Tbl> {
    (
        proptest::collection::vec(col(), 1..5),
        proptest::collection::vec(
            (any::<bool>(), proptest::collection::vec(0..5usize, 1..3)),
            0..3,
        ),
        0..COLLATIONS.len(),
        prop_oneof![Just("InnoDB"), Just("InnoDB"), Just("Aria")],
        proptest::option::of(prop_oneof![Just("orders"), Just("it's")]),
        any::<bool>(),
    )
        .prop_map(|(cols, keys, coll, engine, comment, check)| {
            let cols: Vec<Col> = cols
                .into_iter()
                .enumerate()
                .map(|(i, (t, nullable, d))| {
                    let (ty, defaults) = TYPES[t];
                    Col {
                        name: NAMES[i],
                        ty,
                        nullable,
                        default: d.and_then(|d| defaults.get(d).copied()),
                    }
                })
                .collect();
            let n = cols.len();
            let keys = keys
                .into_iter()
                .map(|(u, parts)| {
                    let mut p: Vec<usize> = parts.into_iter().map(|x| x % n).collect();
                    p.dedup();
                    (u, p)
                })
                // TEXT needs a prefix in a key: leave such keys out.
                .filter(|(_, p)| p.iter().all(|&i| cols[i].ty != "text"))
                .collect();
            Tbl {
                cols,
                keys,
                collation: COLLATIONS[coll],
                engine,
                comment,
                check,
            }
        })
}

/// A schema: 1 to 3 tables `t0..`, each with an `id` key; `t1`/`t2` may reference `t0`;
/// a view over `t0`.
fn schema() -> impl Strategy<Value = (Vec<Tbl>, Vec<bool>, bool)> {
    (
        proptest::collection::vec(table(), 1..4),
        proptest::collection::vec(any::<bool>(), 3),
        any::<bool>(),
    )
}

fn ddl((tables, fks, view): &(Vec<Tbl>, Vec<bool>, bool)) -> String {
    let mut out = String::new();
    for (i, t) in tables.iter().enumerate() {
        let mut lines = vec![
            "  id int NOT NULL AUTO_INCREMENT PRIMARY KEY".to_string(),
            "  n int NULL".to_string(),
        ];
        if i > 0 {
            lines.push("  t0_id int NULL".into());
        }
        for c in &t.cols {
            let mut l = format!("  {} {}", c.name, c.ty);
            l.push_str(if c.nullable { " NULL" } else { " NOT NULL" });
            if let Some(d) = c.default {
                l.push_str(&format!(" DEFAULT {d}"));
            }
            lines.push(l);
        }
        for (k, (unique, parts)) in t.keys.iter().enumerate() {
            let cols: Vec<&str> = parts.iter().map(|&p| t.cols[p].name).collect();
            lines.push(format!(
                "  {} k{k} ({})",
                if *unique { "UNIQUE KEY" } else { "KEY" },
                cols.join(", ")
            ));
        }
        if t.check {
            // Not over `id`: MariaDB refuses to add a CHECK on an AUTO_INCREMENT column to an
            // existing table (error 1901), a known limit of canon's plans (docs/normalization.md, *Known limits*).
            lines.push(format!("  CONSTRAINT t{i}_chk CHECK (n IS NULL OR n >= 0)"));
        }
        if i > 0 && t.engine == "InnoDB" && tables[0].engine == "InnoDB" && fks[i] {
            lines.push(format!(
                "  CONSTRAINT fk_t{i} FOREIGN KEY (t0_id) REFERENCES t0 (id) ON DELETE SET NULL"
            ));
        }
        let charset = &t.collation[..t.collation.find('_').unwrap()];
        out.push_str(&format!(
            "CREATE TABLE t{i} (\n{}\n) ENGINE={} DEFAULT CHARSET={charset} COLLATE={}{};\n",
            lines.join(",\n"),
            t.engine,
            t.collation,
            t.comment
                .map(|c| format!(" COMMENT='{}'", c.replace('\'', "''")))
                .unwrap_or_default()
        ));
    }
    if *view {
        let c = tables[0].cols[0].name;
        out.push_str(&format!(
            "CREATE VIEW v0 AS SELECT id, {c} FROM t0 WHERE id > 0;\n"
        ));
    }
    out
}

fn converges(current: &str, desired: &str, dir: &std::path::Path, n: usize) -> Result<(), String> {
    let (cur, want) = (dir.join(format!("c{n}.sql")), dir.join(format!("d{n}.sql")));
    std::fs::write(&cur, current).unwrap();
    std::fs::write(&want, desired).unwrap();
    let db = server().database("gen");
    let load = |db: &str, f: &std::path::Path| {
        let o = server().run_file(db, f);
        o.status.success().then_some(()).ok_or_else(|| {
            format!(
                "{} does not load: {}",
                f.display(),
                String::from_utf8_lossy(&o.stderr)
            )
        })
    };
    load(&db, &cur)?;
    // A row in every table, so the ALTERs move data (one: adding a unique key over duplicate
    // values is refused by the server, and this test is about the DDL).
    for t in server().sql(&db, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'").lines() {
        server().sql(&db, &format!("INSERT IGNORE INTO `{t}` () VALUES ()"));
    }
    let plan = |allow| {
        canon::plan(&PlanRequest {
            schema: vec![want.clone()],
            target: Some(server().url(&db)),
            flavor: None,
            allow_destructive: allow,
            assert_online: false,
            osc: Default::default(),
            history_table: "canon_history".into(),
            ignore: Vec::new(),
            credentials: Default::default(),
            programs: Default::default(),
        })
        .map_err(|e| format!("plan: {e:?}"))
    };
    let doc = plan(true)?;
    let script = dir.join(format!("s{n}.sql"));
    // Destructive steps are allowed here, and random rows cannot always convert to a random
    // new type: outside strict mode the server converts them (with the loss the plan names)
    // instead of refusing the step.
    std::fs::write(
        &script,
        format!(
            "SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION';\n{}",
            review::script(&doc)
        ),
    )
    .unwrap();
    let ran = server().run_file(&db, &script);
    if !ran.status.success() {
        return Err(format!(
            "the plan fails: {}\n{}",
            String::from_utf8_lossy(&ran.stderr),
            review::script(&doc)
        ));
    }
    let again = plan(true)?;
    if !again.objects.is_empty() {
        return Err(format!(
            "drift after the plan: {:?}",
            again
                .objects
                .iter()
                .map(|o| (&o.object.name, &o.details))
                .collect::<Vec<_>>()
        ));
    }
    let direct = server().database("gen_direct");
    load(&direct, &want)?;
    // Keys print in the order they were created; a plan adds a key after the
    // ones a table already has, so that order is compared as a set (canon compares keys by
    // name and never rebuilds a table to reorder them).
    let keys_as_set = |tables: Vec<String>| -> Vec<String> {
        tables
            .into_iter()
            .map(|t| {
                // Separating commas depend on the position: left out.
                let mut lines: Vec<&str> =
                    t.split("\\n").map(|l| l.trim_end_matches(',')).collect();
                let (mut keys, rest): (Vec<&str>, Vec<&str>) = lines.drain(..).partition(|l| {
                    let l = l.trim_start();
                    l.starts_with("KEY ") || l.starts_with("UNIQUE KEY ")
                });
                keys.sort();
                format!("{}\n{}", rest.join("\n"), keys.join("\n"))
            })
            .collect()
    };
    let (got, want_tables) = (
        keys_as_set(server().show_create_all(&db)),
        keys_as_set(server().show_create_all(&direct)),
    );
    if got != want_tables {
        return Err(format!(
            "SHOW CREATE TABLE differs from loading the desired DDL:\n{got:#?}\n{want_tables:#?}"
        ));
    }
    Ok(())
}

#[test]
fn random_schema_pairs_converge_on_the_server() {
    let cases: u32 = std::env::var("CANON_GEN_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(16);
    let dir = tempfile::tempdir().unwrap();
    let mut runner = TestRunner::new(Config {
        cases,
        max_shrink_iters: 200,
        failure_persistence: None,
        ..Config::default()
    });
    let counter = std::sync::atomic::AtomicUsize::new(0);
    let result = runner.run(&(schema(), schema()), |(a, b)| {
        let n = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let (current, desired) = (ddl(&a), ddl(&b));
        converges(&current, &desired, dir.path(), n).map_err(|e| {
            TestCaseError::fail(format!(
                "{e}\n-- current.sql\n{current}\n-- desired.sql\n{desired}"
            ))
        })
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}
