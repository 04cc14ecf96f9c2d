//! canon's speed on generated schemas, against a throwaway MariaDB.
//!
//!     cargo run --release --example bench              # 100, 1000 and 5000 tables
//!     cargo run --release --example bench -- 5000 20000  # other sizes
//!
//! Per size, on a server holding that schema alone: the server's own answer time for a
//! complete read from information_schema (the bulk queries) and for SHOW CREATE TABLE of
//! every table (batched as canon batches them), canon's introspection, parse of the
//! canonical DDL, diff and plan, and a whole `canon check` run as a process (wall time, its
//! ratio to the information_schema read, and peak memory). Each table has 10 columns and 3 indexes, every third a
//! foreign key, every 50th a view over it; the canonical side differs in 5% of the tables.
//! Every figure is the median of three runs: a freshly loaded server is still computing
//! statistics in the background, and single runs vary by a quarter.

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "shared/server_reads.rs"]
mod server_reads;

use canon::source::live::{introspect, ConnSpec};
use std::fmt::Write as _;
use std::process::Command;
use std::time::{Duration, Instant};

fn table(i: usize, drift: bool) -> String {
    let mut s = format!(
        "CREATE TABLE t{i} (\n  id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,\n  parent_id bigint unsigned NULL,\n  code varchar(32) NOT NULL,\n  name varchar(100),\n  amount decimal(12,2) NOT NULL DEFAULT 0,\n  qty int NOT NULL DEFAULT 0,\n  status enum('new','paid','gone') NOT NULL DEFAULT 'new',\n  created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,\n  note text,\n  flag boolean NOT NULL DEFAULT false,\n"
    );
    if drift {
        s.push_str("  extra int NULL,\n  KEY ix_extra (extra),\n");
    }
    s.push_str("  UNIQUE KEY uq_code (code),\n  KEY ix_name (name),\n  KEY ix_status_created (status, created_at)");
    if i.is_multiple_of(3) && i > 0 {
        let _ = write!(
            s,
            ",\n  CONSTRAINT fk_t{i}_parent FOREIGN KEY (parent_id) REFERENCES t{} (id)",
            i - 1
        );
    }
    s.push_str("\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;\n");
    if i.is_multiple_of(50) {
        let _ = writeln!(
            s,
            "CREATE VIEW v{i} AS SELECT id, code, amount FROM t{i} WHERE qty > 0;"
        );
    }
    s
}

/// (live DDL, canonical DDL): the canonical side adds a column and an index to 5% of tables.
fn generate(n: usize) -> (String, String) {
    let live = (0..n).map(|i| table(i, false)).collect();
    let canonical = (0..n).map(|i| table(i, i % 20 == 7)).collect();
    (live, canonical)
}

const RUNS: usize = 3;

fn median<T: Ord + Copy>(mut v: Vec<T>) -> T {
    v.sort();
    v[v.len() / 2]
}

fn secs(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

/// Peak resident memory of a child process, read from /proc while it runs.
fn run_measured(args: &[&str]) -> (Duration, u64, i32) {
    let start = Instant::now();
    let mut child = Command::new(common::canon_binary())
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("canon runs");
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0u64;
    loop {
        if let Ok(s) = std::fs::read_to_string(&status_file) {
            if let Some(kb) = s
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
            {
                peak_kb = peak_kb.max(kb);
            }
        }
        if let Some(status) = child.try_wait().expect("wait") {
            return (start.elapsed(), peak_kb, status.code().unwrap_or(-1));
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![100, 1000, 5000]
    } else {
        sizes
    };
    let server = common::server();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    println!(
        "canon bench: throwaway MariaDB, {} core(s)",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!(
        "{:>6} | {:>10} {:>10} | {:>12} {:>10} {:>10} | {:>11} {:>9} {:>9}",
        "tables",
        "server I_S",
        "server SC",
        "introspect",
        "parse",
        "diff+plan",
        "check wall",
        "check/I_S",
        "peak RSS"
    );
    for n in sizes {
        let db = server.database("bench");
        let dir = tempfile::tempdir().unwrap();
        let (live, canonical) = generate(n);
        let live_file = dir.path().join("live.sql");
        std::fs::write(&live_file, format!("SET FOREIGN_KEY_CHECKS=0;\n{live}")).unwrap();
        let schema_dir = dir.path().join("schema");
        std::fs::create_dir(&schema_dir).unwrap();
        std::fs::write(schema_dir.join("schema.sql"), &canonical).unwrap();
        let loaded = server.run_file(&db, &live_file);
        assert!(
            loaded.status.success(),
            "{}",
            String::from_utf8_lossy(&loaded.stderr)
        );

        let url = server.url(&db);
        let spec = ConnSpec::parse(&url, None).unwrap();
        let (mut bulk, mut show_create, mut t_introspect) = (vec![], vec![], vec![]);
        let (mut t_parse, mut t_plan, mut wall, mut peak_kb) = (vec![], vec![], vec![], vec![]);
        for _ in 0..RUNS {
            let (b, s) = rt.block_on(server_reads::answer_time(&spec, n));
            bulk.push(b);
            show_create.push(s);
            let start = Instant::now();
            let live = rt.block_on(introspect(&spec)).expect("introspect");
            t_introspect.push(start.elapsed());
            assert!(live.unsupported.is_empty(), "{:?}", live.unsupported);
            let start = Instant::now();
            let desired =
                canon::load_desired(std::slice::from_ref(&schema_dir), live.flavor, &live.schema)
                    .expect("parse");
            t_parse.push(start.elapsed());
            let start = Instant::now();
            let changes = canon::diff::diff(&live.schema, &desired.schema);
            let plan =
                canon::plan::plan(&live.schema, &desired.schema, &changes, Default::default())
                    .expect("plan");
            t_plan.push(start.elapsed());
            assert_eq!(changes.len(), n / 20 + usize::from(n % 20 > 7), "5% drift");
            assert!(!plan.steps.is_empty());
            drop((live, desired, plan));
            let (w, kb, code) = run_measured(&[
                "check",
                "--schema",
                schema_dir.to_str().unwrap(),
                "--target",
                &url,
            ]);
            assert_eq!(code, 2, "check finds the drift");
            wall.push(w);
            peak_kb.push(kb);
        }
        let (bulk, show_create, t_introspect) =
            (median(bulk), median(show_create), median(t_introspect));
        let (t_parse, t_plan, wall, peak_kb) = (
            median(t_parse),
            median(t_plan),
            median(wall),
            median(peak_kb),
        );
        println!(
            "{n:>6} | {:>10} {:>10} | {:>12} {:>10} {:>10} | {:>11} {:>8.2}x {:>6} MB",
            secs(bulk),
            secs(show_create),
            secs(t_introspect),
            secs(t_parse),
            secs(t_plan),
            secs(wall),
            wall.as_secs_f64() / bulk.as_secs_f64(),
            peak_kb / 1024
        );
        // Each size is measured on a server holding that schema alone, as the target states.
        server.sql("", &format!("DROP DATABASE `{db}`"));
    }
}
