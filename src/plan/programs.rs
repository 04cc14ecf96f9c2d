//! Program changes as steps. Routines are created before the tables and views that may call
//! them (a view's query, a column's default); triggers and events after every table, column
//! and view exists. Triggers and events that go are dropped first, before what they use;
//! routines that go, last, once nothing planned still calls them.

use super::{Action, LeftOut, ObjectKind, ObjectRef, PlanOptions, Safety, Step};
use crate::diff::programs::programs;
use crate::diff::{Change, Program};
use crate::model::{Schema, TriggerEvent};

/// The program steps, by where they go in the plan.
#[derive(Default)]
pub(super) struct ProgramSteps {
    /// Triggers and events dropped: before anything else.
    pub drops_first: Vec<Step>,
    /// Routines created or replaced: before the tables.
    pub routines: Vec<Step>,
    /// Triggers and events created or replaced: after the views.
    pub last: Vec<Step>,
    /// Routines dropped: after the tables.
    pub drops_last: Vec<Step>,
    pub left_out: Vec<LeftOut>,
}

fn object(p: &Program) -> ObjectRef {
    ObjectRef {
        kind: p.kind(),
        name: p.name().to_string(),
    }
}

/// Whether `text` calls the routine `name`: the name as a word followed by `(` (a function)
/// or after `CALL` (a procedure), case-insensitively, quoted or not.
fn calls(text: &str, kind: ObjectKind, name: &str) -> bool {
    let lower = text.to_lowercase();
    let name = name.to_lowercase();
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    [name.clone(), format!("`{name}`")].iter().any(|n| {
        lower.match_indices(n.as_str()).any(|(i, _)| {
            let before = lower[..i].trim_end();
            let after = lower[i + n.len()..].trim_start();
            let bounded = !lower[..i].ends_with(word) && !lower[i + n.len()..].starts_with(word);
            bounded
                && match kind {
                    ObjectKind::Function => after.starts_with('('),
                    _ => before.ends_with("call") && !before[..before.len() - 4].ends_with(word),
                }
        })
    })
}

/// Who in `schema` calls the routine: views, programs and tables (generated columns and
/// defaults), each as a label.
pub(super) fn callers(schema: &Schema, kind: ObjectKind, name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in schema.views.values() {
        if calls(&v.query.text, kind, name) {
            out.push(ObjectKind::View.label(&v.name));
        }
    }
    for t in schema.tables.values() {
        let json = serde_json::to_string(&t.columns).unwrap_or_default();
        if calls(&json, kind, name) {
            out.push(ObjectKind::Table.label(&t.name));
        }
    }
    for ((k, n), p) in programs(schema) {
        if !(k == kind && n == name) && calls(p.body(), kind, name) {
            out.push(k.label(&n));
        }
    }
    out
}

/// Why dropping `p` is destructive; `remaining` is the schema once the plan ran.
fn drop_reason(p: &Program, remaining: &Schema) -> String {
    match p {
        Program::Trigger(t) => format!(
            "changes what writes do: {} {} on {} no longer runs it ({} each row)",
            if t.event == TriggerEvent::Delete {
                "a"
            } else {
                "an"
            },
            format!("{:?}", t.event).to_uppercase(),
            ObjectKind::Table.label(&t.table),
            format!("{:?}", t.timing).to_uppercase(),
        ),
        Program::Event(_) => "stops scheduled work: the event no longer runs".into(),
        Program::Routine(_) => match callers(remaining, p.kind(), p.name()).as_slice() {
            [] => "code that calls it fails".into(),
            c => format!("code that calls it fails, and so would {}", c.join(", ")),
        },
    }
}

