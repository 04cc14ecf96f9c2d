//! A schema as canonical DDL files: one per table (`tables/NAME.sql`) and view
//! (`views/NAME.sql`), so a team can start `schema/` from a running database. Directories are
//! read in name order, so tables load before views.

use crate::flavor::Flavor;
use crate::model::Schema;
use crate::source::Shown;
use crate::sql::ddl;
use std::collections::BTreeSet;

/// A file name for an object name: characters a file system may not like become `_`, and a
/// clash gets a numeric suffix.
fn file_name(name: &str, taken: &mut BTreeSet<String>) -> String {
    let base: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut candidate = base.clone();
    let mut n = 2;
    while !taken.insert(candidate.to_lowercase()) {
        candidate = format!("{base}_{n}");
        n += 1;
    }
    format!("{candidate}.sql")
}

/// (relative path, content) of every file.
pub fn files(schema: &Schema, flavor: Flavor, source: &Shown) -> Vec<(String, String)> {
    let header = format!("-- written by `canon dump` from {source} ({flavor})\n");
    let mut out = Vec::new();
    let mut taken = BTreeSet::new();
    for t in schema.tables.values() {
        let body = ddl::create_table(t, flavor);
        // Files load one at a time in name order; a foreign key may point at a later one.
        let fk = if t.foreign_keys.is_empty() {
            ""
        } else {
            "SET FOREIGN_KEY_CHECKS=0;\n"
        };
        out.push((
            format!("tables/{}", file_name(&t.name, &mut taken)),
            format!("{header}{fk}{body};\n"),
        ));
    }
    let mut taken = BTreeSet::new();
    for s in schema.sequences.values() {
        let body = crate::sql::sequence::create_sequence(s);
        out.push((
            format!("sequences/{}", file_name(&s.name, &mut taken)),
            format!("{header}{body};\n"),
        ));
    }
    let mut taken = BTreeSet::new();
    for v in schema.views.values() {
        let body = ddl::create_view(v, false);
        out.push((
            format!("views/{}", file_name(&v.name, &mut taken)),
            format!("{header}{body};\n"),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_and_unique() {
        let mut taken = BTreeSet::new();
        assert_eq!(file_name("orders", &mut taken), "orders.sql");
        assert_eq!(file_name("../etc/passwd", &mut taken), "___etc_passwd.sql");
        assert_eq!(
            file_name("Orders", &mut taken),
            "Orders_2.sql",
            "case-insensitive file systems"
        );
        assert_eq!(file_name("pedidos_año", &mut taken), "pedidos_año.sql");
    }
}
