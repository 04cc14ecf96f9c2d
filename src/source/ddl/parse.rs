//! canon's grammar for the structure of schema statements. sqlparser's CREATE TABLE parser
//! drops or rejects clauses real servers print, so structure is parsed here and only
//! expressions and view queries go to sqlparser. Anything not understood is an error.

use super::alter::merge_options;
use super::alter_table::alter_op;
pub use super::alter_table::AlterOp;
use super::column::column_def;
use super::cursor::{end, online_hints, Cursor, PResult, SpanError};
pub use super::defaults::default_text;
use super::keys::{constraint_or_key, index_rest, index_using, Element};
use super::options::table_options;
use super::program::{create_program, definer, drop_program, program_kind, Program};
use super::program_clauses::{alter_program, Change};
use super::sequence::{create_sequence, sequence_options};
pub use super::types::column_type_text;
use super::versioning;
use super::view::create_view;
use crate::flavor::{canonical_charset_name, Flavor};
use crate::model::*;
use sqlparser::tokenizer::Token;

pub enum Stmt {
    CreateTable {
        table: Table,
        if_not_exists: bool,
        or_replace: bool,
        /// (column, or None for the table; the old name; keep-compat-view)
        renamed: Vec<Renamed>,
    },
    CreateView {
        view: View,
        or_replace: bool,
    },
    Alter {
        table: String,
        ops: Vec<AlterOp>,
    },
    DropTables {
        names: Vec<String>,
        if_exists: bool,
    },
    DropViews {
        names: Vec<String>,
        if_exists: bool,
    },
    CreateSequence {
        sequence: Sequence,
        if_not_exists: bool,
        or_replace: bool,
    },
    AlterSequence {
        name: String,
        options: SequenceOptions,
        if_exists: bool,
    },
    DropSequences {
        names: Vec<String>,
        if_exists: bool,
    },
    Database {
        charset: Option<String>,
        collation: Option<String>,
    },
    /// A trigger, procedure, function or event (source/ddl/program.rs).
    CreateProgram {
        program: Box<Program>,
        or_replace: bool,
        if_not_exists: bool,
    },
    AlterProgram {
        kind: ProgramKind,
        name: String,
        changes: Vec<Change>,
    },
    DropProgram {
        kind: ProgramKind,
        name: String,
        if_exists: bool,
    },
    /// `CREATE TEMPORARY TABLE`: a session's object, not schema. Its body is read with the
    /// table grammar (the printed reader renders it back); a loader skips it.
    Temporary {
        table: Result<Table, SpanError>,
    },
    /// A table written with a feature canon does not model: refused by name.
    Refused {
        name: String,
        feature: &'static str,
        reason: String,
    },
    /// SET, USE, LOCK TABLES, ...: no effect on the schema.
    Session,
    /// INSERT, UPDATE, GRANT, ...: not a schema definition.
    Data {
        verb: String,
    },
}

const DATA_VERBS: &[&str] = &[
    "INSERT",
    "REPLACE",
    "UPDATE",
    "DELETE",
    "TRUNCATE",
    "GRANT",
    "REVOKE",
    "CALL",
    "LOAD",
    "SELECT",
    "DO",
    "HANDLER",
    "RENAME",
    "FLUSH",
    "OPTIMIZE",
    "ANALYZE",
    "REPAIR",
    "INSTALL",
    "KILL",
    "SHUTDOWN",
    "PREPARE",
    "EXECUTE",
    "DEALLOCATE",
];
const SESSION_VERBS: &[&str] = &[
    "SET",
    "USE",
    "LOCK",
    "UNLOCK",
    "START",
    "BEGIN",
    "COMMIT",
    "ROLLBACK",
    "SAVEPOINT",
];

/// A `-- canon: renamed from OLD [keep-compat-view]` note on a table or column definition.
#[derive(Debug, Clone, PartialEq)]
pub struct Renamed {
    pub column: Option<String>,
    pub from: String,
    pub keep_compat_view: bool,
}

