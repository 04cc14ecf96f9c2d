//! Runs the plan's data checks: read-only counts, each stopped by the server at its budget.
//! A check over budget, refused or failing is an answer, never an error: the plan goes on.

use super::{connect, ConnSpec};
use mysql_async::prelude::Queryable;
use mysql_async::Conn;
use std::time::Duration;

/// One check's statements, as `sql/data_checks.rs` writes them.
pub struct Query {
    /// Answers one row: a number, then what else the check reads (as text).
    pub count: String,
    /// Answers a few rows of one string, asked only when the count is not zero.
    pub samples: Option<String>,
}

#[derive(Debug, PartialEq)]
pub enum Answer {
    Count {
        count: u64,
        samples: Vec<String>,
        /// The count's further columns, as text (e.g. the longest value's length).
        more: Vec<Option<String>>,
    },
    /// The server stopped it at the budget (or did not answer in time).
    OverBudget,
    /// Refused for privileges: the server's message.
    Denied(String),
    Failed(String),
}

/// The server's codes for a statement stopped at its time limit: MariaDB's
/// ER_STATEMENT_TIMEOUT, MySQL's ER_QUERY_TIMEOUT; and for a SELECT refused on a table or
/// column.
const TIMEOUTS: [u16; 2] = [1969, 3024];
const DENIED: [u16; 2] = [1142, 1143];

/// Each query's answer, in order, on one connection of its own (reopened after a check the
/// client had to give up on: its statement may still be running).
pub async fn run(spec: &ConnSpec, queries: &[Query], budget: Duration) -> Vec<Answer> {
    // The server stops a statement at the budget; the client waits a little longer.
    let patience = budget + Duration::from_secs(5);
    let mut conn: Option<Conn> = None;
    let mut out = Vec::with_capacity(queries.len());
    for q in queries {
        if conn.is_none() {
            match connect(spec).await {
                Ok(c) => conn = Some(c),
                Err(e) => {
                    out.push(Answer::Failed(e.to_string()));
                    continue;
                }
            }
        }
        let c = conn.as_mut().expect("connected above");
        let answer = match tokio::time::timeout(patience, ask(c, q)).await {
            Ok(a) => a,
            Err(_) => {
                conn = None;
                Answer::OverBudget
            }
        };
        out.push(answer);
    }
    if let Some(c) = conn {
        let _ = tokio::time::timeout(spec.timeout, c.disconnect()).await;
    }
    out
}

async fn ask(conn: &mut Conn, q: &Query) -> Answer {
    let row: Option<mysql_async::Row> = match conn.query_first(q.count.as_str()).await {
        Ok(row) => row,
        Err(e) => return failure(e),
    };
    let (count, more) = match row {
        Some(mut row) => {
            let count = row.take::<Option<u64>, _>(0).flatten().unwrap_or(0);
            let more = (1..row.len())
                .map(|i| row.take::<Option<String>, _>(i).flatten())
                .collect();
            (count, more)
        }
        None => (0, Vec::new()),
    };
    let mut samples = Vec::new();
    if let (Some(sql), true) = (&q.samples, count > 0) {
        match conn.query::<Option<String>, _>(sql.as_str()).await {
            Ok(rows) => samples = rows.into_iter().flatten().collect(),
            Err(e) => return failure(e),
        }
    }
    Answer::Count {
        count,
        samples,
        more,
    }
}

fn failure(e: mysql_async::Error) -> Answer {
    match &e {
        mysql_async::Error::Server(s) if TIMEOUTS.contains(&s.code) => Answer::OverBudget,
        mysql_async::Error::Server(s) if DENIED.contains(&s.code) => {
            Answer::Denied(s.message.clone())
        }
        _ => Answer::Failed(e.to_string()),
    }
}
