//! One normalization for every model, whatever its source: the result is what the server
//! would store (and `SHOW CREATE TABLE` would print) for the given flavor. Each rule below
//! was checked against MariaDB 10.11's own output and has a unit test.

use super::*;
use crate::flavor::Flavor;
use crate::sqlexpr::{self, Relations};

mod defaults;
mod programs;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum NormalizeError {
    #[error("unknown character set `{charset}` in {place}")]
    UnknownCharset { charset: String, place: String },
    #[error("unknown collation `{collation}` in {place}")]
    UnknownCollation { collation: String, place: String },
    #[error("collation `{collation}` does not belong to character set `{charset}` in {place}")]
    Mismatch {
        charset: String,
        collation: String,
        place: String,
    },
    #[error("{place}: key column `{column}` does not exist")]
    UnknownKeyColumn { place: String, column: String },
    #[error("view `{view}`: cannot read its query: {reason}")]
    ViewQuery { view: String, reason: String },
}

pub fn normalize(schema: &mut Schema, flavor: Flavor) -> Result<(), NormalizeError> {
    let (db_charset, db_collation) = resolve_charset(
        schema.charset.clone(),
        schema.collation.clone(),
        flavor.default_charset(),
        None,
        flavor,
        "the database",
    )?;
    schema.charset = Some(db_charset.clone());
    schema.collation = Some(db_collation.clone());
    if schema.lower_case_names {
        lower_case_names(schema);
    }
    let database = (
        db_charset.as_str(),
        db_collation.as_str(),
        schema.aria_checksums_off,
    );
    for table in schema.tables.values_mut() {
        normalize_table(table, flavor, database)?;
    }
    for s in schema.sequences.values_mut() {
        s.options.engine = Some(engine_name(s.options.engine.take()));
    }
    // Views read tables and other views: normalize them in dependency order, so that `*`
    // over a view expands to that view's own output columns.
    let mut pending = std::mem::take(&mut schema.views);
    let mut relations = SchemaRelations {
        tables: &schema.tables,
        views: BTreeMap::new(),
    };
    let mut done = BTreeMap::new();
    while !pending.is_empty() {
        let mut ready: Vec<String> = pending
            .iter()
            .filter(|(name, v)| {
                sqlexpr::relations_of(&v.query.text)
                    .iter()
                    .all(|r| r == *name || !pending.contains_key(r))
            })
            .map(|(n, _)| n.clone())
            .collect();
        if ready.is_empty() {
            // A cycle cannot exist on a server; take the rest in name order.
            ready = pending.keys().cloned().collect();
        }
        for name in ready {
            if let Some(mut view) = pending.remove(&name) {
                normalize_view(&mut view, &relations)?;
                let columns = sqlexpr::output_columns(&view.query.text);
                relations.views.insert(name.clone(), columns);
                done.insert(name, view);
            }
        }
    }
    schema.views = done;
    programs::normalize_programs(schema);
    Ok(())
}

/// With `lower_case_table_names` set, the server stores and compares table and view names in
/// lower case: so must both sides, or `Users` and `users` would be a drop and a create.
fn lower_case_names(schema: &mut Schema) {
    let tables = std::mem::take(&mut schema.tables);
    for (_, mut t) in tables {
        t.name = t.name.to_lowercase();
        for fk in &mut t.foreign_keys {
            fk.ref_table = fk.ref_table.to_lowercase();
        }
        schema.tables.insert(t.name.clone(), t);
    }
    let views = std::mem::take(&mut schema.views);
    for (_, mut v) in views {
        v.name = v.name.to_lowercase();
        v.query.text = sqlexpr::lower_case_relations(&v.query.text);
        schema.views.insert(v.name.clone(), v);
    }
    let sequences = std::mem::take(&mut schema.sequences);
    for (_, mut s) in sequences {
        s.name = s.name.to_lowercase();
        schema.sequences.insert(s.name.clone(), s);
    }
}