fn renamed(
    c: &Cursor,
    first: usize,
    last: usize,
    column: Option<&str>,
) -> PResult<Option<Renamed>> {
    let Some(note) = c
        .notes(first, last)
        .into_iter()
        .find_map(|n| n.strip_prefix("renamed from"))
    else {
        return Ok(None);
    };
    let mut words = note.split_whitespace();
    let from = words.next().unwrap_or("").trim_matches('`').to_string();
    let mut keep_compat_view = false;
    for w in words {
        match w {
            "keep-compat-view" if column.is_none() => keep_compat_view = true,
            other => {
                return Err(c.error_over(
                    first,
                    last + 1 - first,
                    format!("unknown word `{other}` in a `canon: renamed from` note: it takes a name, and keep-compat-view on a table"),
                ))
            }
        }
    }
    if from.is_empty() {
        return Err(c.error_over(
            first,
            last + 1 - first,
            "a `canon: renamed from` note needs the old name",
        ));
    }
    Ok(Some(Renamed {
        column: column.map(str::to_string),
        from,
        keep_compat_view,
    }))
}

pub fn statement(c: &mut Cursor, flavor: Flavor) -> PResult<Stmt> {
    let verb = match c.peek() {
        Token::Word(w) if w.quote_style.is_none() => w.value.to_ascii_uppercase(),
        _ => return c.error("expected a statement here"),
    };
    match verb.as_str() {
        "CREATE" => {
            c.advance();
            create(c, flavor)
        }
        "ALTER" => {
            c.advance();
            alter(c, flavor)
        }
        "DROP" => {
            c.advance();
            drop(c)
        }
        v if SESSION_VERBS.contains(&v) => Ok(Stmt::Session),
        v if DATA_VERBS.contains(&v) => Ok(Stmt::Data { verb: verb.clone() }),
        _ => c.error(format!("`{verb}` is not a statement canon understands")),
    }
}

fn create(c: &mut Cursor, flavor: Flavor) -> PResult<Stmt> {
    let or_replace = c.eat_kws(&["OR", "REPLACE"]);
    let mut algorithm = ViewAlgorithm::Undefined;
    let mut security = ViewSecurity::Definer;
    let mut program_definer = None;
    loop {
        if c.eat_kw("ALGORITHM") {
            c.eat_equals();
            algorithm = match c.ident()?.to_ascii_uppercase().as_str() {
                "UNDEFINED" => ViewAlgorithm::Undefined,
                "MERGE" => ViewAlgorithm::Merge,
                "TEMPTABLE" => ViewAlgorithm::Temptable,
                other => return c.error(format!("unknown view algorithm `{other}`")),
            };
        } else if c.eat_kw("DEFINER") {
            // A view's definer is who created it, not part of its schema; a program keeps it.
            program_definer = definer(c)?;
        } else if c.eat_kws(&["SQL", "SECURITY"]) {
            security = match c.ident()?.to_ascii_uppercase().as_str() {
                "DEFINER" => ViewSecurity::Definer,
                "INVOKER" => ViewSecurity::Invoker,
                other => return c.error(format!("unknown SQL SECURITY `{other}`")),
            };
        } else {
            break;
        }
    }
    if c.eat_kw("TEMPORARY") {
        if c.eat_kw("SEQUENCE") {
            // A session's sequence: as little schema as a temporary table.
            c.rest();
            return Ok(Stmt::Session);
        }
        c.expect_kw("TABLE")?;
        c.eat_kws(&["IF", "NOT", "EXISTS"]);
        let name = c.ident()?;
        let table = create_table(c, name, flavor).map(|(table, _)| table);
        c.rest();
        return Ok(Stmt::Temporary { table });
    }
    if c.eat_kw("SEQUENCE") {
        let if_not_exists = c.eat_kws(&["IF", "NOT", "EXISTS"]);
        let name = c.ident()?;
        let sequence = create_sequence(c, name)?;
        end(c)?;
        return Ok(Stmt::CreateSequence {
            sequence,
            if_not_exists,
            or_replace,
        });
    }
    if c.eat_kw("TABLE") {
        let if_not_exists = c.eat_kws(&["IF", "NOT", "EXISTS"]);
        let name = c.ident()?;
        return match create_table(c, name.clone(), flavor) {
            Ok((table, renamed)) => Ok(Stmt::CreateTable {
                table,
                if_not_exists,
                or_replace,
                renamed,
            }),
            Err(SpanError {
                unsupported: Some(feature),
                message,
                ..
            }) => {
                c.rest();
                Ok(Stmt::Refused {
                    name,
                    feature,
                    reason: message,
                })
            }
            Err(e) => Err(e),
        };
    }
    if c.eat_kw("VIEW") {
        let view = create_view(c, algorithm, security)?;
        return Ok(Stmt::CreateView { view, or_replace });
    }
    let kind = if c.eat_kw("UNIQUE") {
        Some(IndexKind::Unique)
    } else if c.eat_kw("FULLTEXT") {
        Some(IndexKind::Fulltext)
    } else if c.eat_kw("SPATIAL") {
        Some(IndexKind::Spatial)
    } else {
        None
    };
    if c.eat_kw("INDEX") {
        c.eat_kws(&["IF", "NOT", "EXISTS"]);
        let name = c.ident()?;
        let using = index_using(c)?;
        c.expect_kw("ON")?;
        let table = c.ident()?;
        let mut index = index_rest(c, kind.unwrap_or(IndexKind::Key), name)?;
        index.using = index.using.or(using);
        online_hints(c)?;
        end(c)?;
        return Ok(Stmt::Alter {
            table,
            ops: vec![AlterOp::AddIndex(index)],
        });
    }
    if kind.is_some() {
        return c.error("expected INDEX here");
    }
    if c.eat_kw("DATABASE") || c.eat_kw("SCHEMA") {
        c.eat_kws(&["IF", "NOT", "EXISTS"]);
        c.ident()?;
        return database_options(c);
    }
    if let Some(kind) = program_kind(c)? {
        return create_program(c, kind, or_replace, program_definer, flavor);
    }
    c.error(format!(
        "expected TABLE, VIEW, INDEX, DATABASE, TRIGGER, PROCEDURE, FUNCTION or EVENT after CREATE, found {}",
        c.describe()
    ))
}

