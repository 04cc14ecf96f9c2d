//! canon reading a large dump with rows, next to the same schema without rows.
//!
//!     cargo build --release --bin canon --example dump_bench
//!     target/release/examples/dump_bench          # a 1 GB dump
//!     target/release/examples/dump_bench 200      # a 200 MB one
//!
//! A throwaway MariaDB gets a schema (tables, a view, a trigger, a procedure, an event) and a
//! few thousand rows; `mariadb-dump --single-transaction --routines --triggers --events` of it,
//! with its INSERT lines repeated until the file has the size asked for, is the dump with
//! data (its rows are the server's own, escaping included); `--no-data` gives the schema
//! alone. `canon check` of the schema against each, under `/usr/bin/time -v`: the median wall
//! and CPU (user + system) times of three runs and the peak resident memory.

#[path = "../tests/common/mod.rs"]
mod common;

use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::Command;

const RUNS: usize = 3;
const TABLES: usize = 20;

fn schema() -> String {
    let mut s = String::new();
    for i in 0..TABLES {
        s.push_str(&format!(
            "CREATE TABLE t{i} (\n  id int unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,\n  parent_id int unsigned NULL,\n  code varchar(32) NOT NULL,\n  title varchar(200) NOT NULL DEFAULT '',\n  body text,\n  amount decimal(12,2) NOT NULL DEFAULT 0,\n  payload blob,\n  created_at datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,\n  UNIQUE KEY uq_code (code),\n  KEY ix_parent (parent_id)\n) ENGINE=InnoDB;\n"
        ));
    }
    s.push_str("CREATE VIEW v0 AS SELECT id, code FROM t0 WHERE amount > 0;\n");
    s
}

/// Rows with quotes, backslashes, semicolons, line ends and binary bytes in them.
fn rows(table: usize) -> String {
    format!(
        "INSERT INTO t{table} (parent_id, code, title, body, amount, payload)\n\
         SELECT NULLIF(seq - 1, 0), CONCAT('c', seq), CONCAT('it''s; -- ', MD5(seq)),\n\
         CONCAT(REPEAT(MD5(seq), 8), '\\n/* ; */ \\\\ \"q\"'), seq / 7, UNHEX(REPEAT(MD5(seq), 4))\n\
         FROM seq_1_to_2000;\n"
    )
}

const PROGRAMS: &str = "DELIMITER //\n\
CREATE TRIGGER t0_bi BEFORE INSERT ON t0 FOR EACH ROW BEGIN IF NEW.amount < 0 THEN SET NEW.amount = 0; END IF; END//\n\
CREATE PROCEDURE touch(IN n int) BEGIN UPDATE t0 SET amount = amount + 1 WHERE id = n; END//\n\
DELIMITER ;\n\
CREATE EVENT nightly ON SCHEDULE EVERY 1 DAY DO DELETE FROM t1 WHERE amount = 0;\n";

/// The dump with its INSERT lines repeated until the file holds about `bytes`. The rows hold
/// binary bytes: the dump is not UTF-8.
fn grow(small: &Path, big: &Path, bytes: u64) -> u64 {
    let text = std::fs::read(small).expect("the dump reads");
    let lines: Vec<&[u8]> = text.split_inclusive(|&b| b == b'\n').collect();
    let is_data = |l: &[u8]| l.starts_with(b"INSERT INTO");
    let data: u64 = lines
        .iter()
        .filter(|l| is_data(l))
        .map(|l| l.len() as u64)
        .sum();
    let times = (bytes.saturating_sub(text.len() as u64 - data) / data.max(1)).max(1);
    let mut out = BufWriter::new(std::fs::File::create(big).expect("the big dump is written"));
    for line in lines {
        for _ in 0..if is_data(line) { times } else { 1 } {
            out.write_all(line).unwrap();
        }
    }
    out.flush().unwrap();
    std::fs::metadata(big).unwrap().len()
}

/// One `canon check` as `/usr/bin/time -v` reports it.
struct Run {
    wall: f64,
    /// User + system seconds: on a machine others share, the figure the load changes least.
    cpu: f64,
    peak_kb: u64,
}

