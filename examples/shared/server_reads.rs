//! The server's own answer time for the reads canon sends for one database of tables
//! `t0`..`tN`: shared by the benchmarks that print canon's time beside it.

use canon::source::live::ConnSpec;
use mysql_async::prelude::Queryable;
use std::time::{Duration, Instant};

/// (the bulk information_schema queries, SHOW CREATE TABLE of every table), connected. The
/// bulk queries are a complete read from information_schema alone: the ones canon still
/// sends, and the five (`information_schema/`) it sent before it read base tables from
/// SHOW CREATE TABLE, kept as the baseline the issue measures against.
pub async fn answer_time(spec: &ConnSpec, tables: usize) -> (Duration, Duration) {
    let mut conn = canon::source::live::connect(spec).await.expect("connect");
    let db = spec.database.clone();
    let queries: [(&str, usize); 11] = [
        (include_str!("information_schema/tables.sql"), 1),
        (include_str!("information_schema/columns.sql"), 1),
        (include_str!("information_schema/statistics.sql"), 1),
        (include_str!("information_schema/fk_columns.sql"), 1),
        (include_str!("information_schema/fk_rules.sql"), 1),
        (include_str!("information_schema/checks.sql"), 1),
        (include_str!("../../src/source/live/queries/views.sql"), 1),
        (
            include_str!("../../src/source/live/queries/triggers.sql"),
            1,
        ),
        (
            include_str!("../../src/source/live/queries/routines.sql"),
            1,
        ),
        (
            include_str!("../../src/source/live/queries/parameters.sql"),
            1,
        ),
        (include_str!("../../src/source/live/queries/events.sql"), 1),
    ];
    let start = Instant::now();
    for (q, n) in queries {
        let _: Vec<mysql_async::Row> = conn.exec(q, vec![db.clone(); n]).await.expect("query");
    }
    let bulk = start.elapsed();
    let start = Instant::now();
    // As canon sends them: 64 statements a round trip.
    let names: Vec<usize> = (0..tables).collect();
    for batch in names.chunks(64) {
        let sql: String = batch
            .iter()
            .map(|i| format!("SHOW CREATE TABLE `t{i}`;"))
            .collect();
        let mut result = conn.query_iter(sql).await.expect("show create");
        while !result.is_empty() {
            let _: Vec<(String, String)> = result.collect().await.expect("show create");
        }
    }
    (bulk, start.elapsed())
}
