//! The report of `canon apply --targets`: text, JSON, JUnit and markdown, one line (or test
//! case, or row) per database with its outcome and time.

use crate::document::fleet::{DatabaseRun, Ending, FleetReport};
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use std::time::Duration;

fn what(d: &DatabaseRun) -> String {
    match &d.ending {
        Ending::Applied { ran: 0, .. } => "already applied".into(),
        Ending::Applied { ran, already, .. } => match already {
            0 => format!("applied {ran} step(s)"),
            n => format!("applied {ran} step(s), resuming after {n}"),
        },
        Ending::Stale { error } => format!("stale, skipped: {error}"),
        Ending::Failed { error } => format!("failed: {error}"),
        Ending::NotRun => "not run: an earlier failure stopped the run".into(),
        Ending::NotInPlan => "not in this plan".into(),
    }
}

fn wave(d: &DatabaseRun) -> String {
    match d.wave {
        Some(0) => "canary".into(),
        Some(n) => format!("wave {n}"),
        None => "-".into(),
    }
}

fn totals(r: &FleetReport) -> String {
    format!(
        "{} database(s) in {:.2} s: {} applied, {} stale, {} failed, {} not run, {} in other plans",
        r.databases.len(),
        r.seconds,
        r.count(|e| matches!(e, Ending::Applied { .. })),
        r.count(|e| matches!(e, Ending::Stale { .. })),
        r.count(|e| matches!(e, Ending::Failed { .. })),
        r.count(|e| matches!(e, Ending::NotRun)),
        r.count(|e| matches!(e, Ending::NotInPlan)),
    )
}

/// One row per database, from its wave and outcome as words.
fn rows(r: &FleetReport, row: impl Fn(&DatabaseRun, String, String) -> String) -> String {
    r.databases
        .iter()
        .map(|d| row(d, wave(d), what(d)))
        .collect()
}

pub fn text(r: &FleetReport) -> String {
    let head = format!("apply plan {} to a list\n", &r.plan_id[..12]);
    let body = rows(r, |d, wave, what| {
        let line = format!("  {} [{wave}, {:.2} s] {what}\n", d.target, d.seconds);
        match &d.ending {
            Ending::Applied {
                backup: Some(b), ..
            } => format!("{line}    backup: {b}, verified\n"),
            _ => line,
        }
    });
    head + &body + &totals(r) + "\n"
}

pub fn json(r: &FleetReport) -> String {
    serde_json::to_string_pretty(r).unwrap_or_default() + "\n"
}

pub fn markdown(r: &FleetReport) -> String {
    let head = format!(
        "### canon apply: plan `{}`\n\n| database | wave | seconds | outcome |\n|---|---|---|---|\n",
        &r.plan_id[..12]
    );
    let body = rows(r, |d, wave, what| {
        let what = what.replace('|', "\\|").replace('\n', " ");
        format!("| `{}` | {wave} | {:.2} | {what} |\n", d.target, d.seconds)
    });
    head + &body + "\n" + &totals(r) + "\n"
}

/// One test case per database: applied passes, failed is an error, stale a failure, not
/// run and other plans are skipped.
pub fn junit(r: &FleetReport) -> String {
    let mut suite = TestSuite::new(format!("canon apply {}", &r.plan_id[..12]));
    for d in &r.databases {
        let mut status = match &d.ending {
            Ending::Applied { .. } => TestCaseStatus::success(),
            Ending::Failed { .. } => TestCaseStatus::non_success(NonSuccessKind::Error),
            Ending::Stale { .. } => TestCaseStatus::non_success(NonSuccessKind::Failure),
            Ending::NotRun | Ending::NotInPlan => TestCaseStatus::skipped(),
        };
        if !matches!(d.ending, Ending::Applied { .. }) {
            status.set_message(what(d));
        }
        let mut case = TestCase::new(d.target.to_string(), status);
        case.set_classname("canon apply")
            .set_time(Duration::from_secs_f64(d.seconds));
        suite.add_test_case(case);
    }
    let mut report = Report::new("canon apply");
    report.add_test_suite(suite);
    report.to_string().unwrap_or_default()
}
