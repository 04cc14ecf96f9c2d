//! One apply, under the lock, phase by phase: check the server, find where the plan starts,
//! check tools and privileges, confirm, back up, run the steps, verify the end. Nothing
//! changes in the database before the backup phase.

use super::gate::{self, Outcome, Start};
use super::{backup, cluster, history, osc, preflight, server, ApplyError, ApplyOptions, Operator};
use crate::document::report::{ApplyReport, Backup};
use crate::document::{DocStep, PlanDocument};
use crate::flavor::Flavor;
use crate::model::Schema;
use crate::source::live::{self, ConnSpec};
use crate::source::Shown;
use mysql_async::prelude::Queryable;
use mysql_async::Conn;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// Transactions open longer than this are reported before the first step: a DDL step waits
/// for every transaction that has read the table, and the application queues behind it.
const BLOCKER_AGE_SECS: u64 = 2;

/// What every phase of one apply reads.
pub(super) struct Run<'a> {
    pub doc: &'a PlanDocument,
    pub spec: &'a ConnSpec,
    pub opts: &'a ApplyOptions,
    pub plan_id: &'a str,
    pub label: &'a Shown,
}

fn object_name(s: &DocStep) -> String {
    s.object.kind.label(&s.object.name)
}

fn target_err(e: crate::Error) -> ApplyError {
    ApplyError::Target(Box::new(e))
}

/// Introspect the live schema as the plan saw it (without the history table and the
/// ignored tables).
pub(super) async fn live_schema(
    spec: &ConnSpec,
    history: &str,
    ignore: &[String],
) -> Result<Schema, ApplyError> {
    let side =
        crate::live_side(live::introspect(spec).await?, history, ignore).map_err(target_err)?;
    Ok(side.schema)
}

