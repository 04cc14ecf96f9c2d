//! A MariaDB Galera cluster behind the target: found from `wsrep_on`, checked node by node
//! before anything changes (every node Synced, the cluster Primary), locked cluster-wide
//! (`lock`), its schema-upgrade method reported against the steps, and every node checked
//! at the plan's final fingerprint after the last step.

mod lock;
mod rsu;

pub use lock::{lock, unlock};

use super::{ApplyError, ApplyOptions, Operator};
use crate::document::DocStep;
use crate::plan::online::{Algorithm, DurationClass};
use crate::source::live::{self, ConnSpec};
use crate::source::Shown;
use mysql_async::prelude::Queryable;
use mysql_async::Conn;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// One node of the cluster, as its peers list it.
pub struct Member {
    pub name: String,
    pub address: String,
    /// The target's connection settings pointed at this node.
    pub spec: ConnSpec,
}

pub struct Cluster {
    /// The node canon is connected to.
    pub node: String,
    /// `wsrep_OSU_method` of the connected node: how its DDL reaches the others.
    pub osu_method: String,
    pub members: Vec<Member>,
    /// Steps run node by node by RSU (`--rsu`) instead of by TOI.
    pub rsu: bool,
    /// `lock_wait_timeout` for an RSU step's session on each node.
    pub lock_wait_timeout: u64,
}

impl Member {
    pub fn label(&self) -> String {
        format!("{} ({})", self.name, self.address)
    }
}

/// `SHOW GLOBAL VARIABLES` / `STATUS` rows as a map with lower-case names.
async fn read_map(conn: &mut Conn, query: &str) -> Result<BTreeMap<String, String>, ApplyError> {
    let rows: Vec<(String, String)> = conn
        .query(query)
        .await
        .map_err(|e| ApplyError::server("reading the Galera status", e))?;
    Ok(rows
        .into_iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v))
        .collect())
}

/// A node's own variables and status.
async fn node_state(
    conn: &mut Conn,
) -> Result<(BTreeMap<String, String>, BTreeMap<String, String>), ApplyError> {
    let vars = read_map(conn, include_str!("queries/cluster_variables.sql")).await?;
    let status = read_map(conn, include_str!("queries/cluster_status.sql")).await?;
    Ok((vars, status))
}

fn get<'m>(m: &'m BTreeMap<String, String>, key: &str) -> &'m str {
    m.get(key).map_or("", String::as_str)
}

/// Refuse unless this node sees a Primary cluster and is Synced with it.
fn ready(target: &Shown, node: &str, status: &BTreeMap<String, String>) -> Result<(), ApplyError> {
    let not_ready = |why: String| ApplyError::ClusterNotReady {
        target: target.clone(),
        node: node.to_string(),
        why,
    };
    let cluster = get(status, "wsrep_cluster_status");
    if cluster != "Primary" {
        return Err(not_ready(format!(
            "sees the cluster as {cluster} (not Primary: it has lost quorum)"
        )));
    }
    let state = get(status, "wsrep_local_state_comment");
    if state != "Synced" {
        return Err(not_ready(format!("is {state}, not Synced")));
    }
    Ok(())
}

/// The cluster the target belongs to, every node checked; None when the target is not a
/// Galera node. Refuses (naming the node) unless every node is Synced and the cluster
/// Primary.
pub async fn detect(
    conn: &mut Conn,
    spec: &ConnSpec,
    target: &Shown,
) -> Result<Option<Cluster>, ApplyError> {
    let (vars, status) = node_state(conn).await?;
    if !get(&vars, "wsrep_on").eq_ignore_ascii_case("ON") {
        return Ok(None);
    }
    let node = get(&vars, "wsrep_node_name").to_string();
    ready(target, &node, &status)?;
    let addresses: Vec<&str> = get(&status, "wsrep_incoming_addresses")
        .split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .collect();
    let size = get(&status, "wsrep_cluster_size");
    if size.parse::<usize>().ok() != Some(addresses.len()) {
        return Err(ApplyError::ClusterNotReady {
            target: target.clone(),
            node,
            why: format!(
                "counts {size} nodes but lists {} client addresses (wsrep_incoming_addresses): every node needs wsrep_node_incoming_address for canon to check it",
                addresses.len()
            ),
        });
    }
    let mut members = Vec::new();
    for address in addresses {
        members.push(member(spec, target, address).await?);
    }
    Ok(Some(Cluster {
        node,
        osu_method: get(&vars, "wsrep_osu_method").to_string(),
        members,
        rsu: false,
        lock_wait_timeout: 0,
    }))
}

