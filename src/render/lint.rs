//! `canon lint` findings: miette diagnostics for people, GitHub annotations, JSON, SARIF.

use crate::excerpt::Excerpt;
use crate::lint::{Finding, Level, RULES};
use miette::{Diagnostic, SourceSpan};
use serde_json::json;
use std::collections::HashMap;
use std::fmt::Write;

/// One finding as a diagnostic at its line of the file (when the file can be read).
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct LintDiagnostic {
    message: String,
    code: String,
    level: Level,
    help: String,
    src: Option<Excerpt>,
    at: Option<SourceSpan>,
}

/// Where each line of `text` starts, for [`diagnostic`].
pub fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

impl Diagnostic for LintDiagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.level {
            Level::Error => miette::Severity::Error,
            Level::Warning => miette::Severity::Warning,
        })
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(&self.help))
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.src.as_ref().map(|s| s as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        self.at.map(|at| {
            Box::new(std::iter::once(miette::LabeledSpan::new_with_span(
                Some("here".into()),
                at,
            ))) as Box<dyn Iterator<Item = miette::LabeledSpan>>
        })
    }
}

/// The diagnostic of a finding; `source` is its file's content and [`line_starts`] when
/// it could be read.
pub fn diagnostic(f: &Finding, source: Option<(&str, &[usize])>) -> LintDiagnostic {
    // More lines than miette shows around a span.
    const AROUND: usize = 4;
    let summary = RULES
        .iter()
        .find(|r| r.id == f.rule)
        .map_or("", |r| r.summary);
    let line_end =
        |starts: &[usize], text: &str, i: usize| starts.get(i).copied().unwrap_or(text.len());
    let (src, at) = match (source, &f.file, f.line) {
        (Some((text, starts)), Some(file), Some(line)) if (1..=starts.len()).contains(&line) => {
            let start = starts[line - 1];
            let this = text[start..line_end(starts, text, line)].trim_end();
            let indent = this.len() - this.trim_start().len();
            let first = (line - 1).saturating_sub(AROUND);
            let (from, to) = (starts[first], line_end(starts, text, line + AROUND));
            (
                Some(Excerpt {
                    name: file.clone(),
                    text: text[from..to].to_string(),
                    offset: from,
                    first_line: first,
                }),
                Some(SourceSpan::from((start + indent, this.len() - indent))),
            )
        }
        _ => (None, None),
    };
    LintDiagnostic {
        message: f.message.clone(),
        code: format!("{} {}", f.rule, f.name),
        level: f.level,
        help: format!("{summary}. Silence it with `-- canon: allow {}`", f.rule),
        src,
        at,
    }
}

fn level(l: Level) -> &'static str {
    match l {
        Level::Error => "error",
        Level::Warning => "warning",
    }
}

/// Every finding as a diagnostic at its line (each file read once, through `read`), then
/// the summary: findings are the output (`canon lint > lint.txt`), not errors.
pub fn text(findings: &[Finding], read: impl Fn(&str) -> Option<String>) -> String {
    let mut sources: HashMap<&str, Option<(String, Vec<usize>)>> = HashMap::new();
    let mut out = String::new();
    for f in findings {
        let source = f.file.as_deref().and_then(|p| {
            sources
                .entry(p)
                .or_insert_with(|| {
                    read(p).map(|t| {
                        let starts = line_starts(&t);
                        (t, starts)
                    })
                })
                .as_ref()
                .map(|(t, s)| (t.as_str(), s.as_slice()))
        });
        let d = miette::Report::new(diagnostic(f, source));
        let _ = writeln!(out, "{d:?}");
    }
    out + &summary(findings)
}

pub fn summary(findings: &[Finding]) -> String {
    let errors = findings.iter().filter(|f| f.level == Level::Error).count();
    format!(
        "{} finding(s): {errors} error(s), {} warning(s)\n",
        findings.len(),
        findings.len() - errors
    )
}

