//! `canon lint` findings: miette diagnostics for people, GitHub annotations, JSON, SARIF.

use crate::lint::{Finding, Level, RULES};
use miette::{Diagnostic, NamedSource, SourceSpan};
use serde_json::json;
use std::fmt::Write;

/// One finding as a diagnostic at its line of the file (when the file can be read).
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct LintDiagnostic {
    message: String,
    code: String,
    level: Level,
    help: String,
    src: Option<NamedSource<String>>,
    at: Option<SourceSpan>,
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

/// The diagnostic of a finding; `text` is its file's content when it could be read.
pub fn diagnostic(f: &Finding, text: Option<String>) -> LintDiagnostic {
    let summary = RULES
        .iter()
        .find(|r| r.id == f.rule)
        .map_or("", |r| r.summary);
    let (src, at) = match (text, &f.file, f.line) {
        (Some(text), Some(file), Some(line)) => {
            let start: usize = text.lines().take(line - 1).map(|l| l.len() + 1).sum();
            let len = text.lines().nth(line - 1).map_or(0, |l| l.trim_end().len());
            let indent = text
                .lines()
                .nth(line - 1)
                .map_or(0, |l| l.len() - l.trim_start().len());
            (
                Some(NamedSource::new(file, text)),
                Some(SourceSpan::from((
                    start + indent,
                    len.saturating_sub(indent),
                ))),
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