/// What the review says of each trigger MySQL 8 replaces by `DROP` + `CREATE`: the window in
/// which writes run without it, or the lock that closes it.
pub(super) fn swap_warnings(steps: &[Step], flavor: crate::flavor::Flavor) -> Vec<String> {
    if flavor.is_mariadb() {
        return Vec::new();
    }
    let swaps = steps
        .iter()
        .enumerate()
        .filter_map(|(i, s)| match &s.action {
            Action::CreateProgram {
                program: Program::Trigger(t),
                replace: true,
                lock,
                ..
            } => Some((i + 1, t, lock)),
            _ => None,
        });
    swaps
        .map(|(n, t, lock)| {
            let what = format!(
                "step {n}: MySQL has no CREATE OR REPLACE TRIGGER: {} is dropped, then created",
                ObjectKind::Trigger.label(&t.name)
            );
            let table = ObjectKind::Table.label(&t.table);
            if lock.is_empty() {
                format!("{what}; writes to {table} in between run without it (`programs.trigger_swap: locked` holds the table under LOCK TABLES ... WRITE meanwhile)")
            } else {
                let tables: Vec<String> =
                    lock.iter().map(|l| ObjectKind::Table.label(l)).collect();
                format!(
                    "{what} under LOCK TABLES ... WRITE: writes to {} wait for both",
                    tables.join(", ")
                )
            }
        })
        .collect()
}

/// The trigger that `p` must follow to take its place among its table's triggers of the same
/// timing and event, in `desired`.
fn follows(p: &Program, desired: &Schema) -> Option<String> {
    let Program::Trigger(t) = p else { return None };
    desired
        .triggers
        .values()
        .find(|o| {
            (&o.table, o.timing, o.event) == (&t.table, t.timing, t.event)
                && o.action_order + 1 == t.action_order
        })
        .map(|o| o.name.clone())
}

/// `from`: the program replaced, if any.
fn create(p: &Program, from: Option<&Program>, desired: &Schema, opts: PlanOptions) -> Step {
    let replace = from.is_some();
    let verb = if replace { "replace" } else { "create" };
    // Both tables: the old trigger is dropped from its own.
    let mut lock: Vec<String> = match (p, from) {
        (Program::Trigger(t), Some(Program::Trigger(f))) if opts.lock_triggers => {
            vec![f.table.clone(), t.table.clone()]
        }
        _ => Vec::new(),
    };
    lock.dedup();
    Step {
        object: object(p),
        summary: vec![format!("{verb} {}", p.kind().label(p.name()))],
        action: Action::CreateProgram {
            program: p.clone(),
            replace,
            follows: follows(p, desired),
            lock,
        },
        safety: Safety::Safe,
    }
}

pub(super) fn steps(desired: &Schema, changes: &[Change], opts: PlanOptions) -> ProgramSteps {
    let mut out = ProgramSteps::default();
    let mut later: Vec<Step> = Vec::new();
    for change in changes {
        let (p, step) = match change {
            Change::CreateProgram { program } => (program, create(program, None, desired, opts)),
            Change::ReplaceProgram { from, to, .. } => {
                (&**to, create(to, Some(from), desired, opts))
            }
            Change::DropProgram { program } => {
                let reason = drop_reason(program, desired);
                if !opts.allow_destructive {
                    out.left_out.push(LeftOut {
                        object: object(program),
                        change: change.clone(),
                        reason,
                    });
                    continue;
                }
                let step = Step {
                    object: object(program),
                    summary: vec![format!("drop {}", program.kind().label(program.name()))],
                    action: Action::DropProgram {
                        kind: program.kind(),
                        name: program.name().to_string(),
                    },
                    safety: Safety::Destructive { reason },
                };
                match program {
                    Program::Routine(_) => out.drops_last.push(step),
                    _ => out.drops_first.push(step),
                }
                continue;
            }
            _ => continue,
        };
        match p {
            Program::Routine(_) => out.routines.push(step),
            _ => later.push(step),
        }
    }
    // A trigger follows the one before it, which must exist first.
    later.sort_by_key(|s| match &s.action {
        Action::CreateProgram {
            program: Program::Trigger(t),
            ..
        } => (1, t.table.clone(), t.timing, t.event, t.action_order),
        _ => (
            0,
            String::new(),
            crate::model::TriggerTiming::Before,
            crate::model::TriggerEvent::Insert,
            0,
        ),
    });
    out.last = later;
    out
}

#[cfg(test)]
#[path = "programs_tests.rs"]
mod tests;