pub fn github(findings: &[Finding]) -> String {
    let esc = |s: &str, prop: bool| {
        let s = s
            .replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A");
        if prop {
            s.replace(':', "%3A").replace(',', "%2C")
        } else {
            s
        }
    };
    let mut out = String::new();
    for f in findings {
        let mut props = Vec::new();
        if let (Some(file), Some(line)) = (&f.file, f.line) {
            props.push(format!("file={}", esc(file, true)));
            props.push(format!("line={line}"));
        }
        props.push(format!(
            "title={}",
            esc(&format!("{} {}", f.rule, f.name), true)
        ));
        let _ = writeln!(
            out,
            "::{} {}::{}",
            level(f.level),
            props.join(","),
            esc(&f.message, false)
        );
    }
    out
}

pub fn json(findings: &[Finding]) -> String {
    serde_json::to_string_pretty(&json!({
        "findings": findings,
        "errors": findings.iter().filter(|f| f.level == Level::Error).count(),
        "warnings": findings.iter().filter(|f| f.level == Level::Warning).count(),
    }))
    .unwrap_or_default()
        + "\n"
}

/// SARIF 2.1.0, as code-scanning dashboards read it.
pub fn sarif(findings: &[Finding]) -> String {
    let rules: Vec<_> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.name,
                "shortDescription": {"text": r.summary},
                "defaultConfiguration": {"level": level(r.level)},
            })
        })
        .collect();
    let results: Vec<_> = findings
        .iter()
        .map(|f| {
            let mut result = json!({
                "ruleId": f.rule,
                "ruleIndex": RULES.iter().position(|r| r.id == f.rule).unwrap_or(0),
                "level": level(f.level),
                "message": {"text": f.message},
            });
            if let (Some(file), Some(line)) = (&f.file, f.line) {
                result["locations"] = json!([{
                    "physicalLocation": {
                        "artifactLocation": {"uri": file},
                        "region": {"startLine": line},
                    }
                }]);
            }
            result
        })
        .collect();
    serde_json::to_string_pretty(&json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "canon",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://crates.io/crates/canon",
                "rules": rules,
            }},
            "results": results,
        }],
    }))
    .unwrap_or_default()
        + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The diagnostic as miette prints it, without colours.
    fn printed(d: impl Diagnostic + Send + Sync + 'static) -> String {
        let mut out = String::new();
        let handler =
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
        handler.render_report(&mut out, &d).unwrap();
        out
    }

    #[test]
    fn an_excerpt_prints_as_the_whole_file_would() {
        let text: String = (1..=40)
            .map(|i| format!("  col_{i} int NOT NULL,\n"))
            .collect();
        let starts = line_starts(&text);
        for line in [1, 2, 5, 20, 39, 40] {
            let f = Finding {
                rule: "CL007",
                name: "reserved-word",
                level: Level::Warning,
                message: format!("finding on line {line}"),
                table: "t".into(),
                column: None,
                file: Some("schema.sql".into()),
                line: Some(line),
                near: None,
            };
            let ours = diagnostic(&f, Some((&text, &starts)));
            let at = ours.at.unwrap();
            // The same span over the whole file, as miette reads it itself.
            #[derive(Debug, thiserror::Error, Diagnostic)]
            #[error("{0}")]
            struct Whole(
                String,
                #[source_code] miette::NamedSource<String>,
                #[label("here")] SourceSpan,
                #[help] String,
            );
            let whole = Whole(
                f.message.clone(),
                miette::NamedSource::new("schema.sql", text.clone()),
                at,
                ours.help.clone(),
            );
            let (a, b) = (printed(ours), printed(whole));
            // Only the header line differs (the code and severity are ours).
            let body = |s: &str| {
                s.lines()
                    .skip_while(|l| !l.contains("╭─["))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            assert!(body(&a).contains(&format!("schema.sql:{line}:3")), "{a}");
            assert_eq!(body(&a), body(&b), "line {line}");
        }
    }
}