/// Fill in charset and collation the way the server does: a collation alone implies its
/// charset, a charset alone its default collation, neither inherits the parent's pair.
fn resolve_charset(
    charset: Option<String>,
    collation: Option<String>,
    parent_charset: &str,
    parent_collation: Option<&str>,
    flavor: Flavor,
    place: &str,
) -> Result<(String, String), NormalizeError> {
    let unknown_cs = |cs: &str| NormalizeError::UnknownCharset {
        charset: cs.to_string(),
        place: place.to_string(),
    };
    match (charset, collation) {
        (None, None) => match parent_collation {
            Some(pc) => Ok((parent_charset.to_string(), pc.to_string())),
            None => {
                let coll = flavor
                    .default_collation(parent_charset)
                    .ok_or_else(|| unknown_cs(parent_charset))?;
                Ok((parent_charset.to_string(), coll))
            }
        },
        (Some(cs), None) => {
            let coll = flavor
                .default_collation(&cs)
                .ok_or_else(|| unknown_cs(&cs))?;
            Ok((cs, coll))
        }
        (cs, Some(coll)) => {
            let of = Flavor::charset_of_collation(&coll).ok_or_else(|| {
                NormalizeError::UnknownCollation {
                    collation: coll.clone(),
                    place: place.to_string(),
                }
            })?;
            match cs {
                Some(cs) if cs != of => Err(NormalizeError::Mismatch {
                    charset: cs,
                    collation: coll,
                    place: place.to_string(),
                }),
                _ => Ok((of.to_string(), coll)),
            }
        }
    }
}

const ENGINES: &[&str] = &[
    "InnoDB",
    "MyISAM",
    "MEMORY",
    "Aria",
    "CSV",
    "ARCHIVE",
    "BLACKHOLE",
    "MRG_MyISAM",
    "ROCKSDB",
    "SEQUENCE",
    "CONNECT",
    "SPIDER",
    "ColumnStore",
    "FEDERATED",
];

/// The engine as the server names it; the default one when none was written.
fn engine_name(engine: Option<String>) -> String {
    let engine = engine.unwrap_or_else(|| "InnoDB".to_string());
    ENGINES
        .iter()
        .find(|e| e.eq_ignore_ascii_case(&engine))
        .map_or(engine, |e| e.to_string())
}

/// A table, with its database's charset, collation and `aria_checksums_off`.
fn normalize_table(
    t: &mut Table,
    flavor: Flavor,
    (db_charset, db_collation, aria_checksums_off): (&str, &str, bool),
) -> Result<(), NormalizeError> {
    let place = ObjectKind::Table.label(&t.name);
    t.options.engine = Some(engine_name(t.options.engine.take()));
    if t.options.engine.as_deref() == Some("Aria") && t.options.partitioning.is_none() {
        // Aria prints its default PAGE_CHECKSUM=1 (seen in SHOW CREATE TABLE on 10.11), or 0
        // under aria_page_checksum=OFF; a partitioned table prints only the one written.
        t.options
            .other
            .entry("PAGE_CHECKSUM".into())
            .or_insert_with(|| if aria_checksums_off { "0" } else { "1" }.into());
    }
    let (cs, coll) = resolve_charset(
        t.options.charset.take(),
        t.options.collation.take(),
        db_charset,
        Some(db_collation),
        flavor,
        &place,
    )?;
    t.options.charset = Some(cs.clone());
    t.options.collation = Some(coll.clone());

    let pk_columns: Vec<String> = t
        .indexes
        .iter()
        .filter(|i| i.kind == IndexKind::Primary)
        .flat_map(|i| i.column_names().into_iter().map(str::to_string))
        .collect();
    super::versioning::normalize(t);
    let mut moved_checks = Vec::new();
    for col in &mut t.columns {
        if pk_columns.iter().any(|p| p.eq_ignore_ascii_case(&col.name)) {
            col.nullable = false;
        }
        normalize_column(col, flavor, &cs, &coll, &t.name)?;
        if !flavor.is_mariadb() {
            // MySQL keeps column CHECKs as table constraints.
            if let Some(expr) = col.check.take() {
                moved_checks.push(Check {
                    name: String::new(),
                    expr: *expr,
                });
            }
        }
    }
    t.checks.extend(moved_checks);
    settle_keys(t)?;
    name_checks(t, flavor);
    sort_indexes(t);
    // The server prints foreign keys in name order.
    t.foreign_keys.sort_by(|a, b| a.name.cmp(&b.name));
    if !flavor.is_mariadb() {
        // MySQL reports a rule nobody gave as NO ACTION, which InnoDB treats as the
        // default RESTRICT: one spelling for all three.
        for fk in &mut t.foreign_keys {
            for rule in [&mut fk.on_delete, &mut fk.on_update] {
                *rule = FkAction::effect(*rule);
            }
        }
    }
    Ok(())
}

