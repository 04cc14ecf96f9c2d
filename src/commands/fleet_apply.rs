//! `canon apply PLAN --targets FILE`: the approved plan on every database it lists, each
//! apply on its own (lock, preflight, backup when asked, journal, validation), canary
//! databases first, one at a time, then waves of `--parallel`. A failure stops the next
//! wave unless `--continue-on-error`; a database no longer at the plan's start is skipped as
//! stale. Each database's journal makes the same command, run again, resume it.

use super::targets::{each, Listed};
use crate::apply::{ApplyError, ApplyOptions, Operator};
use crate::document::fleet::{DatabaseRun, Ending, FleetReport};
use crate::document::PlanDocument;
use crate::{Credentials, Error, Target};
use std::io::Write;
use std::time::Instant;

/// How the list runs.
pub struct Waves {
    pub canary: usize,
    pub parallel: usize,
    pub continue_on_error: bool,
    pub quiet: bool,
}

/// One database's progress lines on stderr, each naming the database.
struct Prefixed<'a> {
    label: &'a str,
    quiet: bool,
}

impl Operator for Prefixed<'_> {
    fn say(&mut self, line: &str) {
        if !self.quiet {
            let _ = writeln!(anstream::stderr(), "{}: {line}", self.label);
        }
    }

    /// Asked once for the whole list before any database runs.
    fn confirm(&mut self, _: &str) -> Option<bool> {
        Some(true)
    }
}

/// The list's databases that this plan is for: those it lists, or with `--retarget` all. An
/// entry that is not a target stays in, to be reported with its error.
fn members(doc: &PlanDocument, creds: &Credentials, listed: &Listed, retarget: bool) -> Vec<bool> {
    (0..listed.entries.len())
        .map(|i| {
            let entry = &listed.entries[i].1;
            let Ok(target) = Target::resolve(Some(entry), creds) else {
                return true;
            };
            let shown = target.shown();
            retarget || doc.source.databases.contains(&shown) || doc.source.target == shown
        })
        .collect()
}

pub fn apply_many(
    doc: &PlanDocument,
    creds: &Credentials,
    listed: &Listed,
    opts: &ApplyOptions,
    waves: &Waves,
    ask: &mut dyn Operator,
) -> Result<FleetReport, Error> {
    let member = members(doc, creds, listed, opts.retarget);
    let chosen: Vec<usize> = (0..member.len()).filter(|&i| member[i]).collect();
    if chosen.is_empty() {
        return Err(Error::Usage(
            "no database of the list is one this plan lists (give --retarget to run it on all of them)".into(),
        ));
    }
    let plan_id = doc.digest();
    if !opts.yes {
        let question = format!(
            "apply plan {} to {} database(s) ({} canary, then waves of {})?",
            &plan_id[..12],
            chosen.len(),
            waves.canary.min(chosen.len()),
            waves.parallel
        );
        match ask.confirm(&question) {
            None => return Err(ApplyError::NoTerminal.into()),
            Some(false) => return Err(ApplyError::Declined.into()),
            Some(true) => {}
        }
    }
    // Each database's apply is its own: the membership above stands for its target check.
    let one_opts = ApplyOptions {
        retarget: true,
        yes: true,
        backup_dir: opts.backup_dir.clone(),
        operator: opts.operator.clone(),
        history_table: opts.history_table.clone(),
        replicas: opts.replicas.clone(),
        ..*opts
    };
    let clock = Instant::now();
    let run_one = |&(i, wave): &(usize, usize)| -> DatabaseRun {
        let target = listed.shown(creds, i);
        let started = clock.elapsed().as_secs_f64();
        let label = target.to_string();
        let mut op = Prefixed {
            label: &label,
            quiet: waves.quiet,
        };
        let result = crate::apply(doc, Some(&listed.entries[i].1), creds, &one_opts, &mut op);
        let ending = match result {
            Ok(r) => Ending::Applied {
                ran: r.ran.len(),
                already: r.already + r.found.len(),
                backup: r.backup.map(|b| b.path.display().to_string()),
            },
            Err(Error::Apply(e @ ApplyError::Stale { .. })) => Ending::Stale {
                error: e.to_string(),
            },
            Err(e) => Ending::Failed {
                error: e.to_string(),
            },
        };
        DatabaseRun {
            target,
            wave: Some(wave),
            started,
            seconds: clock.elapsed().as_secs_f64() - started,
            ending,
        }
    };
    let mut runs: Vec<Option<DatabaseRun>> = vec![None; member.len()];
    let canary = waves.canary.min(chosen.len());
    let mut batches: Vec<(Vec<usize>, usize)> =
        chosen[..canary].iter().map(|&i| (vec![i], 0)).collect();
    for (n, wave) in chosen[canary..].chunks(waves.parallel.max(1)).enumerate() {
        batches.push((wave.to_vec(), n + 1));
    }
    let mut stopped = false;
    for (batch, wave) in batches {
        if stopped {
            break;
        }
        let items: Vec<(usize, usize)> = batch.iter().map(|&i| (i, wave)).collect();
        for (&i, done) in batch.iter().zip(each(&items, waves.parallel, run_one)) {
            stopped |= matches!(done.ending, Ending::Failed { .. }) && !waves.continue_on_error;
            runs[i] = Some(done);
        }
    }
    let databases = runs
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            r.unwrap_or_else(|| DatabaseRun {
                target: listed.shown(creds, i),
                wave: None,
                started: 0.0,
                seconds: 0.0,
                ending: if member[i] {
                    Ending::NotRun
                } else {
                    Ending::NotInPlan
                },
            })
        })
        .collect();
    Ok(FleetReport {
        plan_id,
        canary,
        parallel: waves.parallel,
        seconds: clock.elapsed().as_secs_f64(),
        databases,
    })
}
