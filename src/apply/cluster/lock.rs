//! The apply lock of a Galera cluster. `GET_LOCK` holds on one node only, so two operators
//! on two nodes could both apply; the cluster-wide lock is row 0 of the history table,
//! which Galera replicates to every node. The row names its holder: node and connection.
//! The holder also keeps the node-local `GET_LOCK` (server::lock), so a row whose
//! connection no longer holds that lock on its node, or whose node left the cluster, is
//! stale (a crashed apply) and is taken over, saying so.

use super::{Cluster, Member};
use crate::apply::server::lock_name;
use crate::apply::{ApplyError, Operator};
use crate::source::live;
use crate::sql::quote::ident;
use mysql_async::prelude::Queryable;
use mysql_async::Conn;
use std::time::{Duration, Instant};

/// A lock query with the history table's name in place.
fn sql(template: &str, table: &str) -> String {
    template.replace("{history}", &ident(table))
}

/// The lock row: `node=NAME connection=ID`, who and since when.
struct Holder {
    detail: String,
    operator: String,
    since: String,
}

impl Holder {
    fn part(&self, key: &str) -> Option<&str> {
        self.detail
            .split_whitespace()
            .find_map(|w| w.strip_prefix(key)?.strip_prefix('='))
    }

    fn describe(&self) -> String {
        format!(
            "{} on node {}, connection {}, since {}",
            self.operator,
            self.part("node").unwrap_or("?"),
            self.part("connection").unwrap_or("?"),
            self.since
        )
    }
}

async fn holder(conn: &mut Conn, table: &str) -> Result<Option<Holder>, ApplyError> {
    let row: Option<(Option<String>, String, String)> = conn
        .query_first(sql(include_str!("../queries/cluster_lock_read.sql"), table))
        .await
        .map_err(|e| ApplyError::server("reading the cluster apply lock", e))?;
    Ok(row.map(|(detail, operator, since)| Holder {
        detail: detail.unwrap_or_default(),
        operator,
        since,
    }))
}

/// Why the holder's lock is stale, or None while its apply still runs.
async fn stale(cluster: &Cluster, h: &Holder, database: &str) -> Option<String> {
    let node = h.part("node").unwrap_or_default();
    let Some(m): Option<&Member> = cluster.members.iter().find(|m| m.name == node) else {
        return Some(format!("its node {node} is no longer in the cluster"));
    };
    let id: u64 = h.part("connection")?.parse().ok()?;
    // Unreachable just after every node answered: not known to be stale, so kept.
    let mut conn = live::connect(&m.spec).await.ok()?;
    let held: Option<Option<u64>> = conn
        .exec_first(
            include_str!("../queries/lock_holder_id.sql"),
            (lock_name(database),),
        )
        .await
        .ok()?;
    let _ = conn.disconnect().await;
    (held.flatten() != Some(id)).then(|| {
        format!(
            "connection {id} on {} no longer holds the apply lock there",
            m.label()
        )
    })
}

/// Take the cluster-wide lock for an apply of `plan_id` by `operator`, waiting up to `wait`
/// seconds for another holder; a stale holder is taken over.
pub async fn lock(
    conn: &mut Conn,
    cluster: &Cluster,
    (table, database): (&str, &str),
    (plan_id, operator): (&str, &str),
    wait: u64,
    op: &mut dyn Operator,
) -> Result<(), ApplyError> {
    let deadline = Instant::now() + Duration::from_secs(wait);
    let take = sql(include_str!("../queries/cluster_lock_take.sql"), table);
    loop {
        let taken = conn
            .exec_drop(&take, (plan_id, operator, env!("CARGO_PKG_VERSION")))
            .await;
        match taken {
            Ok(()) => return Ok(()),
            // 1062: the row is there (same node); 1213: another node's insert won the
            // certification; 1205: its row is locked by a transaction still committing.
            Err(mysql_async::Error::Server(e)) if matches!(e.code, 1062 | 1213 | 1205) => {}
            Err(e) => return Err(ApplyError::server("taking the cluster apply lock", e)),
        }
        let found = holder(conn, table).await?;
        if let Some(h) = &found {
            if let Some(why) = stale(cluster, h, database).await {
                op.say(&format!(
                    "warning: taking over a stale cluster apply lock of {}: {why}",
                    h.describe()
                ));
                conn.exec_drop(
                    sql(include_str!("../queries/cluster_lock_clear.sql"), table),
                    (&h.detail,),
                )
                .await
                .map_err(|e| ApplyError::server("clearing a stale cluster apply lock", e))?;
                continue;
            }
        }
        if Instant::now() >= deadline {
            return Err(ApplyError::Locked {
                database: database.to_string(),
                holder: found.map_or_else(
                    || "an apply on another node that took it at the same moment".into(),
                    |h| format!("{} (cluster-wide lock)", h.describe()),
                ),
                waited: wait,
            });
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// Release the cluster-wide lock if this session holds it (a no-op elsewhere).
pub async fn unlock(conn: &mut Conn, table: &str) {
    let _ = conn
        .query_drop(sql(
            include_str!("../queries/cluster_lock_release.sql"),
            table,
        ))
        .await;
}
