//! information_schema rows → model pieces: columns, keys, foreign keys, views, one row at
//! a time (build.rs queries and assembles them).

use super::record::{expression, must, MissingColumn, Record};
use crate::model::*;
use crate::source::ddl::parse::{column_type_text, default_text};
use crate::sqlexpr;
use std::collections::{BTreeMap, HashSet};

/// Columns made model as their rows arrive, grouped by table (rows come table by table),
/// each group sized to fit.
#[derive(Default)]
pub(super) struct Columns {
    pub(super) groups: Vec<(String, Vec<Column>)>,
    /// Tables with a column canon cannot read, and why.
    pub(super) unreadable: Vec<(String, String)>,
    /// A column the reader asked for and the answer lacks: the read fails.
    pub(super) missing: Option<MissingColumn>,
}

impl Columns {
    pub(super) fn add(&mut self, row: &impl Record, base: &HashSet<&str>, mariadb: bool) {
        let table = match must(row, "table_name") {
            // A view's columns are not read.
            Ok(table) if !base.contains(table.as_str()) => return,
            Ok(table) => table,
            Err(e) => {
                self.missing.get_or_insert(e);
                return;
            }
        };
        match (column(row, mariadb), self.groups.last_mut()) {
            (Ok(c), Some((last, group))) if *last == table => group.push(c),
            (Ok(c), last) => {
                if let Some((_, group)) = last {
                    group.shrink_to_fit();
                }
                self.groups.push((table, vec![c]));
            }
            (Err(Unread::Why(why)), _) => self.unreadable.push((table, why)),
            (Err(Unread::Missing(e)), _) => {
                self.missing.get_or_insert(e);
            }
        }
    }
}

/// Why a column was not read: a reason to report the table, or a bug to fail on.
enum Unread {
    Why(String),
    Missing(MissingColumn),
}

impl From<MissingColumn> for Unread {
    fn from(e: MissingColumn) -> Self {
        Unread::Missing(e)
    }
}

/// A column from its row, or why canon cannot read it.
fn column(row: &impl Record, mariadb: bool) -> Result<Column, Unread> {
    let name = must(row, "name")?;
    let why = |e: String| Unread::Why(format!("cannot read column `{name}`: {e}"));
    let column_type = must(row, "column_type")?;
    let ty = column_type_text(&column_type).map_err(|e| why(e.message))?;
    let mut c = Column::new(name.clone(), ty);
    c.compressed = column_type.contains("COMPRESSED");
    c.nullable = must(row, "is_nullable")? == "YES";
    c.charset = row.field("charset")?;
    c.collation = row.field("collation")?;
    c.comment = row.field("comment")?.filter(|s| !s.is_empty());
    let extra = must(row, "extra")?.to_ascii_lowercase();
    c.auto_increment = extra.contains("auto_increment");
    c.invisible = extra.contains("invisible");
    if let Some(rest) = extra.split("on update current_timestamp").nth(1) {
        c.on_update = Some(
            rest.trim_start_matches('(')
                .split(')')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0),
        );
    }
    c.unversioned = extra.contains("without system versioning");
    // A row start or end column: MariaDB lists it as STORED GENERATED `ROW START|END`.
    let system_time = match row.field("generation_expression")?.as_deref() {
        Some("ROW START") => Some(RowTime::Start),
        Some("ROW END") => Some(RowTime::End),
        _ => None,
    };
    if system_time.is_some() {
        c.system_time = system_time;
    } else if extra.contains("generated") && !extra.contains("default_generated") {
        let expr = expression(row, "generation_expression", mariadb)?.unwrap_or_default();
        let expr = sqlexpr::parse_expr(&expr).map_err(why)?;
        c.generated = Some(Box::new(Generated {
            expr,
            stored: extra.contains("stored"),
        }));
    }
    c.default = match expression(row, "column_default", mariadb)? {
        None => None,
        // MariaDB quotes literals and writes NULL; MySQL writes literals bare.
        Some(d) if mariadb || extra.contains("default_generated") => {
            Some(default_text(&d).map_err(|e| why(e.message))?)
        }
        Some(d) => Some(DefaultValue::String(d)),
    };
    Ok(c)
}

