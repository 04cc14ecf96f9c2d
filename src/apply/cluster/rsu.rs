//! Rolling schema upgrade (`--rsu`): each step runs on one node at a time, with
//! `wsrep_OSU_method = RSU`, which desyncs the node for the statement and resyncs it after;
//! the next node starts once this one is Synced again. Only for steps whose tables stay
//! compatible with replication in both directions while nodes differ: a secondary,
//! non-unique index added.

use super::{node_state, ready, Cluster};
use crate::apply::{server, ApplyError, Operator};
use crate::document::DocStep;
use crate::model::IndexKind;
use crate::plan::{Action, AlterClause};
use crate::source::live;
use mysql_async::prelude::Queryable;
use std::time::{Duration, Instant};

/// Why a step cannot run node by node, or None when it can.
pub fn incompatible(s: &DocStep) -> Option<&'static str> {
    if s.osc.is_some() {
        return Some("it goes through an online schema change tool, whose triggers and swap need every node at once");
    }
    let Some(Action::AlterTable { clauses, .. }) = &s.action else {
        return Some("only ALTER TABLE steps run node by node");
    };
    let index_only = clauses.iter().all(|c| {
        matches!(c, AlterClause::AddIndex { index } if !matches!(index.kind, IndexKind::Primary | IndexKind::Unique))
    });
    (!index_only).then_some(
        "rows written on a changed node must apply on the others and back: only non-unique secondary indexes can be added node by node",
    )
}

impl Cluster {
    /// Run one step's SQL on every node in turn by RSU, each resynced before the next.
    pub async fn rsu(&self, sql: &str, op: &mut dyn Operator) -> Result<(), String> {
        for m in &self.members {
            op.say(&format!(
                "  {}: desynced, running the step by RSU",
                m.label()
            ));
            let mut conn = live::connect(&m.spec).await.map_err(|e| e.to_string())?;
            let ran = async {
                server::lock_wait_timeout(&mut conn, self.lock_wait_timeout)
                    .await
                    .map_err(|e| e.to_string())?;
                conn.query_drop(include_str!("../queries/cluster_rsu.sql"))
                    .await
                    .map_err(|e| e.to_string())?;
                conn.query_drop(sql).await.map_err(|e| e.to_string())
            }
            .await;
            let _ = conn.disconnect().await;
            ran.map_err(|e| format!("on {}: {e}", m.label()))?;
            let deadline = Instant::now() + m.spec.timeout;
            loop {
                let mut conn = live::connect(&m.spec).await.map_err(|e| e.to_string())?;
                let state = node_state(&mut conn).await;
                let _ = conn.disconnect().await;
                let (_, status) = state.map_err(|e| e.to_string())?;
                match ready(&m.spec.label(), &m.label(), &status) {
                    Ok(()) => break,
                    Err(e) if Instant::now() >= deadline => return Err(e.to_string()),
                    Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
                }
            }
            op.say(&format!("  {}: resynced", m.label()));
        }
        Ok(())
    }
}

/// Refuse `--rsu` for any remaining step that cannot run node by node.
pub fn check(remaining: &[DocStep]) -> Result<(), ApplyError> {
    for s in remaining {
        if let Some(why) = incompatible(s) {
            return Err(ApplyError::RsuIncompatible {
                step: s.id,
                object: s.object.kind.label(&s.object.name),
                why: why.to_string(),
            });
        }
    }
    Ok(())
}
