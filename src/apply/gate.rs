//! What `apply` decides before it touches anything, from the plan file, the live schema's
//! fingerprint and the history table: is the plan approved, unedited, meant for this
//! database, and where does it start (or resume). Pure: no I/O.

use super::ApplyError;
use crate::document::{start_digests, start_key, start_object, PlanDocument};
use crate::flavor::Flavor;
use crate::model::{ObjectKind, Schema};
use crate::plan::finish::asserts;
use crate::plan::osc::PT_OSC;
use crate::plan::privileges::needed;
use crate::plan::Step;
use crate::source::Shown;
use crate::sql::ddl;
use crate::sql::{osc, steps as sql};
use std::collections::BTreeSet;

/// What the history table says of one step of this plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Running,
    Done,
    Failed,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Running => "running",
            Outcome::Done => "done",
            Outcome::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        [Outcome::Running, Outcome::Done, Outcome::Failed]
            .into_iter()
            .find(|o| o.as_str() == s)
    }
}

/// The approvals hold: there is at least one, and the plan was not edited after any.
pub fn approved(doc: &PlanDocument) -> Result<(), ApplyError> {
    if doc.format < 2 {
        return Err(ApplyError::OldFormat { found: doc.format });
    }
    let digest = doc.digest();
    if let Some(void) = doc.approvals.iter().find(|a| a.digest != digest) {
        return Err(ApplyError::Edited {
            by: void.by.clone(),
            at: void.at.clone(),
        });
    }
    if doc.approvals.is_empty() {
        return Err(ApplyError::NotApproved);
    }
    Ok(())
}

/// The first step whose SQL or privileges are not what its typed action renders to (for
/// the plan's flavor): a plan edited by hand, or made elsewhere.
pub fn unfaithful_step(doc: &PlanDocument) -> Option<usize> {
    let flavor: Flavor = doc.flavor.parse().ok()?;
    doc.steps.iter().chain(&doc.rollback).find_map(|d| {
        let Some(action) = &d.action else {
            return Some(d.id);
        };
        let step = Step {
            object: d.object.clone(),
            action: action.clone(),
            safety: d.safety.clone(),
            summary: d.summary.clone(),
        };
        // A tool command must be the one canon renders, for a tool canon knows.
        let osc_ok = d.osc.as_ref().is_none_or(|o| {
            o.tool == PT_OSC && osc::command(&step, &o.tool, flavor).as_ref() == Some(o)
        });
        let asserted = asserts(&step, d.online.as_ref(), doc.assert_online);
        (sql::planned(&step, d.online.as_ref().filter(|_| asserted), flavor) != d.sql
            || needed(&step) != d.privileges
            || !osc_ok)
            .then_some(d.id)
    })
}

/// The database the plan was made for, unless the operator reuses it on purpose.
pub fn same_target(doc: &PlanDocument, label: &Shown, retarget: bool) -> Result<(), ApplyError> {
    if doc.source.target == *label || retarget {
        return Ok(());
    }
    Err(ApplyError::OtherTarget {
        planned: doc.source.target.clone(),
        given: label.clone(),
    })
}

/// A plan that drops or narrows anything runs only after a verified backup, unless the
/// operator says explicitly that there will be none.
pub fn backup_required(
    doc: &PlanDocument,
    has_backup: bool,
    no_backup: bool,
) -> Result<(), ApplyError> {
    let destructive = doc
        .steps
        .iter()
        .filter(|s| s.safety.is_destructive())
        .count();
    if destructive > 0 && !has_backup && !no_backup {
        return Err(ApplyError::BackupRequired { destructive });
    }
    Ok(())
}

/// Where the apply starts: `done` steps are behind it. `found` lists steps that had run
/// without being recorded as done (an apply killed mid-step, or the SQL script run by hand),
/// proven by the live schema being at their checkpoint.
#[derive(Debug, PartialEq, Eq)]
pub struct Start {
    pub done: usize,
    pub found: Vec<usize>,
}

/// Match the live schema against the plan's checkpoints, given what history records.
pub fn start(
    doc: &PlanDocument,
    live: &str,
    history: &[(usize, Outcome)],
) -> Result<Start, ApplyError> {
    let mut done: Vec<usize> = history
        .iter()
        .filter(|(_, o)| *o == Outcome::Done)
        .map(|(id, _)| *id)
        .collect();
    done.sort_unstable();
    done.dedup();
    if done.iter().enumerate().any(|(i, id)| *id != i + 1) || done.len() > doc.steps.len() {
        return Err(ApplyError::History {
            detail: format!("steps recorded as done: {done:?}; expected 1 to N in order"),
        });
    }
    let k = done.len();
    let checkpoint = |j: usize| {
        if j == 0 {
            &doc.fingerprints.current
        } else {
            &doc.steps[j - 1].after
        }
    };
    match (k..=doc.steps.len()).find(|&j| checkpoint(j) == live) {
        Some(j) => Ok(Start {
            done: j,
            found: (k + 1..=j).collect(),
        }),
        None => Err(ApplyError::Stale {
            after_step: k,
            expected: checkpoint(k).clone(),
            found: live.to_string(),
            moved: Vec::new(),
        }),
    }
}

