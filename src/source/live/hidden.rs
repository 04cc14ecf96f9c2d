//! What the server hides from a user without enough privileges, found in its answers: a view
//! whose query reads as empty, a foreign key without its rules. MariaDB shows a view's query
//! and, to a user with nothing but SELECT, the foreign keys' rules only with SHOW VIEW (or a
//! privilege beyond SELECT); read as they come, they would be "unreadable" views and false
//! drift. Named instead, with the grant that shows them.

use super::record::{must, MissingColumn, Record};
use std::collections::BTreeSet;

/// The objects whose definition the server kept from this user, in words; None when nothing.
pub(super) fn hidden<R: Record>(
    views: &[R],
    fk_cols: &[R],
    fk_rules: &[R],
) -> Result<Option<String>, MissingColumn> {
    let mut empty_views = BTreeSet::new();
    for r in views {
        if must(r, "definition")?.trim().is_empty() {
            empty_views.insert(format!("`{}`", must(r, "name")?));
        }
    }
    let mut ruled = BTreeSet::new();
    for r in fk_rules {
        ruled.insert((must(r, "table_name")?, must(r, "name")?));
    }
    let mut unruled = BTreeSet::new();
    for r in fk_cols {
        let key = (must(r, "table_name")?, must(r, "name")?);
        if !ruled.contains(&key) {
            unruled.insert(format!("`{}`.`{}`", key.0, key.1));
        }
    }
    let mut parts = Vec::new();
    if !empty_views.is_empty() {
        let list: Vec<String> = empty_views.into_iter().collect();
        parts.push(format!("the queries of view(s) {}", few(list)));
    }
    if !unruled.is_empty() {
        let list: Vec<String> = unruled.into_iter().collect();
        parts.push(format!("the rules of foreign key(s) {}", few(list)));
    }
    Ok((!parts.is_empty()).then(|| parts.join(" and ")))
}

/// The first three names, and how many there are in all when more.
fn few(names: Vec<String>) -> String {
    match names.len() {
        0..=3 => names.join(", "),
        n => format!("{}, ... ({n} in all)", names[..3].join(", ")),
    }
}
