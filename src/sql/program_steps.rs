//! Program steps as SQL, through `sql/program.rs`: on MariaDB `CREATE OR REPLACE` (a step run
//! twice changes nothing, so its script needs no guard) and `DROP ... IF EXISTS`. MySQL 8
//! has no `OR REPLACE` for programs (its 8.0 manual's `CREATE TRIGGER`, `CREATE PROCEDURE`,
//! `CREATE EVENT`; no MySQL server here, so these forms are unit-tested only): `DROP ... IF
//! EXISTS` then `CREATE`, which also ends where it did when run twice.

use super::program::{create_event, create_routine, create_trigger, delimited, Head};
use super::quote::{ident, string};
use crate::diff::Program;
use crate::flavor::Flavor;
use crate::model::{ObjectKind, ProgramKind};

/// The statement creating `p` (replacing it with `replace`); a trigger placed after `follows`.
pub fn create_program(p: &Program, replace: bool, follows: Option<&str>) -> String {
    let h = Head {
        or_replace: replace,
        definer: true,
    };
    match p {
        Program::Trigger(t) => create_trigger(t, h, follows),
        Program::Routine(r) => create_routine(r, h),
        Program::Event(e) => create_event(e, h),
    }
}

/// A step creating `p` on `flavor`: on MariaDB `CREATE OR REPLACE`, under the program's
/// `sql_mode` when its context is managed (`SET STATEMENT ... FOR`; the server refuses to set
/// the character sets that way, so those stay the session's). On MySQL, `DROP` + `CREATE`:
/// writes in between run without a replaced trigger, unless `lock` names the tables to hold
/// under `LOCK TABLES ... WRITE` meanwhile (MySQL allows `DROP`/`CREATE TRIGGER` on a table
/// locked for writing).
pub fn create_step(p: &Program, follows: Option<&str>, lock: &[String], flavor: Flavor) -> String {
    let sql = create_program(p, flavor.is_mariadb(), follows);
    if !flavor.is_mariadb() {
        let pair = format!("{};\n{sql}", drop_program(p.kind(), p.name()));
        return match lock {
            [] => pair,
            tables => format!("{};\n{pair};\nUNLOCK TABLES", lock_tables(tables)),
        };
    }
    match p.context() {
        Some(c) => format!("SET STATEMENT sql_mode = {} FOR {sql}", string(&c.sql_mode)),
        None => sql,
    }
}

fn lock_tables(tables: &[String]) -> String {
    let each: Vec<String> = tables
        .iter()
        .map(|t| format!("{} WRITE", ident(t)))
        .collect();
    format!("LOCK TABLES {}", each.join(", "))
}

pub fn drop_program(kind: ObjectKind, name: &str) -> String {
    let kind = match kind {
        ObjectKind::Procedure => ProgramKind::Procedure,
        ObjectKind::Function => ProgramKind::Function,
        ObjectKind::Event => ProgramKind::Event,
        _ => ProgramKind::Trigger,
    };
    super::program::drop_program(kind, name)
}

/// A step's statement as a `mysql` client script line: a compound body (it holds `;`) goes
/// under another delimiter.
pub fn script_statement(sql: &str) -> String {
    if sql.contains(';') {
        delimited(sql).trim_end().to_string()
    } else {
        format!("{sql};")
    }
}
