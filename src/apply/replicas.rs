//! The target's replicas during an apply: each healthy before the first step, their lag
//! under `--max-lag` before each step, and each at the plan's end after the last. A lag that
//! cannot be read (a stopped thread, NULL `Seconds_Behind_Master`, a lost connection) stops
//! the apply, as the careful tools do: it is never taken for zero. Replicas are named by
//! host, port and database only.

use super::{ApplyError, Operator};
use crate::flavor::Flavor;
use crate::source::live::{self, ConnSpec};
use crate::source::Shown;
use mysql_async::prelude::Queryable;
use mysql_async::{Conn, Row};
use std::time::{Duration, Instant};

/// The replicas to watch and how patiently.
#[derive(Debug, Clone, Default)]
pub struct Replicas {
    pub nodes: Vec<ConnSpec>,
    /// Seconds of lag (`Seconds_Behind_Master`) a step may start with.
    pub max_lag: u64,
    /// Seconds to wait for the lag to come down, and for each replica to reach the end.
    pub wait: u64,
}

/// What a replica says of its replication: its lag in seconds, or why it has none.
#[derive(Debug, PartialEq, Eq)]
enum Lag {
    Seconds(u64),
    Unknown(String),
}

/// A column of a `SHOW REPLICA STATUS` row (None for NULL or no such column).
fn column(row: &Row, name: &str) -> Option<String> {
    row.get_opt::<Option<String>, _>(name)
        .and_then(Result::ok)
        .flatten()
}

/// A status row's columns by name.
type Columns<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The lag a status row shows (None: no row, not a replica), its columns read under
/// MariaDB's or MySQL's names. Error texts are not passed on: they can quote row values.
fn lag_of(row: Option<Columns>) -> Lag {
    let Some(get) = row else {
        return Lag::Unknown("it is not a replica (SHOW REPLICA STATUS is empty)".into());
    };
    let field = |names: [&str; 2]| names.iter().find_map(|n| get(n));
    let running = |names| field(names).is_some_and(|v| v.eq_ignore_ascii_case("yes"));
    let errno = |names| field(names).filter(|e| e != "0");
    for (thread, names, errors) in [
        (
            "IO",
            ["Slave_IO_Running", "Replica_IO_Running"],
            ["Last_IO_Errno", "Last_IO_Errno"],
        ),
        (
            "SQL",
            ["Slave_SQL_Running", "Replica_SQL_Running"],
            ["Last_SQL_Errno", "Last_SQL_Errno"],
        ),
    ] {
        if !running(names) {
            let why = errno(errors).map_or(String::new(), |e| format!(" (error {e})"));
            return Lag::Unknown(format!("its {thread} thread is not running{why}"));
        }
    }
    match field(["Seconds_Behind_Master", "Seconds_Behind_Source"]).and_then(|s| s.parse().ok()) {
        Some(secs) => Lag::Seconds(secs),
        None => Lag::Unknown("its lag is unknown (Seconds_Behind_Master is NULL)".into()),
    }
}

async fn read_lag(spec: &ConnSpec) -> Lag {
    let mut conn = match live::connect(spec).await {
        Ok(c) => c,
        Err(e) => return Lag::Unknown(format!("cannot connect: {e}")),
    };
    let rows: Result<Vec<Row>, _> = conn.query(include_str!("queries/replica_status.sql")).await;
    let _ = conn.disconnect().await;
    match rows {
        Ok(rows) => match rows.first() {
            Some(row) => lag_of(Some(&|name: &str| column(row, name))),
            None => lag_of(None),
        },
        Err(e) => Lag::Unknown(format!("cannot read SHOW REPLICA STATUS: {e}")),
    }
}

/// Before the first step: every replica replicates and its lag is known.
pub async fn healthy(replicas: &Replicas, op: &mut dyn Operator) -> Result<(), ApplyError> {
    for spec in &replicas.nodes {
        match read_lag(spec).await {
            Lag::Seconds(s) => op.say(&format!("replica {}: replicating, lag {s} s", spec.label())),
            Lag::Unknown(why) => {
                return Err(ApplyError::ReplicaUnhealthy {
                    replica: spec.label(),
                    why,
                })
            }
        }
    }
    Ok(())
}

