//! Program steps as SQL: `CREATE [OR REPLACE]` of a trigger, routine or event from the model,
//! and `DROP ... IF EXISTS`. On MariaDB both run again without effect, so their script
//! needs no guard.

use super::quote::{ident, string};
use crate::diff::Program;
use crate::model::*;

/// `user@host` (as information_schema prints a definer) as a quoted account.
fn account(definer: &str) -> String {
    match definer.rsplit_once('@') {
        Some((user, host)) => format!("{}@{}", ident(user), ident(host)),
        None => ident(definer),
    }
}

fn routine_characteristics(r: &Routine) -> String {
    let access = match r.data_access {
        DataAccess::ContainsSql => "CONTAINS SQL",
        DataAccess::NoSql => "NO SQL",
        DataAccess::ReadsSqlData => "READS SQL DATA",
        DataAccess::ModifiesSqlData => "MODIFIES SQL DATA",
    };
    let security = match r.security {
        Security::Definer => "DEFINER",
        Security::Invoker => "INVOKER",
    };
    let mut out = format!(
        "\n    {}DETERMINISTIC\n    {access}\n    SQL SECURITY {security}",
        if r.deterministic { "" } else { "NOT " }
    );
    if !r.comment.is_empty() {
        out.push_str(&format!("\n    COMMENT {}", string(&r.comment)));
    }
    out
}

fn schedule(s: &Schedule) -> String {
    match s {
        Schedule::At { at } => format!("AT {}", string(at)),
        Schedule::Every {
            value,
            unit,
            starts,
            ends,
        } => {
            let mut out = format!("EVERY {} {unit}", string(value));
            if let Some(s) = starts {
                out.push_str(&format!(" STARTS {}", string(s)));
            }
            if let Some(e) = ends {
                out.push_str(&format!(" ENDS {}", string(e)));
            }
            out
        }
    }
}

fn upper<T: std::fmt::Debug>(v: T) -> String {
    format!("{v:?}").to_uppercase()
}

/// The statement creating `p` (replacing it with `replace`); a trigger placed after `follows`.
pub fn create_program(p: &Program, replace: bool, follows: Option<&str>) -> String {
    let head = format!(
        "CREATE {}{}",
        if replace { "OR REPLACE " } else { "" },
        p.definer()
            .map(|d| format!("DEFINER={} ", account(d)))
            .unwrap_or_default()
    );
    match p {
        Program::Trigger(t) => format!(
            "{head}TRIGGER {} {} {} ON {} FOR EACH ROW{}\n{}",
            ident(&t.name),
            upper(t.timing),
            upper(t.event),
            ident(&t.table),
            follows
                .map(|f| format!(" FOLLOWS {}", ident(f)))
                .unwrap_or_default(),
            t.body
        ),
        Program::Routine(r) => {
            let params: Vec<String> = r
                .params
                .iter()
                .map(|a| {
                    let mode = match a.mode {
                        Some(ParamMode::In) => "IN ",
                        Some(ParamMode::Out) => "OUT ",
                        Some(ParamMode::InOut) => "INOUT ",
                        None => "",
                    };
                    format!("{mode}{} {}", ident(&a.name), a.data_type)
                })
                .collect();
            format!(
                "{head}{} {}({}){}{}\n{}",
                upper(r.kind),
                ident(&r.name),
                params.join(", "),
                r.returns
                    .as_ref()
                    .map(|t| format!(" RETURNS {t}"))
                    .unwrap_or_default(),
                routine_characteristics(r),
                r.body
            )
        }
        Program::Event(e) => {
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
                "{head}EVENT {} ON SCHEDULE {} ON COMPLETION {}PRESERVE {status}{comment}\nDO {}",
                ident(&e.name),
                schedule(&e.schedule),
                if e.preserve { "" } else { "NOT " },
                e.body
            )
        }
    }
}

pub fn drop_program(kind: ObjectKind, name: &str) -> String {
    format!(
        "DROP {} IF EXISTS {}",
        kind.word().to_uppercase(),
        ident(name)
    )
}

/// A statement as a `mysql` client script line: one whose text holds a `;` (a compound
/// body) is wrapped in a `DELIMITER` the text does not contain.
pub fn script_statement(sql: &str) -> String {
    if !sql.contains(';') {
        return format!("{sql};");
    }
    let delimiter = ["$$", "//", ";;", "$canon$"]
        .into_iter()
        .find(|d| !sql.contains(d))
        .unwrap_or("$canon$");
    format!("DELIMITER {delimiter}\n{sql}{delimiter}\nDELIMITER ;")
}
