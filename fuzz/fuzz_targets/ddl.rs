//! The DDL reader on arbitrary text, as canonical files and as dumps, for MariaDB and MySQL:
//! errors are fine, panics, hangs and unbounded memory are not. What it reads is then
//! normalized, diffed against itself and planned, as `canon check` would.
#![no_main]

use canon::flavor::Flavor;
use canon::source::ddl::{Loader, SourceKind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for flavor in ["mariadb-10.11", "mysql-8.0"] {
        let flavor: Flavor = flavor.parse().unwrap();
        for kind in [SourceKind::Schema, SourceKind::Dump] {
            let mut loader = Loader::new(flavor);
            if loader.load_text("fuzz.sql", text.to_string(), kind).is_err() {
                continue;
            }
            let mut schema = loader.finish().schema;
            if canon::model::normalize::normalize(&mut schema, flavor).is_err() {
                continue;
            }
            let empty = canon::model::Schema::default();
            let changes = canon::diff::diff(&empty, &schema);
            let _ = canon::plan::plan(&empty, &schema, &changes, Default::default());
        }
    }
});