/// What differs between the plan's start and the live schema, object by object, leaving out
/// what the plan's first `done` steps changed themselves. A changed object whose definition
/// the plan holds (it differed from the canonical one) shows the lines that moved.
pub fn moved(doc: &PlanDocument, live: &Schema, flavor: Flavor, done: usize) -> Vec<String> {
    let ours: BTreeSet<String> = doc.steps[..done.min(doc.steps.len())]
        .iter()
        .map(|s| start_key(s.object.kind, &s.object.name))
        .collect();
    let now = start_digests(live);
    let keys: BTreeSet<&String> = doc.start.keys().chain(now.keys()).collect();
    let mut out = Vec::new();
    for key in keys.into_iter().filter(|k| !ours.contains(*k)) {
        let (kind, name) = start_object(key);
        let shown = kind.label(name);
        match (doc.start.get(key), now.get(key)) {
            (Some(_), None) => out.push(format!("{shown} was dropped")),
            (None, Some(_)) => out.push(format!("{shown} was created")),
            (Some(a), Some(b)) if a != b => {
                let mut line = format!("{shown} was altered");
                let before = doc
                    .objects
                    .iter()
                    .find(|o| start_key(o.object.kind, &o.object.name) == *key)
                    .and_then(|o| o.current.as_deref());
                let after = match kind {
                    ObjectKind::Table => {
                        live.tables.get(name).map(|t| ddl::create_table(t, flavor))
                    }
                    ObjectKind::View => live.views.get(name).map(|v| ddl::create_view(v, false)),
                    ObjectKind::Sequence => live
                        .sequences
                        .get(name)
                        .map(crate::sql::sequence::create_sequence),
                    _ => crate::diff::programs::program(live, kind, name)
                        .map(|p| crate::sql::program_steps::create_program(&p, false, None)),
                };
                if let (Some(before), Some(after)) = (before, after) {
                    line.push_str(&lines_moved(before, &after));
                }
                out.push(line);
            }
            _ => {}
        }
    }
    out
}

/// The lines of `after` that are not in `before` (+) and the reverse (-), indented.
fn lines_moved(before: &str, after: &str) -> String {
    let diff = similar::TextDiff::from_lines(before, after);
    diff.iter_all_changes()
        .filter_map(|c| match c.tag() {
            similar::ChangeTag::Delete => Some(format!("\n      - {}", c.value().trim())),
            similar::ChangeTag::Insert => Some(format!("\n      + {}", c.value().trim())),
            similar::ChangeTag::Equal => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Approval;
    use crate::plan::Safety;

    fn doc(steps: usize) -> PlanDocument {
        crate::document::sample(steps)
    }

    fn approve(d: &mut PlanDocument) {
        d.approvals.push(Approval {
            by: "ana".into(),
            note: None,
            digest: d.digest(),
            at: "t".into(),
        });
    }

    #[test]
    fn only_an_approved_unedited_plan_of_this_format_passes() {
        let mut d = doc(2);
        assert!(matches!(approved(&d), Err(ApplyError::NotApproved)));
        approve(&mut d);
        assert!(approved(&d).is_ok());
        d.steps[1].sql.push_str("; DROP TABLE users");
        assert!(matches!(approved(&d), Err(ApplyError::Edited { .. })));
        let mut old = doc(1);
        old.format = 1;
        approve(&mut old);
        assert!(matches!(
            approved(&old),
            Err(ApplyError::OldFormat { found: 1 })
        ));
    }

    #[test]
    fn another_database_needs_retarget_and_destructive_steps_a_backup() {
        let mut d = doc(1);
        assert!(same_target(&d, &Shown::server("db", 3306, "app"), false).is_ok());
        assert!(matches!(
            same_target(&d, &Shown::server("prod", 3306, "app"), false),
            Err(ApplyError::OtherTarget { .. })
        ));
        assert!(same_target(&d, &Shown::server("prod", 3306, "app"), true).is_ok());
        assert!(backup_required(&d, false, false).is_ok());
        d.steps[0].safety = Safety::Destructive { reason: "x".into() };
        assert!(matches!(
            backup_required(&d, false, false),
            Err(ApplyError::BackupRequired { destructive: 1 })
        ));
        assert!(backup_required(&d, true, false).is_ok());
        assert!(backup_required(&d, false, true).is_ok());
    }

    #[test]
    fn resumes_where_history_and_the_live_schema_agree() {
        let d = doc(3);
        let s = |done, found: Vec<usize>| Start { done, found };
        assert_eq!(start(&d, "f0", &[]).unwrap(), s(0, vec![]));
        let h = [(1, Outcome::Done), (2, Outcome::Running)];
        // Killed during step 2: the server either finished it or rolled it back.
        assert_eq!(start(&d, "f1", &h).unwrap(), s(1, vec![]));
        assert_eq!(start(&d, "f2", &h).unwrap(), s(2, vec![2]));
        // Steps run by hand (the SQL script) are found at their checkpoint.
        assert_eq!(start(&d, "f3", &[]).unwrap(), s(3, vec![1, 2, 3]));
        // Anything else moved the database: stale.
        assert!(matches!(
            start(&d, "other", &h),
            Err(ApplyError::Stale { after_step: 1, .. })
        ));
        // History never goes backwards: done steps cannot be undone to match.
        assert!(matches!(start(&d, "f0", &h), Err(ApplyError::Stale { .. })));
        assert!(matches!(
            start(&d, "f2", &[(2, Outcome::Done)]),
            Err(ApplyError::History { .. })
        ));
    }
}
