//! One row of an introspection answer, read by its column alias: a live row, or a recorded
//! one (the tests of the MySQL paths read recorded answers).

use mysql_async::Row;

/// A row whose columns are read by alias.
pub(super) trait Record {
    /// The column as text, whatever type the server sent it as: None when the answer has no
    /// such column, Some(None) for SQL NULL.
    fn cell(&self, col: &str) -> Option<Option<String>>;

    /// The column, insisting it is there (a query and its reader must agree on the alias);
    /// SQL NULL is None.
    fn field(&self, col: &str) -> Result<Option<String>, MissingColumn> {
        self.cell(col).ok_or_else(|| MissingColumn(col.to_string()))
    }
}

/// A column an introspection reader asked for and its query does not return: a bug in canon,
/// never read as empty (every table would then read as "not a base table").
#[derive(Debug, thiserror::Error)]
#[error("an introspection query returned no column `{0}` (a bug in canon: please report it)")]
pub struct MissingColumn(pub String);

impl Record for Row {
    fn cell(&self, col: &str) -> Option<Option<String>> {
        use mysql_async::Value;
        Some(match self.get_opt::<Value, _>(col)?.ok()? {
            Value::NULL => None,
            Value::Bytes(b) => Some(String::from_utf8_lossy(&b).into_owned()),
            Value::Int(i) => Some(i.to_string()),
            Value::UInt(u) => Some(u.to_string()),
            other => Some(other.as_sql(true).trim_matches('\'').to_string()),
        })
    }
}

/// The column's text, SQL NULL as empty; Err when the answer has no such column.
pub(super) fn must(row: &impl Record, col: &str) -> Result<String, MissingColumn> {
    Ok(row.field(col)?.unwrap_or_default())
}
