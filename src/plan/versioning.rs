//! System versioning in the plan: adding it is safe, dropping it loses the table's history,
//! and MariaDB changes a versioned table's columns only under
//! `system_versioning_alter_history=KEEP` (error 4119 without it: ADD, DROP and MODIFY
//! COLUMN, and ADD of a PRIMARY or UNIQUE key, which the row end column joins; other keys,
//! dropping keys, foreign keys, checks, options and RENAME COLUMN need nothing, as tried on
//! 10.11).

use super::{AlterClause, Clause, Safety};
use crate::diff::TableChange;
use crate::model::{Column, IndexKind, Table};

/// Whether the change touches the row start and end columns a table writes, or versioning of
/// a table that writes them (the server then wants ADD/DROP PERIOD FOR SYSTEM_TIME and the
/// columns in the same statement, which canon does not plan yet).
pub(super) fn row_bounds_change(change: &TableChange, have: &Table, want: &Table) -> bool {
    let bound = |c: &Column| c.system_time.is_some();
    match change {
        TableChange::SystemVersioning { .. } => {
            have.columns.iter().any(bound) || want.columns.iter().any(bound)
        }
        TableChange::AddColumn { column, .. } | TableChange::DropColumn { column } => bound(column),
        TableChange::ModifyColumn { from, to, .. } => bound(from) || bound(to),
        _ => false,
    }
}

pub(super) fn safety(to: bool) -> Safety {
    if to {
        Safety::Safe
    } else {
        Safety::Destructive {
            reason: "dropping system versioning deletes the table's history rows".into(),
        }
    }
}

pub(super) fn clause(to: bool) -> Clause {
    if to {
        (
            AlterClause::AddSystemVersioning,
            Safety::Safe,
            "add system versioning".into(),
        )
    } else {
        (
            AlterClause::DropSystemVersioning,
            safety(false),
            "drop system versioning (its history rows go)".into(),
        )
    }
}

/// A statement's clauses on a table that is versioned when it runs: marked to run under
/// `system_versioning_alter_history=KEEP` when they change columns or add a unique key.
pub(super) fn keep_history(table: Option<&Table>, clauses: &mut Vec<Clause>) {
    let needs_keep = clauses.iter().any(|(c, _, _)| match c {
        AlterClause::AddColumn { .. }
        | AlterClause::DropColumn { .. }
        | AlterClause::ModifyColumn { .. } => true,
        AlterClause::AddIndex { index } => {
            matches!(index.kind, IndexKind::Primary | IndexKind::Unique)
        }
        _ => false,
    });
    if needs_keep && table.is_some_and(|t| t.system_versioned) {
        clauses.push((
            AlterClause::KeepHistory,
            Safety::Safe,
            "with system_versioning_alter_history=KEEP (history rows change too)".into(),
        ));
    }
}
