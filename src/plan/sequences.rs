//! Sequence changes as steps: created and altered before the tables (a column's
//! `DEFAULT nextval(s)` needs its sequence), dropped after them.

use super::{Action, LeftOut, ObjectKind, ObjectRef, PlanOptions, Safety, Step};
use crate::diff::Change;

pub(super) fn sequence_ref(name: &str) -> ObjectRef {
    ObjectRef {
        kind: ObjectKind::Sequence,
        name: name.to_string(),
    }
}

/// The steps of the sequence changes among `changes`: (those before the tables, those after),
/// and what is left out.
pub(super) fn steps(changes: &[Change], opts: PlanOptions) -> (Vec<Step>, Vec<Step>, Vec<LeftOut>) {
    let (mut first, mut last, mut left_out) = (Vec::new(), Vec::new(), Vec::new());
    for change in changes {
        match change {
            Change::CreateSequence { sequence } => first.push(Step {
                object: sequence_ref(&sequence.name),
                summary: vec![format!(
                    "create {}",
                    crate::model::ObjectKind::Sequence.label(&sequence.name)
                )],
                action: Action::CreateSequence {
                    sequence: sequence.clone(),
                },
                safety: Safety::Safe,
            }),
            Change::AlterSequence { from, to } if from.options != to.options => {
                left_out.push(LeftOut {
                    object: sequence_ref(&to.name),
                    change: change.clone(),
                    reason: "a sequence's engine, comment or attributes change through ALTER TABLE, which canon does not plan for sequences yet".into(),
                });
            }
            Change::AlterSequence { to, .. } => first.push(Step {
                object: sequence_ref(&to.name),
                summary: vec![format!(
                    "change {}",
                    crate::model::ObjectKind::Sequence.label(&to.name)
                )],
                action: Action::AlterSequence {
                    sequence: (**to).clone(),
                },
                safety: Safety::Safe,
            }),
            Change::DropSequence { sequence } => {
                let safety = Safety::Destructive {
                    reason: "drops the sequence and the next value it would give".into(),
                };
                let object = sequence_ref(&sequence.name);
                if opts.allow_destructive {
                    last.push(Step {
                        object,
                        summary: vec![format!(
                            "drop {}",
                            crate::model::ObjectKind::Sequence.label(&sequence.name)
                        )],
                        action: Action::DropSequence {
                            sequence: sequence.name.clone(),
                        },
                        safety,
                    });
                } else if let Safety::Destructive { reason } = safety {
                    left_out.push(LeftOut {
                        object,
                        change: change.clone(),
                        reason,
                    });
                }
            }
            _ => {}
        }
    }
    (first, last, left_out)
}
