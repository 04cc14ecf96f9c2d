//! One row of an introspection answer, read by its column alias: a live row, or a recorded
//! one (the tests of the MySQL paths read recorded answers).

use mysql_async::Row;

/// A row whose columns are read by alias.
pub(super) trait Record {
    /// The column as text, whatever type the server sent it as; SQL NULL is None.
    fn field(&self, col: &str) -> Option<String>;
}

impl Record for Row {
    fn field(&self, col: &str) -> Option<String> {
        use mysql_async::Value;
        match self.get_opt::<Value, _>(col)?.ok()? {
            Value::NULL => None,
            Value::Bytes(b) => Some(String::from_utf8_lossy(&b).into_owned()),
            Value::Int(i) => Some(i.to_string()),
            Value::UInt(u) => Some(u.to_string()),
            other => Some(other.as_sql(true).trim_matches('\'').to_string()),
        }
    }
}

pub(super) fn must(row: &impl Record, col: &str) -> String {
    row.field(col).unwrap_or_default()
}

/// An expression column (generation, check, functional index, default): MySQL 8 shows its
/// data dictionary's text, where quotes and backslashes inside string literals are
/// escaped (`_utf8mb4\\'@\\'`); `SHOW CREATE TABLE` prints them plain.
pub(super) fn expression(row: &impl Record, col: &str, mariadb: bool) -> Option<String> {
    let text = row.field(col)?;
    if mariadb || !text.contains("\\'") {
        return Some(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (c, chars.clone().next()) {
            ('\\', Some(next @ ('\'' | '\\'))) => {
                out.push(next);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    Some(out)
}
