use super::*;
use crate::diff::diff;

pub(crate) fn trigger(name: &str, table: &str, body: &str) -> Trigger {
    Trigger {
        name: name.into(),
        table: table.into(),
        timing: TriggerTiming::After,
        event: TriggerEvent::Insert,
        action_order: 1,
        body: body.into(),
        definer: None,
        context: None,
        origin: None,
    }
}

pub(crate) fn function(name: &str, body: &str) -> Routine {
    Routine {
        name: name.into(),
        kind: RoutineKind::Function,
        params: vec![Param {
            mode: None,
            name: "x".into(),
            data_type: "int(11)".into(),
        }],
        returns: Some("int(11)".into()),
        deterministic: true,
        data_access: DataAccess::ContainsSql,
        security: Security::Definer,
        comment: String::new(),
        body: body.into(),
        definer: None,
        context: None,
        origin: None,
    }
}

pub(crate) fn event(name: &str, every: &str) -> Event {
    Event {
        name: name.into(),
        schedule: Schedule::Every {
            value: every.into(),
            unit: "HOUR".into(),
            starts: None,
            ends: None,
        },
        preserve: false,
        status: EventStatus::Enabled,
        comment: String::new(),
        body: "DELETE FROM t".into(),
        definer: None,
        context: None,
        origin: None,
    }
}

fn context(sql_mode: &str) -> Option<Context> {
    Some(Context {
        sql_mode: sql_mode.into(),
        character_set_client: "utf8mb4".into(),
        collation_connection: "utf8mb4_general_ci".into(),
        database_collation: "utf8mb4_general_ci".into(),
    })
}

fn with(f: impl FnOnce(&mut Schema)) -> Schema {
    let mut s = Schema::default();
    f(&mut s);
    s
}

fn changed_parts(current: &Schema, desired: &Schema) -> Vec<Part> {
    match diff(current, desired).as_slice() {
        [Change::ReplaceProgram { parts, .. }] => parts.clone(),
        other => panic!("expected one replaced program, got {other:?}"),
    }
}

#[test]
fn added_and_dropped_programs_of_every_kind() {
    let cur = with(|s| {
        s.triggers
            .insert("old".into(), trigger("old", "t", "SET @a = 1"));
        s.events.insert("purge".into(), event("purge", "1"));
    });
    let want = with(|s| {
        s.functions.insert("f".into(), function("f", "RETURN x"));
    });
    let got: Vec<String> = diff(&cur, &want)
        .iter()
        .map(|c| match c {
            Change::CreateProgram { program } => {
                format!("+{}", program.kind().label(program.name()))
            }
            Change::DropProgram { program } => format!("-{}", program.kind().label(program.name())),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        got,
        vec!["+function `f`", "-trigger `old`", "-event `purge`"]
    );
}

#[test]
fn a_procedure_and_a_function_of_one_name_are_two_programs() {
    let mut p = function("f", "SELECT 1");
    p.kind = RoutineKind::Procedure;
    p.returns = None;
    let cur = with(|s| {
        s.functions.insert("f".into(), function("f", "RETURN x"));
    });
    let want = with(|s| {
        s.functions.insert("f".into(), function("f", "RETURN x"));
        s.procedures.insert("f".into(), p);
    });
    assert!(matches!(
        &diff(&cur, &want)[..],
        [Change::CreateProgram { program }] if program.kind() == ObjectKind::Procedure
    ));
}

#[test]
fn changed_parts_are_named() {
    let cur = with(|s| {
        s.functions.insert("f".into(), function("f", "RETURN x"));
    });
    let mut f = function("f", "RETURN x + 1");
    f.params[0].data_type = "bigint(20)".into();
    f.security = Security::Invoker;
    let want = with(|s| {
        s.functions.insert("f".into(), f);
    });
    assert_eq!(
        changed_parts(&cur, &want),
        vec![Part::Params, Part::Characteristics, Part::Body]
    );

    let cur = with(|s| {
        s.events.insert("e".into(), event("e", "1"));
    });
    let mut e = event("e", "2");
    e.status = EventStatus::Disabled;
    let want = with(|s| {
        s.events.insert("e".into(), e);
    });
    assert_eq!(
        changed_parts(&cur, &want),
        vec![Part::Schedule, Part::Status]
    );

    let cur = with(|s| {
        s.triggers
            .insert("tr".into(), trigger("tr", "t", "SET @a = 1"));
    });
    let mut tr = trigger("tr", "t", "SET @a = 1");
    tr.timing = TriggerTiming::Before;
    let want = with(|s| {
        s.triggers.insert("tr".into(), tr);
    });
    assert_eq!(changed_parts(&cur, &want), vec![Part::Table]);
}

#[test]
fn a_start_the_canonical_files_do_not_say_is_not_drift() {
    let mut live = event("e", "1");
    if let Schedule::Every { starts, .. } = &mut live.schedule {
        *starts = Some("2026-12-03 10:00:00".into());
    }
    let cur = with(|s| {
        s.events.insert("e".into(), live);
    });
    let want = with(|s| {
        s.events.insert("e".into(), event("e", "1"));
    });
    assert_eq!(diff(&cur, &want), vec![]);
}

fn defined(definer: &str, sql_mode: &str) -> Schema {
    with(|s| {
        let mut t = trigger("tr", "t", "SET @a = 1");
        t.definer = Some(definer.into());
        t.context = context(sql_mode);
        s.triggers.insert("tr".into(), t);
    })
}

#[test]
fn definer_and_context_are_not_drift_by_default_but_the_context_is_noted() {
    let (mut cur, mut want) = (
        defined("root@%", "STRICT_TRANS_TABLES"),
        defined("app@%", ""),
    );
    let notes = settle(&mut cur, &mut want, Policy::default(), Some("ops@%"));
    assert_eq!(diff(&cur, &want), vec![]);
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("trigger `tr`"), "{notes:?}");
}

#[test]
fn a_managed_definer_or_context_is_drift() {
    let policy = Policy {
        definer: DefinerPolicy::Manage,
        context: false,
        ..Default::default()
    };
    let (mut cur, mut want) = (defined("root@%", "A"), defined("app@%", "B"));
    settle(&mut cur, &mut want, policy, None);
    assert_eq!(changed_parts(&cur, &want), vec![Part::Definer]);

    let policy = Policy {
        definer: DefinerPolicy::Ignore,
        context: true,
        ..Default::default()
    };
    let (mut cur, mut want) = (defined("root@%", "A"), defined("app@%", "B"));
    assert!(settle(&mut cur, &mut want, policy, None).is_empty());
    assert_eq!(changed_parts(&cur, &want), vec![Part::Context]);
}

#[test]
fn current_user_pins_the_definer_to_who_applies() {
    let policy = Policy {
        definer: DefinerPolicy::CurrentUser,
        context: false,
        ..Default::default()
    };
    let (mut cur, mut want) = (defined("root@%", "A"), defined("app@%", "A"));
    settle(&mut cur, &mut want, policy, Some("root@%"));
    assert_eq!(diff(&cur, &want), vec![]);
    let (mut cur, mut want) = (defined("root@%", "A"), defined("root@%", "A"));
    settle(&mut cur, &mut want, policy, Some("ops@%"));
    assert_eq!(changed_parts(&cur, &want), vec![Part::Definer]);
}
