//! canon on a fleet: 1,000 databases of 20 tables each on one throwaway MariaDB, all drifted
//! the same way (2 tables of each lack a column and its index).
//!
//!     cargo run --release --example fleet_bench                 # 1000 databases, --parallel 1 4 8
//!     cargo run --release --example fleet_bench -- 200 2 4 16   # 200 databases, --parallel 2 4 16
//!
//! For each parallelism: the time of `check --targets` and `plan --targets` over the whole
//! list, beside the server's own answer time for the same reads (per database: connect, the
//! bulk information_schema queries, SHOW CREATE TABLE of each table) sent by as many
//! connections at once; then `apply --targets` of the one approved plan, the list split in
//! equal parts, one part per parallelism (2 ALTER steps per database, each journaled).

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "shared/server_reads.rs"]
mod server_reads;

use canon::source::live::ConnSpec;
use std::fmt::Write as _;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const TABLES: usize = 20;

/// Table `i`; the canonical side has a column and its index on tables 3 and 11 that the live
/// side lacks.
fn table(i: usize, canonical: bool) -> String {
    let extra = if canonical && (i == 3 || i == 11) {
        "  extra int NULL,\n  KEY ix_extra (extra),\n"
    } else {
        ""
    };
    format!(
        "CREATE TABLE t{i} (\n  id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,\n  tenant_id int NOT NULL,\n  code varchar(32) NOT NULL,\n  amount decimal(12,2) NOT NULL DEFAULT 0,\n  created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,\n{extra}  UNIQUE KEY uq_code (tenant_id, code),\n  KEY ix_created (created_at)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;\n"
    )
}

fn schema(canonical: bool) -> String {
    (0..TABLES).map(|i| table(i, canonical)).collect()
}

/// canon's wall time for one command; its exit code must be `expect`.
fn timed(args: &[&str], expect: i32) -> Duration {
    let start = Instant::now();
    let o = Command::new(common::canon_binary())
        .args(args)
        .output()
        .expect("canon runs");
    let took = start.elapsed();
    assert_eq!(
        o.status.code(),
        Some(expect),
        "canon {}:\n{}{}",
        args.join(" "),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    took
}

/// The server's time for every database's reads, `parallel` connections at once.
fn server_reads(rt: &tokio::runtime::Runtime, specs: &[ConnSpec], parallel: usize) -> Duration {
    let specs = Arc::new(specs.to_vec());
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    rt.block_on(async {
        let workers: Vec<_> = (0..parallel)
            .map(|_| {
                let (specs, next) = (specs.clone(), next.clone());
                tokio::spawn(async move {
                    while let Some(spec) = specs.get(next.fetch_add(1, Ordering::SeqCst)) {
                        server_reads::answer_time(spec, TABLES).await;
                    }
                })
            })
            .collect();
        for w in workers {
            w.await.expect("reads");
        }
    });
    start.elapsed()
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let n = args.first().copied().unwrap_or(1000);
    let parallels = if args.len() > 1 {
        args[1..].to_vec()
    } else {
        vec![1, 4, 8]
    };
    let server = common::server();
    let dir = tempfile::tempdir().unwrap();
    let start = Instant::now();
    let prefix = server.database("fleetbench");
    let mut load = String::from("SET FOREIGN_KEY_CHECKS=0;\n");
    let dbs: Vec<String> = (0..n).map(|i| format!("{prefix}_{i}")).collect();
    for db in &dbs {
        let _ = writeln!(load, "CREATE DATABASE `{db}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\nUSE `{db}`;\n{}", schema(false));
    }
    let load_file = dir.path().join("load.sql");
    std::fs::write(&load_file, load).unwrap();
    let loaded = server.run_file("", &load_file);
    assert!(
        loaded.status.success(),
        "{}",
        String::from_utf8_lossy(&loaded.stderr)
    );
    println!(
        "canon fleet bench: {n} databases x {TABLES} tables on one throwaway MariaDB, {} core(s); loaded in {}",
        std::thread::available_parallelism().map_or(1, |c| c.get()),
        secs(start.elapsed())
    );
    let want = dir.path().join("want.sql");
    std::fs::write(&want, schema(true)).unwrap();
    let urls: Vec<String> = dbs.iter().map(|d| server.url(d)).collect();
    let list = dir.path().join("targets.txt");
    std::fs::write(&list, urls.join("\n")).unwrap();
    let specs: Vec<ConnSpec> = urls
        .iter()
        .map(|u| ConnSpec::parse(u, None).unwrap())
        .collect();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let plans = dir.path().join("plans");
    let (w, l, p) = (
        want.to_str().unwrap(),
        list.to_str().unwrap(),
        plans.to_str().unwrap(),
    );

    println!(
        "{:>8} | {:>12} {:>12} | {:>12} {:>12}",
        "parallel", "server reads", "check", "plan", "check per db"
    );
    for &par in &parallels {
        let ps = par.to_string();
        let reads = server_reads(&rt, &specs, par);
        let check = timed(
            &[
                "check",
                "--schema",
                w,
                "--targets",
                l,
                "--parallel",
                &ps,
                "-q",
            ],
            2,
        );
        let plan = timed(
            &[
                "plan",
                "--schema",
                w,
                "--targets",
                l,
                "--out",
                p,
                "--parallel",
                &ps,
                "-q",
            ],
            0,
        );
        println!(
            "{par:>8} | {:>12} {:>12} | {:>12} {:>9.1} ms",
            secs(reads),
            secs(check),
            secs(plan),
            check.as_secs_f64() * 1000.0 / n as f64
        );
    }
    let files: Vec<_> = std::fs::read_dir(&plans)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(files.len(), 1, "all drifted the same way: one plan");
    let plan = files[0].to_str().unwrap();
    timed(&["approve", plan, "--by", "bench"], 0);

    println!(
        "{:>8} | {:>9} {:>12} {:>12}",
        "parallel", "databases", "apply", "per database"
    );
    let part = n / parallels.len();
    for (k, &par) in parallels.iter().enumerate() {
        let slice = dir.path().join(format!("part{k}.txt"));
        let end = if k + 1 == parallels.len() {
            n
        } else {
            (k + 1) * part
        };
        std::fs::write(&slice, urls[k * part..end].join("\n")).unwrap();
        let ps = par.to_string();
        let took = timed(
            &[
                "apply",
                plan,
                "--targets",
                slice.to_str().unwrap(),
                "--yes",
                "--parallel",
                &ps,
                "-q",
            ],
            0,
        );
        println!(
            "{par:>8} | {:>9} {:>12} {:>9.1} ms",
            end - k * part,
            secs(took),
            took.as_secs_f64() * 1000.0 / (end - k * part) as f64
        );
    }
    // Everything converged: check finds no drift left.
    timed(
        &[
            "check",
            "--schema",
            w,
            "--targets",
            l,
            "--parallel",
            "8",
            "-q",
        ],
        0,
    );
    let drops: String = dbs
        .iter()
        .chain([&prefix])
        .map(|d| format!("DROP DATABASE `{d}`;"))
        .collect();
    server.sql("", &drops);
}
