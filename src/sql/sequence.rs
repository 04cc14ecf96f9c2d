//! MariaDB sequences as SQL: `SHOW CREATE SEQUENCE`'s form and the `ALTER SEQUENCE` of a plan.

use super::ddl::table_options;
use super::quote::ident;
use crate::model::Sequence;

/// A sequence's options as `SHOW CREATE SEQUENCE` prints them, after its name.
fn sequence_options(s: &Sequence) -> String {
    let cache = match s.cache {
        0 => "nocache".to_string(),
        n => format!("cache {n}"),
    };
    format!(
        "start with {} minvalue {} maxvalue {} increment by {} {cache} {}",
        s.start,
        s.min,
        s.max,
        s.increment,
        if s.cycle { "cycle" } else { "nocycle" }
    )
}

/// `CREATE SEQUENCE` exactly as `SHOW CREATE SEQUENCE` prints it (MariaDB 10.11).
pub fn create_sequence(s: &Sequence) -> String {
    format!(
        "CREATE SEQUENCE {} {} {}",
        ident(&s.name),
        sequence_options(s),
        table_options(&s.options)
    )
    .trim_end()
    .to_string()
}

/// `ALTER SEQUENCE` setting every option to the sequence's (the next value stays).
pub fn alter_sequence(s: &Sequence) -> String {
    format!("ALTER SEQUENCE {} {}", ident(&s.name), sequence_options(s))
}