pub(super) fn add_indexes<R: Record>(
    schema: &mut Schema,
    stats: &[R],
    mariadb: bool,
    unreadable: &mut Vec<(String, String)>,
) -> Result<(), MissingColumn> {
    for row in stats {
        let (table, name) = (must(row, "table_name")?, must(row, "name")?);
        let Some(t) = schema.tables.get_mut(&table) else {
            continue;
        };
        let target = match (
            row.field("column_name")?,
            expression(row, "expression", mariadb)?,
        ) {
            (Some(c), _) => KeyTarget::Column(c),
            (None, Some(e)) => match sqlexpr::parse_expr(&e) {
                Ok(expr) => KeyTarget::Expr(expr),
                Err(r) => {
                    unreadable.push((table, format!("cannot read index `{name}`: {r}")));
                    continue;
                }
            },
            (None, None) => continue,
        };
        // SPATIAL keys report SUB_PART 32, which is no prefix anyone wrote.
        let spatial = must(row, "index_type")? == "SPATIAL";
        let part = KeyPart {
            target,
            prefix: row
                .field("sub_part")?
                .filter(|_| !spatial)
                .and_then(|s| s.parse().ok()),
            desc: row.field("direction")?.as_deref() == Some("D"),
        };
        if let Some(ix) = t.indexes.iter_mut().find(|i| i.name == name) {
            ix.parts.push(part);
            continue;
        }
        let index_type = must(row, "index_type")?;
        let kind = match (
            name.as_str(),
            must(row, "non_unique")?.as_str(),
            index_type.as_str(),
        ) {
            ("PRIMARY", _, _) => IndexKind::Primary,
            (_, _, "FULLTEXT") => IndexKind::Fulltext,
            (_, _, "SPATIAL") => IndexKind::Spatial,
            (_, "0", _) => IndexKind::Unique,
            _ => IndexKind::Key,
        };
        t.indexes.push(Index {
            name,
            kind,
            parts: vec![part],
            using: (index_type == "HASH").then_some(IndexAlgorithm::Hash),
            comment: row.field("comment")?.filter(|c| !c.is_empty()),
            invisible: row.field("ignored")?.as_deref() == Some("YES"),
            parser: None,
            attributes: Vec::new(),
            key_block_size: None,
        });
    }
    Ok(())
}

fn rule(r: Option<String>) -> Option<FkAction> {
    match r.as_deref() {
        Some("CASCADE") => Some(FkAction::Cascade),
        Some("SET NULL") => Some(FkAction::SetNull),
        Some("SET DEFAULT") => Some(FkAction::SetDefault),
        Some("NO ACTION") => Some(FkAction::NoAction),
        _ => None,
    }
}

pub(super) fn add_foreign_keys<R: Record>(
    schema: &mut Schema,
    cols: &[R],
    rules: &[R],
) -> Result<(), MissingColumn> {
    let mut by_key = BTreeMap::new();
    for r in rules {
        by_key.insert(
            (must(r, "table_name")?, must(r, "name")?),
            (rule(r.field("on_delete")?), rule(r.field("on_update")?)),
        );
    }
    let rules: BTreeMap<(String, String), (Option<FkAction>, Option<FkAction>)> = by_key;
    for row in cols {
        let (table, name) = (must(row, "table_name")?, must(row, "name")?);
        let Some(t) = schema.tables.get_mut(&table) else {
            continue;
        };
        let (col, ref_col) = (must(row, "column_name")?, must(row, "ref_column")?);
        if let Some(fk) = t.foreign_keys.iter_mut().find(|f| f.name == name) {
            fk.columns.push(col);
            fk.ref_columns.push(ref_col);
            continue;
        }
        let (on_delete, on_update) = rules
            .get(&(table.clone(), name.clone()))
            .copied()
            .unwrap_or((None, None));
        t.foreign_keys.push(ForeignKey {
            name,
            columns: vec![col],
            ref_table: must(row, "ref_table")?,
            ref_columns: vec![ref_col],
            on_delete,
            on_update,
        });
    }
    Ok(())
}

pub(super) fn view(
    row: &impl Record,
    name: String,
    definition: String,
) -> Result<View, MissingColumn> {
    Ok(View {
        name,
        columns: Vec::new(),
        query: SqlExpr {
            text: definition,
            key: String::new(),
        },
        algorithm: match must(row, "algorithm")?.as_str() {
            "MERGE" => ViewAlgorithm::Merge,
            "TEMPTABLE" => ViewAlgorithm::Temptable,
            _ => ViewAlgorithm::Undefined,
        },
        security: match must(row, "security")?.as_str() {
            "INVOKER" => ViewSecurity::Invoker,
            _ => ViewSecurity::Definer,
        },
        check_option: match must(row, "check_option")?.as_str() {
            "CASCADED" => Some(CheckOption::Cascaded),
            "LOCAL" => Some(CheckOption::Local),
            _ => None,
        },
        depends_on: Vec::new(),
        origin: None,
    })
}
