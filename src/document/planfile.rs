//! Plan files on disk.

use super::{PlanDocument, FORMAT};
use miette::Diagnostic;
use std::path::Path;

#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum PlanFileError {
    #[error("cannot read plan file {path}")]
    #[diagnostic(code(canon::plan_file))]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is not a canon plan file: {reason}")]
    #[diagnostic(
        code(canon::plan_file),
        help("plan files are written by `canon plan --out FILE`")
    )]
    Invalid { path: String, reason: String },
    #[error("{path} uses plan format {found}, newer than this canon understands ({FORMAT})")]
    #[diagnostic(code(canon::plan_file), help("upgrade canon to read it"))]
    TooNew { path: String, found: u32 },
}

pub fn to_yaml(doc: &PlanDocument) -> String {
    let body = crate::yaml::to_string(doc);
    format!("# canon plan: review with `canon show FILE`; format described in docs/plan-file.md\n{body}")
}

pub fn write(path: &Path, doc: &PlanDocument) -> Result<(), PlanFileError> {
    std::fs::write(path, to_yaml(doc)).map_err(|source| PlanFileError::Io {
        path: path.display().to_string(),
        source,
    })
}

pub fn read(path: &Path) -> Result<PlanDocument, PlanFileError> {
    let p = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| PlanFileError::Io {
        path: p.clone(),
        source,
    })?;
    parse(&p, &text)
}

/// A plan file's text; `p` names it in errors.
pub fn parse(p: &str, text: &str) -> Result<PlanDocument, PlanFileError> {
    let p = p.to_string();
    let invalid = |reason: String| PlanFileError::Invalid {
        path: p.clone(),
        reason,
    };
    // Another kind of file (a .sql dump, say) is named as such, not by the field it lacks.
    let not_a_plan = || invalid("it has no `format:` at its top level (is it SQL?)".into());
    let head = match crate::yaml::from_str::<serde_json::Value>(text) {
        Ok(v) => v,
        Err(_) if !text.lines().any(|l| l.starts_with("format:")) => return Err(not_a_plan()),
        Err(e) => return Err(invalid(e.message)),
    };
    let format = head
        .get("format")
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(not_a_plan)?;
    if format > u64::from(FORMAT) {
        return Err(PlanFileError::TooNew {
            path: p,
            found: u32::try_from(format).unwrap_or(u32::MAX),
        });
    }
    crate::yaml::from_str(text).map_err(|e| invalid(e.message))
}
