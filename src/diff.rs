//! diff(current, desired) → typed changes. Pure: no I/O, no SQL.
//!
//! Indexes, foreign keys and checks compare as sets keyed by name (the server reorders them);
//! columns compare in order, since position is part of a table's definition.

use crate::model::*;
use serde::Serialize;

pub mod programs;
pub use programs::{Part, Program};

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    CreateTable {
        table: Table,
    },
    DropTable {
        table: Table,
    },
    AlterTable {
        table: String,
        changes: Vec<TableChange>,
    },
    CreateView {
        view: View,
    },
    DropView {
        view: View,
    },
    ReplaceView {
        from: View,
        to: View,
    },
    CreateSequence {
        sequence: Sequence,
    },
    DropSequence {
        sequence: Sequence,
    },
    AlterSequence {
        from: Box<Sequence>,
        to: Box<Sequence>,
    },
    CreateProgram {
        program: Program,
    },
    DropProgram {
        program: Program,
    },
    /// A trigger, routine or event that differs in `parts`.
    ReplaceProgram {
        from: Box<Program>,
        to: Box<Program>,
        parts: Vec<Part>,
    },
}

// Changes live only between diff and plan; boxing the columns would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum TableChange {
    AddColumn {
        column: Column,
        position: Position,
    },
    DropColumn {
        column: Column,
    },
    /// A changed definition, a new position, or both.
    ModifyColumn {
        from: Column,
        to: Column,
        position: Option<Position>,
    },
    AddIndex {
        index: Index,
    },
    DropIndex {
        index: Index,
    },
    AddForeignKey {
        fk: ForeignKey,
    },
    DropForeignKey {
        fk: ForeignKey,
    },
    AddCheck {
        check: Check,
    },
    DropCheck {
        check: Check,
    },
    Options {
        from: TableOptions,
        to: TableOptions,
    },
    Partitioning {
        from: Option<Partitioning>,
        to: Option<Partitioning>,
    },
    Periods {
        from: Vec<Period>,
        to: Vec<Period>,
    },
    /// `WITH SYSTEM VERSIONING` added (true) or removed (false).
    SystemVersioning {
        to: bool,
    },
}

pub fn diff(current: &Schema, desired: &Schema) -> Vec<Change> {
    let mut out = Vec::new();
    for (name, want) in &desired.tables {
        match current.tables.get(name) {
            None => out.push(Change::CreateTable {
                table: want.clone(),
            }),
            Some(have) => {
                let changes = diff_table(have, want);
                if !changes.is_empty() {
                    out.push(Change::AlterTable {
                        table: name.clone(),
                        changes,
                    });
                }
            }
        }
    }
    for (name, have) in &current.tables {
        if !desired.tables.contains_key(name) {
            out.push(Change::DropTable {
                table: have.clone(),
            });
        }
    }
    for (name, want) in &desired.views {
        match current.views.get(name) {
            None => out.push(Change::CreateView { view: want.clone() }),
            Some(have) if !same_view(have, want) => out.push(Change::ReplaceView {
                from: have.clone(),
                to: want.clone(),
            }),
            Some(_) => {}
        }
    }
    for (name, have) in &current.views {
        if !desired.views.contains_key(name) {
            out.push(Change::DropView { view: have.clone() });
        }
    }
    for (name, want) in &desired.sequences {
        match current.sequences.get(name) {
            None => out.push(Change::CreateSequence {
                sequence: want.clone(),
            }),
            Some(have) if !have.same_definition(want) => out.push(Change::AlterSequence {
                from: Box::new(have.clone()),
                to: Box::new(want.clone()),
            }),
            Some(_) => {}
        }
    }
    for (name, have) in &current.sequences {
        if !desired.sequences.contains_key(name) {
            out.push(Change::DropSequence {
                sequence: have.clone(),
            });
        }
    }
    programs::diff_programs(current, desired, &mut out);
    out
}

/// The definer is who created a view, not what it is: it never counts.
fn same_view(a: &View, b: &View) -> bool {
    a.query == b.query
        && a.algorithm == b.algorithm
        && a.security == b.security
        && a.check_option == b.check_option
}

fn after(desired: &[Column], i: usize) -> Position {
    match i {
        0 => Position::First,
        _ => Position::After(desired[i - 1].name.clone()),
    }
}

