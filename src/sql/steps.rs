//! Plan steps as SQL statements.

use crate::flavor::Flavor;
use crate::model::{Position, TableOptions};
use crate::plan::guard::{Filling, Guard, Presence, Probe};
use crate::plan::online::Online;
use crate::plan::privileges::Privilege;
use crate::plan::{Action, AlterClause, OptionsChange, Step};
use crate::sql::ddl;
use crate::sql::quote::{ident, string, string_keeping_lines};

fn position(p: &Position) -> String {
    match p {
        Position::First => " FIRST".into(),
        Position::After(c) => format!(" AFTER {}", ident(c)),
    }
}

fn options(o: &OptionsChange) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(e) = &o.engine {
        out.push(format!("ENGINE={e}"));
    }
    if let Some((cs, coll)) = &o.charset {
        out.push(format!("DEFAULT CHARSET={cs} COLLATE={coll}"));
    }
    if let Some(r) = &o.row_format {
        out.push(format!("ROW_FORMAT={r}"));
    }
    if let Some(c) = &o.comment {
        out.push(format!("COMMENT={}", string(c)));
    }
    out.extend(
        o.other
            .iter()
            .map(|(k, v)| crate::sql::ddl::table_option(k, v)),
    );
    out
}

pub fn clause(c: &AlterClause, flavor: Flavor) -> String {
    // Columns name their charset and collation in full: they never depend on a table default
    // that another clause of the same statement may be changing.
    let explicit = TableOptions::default();
    match c {
        AlterClause::DropForeignKey { name } => format!("DROP FOREIGN KEY {}", ident(name)),
        AlterClause::DropIndex { name } if name == "PRIMARY" => "DROP PRIMARY KEY".into(),
        AlterClause::DropIndex { name } => format!("DROP INDEX {}", ident(name)),
        AlterClause::DropCheck { name } => format!("DROP CONSTRAINT {}", ident(name)),
        AlterClause::DropColumn { name } => format!("DROP COLUMN {}", ident(name)),
        AlterClause::AddColumn {
            column,
            position: p,
        } => {
            format!(
                "ADD COLUMN {}{}",
                ddl::column(column, &explicit, flavor),
                position(p)
            )
        }
        AlterClause::ModifyColumn {
            column,
            position: p,
        } => format!(
            "MODIFY COLUMN {}{}",
            ddl::column(column, &explicit, flavor),
            p.as_ref().map(position).unwrap_or_default()
        ),
        AlterClause::AddIndex { index } => format!("ADD {}", ddl::index(index, flavor)),
        AlterClause::AddCheck { check } => format!("ADD {}", ddl::check(check)),
        AlterClause::AddForeignKey { fk } => format!("ADD {}", ddl::foreign_key(fk, flavor)),
        AlterClause::Options { options: o } => options(o).join(" "),
        AlterClause::RenameColumn { from, to } => {
            format!("RENAME COLUMN {} TO {}", ident(from), ident(to))
        }
        AlterClause::AddPartitions { partitions } => format!(
            "ADD PARTITION ({})",
            partitions
                .iter()
                .map(|p| format!("PARTITION {} VALUES {}", ident(&p.name), p.values))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        AlterClause::DropPartitions { names } => format!(
            "DROP PARTITION {}",
            names
                .iter()
                .map(|n| ident(n))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        AlterClause::PartitionBy { partitioning } => ddl::partitioning(partitioning, None),
        AlterClause::RemovePartitioning { .. } => "REMOVE PARTITIONING".into(),
        AlterClause::AddSystemVersioning => "ADD SYSTEM VERSIONING".into(),
        AlterClause::DropSystemVersioning => "DROP SYSTEM VERSIONING".into(),
        // `statement` puts it before the ALTER.
        AlterClause::KeepHistory => String::new(),
    }
}

/// The statement of one step, without a terminator.
pub fn statement(step: &Step, flavor: Flavor) -> String {
    match &step.action {
        Action::CreateTable { table } => ddl::create_table(table, flavor),
        Action::AlterTable { table, clauses } => {
            let body: Vec<String> = clauses
                .iter()
                .filter(|c| **c != AlterClause::KeepHistory)
                .map(|c| clause(c, flavor))
                .collect();
            let keep = if clauses.contains(&AlterClause::KeepHistory) {
                "SET STATEMENT system_versioning_alter_history=KEEP FOR "
            } else {
                ""
            };
            format!(
                "{keep}ALTER TABLE {}\n  {}",
                ident(table),
                body.join(",\n  ")
            )
        }
        Action::DropTable { table } => format!("DROP TABLE {}", ident(table)),
        Action::CreateView { view, replace } => ddl::create_view(view, *replace),
        Action::DropView { view } => format!("DROP VIEW {}", ident(view)),
        Action::RenameTable { from, to } => {
            format!("RENAME TABLE {} TO {}", ident(from), ident(to))
        }
        Action::CreateSequence { sequence } => crate::sql::sequence::create_sequence(sequence),
        Action::AlterSequence { sequence } => crate::sql::sequence::alter_sequence(sequence),
        Action::DropSequence { sequence } => format!("DROP SEQUENCE {}", ident(sequence)),
        Action::CreateProgram {
            program,
            follows,
            lock,
            ..
        } => crate::sql::program_steps::create_step(program, follows.as_deref(), lock, flavor),
        Action::DropProgram { kind, name } => crate::sql::program_steps::drop_program(*kind, name),
    }
}

/// A step's statement as the plan runs it: with `asserted`, an ALTER the server must run
/// with that algorithm and lock, or refuse.
pub fn planned(step: &Step, asserted: Option<&Online>, flavor: Flavor) -> String {
    let sql = statement(step, flavor);
    match asserted {
        Some(o) => format!(
            "{sql},\n  ALGORITHM={}, LOCK={}",
            o.algorithm.clause(flavor),
            o.lock.clause()
        ),
        None => sql,
    }
}

/// A query counting the objects `probe` names in the current database (0 or 1).
pub fn probe(probe: &Probe) -> String {
    let base_table = "BASE TABLE".to_string();
    let versioned = "SYSTEM VERSIONED".to_string();
    let view_type = "VIEW".to_string();
    let sequence_type = "SEQUENCE".to_string();
    let check_type = "CHECK".to_string();
    let (view, conds) = match probe {
        // A system-versioned table is a table too (TABLE_TYPE below).
        Probe::Table { name } => (
            "TABLES",
            vec![("TABLE_SCHEMA", None), ("TABLE_NAME", Some(name))],
        ),
        Probe::View { name } => (
            "TABLES",
            vec![
                ("TABLE_SCHEMA", None),
                ("TABLE_NAME", Some(name)),
                ("TABLE_TYPE", Some(&view_type)),
            ],
        ),
        Probe::Sequence { name } => (
            "TABLES",
            vec![
                ("TABLE_SCHEMA", None),
                ("TABLE_NAME", Some(name)),
                ("TABLE_TYPE", Some(&sequence_type)),
            ],
        ),
        Probe::Column { table, name } => (
            "COLUMNS",
            vec![
                ("TABLE_SCHEMA", None),
                ("TABLE_NAME", Some(table)),
                ("COLUMN_NAME", Some(name)),
            ],
        ),
        Probe::Index { table, name } => (
            "STATISTICS",
            vec![
                ("TABLE_SCHEMA", None),
                ("TABLE_NAME", Some(table)),
                ("INDEX_NAME", Some(name)),
            ],
        ),
        Probe::ForeignKey { table, name } => (
            "REFERENTIAL_CONSTRAINTS",
            vec![
                ("CONSTRAINT_SCHEMA", None),
                ("TABLE_NAME", Some(table)),
                ("CONSTRAINT_NAME", Some(name)),
            ],
        ),
        Probe::Versioned { table } => (
            "TABLES",
            vec![
                ("TABLE_SCHEMA", None),
                ("TABLE_NAME", Some(table)),
                ("TABLE_TYPE", Some(&versioned)),
            ],
        ),
        Probe::Partition { table, name } => (
            "PARTITIONS",
            vec![
                ("TABLE_SCHEMA", None),
                ("TABLE_NAME", Some(table)),
                ("PARTITION_NAME", Some(name)),
            ],
        ),
        Probe::Filled { table, column, .. } => (
            "COLUMNS",
            vec![
                ("TABLE_SCHEMA", None),
                ("TABLE_NAME", Some(table)),
                ("COLUMN_NAME", Some(column)),
            ],
        ),
        Probe::Check { table, name } => (
            "TABLE_CONSTRAINTS",
            vec![
                ("CONSTRAINT_SCHEMA", None),
                ("TABLE_NAME", Some(table)),
                ("CONSTRAINT_NAME", Some(name)),
                ("CONSTRAINT_TYPE", Some(&check_type)),
            ],
        ),
    };
    let mut conds: Vec<String> = conds
        .into_iter()
        .map(|(col, v)| match v {
            None => format!("{col} = DATABASE()"),
            Some(v) => format!("{col} = {}", string(v)),
        })
        .collect();
    // EXTRA, on MariaDB and MySQL: `VIRTUAL GENERATED` or `STORED GENERATED`, maybe followed
    // by `INVISIBLE`.
    if let Probe::Filled { filling, .. } = probe {
        conds.push(
            match filling {
                Filling::Regular => "EXTRA NOT LIKE '%GENERATED%'",
                Filling::Virtual => "EXTRA LIKE 'VIRTUAL GENERATED%'",
                Filling::Stored => "EXTRA LIKE 'STORED GENERATED%'",
            }
            .to_string(),
        );
    }
    if let Probe::Table { .. } = probe {
        conds.push(format!(
            "TABLE_TYPE IN ({}, {})",
            string(&base_table),
            string(&versioned)
        ));
    }
    // STATISTICS has a row per key part: count the key once.
    format!(
        "SELECT COUNT(DISTINCT {}) FROM information_schema.{view} WHERE {}",
        if view == "STATISTICS" {
            "INDEX_NAME"
        } else {
            "1"
        },
        conds.join(" AND ")
    )
}

/// `statement` for a `mysql` client script, run only when `guard` says it has not run yet:
/// a prepared statement chosen by information_schema probes, so the script can run again.
pub fn guarded(statement: &str, guard: &Guard) -> String {
    let applied: Vec<String> = guard
        .any
        .iter()
        .map(|c| {
            let cmp = match c.applied_when {
                Presence::Present => "> 0",
                Presence::Absent => "= 0",
            };
            format!("({}) {cmp}", probe(&c.probe))
        })
        .collect();
    format!(
        "SET @canon_sql = IF({},\n  'DO 0 /* already applied */',\n  {});\nPREPARE canon_step FROM @canon_sql;\nEXECUTE canon_step;\nDEALLOCATE PREPARE canon_step;",
        applied.join("\n  OR "),
        string_keeping_lines(statement)
    )
}

/// The GRANT a DBA runs to give `user` (`name@host`, as CURRENT_USER() says) the missing
/// privileges on a database.
pub fn grant(privileges: &[Privilege], database: &str, user: &str) -> String {
    let names: Vec<&str> = privileges.iter().map(|p| p.name()).collect();
    // In a database grant `_` and `%` are wildcards: escape them to mean this database only.
    let db = database.replace('_', "\\_").replace('%', "\\%");
    grant_on(&names, &format!("{}.*", ident(&db)), user)
}

/// The GRANT of global privileges (`SUPER`, `SET USER`: they exist only on `*.*`), by the
/// names the server spells them with.
pub fn grant_global(names: &[&str], user: &str) -> String {
    grant_on(names, "*.*", user)
}

fn grant_on(names: &[&str], on: &str, user: &str) -> String {
    let (name, host) = user.rsplit_once('@').unwrap_or((user, "%"));
    format!(
        "GRANT {} ON {on} TO {}@{};",
        names.join(", "),
        string(name),
        string(host)
    )
}

/// What a DBA runs to let `log_bin_trust_function_creators` lift binary logging's demands
/// on functions and triggers.
pub const TRUST_FUNCTION_CREATORS: &str = "SET GLOBAL log_bin_trust_function_creators = ON;";

/// The scratch database a backup's schema is restored into, with the live defaults.
pub fn create_scratch(name: &str, charset: Option<&str>, collation: Option<&str>) -> String {
    let mut sql = format!("CREATE DATABASE {}", ident(name));
    if let Some(cs) = charset {
        sql.push_str(&format!(" CHARACTER SET {cs}"));
    }
    if let Some(c) = collation {
        sql.push_str(&format!(" COLLATE {c}"));
    }
    sql
}

pub fn drop_scratch(name: &str) -> String {
    format!("DROP DATABASE IF EXISTS {}", ident(name))
}