fn database_options(c: &mut Cursor) -> PResult<Stmt> {
    let (mut charset, mut collation) = (None, None);
    while !c.at_end() {
        c.eat_kw("DEFAULT");
        if c.eat_kw("CHARSET") || c.eat_kws(&["CHARACTER", "SET"]) {
            c.eat_equals();
            charset = Some(canonical_charset_name(&c.word_or_string()?));
        } else if c.eat_kw("COLLATE") {
            c.eat_equals();
            collation = Some(canonical_charset_name(&c.word_or_string()?));
        } else if c.eat_kw("COMMENT") {
            c.eat_equals();
            c.string()?;
        } else {
            return c.error(format!("unknown database option {}", c.describe()));
        }
    }
    Ok(Stmt::Database { charset, collation })
}

fn create_table(c: &mut Cursor, name: String, flavor: Flavor) -> PResult<(Table, Vec<Renamed>)> {
    let mut table = Table::new(name);
    if c.is_kw("LIKE") || c.is_kw("AS") || c.is_kw("SELECT") {
        return c.error("CREATE TABLE ... LIKE / AS SELECT is not a definition canon can read");
    }
    let mut notes: Vec<Renamed> = renamed(c, 0, c.position(), None)?.into_iter().collect();
    c.expect(&Token::LParen)?;
    let mut versioning = Versioning::default();
    loop {
        let first = c.position();
        let columns = table.columns.len();
        table_element(c, flavor, &mut table, &mut versioning)?;
        if let Some(col) = table.columns.get(columns) {
            notes.extend(renamed(c, first, c.position() - 1, Some(&col.name))?);
        }
        if c.eat(&Token::Comma) {
            continue;
        }
        c.expect(&Token::RParen)?;
        break;
    }
    let (mut options, _) = table_options(c)?;
    if c.eat_kws(&["WITH", "SYSTEM", "VERSIONING"]) {
        table.system_versioned = true;
        let (mut more, _) = table_options(c)?;
        options.partitioning = more.partitioning.take().or(options.partitioning);
        merge_options(&mut options, more);
    }
    table.options = options;
    versioning::finish(c, &mut table, versioning.period, &versioning.columns)?;
    end(c)?;
    table.shrink_to_fit();
    Ok((table, notes))
}

/// What a CREATE TABLE's elements say of system versioning (`versioning.rs` checks it).
#[derive(Default)]
struct Versioning {
    period: Option<(String, String)>,
    /// Columns written `WITH SYSTEM VERSIONING`.
    columns: Vec<String>,
}

