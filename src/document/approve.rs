//! `canon approve`: a DBA's approval, bound to the digest of the plan as reviewed.

use super::{Approval, PlanDocument};
use miette::Diagnostic;

#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum ApprovalError {
    #[error("an approval needs a name: --by NAME")]
    #[diagnostic(code(canon::approve))]
    NoName,
    #[error("this plan was edited after {by} approved it (at {at}); its approvals no longer hold")]
    #[diagnostic(
        code(canon::approve),
        help("make a new plan with `canon plan --out FILE` and have it reviewed again")
    )]
    EditedAfterApproval { by: String, at: String },
    #[error("{0} already approved this plan")]
    #[diagnostic(code(canon::approve))]
    AlreadyApproved(String),
}

/// Add `by`'s approval of the plan as it is now. Refuses a plan edited since an earlier
/// approval: approving it would bless changes nobody reviewed under that approval.
pub fn approve(
    doc: &mut PlanDocument,
    by: &str,
    note: Option<String>,
    at: String,
) -> Result<(), ApprovalError> {
    let by = by.trim();
    if by.is_empty() {
        return Err(ApprovalError::NoName);
    }
    let digest = doc.digest();
    if let Some(stale) = doc.approvals.iter().find(|a| a.digest != digest) {
        return Err(ApprovalError::EditedAfterApproval {
            by: stale.by.clone(),
            at: stale.at.clone(),
        });
    }
    if doc.approvals.iter().any(|a| a.by == by) {
        return Err(ApprovalError::AlreadyApproved(by.to_string()));
    }
    doc.approvals.push(Approval {
        by: by.to_string(),
        note: note.filter(|n| !n.trim().is_empty()),
        digest,
        at,
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Safety;

    fn doc() -> PlanDocument {
        super::super::sample(1)
    }

    #[test]
    fn approvals_bind_to_the_plan_as_reviewed() {
        let mut d = doc();
        approve(
            &mut d,
            "ana",
            Some("ok for prod".into()),
            "2026-11-22T10:00:00Z".into(),
        )
        .unwrap();
        approve(&mut d, "beto", None, "2026-11-22T10:05:00Z".into()).unwrap();
        assert_eq!(d.valid_approvals().count(), 2);
        assert!(matches!(
            approve(&mut d, "ana", None, "t".into()),
            Err(ApprovalError::AlreadyApproved(_))
        ));
        assert!(matches!(
            approve(&mut d, "  ", None, "t".into()),
            Err(ApprovalError::NoName)
        ));
    }

    #[test]
    fn editing_what_apply_would_do_voids_approvals() {
        let edits: [fn(&mut PlanDocument); 5] = [
            |d| d.steps[0].sql.push_str(", DROP TABLE users"),
            |d| d.source.target = crate::source::Shown::server("prod", 3306, "app"),
            |d| d.fingerprints.current = "other".into(),
            |d| d.allow_destructive = true,
            |d| d.steps[0].safety = Safety::Destructive { reason: "x".into() },
        ];
        for edit in edits {
            let mut d = doc();
            approve(&mut d, "ana", None, "t".into()).unwrap();
            edit(&mut d);
            assert_eq!(d.valid_approvals().count(), 0);
            assert!(matches!(
                approve(&mut d, "beto", None, "t".into()),
                Err(ApprovalError::EditedAfterApproval { .. })
            ));
        }
        // Review texts and warnings are not what apply acts on.
        let mut d = doc();
        approve(&mut d, "ana", None, "t".into()).unwrap();
        d.warnings.push("note".into());
        assert_eq!(d.valid_approvals().count(), 1);
    }
}