fn timed(schema: &Path, target: &Path) -> Run {
    let out = Command::new("/usr/bin/time")
        .arg("-v")
        .arg(common::canon_binary())
        .args(["check", "-q", "--schema"])
        .arg(schema)
        .arg("--target")
        .arg(target)
        .output()
        .expect("/usr/bin/time runs (Debian package `time`)");
    assert!(
        out.status.success(),
        "canon check: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = String::from_utf8_lossy(&out.stderr);
    let field = |name: &str| {
        report
            .lines()
            .find_map(|l| l.trim().strip_prefix(name))
            .unwrap_or_else(|| panic!("{name} in {report}"))
            .trim()
            .to_string()
    };
    let wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss):");
    let seconds = wall
        .rsplit(':')
        .zip([1.0, 60.0, 3600.0])
        .map(|(part, unit)| part.parse::<f64>().unwrap() * unit)
        .sum();
    let cpu = ["User time (seconds):", "System time (seconds):"]
        .iter()
        .map(|f| field(f).parse::<f64>().unwrap())
        .sum();
    Run {
        wall: seconds,
        cpu,
        peak_kb: field("Maximum resident set size (kbytes):")
            .parse()
            .unwrap(),
    }
}

/// The median wall and CPU times of the runs, and the highest peak memory.
fn median_of_runs(schema: &Path, target: &Path) -> Run {
    let runs: Vec<Run> = (0..RUNS).map(|_| timed(schema, target)).collect();
    let median = |f: fn(&Run) -> f64| {
        let mut v: Vec<f64> = runs.iter().map(f).collect();
        v.sort_by(f64::total_cmp);
        v[RUNS / 2]
    };
    Run {
        wall: median(|r| r.wall),
        cpu: median(|r| r.cpu),
        peak_kb: runs.iter().map(|r| r.peak_kb).max().unwrap_or(0),
    }
}

fn main() {
    let megabytes: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1024);
    let server = common::server();
    let db = server.database("dumpbench");
    let dir = tempfile::tempdir().unwrap();
    let load = dir.path().join("load.sql");
    let rows: String = (0..TABLES).map(rows).collect();
    std::fs::write(&load, format!("{}{rows}{PROGRAMS}", schema())).unwrap();
    let loaded = server.run_file(&db, &load);
    assert!(
        loaded.status.success(),
        "{}",
        String::from_utf8_lossy(&loaded.stderr)
    );
    let backup = [
        "--single-transaction",
        "--routines",
        "--triggers",
        "--events",
    ];
    let schema_only = server.dump_with(&db, dir.path(), &[&backup[..], &["--no-data"]].concat());
    let schema_file = dir.path().join("schema.sql");
    std::fs::rename(&schema_only, &schema_file).unwrap();
    let small = server.dump_with(&db, dir.path(), &backup);
    let big = dir.path().join("big.sql");
    let size = grow(&small, &big, megabytes << 20);

    let alone = median_of_runs(&schema_file, &schema_file);
    let with_rows = median_of_runs(&schema_file, &big);
    println!(
        "canon check of a mariadb-dump, {TABLES} tables, median of {RUNS} runs (/usr/bin/time -v)"
    );
    println!(
        "{:>28} | {:>10} | {:>8} | {:>8} | {:>9}",
        "target", "size", "wall", "CPU", "peak RSS"
    );
    let schema_size = std::fs::metadata(&schema_file).unwrap().len();
    for (what, bytes, run) in [
        ("schema alone (--no-data)", schema_size, &alone),
        ("with rows", size, &with_rows),
    ] {
        println!(
            "{what:>28} | {:>7} MB | {:>6.2} s | {:>6.2} s | {:>6} MB",
            bytes >> 20,
            run.wall,
            run.cpu,
            run.peak_kb / 1024
        );
    }
    println!(
        "rows cost {:+.2} s wall, {:+.2} s CPU and {:+} MB",
        with_rows.wall - alone.wall,
        with_rows.cpu - alone.cpu,
        (with_rows.peak_kb as i64 - alone.peak_kb as i64) / 1024
    );
}