fn table_element(
    c: &mut Cursor,
    flavor: Flavor,
    table: &mut Table,
    versioning: &mut Versioning,
) -> PResult<()> {
    if c.is_kw("PERIOD") && c.is_kw_at(1, "FOR") {
        if c.is_kw_at(2, "SYSTEM_TIME") {
            c.advance();
            c.advance();
            c.advance();
            versioning.period = Some(versioning::period(c)?);
            return Ok(());
        }
        c.advance();
        c.advance();
        let name = c.ident()?;
        let columns = c.ident_list()?;
        let [start, end] = <[String; 2]>::try_from(columns)
            .map_err(|_| c.error_here("a period names its start and end columns"))?;
        table.periods.push(Period { name, start, end });
        return Ok(());
    }
    match constraint_or_key(c)? {
        Some(Element::Index(i)) => table.indexes.push(i),
        Some(Element::ForeignKey(f)) => table.foreign_keys.push(f),
        Some(Element::Check(ch)) => table.checks.push(ch),
        None => {
            let (column, inline) = column_def(c, flavor)?;
            if table.column(&column.name).is_some() {
                return c.error(format!("column `{}` is defined twice", column.name));
            }
            if inline.versioned {
                versioning.columns.push(column.name.clone());
            }
            table.columns.push(column);
            table.indexes.extend(inline.indexes);
            table.foreign_keys.extend(inline.foreign_keys);
        }
    }
    Ok(())
}

fn alter(c: &mut Cursor, flavor: Flavor) -> PResult<Stmt> {
    if c.eat_kw("DATABASE") || c.eat_kw("SCHEMA") {
        if !(c.is_kw("DEFAULT") || c.is_kw("CHARACTER") || c.is_kw("CHARSET") || c.is_kw("COLLATE"))
        {
            c.ident()?;
        }
        return database_options(c);
    }
    let program_definer = if c.eat_kw("DEFINER") {
        definer(c)?
    } else {
        None
    };
    if let Some(kind) = program_kind(c)? {
        return alter_program(c, kind, program_definer);
    }
    if c.eat_kw("SEQUENCE") {
        let if_exists = c.eat_kws(&["IF", "EXISTS"]);
        let name = c.ident()?;
        let options = sequence_options(c)?;
        end(c)?;
        return Ok(Stmt::AlterSequence {
            name,
            options,
            if_exists,
        });
    }
    c.eat_kw("ONLINE");
    c.eat_kw("IGNORE");
    c.expect_kw("TABLE")?;
    let table = c.ident()?;
    let mut ops = Vec::new();
    loop {
        if let Some(op) = alter_op(c, flavor)? {
            ops.push(op);
        }
        if !c.eat(&Token::Comma) {
            break;
        }
    }
    end(c)?;
    Ok(Stmt::Alter { table, ops })
}

fn drop(c: &mut Cursor) -> PResult<Stmt> {
    if c.eat_kw("TEMPORARY") {
        // A session's table: never one of the schema's, even under the same name.
        c.rest();
        return Ok(Stmt::Session);
    }
    if c.eat_kw("SEQUENCE") {
        let if_exists = c.eat_kws(&["IF", "EXISTS"]);
        let names = names(c)?;
        end(c)?;
        return Ok(Stmt::DropSequences { names, if_exists });
    }
    let table = c.eat_kw("TABLE");
    let view = !table && c.eat_kw("VIEW");
    if !table && !view {
        if c.eat_kw("INDEX") {
            c.eat_kws(&["IF", "EXISTS"]);
            let name = c.ident()?;
            c.expect_kw("ON")?;
            let table = c.ident()?;
            online_hints(c)?;
            end(c)?;
            return Ok(Stmt::Alter {
                table,
                ops: vec![AlterOp::DropIndex(name)],
            });
        }
        if let Some(kind) = program_kind(c)? {
            return drop_program(c, kind);
        }
        // DROP DATABASE, DROP SERVER, ...: nothing canon manages.
        c.rest();
        return Ok(Stmt::Session);
    }
    let if_exists = c.eat_kws(&["IF", "EXISTS"]);
    let names = names(c)?;
    let _ = c.eat_kw("CASCADE") || c.eat_kw("RESTRICT");
    end(c)?;
    Ok(if table {
        Stmt::DropTables { names, if_exists }
    } else {
        Stmt::DropViews { names, if_exists }
    })
}

/// `a, b, c`: the names a DROP lists.
fn names(c: &mut Cursor) -> PResult<Vec<String>> {
    let mut names = vec![c.ident()?];
    while c.eat(&Token::Comma) {
        names.push(c.ident()?);
    }
    Ok(names)
}
