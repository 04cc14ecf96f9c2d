//! Large tables through an online schema change tool: an ALTER that would rebuild or copy a
//! big table runs as `pt-online-schema-change` (a shadow copy kept in sync by triggers, then
//! an atomic swap), so writes go on. Here: which steps go (`route`); render writes the
//! command from the typed step.

use super::online::{Algorithm, Online};
use super::{Action, ObjectKind, Step};
use crate::model::{Schema, TableSize};
use serde::{Deserialize, Serialize};

pub const PT_OSC: &str = "pt-online-schema-change";

/// A tool by name as configuration gives it: Ok(None) for `none`.
pub fn tool(name: &str) -> Result<Option<String>, String> {
    match name {
        PT_OSC => Ok(Some(PT_OSC.to_string())),
        "none" => Ok(None),
        other => Err(format!(
            "unknown online schema change tool `{other}`: canon runs {PT_OSC}, or none"
        )),
    }
}

/// When to route, and to which tool (None: never).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    pub tool: Option<String>,
    pub min_rows: u64,
    pub min_bytes: u64,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            tool: Some(PT_OSC.to_string()),
            min_rows: 1_000_000,
            min_bytes: 1 << 30,
        }
    }
}

/// How a routed step runs: the tool and its arguments, without connection options (`apply`
/// adds those from the target, the password through a private option file).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Osc {
    pub tool: String,
    pub args: Vec<String>,
    /// The table, for the DSN (`F=<option file>,D=<database>,t=<table>`) `apply` appends.
    pub table: String,
}

impl Osc {
    /// The DSN for `database`, reading connection options from `option_file`.
    pub fn dsn(&self, option_file: &str, database: &str) -> String {
        format!("F={option_file},D={database},t={}", self.table)
    }
}

/// A name the tool's DSN can carry: its parts are split at `,` before a `key=`.
pub fn dsn_safe(name: &str) -> bool {
    !name.contains([',', '=']) && !name.is_empty()
}

