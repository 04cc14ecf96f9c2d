//! The clauses `CREATE` and `ALTER` of routines and events share, each read as a change to
//! the object: a CREATE applies them to a new one, an ALTER to the one already loaded.

use super::cursor::{end, Cursor, PResult};
use super::parse::Stmt;
use super::program::{body, one_of, schedule};
use crate::model::*;
use crate::sql::quote::ident;

#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Comment(String),
    Deterministic(bool),
    Access(DataAccess),
    Security(Security),
    Schedule(Schedule),
    Preserve(bool),
    Status(EventStatus),
    Rename(String),
    Body(String),
    Definer(Definer),
}

impl Change {
    /// Err: a change a routine cannot take (ALTER of a routine is characteristics only).
    pub fn apply_to_routine(self, r: &mut Routine) -> Result<(), String> {
        match self {
            Change::Comment(c) => r.comment = c,
            Change::Deterministic(d) => r.deterministic = d,
            Change::Access(a) => r.data_access = a,
            Change::Security(s) => r.security = s,
            other => return Err(format!("{other:?} is not a change of a routine")),
        }
        Ok(())
    }

    pub fn apply_to_event(self, e: &mut Event) {
        match self {
            Change::Comment(c) => e.comment = c,
            Change::Schedule(s) => e.schedule = s,
            Change::Preserve(p) => e.preserve = p,
            Change::Status(s) => e.status = s,
            Change::Rename(n) => e.name = n,
            Change::Body(b) => e.body = b,
            Change::Definer(d) => e.definer = Some(d),
            Change::Deterministic(_) | Change::Access(_) | Change::Security(_) => {}
        }
    }
}

/// A routine's characteristic (`COMMENT`, `SQL SECURITY`, ...); None when none is here.
pub(super) fn routine_change(c: &mut Cursor) -> PResult<Option<Change>> {
    Ok(Some(if c.eat_kw("COMMENT") {
        Change::Comment(c.string()?)
    } else if c.eat_kw("LANGUAGE") {
        c.expect_kw("SQL")?;
        return routine_change(c);
    } else if c.eat_kws(&["NOT", "DETERMINISTIC"]) {
        Change::Deterministic(false)
    } else if c.eat_kw("DETERMINISTIC") {
        Change::Deterministic(true)
    } else if c.eat_kws(&["CONTAINS", "SQL"]) {
        Change::Access(DataAccess::ContainsSql)
    } else if c.eat_kws(&["NO", "SQL"]) {
        Change::Access(DataAccess::NoSql)
    } else if c.eat_kws(&["READS", "SQL", "DATA"]) {
        Change::Access(DataAccess::ReadsSqlData)
    } else if c.eat_kws(&["MODIFIES", "SQL", "DATA"]) {
        Change::Access(DataAccess::ModifiesSqlData)
    } else if c.eat_kws(&["SQL", "SECURITY"]) {
        let choices = [
            ("INVOKER", Security::Invoker),
            ("DEFINER", Security::Definer),
        ];
        Change::Security(one_of(c, &choices)?)
    } else {
        return Ok(None);
    }))
}

/// An event's clause: `ON COMPLETION [NOT] PRESERVE`, `ENABLE | DISABLE [ON SLAVE]`,
/// `COMMENT`, `DO body` (the last), and for an ALTER `ON SCHEDULE` and `RENAME TO`.
pub(super) fn event_change(c: &mut Cursor, alter: bool) -> PResult<Option<Change>> {
    Ok(Some(if c.eat_kws(&["ON", "COMPLETION"]) {
        let preserve = !c.eat_kw("NOT");
        c.expect_kw("PRESERVE")?;
        Change::Preserve(preserve)
    } else if c.eat_kw("ENABLE") {
        Change::Status(EventStatus::Enabled)
    } else if c.eat_kw("DISABLE") {
        Change::Status(match c.eat_kws(&["ON", "SLAVE"]) {
            true => EventStatus::DisabledOnReplica,
            false => EventStatus::Disabled,
        })
    } else if c.eat_kw("COMMENT") {
        Change::Comment(c.string()?)
    } else if c.eat_kw("DO") {
        Change::Body(body(c)?)
    } else if alter && c.eat_kws(&["ON", "SCHEDULE"]) {
        Change::Schedule(schedule(c)?)
    } else if alter && c.eat_kws(&["RENAME", "TO"]) {
        Change::Rename(c.ident()?)
    } else {
        return Ok(None);
    }))
}

/// `ALTER [DEFINER=...] {PROCEDURE|FUNCTION|EVENT} name changes` (after the kind's keyword).
pub(super) fn alter_program(
    c: &mut Cursor,
    kind: ProgramKind,
    definer: Option<Definer>,
) -> PResult<Stmt> {
    if kind == ProgramKind::Trigger {
        return c.error("a trigger is changed by DROP TRIGGER and CREATE TRIGGER, not ALTER");
    }
    let name = c.ident()?;
    let mut changes: Vec<Change> = definer.into_iter().map(Change::Definer).collect();
    loop {
        let change = match kind {
            ProgramKind::Event => event_change(c, true)?,
            _ => routine_change(c)?,
        };
        match change {
            Some(ch) => changes.push(ch),
            None => break,
        }
    }
    end(c)?;
    if changes.is_empty() || matches!(changes[..], [Change::Definer(_)]) {
        return c.error(format!(
            "ALTER {} {} changes nothing",
            kind.keyword(),
            ident(&name)
        ));
    }
    Ok(Stmt::AlterProgram {
        kind,
        name,
        changes,
    })
}
