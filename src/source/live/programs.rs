//! Triggers, procedures, functions and events from information_schema, in bulk (one query
//! per kind, plus the routines' parameters). information_schema has everything the model
//! holds, so no `SHOW CREATE` is needed: a parameter's type is `DTD_IDENTIFIER` with its
//! character set and collation beside it, a trigger's `FOLLOWS`/`PRECEDES` is `ACTION_ORDER`.

use super::record::{must, MissingColumn, Record};
use crate::model::*;

/// The answers of triggers.sql, routines.sql, parameters.sql and events.sql.
pub(super) struct ProgramRows<R> {
    pub triggers: Vec<R>,
    pub routines: Vec<R>,
    pub parameters: Vec<R>,
    pub events: Vec<R>,
}

/// Names of routines whose bodies the server kept from this user, `(kind, name)`.
pub(super) type HiddenBodies = Vec<(String, String)>;

pub(super) fn add_programs<R: Record>(
    schema: &mut Schema,
    rows: &ProgramRows<R>,
) -> Result<HiddenBodies, MissingColumn> {
    for r in &rows.triggers {
        let t = Trigger {
            name: must(r, "name")?,
            table: must(r, "table_name")?,
            timing: match must(r, "timing")?.as_str() {
                "AFTER" => TriggerTiming::After,
                _ => TriggerTiming::Before,
            },
            event: match must(r, "event")?.as_str() {
                "UPDATE" => TriggerEvent::Update,
                "DELETE" => TriggerEvent::Delete,
                _ => TriggerEvent::Insert,
            },
            action_order: must(r, "action_order")?.parse().unwrap_or(1),
            body: must(r, "body")?,
            definer: Some(must(r, "definer")?),
            context: Some(context(r)?),
            origin: None,
        };
        schema.triggers.insert(t.name.clone(), t);
    }
    let mut hidden = Vec::new();
    for r in &rows.routines {
        let name = must(r, "name")?;
        let kind = must(r, "kind")?;
        let function = kind == "FUNCTION";
        let Some(body) = r.field("body")? else {
            hidden.push((kind.to_lowercase(), name));
            continue;
        };
        let context = context(r)?;
        let params = rows.parameters.iter().filter(|p| {
            p.field("routine").ok().flatten().as_deref() == Some(name.as_str())
                && p.field("kind").ok().flatten().as_deref() == Some(kind.as_str())
        });
        let params = params
            .map(|p| {
                Ok(Param {
                    mode: match (function, must(p, "mode")?.as_str()) {
                        (true, _) => None,
                        (false, "OUT") => Some(ParamMode::Out),
                        (false, "INOUT") => Some(ParamMode::InOut),
                        (false, _) => Some(ParamMode::In),
                    },
                    name: must(p, "name")?,
                    data_type: typed(p, "data_type", &context)?,
                })
            })
            .collect::<Result<Vec<_>, MissingColumn>>()?;
        let routine = Routine {
            name: name.clone(),
            kind: if function {
                RoutineKind::Function
            } else {
                RoutineKind::Procedure
            },
            params,
            returns: if function {
                Some(typed(r, "returns", &context)?)
            } else {
                None
            },
            deterministic: must(r, "is_deterministic")? == "YES",
            data_access: match must(r, "data_access")?.as_str() {
                "NO SQL" => DataAccess::NoSql,
                "READS SQL DATA" => DataAccess::ReadsSqlData,
                "MODIFIES SQL DATA" => DataAccess::ModifiesSqlData,
                _ => DataAccess::ContainsSql,
            },
            security: match must(r, "security")?.as_str() {
                "INVOKER" => Security::Invoker,
                _ => Security::Definer,
            },
            comment: must(r, "comment")?,
            body,
            definer: Some(must(r, "definer")?),
            context: Some(context),
            origin: None,
        };
        match routine.kind {
            RoutineKind::Function => schema.functions.insert(name, routine),
            RoutineKind::Procedure => schema.procedures.insert(name, routine),
        };
    }
    for r in &rows.events {
        schema.events.insert(must(r, "name")?, event(r)?);
    }
    Ok(hidden)
}

fn context(r: &impl Record) -> Result<Context, MissingColumn> {
    Ok(Context {
        sql_mode: must(r, "sql_mode")?,
        character_set_client: must(r, "character_set_client")?,
        collation_connection: must(r, "collation_connection")?,
        database_collation: must(r, "database_collation")?,
    })
}

/// A type as the DDL reader writes it: `DTD_IDENTIFIER`, and the character set and collation
/// where the server keeps one (normalization drops the database's own).
fn typed(r: &impl Record, col: &str, context: &Context) -> Result<String, MissingColumn> {
    let mut text = must(r, col)?;
    if let (Some(cs), Some(coll)) = (r.field("charset")?, r.field("collation")?) {
        if coll != context.database_collation {
            text.push_str(&format!(" CHARACTER SET {cs} COLLATE {coll}"));
        }
    }
    Ok(text)
}

fn event(r: &impl Record) -> Result<Event, MissingColumn> {
    let schedule = match r.field("execute_at")? {
        Some(at) => Schedule::At { at },
        None => {
            // Without STARTS the server stores the time of creation: a source that said
            // nothing reads the same.
            let created = r.field("created")?;
            let starts = r.field("starts")?.filter(|s| Some(s) != created.as_ref());
            Schedule::Every {
                value: must(r, "interval_value")?,
                unit: must(r, "interval_field")?,
                starts,
                ends: r.field("ends")?,
            }
        }
    };
    Ok(Event {
        name: must(r, "name")?,
        schedule,
        preserve: must(r, "on_completion")? == "PRESERVE",
        status: match must(r, "status")?.as_str() {
            "ENABLED" => EventStatus::Enabled,
            "DISABLED" => EventStatus::Disabled,
            // MariaDB's SLAVESIDE_DISABLED, MySQL's REPLICA_SIDE_DISABLED.
            _ => EventStatus::DisabledOnReplica,
        },
        comment: must(r, "comment")?,
        body: must(r, "body")?,
        definer: Some(must(r, "definer")?),
        context: Some(context(r)?),
        origin: None,
    })
}
