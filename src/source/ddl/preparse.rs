//! CREATE TABLE statements parsed on one worker per core before the loader applies every
//! statement in file order: tokenizing and parsing are most of reading a large schema, and
//! a CREATE TABLE's parse depends on nothing read before it (only the flavor). Errors stay
//! in order: each statement's parse, or its error, is taken up when its turn comes.

use super::cursor::{Cursor, PResult};
use super::parse::{self, Stmt};
use super::skip;
use super::split::Statement;
use crate::flavor::Flavor;

/// A statement tokenized and parsed ahead of its turn.
pub(super) struct Preparsed {
    pub cursor: Cursor,
    /// What the statement is, for the count of skipped statements.
    pub label: String,
    pub parsed: PResult<Stmt>,
}

/// Below this many statements a batch is parsed in turn: workers would cost more.
const PARALLEL_FROM: usize = 64;

/// Each statement's parse when it is a plain CREATE TABLE, in order; None for the others,
/// which the loader reads in turn (their reading may depend on what came before).
pub(super) fn preparse(batch: &[Statement], flavor: Flavor) -> Vec<Option<PResult<Preparsed>>> {
    let tables = batch.iter().filter(|s| create_table(s)).count();
    if tables < PARALLEL_FROM || crate::parallel::workers() == 1 {
        return batch.iter().map(|_| None).collect();
    }
    crate::parallel::map(batch, |stmt| create_table(stmt).then(|| one(stmt, flavor)))
        // A parser that panics is a bug, as it would be read in turn.
        .unwrap_or_else(|e| std::panic::resume_unwind(e))
}

fn one(stmt: &Statement, flavor: Flavor) -> PResult<Preparsed> {
    let mut cursor = Cursor::new(&stmt.text)?;
    let label = skip::label(&cursor);
    let parsed = parse::statement(&mut cursor, flavor);
    Ok(Preparsed {
        cursor,
        label,
        parsed,
    })
}

/// `CREATE TABLE` (not TEMPORARY, not a client command or bulk data), by its first words.
fn create_table(stmt: &Statement) -> bool {
    if stmt.bulk.is_some() || stmt.source.is_some() {
        return false;
    }
    let mut words = stmt.text.split_ascii_whitespace();
    words
        .next()
        .is_some_and(|w| w.eq_ignore_ascii_case("CREATE"))
        && words
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case("TABLE"))
}

#[cfg(test)]
mod tests {
    use super::super::{parse_text, LoadError, SourceKind};
    use crate::flavor::Flavor;

    /// 200 tables, every 10th altered by the statement after it (which must see it), and a
    /// view over the last: enough CREATE TABLEs to be parsed ahead.
    fn file() -> String {
        let mut ddl = String::new();
        for i in 0..200 {
            ddl.push_str(&format!(
                "CREATE TABLE t{i} (id int PRIMARY KEY, v varchar({}) NOT NULL);\n",
                i + 1
            ));
            if i % 10 == 0 {
                ddl.push_str(&format!("ALTER TABLE t{i} ADD COLUMN w int;\n"));
            }
        }
        ddl + "CREATE VIEW v AS SELECT id FROM t199;\n"
    }

    #[test]
    fn tables_parsed_ahead_read_as_one_statement_at_a_time() {
        let whole = parse_text("f.sql", &file(), SourceKind::Schema, Flavor::DEFAULT).unwrap();
        // Each statement alone is below the threshold: read in turn.
        let mut one_by_one = super::super::Loader::new(Flavor::DEFAULT);
        for stmt in file().split_inclusive(";\n") {
            one_by_one
                .load_text("f.sql", stmt.to_string(), SourceKind::Schema)
                .unwrap();
        }
        let one_by_one = one_by_one.finish().schema;
        assert_eq!(whole.schema.tables.len(), 200);
        // Each statement alone starts at line 1: lines aside, the tables are the same.
        let lines = whole
            .schema
            .tables
            .values()
            .filter_map(|t| t.origin.as_ref());
        assert_eq!(lines.map(|o| o.line).max(), Some(220));
        let no_origin = |s: &crate::model::Schema| -> Vec<crate::model::Table> {
            (s.tables.values())
                .map(|t| crate::model::Table {
                    origin: None,
                    ..t.clone()
                })
                .collect()
        };
        assert!(
            no_origin(&whole.schema) == no_origin(&one_by_one),
            "the readings differ"
        );
        assert_eq!(whole.schema.views.len(), 1);
        assert!(whole.schema.tables["t10"].column("w").is_some());
        assert!(whole.schema.tables["t11"].column("w").is_none());
    }

    #[test]
    fn the_first_error_in_file_order_is_the_one_reported() {
        // Two broken tables, and a statement read in turn between them that fails too.
        let ddl = file()
            .replace("CREATE TABLE t150 (id int", "CREATE TABLE t150 (id intt")
            .replace(
                "ALTER TABLE t60 ADD COLUMN w int",
                "ALTER TABLE nope ADD COLUMN w int",
            )
            .replace("CREATE TABLE t40 (id int", "CREATE TABLE t40 (id int,,");
        match parse_text("f.sql", &ddl, SourceKind::Schema, Flavor::DEFAULT) {
            Err(LoadError::Ddl(e)) => {
                let line = ddl.lines().position(|l| l.contains("t40 (")).unwrap() + 1;
                assert_eq!(e.line, line, "{}", e.message);
            }
            other => panic!("{other:?}"),
        }
    }
}