/// Before a step: wait while any replica lags more than `max_lag`; stop when a lag cannot be
/// read, or stays too high for `wait` seconds.
pub async fn throttle(replicas: &Replicas, op: &mut dyn Operator) -> Result<(), ApplyError> {
    let start = Instant::now();
    loop {
        let mut behind: Option<(Shown, u64)> = None;
        for spec in &replicas.nodes {
            match read_lag(spec).await {
                Lag::Seconds(s) if s > replicas.max_lag => behind = Some((spec.label(), s)),
                Lag::Seconds(_) => {}
                Lag::Unknown(why) => {
                    return Err(ApplyError::ReplicaStopped {
                        replica: spec.label(),
                        why,
                    })
                }
            }
        }
        let Some((replica, lag)) = behind else {
            return Ok(());
        };
        let waited = start.elapsed().as_secs();
        if waited >= replicas.wait {
            return Err(ApplyError::ReplicaStopped {
                replica,
                why: format!(
                    "its lag stayed above {} s for {waited} s (last {lag} s)",
                    replicas.max_lag
                ),
            });
        }
        op.say(&format!(
            "waiting for replica {replica}: lag {lag} s > --max-lag {} s ({waited} s so far)",
            replicas.max_lag
        ));
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// After the last step: each replica reaches the primary's position (waiting up to `wait`
/// seconds in all) and then has the plan's final schema; those that do not are named.
/// `end`: the final fingerprint, and the history table and ignored tables it leaves out.
pub async fn converged(
    primary: &mut Conn,
    flavor: Flavor,
    replicas: &Replicas,
    end: (&str, &str, &[String]),
    op: &mut dyn Operator,
) -> Result<(), ApplyError> {
    let (expected, history, ignore) = end;
    if replicas.nodes.is_empty() {
        return Ok(());
    }
    let (position_sql, wait_sql) = if flavor.is_mariadb() {
        (
            include_str!("queries/gtid_position_mariadb.sql"),
            include_str!("queries/gtid_wait_mariadb.sql"),
        )
    } else {
        (
            include_str!("queries/gtid_position_mysql.sql"),
            include_str!("queries/gtid_wait_mysql.sql"),
        )
    };
    let position: Option<String> = primary
        .query_first(position_sql)
        .await
        .map_err(|e| ApplyError::server("reading the primary's GTID position", e))?;
    let position = position.unwrap_or_default();
    let deadline = Instant::now() + Duration::from_secs(replicas.wait);
    let mut problems = Vec::new();
    for spec in &replicas.nodes {
        let left = deadline.saturating_duration_since(Instant::now()).as_secs();
        op.say(&format!(
            "replica {}: waiting up to {left} s for it to reach the primary",
            spec.label()
        ));
        let problem = match read_lag(spec).await {
            Lag::Unknown(why) => Some(why),
            Lag::Seconds(_) => match reached(spec, wait_sql, &position, left).await {
                Err(why) => Some(why),
                Ok(false) => Some(match read_lag(spec).await {
                    Lag::Seconds(s) => format!(
                        "it lags: not at the primary's position after {} s (lag {s} s)",
                        replicas.wait
                    ),
                    Lag::Unknown(why) => why,
                }),
                Ok(true) => {
                    let found = super::run::live_schema(spec, history, ignore)
                        .await?
                        .fingerprint();
                    (found != expected).then(|| {
                        format!("it diverged: its schema has fingerprint {found}, the plan leads to {expected}")
                    })
                }
            },
        };
        match problem {
            Some(why) => problems.push(format!("{}: {why}", spec.label())),
            None => op.say(&format!("replica {}: at the plan's end", spec.label())),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ApplyError::ReplicasBehind { problems })
    }
}

/// Whether the replica applied `position` within `secs` seconds.
async fn reached(
    spec: &ConnSpec,
    wait_sql: &str,
    position: &str,
    secs: u64,
) -> Result<bool, String> {
    let mut conn = live::connect(spec)
        .await
        .map_err(|e| format!("cannot connect: {e}"))?;
    let got: Result<Option<Option<i64>>, _> = conn.exec_first(wait_sql, (position, secs)).await;
    let _ = conn.disconnect().await;
    match got {
        Ok(v) => Ok(v.flatten() == Some(0)),
        Err(e) => Err(format!("cannot wait for its GTID position: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn lag(columns: &[(&str, &str)]) -> Lag {
        let row: BTreeMap<String, String> = columns
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        // NULL reads as a missing value, as the driver gives it.
        lag_of(Some(&|name: &str| {
            row.get(name).filter(|v| *v != "NULL").cloned()
        }))
    }

    #[test]
    fn a_lag_is_known_only_with_both_threads_running_and_a_number() {
        // MariaDB 10.11's column names, as its SHOW SLAVE STATUS printed them.
        let mariadb = [
            ("Slave_IO_Running", "Yes"),
            ("Slave_SQL_Running", "Yes"),
            ("Last_IO_Errno", "0"),
            ("Last_SQL_Errno", "0"),
            ("Seconds_Behind_Master", "3"),
        ];
        assert_eq!(lag(&mariadb), Lag::Seconds(3));
        // MySQL 8's names (from its manual: SHOW REPLICA STATUS).
        let mysql = [
            ("Replica_IO_Running", "Yes"),
            ("Replica_SQL_Running", "Yes"),
            ("Seconds_Behind_Source", "0"),
        ];
        assert_eq!(lag(&mysql), Lag::Seconds(0));
        let mut stopped = mariadb;
        stopped[1] = ("Slave_SQL_Running", "No");
        stopped[3] = ("Last_SQL_Errno", "1062");
        stopped[4] = ("Seconds_Behind_Master", "NULL");
        assert_eq!(
            lag(&stopped),
            Lag::Unknown("its SQL thread is not running (error 1062)".into())
        );
        let mut connecting = mariadb;
        connecting[0] = ("Slave_IO_Running", "Connecting");
        assert_eq!(
            lag(&connecting),
            Lag::Unknown("its IO thread is not running".into())
        );
        let mut null = mariadb;
        null[4] = ("Seconds_Behind_Master", "NULL");
        assert!(matches!(lag(&null), Lag::Unknown(w) if w.contains("NULL")));
        assert!(matches!(lag_of(None), Lag::Unknown(w) if w.contains("not a replica")));
    }
}
