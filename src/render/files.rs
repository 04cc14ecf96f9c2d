//! A schema as canonical DDL files: one per table (`tables/NAME.sql`) and view
//! (`views/NAME.sql`), so a team can start `schema/` from a running database. Directories are
//! read in name order, so tables load before views and triggers (`triggers/TABLE.sql`, a
//! table's triggers in their order). Routines and events are one a file; their definer is left
//! out (whoever loads the files becomes it: it is not drift unless the team pins it).

use crate::flavor::Flavor;
use crate::model::Schema;
use crate::source::Shown;
use crate::sql::ddl;
use crate::sql::program::{self, Head};
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
    programs(schema, &header, &mut out);
    out
}

fn programs(schema: &Schema, header: &str, out: &mut Vec<(String, String)>) {
    let head = Head::default();
    for (dir, routines) in [
        ("procedures", &schema.procedures),
        ("functions", &schema.functions),
    ] {
        let mut taken = BTreeSet::new();
        for r in routines.values() {
            let text = program::delimited(&program::create_routine(r, head));
            out.push((
                format!("{dir}/{}", file_name(&r.name, &mut taken)),
                format!("{header}{text}"),
            ));
        }
    }
    let mut taken = BTreeSet::new();
    for e in schema.events.values() {
        let text = program::delimited(&program::create_event(e, head));
        out.push((
            format!("events/{}", file_name(&e.name, &mut taken)),
            format!("{header}{text}"),
        ));
    }
    // In their order on the server, so that each comes last of its timing and event when
    // created, as it was.
    let mut triggers: Vec<_> = schema.triggers.values().collect();
    triggers.sort_by_key(|t| (&t.table, t.timing, t.event, t.action_order));
    let mut taken = BTreeSet::new();
    for chunk in triggers.chunk_by(|a, b| a.table == b.table) {
        let text: String = (chunk.iter())
            .map(|t| program::delimited(&program::create_trigger(t, head, None)))
            .collect();
        out.push((
            format!("triggers/{}", file_name(&chunk[0].table, &mut taken)),
            format!("{header}{text}"),
        ));
    }
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
