//! What the server hides from a user without enough privileges, found in its answers: a view
//! whose query reads as empty. MariaDB shows a view's query only with SHOW VIEW; read as it
//! comes, it would be an "unreadable" view and false drift. Named instead, with the grant
//! that shows it. (Tables are read from SHOW CREATE TABLE, which any privilege on a table
//! shows in full, foreign keys' rules included.)

use super::record::{must, MissingColumn, Record};

/// The views whose query the server kept from this user, in words; None when none.
pub(super) fn hidden<R: Record>(views: &[R]) -> Result<Option<String>, MissingColumn> {
    let mut empty_views = Vec::new();
    for r in views {
        if must(r, "definition")?.trim().is_empty() {
            empty_views.push(format!("`{}`", must(r, "name")?));
        }
    }
    empty_views.sort();
    Ok((!empty_views.is_empty()).then(|| format!("the queries of view(s) {}", few(empty_views))))
}

/// The first three names, and how many there are in all when more.
fn few(names: Vec<String>) -> String {
    match names.len() {
        0..=3 => names.join(", "),
        n => format!("{}, ... ({n} in all)", names[..3].join(", ")),
    }
}
