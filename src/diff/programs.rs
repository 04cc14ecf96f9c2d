//! Stored programs compared: triggers, procedures, functions and events added, dropped or
//! changed, with the parts that changed. Bodies compare as the server stores them (exact
//! text). The definer and the creation context count only where both sides say one: the
//! policy (`settle`) clears what the configuration does not manage before the diff runs.

use super::Change;
use crate::model::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One stored program of any kind: what plan steps create and drop.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "program", rename_all = "snake_case")]
pub enum Program {
    Trigger(Trigger),
    Routine(Routine),
    Event(Event),
}

impl Program {
    pub fn kind(&self) -> ObjectKind {
        match self {
            Program::Trigger(_) => ObjectKind::Trigger,
            Program::Routine(r) if r.kind == RoutineKind::Function => ObjectKind::Function,
            Program::Routine(_) => ObjectKind::Procedure,
            Program::Event(_) => ObjectKind::Event,
        }
    }
    pub fn name(&self) -> &str {
        match self {
            Program::Trigger(t) => &t.name,
            Program::Routine(r) => &r.name,
            Program::Event(e) => &e.name,
        }
    }
    pub fn body(&self) -> &str {
        match self {
            Program::Trigger(t) => &t.body,
            Program::Routine(r) => &r.body,
            Program::Event(e) => &e.body,
        }
    }
    pub fn definer(&self) -> Option<&str> {
        match self {
            Program::Trigger(t) => t.definer.as_deref(),
            Program::Routine(r) => r.definer.as_deref(),
            Program::Event(e) => e.definer.as_deref(),
        }
    }
    /// Where the program was read.
    pub fn origin(&self) -> Option<&Origin> {
        match self {
            Program::Trigger(t) => t.origin.as_ref(),
            Program::Routine(r) => r.origin.as_ref(),
            Program::Event(e) => e.origin.as_ref(),
        }
    }
    /// The creation context, where the source said one and the policy manages it.
    pub fn context(&self) -> Option<&Context> {
        match self {
            Program::Trigger(t) => t.context.as_ref(),
            Program::Routine(r) => r.context.as_ref(),
            Program::Event(e) => e.context.as_ref(),
        }
    }
}

/// A part of a program that differs, for the reviewer and for the plan's choice of statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    Body,
    /// A trigger's table, timing or event.
    Table,
    /// A trigger's place among the table's triggers of the same timing and event.
    Order,
    Params,
    Returns,
    /// `DETERMINISTIC`, SQL data access, `SQL SECURITY`.
    Characteristics,
    Schedule,
    /// `ON COMPLETION [NOT] PRESERVE`.
    Completion,
    Status,
    Comment,
    Definer,
    Context,
}

impl Part {
    pub fn label(self) -> &'static str {
        match self {
            Part::Body => "body",
            Part::Table => "table, timing or event",
            Part::Order => "order among the table's triggers",
            Part::Params => "parameters",
            Part::Returns => "return type",
            Part::Characteristics => "characteristics",
            Part::Schedule => "schedule",
            Part::Completion => "ON COMPLETION",
            Part::Status => "status",
            Part::Comment => "comment",
            Part::Definer => "definer",
            Part::Context => "sql_mode and character set context",
        }
    }
}

/// Equal where both sides say, or where one does not.
fn same_if_said<T: PartialEq>(a: Option<T>, b: Option<T>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    }
}

fn same_schedule(a: &Schedule, b: &Schedule) -> bool {
    match (a, b) {
        (
            Schedule::Every {
                value: v1,
                unit: u1,
                starts: s1,
                ends: e1,
            },
            Schedule::Every {
                value: v2,
                unit: u2,
                starts: s2,
                ends: e2,
            },
        ) => v1 == v2 && u1 == u2 && e1 == e2 && same_if_said(s1.as_ref(), s2.as_ref()),
        _ => a == b,
    }
}

/// The parts in which `have` differs from `want` (same kind and name).
pub fn parts(have: &Program, want: &Program) -> Vec<Part> {
    let mut out = Vec::new();
    let mut differs = |part, same: bool| {
        if !same {
            out.push(part)
        }
    };
    match (have, want) {
        (Program::Trigger(a), Program::Trigger(b)) => {
            differs(
                Part::Table,
                (&a.table, a.timing, a.event) == (&b.table, b.timing, b.event),
            );
            differs(Part::Order, a.action_order == b.action_order);
        }
        (Program::Routine(a), Program::Routine(b)) => {
            differs(Part::Params, a.params == b.params);
            differs(Part::Returns, a.returns == b.returns);
            differs(
                Part::Characteristics,
                (a.deterministic, a.data_access, a.security)
                    == (b.deterministic, b.data_access, b.security),
            );
            differs(Part::Comment, a.comment == b.comment);
        }
        (Program::Event(a), Program::Event(b)) => {
            differs(Part::Schedule, same_schedule(&a.schedule, &b.schedule));
            differs(Part::Completion, a.preserve == b.preserve);
            differs(Part::Status, a.status == b.status);
            differs(Part::Comment, a.comment == b.comment);
        }
        _ => differs(Part::Table, false),
    }
    differs(Part::Body, have.body() == want.body());
    differs(Part::Definer, same_if_said(have.definer(), want.definer()));
    differs(Part::Context, same_if_said(have.context(), want.context()));
    out
}

/// Every program of a schema by kind and name, tables' order aside.
pub fn programs(s: &Schema) -> BTreeMap<(ObjectKind, String), Program> {
    let triggers = s.triggers.values().cloned().map(Program::Trigger);
    let routines = (s.procedures.values())
        .chain(s.functions.values())
        .cloned()
        .map(Program::Routine);
    let events = s.events.values().cloned().map(Program::Event);
    triggers
        .chain(routines)
        .chain(events)
        .map(|p| ((p.kind(), p.name().to_string()), p))
        .collect()
}