/// Name unnamed keys and foreign keys, and add the index a foreign key needs, the way the
/// server does when the statement defining them runs (so a later `CREATE INDEX` comes after
/// a foreign key's index, as on the server). Idempotent: `normalize` runs it again. Returns
/// the names of the indexes it added.
pub fn settle_keys(t: &mut Table) -> Result<Vec<String>, NormalizeError> {
    normalize_keys(t)?;
    Ok(name_foreign_keys_and_their_indexes(t))
}

/// An integer type's display width as the server prints it (a stored program's parameters
/// and return type too).
pub fn fill_int_width(ty: &mut ColumnType, flavor: Flavor) {
    if let ColumnType::Int {
        size,
        width,
        unsigned,
        zerofill,
    } = ty
    {
        // MySQL 8.0.19+ still prints widths of ZEROFILL columns.
        if flavor.keeps_int_display_width() || *zerofill {
            width.get_or_insert(default_int_width(*size, *unsigned));
        } else if !(*size == IntSize::Tiny && *width == Some(1)) {
            *width = None;
        }
    }
}

fn default_int_width(size: IntSize, unsigned: bool) -> u32 {
    match (size, unsigned) {
        (IntSize::Tiny, false) => 4,
        (IntSize::Tiny, true) => 3,
        (IntSize::Small, false) => 6,
        (IntSize::Small, true) => 5,
        (IntSize::Medium, false) => 9,
        (IntSize::Medium, true) => 8,
        (IntSize::Int, false) => 11,
        (IntSize::Int, true) => 10,
        (IntSize::Big, _) => 20,
    }
}

fn normalize_column(
    col: &mut Column,
    flavor: Flavor,
    table_charset: &str,
    table_collation: &str,
    table: &str,
) -> Result<(), NormalizeError> {
    let place = format!("column `{table}`.`{}`", col.name);
    fill_int_width(&mut col.ty, flavor);
    if let ColumnType::Temporal {
        kind: TemporalKind::Year,
        fsp,
    } = &mut col.ty
    {
        // MySQL has no YEAR(2) any more: it makes it YEAR (reference manual, "2-Digit YEAR").
        if !flavor.is_mariadb() {
            *fsp = 0;
        }
    }
    if col.ty == ColumnType::Json && flavor.json_is_longtext() {
        // MariaDB: JSON is LONGTEXT utf8mb4_bin with a json_valid() check on the column.
        col.ty = ColumnType::Text {
            size: LobSize::Long,
        };
        col.charset = Some("utf8mb4".into());
        col.collation = Some("utf8mb4_bin".into());
        let name = &col.name;
        col.check
            .get_or_insert_with(|| Box::new(sqlexpr::json_valid(name)));
    }
    if col.ty.is_textual() {
        if std::mem::take(&mut col.binary) {
            let cs = col
                .charset
                .clone()
                .unwrap_or_else(|| table_charset.to_string());
            col.collation = Some(format!("{cs}_bin"));
        }
        let (cs, coll) = resolve_charset(
            col.charset.take(),
            col.collation.take(),
            table_charset,
            Some(table_collation),
            flavor,
            &place,
        )?;
        col.charset = Some(cs);
        col.collation = Some(coll);
        binary_charset_types(col);
    } else {
        col.charset = None;
        col.collation = None;
    }
    if col.auto_increment || col.generated.is_some() {
        col.default = None;
    } else if col.nullable && col.default.is_none() {
        col.default = Some(DefaultValue::Null);
    }
    if let Some(d) = col.default.take() {
        col.default = Some(defaults::literal(d, &col.ty, flavor));
    }
    Ok(())
}

