//! `canon show PLAN --format html`: one self-contained page for the DBA (summary, a
//! side-by-side diff per object, the steps with SQL, safety and privileges, the approvals).
//! Built from a template with escaping on; no HTML is assembled from strings here.

use super::review::summary_line;
use crate::document::{ChangeKind, PlanDocument};
use crate::plan::Safety;
use serde::Serialize;
use similar::{ChangeTag, TextDiff};

#[derive(Serialize)]
struct Row {
    left: String,
    left_class: &'static str,
    right: String,
    right_class: &'static str,
}

/// Lines of both sides next to each other: unchanged lines on one row, a run of removed
/// lines beside the run of added lines that replaced it.
fn rows(current: &str, canonical: &str) -> Vec<Row> {
    let diff = TextDiff::from_lines(current, canonical);
    let mut out = Vec::new();
    let (mut dels, mut inss): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
    let flush = |out: &mut Vec<Row>, dels: &mut Vec<String>, inss: &mut Vec<String>| {
        for i in 0..dels.len().max(inss.len()) {
            let l = dels.get(i).cloned();
            let r = inss.get(i).cloned();
            out.push(Row {
                left_class: if l.is_some() { "del" } else { "gap" },
                right_class: if r.is_some() { "ins" } else { "gap" },
                left: l.unwrap_or_default(),
                right: r.unwrap_or_default(),
            });
        }
        dels.clear();
        inss.clear();
    };
    for change in diff.iter_all_changes() {
        let line = change.value().trim_end_matches('\n').to_string();
        match change.tag() {
            ChangeTag::Delete => dels.push(line),
            ChangeTag::Insert => inss.push(line),
            ChangeTag::Equal => {
                flush(&mut out, &mut dels, &mut inss);
                out.push(Row {
                    left: line.clone(),
                    left_class: "",
                    right: line,
                    right_class: "",
                });
            }
        }
    }
    flush(&mut out, &mut dels, &mut inss);
    out
}

pub fn page(doc: &PlanDocument) -> String {
    let digest = doc.digest();
    let objects: Vec<_> = doc
        .objects
        .iter()
        .map(|o| {
            let cur = o.current.clone().map(|t| t + "\n").unwrap_or_default();
            let can = o.canonical.clone().map(|t| t + "\n").unwrap_or_default();
            minijinja::context! {
                name => o.object.kind.label(&o.object.name),
                state => match o.change {
                    ChangeKind::Create => "missing, will be created",
                    ChangeKind::Alter => "differs",
                    ChangeKind::Replace => "differs, will be replaced",
                    ChangeKind::Drop => "not in the canonical schema",
                },
                details => o.details.join(", "),
                rows => minijinja::value::Serde(rows(&cur, &can)),
            }
        })
        .collect();
    let steps: Vec<_> = doc
        .steps
        .iter()
        .map(|s| {
            let reason = match &s.safety {
                Safety::Destructive { reason } => Some(reason.clone()),
                Safety::Safe => None,
            };
            minijinja::context! {
                id => s.id,
                object => s.object.kind.label(&s.object.name),
                summary => s.summary.join(", "),
                destructive => reason.is_some(),
                reason => reason,
                privileges => s.privileges.iter().map(|p| p.name()).collect::<Vec<_>>().join(", "),
                cost => super::review::cost(doc, s),
                osc => s.osc.as_ref().map(crate::sql::osc::command_line),
                why => s.online.as_ref().map(|o| o.why.clone()).unwrap_or_default(),
                sql => &s.sql,
            }
        })
        .collect();
    let approvals: Vec<_> = doc
        .approvals
        .iter()
        .map(|a| {
            minijinja::context! {
                by => &a.by, at => &a.at, note => &a.note, void => a.digest != digest,
            }
        })
        .collect();
    let left_out: Vec<String> = doc
        .left_out
        .iter()
        .map(|l| {
            format!(
                "{}: {} ({})",
                l.object.kind.label(&l.object.name),
                l.summary,
                l.reason
            )
        })
        .collect();
    let mut env = minijinja::Environment::new();
    // `.html` templates escape every value.
    let rendered = env
        .add_template("review.html", include_str!("templates/review.html"))
        .and_then(|_| env.get_template("review.html"))
        .and_then(|t| {
            t.render(minijinja::context! {
                plan_id => &digest[..12],
                flavor => &doc.flavor,
                canonical => doc.source.canonical.join(", "),
                target => doc.source.target.as_str(),
                summary => summary_line(doc),
                approvals => approvals,
                warnings => &doc.warnings,
                objects => objects,
                steps => steps,
                compat => super::review::compat_lines(doc),
                left_out => left_out,
                data_checks => super::data_checks::lines(doc),
                data_heading => super::data_checks::HEADING,
            })
        });
    rendered.unwrap_or_else(|e| {
        format!(
            "<!DOCTYPE html><title>canon</title><p>cannot render the page: {}</p>",
            minijinja::HtmlEscape(&e.to_string())
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn side_by_side_rows_pair_replaced_lines() {
        let r = rows("a\nb\nc\n", "a\nB\nB2\nc\n");
        let cells: Vec<(&str, &str, &str, &str)> = r
            .iter()
            .map(|r| {
                (
                    r.left.as_str(),
                    r.left_class,
                    r.right.as_str(),
                    r.right_class,
                )
            })
            .collect();
        assert_eq!(
            cells,
            vec![
                ("a", "", "a", ""),
                ("b", "del", "B", "ins"),
                ("", "gap", "B2", "ins"),
                ("c", "", "c", ""),
            ]
        );
    }
}
