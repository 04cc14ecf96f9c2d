//! What apply asks the server before the first step: the apply lock, the user's grants, and
//! sessions that would make a DDL step wait.

use super::ApplyError;
use crate::flavor::Flavor;
use crate::source::Shown;
use mysql_async::prelude::Queryable;
use mysql_async::{Conn, Row};

/// The advisory lock one apply per database holds. Lock names are limited to 64 characters,
/// so long database names are shortened to a digest.
pub fn lock_name(database: &str) -> String {
    let name = format!("canon:apply:{database}");
    if name.len() <= 64 {
        name
    } else {
        format!(
            "canon:apply:{}",
            &blake3::hash(database.as_bytes()).to_hex()[..40]
        )
    }
}

/// Take the lock, waiting up to `wait` seconds; a holder is named when the server shows it.
pub async fn lock(conn: &mut Conn, database: &str, wait: u64) -> Result<(), ApplyError> {
    let name = lock_name(database);
    let got: Option<Option<i64>> = conn
        .exec_first(include_str!("queries/lock_take.sql"), (&name, wait))
        .await
        .map_err(|e| ApplyError::server("taking the apply lock", e))?;
    if got.flatten() == Some(1) {
        return Ok(());
    }
    let holder: Option<Row> = conn
        .exec_first(include_str!("queries/lock_holder.sql"), (&name,))
        .await
        .unwrap_or(None);
    let holder = match holder {
        Some(r) => {
            let id: Option<u64> = r.get("id");
            let user: Option<String> = r.get("user");
            let host: Option<String> = r.get("host");
            let secs: Option<i64> = r.get("secs");
            format!(
                "connection {} ({}@{}, for {} s)",
                id.unwrap_or(0),
                user.unwrap_or_default(),
                host.unwrap_or_default(),
                secs.unwrap_or(0)
            )
        }
        None => {
            let id: Option<Option<u64>> = conn
                .exec_first(include_str!("queries/lock_holder_id.sql"), (&name,))
                .await
                .unwrap_or(None);
            match id.flatten() {
                Some(id) => format!("connection {id}"),
                None => "another session".into(),
            }
        }
    };
    Err(ApplyError::Locked {
        database: database.to_string(),
        holder,
        waited: wait,
    })
}

pub async fn unlock(conn: &mut Conn, database: &str) {
    let _ = conn
        .exec_drop(
            include_str!("queries/lock_release.sql"),
            (lock_name(database),),
        )
        .await;
}

/// Refuse a server in `read_only` (or MySQL's `super_read_only`) or a replica: DDL there
/// would fail half way, or, from a user allowed past read_only, make the replica diverge.
pub async fn writable(conn: &mut Conn, flavor: Flavor, target: &Shown) -> Result<(), ApplyError> {
    let refuse = |why: &str| ApplyError::ReadOnly {
        target: target.clone(),
        why: why.to_string(),
    };
    let ro: Option<i64> = conn
        .query_first(include_str!("queries/read_only.sql"))
        .await
        .map_err(|e| ApplyError::server("reading read_only", e))?;
    if ro == Some(1) {
        return Err(refuse("the server runs with read_only = ON"));
    }
    if !flavor.is_mariadb() {
        let sro: Option<i64> = conn
            .query_first(include_str!("queries/super_read_only.sql"))
            .await
            .map_err(|e| ApplyError::server("reading super_read_only", e))?;
        if sro == Some(1) {
            return Err(refuse("the server runs with super_read_only = ON"));
        }
    }
    // Configured replication makes it a replica, running or not.
    let status: Result<Vec<Row>, _> = conn.query(include_str!("queries/replica_status.sql")).await;
    match status {
        Ok(rows) if !rows.is_empty() => Err(refuse(
            "it is a replica (SHOW REPLICA STATUS lists a source)",
        )),
        Ok(_) => Ok(()),
        // Without the privilege to ask, the answer is unknown; read_only is the usual guard.
        Err(mysql_async::Error::Server(e)) if e.code == 1227 => Ok(()),
        Err(e) => Err(ApplyError::server("reading SHOW REPLICA STATUS", e)),
    }
}

