//! The online schema change tool's command for a step `plan` routed to it: its `--alter`
//! is the step's clauses as SQL, so `apply` can check it as it checks the SQL.

use super::steps::clause;
use crate::flavor::Flavor;
use crate::plan::osc::Osc;
use crate::plan::{Action, Step};

/// The command for an ALTER step.
pub fn command(step: &Step, tool: &str, flavor: Flavor) -> Option<Osc> {
    let Action::AlterTable { table, clauses } = &step.action else {
        return None;
    };
    let alter: Vec<String> = clauses
        .iter()
        .map(|c| clause(c, flavor).replace('\n', " "))
        .collect();
    Some(Osc {
        tool: tool.to_string(),
        args: vec![
            "--alter".into(),
            alter.join(", "),
            "--execute".into(),
            "--progress".into(),
            "time,5".into(),
        ],
        table: table.clone(),
    })
}

/// The command as a reviewer reads it (arguments quoted for a POSIX shell).
pub fn command_line(osc: &Osc) -> String {
    let quote = |a: &String| {
        if a.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_=,./:".contains(c))
        {
            a.clone()
        } else {
            format!("'{}'", a.replace('\'', r"'\''"))
        }
    };
    let dsn = format!("D=<database>,t={}", osc.table);
    std::iter::once(&osc.tool)
        .chain(&osc.args)
        .chain(std::iter::once(&dsn))
        .map(quote)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::normalize::schema_of;
    use crate::plan::osc::PT_OSC;
    use crate::plan::{plan, PlanOptions};

    #[test]
    fn the_command_carries_the_clauses_and_reads_as_a_shell_line() {
        let f = Flavor::DEFAULT;
        let t = "CREATE TABLE t (id int PRIMARY KEY, a int, note varchar(20))";
        let (cur, want) = (
            schema_of(t, f),
            schema_of(&t.replace("a int", "a bigint"), f),
        );
        let changes = crate::diff::diff(&cur, &want);
        let p = plan(&cur, &want, &changes, PlanOptions::default()).unwrap();
        let osc = command(&p.steps[0], PT_OSC, f).unwrap();
        assert_eq!(
            command_line(&osc),
            "pt-online-schema-change --alter 'MODIFY COLUMN `a` bigint(20) DEFAULT NULL' --execute --progress time,5 'D=<database>,t=t'"
        );
    }
}
