//! Stored programs as SQL: `CREATE TRIGGER/PROCEDURE/FUNCTION/EVENT` from a model object, in
//! the form the server stores back as the same object (the body goes verbatim, last), and the
//! `DELIMITER` wrapping a client needs for a body that holds `;`.

use super::quote::{ident, string};
use crate::model::{
    DataAccess, Event, EventStatus, ParamMode, ProgramKind, Routine, RoutineKind, Schedule,
    Security, Trigger,
};

/// How a `CREATE` starts: `OR REPLACE` (MariaDB's change in one statement) and the definer
/// where the object names one.
#[derive(Clone, Copy, Debug, Default)]
pub struct Head {
    pub or_replace: bool,
    pub definer: bool,
}

fn head(h: Head, definer: Option<&str>, kind: ProgramKind) -> String {
    let mut s = String::from("CREATE ");
    if h.or_replace {
        s.push_str("OR REPLACE ");
    }
    if let Some(d) = definer.filter(|_| h.definer) {
        s.push_str(&format!("DEFINER={} ", account(d)));
    }
    s.push_str(kind.keyword());
    s
}

/// `user@host` as information_schema prints it → `` `user`@`host` `` (the host is after the
/// last `@`: a user name may hold one).
pub fn account(definer: &str) -> String {
    match definer.rsplit_once('@') {
        Some((user, host)) => format!("{}@{}", ident(user), ident(host)),
        None => ident(definer),
    }
}

/// `follows`: the trigger this one comes after (its `action_order` minus one), if any.
pub fn create_trigger(t: &Trigger, h: Head, follows: Option<&str>) -> String {
    let timing = match t.timing {
        crate::model::TriggerTiming::Before => "BEFORE",
        crate::model::TriggerTiming::After => "AFTER",
    };
    let event = match t.event {
        crate::model::TriggerEvent::Insert => "INSERT",
        crate::model::TriggerEvent::Update => "UPDATE",
        crate::model::TriggerEvent::Delete => "DELETE",
    };
    let order = follows.map_or(String::new(), |f| format!(" FOLLOWS {}", ident(f)));
    format!(
        "{} {} {timing} {event} ON {} FOR EACH ROW{order}\n{}",
        head(h, t.definer.as_deref(), ProgramKind::Trigger),
        ident(&t.name),
        ident(&t.table),
        t.body
    )
}

pub fn create_routine(r: &Routine, h: Head) -> String {
    let kind = match r.kind {
        RoutineKind::Procedure => ProgramKind::Procedure,
        RoutineKind::Function => ProgramKind::Function,
    };
    let params: Vec<String> = (r.params.iter())
        .map(|p| {
            let mode = match p.mode {
                None => "",
                Some(ParamMode::In) => "IN ",
                Some(ParamMode::Out) => "OUT ",
                Some(ParamMode::InOut) => "INOUT ",
            };
            format!("{mode}{} {}", ident(&p.name), p.data_type)
        })
        .collect();
    let mut s = format!(
        "{} {}({})",
        head(h, r.definer.as_deref(), kind),
        ident(&r.name),
        params.join(", ")
    );
    if let Some(returns) = &r.returns {
        s.push_str(&format!(" RETURNS {returns}"));
    }
    let access = match r.data_access {
        DataAccess::ContainsSql => "CONTAINS SQL",
        DataAccess::NoSql => "NO SQL",
        DataAccess::ReadsSqlData => "READS SQL DATA",
        DataAccess::ModifiesSqlData => "MODIFIES SQL DATA",
    };
    s.push_str(&format!("\n    {access}"));
    if r.deterministic {
        s.push_str("\n    DETERMINISTIC");
    }
    if r.security == Security::Invoker {
        s.push_str("\n    SQL SECURITY INVOKER");
    }
    if !r.comment.is_empty() {
        s.push_str(&format!("\n    COMMENT {}", string(&r.comment)));
    }
    s.push('\n');
    s.push_str(&r.body);
    s
}

/// A schedule's time: a timestamp as a string, an expression as written.
fn time(t: &str) -> String {
    if t.starts_with(|c: char| c.is_ascii_digit()) {
        string(t)
    } else {
        t.to_string()
    }
}

pub fn create_event(e: &Event, h: Head) -> String {
    let schedule = match &e.schedule {
        Schedule::At { at } => format!("AT {}", time(at)),
        Schedule::Every {
            value,
            unit,
            starts,
            ends,
        } => {
            let mut s = format!("EVERY {value} {unit}");
            if let Some(st) = starts {
                s.push_str(&format!(" STARTS {}", time(st)));
            }
            if let Some(en) = ends {
                s.push_str(&format!(" ENDS {}", time(en)));
            }
            s
        }
    };
    let completion = if e.preserve { "" } else { "NOT " };
    let status = match e.status {
        EventStatus::Enabled => "ENABLE",
        EventStatus::Disabled => "DISABLE",
        EventStatus::DisabledOnReplica => "DISABLE ON SLAVE",
    };
    let comment = match e.comment.as_str() {
        "" => String::new(),
        c => format!(" COMMENT {}", string(c)),
    };
    format!(
        "{} {} ON SCHEDULE {schedule} ON COMPLETION {completion}PRESERVE {status}{comment} DO\n{}",
        head(h, e.definer.as_deref(), ProgramKind::Event),
        ident(&e.name),
        e.body
    )
}

pub fn drop_program(kind: ProgramKind, name: &str) -> String {
    format!("DROP {} IF EXISTS {}", kind.keyword(), ident(name))
}

/// A statement for the `mariadb` client, under a `DELIMITER` its text does not hold (a body
/// may hold `;`), then the usual delimiter back.
pub fn delimited(statement: &str) -> String {
    let delimiter = [";;", "$$", "//", "@@@@"]
        .into_iter()
        .find(|d| !statement.contains(d))
        .unwrap_or("@@@@");
    format!("DELIMITER {delimiter}\n{statement}\n{delimiter}\nDELIMITER ;\n")
}
