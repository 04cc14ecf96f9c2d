//! canon's history table in the target database: one row per step run (and one for the
//! backup, step 0), written before the step starts and updated when it ends, so an apply
//! that stops half way leaves an exact record to resume from.

use super::gate::Outcome;
use super::ApplyError;
use crate::sql::quote::ident;
use mysql_async::prelude::Queryable;
use mysql_async::{Conn, Row};

/// A history query with the table name in place (quoted by the one quoting helper).
fn sql(template: &str, table: &str) -> String {
    template.replace("{history}", &ident(table))
}

pub async fn exists(conn: &mut Conn, table: &str) -> Result<bool, ApplyError> {
    let n: Option<u64> = conn
        .exec_first(include_str!("queries/history_exists.sql"), (table,))
        .await
        .map_err(|e| ApplyError::server("looking for the history table", e))?;
    Ok(n.unwrap_or(0) > 0)
}

pub async fn create(conn: &mut Conn, table: &str) -> Result<(), ApplyError> {
    conn.query_drop(sql(include_str!("queries/history_create.sql"), table))
        .await
        .map_err(|e| ApplyError::server("creating the history table", e))
}

/// What history records of this plan's steps, oldest first.
pub async fn read(
    conn: &mut Conn,
    table: &str,
    plan_id: &str,
) -> Result<Vec<(usize, Outcome)>, ApplyError> {
    if !exists(conn, table).await? {
        return Ok(Vec::new());
    }
    let rows: Vec<Row> = conn
        .exec(
            sql(include_str!("queries/history_read.sql"), table),
            (plan_id,),
        )
        .await
        .map_err(|e| ApplyError::server("reading the history table", e))?;
    rows.into_iter()
        .map(|r| {
            let step: Option<u64> = r.get("step_id");
            let outcome: Option<String> = r.get("outcome");
            match (step, outcome.as_deref().and_then(Outcome::parse)) {
                (Some(s), Some(o)) => Ok((s as usize, o)),
                _ => Err(ApplyError::History {
                    detail: format!("unreadable row in `{table}`"),
                }),
            }
        })
        .collect()
}

/// One history row to write.
pub struct Entry<'a> {
    pub plan_id: &'a str,
    pub step: usize,
    pub object: &'a str,
    pub sql: &'a str,
    pub outcome: &'a str,
    pub detail: Option<&'a str>,
    pub operator: &'a str,
}

/// Record a row; returns its id for [`finish`].
pub async fn start(conn: &mut Conn, table: &str, e: &Entry<'_>) -> Result<u64, ApplyError> {
    conn.exec_drop(
        sql(include_str!("queries/history_start.sql"), table),
        (
            e.plan_id,
            e.step as u64,
            e.object,
            e.sql,
            e.outcome,
            e.detail,
            e.operator,
            env!("CARGO_PKG_VERSION"),
        ),
    )
    .await
    .map_err(|err| ApplyError::server("writing the history table", err))?;
    Ok(conn.last_insert_id().unwrap_or(0))
}

pub async fn finish(
    conn: &mut Conn,
    table: &str,
    id: u64,
    outcome: Outcome,
    detail: Option<&str>,
) -> Result<(), ApplyError> {
    conn.exec_drop(
        sql(include_str!("queries/history_finish.sql"), table),
        (outcome.as_str(), detail, id),
    )
    .await
    .map_err(|e| ApplyError::server("writing the history table", e))
}
