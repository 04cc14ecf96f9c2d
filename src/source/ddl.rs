//! DDL files and dump files → schema model (not yet normalized).
//!
//! Statements apply in file order to one schema, like a server running the file: a dump's
//! `DROP TABLE IF EXISTS` + `CREATE TABLE`, its view stand-ins replaced by the real views,
//! and `CREATE INDEX` / `ALTER TABLE ... ADD` after a CREATE all end up as the server would.
//! What is not schema (data, session statements, users and grants) is skipped and counted.
//! Files are read a line at a time: a dump's data is never held in memory.

mod alter;
mod alter_table;
mod apply;
pub mod attributes;
mod call;
mod column;
pub mod cursor;
mod defaults;
pub(crate) mod dumped;
mod files;
mod keys;
mod options;
pub mod parse;
pub mod partition;
mod preparse;
pub mod printed;
mod program;
mod program_apply;
mod program_clauses;
pub mod sequence;
mod skip;
pub mod split;
mod types;
mod versioning;
mod view;

use crate::excerpt::Excerpt;
use crate::flavor::Flavor;
use crate::model::normalize::settle_keys;
use crate::model::{
    ObjectKind, Origin, Rename, Schema, SqlExpr, Table, View, ViewAlgorithm, ViewSecurity,
};
use crate::sql::quote::ident;
use crate::sqlexpr;
use cursor::{Cursor, SpanError};
use files::io_error;
pub use files::{collect_files, dump_flavor};
use miette::{Diagnostic, NamedSource, SourceSpan};
use parse::Stmt;
use split::{Splitter, Statement};
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// A problem in a DDL or dump file, pointing at the offending text.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(canon::ddl))]
pub struct DdlError {
    pub message: String,
    pub file: String,
    pub line: usize,
    #[source_code]
    pub src: NamedSource<Excerpt>,
    #[label("here")]
    pub span: SourceSpan,
    #[help]
    pub help: Option<String>,
}

#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum LoadError {
    #[error("cannot read {path}")]
    #[diagnostic(code(canon::io))]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("no .sql files found in {0}")]
    #[diagnostic(
        code(canon::io),
        help("--schema takes .sql files or directories that contain them")
    )]
    NoFiles(String),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Ddl(Box<DdlError>),
}

/// What a file is: canonical definitions or a dump (it words the warnings about skipped data).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    Schema,
    Dump,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    pub message: String,
    pub origin: Option<Origin>,
}

#[derive(Debug, Default)]
pub struct Loaded {
    pub schema: Schema,
    /// (table, index) of the indexes the server adds for foreign keys the DDL gave none.
    pub implicit_indexes: std::collections::BTreeSet<(String, String)>,
    /// Whether any file had versioned comments, whose reading depends on the server version.
    pub versioned: bool,
    /// Statements that are not schema, by kind.
    skipped: skip::Skipped,
    /// The database a `USE` chose: a file holds one database's schema.
    database: Option<(String, Origin)>,
    /// Tables written with features canon does not model: left out of the schema, by name.
    pub unsupported: Vec<Refusal>,
    /// `CREATE TEMPORARY TABLE` bodies as read (skipped: a session's tables are not schema),
    /// for the printed reader.
    pub temporary: Vec<Result<Table, SpanError>>,
}

/// A table canon refuses to model, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    pub table: String,
    /// The feature's name, e.g. `subpartitions`.
    pub feature: String,
    pub reason: String,
    pub origin: Origin,
}

impl Loaded {
    /// One warning per kind of statement skipped.
    pub fn skipped_warnings(&self) -> Vec<Warning> {
        self.skipped.warnings()
    }
}

/// Parse one text (a file's content) into a schema, not yet normalized.
pub fn parse_text(
    name: &str,
    text: &str,
    kind: SourceKind,
    flavor: Flavor,
) -> Result<Loaded, LoadError> {
    let mut loader = Loader::new(flavor);
    loader.load_text(name, text.to_string(), kind)?;
    Ok(loader.finish())
}

pub struct Loader {
    flavor: Flavor,
    loaded: Loaded,
    /// Files being read through `source` commands, outermost first: a file that sources
    /// itself (directly or not) is an error, not an endless read.
    sourcing: Vec<PathBuf>,
    /// The bodies of the procedures without parameters created so far, by lower-case name,
    /// for a later `CALL` of one.
    procedures: std::collections::BTreeMap<String, String>,
    /// A dump's session settings, the context of the programs it creates.
    session: program::Session,
}