/// Connect to the node at `address` (`host:port`) as the target's user and check it.
async fn member(spec: &ConnSpec, target: &Shown, address: &str) -> Result<Member, ApplyError> {
    let not_ready = |why: String| ApplyError::ClusterNotReady {
        target: target.clone(),
        node: address.to_string(),
        why,
    };
    let (host, port) = address
        .rsplit_once(':')
        .and_then(|(h, p)| Some((h.trim_matches(['[', ']']), p.parse::<u16>().ok()?)))
        .ok_or_else(|| not_ready("has no client address canon can reach (host:port)".into()))?;
    let mut node_spec = spec.clone();
    node_spec.host = host.to_string();
    node_spec.port = port;
    node_spec.socket = None;
    let mut conn = live::connect(&node_spec)
        .await
        .map_err(|e| not_ready(format!("does not answer: {e}")))?;
    let state = node_state(&mut conn).await;
    let _ = conn.disconnect().await;
    let (vars, status) = state?;
    let name = get(&vars, "wsrep_node_name").to_string();
    ready(target, &format!("{name} ({address})"), &status)?;
    Ok(Member {
        name,
        address: address.to_string(),
        spec: node_spec,
    })
}

/// Before anything else on a Galera node: the cluster, every node checked, and its apply
/// lock taken. The lock lives in the history table, so on a cluster that table is created
/// here, before the backup phase (an empty journal, not a change to the schema).
pub async fn prepare(
    conn: &mut Conn,
    spec: &ConnSpec,
    target: &Shown,
    opts: &ApplyOptions,
    plan_id: &str,
    op: &mut dyn Operator,
) -> Result<Option<Cluster>, ApplyError> {
    let Some(mut cluster) = detect(conn, spec, target).await? else {
        if opts.rsu {
            return Err(ApplyError::RsuNotCluster {
                target: target.clone(),
            });
        }
        return Ok(None);
    };
    cluster.rsu = opts.rsu;
    cluster.lock_wait_timeout = opts.lock_wait_timeout;
    let operator = match &opts.operator {
        Some(o) => o.clone(),
        None => super::server::current_user(conn)
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| spec.user.clone()),
    };
    // Only when missing: a DDL statement would queue behind any other node's TOI step.
    if !super::history::exists(conn, &opts.history_table).await? {
        super::history::create(conn, &opts.history_table).await?;
    }
    lock(
        conn,
        &cluster,
        (&opts.history_table, &spec.database),
        (plan_id, &operator),
        opts.wait,
        op,
    )
    .await?;
    Ok(Some(cluster))
}

/// What one step does to a cluster that applies DDL by TOI.
enum Toi {
    /// Metadata only, or not a table change: over in a moment.
    Quick,
    /// Through the online schema change tool: only its final swap is a TOI step.
    Tool(String),
    /// Writes on every node wait for it, for seconds.
    Blocks(String),
    /// Writes on every node would wait for minutes or more: refused.
    TooLong(ApplyError),
}

fn under_toi(s: &DocStep) -> Toi {
    let object = s.object.kind.label(&s.object.name);
    if let Some(o) = &s.osc {
        return Toi::Tool(format!(
            "step {} ({object}) goes through {}: it copies in small chunks; only its final swap is a TOI step every node waits for",
            s.id, o.tool
        ));
    }
    let Some(online) = s
        .online
        .as_ref()
        .filter(|o| o.algorithm != Algorithm::Instant)
    else {
        return Toi::Quick;
    };
    let duration = online.duration.map_or("unknown", DurationClass::label);
    if online.duration >= Some(DurationClass::Minutes) {
        return Toi::TooLong(ApplyError::TooLongForToi {
            step: s.id,
            object,
            algorithm: online.algorithm.label().to_string(),
            duration: duration.to_string(),
        });
    }
    Toi::Blocks(format!(
        "step {} ({object}, {}) runs under TOI: writes on every node wait for its whole duration ({duration})",
        s.id,
        online.algorithm.label()
    ))
}

/// `wsrep_OSU_method` when the target is a Galera node, for the review of a plan.
pub async fn osu_method(spec: &ConnSpec) -> Result<Option<String>, ApplyError> {
    let mut conn = live::connect(spec).await?;
    let vars = read_map(&mut conn, include_str!("queries/cluster_variables.sql")).await;
    let _ = conn.disconnect().await;
    let vars = vars?;
    Ok(get(&vars, "wsrep_on")
        .eq_ignore_ascii_case("ON")
        .then(|| get(&vars, "wsrep_osu_method").to_string()))
}