impl Run<'_> {
    fn history(&self) -> &str {
        &self.opts.history_table
    }

    /// The whole apply, with the lock already taken on `conn`.
    pub async fn locked(
        &self,
        conn: &mut Conn,
        op: &mut dyn Operator,
    ) -> Result<ApplyReport, ApplyError> {
        let flavor = self.check_server(conn).await?;
        let cluster =
            cluster::prepare(conn, self.spec, self.label, self.opts, self.plan_id, op).await?;
        let (live_now, Start { done, found }) = self.starting_point(conn, flavor).await?;
        let remaining = &self.doc.steps[done..];
        if let Some(c) = &cluster {
            c.schema_upgrade(remaining, op)?;
        }
        let tools = self.tools(conn, remaining).await?;
        super::replicas::healthy(&self.opts.replicas, op).await?;
        let scratch = self.opts.backup_dir.as_ref().map(|_| {
            // Unique per apply, also among the applies one `apply --targets` runs at once.
            static NEXT: AtomicUsize = AtomicUsize::new(0);
            format!(
                "canon_verify_{}_{}_{}",
                &self.plan_id[..12],
                std::process::id(),
                NEXT.fetch_add(1, Ordering::SeqCst)
            )
        });
        if !remaining.is_empty() || !found.is_empty() {
            let (grant_lines, user) = server::grants(conn).await?;
            let exists = history::exists(conn, self.history()).await?;
            let binlog = server::binlog(conn).await?;
            let pinned = self.doc.definer.as_deref();
            if let Some(planned) = super::programs::pinned_to_another(pinned, remaining, &user) {
                return Err(ApplyError::DefinerPinned {
                    planned,
                    applying: user,
                });
            }
            preflight(
                remaining,
                self.spec,
                &grant_lines,
                &user,
                (self.history(), exists),
                scratch.as_deref(),
                (binlog, flavor),
            )?;
        }
        let operator = match &self.opts.operator {
            Some(o) => o.clone(),
            None => server::current_user(conn)
                .await
                .ok()
                .flatten()
                .unwrap_or_else(|| self.spec.user.clone()),
        };
        if self.opts.recheck_data && !remaining.is_empty() {
            self.recheck_data(flavor, remaining).await?;
        }
        let warnings = if remaining.is_empty() {
            Vec::new()
        } else {
            self.confirm(conn, op, remaining, done).await?
        };

        // From here on the database may change.
        let backup = match (&self.opts.backup_dir, &scratch, remaining.is_empty()) {
            (Some(dir), Some(scratch), false) => {
                Some(self.backup(dir, scratch, flavor, &live_now, op).await?)
            }
            _ => None,
        };
        if !remaining.is_empty() || !found.is_empty() {
            history::create(conn, self.history()).await?;
        }
        self.record_before(conn, &operator, backup.as_ref(), &found)
            .await?;
        if !self.opts.recheck_data && !self.doc.data_checks.is_empty() && !remaining.is_empty() {
            self.record_no_recheck(conn, &operator).await?;
        }
        let rsu = cluster.as_ref().filter(|c| c.rsu);
        let ran = self
            .execute(conn, op, &operator, remaining, (&tools, rsu))
            .await?;
        let fingerprint = self.verify_end().await?;
        if let Some(c) = &cluster {
            c.converged(&fingerprint, self.history(), &self.doc.ignore, op)
                .await?;
        }
        let end = (
            fingerprint.as_str(),
            self.history(),
            self.doc.ignore.as_slice(),
        );
        super::replicas::converged(conn, flavor, &self.opts.replicas, end, op).await?;
        Ok(ApplyReport {
            plan_id: self.plan_id.to_string(),
            target: self.label.clone(),
            history_table: self.history().to_string(),
            backup,
            already: done - found.len(),
            found,
            ran,
            total: self.doc.steps.len(),
            fingerprint,
            warnings,
        })
    }

    /// The server is of the plan's flavor, takes writes, and this apply holds its lock.
    async fn check_server(&self, conn: &mut Conn) -> Result<Flavor, ApplyError> {
        let version = server::version(conn).await?;
        let flavor = Flavor::from_server_version(&version).map_err(|source| {
            live::LiveError::Unsupported {
                target: self.label.clone(),
                version: version.clone(),
                source,
            }
        })?;
        let planned: Option<Flavor> = self.doc.flavor.parse().ok();
        if planned.is_none_or(|p| {
            p.vendor != flavor.vendor
                || (p.version.major, p.version.minor)
                    != (flavor.version.major, flavor.version.minor)
        }) {
            return Err(ApplyError::OtherFlavor {
                planned: self.doc.flavor.clone(),
                found: flavor.to_string(),
                target: self.label.clone(),
            });
        }
        server::writable(conn, flavor, self.label).await?;
        server::lock(conn, &self.spec.database, self.opts.wait).await?;
        Ok(flavor)
    }

    /// The live schema and where in the plan it is: at the start, at a checkpoint (resume),
    /// or nowhere (stale: refused, naming what moved).
    async fn starting_point(
        &self,
        conn: &mut Conn,
        flavor: Flavor,
    ) -> Result<(Schema, Start), ApplyError> {
        let recorded = history::read(conn, self.history(), self.plan_id).await?;
        let live_now = live_schema(self.spec, self.history(), &self.doc.ignore).await?;
        match gate::start(self.doc, &live_now.fingerprint(), &recorded) {
            Err(ApplyError::Stale {
                after_step,
                expected,
                found,
                ..
            }) => Err(ApplyError::Stale {
                moved: gate::moved(self.doc, &live_now, flavor, after_step),
                after_step,
                expected,
                found,
            }),
            other => Ok((live_now, other?)),
        }
    }

    /// Every tool the remaining steps need, found before anything changes.
    async fn tools(
        &self,
        conn: &mut Conn,
        remaining: &[DocStep],
    ) -> Result<BTreeMap<usize, std::path::PathBuf>, ApplyError> {
        let mut tools = BTreeMap::new();
        if remaining.iter().any(|s| s.osc.is_some()) {
            // The tool's own sessions get the server's default sql_mode, not canon's.
            let mode = server::global_sql_mode(conn).await?;
            for s in remaining {
                if let Some(o) = &s.osc {
                    tools.insert(s.id, osc::find(o, self.spec, &mode)?);
                }
            }
        }
        Ok(tools)
    }

    /// Warn of sessions a step would wait for, then ask (unless `--yes`). Returns the warnings.
    async fn confirm(
        &self,
        conn: &mut Conn,
        op: &mut dyn Operator,
        remaining: &[DocStep],
        done: usize,
    ) -> Result<Vec<String>, ApplyError> {
        let mut warnings = server::blockers(conn, BLOCKER_AGE_SECS).await;
        let creates_events = remaining.iter().any(|s| {
            s.object.kind == crate::model::ObjectKind::Event && !s.sql.starts_with("DROP")
        });
        if creates_events {
            warnings.extend(server::events_stopped(conn).await);
        }
        for w in &warnings {
            op.say(&format!("warning: {w}"));
        }
        let destructive = remaining
            .iter()
            .filter(|s| s.safety.is_destructive())
            .count();
        let question = format!(
            "apply plan {} to {}: {} step(s) to run ({destructive} destructive){}, approved by {}?",
            &self.plan_id[..12],
            self.label,
            remaining.len(),
            if done > 0 {
                format!(", resuming after step {done}")
            } else {
                String::new()
            },
            self.doc
                .approvals
                .iter()
                .map(|a| a.by.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
        if !self.opts.yes {
            match op.confirm(&question) {
                None => return Err(ApplyError::NoTerminal),
                Some(false) => return Err(ApplyError::Declined),
                Some(true) => {}
            }
        }
        Ok(warnings)
    }

    /// The history rows written before the first step: the backup, and the steps found
    /// already applied (the schema was at their checkpoint).
    async fn record_before(
        &self,
        conn: &mut Conn,
        operator: &str,
        backup: Option<&Backup>,
        found: &[usize],
    ) -> Result<(), ApplyError> {
        if let Some(b) = backup {
            let detail = format!("sha256 {} ({} bytes), verified", b.sha256, b.bytes);
            let path = b.path.display().to_string();
            let entry = history::Entry {
                plan_id: self.plan_id,
                step: 0,
                object: "backup",
                sql: &path,
                outcome: "backup",
                detail: Some(&detail),
                operator,
            };
            history::start(conn, self.history(), &entry).await?;
        }
        for &id in found {
            let s = &self.doc.steps[id - 1];
            let entry = history::Entry {
                plan_id: self.plan_id,
                step: id,
                object: &object_name(s),
                sql: &s.sql,
                outcome: Outcome::Running.as_str(),
                detail: None,
                operator,
            };
            let row = history::start(conn, self.history(), &entry).await?;
            let why = "found applied: the schema was at this step's checkpoint";
            history::finish(conn, self.history(), row, Outcome::Done, Some(why)).await?;
        }
        Ok(())
    }

    /// The data checks of the remaining steps, counted again: refused when the rows would now
    /// make a step fail or lose more than approved.
    async fn recheck_data(&self, flavor: Flavor, remaining: &[DocStep]) -> Result<(), ApplyError> {
        use crate::plan::data_checks::{of_step, worse};
        let approved: Vec<_> = self
            .doc
            .data_checks
            .iter()
            .filter(|c| {
                remaining
                    .iter()
                    .any(|s| of_step(&c.check, &s.object.name, &s.summary))
            })
            .collect();
        if approved.is_empty() {
            return Ok(());
        }
        let settings = crate::data_checks::Settings {
            flavor,
            budget_ms: crate::plan::data_checks::Mode::Full
                .budget_ms()
                .unwrap_or(60_000),
            samples: false,
            sensitive: &[],
            sizes: &self.doc.sizes,
        };
        let checks = approved.iter().map(|c| c.check.clone()).collect();
        let now = crate::data_checks::check(self.spec, checks, &settings).await;
        let changes: Vec<String> = approved
            .iter()
            .zip(&now)
            .filter_map(|(a, n)| worse(a, n))
            .collect();
        if changes.is_empty() {
            Ok(())
        } else {
            Err(ApplyError::DataChanged { changes })
        }
    }

    /// That the operator skipped the data recheck, in the history table.
    async fn record_no_recheck(&self, conn: &mut Conn, operator: &str) -> Result<(), ApplyError> {
        let entry = history::Entry {
            plan_id: self.plan_id,
            step: 0,
            object: "data checks",
            sql: "",
            outcome: "skipped",
            detail: Some("--recheck-data off: the rows were not counted again before the steps"),
            operator,
        };
        history::start(conn, self.history(), &entry).await?;
        Ok(())
    }

    /// Each remaining step, journaled before it starts and when it ends; seconds each.
    async fn execute(
        &self,
        conn: &mut Conn,
        op: &mut dyn Operator,
        operator: &str,
        remaining: &[DocStep],
        (tools, rsu): (
            &BTreeMap<usize, std::path::PathBuf>,
            Option<&cluster::Cluster>,
        ),
    ) -> Result<Vec<(usize, f64)>, ApplyError> {
        server::lock_wait_timeout(conn, self.opts.lock_wait_timeout).await?;
        let total = self.doc.steps.len();
        let mut ran = Vec::new();
        for s in remaining {
            super::replicas::throttle(&self.opts.replicas, op).await?;
            let object = object_name(s);
            op.say(&format!(
                "[{}/{total}] {object}: {}",
                s.id,
                s.summary.join(", ")
            ));
            let entry = history::Entry {
                plan_id: self.plan_id,
                step: s.id,
                object: &object,
                sql: &s.sql,
                outcome: Outcome::Running.as_str(),
                detail: None,
                operator,
            };
            let row = history::start(conn, self.history(), &entry).await?;
            let clock = Instant::now();
            let result = match (&s.osc, tools.get(&s.id)) {
                (Some(o), Some(tool)) => osc::run(tool, o, self.spec, &self.opts.replicas, op),
                _ => match rsu {
                    Some(c) => c.rsu(&s.sql, op).await,
                    None => conn.query_drop(&s.sql).await.map_err(|e| e.to_string()),
                },
            };
            if let Err(reason) = result {
                if locks(s) {
                    let _ = conn
                        .query_drop(include_str!("queries/unlock_tables.sql"))
                        .await;
                }
                // The connection may be gone with the server; the row then stays `running`
                // and the next apply settles it from the live schema.
                let _ = history::finish(conn, self.history(), row, Outcome::Failed, Some(&reason))
                    .await;
                return Err(ApplyError::StepFailed {
                    step: s.id,
                    object,
                    reason,
                });
            }
            history::finish(conn, self.history(), row, Outcome::Done, None).await?;
            ran.push((s.id, clock.elapsed().as_secs_f64()));
        }
        Ok(ran)
    }

    /// The live schema is where the plan leads; its fingerprint.
    async fn verify_end(&self) -> Result<String, ApplyError> {
        let end = live_schema(self.spec, self.history(), &self.doc.ignore)
            .await?
            .fingerprint();
        let expected = self
            .doc
            .steps
            .last()
            .map_or(&self.doc.fingerprints.current, |s| &s.after);
        if &end != expected {
            return Err(ApplyError::Validation {
                expected: expected.clone(),
                found: end,
            });
        }
        Ok(end)
    }

    /// Dump, check the file, restore its schema into a scratch database and compare that
    /// with the live schema; the scratch database is dropped whatever happens.
    async fn backup(
        &self,
        dir: &std::path::Path,
        scratch: &str,
        flavor: Flavor,
        live: &Schema,
        op: &mut dyn Operator,
    ) -> Result<Backup, ApplyError> {
        let spec = self.spec;
        let stamp = humantime::format_rfc3339_seconds(std::time::SystemTime::now())
            .to_string()
            .replace([':', '-'], "");
        let stem = format!(
            "{}-{stamp}-{}",
            safe_file_name(&spec.database),
            &self.plan_id[..12]
        );
        op.say(&format!(
            "backup: dumping {} into {}",
            spec.label(),
            dir.display()
        ));
        let b = backup::dump(spec, dir, &stem, flavor.is_mariadb(), self.history())?;
        // The live schema was read just before: the dump must hold at least its tables.
        backup::check_complete(&b, live.tables.len())?;
        op.say(&format!(
            "backup: verifying {} in scratch database `{scratch}`",
            b.path.display()
        ));
        let mut conn = live::connect(spec).await?;
        let create = crate::sql::steps::create_scratch(
            scratch,
            live.charset.as_deref(),
            live.collation.as_deref(),
        );
        let result = async {
            conn.query_drop(&create)
                .await
                .map_err(|e| ApplyError::BackupUnverified {
                    path: b.path.display().to_string(),
                    reason: format!("cannot create the scratch database `{scratch}`: {e}"),
                })?;
            backup::restore_schema(spec, &b, scratch, flavor.is_mariadb())?;
            let mut scratch_spec = spec.clone();
            scratch_spec.database = scratch.to_string();
            let restored = live_schema(&scratch_spec, self.history(), &self.doc.ignore).await?;
            if restored.fingerprint() != live.fingerprint() {
                return Err(ApplyError::BackupUnverified {
                    path: b.path.display().to_string(),
                    reason: "its schema, restored, differs from the live schema".into(),
                });
            }
            Ok(())
        }
        .await;
        let _ = conn
            .query_drop(crate::sql::steps::drop_scratch(scratch))
            .await;
        let _ = conn.disconnect().await;
        result.map(|_| b)
    }
}

/// Whether the step holds tables under `LOCK TABLES` while it runs.
fn locks(s: &DocStep) -> bool {
    matches!(&s.action, Some(crate::plan::Action::CreateProgram { lock, .. }) if !lock.is_empty())
}

/// A database name as part of a file name: letters, digits, `-` and `_` only.
fn safe_file_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}