impl Loader {
    pub fn new(flavor: Flavor) -> Self {
        Loader {
            flavor,
            loaded: Loaded::default(),
            sourcing: Vec::new(),
            procedures: Default::default(),
            session: Default::default(),
        }
    }

    pub fn finish(self) -> Loaded {
        self.loaded
    }

    /// Read a file in blocks cut at line ends, keeping only its schema statements.
    pub fn load_file(&mut self, path: &Path, kind: SourceKind) -> Result<(), LoadError> {
        let name = path.display().to_string();
        let file = std::fs::File::open(path).map_err(io_error(path))?;
        let mut reader = std::io::BufReader::with_capacity(1 << 20, file);
        let mut splitter = Splitter::new(self.flavor);
        // The start of a line the block ended in, fed with the next block.
        let (mut partial, mut statements) = (Vec::new(), Vec::new());
        loop {
            let block = reader.fill_buf().map_err(io_error(path))?;
            let len = block.len();
            if len == 0 {
                break;
            }
            // Whole lines only: the line begun in the last block is completed first, and the
            // line this block ends in waits for the next one. Only those two are copied.
            let end = memchr::memrchr(b'\n', block).map_or(0, |at| at + 1);
            let mut from = 0;
            if !partial.is_empty() && end > 0 {
                from = memchr::memchr(b'\n', block).map_or(0, |at| at + 1);
                partial.extend_from_slice(&block[..from]);
                splitter.feed(&partial, &mut statements);
                partial.clear();
            }
            splitter.feed(&block[from..end], &mut statements);
            partial.extend_from_slice(&block[end..]);
            reader.consume(len);
            self.statements(&name, std::mem::take(&mut statements), kind)?;
        }
        splitter.feed(&partial, &mut statements);
        splitter.finish(&mut statements);
        self.loaded.versioned |= splitter.versioned;
        self.statements(&name, statements, kind)
    }

    pub fn load_text(
        &mut self,
        name: &str,
        text: String,
        kind: SourceKind,
    ) -> Result<(), LoadError> {
        let mut splitter = Splitter::new(self.flavor);
        let mut statements = Vec::new();
        splitter.feed(text.as_bytes(), &mut statements);
        splitter.finish(&mut statements);
        self.loaded.versioned |= splitter.versioned;
        self.statements(name, statements, kind)
    }

    /// Statements of file `name` in order, their CREATE TABLEs parsed ahead on every core.
    fn statements(
        &mut self,
        name: &str,
        batch: Vec<Statement>,
        kind: SourceKind,
    ) -> Result<(), LoadError> {
        // A few hundred at a time: parsed statements take more memory than their text.
        let mut batch = batch.into_iter().peekable();
        while batch.peek().is_some() {
            let part: Vec<Statement> = batch.by_ref().take(256).collect();
            let ahead = preparse::preparse(&part, self.flavor);
            for (stmt, pre) in part.into_iter().zip(ahead) {
                self.statement(name, stmt, kind, pre)?;
            }
        }
        Ok(())
    }

