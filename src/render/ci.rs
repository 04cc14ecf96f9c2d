//! Drift reports for CI systems: JUnit XML (a failed case per drifted object), GitHub
//! workflow annotations at the canonical file and line, and a markdown pull-request comment.

use super::document::{ChangeKind, ObjectDiff, PlanDocument};
use crate::plan::ObjectKind;
use crate::source::Shown;
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use std::fmt::Write;

fn name(o: &ObjectDiff) -> String {
    let kind = match o.object.kind {
        ObjectKind::Table => "table",
        ObjectKind::View => "view",
        ObjectKind::Sequence => "sequence",
    };
    format!("{kind} `{}`", o.object.name)
}

fn what(c: ChangeKind) -> &'static str {
    match c {
        ChangeKind::Create => "missing from the database",
        ChangeKind::Alter => "differs from the canonical definition",
        ChangeKind::Replace => "differs from the canonical definition",
        ChangeKind::Drop => "not in the canonical schema",
    }
}

/// One test suite per database: a failed case per drifted object, and one case for the
/// whole schema, so a dashboard shows a clean run as passed rather than empty.
pub fn junit(doc: &PlanDocument) -> String {
    junit_many(&[(doc.source.target.clone(), Ok(doc))])
}

/// Several databases' checks, one suite each; a database that could not be checked is a
/// suite with one error case.
pub fn junit_many(results: &[(Shown, Result<&PlanDocument, String>)]) -> String {
    let mut report = Report::new("canon check");
    for (target, result) in results {
        report.add_test_suite(match result {
            Ok(doc) => suite(doc),
            Err(e) => {
                let mut s = TestSuite::new(format!("canon drift: {target}"));
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
                status.set_message(e.clone()).set_type("error");
                let mut case = TestCase::new("schema can be read", status);
                case.set_classname("canon");
                s.add_test_case(case);
                s
            }
        });
    }
    report.to_string().unwrap_or_default()
}

fn suite(doc: &PlanDocument) -> TestSuite {
    let mut suite = TestSuite::new(format!("canon drift: {}", doc.source.target));
    let mut whole = TestCase::new(
        "schema matches the canonical schema",
        if doc.objects.is_empty() {
            TestCaseStatus::success()
        } else {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            s.set_message(format!("{} object(s) differ", doc.objects.len()))
                .set_type("drift");
            s
        },
    );
    whole.set_classname("canon");
    suite.add_test_case(whole);
    for o in &doc.objects {
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
        status
            .set_message(format!("{} {}", name(o), what(o.change)))
            .set_type("drift")
            .set_description(o.details.join("\n"));
        let mut case = TestCase::new(name(o), status);
        case.set_classname(match &o.origin {
            Some(origin) => origin.file.clone(),
            None => "canon".into(),
        });
        suite.add_test_case(case);
    }
    suite
}

/// GitHub's workflow-command escaping: data escapes `%`, CR and LF; properties also `:` and `,`.
fn escape(text: &str, property: bool) -> String {
    let mut out = text
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    if property {
        out = out.replace(':', "%3A").replace(',', "%2C");
    }
    out
}

/// `::error file=...,line=...::...` per drifted object.
pub fn github(doc: &PlanDocument) -> String {
    let mut out = String::new();
    for o in &doc.objects {
        let mut props = Vec::new();
        // Annotations point into the repository: only canonical files, never a dump's path.
        if let (Some(origin), false) = (&o.origin, o.change == ChangeKind::Drop) {
            props.push(format!("file={}", escape(&origin.file, true)));
            props.push(format!("line={}", origin.line));
        }
        props.push(format!("title={}", escape("canon drift", true)));
        let message = format!(
            "{} {} in {}: {}",
            name(o),
            what(o.change),
            doc.source.target,
            o.details.join("; ")
        );
        let _ = writeln!(
            out,
            "::error {}::{}",
            props.join(","),
            escape(&message, false)
        );
    }
    if doc.objects.is_empty() {
        let _ = writeln!(
            out,
            "::notice title=canon::{} matches the canonical schema",
            escape(doc.source.target.as_str(), false)
        );
    }
    out
}

/// A pull-request comment: a table of what drifted, each object's diff folded away.
pub fn markdown(doc: &PlanDocument) -> String {
    let mut out = String::new();
    if doc.objects.is_empty() {
        let _ = writeln!(
            out,
            "### ✅ canon: `{}` matches the canonical schema",
            doc.source.target
        );
        return out;
    }
    let _ = writeln!(
        out,
        "### ❌ canon: `{}` has drifted ({} object(s))\n",
        doc.source.target,
        doc.objects.len()
    );
    let _ = writeln!(
        out,
        "| object | state | what differs | defined in |\n|---|---|---|---|"
    );
    for o in &doc.objects {
        let at = o
            .origin
            .as_ref()
            .map(|g| format!("`{}:{}`", g.file, g.line))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {at} |",
            name(o),
            what(o.change),
            o.details.join("<br>")
        );
    }
    for o in &doc.objects {
        let _ = writeln!(
            out,
            "\n<details><summary>{}</summary>\n\n```diff\n{}```\n</details>",
            name(o),
            super::review::unified(o)
        );
    }
    out
}
