//! CREATE and DROP of stored programs applied to the schema being loaded, as the server
//! runs them: a trigger takes its place among its table's triggers of the same timing and
//! event (`FOLLOWS`/`PRECEDES`, else last), and `action_order` numbers them from 1.

use super::program::{Program, TriggerOrder};
use super::program_clauses::Change;
use crate::model::{Origin, ProgramKind, Schema, Trigger};
use crate::sql::quote::ident;
use std::collections::BTreeMap;

pub(super) fn create(
    schema: &mut Schema,
    program: Program,
    or_replace: bool,
    if_not_exists: bool,
    origin: Origin,
) -> Result<(), String> {
    let kind = program.kind();
    let name = program.name().to_string();
    if exists(schema, kind, &name) {
        if if_not_exists && !or_replace {
            return Ok(());
        }
        if !or_replace {
            return Err(format!("{} {} is defined twice", kind.word(), ident(&name)));
        }
        drop(schema, kind, &name);
    }
    match program {
        Program::Trigger(mut t, order) => {
            if !schema.tables.contains_key(&t.table) {
                return Err(format!(
                    "trigger {} is on table {}, which is not defined before this statement",
                    ident(&t.name),
                    ident(&t.table)
                ));
            }
            t.origin = Some(origin);
            place_trigger(&mut schema.triggers, t, order)?;
        }
        Program::Routine(mut r) => {
            r.origin = Some(origin);
            routines(schema, kind).insert(r.name.clone(), r);
        }
        Program::Event(mut e) => {
            e.origin = Some(origin);
            schema.events.insert(e.name.clone(), e);
        }
    }
    Ok(())
}

pub(super) fn drop_program(
    schema: &mut Schema,
    kind: ProgramKind,
    name: &str,
    if_exists: bool,
) -> Result<(), String> {
    if !exists(schema, kind, name) {
        if if_exists {
            return Ok(());
        }
        return Err(format!("{} {} does not exist", kind.word(), ident(name)));
    }
    drop(schema, kind, name);
    Ok(())
}

/// `ALTER PROCEDURE/FUNCTION/EVENT`: its changes applied to the one loaded.
pub(super) fn alter(
    schema: &mut Schema,
    kind: ProgramKind,
    name: &str,
    changes: Vec<Change>,
) -> Result<(), String> {
    let Some(key) = key(schema, kind, name) else {
        return Err(format!(
            "{} {} is not defined before this statement",
            kind.word(),
            ident(name)
        ));
    };
    if kind == ProgramKind::Event {
        let mut event = schema.events.remove(&key).expect("found above");
        changes
            .into_iter()
            .for_each(|ch| ch.apply_to_event(&mut event));
        if exists(schema, kind, &event.name) {
            return Err(format!("event {} is defined twice", ident(&event.name)));
        }
        schema.events.insert(event.name.clone(), event);
        return Ok(());
    }
    let routine = routines(schema, kind).get_mut(&key).expect("found above");
    changes
        .into_iter()
        .try_for_each(|ch| ch.apply_to_routine(routine))
}

/// A dropped table takes its triggers with it.
pub(super) fn drop_triggers_of(schema: &mut Schema, table: &str) {
    let names: Vec<String> = (schema.triggers.values())
        .filter(|t| t.table == table)
        .map(|t| t.name.clone())
        .collect();
    for n in names {
        drop(schema, ProgramKind::Trigger, &n);
    }
}

/// Routine and event names are case-insensitive on the server; trigger names are not.
fn key(schema: &Schema, kind: ProgramKind, name: &str) -> Option<String> {
    let keys: Vec<&String> = match kind {
        ProgramKind::Trigger => return schema.triggers.contains_key(name).then(|| name.into()),
        ProgramKind::Procedure => schema.procedures.keys().collect(),
        ProgramKind::Function => schema.functions.keys().collect(),
        ProgramKind::Event => schema.events.keys().collect(),
    };
    keys.into_iter()
        .find(|k| k.eq_ignore_ascii_case(name))
        .cloned()
}

fn exists(schema: &Schema, kind: ProgramKind, name: &str) -> bool {
    key(schema, kind, name).is_some()
}

fn routines(
    schema: &mut Schema,
    kind: ProgramKind,
) -> &mut BTreeMap<String, crate::model::Routine> {
    match kind {
        ProgramKind::Function => &mut schema.functions,
        _ => &mut schema.procedures,
    }
}

fn drop(schema: &mut Schema, kind: ProgramKind, name: &str) {
    let Some(key) = key(schema, kind, name) else {
        return;
    };
    match kind {
        ProgramKind::Trigger => {
            if let Some(t) = schema.triggers.remove(&key) {
                renumber(&mut schema.triggers, &t, None);
            }
        }
        ProgramKind::Procedure | ProgramKind::Function => {
            routines(schema, kind).remove(&key);
        }
        ProgramKind::Event => {
            schema.events.remove(&key);
        }
    }
}

fn same_slot(a: &Trigger, b: &Trigger) -> bool {
    a.table == b.table && a.timing == b.timing && a.event == b.event
}

fn place_trigger(
    triggers: &mut BTreeMap<String, Trigger>,
    t: Trigger,
    order: Option<TriggerOrder>,
) -> Result<(), String> {
    let slot: Vec<&Trigger> = triggers.values().filter(|o| same_slot(o, &t)).collect();
    let at = match &order {
        None => slot.len() as u32 + 1,
        Some(TriggerOrder::Follows(o) | TriggerOrder::Precedes(o)) => {
            let Some(other) = slot.iter().find(|x| x.name == *o) else {
                return Err(format!(
                    "trigger {} is ordered against {}, which is not a trigger of the same table, timing and event",
                    ident(&t.name),
                    ident(o)
                ));
            };
            match order {
                Some(TriggerOrder::Follows(_)) => other.action_order + 1,
                _ => other.action_order,
            }
        }
    };
    renumber(triggers, &t, Some(at));
    let mut t = t;
    t.action_order = at;
    triggers.insert(t.name.clone(), t);
    Ok(())
}

/// Shift the other triggers of `t`'s slot: down after `t` left it (`at` None), or up from
/// `at` to make room.
fn renumber(triggers: &mut BTreeMap<String, Trigger>, t: &Trigger, at: Option<u32>) {
    for o in triggers.values_mut().filter(|o| same_slot(o, t)) {
        match at {
            None if o.action_order > t.action_order => o.action_order -= 1,
            Some(at) if o.action_order >= at => o.action_order += 1,
            _ => {}
        }
    }
}