/// Text in the `binary` charset is stored as bytes: CHAR is BINARY, VARCHAR is VARBINARY and
/// TEXT is BLOB, printed without a charset (a table with `DEFAULT CHARSET=binary`, as
/// MediaWiki creates them, gives its string columns these types).
fn binary_charset_types(col: &mut Column) {
    if col.charset.as_deref() != Some("binary") {
        return;
    }
    let ty = match &col.ty {
        ColumnType::String {
            kind: StrKind::Char,
            length,
        } => ColumnType::String {
            kind: StrKind::Binary,
            length: *length,
        },
        ColumnType::String {
            kind: StrKind::Varchar,
            length,
        } => ColumnType::String {
            kind: StrKind::Varbinary,
            length: *length,
        },
        ColumnType::Text { size } => ColumnType::Blob { size: *size },
        _ => return,
    };
    col.ty = ty;
    col.charset = None;
    col.collation = None;
}

fn taken(names: &[&str], candidate: &str) -> bool {
    names.iter().any(|n| n.eq_ignore_ascii_case(candidate))
}

/// `name`, else `name_2`, `name_3`, ... : the server's choice for an unnamed key.
fn free_name(names: &[&str], base: &str) -> String {
    if !taken(names, base) && !base.eq_ignore_ascii_case("PRIMARY") {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|c| !taken(names, c))
        .unwrap_or_default()
}

fn normalize_keys(t: &mut Table) -> Result<(), NormalizeError> {
    // A key's KEY_BLOCK_SIZE prints only when it is not the table's (0: the table's).
    let table_size = t.options.other.get("KEY_BLOCK_SIZE");
    for ix in &mut t.indexes {
        if ix
            .key_block_size
            .is_some_and(|s| s == 0 || table_size.is_some_and(|t| *t == s.to_string()))
        {
            ix.key_block_size = None;
        }
    }
    // Columns' lengths, to drop prefixes that cover the whole column.
    let lengths: Vec<(String, Option<u32>)> = t
        .columns
        .iter()
        .map(|c| (c.name.clone(), c.ty.char_length()))
        .collect();
    for i in 0..t.indexes.len() {
        for part in &mut t.indexes[i].parts {
            if let KeyTarget::Column(c) = &part.target {
                let Some((_, len)) = lengths.iter().find(|(n, _)| n.eq_ignore_ascii_case(c)) else {
                    return Err(NormalizeError::UnknownKeyColumn {
                        place: ObjectKind::Table.label(&t.name),
                        column: c.clone(),
                    });
                };
                if part.prefix.is_some() && part.prefix == *len {
                    part.prefix = None;
                }
            }
        }
        if t.indexes[i].name.is_empty() {
            let base = match &t.indexes[i].parts[0].target {
                KeyTarget::Column(c) => c.clone(),
                KeyTarget::Expr(_) => "functional_index".to_string(),
            };
            let names: Vec<&str> = t.indexes.iter().map(|x| x.name.as_str()).collect();
            t.indexes[i].name = free_name(&names, &base);
        }
    }
    Ok(())
}

