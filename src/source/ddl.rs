//! DDL files and dump files → schema model (not yet normalized).
//!
//! Statements apply in file order to one schema, like a server running the file: a dump's
//! `DROP TABLE IF EXISTS` + `CREATE TABLE`, its view stand-ins replaced by the real views,
//! and `CREATE INDEX` / `ALTER TABLE ... ADD` after a CREATE all end up as the server would.

pub mod attributes;
pub mod cursor;
pub mod parse;
pub mod partition;
pub mod printed;
pub mod split;

use crate::flavor::Flavor;
use crate::model::normalize::settle_keys;
use crate::model::{Origin, Position, Rename, Schema, Table, Unmanaged};
use crate::render::quote::ident;
use cursor::{Cursor, SpanError};
use miette::{Diagnostic, NamedSource, SourceSpan};
use parse::{AlterOp, Stmt};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A problem in a DDL or dump file, pointing at the offending text.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(canon::ddl))]
pub struct DdlError {
    pub message: String,
    pub file: String,
    pub line: usize,
    #[source_code]
    pub src: NamedSource<Arc<String>>,
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

/// What a file is: canonical definitions (data statements refused) or a dump (data ignored).
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

/// What a reader of a schema is warned about: the objects canon leaves as they are.
pub fn warnings(schema: &Schema) -> Vec<Warning> {
    schema
        .unmanaged
        .iter()
        .map(|u| Warning {
            message: format!(
                "{} `{}` is not managed by canon: it is left as it is",
                u.kind, u.name
            ),
            origin: u.origin.clone(),
        })
        .collect()
}

#[derive(Debug, Default)]
pub struct Loaded {
    pub schema: Schema,
    /// (table, index) of the indexes the server adds for foreign keys the DDL gave none.
    pub implicit_indexes: std::collections::BTreeSet<(String, String)>,
    /// Whether any file had versioned comments, whose reading depends on the server version.
    pub versioned: bool,
    /// Tables written with features canon does not model: left out of the schema, by name.
    pub unsupported: Vec<Refusal>,
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

/// `.sql` files under the given paths, directories read recursively in name order.
pub fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, LoadError> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|source| LoadError::Io {
            path: p.display().to_string(),
            source,
        })?;
        if meta.is_dir() {
            let before = out.len();
            walk(p, &mut out)?;
            if out.len() == before {
                return Err(LoadError::NoFiles(p.display().to_string()));
            }
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), LoadError> {
    let io = |source| LoadError::Io {
        path: dir.display().to_string(),
        source,
    };
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(io)?;
    entries.sort();
    for e in entries {
        if e.is_dir() {
            walk(&e, out)?;
        } else if e.extension().is_some_and(|x| x.eq_ignore_ascii_case("sql")) {
            out.push(e);
        }
    }
    Ok(())
}

pub fn read_file(path: &Path) -> Result<String, LoadError> {
    std::fs::read_to_string(path).map_err(|source| LoadError::Io {
        path: path.display().to_string(),
        source,
    })
}

/// The server version a mysqldump / mariadb-dump header names.
pub fn dump_flavor(text: &str) -> Option<Flavor> {
    text.lines()
        .take(30)
        .find_map(|l| l.strip_prefix("-- Server version"))
        .and_then(|v| Flavor::from_server_version(v.trim()).ok())
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
}

impl Loader {
    pub fn new(flavor: Flavor) -> Self {
        Loader {
            flavor,
            loaded: Loaded::default(),
        }
    }

    pub fn finish(self) -> Loaded {
        self.loaded
    }

    pub fn load_file(&mut self, path: &Path, kind: SourceKind) -> Result<(), LoadError> {
        let text = read_file(path)?;
        self.load_text(&path.display().to_string(), text, kind)
    }

    pub fn load_text(
        &mut self,
        name: &str,
        text: String,
        kind: SourceKind,
    ) -> Result<(), LoadError> {
        self.loaded.versioned |= text.contains("/*!") || text.contains("/*M!");
        let text = Arc::new(text);
        // Statements come in file order: count lines incrementally, not from the start each time.
        let (mut counted_to, mut line) = (0usize, 1usize);
        for stmt in split::split(&text, self.flavor) {
            let at = |e: SpanError| -> LoadError {
                let start = stmt.offset + e.start;
                let len = e.end.saturating_sub(e.start).max(1);
                let len = len.min(text.len().saturating_sub(start));
                LoadError::Ddl(Box::new(DdlError {
                    message: e.message,
                    file: name.to_string(),
                    line: line_of(&text, start),
                    src: NamedSource::new(name, text.clone()),
                    span: (start, len).into(),
                    help: e.help,
                }))
            };
            let mut cursor = Cursor::new(&stmt.text).map_err(at)?;
            if cursor.is_empty() {
                continue;
            }
            let parsed = parse::statement(&mut cursor, self.flavor).map_err(at)?;
            let first = stmt.offset + stmt.text.len() - stmt.text.trim_start().len();
            line += text.as_bytes()[counted_to..first]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            counted_to = first;
            let origin = Origin {
                file: name.to_string(),
                line,
            };
            self.apply(parsed, origin, kind)
                .map_err(|message| at(cursor.error_over(0, 3, message)))?;
        }
        Ok(())
    }

