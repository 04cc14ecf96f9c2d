//! The privileges a step needs on the target database, checked before anything runs.
//! Read from MariaDB 10.11's refusals: ALTER alone adds and drops columns and indexes; a
//! foreign key also needs REFERENCES; a view needs CREATE VIEW and SELECT, and replacing one
//! also DROP.

use super::{Action, AlterClause, ObjectKind, Step};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Privilege {
    #[serde(rename = "SELECT")]
    Select,
    #[serde(rename = "INSERT")]
    Insert,
    #[serde(rename = "UPDATE")]
    Update,
    #[serde(rename = "DELETE")]
    Delete,
    #[serde(rename = "CREATE")]
    Create,
    #[serde(rename = "ALTER")]
    Alter,
    #[serde(rename = "DROP")]
    Drop,
    #[serde(rename = "INDEX")]
    Index,
    #[serde(rename = "REFERENCES")]
    References,
    #[serde(rename = "CREATE VIEW")]
    CreateView,
    #[serde(rename = "SHOW VIEW")]
    ShowView,
    #[serde(rename = "TRIGGER")]
    Trigger,
    #[serde(rename = "EVENT")]
    Event,
    #[serde(rename = "LOCK TABLES")]
    LockTables,
    #[serde(rename = "CREATE ROUTINE")]
    CreateRoutine,
    #[serde(rename = "ALTER ROUTINE")]
    AlterRoutine,
    /// Global only. With binary logging on and `log_bin_trust_function_creators` off,
    /// MariaDB 10.11 asks for it to create a function or a trigger and to drop a trigger.
    #[serde(rename = "SUPER")]
    Super,
    /// Global only: writing a `DEFINER=` other than oneself (SUPER does too). MySQL 8 calls
    /// it SET_USER_ID (8.0.22) and SET_ANY_DEFINER (8.2).
    #[serde(rename = "SET USER")]
    SetUser,
}

impl Privilege {
    pub const ALL: [Privilege; 18] = [
        Privilege::Select,
        Privilege::Insert,
        Privilege::Update,
        Privilege::Delete,
        Privilege::Create,
        Privilege::Alter,
        Privilege::Drop,
        Privilege::Index,
        Privilege::References,
        Privilege::CreateView,
        Privilege::ShowView,
        Privilege::Trigger,
        Privilege::Event,
        Privilege::LockTables,
        Privilege::CreateRoutine,
        Privilege::AlterRoutine,
        Privilege::Super,
        Privilege::SetUser,
    ];

    /// The name as GRANT and SHOW GRANTS spell it.
    pub fn name(self) -> &'static str {
        match self {
            Privilege::Select => "SELECT",
            Privilege::Insert => "INSERT",
            Privilege::Update => "UPDATE",
            Privilege::Delete => "DELETE",
            Privilege::Create => "CREATE",
            Privilege::Alter => "ALTER",
            Privilege::Drop => "DROP",
            Privilege::Index => "INDEX",
            Privilege::References => "REFERENCES",
            Privilege::CreateView => "CREATE VIEW",
            Privilege::ShowView => "SHOW VIEW",
            Privilege::Trigger => "TRIGGER",
            Privilege::Event => "EVENT",
            Privilege::LockTables => "LOCK TABLES",
            Privilege::CreateRoutine => "CREATE ROUTINE",
            Privilege::AlterRoutine => "ALTER ROUTINE",
            Privilege::Super => "SUPER",
            Privilege::SetUser => "SET USER",
        }
    }

    pub fn from_name(name: &str) -> Option<Privilege> {
        if ["SET_USER_ID", "SET_ANY_DEFINER"].contains(&name.trim()) {
            return Some(Privilege::SetUser);
        }
        Privilege::ALL
            .into_iter()
            .find(|p| p.name().eq_ignore_ascii_case(name.trim()))
    }
}

impl fmt::Display for Privilege {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What running `step` needs, sorted and without repeats.
pub fn needed(step: &Step) -> Vec<Privilege> {
    let mut out = match &step.action {
        Action::CreateTable { table } if !table.foreign_keys.is_empty() => {
            vec![Privilege::Create, Privilege::References]
        }
        Action::CreateTable { .. } => vec![Privilege::Create],
        Action::AlterTable { clauses, .. } => {
            let mut p = vec![Privilege::Alter];
            if clauses
                .iter()
                .any(|c| matches!(c, AlterClause::DropPartitions { .. }))
            {
                p.push(Privilege::Drop);
            }
            if clauses
                .iter()
                .any(|c| matches!(c, AlterClause::AddForeignKey { .. }))
            {
                p.push(Privilege::References);
            }
            p
        }
        Action::DropTable { .. } | Action::DropView { .. } | Action::DropSequence { .. } => {
            vec![Privilege::Drop]
        }
        // MariaDB asks for CREATE to create a sequence, ALTER to alter one.
        Action::CreateSequence { .. } => vec![Privilege::Create],
        Action::AlterSequence { .. } => vec![Privilege::Alter],
        // ALTER and DROP on the old name, CREATE and INSERT on the new.
        Action::RenameTable { .. } => vec![
            Privilege::Alter,
            Privilege::Drop,
            Privilege::Create,
            Privilege::Insert,
        ],
        Action::CreateView { replace: false, .. } => {
            vec![Privilege::CreateView, Privilege::Select]
        }
        Action::CreateView { replace: true, .. } => {
            vec![Privilege::CreateView, Privilege::Select, Privilege::Drop]
        }
        // MySQL 8's DROP + CREATE of a trigger under LOCK TABLES: that needs SELECT too.
        Action::CreateProgram { lock, .. } if !lock.is_empty() => {
            vec![Privilege::Trigger, Privilege::LockTables, Privilege::Select]
        }
        Action::CreateProgram { program, .. } => match program.kind() {
            // MariaDB's CREATE OR REPLACE of a routine asks for ALTER ROUTINE even when there
            // is none yet (10.11: "alter routine command denied ... for routine"), and canon
            // always writes OR REPLACE there.
            ObjectKind::Procedure | ObjectKind::Function => {
                vec![Privilege::CreateRoutine, Privilege::AlterRoutine]
            }
            ObjectKind::Event => vec![Privilege::Event],
            _ => vec![Privilege::Trigger],
        },
        Action::DropProgram { kind, .. } => match kind {
            ObjectKind::Procedure | ObjectKind::Function => vec![Privilege::AlterRoutine],
            ObjectKind::Event => vec![Privilege::Event],
            _ => vec![Privilege::Trigger],
        },
    };
    out.sort();
    out.dedup();
    out
}