/// What the review of a plan made against a Galera node says about the cluster.
pub fn review(osu_method: &str, steps: &[DocStep]) -> Vec<String> {
    let mut notes = vec![format!(
        "the target is a Galera cluster node; schema changes by {osu_method} (wsrep_OSU_method): under TOI each step runs on every node at once, and a step that copies or rebuilds a table blocks writes on every node for its whole duration"
    )];
    notes.extend(steps.iter().filter_map(|s| match under_toi(s) {
        Toi::Quick => None,
        Toi::Tool(line) | Toi::Blocks(line) => Some(line),
        Toi::TooLong(refusal) => Some(format!("{refusal}: apply will refuse it")),
    }));
    notes
}

impl Cluster {
    /// Say how the steps reach the other nodes; refuse what TOI would make block the whole
    /// cluster for minutes or more. Under TOI every node runs a DDL step at the same point
    /// of the replication stream, so writes on every node wait for it.
    pub fn schema_upgrade(
        &self,
        remaining: &[DocStep],
        op: &mut dyn Operator,
    ) -> Result<(), ApplyError> {
        let names: Vec<String> = self.members.iter().map(Member::label).collect();
        op.say(&format!(
            "Galera cluster of {} nodes ({}), connected to {}; schema changes by {}",
            self.members.len(),
            names.join(", "),
            self.node,
            if self.rsu {
                "RSU, node by node (--rsu)"
            } else {
                &self.osu_method
            }
        ));
        if self.rsu {
            return rsu::check(remaining);
        }
        if !self.osu_method.eq_ignore_ascii_case("TOI") {
            return Err(ApplyError::ClusterOsu {
                node: self.node.clone(),
                method: self.osu_method.clone(),
            });
        }
        for s in remaining {
            match under_toi(s) {
                Toi::Quick => {}
                Toi::Tool(line) | Toi::Blocks(line) => op.say(&line),
                Toi::TooLong(refusal) => return Err(refusal),
            }
        }
        Ok(())
    }

    /// Every node is at `expected` (waiting, up to the target's timeout, for nodes still
    /// applying the last step); each is reported by name.
    pub async fn converged(
        &self,
        expected: &str,
        history: &str,
        ignore: &[String],
        op: &mut dyn Operator,
    ) -> Result<(), ApplyError> {
        for m in &self.members {
            let deadline = Instant::now() + m.spec.timeout;
            loop {
                let found = super::run::live_schema(&m.spec, history, ignore)
                    .await?
                    .fingerprint();
                if found == expected {
                    op.say(&format!(
                        "node {}: at the plan's final fingerprint",
                        m.label()
                    ));
                    break;
                }
                if Instant::now() >= deadline {
                    return Err(ApplyError::ClusterDiverged {
                        node: m.label(),
                        expected: expected.to_string(),
                        found,
                    });
                }
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::online::{Lock, Online};
    use crate::plan::osc::Osc;

    fn online(algorithm: Algorithm, duration: Option<DurationClass>) -> Option<Online> {
        Some(Online {
            algorithm,
            lock: Lock::Shared,
            why: Vec::new(),
            duration,
        })
    }

    #[test]
    fn the_review_names_what_blocks_every_node_and_what_apply_refuses() {
        let mut doc = crate::document::sample(5);
        doc.steps[0].online = online(Algorithm::Instant, Some(DurationClass::Instant));
        doc.steps[1].online = online(Algorithm::Copy, Some(DurationClass::Seconds));
        doc.steps[2].online = online(Algorithm::Rebuild, Some(DurationClass::Hours));
        doc.steps[3].online = online(Algorithm::Copy, Some(DurationClass::Hours));
        doc.steps[3].osc = Some(Osc {
            tool: "pt-online-schema-change".into(),
            args: Vec::new(),
            table: "t4".into(),
        });
        let notes = review("TOI", &doc.steps);
        assert_eq!(notes.len(), 4, "{notes:#?}");
        assert!(notes[0].starts_with("the target is a Galera cluster node; schema changes by TOI"));
        assert_eq!(
            notes[1],
            "step 2 (table `t2`, COPY) runs under TOI: writes on every node wait for its whole duration (seconds)"
        );
        assert_eq!(
            notes[2],
            "step 3 (table `t3`) is a table rebuild (INPLACE, rebuilds) of hours: under Galera's TOI writes on every node would wait for all of it: apply will refuse it"
        );
        assert!(notes[3].starts_with("step 4 (table `t4`) goes through pt-online-schema-change"));
        // A rebuild of unknown size is said, not refused: nothing says it is long.
        doc.steps[2].online = online(Algorithm::Rebuild, None);
        assert!(matches!(under_toi(&doc.steps[2]), Toi::Blocks(l) if l.ends_with("(unknown)")));
    }
}
