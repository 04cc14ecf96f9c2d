//! canon's grammar for the structure of schema statements. sqlparser's CREATE TABLE parser
//! drops or rejects clauses real servers print, so structure is parsed here and only
//! expressions and view queries go to sqlparser. Anything not understood is an error.

use super::attributes::attribute;
use super::cursor::{end, paren_expr, Cursor, PResult, SpanError};
pub use super::defaults::default_text;
use super::defaults::{current_timestamp, default_value};
use super::keys::{
    constraint_or_key, foreign_key_rest, index_rest, index_using, not_enforced, Element,
};
use super::partition::partitioning;
use super::sequence::{create_sequence, sequence_options};
use super::types::column_type;
pub use super::types::column_type_text;
use crate::flavor::{canonical_charset_name, Flavor};
use crate::model::*;
use crate::sqlexpr;
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
    Unmanaged {
        kind: &'static str,
        name: String,
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

pub enum AlterOp {
    AddColumn {
        column: Column,
        position: Option<Position>,
        inline: Inline,
    },
    ModifyColumn {
        old_name: String,
        column: Column,
        position: Option<Position>,
    },
    AddIndex(Index),
    AddForeignKey(ForeignKey),
    AddCheck(Check),
    DropColumn(String),
    DropIndex(String),
    DropPrimaryKey,
    DropForeignKey(String),
    DropCheck(String),
    Options(TableOptions),
}

/// Keys and constraints written inside a column definition.
#[derive(Default)]
pub struct Inline {
    pub indexes: Vec<Index>,
    pub foreign_keys: Vec<ForeignKey>,
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
            // The definer is who created it, not part of the schema: skip `user`@`host`.
            c.eat_equals();
            while !c.at_end()
                && ![
                    "SQL",
                    "VIEW",
                    "TRIGGER",
                    "PROCEDURE",
                    "FUNCTION",
                    "EVENT",
                    "AGGREGATE",
                ]
                .iter()
                .any(|k| c.is_kw(k))
            {
                c.advance();
            }
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
    c.eat_kw("AGGREGATE");
    for (kw, kind) in [
        ("TRIGGER", "trigger"),
        ("PROCEDURE", "procedure"),
        ("FUNCTION", "function"),
        ("EVENT", "event"),
    ] {
        if c.eat_kw(kw) {
            c.eat_kws(&["IF", "NOT", "EXISTS"]);
            let name = c.ident()?;
            c.rest();
            return Ok(Stmt::Unmanaged { kind, name });
        }
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

/// `ALGORITHM=INPLACE`, `LOCK=NONE`: how to run a change, not part of the schema.
fn online_hints(c: &mut Cursor) -> PResult<()> {
    while c.is_kw("ALGORITHM") || c.is_kw("LOCK") {
        c.advance();
        c.eat_equals();
        c.ident()?;
    }
    Ok(())
}

fn create_table(c: &mut Cursor, name: String, flavor: Flavor) -> PResult<(Table, Vec<Renamed>)> {
    let mut table = Table::new(name);
    if c.is_kw("LIKE") || c.is_kw("AS") || c.is_kw("SELECT") {
        return c.error("CREATE TABLE ... LIKE / AS SELECT is not a definition canon can read");
    }
    let mut notes: Vec<Renamed> = renamed(c, 0, c.position(), None)?.into_iter().collect();
    c.expect(&Token::LParen)?;
    loop {
        let first = c.position();
        let columns = table.columns.len();
        table_element(c, flavor, &mut table)?;
        if let Some(col) = table.columns.get(columns) {
            notes.extend(renamed(c, first, c.position() - 1, Some(&col.name))?);
        }
        if c.eat(&Token::Comma) {
            continue;
        }
        c.expect(&Token::RParen)?;
        break;
    }
    let (options, _) = table_options(c)?;
    table.options = options;
    end(c)?;
    table.shrink_to_fit();
    Ok((table, notes))
}

fn table_element(c: &mut Cursor, flavor: Flavor, table: &mut Table) -> PResult<()> {
    if c.is_kw("PERIOD") && c.is_kw_at(1, "FOR") {
        if c.is_kw_at(2, "SYSTEM_TIME") {
            return c.refuse(
                "system versioning",
                "system-versioned tables are not modelled yet",
            );
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
            table.columns.push(column);
            table.indexes.extend(inline.indexes);
            table.foreign_keys.extend(inline.foreign_keys);
        }
    }
    Ok(())
}

fn column_def(c: &mut Cursor, flavor: Flavor) -> PResult<(Column, Inline)> {
    let name = c.ident()?;
    let (ty, implied) = column_type(c)?;
    let mut col = Column::new(name, ty);
    let mut inline = Inline::default();
    if let Some(cs) = implied.charset {
        col.charset = Some(cs.to_string());
    }
    if implied.serial {
        serial(&mut col, &mut inline);
    }
    loop {
        if c.eat_kws(&["NOT", "NULL"]) {
            col.nullable = false;
        } else if c.eat_kw("NULL") {
            col.nullable = true;
        } else if c.eat_kw("DEFAULT") {
            col.default = Some(default_value(c)?);
        } else if c.eat_kws(&["ON", "UPDATE"]) {
            col.on_update =
                Some(current_timestamp(c)?.ok_or_else(|| {
                    c.error_here("only CURRENT_TIMESTAMP is allowed in ON UPDATE")
                })?);
        } else if c.eat_kw("AUTO_INCREMENT") {
            col.auto_increment = true;
        } else if c.eat_kws(&["SERIAL", "DEFAULT", "VALUE"]) {
            serial(&mut col, &mut inline);
        } else if c.eat_kw("UNIQUE") {
            c.eat_kw("KEY");
            inline
                .indexes
                .push(single_column_index(IndexKind::Unique, "", &col.name));
        } else if c.eat_kws(&["PRIMARY", "KEY"]) || c.eat_kw("KEY") {
            inline.indexes.push(single_column_index(
                IndexKind::Primary,
                "PRIMARY",
                &col.name,
            ));
        } else if c.eat_kw("COMMENT") {
            col.comment = Some(c.string()?);
        } else if c.eat_kw("COLLATE") {
            col.collation = Some(canonical_charset_name(&c.word_or_string()?));
            col.binary = false;
        } else if c.eat_kw("CHARSET") || c.eat_kws(&["CHARACTER", "SET"]) {
            col.charset = Some(canonical_charset_name(&c.word_or_string()?));
        } else if c.eat_kw("BINARY") {
            col.collation = None;
            col.binary = true;
        } else if c.eat_kw("INVISIBLE") {
            col.invisible = true;
        } else if c.eat_kw("VISIBLE") {
            col.invisible = false;
        } else if c.is_kw("GENERATED") || c.is_kw("AS") {
            if c.eat_kw("GENERATED") {
                c.expect_kw("ALWAYS")?;
            }
            c.expect_kw("AS")?;
            if c.is_kw("ROW") {
                return c.refuse(
                    "system versioning",
                    "system-versioned tables are not modelled yet",
                );
            }
            let expr = paren_expr(c, "a generated column expression")?;
            let stored = if c.eat_kw("STORED") || c.eat_kw("PERSISTENT") {
                true
            } else {
                c.eat_kw("VIRTUAL");
                false
            };
            col.generated = Some(Box::new(Generated { expr, stored }));
        } else if c.eat_kw("REFERENCES") {
            // Parse it in any case; only MariaDB turns it into a real foreign key.
            c.back();
            let fk = foreign_key_rest(c, vec![col.name.clone()])?;
            if flavor.inline_references_create_fk() {
                inline.foreign_keys.push(fk);
            }
        } else if c.is_kw("CHECK") || c.is_kw("CONSTRAINT") {
            if c.eat_kw("CONSTRAINT") {
                let name = c.ident()?;
                c.expect_kw("CHECK")?;
                return c.error(format!(
                    "name the check `{name}` as a table constraint: CONSTRAINT `{name}` CHECK (...) after the columns"
                ));
            }
            c.advance();
            col.check = Some(Box::new(paren_expr(c, "a CHECK expression")?));
            not_enforced(c)?;
        } else if c.eat_kw("COMPRESSED") {
            if c.eat(&Token::Eq) {
                c.ident()?;
            }
            col.compressed = true;
        } else if c.eat_kw("COLUMN_FORMAT") {
            let format = c.ident()?;
            if format.eq_ignore_ascii_case("COMPRESSED") {
                col.compressed = true;
            } else if !format.eq_ignore_ascii_case("DEFAULT") {
                return c.error(format!("COLUMN_FORMAT {format} is not supported"));
            }
        } else if let Some(a) = attribute(c)? {
            col.attributes.push(a);
        } else if c.is_kw("WITHOUT") {
            return c.refuse(
                "system versioning",
                "system-versioned tables are not modelled yet",
            );
        } else {
            break;
        }
    }
    match c.peek() {
        Token::Comma | Token::RParen | Token::EOF => Ok((col, inline)),
        _ if c.is_kw("FIRST") || c.is_kw("AFTER") => Ok((col, inline)),
        _ => c.error(format!(
            "unknown column attribute {} in column `{}`",
            c.describe(),
            col.name
        )),
    }
}

fn single_column_index(kind: IndexKind, name: &str, column: &str) -> Index {
    Index {
        name: name.to_string(),
        kind,
        parts: vec![KeyPart {
            target: KeyTarget::Column(column.to_string()),
            prefix: None,
            desc: false,
        }],
        using: None,
        comment: None,
        invisible: false,
        parser: None,
        attributes: Vec::new(),
        key_block_size: None,
    }
}

/// `SERIAL` is `BIGINT UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE`.
fn serial(col: &mut Column, inline: &mut Inline) {
    col.nullable = false;
    col.auto_increment = true;
    inline
        .indexes
        .push(single_column_index(IndexKind::Unique, "", &col.name));
}

pub fn table_options(c: &mut Cursor) -> PResult<(TableOptions, bool)> {
    let mut o = TableOptions::default();
    let mut any = false;
    loop {
        c.eat(&Token::Comma);
        if c.at_end() || c.is_kw("ALGORITHM") || c.is_kw("LOCK") {
            return Ok((o, any));
        }
        let had_default = c.eat_kw("DEFAULT");
        if c.eat_kw("ENGINE") || c.eat_kw("TYPE") {
            c.eat_equals();
            o.engine = Some(c.word_or_string()?);
        } else if c.eat_kw("CHARSET") || c.eat_kws(&["CHARACTER", "SET"]) {
            c.eat_equals();
            o.charset = Some(canonical_charset_name(&c.word_or_string()?));
        } else if c.eat_kw("COLLATE") {
            c.eat_equals();
            o.collation = Some(canonical_charset_name(&c.word_or_string()?));
        } else if had_default {
            return c.error("expected CHARSET or COLLATE after DEFAULT");
        } else if c.eat_kw("ROW_FORMAT") {
            c.eat_equals();
            o.row_format = Some(c.word_or_string()?.to_ascii_uppercase());
        } else if c.eat_kw("COMMENT") {
            c.eat_equals();
            o.comment = Some(c.string()?);
        } else if c.eat_kw("AUTO_INCREMENT") {
            // The counter is data, not schema (up to 2^64 - 1: not read as a number).
            c.eat_equals();
            match c.advance() {
                Token::Number(..) => {}
                _ => return c.error("expected the AUTO_INCREMENT counter"),
            }
        } else if c.is_kw("PARTITION") {
            o.partitioning = Some(Box::new(partitioning(c)?));
        } else if c.is_kw("WITH") {
            return c.refuse(
                "system versioning",
                "system-versioned tables are not modelled yet",
            );
        } else if c.eat_kw("CONNECTION") {
            c.eat_equals();
            let v = crate::sql::quote::string(&c.string()?);
            o.other.insert("CONNECTION".into(), v);
        } else if c.eat_kw("UNION") {
            // MERGE tables: the tables they unite.
            c.eat_equals();
            c.expect(&Token::LParen)?;
            let mut names = Vec::new();
            loop {
                let path = c.qualified_ident()?;
                let quoted: Vec<String> =
                    path.iter().map(|n| crate::sql::quote::ident(n)).collect();
                names.push(quoted.join("."));
                if !c.eat(&Token::Comma) {
                    break;
                }
            }
            c.expect(&Token::RParen)?;
            o.other
                .insert("UNION".into(), format!("({})", names.join(",")));
        } else if let Some(kind) = ["DATA", "INDEX"].into_iter().find(|k| c.is_kw(k)) {
            c.advance();
            c.expect_kw("DIRECTORY")?;
            c.eat_equals();
            let v = crate::sql::quote::string(&c.string()?);
            o.other.insert(format!("{kind} DIRECTORY"), v);
        } else if c.is_kw("SEQUENCE") {
            // `SHOW CREATE TABLE` of a sequence: its options are the one row written into it.
            return c.refuse(
                "sequence written as a table",
                "a sequence's table (SEQUENCE=1) holds its options as a row, which canon does not read: write CREATE SEQUENCE",
            );
        } else if let Some(name) = SERVER_OPTIONS
            .iter()
            .find(|k| c.is_kw(k))
            .map(|k| k.to_string())
        {
            c.advance();
            c.eat_equals();
            let v = c.word_or_string()?;
            o.other.insert(name, v);
        } else if let Some(a) = attribute(c)? {
            o.attribute_order.written(&a.name);
            o.other.insert(a.name, a.value);
        } else {
            return Err(SpanError {
                help: Some(
                    "an engine-defined attribute is read as the server prints it: `name`='value'"
                        .into(),
                ),
                ..c.error_here(format!("unknown table option {}", c.describe()))
            });
        }
        any = true;
    }
}

fn create_view(c: &mut Cursor, algorithm: ViewAlgorithm, security: ViewSecurity) -> PResult<View> {
    c.eat_kws(&["IF", "NOT", "EXISTS"]);
    let name = c.ident()?;
    let columns = if c.peek() == &Token::LParen {
        c.ident_list()?
    } else {
        Vec::new()
    };
    c.expect_kw("AS")?;
    // `WITH [CASCADED | LOCAL] CHECK OPTION` ends the statement, outside the query.
    let mut check_option = None;
    let (n, here) = (c.len(), c.position());
    for (kws, opt) in [
        (
            &["WITH", "CASCADED", "CHECK", "OPTION"][..],
            CheckOption::Cascaded,
        ),
        (
            &["WITH", "LOCAL", "CHECK", "OPTION"][..],
            CheckOption::Local,
        ),
        (&["WITH", "CHECK", "OPTION"][..], CheckOption::Cascaded),
    ] {
        if n < here + kws.len() {
            continue;
        }
        let at = n - kws.len() - here;
        if kws.iter().enumerate().all(|(i, k)| c.is_kw_at(at + i, k)) {
            check_option = Some(opt);
            c.truncate(n - kws.len());
            break;
        }
    }
    let (tokens, from) = c.rest();
    let mut query = c.sub_parse(tokens, from, "the view's query", |p| p.parse_query())?;
    sqlexpr::name_items_as_written(&mut query, &|span| c.source_of(span));
    Ok(View {
        name,
        columns,
        // Canonicalized by `normalize`, which knows the columns behind `*`.
        query: SqlExpr {
            text: crate::sqlexpr::sql_text(query),
            key: String::new(),
        },
        algorithm,
        security,
        check_option,
        depends_on: Vec::new(),
        origin: None,
    })
}

fn alter(c: &mut Cursor, flavor: Flavor) -> PResult<Stmt> {
    if c.eat_kw("DATABASE") || c.eat_kw("SCHEMA") {
        if !(c.is_kw("DEFAULT") || c.is_kw("CHARACTER") || c.is_kw("CHARSET") || c.is_kw("COLLATE"))
        {
            c.ident()?;
        }
        return database_options(c);
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

fn position(c: &mut Cursor) -> PResult<Option<Position>> {
    Ok(if c.eat_kw("FIRST") {
        Some(Position::First)
    } else if c.eat_kw("AFTER") {
        Some(Position::After(c.ident()?))
    } else {
        None
    })
}

fn alter_op(c: &mut Cursor, flavor: Flavor) -> PResult<Option<AlterOp>> {
    if c.eat_kw("ADD") {
        if let Some(el) = constraint_or_key(c)? {
            return Ok(Some(match el {
                Element::Index(i) => AlterOp::AddIndex(i),
                Element::ForeignKey(f) => AlterOp::AddForeignKey(f),
                Element::Check(ch) => AlterOp::AddCheck(ch),
            }));
        }
        c.eat_kw("COLUMN");
        c.eat_kws(&["IF", "NOT", "EXISTS"]);
        let (column, inline) = column_def(c, flavor)?;
        let position = position(c)?;
        return Ok(Some(AlterOp::AddColumn {
            column,
            position,
            inline,
        }));
    }
    if c.eat_kw("MODIFY") || c.is_kw("CHANGE") {
        let change = c.eat_kw("CHANGE");
        c.eat_kw("COLUMN");
        c.eat_kws(&["IF", "EXISTS"]);
        let old_name = if change { Some(c.ident()?) } else { None };
        let (column, inline) = column_def(c, flavor)?;
        if !inline.indexes.is_empty() || !inline.foreign_keys.is_empty() {
            return c.error("add keys with ADD KEY / ADD FOREIGN KEY, not inside MODIFY");
        }
        let position = position(c)?;
        return Ok(Some(AlterOp::ModifyColumn {
            old_name: old_name.unwrap_or_else(|| column.name.clone()),
            column,
            position,
        }));
    }
    if c.eat_kw("DROP") {
        return Ok(Some(if c.eat_kws(&["PRIMARY", "KEY"]) {
            AlterOp::DropPrimaryKey
        } else if c.eat_kws(&["FOREIGN", "KEY"]) {
            c.eat_kws(&["IF", "EXISTS"]);
            AlterOp::DropForeignKey(c.ident()?)
        } else if c.eat_kw("INDEX") || c.eat_kw("KEY") {
            c.eat_kws(&["IF", "EXISTS"]);
            AlterOp::DropIndex(c.ident()?)
        } else if c.eat_kw("CHECK") || c.eat_kw("CONSTRAINT") {
            c.eat_kws(&["IF", "EXISTS"]);
            AlterOp::DropCheck(c.ident()?)
        } else {
            c.eat_kw("COLUMN");
            c.eat_kws(&["IF", "EXISTS"]);
            AlterOp::DropColumn(c.ident()?)
        }));
    }
    // mysqldump's `ALTER TABLE t DISABLE KEYS` around data: no schema meaning.
    if c.eat_kws(&["DISABLE", "KEYS"]) || c.eat_kws(&["ENABLE", "KEYS"]) {
        return Ok(None);
    }
    if c.is_kw("ALGORITHM") || c.is_kw("LOCK") {
        online_hints(c)?;
        return Ok(None);
    }
    if c.eat_kws(&["CONVERT", "TO"]) {
        return c.error(
            "CONVERT TO CHARACTER SET is not a definition: write the charset in the CREATE TABLE",
        );
    }
    let (options, any) = table_options(c)?;
    if !any {
        return c.error(format!("unsupported ALTER TABLE clause {}", c.describe()));
    }
    Ok(Some(AlterOp::Options(options)))
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
        // DROP TRIGGER / PROCEDURE / ... IF EXISTS in dumps: nothing canon manages.
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
