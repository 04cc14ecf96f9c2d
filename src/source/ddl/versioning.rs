//! System versioning in CREATE TABLE: `PERIOD FOR SYSTEM_TIME`, `WITH SYSTEM VERSIONING` on
//! the table or on columns, and whether what was written is one versioned table.

use super::cursor::{Cursor, PResult};
use crate::model::{RowTime, Table};

/// After `PERIOD FOR SYSTEM_TIME`: the start and end columns, which must be the ones
/// written `AS ROW START` and `AS ROW END` (checked once the table is read).
pub(super) fn period(c: &mut Cursor) -> PResult<(String, String)> {
    let columns = c.ident_list()?;
    <[String; 2]>::try_from(columns)
        .map(|[start, end]| (start, end))
        .map_err(|_| c.error_here("PERIOD FOR SYSTEM_TIME names its start and end columns"))
}

/// The table as the server makes it: versioned when the table or a column says so (a
/// column's `WITH SYSTEM VERSIONING` leaves the columns that do not say it unversioned);
/// row start and end columns, with their period, only in a versioned table.
pub(super) fn finish(
    c: &Cursor,
    table: &mut Table,
    period: Option<(String, String)>,
    with_columns: &[String],
) -> PResult<()> {
    if !with_columns.is_empty() && !table.system_versioned {
        table.system_versioned = true;
        for col in &mut table.columns {
            col.unversioned = !with_columns
                .iter()
                .any(|n| n.eq_ignore_ascii_case(&col.name));
        }
    }
    let bound = |t: RowTime| {
        table
            .columns
            .iter()
            .filter(|col| col.system_time == Some(t))
            .map(|col| col.name.as_str())
            .collect::<Vec<_>>()
    };
    let (starts, ends) = (bound(RowTime::Start), bound(RowTime::End));
    let written = match (&period, starts.as_slice(), ends.as_slice()) {
        (None, [], []) => return Ok(()),
        (Some((s, e)), [start], [end])
            if s.eq_ignore_ascii_case(start) && e.eq_ignore_ascii_case(end) =>
        {
            true
        }
        _ => false,
    };
    if !written {
        return c.error(
            "a system-versioned table's row bounds are one column AS ROW START, one AS ROW END, and PERIOD FOR SYSTEM_TIME (start, end) naming them",
        );
    }
    if !table.system_versioned {
        return c.error("row start and end columns need WITH SYSTEM VERSIONING on the table");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::flavor::Flavor;
    use crate::model::{normalize::schema_of, RowTime};
    use crate::source::ddl::{parse_text, LoadError, SourceKind};

    fn error_of(ddl: &str) -> (usize, String) {
        match parse_text("f.sql", ddl, SourceKind::Schema, Flavor::DEFAULT) {
            Err(LoadError::Ddl(e)) => (e.line, e.message),
            other => panic!("{ddl:?} should be refused, got {other:?}"),
        }
    }

    #[test]
    fn row_bounds_and_versioning_as_the_server_stores_them() {
        let s = schema_of(
            "CREATE TABLE t (id int, s timestamp(6) AS ROW START, e timestamp(6) GENERATED ALWAYS AS ROW END,\n PERIOD FOR SYSTEM_TIME (s, e), PRIMARY KEY (id), UNIQUE (id, s)) WITH SYSTEM VERSIONING;\nCREATE TABLE c (a int WITH SYSTEM VERSIONING, b int);\nCREATE TABLE plain (a int);",
            Flavor::DEFAULT,
        );
        let t = &s.tables["t"];
        assert!(t.system_versioned);
        let (start, end) = (t.column("s").unwrap(), t.column("e").unwrap());
        assert_eq!(
            (start.system_time, end.system_time),
            (Some(RowTime::Start), Some(RowTime::End))
        );
        assert!(!start.nullable && !end.nullable);
        // The row end column ends every primary and unique key naming neither bound, as 10.11
        // prints them: `PRIMARY KEY (`id`,`e`)`, `UNIQUE KEY `id` (`id`,`s`)`.
        let keys: Vec<_> = t.indexes.iter().map(|ix| ix.column_names()).collect();
        assert_eq!(keys, [vec!["id", "e"], vec!["id", "s"]]);
        // A column's WITH SYSTEM VERSIONING versions the table, and that column only.
        let c = &s.tables["c"];
        assert!(c.system_versioned);
        assert!(!c.column("a").unwrap().unversioned && c.column("b").unwrap().unversioned);
        assert!(!s.tables["plain"].system_versioned);
    }

    #[test]
    fn row_bounds_that_do_not_match_are_refused_at_their_table() {
        let (line, message) = error_of("CREATE TABLE ok (a int);\nCREATE TABLE t (a int, s timestamp(6) AS ROW START, e timestamp(6) AS ROW END) WITH SYSTEM VERSIONING;");
        assert_eq!(line, 2);
        assert!(
            message.contains("PERIOD FOR SYSTEM_TIME (start, end)"),
            "{message}"
        );
        let (_, message) = error_of("CREATE TABLE t (a int, s timestamp(6) AS ROW START, e timestamp(6) AS ROW END, PERIOD FOR SYSTEM_TIME (e, s)) WITH SYSTEM VERSIONING;");
        assert!(message.contains("one AS ROW END"), "{message}");
        // MariaDB 10.11: error 4125, "missing 'WITH SYSTEM VERSIONING'".
        let (_, message) = error_of("CREATE TABLE t (a int, s timestamp(6) AS ROW START, e timestamp(6) AS ROW END, PERIOD FOR SYSTEM_TIME (s, e));");
        assert!(message.contains("need WITH SYSTEM VERSIONING"), "{message}");
    }
}
