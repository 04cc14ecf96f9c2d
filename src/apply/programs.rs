//! What program steps need beyond privileges on the database. Recorded on MariaDB 10.11
//! (tests/live_binlog.rs and tests/suite/program_plans.rs replay it):
//! - a `DEFINER=` other than the connected account needs SUPER or SET USER ("you need (at
//!   least one of) the SUPER, SET USER privilege(s)");
//! - with binary logging on and `log_bin_trust_function_creators` OFF, creating a function or
//!   a trigger, and dropping a trigger, need SUPER (error 1419; BINLOG ADMIN, BINLOG REPLAY,
//!   REPLICATION MASTER ADMIN, READ_ONLY ADMIN and SET USER were each tried and do not do);
//!   a function with none of `DETERMINISTIC`, `NO SQL`, `READS SQL DATA` is refused even to
//!   SUPER (error 1418): only the variable lets it through.
//!
//! MySQL 8 (no server here; from the MySQL 8.0 manual, *Binary Logging of Stored Programs*
//! and *Stored Object Access Control*): SET_USER_ID (8.0.22; SET_ANY_DEFINER from 8.2) or
//! SUPER for another definer, and for a function or trigger under binary logging.

use super::grants::Grants;
use crate::diff::Program;
use crate::document::DocStep;
use crate::flavor::Flavor;
use crate::model::{DataAccess, ObjectKind};
use crate::plan::privileges::Privilege;
use crate::plan::Action;

/// Binary logging as the server reports it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Binlog {
    pub on: bool,
    pub trust_function_creators: bool,
}

/// Something the user lacks, and what a DBA runs to give it.
#[derive(Debug, PartialEq, Eq)]
pub struct Lack {
    pub what: String,
    pub fix: String,
}

/// Whether `definer` (`user@host`) is the connected account (as CURRENT_USER() says): host
/// names compare without case, user names with.
fn same_account(definer: &str, user: &str) -> bool {
    match (definer.rsplit_once('@'), user.rsplit_once('@')) {
        (Some((du, dh)), Some((uu, uh))) => du == uu && dh.eq_ignore_ascii_case(uh),
        _ => definer == user,
    }
}

/// The account the plan pinned programs' definer to (`programs.definer: CURRENT_USER`),
/// when another applies steps that create programs.
pub fn pinned_to_another(
    pinned: Option<&str>,
    remaining: &[DocStep],
    user: &str,
) -> Option<String> {
    let creates =
        (remaining.iter()).any(|s| matches!(s.action, Some(Action::CreateProgram { .. })));
    pinned
        .filter(|p| creates && !same_account(p, user))
        .map(str::to_string)
}

/// Whether binary logging keeps a step from whoever lacks SUPER: a function or a trigger
/// created, a trigger dropped (on MySQL, created only, as its manual says).
fn logged_unsafe(action: &Action, flavor: Flavor) -> bool {
    match action {
        Action::CreateProgram { program, .. } => {
            matches!(program.kind(), ObjectKind::Function | ObjectKind::Trigger)
        }
        Action::DropProgram { kind, .. } => *kind == ObjectKind::Trigger && flavor.is_mariadb(),
        _ => false,
    }
}

/// A function the server refuses under binary logging whoever creates it.
fn unsafe_function(action: &Action) -> Option<&str> {
    match action {
        Action::CreateProgram {
            program: Program::Routine(r),
            ..
        } if r.returns.is_some()
            && !r.deterministic
            && !matches!(r.data_access, DataAccess::NoSql | DataAccess::ReadsSqlData) =>
        {
            Some(&r.name)
        }
        _ => None,
    }
}

/// What the `remaining` steps need of `user` beyond the database's privileges.
pub fn lacking(
    remaining: &[DocStep],
    user: &str,
    grants: &Grants,
    binlog: Binlog,
    flavor: Flavor,
) -> Vec<Lack> {
    let actions: Vec<&Action> = remaining.iter().filter_map(|s| s.action.as_ref()).collect();
    let super_ = grants.has_global(Privilege::Super);
    let set_user = grants.has_global(Privilege::SetUser);
    // MySQL 8's replacement of SUPER (SET_USER_ID) lifts binary logging's demand too.
    let set_user_name = if flavor.is_mariadb() {
        "SET USER"
    } else {
        "SET_USER_ID"
    };
    let mut out = Vec::new();
    let mut definers: Vec<&str> = (actions.iter())
        .filter_map(|a| match a {
            Action::CreateProgram { program, .. } => program.definer(),
            _ => None,
        })
        .filter(|d| !same_account(d, user))
        .collect();
    definers.sort();
    definers.dedup();
    if !definers.is_empty() && !super_ && !set_user {
        out.push(Lack {
            what: format!(
                "{set_user_name} (or SUPER) on *.*, to write DEFINER={}",
                definers.join(", ")
            ),
            fix: crate::sql::steps::grant_global(&[set_user_name], user),
        });
    }
    if !binlog.on || binlog.trust_function_creators {
        return out;
    }
    let lifted = super_ || (set_user && !flavor.is_mariadb());
    if !lifted && actions.iter().any(|a| logged_unsafe(a, flavor)) {
        out.push(Lack {
            what: "SUPER on *.*: binary logging is on, and creating a function or a trigger (or dropping a trigger) needs it unless log_bin_trust_function_creators is ON".into(),
            fix: format!(
                "{}  -- or: {}",
                crate::sql::steps::grant_global(&["SUPER"], user),
                crate::sql::steps::TRUST_FUNCTION_CREATORS
            ),
        });
    }
    let unsafe_: Vec<String> = (actions.iter())
        .filter_map(|a| unsafe_function(a))
        .map(|n| ObjectKind::Function.label(n))
        .collect();
    if !unsafe_.is_empty() {
        out.push(Lack {
            what: format!(
                "log_bin_trust_function_creators ON: binary logging is on and {} has none of DETERMINISTIC, NO SQL, READS SQL DATA (the server refuses it whatever the privileges)",
                unsafe_.join(", ")
            ),
            fix: crate::sql::steps::TRUST_FUNCTION_CREATORS.into(),
        });
    }
    out
}

#[cfg(test)]
#[path = "programs_tests.rs"]
mod tests;