    /// One statement of file `name`: applied to the schema, or skipped and counted; `pre` is
    /// its parse when it was parsed ahead.
    fn statement(
        &mut self,
        name: &str,
        stmt: Statement,
        kind: SourceKind,
        pre: Option<cursor::PResult<preparse::Preparsed>>,
    ) -> Result<(), LoadError> {
        let origin = || Origin {
            file: name.to_string(),
            line: stmt.line,
        };
        if let Some(verb) = stmt.bulk {
            self.loaded
                .skipped
                .record(skip::bulk_label(verb), kind, origin);
            return Ok(());
        }
        let at = |e: SpanError| -> LoadError {
            let start = e.start.min(stmt.raw.len());
            let len = e.end.saturating_sub(e.start).max(1);
            let len = len.min(stmt.raw.len().saturating_sub(start));
            let line = stmt.line
                + stmt.raw.as_bytes()[..start]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count();
            // The excerpt starts at its line's start: blanks stand for what came before.
            let excerpt = Excerpt {
                name: name.to_string(),
                text: format!("{:1$}{2}", "", stmt.column, stmt.raw),
                offset: stmt.offset - stmt.column,
                first_line: stmt.line - 1,
            };
            LoadError::Ddl(Box::new(DdlError {
                message: e.message,
                file: name.to_string(),
                line,
                src: NamedSource::new(name, excerpt),
                span: (stmt.offset + start, len).into(),
                help: e.help,
            }))
        };
        let (cursor, label, mut parsed) = match pre {
            Some(pre) => {
                let pre = pre.map_err(at)?;
                (pre.cursor, pre.label, pre.parsed.map_err(at)?)
            }
            None => {
                if let Some(file) = &stmt.source {
                    let sourced = self.source(Path::new(file), kind).map_err(|message| {
                    at(SpanError {
                        message,
                        start: 0,
                        end: stmt.raw.len(),
                        help: Some(
                            "the client reads the file at this path (relative to the directory it runs in), and canon reads the same".into(),
                        ),
                        unsupported: None,
                    })
                })?;
                    return sourced;
                }
                let mut cursor = Cursor::new(&stmt.text).map_err(at)?;
                if cursor.is_empty() {
                    return Ok(());
                }
                let label = skip::label(&cursor);
                if skip::is_account(&cursor) {
                    self.loaded.skipped.record(&label, kind, origin);
                    return Ok(());
                }
                if cursor.eat_kw("USE") {
                    let database = cursor.ident().map_err(at)?;
                    self.use_database(database, origin())
                        .map_err(|message| at(cursor.error_over(0, 2, message)))?;
                    self.loaded.skipped.record(&label, kind, origin);
                    return Ok(());
                }
                let body = (call::called(&stmt.text).and_then(|p| self.procedures.get(&p)))
                    .and_then(|body| call::schema_statements(body, self.flavor));
                if let Some(statements) = body {
                    for parsed in statements {
                        self.apply(parsed, origin(), kind)
                            .map_err(|message| at(cursor.error_over(0, cursor.len(), message)))?;
                    }
                    return Ok(());
                }
                if kind == SourceKind::Dump && cursor.is_kw("SET") {
                    self.session.follow(&stmt.text);
                }
                let parsed = parse::statement(&mut cursor, self.flavor).map_err(at)?;
                (cursor, label, parsed)
            }
        };
        if let (Stmt::CreateProgram { program, .. }, SourceKind::Dump) = (&mut parsed, kind) {
            let collation = self.loaded.schema.collation.as_deref();
            program.set_context(self.session.context(collation));
        }
        if let Stmt::CreateProgram { program, .. } = &parsed {
            if program.kind() == crate::model::ProgramKind::Procedure {
                if let Some((name, body)) = call::procedure_body(&stmt.text) {
                    self.procedures.insert(name, body);
                }
            }
        }
        match parsed {
            Stmt::Session | Stmt::Data { .. } => {
                self.loaded.skipped.record(&label, kind, origin);
                Ok(())
            }
            Stmt::Temporary { table } => {
                self.loaded.skipped.record(&label, kind, origin);
                self.loaded.temporary.push(table);
                Ok(())
            }
            parsed => self
                .apply(parsed, origin(), kind)
                .map_err(|message| at(cursor.error_over(0, 3, message))),
        }
    }

    /// A client `source FILE` command (ZoneMinder's zm_create.sql sources its triggers): the
    /// file is read in place, as the client does. Errors in it point into it; a file that
    /// cannot be opened, or that is already being read, is an error at the command.
    fn source(&mut self, file: &Path, kind: SourceKind) -> Result<Result<(), LoadError>, String> {
        let read = std::fs::canonicalize(file)
            .map_err(|e| format!("`source` cannot read `{}`: {e}", file.display()))?;
        if self.sourcing.contains(&read) {
            return Err(format!("`source` of `{}` inside itself", file.display()));
        }
        self.sourcing.push(read);
        let result = self.load_file(file, kind);
        self.sourcing.pop();
        Ok(result)
    }

    /// `USE db`: a file (or a set of files) holds the schema of one database.
    fn use_database(&mut self, name: String, origin: Origin) -> Result<(), String> {
        match &self.loaded.database {
            None => {
                self.loaded.database = Some((name, origin));
                Ok(())
            }
            Some((first, _)) if *first == name => Ok(()),
            Some((first, o)) => Err(format!(
                "USE `{name}` after USE `{first}` (at {}:{}): canon compares the schema of one database, give it one database's statements",
                o.file, o.line
            )),
        }
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod program_tests;
