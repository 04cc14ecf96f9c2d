//! The plan's data checks on a table of 1,000,000 rows: each kind's time through canon next
//! to the server's own time for the same query, and whether it stayed within `fast`'s budget.
//!
//!     cargo build --release --example data_checks_bench
//!     target/release/examples/data_checks_bench
//!
//! A throwaway MariaDB gets `orders` (1,000,000 rows; `ref` and `customer_id` indexed, the
//! other columns not) and `customers` (1,000 rows). *server*: the bare SELECT, timed on an
//! open connection; *canon*: `data_checks::check` of that one check (connecting, the
//! budget-bounded statement, reading the answer). Medians of three runs.

#[path = "../tests/common/mod.rs"]
mod common;

use canon::plan::data_checks::{Alteration, DataCheck, Fit, Kind, Mode};
use mysql_async::prelude::Queryable;
use std::time::{Duration, Instant};

const ROWS: u64 = 1_000_000;
const RUNS: usize = 3;

fn check(change: &str, columns: &[&str], kind: Kind) -> DataCheck {
    DataCheck {
        table: "orders".into(),
        change: change.into(),
        columns: columns.iter().map(|c| c.to_string()).collect(),
        kind,
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let server = common::server();
    let db = server.database("dc_bench");
    server.sql(
        &db,
        &format!(
            "CREATE TABLE customers (id int PRIMARY KEY);
             INSERT INTO customers SELECT seq FROM seq_1_to_1000;
             CREATE TABLE orders (id int PRIMARY KEY, ref varchar(20), note varchar(40),
               customer_id int, qty int, legacy text, price decimal(10,3), at datetime(6),
               ratio double, state enum('new','paid','gone'),
               KEY ix_ref (ref), KEY ix_customer (customer_id));
             INSERT INTO orders SELECT seq, CONCAT('r', seq DIV 2), IF(seq % 1000 = 0, NULL, CONCAT('note ', seq)),
               seq % 1001, CAST(seq % 97 AS SIGNED) - 1, IF(seq % 3 = 0, NULL, 'old'), seq / 1000,
               '2020-01-01' + INTERVAL seq * 1001000 MICROSECOND, seq / 7, ELT(seq % 3 + 1, 'new', 'paid', 'gone')
               FROM seq_1_to_{ROWS};
             ANALYZE TABLE orders, customers;"
        ),
    );
    let spec = match canon::Target::resolve(Some(&server.url(&db)), &Default::default()) {
        Ok(canon::Target::Live(spec)) => spec,
        _ => panic!("a live target"),
    };
    let checks = [
        check(
            "add index `uq_ref` (indexed column)",
            &["ref"],
            Kind::Duplicates {
                prefixes: vec![None],
                exprs: Vec::new(),
            },
        ),
        check(
            "add index `uq_note` (no index)",
            &["note"],
            Kind::Duplicates {
                prefixes: vec![None],
                exprs: Vec::new(),
            },
        ),
        check("change column `note` NOT NULL", &["note"], Kind::Nulls),
        check(
            "change column `note` to varchar(8)",
            &["note"],
            Kind::NotFitting {
                fit: Fit::Chars(8),
                extremes: false,
            },
        ),
        check(
            "change column `qty` to tinyint unsigned",
            &["qty"],
            Kind::NotFitting {
                fit: Fit::Range { min: 0, max: 255 },
                extremes: false,
            },
        ),
        check(
            "change column `customer_id` (indexed) to tinyint unsigned",
            &["customer_id"],
            Kind::NotFitting {
                fit: Fit::Range { min: 0, max: 255 },
                extremes: true,
            },
        ),
        check(
            "change column `price` to decimal(5,2)",
            &["price"],
            Kind::NotFitting {
                fit: Fit::Decimal {
                    digits: 3,
                    scale: 2,
                    unsigned: false,
                },
                extremes: false,
            },
        ),
        check(
            "change column `price` to decimal(10,1): rounded",
            &["price"],
            Kind::Altered {
                how: Alteration::Scale(1),
            },
        ),
        check(
            "change column `price` to tinyint (rounded)",
            &["price"],
            Kind::NotFitting {
                fit: Fit::Rounded {
                    min: -128,
                    max: 127,
                    decimal: true,
                    to_even: false,
                },
                extremes: false,
            },
        ),
        check(
            "change column `ratio` to float",
            &["ratio"],
            Kind::NotFitting {
                fit: Fit::Float {
                    single: true,
                    unsigned: false,
                },
                extremes: false,
            },
        ),
        check(
            "change column `ratio` to float: precision",
            &["ratio"],
            Kind::Altered {
                how: Alteration::Precision,
            },
        ),
        check(
            "change column `state` (enum) to latin1",
            &["state"],
            Kind::Altered {
                how: Alteration::Charset("latin1".into()),
            },
        ),
        check(
            "change column `at` to datetime: fractions",
            &["at"],
            Kind::Altered {
                how: Alteration::Fraction(0),
            },
        ),
        check(
            "change column `at` to date: time of day",
            &["at"],
            Kind::Altered {
                how: Alteration::TimeOfDay,
            },
        ),
        check(
            "change column `at` to timestamp",
            &["at"],
            Kind::NotFitting {
                fit: Fit::Timestamp {
                    max: i32::MAX as u64,
                },
                extremes: false,
            },
        ),
        check(
            "change column `note` to latin1",
            &["note"],
            Kind::NotFitting {
                fit: Fit::Charset("latin1".into()),
                extremes: false,
            },
        ),
        check(
            "change `ref` to latin1_general_ci (unique)",
            &["ref"],
            Kind::Collisions {
                column: "ref".into(),
                collation: "latin1_general_ci".into(),
                charset: Some("latin1".into()),
                prefixes: Vec::new(),
            },
        ),
        check(
            "add foreign key (indexed column)",
            &["customer_id"],
            Kind::Orphans {
                parent: "customers".into(),
                parent_columns: vec!["id".into()],
                parent_exists: true,
            },
        ),
        check(
            "add check `qty > 0`",
            &[],
            Kind::Violations {
                expr: "`qty` > 0".into(),
            },
        ),
        check("drop column `legacy`", &["legacy"], Kind::ValuesLost),
        check("drop table", &[], Kind::RowsLost),
    ];
    let budget_ms = Mode::Fast.budget_ms().expect("fast has a budget");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let version = server.sql("", "SELECT VERSION()");
    let flavor = canon::flavor::Flavor::from_server_version(version.trim()).expect("a flavor");
    let sizes = canon::model::Sizes::new();
    let settings = canon::data_checks::Settings {
        flavor,
        budget_ms,
        samples: false,
        sensitive: &[],
        sizes: &sizes,
    };
    println!(
        "{ROWS} rows, budget {budget_ms} ms per check ({}), median of {RUNS}",
        flavor
    );
    println!(
        "{:<58} | {:>9} | {:>9} | {:>9} | result",
        "check", "server", "canon", "in budget"
    );
    for c in &checks {
        let bare = canon::sql::data_checks::count(c, flavor, budget_ms);
        let bare = bare
            .split_once(" FOR ")
            .map(|(_, s)| s.to_string())
            .unwrap_or(bare);
        let server_times: Vec<Duration> = (0..RUNS)
            .map(|_| {
                rt.block_on(async {
                    let mut conn = canon::source::live::connect(&spec).await.unwrap();
                    let t = Instant::now();
                    let _: Option<mysql_async::Row> =
                        conn.query_first(bare.as_str()).await.unwrap();
                    let d = t.elapsed();
                    let _ = conn.disconnect().await;
                    d
                })
            })
            .collect();
        let mut result = String::new();
        let canon_times: Vec<Duration> = (0..RUNS)
            .map(|_| {
                let t = Instant::now();
                let got = rt.block_on(canon::data_checks::check(&spec, vec![c.clone()], &settings));
                let d = t.elapsed();
                result = got[0].result();
                d
            })
            .collect();
        let (s, k) = (median(server_times), median(canon_times));
        println!(
            "{:<58} | {:>7.3} s | {:>7.3} s | {:>9} | {result}",
            c.change,
            s.as_secs_f64(),
            k.as_secs_f64(),
            if k.as_millis() as u64 <= budget_ms + 500 {
                "yes"
            } else {
                "NO"
            }
        );
    }
}
