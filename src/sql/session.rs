//! The statements canon runs for itself (not plan steps): the session's sql_mode, and
//! `SHOW CREATE TABLE` in batches.

use super::quote::ident;

/// The statement that leaves [`crate::flavor::NOT_FOR_CANON`] out of the session's sql_mode, for canon's own
/// sessions and at the start of its `mysql` scripts: each flag is removed whole (`,FLAG,`
/// in `,mode,`), so `ANSI` goes without touching `ANSI_QUOTES`.
pub fn sql_mode_statement() -> String {
    let mut mode = "CONCAT(',', @@SESSION.sql_mode, ',')".to_string();
    for flag in crate::flavor::NOT_FOR_CANON {
        mode = format!("REPLACE({mode}, ',{flag},', ',')");
    }
    format!("SET SESSION sql_mode = TRIM(BOTH ',' FROM {mode})")
}

/// `SHOW CREATE TABLE` (or `kind` SEQUENCE) of each, as one batch of statements (one round
/// trip).
pub fn show_create(kind: &str, names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("SHOW CREATE {kind} {};", ident(n)))
        .collect()
}

/// `SELECT column FROM table`, both quoted.
pub fn select_column(table: &str, column: &str) -> String {
    format!("SELECT {} FROM {}", ident(column), ident(table))
}