/// Whether a step goes to the tool; Err says why a big rebuild stays in the server.
pub fn route(
    step: &Step,
    online: &Online,
    size: Option<&TableSize>,
    current: &Schema,
    policy: &Policy,
) -> Result<bool, String> {
    let (Some(_), Some(size)) = (&policy.tool, size) else {
        return Ok(false);
    };
    let Action::AlterTable { table, clauses } = &step.action else {
        return Ok(false);
    };
    if clauses.iter().any(super::AlterClause::is_partition_op) {
        return Ok(false);
    }
    let big =
        size.rows >= policy.min_rows || size.data_bytes + size.index_bytes >= policy.min_bytes;
    if !big || !matches!(online.algorithm, Algorithm::Rebuild | Algorithm::Copy) {
        return Ok(false);
    }
    let own = current
        .tables
        .get(table)
        .is_some_and(|t| !t.foreign_keys.is_empty());
    let referenced = current
        .tables
        .values()
        .any(|t| t.name != *table && t.foreign_keys.iter().any(|f| &f.ref_table == table));
    if !dsn_safe(table) {
        return Err(format!(
            "{} is large but its name holds `,` or `=`, which pt-online-schema-change cannot be given: the step runs in the server",
            ObjectKind::Table.label(table)
        ));
    }
    let triggers: Vec<String> = (current.triggers.values())
        .filter(|t| t.table == *table)
        .map(|t| crate::sql::quote::ident(&t.name))
        .collect();
    if !triggers.is_empty() {
        // The tool's own triggers keep its copy in sync; the table's must move to the copy
        // at the swap (--preserve-triggers), which canon does not test yet: ALTER keeps them.
        return Err(format!(
            "{} is large (~{} rows) but has triggers ({}), which pt-online-schema-change would have to move to its copy: the step runs in the server ({}), which keeps them",
            ObjectKind::Table.label(table),
            size.rows,
            triggers.join(", "),
            online.algorithm.label()
        ));
    }
    if own || referenced {
        return Err(format!(
            "{} is large (~{} rows) but takes part in foreign keys, which pt-online-schema-change would rename or rebuild: the step runs in the server ({})",
            ObjectKind::Table.label(table),
            size.rows,
            online.algorithm.label()
        ));
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flavor::Flavor;
    use crate::model::normalize::schema_of;
    use crate::plan::{plan, PlanOptions};

    fn alter(current: &str, desired: &str) -> (Schema, Step, Online) {
        let f = Flavor::DEFAULT;
        let (cur, want) = (schema_of(current, f), schema_of(desired, f));
        let changes = crate::diff::diff(&cur, &want);
        let p = plan(&cur, &want, &changes, PlanOptions::default()).unwrap();
        let step = p.steps.last().unwrap().clone();
        let online = crate::plan::online::predict(
            &cur.tables["t"],
            match &step.action {
                Action::AlterTable { clauses, .. } => clauses,
                _ => unreachable!(),
            },
            f,
        );
        (cur, step, online)
    }

    const T: &str = "CREATE TABLE t (id int PRIMARY KEY, a int, note varchar(20))";

    #[test]
    fn big_rebuilds_go_to_the_tool_small_or_instant_ones_do_not() {
        let size = |rows| TableSize {
            rows,
            data_bytes: rows * 50,
            index_bytes: 0,
        };
        let policy = Policy::default();
        let (cur, copy, online) = alter(T, &T.replace("a int", "a bigint"));
        assert_eq!(
            route(&copy, &online, Some(&size(2_000_000)), &cur, &policy),
            Ok(true)
        );
        assert_eq!(
            route(&copy, &online, Some(&size(10)), &cur, &policy),
            Ok(false)
        );
        assert_eq!(route(&copy, &online, None, &cur, &policy), Ok(false));
        let none = Policy {
            tool: None,
            ..Policy::default()
        };
        assert_eq!(
            route(&copy, &online, Some(&size(2_000_000)), &cur, &none),
            Ok(false)
        );
        let (cur, instant, online) = alter(T, &T.replace("note", "z int, note"));
        assert_eq!(
            route(&instant, &online, Some(&size(2_000_000)), &cur, &policy),
            Ok(false)
        );
        let osc = Osc {
            tool: PT_OSC.into(),
            args: Vec::new(),
            table: "t".into(),
        };
        assert_eq!(osc.dsn("client.cnf", "shop"), "F=client.cnf,D=shop,t=t");
    }

    #[test]
    fn tables_in_foreign_keys_stay_in_the_server() {
        let fk = "CREATE TABLE p (id int PRIMARY KEY);
                  CREATE TABLE t (id int PRIMARY KEY, a int, pid int, KEY k (pid),
                    CONSTRAINT fk FOREIGN KEY (pid) REFERENCES p (id))";
        let (cur, copy, online) = alter(fk, &fk.replace("a int", "a bigint"));
        let size = TableSize {
            rows: 5_000_000,
            data_bytes: 0,
            index_bytes: 0,
        };
        let why = route(&copy, &online, Some(&size), &cur, &Policy::default()).unwrap_err();
        assert!(why.contains("takes part in foreign keys"), "{why}");
    }

    #[test]
    fn tables_with_triggers_stay_in_the_server() {
        let (mut cur, copy, online) = alter(T, &T.replace("a int", "a bigint"));
        cur.triggers.insert(
            "t_ai".into(),
            crate::diff::programs::tests::trigger("t_ai", "t", "SET @n = 1"),
        );
        let size = TableSize {
            rows: 5_000_000,
            data_bytes: 0,
            index_bytes: 0,
        };
        let why = route(&copy, &online, Some(&size), &cur, &Policy::default()).unwrap_err();
        assert!(why.contains("has triggers (`t_ai`)"), "{why}");
    }

    #[test]
    fn names_a_dsn_cannot_carry_are_not_routed() {
        assert!(dsn_safe("orders") && !dsn_safe("a,b") && !dsn_safe("k=v"));
    }
}