/// Unnamed foreign keys become `<table>_ibfk_<n>`; a foreign key without an index whose
/// leading columns are its own gets one, named after the constraint when it was named,
/// else after its first column.
fn name_foreign_keys_and_their_indexes(t: &mut Table) -> Vec<String> {
    let mut added = Vec::new();
    let mut n = 0;
    for i in 0..t.foreign_keys.len() {
        let explicit = !t.foreign_keys[i].name.is_empty();
        if !explicit {
            let names: Vec<String> = t.foreign_keys.iter().map(|f| f.name.clone()).collect();
            loop {
                n += 1;
                let candidate = format!("{}_ibfk_{n}", t.name);
                if !names.iter().any(|x| x.eq_ignore_ascii_case(&candidate)) {
                    t.foreign_keys[i].name = candidate;
                    break;
                }
            }
        }
        let fk = &t.foreign_keys[i];
        let covered =
            t.indexes.iter().any(|ix| {
                matches!(ix.kind, IndexKind::Primary | IndexKind::Unique | IndexKind::Key)
                && ix.parts.len() >= fk.columns.len()
                && ix.parts.iter().zip(&fk.columns).all(|(p, c)| {
                    matches!(&p.target, KeyTarget::Column(k) if k.eq_ignore_ascii_case(c))
                })
            });
        if !covered {
            let base = if explicit {
                fk.name.clone()
            } else {
                fk.columns[0].clone()
            };
            let names: Vec<&str> = t.indexes.iter().map(|x| x.name.as_str()).collect();
            let name = free_name(&names, &base);
            added.push(name.clone());
            t.indexes
                .push(Index::on_columns(name, IndexKind::Key, &fk.columns));
        }
    }
    added
}

fn name_checks(t: &mut Table, flavor: Flavor) {
    let mut n = 0;
    for i in 0..t.checks.len() {
        if t.checks[i].name.is_empty() {
            let names: Vec<String> = t.checks.iter().map(|c| c.name.clone()).collect();
            loop {
                n += 1;
                let candidate = flavor.unnamed_check_name(&t.name, n);
                if !names.iter().any(|x| x.eq_ignore_ascii_case(&candidate)) {
                    t.checks[i].name = candidate;
                    break;
                }
            }
        }
    }
}

/// The server's print order: PRIMARY, UNIQUE over NOT NULL columns, other UNIQUE, plain and
/// SPATIAL keys, FULLTEXT; creation order within each class.
fn sort_indexes(t: &mut Table) {
    let nullable = |c: &str| t.column(c).is_none_or(|c| c.nullable);
    let classes: Vec<u8> = t
        .indexes
        .iter()
        .map(|i| match i.kind {
            IndexKind::Primary => 0,
            IndexKind::Unique if i.column_names().iter().all(|c| !nullable(c)) => 1,
            IndexKind::Unique => 2,
            IndexKind::Key | IndexKind::Spatial => 3,
            IndexKind::Fulltext => 4,
        })
        .collect();
    let mut keyed: Vec<(u8, Index)> = classes.into_iter().zip(t.indexes.drain(..)).collect();
    keyed.sort_by_key(|(c, _)| *c);
    t.indexes = keyed.into_iter().map(|(_, i)| i).collect();
}

struct SchemaRelations<'a> {
    tables: &'a BTreeMap<String, Table>,
    views: BTreeMap<String, Vec<String>>,
}

impl Relations for SchemaRelations<'_> {
    fn columns_of(&self, relation: &str) -> Option<Vec<String>> {
        if let Some(cols) = self.views.get(relation) {
            return Some(cols.clone());
        }
        self.tables.get(relation).map(|t| {
            t.columns
                .iter()
                .filter(|c| !c.invisible)
                .map(|c| c.name.clone())
                .collect()
        })
    }
}

fn normalize_view(view: &mut View, relations: &dyn Relations) -> Result<(), NormalizeError> {
    let (query, depends) = sqlexpr::canonical_query(&view.query.text, &view.columns, relations)
        .map_err(|reason| NormalizeError::ViewQuery {
            view: view.name.clone(),
            reason,
        })?;
    view.query = query;
    view.depends_on = depends;
    view.columns.clear();
    Ok(())
}

#[cfg(test)]
mod tests;

/// Canonical DDL text → normalized schema, for unit tests across the crate.
#[cfg(test)]
pub fn schema_of(ddl: &str, flavor: Flavor) -> Schema {
    let mut s = crate::source::ddl::parse_text(
        "t.sql",
        ddl,
        crate::source::ddl::SourceKind::Schema,
        flavor,
    )
    .expect("test DDL parses")
    .schema;
    normalize(&mut s, flavor).expect("test DDL normalizes");
    s
}
