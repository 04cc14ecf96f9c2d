//! What the server hides from a user without enough privileges, found in its answers: a view
//! whose query reads as empty, a foreign key without its rules. MariaDB shows a view's query
//! and, to a user with nothing but SELECT, the foreign keys' rules only with SHOW VIEW (or a
//! privilege beyond SELECT); read as they come, they would be "unreadable" views and false
//! drift. Named instead, with the grant that shows them.

use super::record::Record;
use std::collections::BTreeSet;

/// The objects whose definition the server kept from this user, in words; None when nothing.
pub(super) fn hidden<R: Record>(views: &[R], fk_cols: &[R], fk_rules: &[R]) -> Option<String> {
    let field = |r: &R, c: &str| r.field(c).unwrap_or_default();
    let empty_views: BTreeSet<String> = views
        .iter()
        .filter(|r| field(r, "definition").trim().is_empty())
        .map(|r| format!("`{}`", field(r, "name")))
        .collect();
    let ruled: BTreeSet<(String, String)> = fk_rules
        .iter()
        .map(|r| (field(r, "table_name"), field(r, "name")))
        .collect();
    let unruled: BTreeSet<String> = fk_cols
        .iter()
        .map(|r| (field(r, "table_name"), field(r, "name")))
        .filter(|key| !ruled.contains(key))
        .map(|(t, n)| format!("`{t}`.`{n}`"))
        .collect();
    let mut parts = Vec::new();
    if !empty_views.is_empty() {
        let list: Vec<String> = empty_views.into_iter().collect();
        parts.push(format!("the queries of view(s) {}", few(list)));
    }
    if !unruled.is_empty() {
        let list: Vec<String> = unruled.into_iter().collect();
        parts.push(format!("the rules of foreign key(s) {}", few(list)));
    }
    (!parts.is_empty()).then(|| parts.join(" and "))
}

/// The first three names, and how many there are in all when more.
fn few(names: Vec<String>) -> String {
    match names.len() {
        0..=3 => names.join(", "),
        n => format!("{}, ... ({n} in all)", names[..3].join(", ")),
    }
}