/// `SHOW GRANTS` for the connected user, and who that user is (`user@host`).
pub async fn grants(conn: &mut Conn) -> Result<(Vec<String>, String), ApplyError> {
    let lines: Vec<String> = conn
        .query(include_str!("queries/grants.sql"))
        .await
        .map_err(|e| ApplyError::server("reading SHOW GRANTS", e))?;
    let me = current_user(conn)
        .await
        .map_err(|e| ApplyError::server("reading CURRENT_USER()", e))?;
    Ok((lines, me.unwrap_or_default()))
}

/// Whether binary logging is on, and whether it trusts function creators.
pub async fn binlog(conn: &mut Conn) -> Result<super::programs::Binlog, ApplyError> {
    let row: Option<(u8, u8)> = conn
        .query_first(include_str!("queries/binlog.sql"))
        .await
        .map_err(|e| ApplyError::server("reading log_bin", e))?;
    let (on, trust) = row.unwrap_or_default();
    Ok(super::programs::Binlog {
        on: on == 1,
        trust_function_creators: trust == 1,
    })
}

/// Who the server says the connected user is (`user@host`).
pub async fn current_user(conn: &mut Conn) -> Result<Option<String>, mysql_async::Error> {
    conn.query_first(include_str!("queries/current_user.sql"))
        .await
}

/// Why the plan's events will not run, when `event_scheduler` is not ON (None when it is, or
/// when the server does not say).
pub async fn events_stopped(conn: &mut Conn) -> Option<String> {
    let state: Option<String> = conn
        .query_first(include_str!("queries/event_scheduler.sql"))
        .await
        .ok()
        .flatten();
    state.filter(|s| !s.eq_ignore_ascii_case("ON")).map(|s| {
        format!("event_scheduler is {s}: the events this plan creates exist but do not run until it is ON (SET GLOBAL event_scheduler = ON)")
    })
}

/// The server's version string.
pub async fn version(conn: &mut Conn) -> Result<String, ApplyError> {
    let v: Option<String> = conn
        .query_first(include_str!("queries/version.sql"))
        .await
        .map_err(|e| ApplyError::server("reading the server version", e))?;
    Ok(v.unwrap_or_default())
}

/// The server's default sql_mode (what an online schema change tool's sessions get).
pub async fn global_sql_mode(conn: &mut Conn) -> Result<String, ApplyError> {
    let mode: Option<String> = conn
        .query_first(include_str!("queries/global_sql_mode.sql"))
        .await
        .map_err(|e| ApplyError::server("reading the server's sql_mode", e))?;
    Ok(mode.unwrap_or_default())
}

/// Each step of this session waits `secs` for a metadata lock, then fails.
pub async fn lock_wait_timeout(conn: &mut Conn, secs: u64) -> Result<(), ApplyError> {
    conn.exec_drop(include_str!("queries/lock_wait_timeout.sql"), (secs,))
        .await
        .map_err(|e| ApplyError::server("setting lock_wait_timeout", e))
}

/// A session row's connection id, seconds and statement (NULL when idle).
fn session(r: &Row) -> (u64, i64, Option<String>) {
    let id: Option<u64> = r.get("id");
    let secs: Option<i64> = r.get("secs");
    let query: Option<Option<String>> = r.get("query");
    (id.unwrap_or(0), secs.unwrap_or(0), query.flatten())
}

/// Sessions that would block or queue behind a DDL step, as lines for the operator. What
/// the user may not see (other users' sessions without PROCESS) is said, not guessed.
pub async fn blockers(conn: &mut Conn, older_than: u64) -> Vec<String> {
    let mut out = Vec::new();
    match conn
        .exec::<Row, _, _>(include_str!("queries/long_transactions.sql"), (older_than,))
        .await
    {
        Ok(rows) => out.extend(rows.iter().map(|r| {
            let (id, secs, query) = session(r);
            format!(
                "transaction of connection {id} open for {secs} s (DDL waits for it): {}",
                query.unwrap_or_else(|| "idle".into())
            )
        })),
        Err(e) => out.push(format!(
            "cannot list open transactions ({e}); the PROCESS privilege shows other sessions'"
        )),
    }
    if let Ok(rows) = conn
        .query::<Row, _>(include_str!("queries/metadata_waits.sql"))
        .await
    {
        out.extend(rows.iter().map(|r| {
            let (id, secs, query) = session(r);
            format!(
                "connection {id} waits for a metadata lock for {secs} s: {}",
                query.unwrap_or_default()
            )
        }));
    }
    out
}