/// The program of that kind and name in `s`.
pub fn program(s: &Schema, kind: ObjectKind, name: &str) -> Option<Program> {
    match kind {
        ObjectKind::Trigger => s.triggers.get(name).cloned().map(Program::Trigger),
        ObjectKind::Procedure => s.procedures.get(name).cloned().map(Program::Routine),
        ObjectKind::Function => s.functions.get(name).cloned().map(Program::Routine),
        ObjectKind::Event => s.events.get(name).cloned().map(Program::Event),
        ObjectKind::Table | ObjectKind::View | ObjectKind::Sequence => None,
    }
}

/// Create or replace `p` in `s`, as the server would.
pub fn put(s: &mut Schema, p: Program) {
    match p {
        Program::Trigger(t) => {
            s.triggers.insert(t.name.clone(), t);
        }
        Program::Routine(r) if r.kind == RoutineKind::Function => {
            s.functions.insert(r.name.clone(), r);
        }
        Program::Routine(r) => {
            s.procedures.insert(r.name.clone(), r);
        }
        Program::Event(e) => {
            s.events.insert(e.name.clone(), e);
        }
    }
}

pub fn remove(s: &mut Schema, kind: ObjectKind, name: &str) {
    match kind {
        ObjectKind::Trigger => drop(s.triggers.remove(name)),
        ObjectKind::Procedure => drop(s.procedures.remove(name)),
        ObjectKind::Function => drop(s.functions.remove(name)),
        ObjectKind::Event => drop(s.events.remove(name)),
        ObjectKind::Table | ObjectKind::View | ObjectKind::Sequence => {}
    }
}

/// A schema holding only the programs of `s` that `keep` picks.
pub fn subset(s: &Schema, keep: impl Fn(ObjectKind, &str) -> bool) -> Schema {
    let mut out = Schema::default();
    for ((kind, name), p) in programs(s) {
        if keep(kind, &name) {
            put(&mut out, p);
        }
    }
    out
}

/// The program changes from `current` to `desired`, appended to `out`.
pub(super) fn diff_programs(current: &Schema, desired: &Schema, out: &mut Vec<Change>) {
    let (have, want) = (programs(current), programs(desired));
    for (key, w) in &want {
        match have.get(key) {
            None => out.push(Change::CreateProgram { program: w.clone() }),
            Some(h) => {
                let parts = parts(h, w);
                if !parts.is_empty() {
                    out.push(Change::ReplaceProgram {
                        from: Box::new(h.clone()),
                        to: Box::new(w.clone()),
                        parts,
                    });
                }
            }
        }
    }
    for (key, h) in &have {
        if !want.contains_key(key) {
            out.push(Change::DropProgram { program: h.clone() });
        }
    }
}

/// How the definer of programs counts (`programs.definer` in canon.yaml).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
pub enum DefinerPolicy {
    /// Not drift; programs are created by whoever applies the plan.
    #[default]
    #[serde(rename = "ignore")]
    Ignore,
    /// The canonical files' `DEFINER=` is compared and written.
    #[serde(rename = "manage")]
    Manage,
    /// Every program is defined by the user who applies the plan.
    #[serde(rename = "CURRENT_USER")]
    CurrentUser,
}

/// What of a program besides its definition counts as drift.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    pub definer: DefinerPolicy,
    /// Whether the `sql_mode`/character set context is drift (`programs.context: manage`).
    pub context: bool,
    /// MySQL 8: replace a trigger under `LOCK TABLES ... WRITE` (`programs.trigger_swap:
    /// locked`).
    pub lock_triggers: bool,
}

/// Clear from both sides what `policy` does not manage, so that the diff leaves it alone.
/// `user` is who applies the plan (`user@host`), the definer `CURRENT_USER` pins. Returns a
/// note for each context difference left alone: the review shows them anyway.
pub fn settle(
    current: &mut Schema,
    desired: &mut Schema,
    policy: Policy,
    user: Option<&str>,
) -> Vec<String> {
    let mut notes = Vec::new();
    if !policy.context {
        let have = programs(current);
        for (key, w) in programs(desired) {
            if let Some(h) = have.get(&key) {
                if !same_if_said(h.context(), w.context()) {
                    notes.push(format!(
                        "{} was created under another sql_mode or character set context than the canonical one (not drift: `programs.context: manage` makes it so)",
                        key.0.label(&key.1)
                    ));
                }
            }
        }
    }
    for (side, canonical) in [(current, false), (desired, true)] {
        let definer = |d: &mut Option<Definer>| match (policy.definer, user) {
            (DefinerPolicy::Manage, _) => {}
            (DefinerPolicy::CurrentUser, Some(u)) if canonical => *d = Some(u.to_string()),
            (DefinerPolicy::CurrentUser, Some(_)) => {}
            // Not managed, or pinned to a user not known here: a step without `DEFINER=`
            // creates the program as whoever applies it.
            _ => *d = None,
        };
        let context = |c: &mut Option<Context>| {
            if !policy.context {
                *c = None
            }
        };
        for t in side.triggers.values_mut() {
            definer(&mut t.definer);
            context(&mut t.context);
        }
        for r in side
            .procedures
            .values_mut()
            .chain(side.functions.values_mut())
        {
            definer(&mut r.definer);
            context(&mut r.context);
        }
        for e in side.events.values_mut() {
            definer(&mut e.definer);
            context(&mut e.context);
        }
    }
    notes
}

#[cfg(test)]
#[path = "programs_tests.rs"]
pub(crate) mod tests;
