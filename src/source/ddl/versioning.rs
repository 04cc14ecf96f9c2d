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
            col.unversioned = !with_columns.iter().any(|n| n.eq_ignore_ascii_case(&col.name));
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