pub fn diff_table(have: &Table, want: &Table) -> Vec<TableChange> {
    let mut out = Vec::new();
    // Drops of constraints first: they may hold on to columns that change.
    for fk in &have.foreign_keys {
        match want.foreign_keys.iter().find(|f| f.name == fk.name) {
            Some(w) if w.same_effect(fk) => {}
            _ => out.push(TableChange::DropForeignKey { fk: fk.clone() }),
        }
    }
    for ix in &have.indexes {
        if want.index(&ix.name) != Some(ix) {
            out.push(TableChange::DropIndex { index: ix.clone() });
        }
    }
    for ch in &have.checks {
        if want.checks.iter().find(|c| c.name == ch.name) != Some(ch) {
            out.push(TableChange::DropCheck { check: ch.clone() });
        }
    }
    for col in &have.columns {
        if want.column(&col.name).is_none() {
            out.push(TableChange::DropColumn {
                column: col.clone(),
            });
        }
    }
    // Walk the desired order over the surviving columns: an added column is inserted at its
    // place, an existing one out of place is moved there.
    let mut order: Vec<&str> = have
        .columns
        .iter()
        .filter(|c| want.column(&c.name).is_some())
        .map(|c| c.name.as_str())
        .collect();
    for (i, w) in want.columns.iter().enumerate() {
        match have.column(&w.name) {
            None => {
                order.insert(i, &w.name);
                out.push(TableChange::AddColumn {
                    column: w.clone(),
                    position: after(&want.columns, i),
                });
            }
            Some(h) => {
                let moved = !order[i].eq_ignore_ascii_case(&w.name);
                if moved {
                    order.retain(|n| !n.eq_ignore_ascii_case(&w.name));
                    order.insert(i, &w.name);
                }
                if moved || h != w {
                    out.push(TableChange::ModifyColumn {
                        from: h.clone(),
                        to: w.clone(),
                        position: moved.then(|| after(&want.columns, i)),
                    });
                }
            }
        }
    }
    for ix in &want.indexes {
        if have.index(&ix.name) != Some(ix) {
            out.push(TableChange::AddIndex { index: ix.clone() });
        }
    }
    for ch in &want.checks {
        if have.checks.iter().find(|c| c.name == ch.name) != Some(ch) {
            out.push(TableChange::AddCheck { check: ch.clone() });
        }
    }
    for fk in &want.foreign_keys {
        match have.foreign_keys.iter().find(|f| f.name == fk.name) {
            Some(h) if h.same_effect(fk) => {}
            _ => out.push(TableChange::AddForeignKey { fk: fk.clone() }),
        }
    }
    if have.options.unpartitioned() != want.options.unpartitioned() {
        out.push(TableChange::Options {
            from: have.options.unpartitioned(),
            to: want.options.unpartitioned(),
        });
    }
    if have.periods != want.periods {
        out.push(TableChange::Periods {
            from: have.periods.clone(),
            to: want.periods.clone(),
        });
    }
    if have.options.partitioning != want.options.partitioning {
        out.push(TableChange::Partitioning {
            from: have.options.partitioning.as_deref().cloned(),
            to: want.options.partitioning.as_deref().cloned(),
        });
    }
    // After the partitioning: history partitions go before versioning does.
    if have.system_versioned != want.system_versioned {
        out.push(TableChange::SystemVersioning {
            to: want.system_versioned,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flavor::Flavor;
    use crate::model::normalize::schema_of;

    fn schema(ddl: &str) -> Schema {
        schema_of(ddl, Flavor::DEFAULT)
    }

    fn table_changes(current: &str, desired: &str) -> Vec<TableChange> {
        match diff(&schema(current), &schema(desired)).as_slice() {
            [Change::AlterTable { changes, .. }] => changes.clone(),
            other => panic!("expected one ALTER, got {other:?}"),
        }
    }

    #[test]
    fn same_schema_written_differently_has_no_changes() {
        let a = schema("CREATE TABLE t (id INT PRIMARY KEY, n VARCHAR(10) DEFAULT '' NOT NULL, KEY (n)) ENGINE=innodb");
        let b = schema("create table if not exists `t` (`id` int(11) NOT NULL, `n` varchar(10) NOT NULL DEFAULT '', PRIMARY KEY (`id`), KEY `n` (`n`)) DEFAULT CHARSET=utf8mb4");
        assert_eq!(diff(&a, &b), vec![]);
    }

    #[test]
    fn missing_and_extra_tables_and_views() {
        let cur = schema("CREATE TABLE a (x int); CREATE TABLE old (x int); CREATE VIEW v_old AS SELECT x FROM a;");
        let want = schema("CREATE TABLE a (x int); CREATE TABLE outbox (id int); CREATE VIEW v AS SELECT x FROM a;");
        let kinds: Vec<String> = diff(&cur, &want)
            .iter()
            .map(|c| match c {
                Change::CreateTable { table } => format!("+table {}", table.name),
                Change::DropTable { table } => format!("-table {}", table.name),
                Change::CreateView { view } => format!("+view {}", view.name),
                Change::DropView { view } => format!("-view {}", view.name),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(
            kinds,
            vec!["+table outbox", "-table old", "+view v", "-view v_old"]
        );
    }

    #[test]
    fn added_column_gets_its_canonical_position() {
        let ch = table_changes(
            "CREATE TABLE t (a int, c int)",
            "CREATE TABLE t (a int, b int, c int)",
        );
        assert!(
            matches!(&ch[..], [TableChange::AddColumn { column, position: Position::After(p) }] if column.name == "b" && p == "a")
        );
        let first = table_changes("CREATE TABLE t (a int)", "CREATE TABLE t (z int, a int)");
        assert!(matches!(
            &first[..],
            [TableChange::AddColumn {
                position: Position::First,
                ..
            }]
        ));
    }

    #[test]
    fn moved_column_is_a_modify_with_position() {
        let ch = table_changes(
            "CREATE TABLE t (a int, b int, c int)",
            "CREATE TABLE t (a int, c int, b int)",
        );
        assert_eq!(ch.len(), 1, "{ch:?}");
        assert!(
            matches!(&ch[0], TableChange::ModifyColumn { to, position: Some(Position::After(p)), .. } if to.name == "c" && p == "a")
        );
    }

    #[test]
    fn changed_column_index_fk_check_and_options() {
        let ch = table_changes(
            "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE t (id int PRIMARY KEY, a int, b varchar(5), KEY ka (a), CONSTRAINT f FOREIGN KEY (a) REFERENCES p(id), CONSTRAINT c CHECK (a > 0)) COMMENT 'x'",
            "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE t (id int PRIMARY KEY, a int, b varchar(9), KEY ka (a, b), CONSTRAINT f FOREIGN KEY (a) REFERENCES p(id) ON DELETE CASCADE, CONSTRAINT c CHECK (a > 1)) COMMENT 'y'",
        );
        let tags: Vec<&str> = ch
            .iter()
            .map(|c| match c {
                TableChange::DropForeignKey { .. } => "-fk",
                TableChange::DropIndex { .. } => "-index",
                TableChange::DropCheck { .. } => "-check",
                TableChange::ModifyColumn { .. } => "~column",
                TableChange::AddIndex { .. } => "+index",
                TableChange::AddCheck { .. } => "+check",
                TableChange::AddForeignKey { .. } => "+fk",
                TableChange::Options { .. } => "~options",
                _ => "?",
            })
            .collect();
        assert_eq!(
            tags,
            vec!["-fk", "-index", "-check", "~column", "+index", "+check", "+fk", "~options"]
        );
    }

    #[test]
    fn restrict_and_no_action_are_the_same_foreign_key() {
        let cur = schema("CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE t (a int, CONSTRAINT f FOREIGN KEY (a) REFERENCES p(id) ON DELETE NO ACTION)");
        let want = schema("CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE t (a int, CONSTRAINT f FOREIGN KEY (a) REFERENCES p(id))");
        assert_eq!(diff(&cur, &want), vec![]);
    }

    #[test]
    fn view_definer_is_not_drift_but_query_is() {
        let base = "CREATE TABLE a (x int, y int);";
        let cur = schema(&format!(
            "{base} CREATE DEFINER=`root`@`%` VIEW v AS SELECT x FROM a"
        ));
        let same = schema(&format!(
            "{base} CREATE DEFINER=`app`@`localhost` VIEW v AS select `a`.`x` AS `x` from `a`"
        ));
        assert_eq!(diff(&cur, &same), vec![]);
        let other = schema(&format!("{base} CREATE VIEW v AS SELECT y FROM a"));
        assert!(matches!(
            &diff(&cur, &other)[..],
            [Change::ReplaceView { .. }]
        ));
    }
}