    fn table_mut(&mut self, name: &str) -> Result<&mut Table, String> {
        self.loaded
            .schema
            .tables
            .get_mut(name)
            .ok_or_else(|| format!("table `{name}` is not defined before this statement"))
    }

    /// The view a `keep-compat-view` rename keeps under the table's old name: every column,
    /// under its old name, so code not yet moved works until the note is removed.
    fn compat_view(
        &mut self,
        old: &str,
        table: &str,
        select: &[String],
        origin: &Origin,
        kind: SourceKind,
    ) -> Result<(), String> {
        let text = format!(
            "CREATE VIEW {} AS SELECT {} FROM {}",
            ident(old),
            select.join(", "),
            ident(table)
        );
        let mut c = Cursor::new(&text).map_err(|e| e.message)?;
        let stmt = parse::statement(&mut c, self.flavor).map_err(|e| e.message)?;
        self.apply(stmt, origin.clone(), kind)
    }

    fn apply(&mut self, stmt: Stmt, origin: Origin, kind: SourceKind) -> Result<(), String> {
        let schema = &mut self.loaded.schema;
        match stmt {
            Stmt::CreateTable {
                mut table,
                if_not_exists,
                or_replace,
                renamed,
            } => {
                if schema.views.contains_key(&table.name) {
                    return Err(format!("`{}` is already defined as a view", table.name));
                }
                if let Some(existing) = schema.tables.get(&table.name) {
                    if if_not_exists {
                        return Ok(());
                    }
                    if !or_replace {
                        let first = existing.origin.as_ref().map_or(String::new(), |o| {
                            format!(" (first defined at {}:{})", o.file, o.line)
                        });
                        return Err(format!("table `{}` is defined twice{first}", table.name));
                    }
                }
                table.origin = Some(origin.clone());
                for ix in settle_keys(&mut table).map_err(|e| e.to_string())? {
                    self.loaded
                        .implicit_indexes
                        .insert((table.name.clone(), ix));
                }
                let name = table.name.clone();
                // Old code reads the old column names too.
                let select: Vec<String> = table
                    .columns
                    .iter()
                    .map(|c| {
                        let old = renamed.iter().find(|r| r.column.as_ref() == Some(&c.name));
                        match old {
                            Some(r) => format!("{} AS {}", ident(&c.name), ident(&r.from)),
                            None => ident(&c.name),
                        }
                    })
                    .collect();
                schema.tables.insert(name.clone(), table);
                for r in renamed {
                    if r.keep_compat_view {
                        self.compat_view(&r.from, &name, &select, &origin, kind)?;
                    }
                    self.loaded.schema.renames.push(Rename {
                        table: name.clone(),
                        column: r.column,
                        from: r.from,
                        keep_compat_view: r.keep_compat_view,
                        origin: Some(origin.clone()),
                    });
                }
            }
            Stmt::CreateView {
                mut view,
                or_replace,
            } => {
                if schema.tables.contains_key(&view.name) {
                    return Err(format!("`{}` is already defined as a table", view.name));
                }
                if schema.views.contains_key(&view.name) && !or_replace {
                    return Err(format!("view `{}` is defined twice", view.name));
                }
                view.origin = Some(origin);
                schema.views.insert(view.name.clone(), view);
            }
            Stmt::Refused {
                name,
                feature,
                reason,
            } => {
                schema.tables.remove(&name);
                self.loaded.unsupported.retain(|r| r.table != name);
                self.loaded.unsupported.push(Refusal {
                    table: name,
                    feature: feature.to_string(),
                    reason,
                    origin,
                });
            }
            Stmt::Alter { table, .. }
                if !schema.tables.contains_key(&table)
                    && self.loaded.unsupported.iter().any(|r| r.table == table) =>
            {
                // A change to a refused table (a dump's DISABLE KEYS): it stays refused.
            }
            Stmt::Alter { table, ops } => {
                let t = self.table_mut(&table)?;
                for op in ops {
                    apply_alter(t, op)?;
                }
                let name = t.name.clone();
                for ix in settle_keys(t).map_err(|e| e.to_string())? {
                    self.loaded.implicit_indexes.insert((name.clone(), ix));
                }
            }
            Stmt::DropTables { names, if_exists } => {
                for n in names {
                    // A dump drops a view's stand-in table by either name.
                    if schema.tables.remove(&n).is_none() && !if_exists {
                        return Err(format!("table `{n}` does not exist"));
                    }
                }
            }
            Stmt::DropViews { names, if_exists } => {
                for n in names {
                    if schema.views.remove(&n).is_none() && !if_exists {
                        return Err(format!("view `{n}` does not exist"));
                    }
                }
            }
            Stmt::Database { charset, collation } => {
                schema.charset = charset.or(schema.charset.take());
                schema.collation = collation.or(schema.collation.take());
            }
            Stmt::Unmanaged { kind: what, name } => {
                schema.unmanaged.push(Unmanaged {
                    kind: what.to_string(),
                    name,
                    origin: Some(origin),
                });
            }
            Stmt::Session => {}
            Stmt::Data { verb } => {
                if kind == SourceKind::Schema {
                    return Err(format!(
                        "{verb} is not a schema definition: canonical schema files hold CREATE / ALTER statements only"
                    ));
                }
            }
        }
        Ok(())
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn place(
    len: usize,
    cols: &[crate::model::Column],
    position: &Option<Position>,
) -> Result<usize, String> {
    match position {
        None => Ok(len),
        Some(Position::First) => Ok(0),
        Some(Position::After(c)) => cols
            .iter()
            .position(|x| x.name.eq_ignore_ascii_case(c))
            .map(|i| i + 1)
            .ok_or_else(|| format!("column `{c}` (named in AFTER) does not exist")),
    }
}

fn apply_alter(t: &mut Table, op: AlterOp) -> Result<(), String> {
    let missing = |what: &str, name: &str, t: &Table| {
        format!("{what} `{name}` does not exist in table `{}`", t.name)
    };
    match op {
        AlterOp::AddColumn {
            column,
            position,
            inline,
        } => {
            if t.column(&column.name).is_some() {
                return Err(format!(
                    "column `{}` already exists in `{}`",
                    column.name, t.name
                ));
            }
            let at = place(t.columns.len(), &t.columns, &position)?;
            t.columns.insert(at, column);
            t.indexes.extend(inline.indexes);
            t.foreign_keys.extend(inline.foreign_keys);
        }
        AlterOp::ModifyColumn {
            old_name,
            column,
            position,
        } => {
            let i = t
                .columns
                .iter()
                .position(|c| c.name.eq_ignore_ascii_case(&old_name))
                .ok_or_else(|| missing("column", &old_name, t))?;
            if position.is_none() {
                t.columns[i] = column;
            } else {
                t.columns.remove(i);
                let at = place(t.columns.len(), &t.columns, &position)?;
                t.columns.insert(at, column);
            }
        }
        AlterOp::AddIndex(i) => {
            if !i.name.is_empty() && t.index(&i.name).is_some() {
                return Err(format!("index `{}` already exists in `{}`", i.name, t.name));
            }
            t.indexes.push(i);
        }
        AlterOp::AddForeignKey(f) => t.foreign_keys.push(f),
        AlterOp::AddCheck(c) => t.checks.push(c),
        AlterOp::DropColumn(name) => {
            let before = t.columns.len();
            t.columns.retain(|c| !c.name.eq_ignore_ascii_case(&name));
            if t.columns.len() == before {
                return Err(missing("column", &name, t));
            }
        }
        AlterOp::DropIndex(name) => {
            let before = t.indexes.len();
            t.indexes.retain(|i| !i.name.eq_ignore_ascii_case(&name));
            if t.indexes.len() == before {
                return Err(missing("index", &name, t));
            }
        }
        AlterOp::DropPrimaryKey => t.indexes.retain(|i| i.name != "PRIMARY"),
        AlterOp::DropForeignKey(name) => {
            let before = t.foreign_keys.len();
            t.foreign_keys
                .retain(|f| !f.name.eq_ignore_ascii_case(&name));
            if t.foreign_keys.len() == before {
                return Err(missing("foreign key", &name, t));
            }
        }
        AlterOp::DropCheck(name) => t.checks.retain(|c| !c.name.eq_ignore_ascii_case(&name)),
        AlterOp::Options(o) => {
            let cur = &mut t.options;
            cur.engine = o.engine.or(cur.engine.take());
            cur.charset = o.charset.or(cur.charset.take());
            cur.collation = o.collation.or(cur.collation.take());
            cur.row_format = o.row_format.or(cur.row_format.take());
            cur.comment = o.comment.or(cur.comment.take());
            cur.other.extend(o.other);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The error's line and the text its span covers.
    fn error_at(ddl: &str) -> (usize, String, String) {
        match parse_text("f.sql", ddl, SourceKind::Schema, Flavor::DEFAULT) {
            Err(LoadError::Ddl(e)) => {
                let start = e.span.offset();
                (
                    e.line,
                    ddl[start..start + e.span.len()].to_string(),
                    e.message,
                )
            }
            Err(other) => panic!("unexpected error {other:?}"),
            Ok(_) => panic!("{ddl:?} should not parse"),
        }
    }

    #[test]
    fn a_table_canon_cannot_model_is_refused_by_name_and_the_rest_is_read() {
        let ddl = "CREATE TABLE a (x int);\nCREATE TABLE t (a int, b int)\nWITH SYSTEM VERSIONING;\nCREATE TEMPORARY TABLE tmp (a int);\nALTER TABLE t DISABLE KEYS;\nCREATE TABLE b (y int);";
        let loaded = parse_text("f.sql", ddl, SourceKind::Dump, Flavor::DEFAULT).unwrap();
        let tables: Vec<&String> = loaded.schema.tables.keys().collect();
        assert_eq!(tables, ["a", "b"]);
        let refused: Vec<(&str, &str, usize)> = loaded
            .unsupported
            .iter()
            .map(|r| (r.table.as_str(), r.feature.as_str(), r.origin.line))
            .collect();
        assert_eq!(
            refused,
            [("t", "system versioning", 2), ("tmp", "temporary table", 4)]
        );
    }

    #[test]
    fn errors_point_at_the_offending_text() {
        let cases = [
            (
                "CREATE TABLE t (a int, b varchr(10));",
                1,
                "varchr",
                "not a column type",
            ),
            (
                "CREATE TABLE t (a int)\n  ENGINE=InnoDB FROBNICATE=1;",
                2,
                "FROBNICATE",
                "unknown table option",
            ),
            (
                "CREATE TABLE t (a int);\nCREATE TABLE t (b int);",
                2,
                "CREATE TABLE t",
                "defined twice",
            ),
            (
                "ALTER TABLE nope ADD COLUMN x int;",
                1,
                "ALTER TABLE nope",
                "not defined",
            ),
            (
                "CREATE TABLE t (a int CHECK (a >));",
                1,
                "a >",
                "CHECK expression",
            ),
            (
                "CREATE TABLE t (\n  a int,\n  PRIMARY KEY (a)",
                3,
                "",
                "expected",
            ),
            (
                "CREATE TABLE t (a varchar);",
                1,
                "varchar",
                "needs a length",
            ),
            ("UPSERT INTO t VALUES (1);", 1, "UPSERT", "not a statement"),
            ("CREATE VIEW v AS SELEC 1;", 1, "SELEC 1", "view's query"),
        ];
        for (ddl, line, text, message) in cases {
            let (l, t, m) = error_at(ddl);
            assert_eq!((l, t.as_str()), (line, text), "{ddl:?}: {m}");
            assert!(m.contains(message), "{ddl:?}: {m}");
        }
    }

    #[test]
    fn reads_ddl_as_people_write_it() {
        let ddl = "create table if not exists orders (id serial, user_id int references users(id));
            create table `users` (`id` int(11) primary key, is_admin boolean default false) engine = innodb, default charset utf8mb4;
            create unique index ux on users (is_admin);
            alter table orders add column note text after id, add key (user_id);
            create or replace view v as select * from users;";
        let s = parse_text("f.sql", ddl, SourceKind::Schema, Flavor::DEFAULT)
            .unwrap()
            .schema;
        assert_eq!(s.tables.len(), 2);
        assert_eq!(s.tables["orders"].columns[1].name, "note", "AFTER id");
        assert_eq!(s.tables["users"].indexes.len(), 2);
        assert_eq!(
            s.tables["orders"].foreign_keys.len(),
            1,
            "column REFERENCES on MariaDB"
        );
        assert!(s.views.contains_key("v"));
    }

    #[test]
    fn a_dump_replaces_view_stand_ins_with_the_real_views() {
        let dump = "DROP TABLE IF EXISTS `v`;\n/*!50001 DROP VIEW IF EXISTS `v`*/;\n/*!50001 CREATE VIEW `v` AS SELECT\n 1 AS `id` */;\nCREATE TABLE `t` (`id` int(11) DEFAULT NULL) ENGINE=InnoDB;\n/*!50001 DROP VIEW IF EXISTS `v`*/;\n/*!50001 CREATE ALGORITHM=UNDEFINED */\n/*!50013 DEFINER=`root`@`localhost` SQL SECURITY DEFINER */\n/*!50001 VIEW `v` AS select `t`.`id` AS `id` from `t` */;";
        let s = parse_text("d.sql", dump, SourceKind::Dump, Flavor::DEFAULT)
            .unwrap()
            .schema;
        assert_eq!(s.views.len(), 1);
        assert!(
            s.views["v"].query.text.contains("FROM `t`"),
            "{}",
            s.views["v"].query.text
        );
    }
}
