//! The schema model both sides meet in. Pure data: no I/O, no SQL text generation.
//!
//! After `normalize`, a model says exactly what the server would store: every charset and
//! collation explicit, every unnamed key and constraint named, implicit defaults filled in.

mod digest;
mod expr;
pub mod normalize;
mod partition;
mod program;
mod sequence;
mod types;
mod versioning;

pub use digest::FingerprintSum;
pub use expr::SESSION_CHARSET;
pub use partition::{Partition, PartitionKind, Partitioning};
pub use program::{
    Context, DataAccess, Definer, Event, EventStatus, Param, ParamMode, ProgramKind, Routine,
    RoutineKind, Schedule, Security, Trigger, TriggerEvent, TriggerTiming,
};
pub use sequence::{Sequence, SequenceOptions};
pub use types::{ColumnType, IntSize, LobSize, SpatialKind, StrKind, TemporalKind};
pub use versioning::{Rotation, RowTime};

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where a definition came from, for diagnostics and CI annotations. Never part of equality.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    pub file: String,
    pub line: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Schema {
    /// Database default charset and collation, which tables without their own inherit.
    pub charset: Option<String>,
    pub collation: Option<String>,
    /// The server stores table names in lower case (`lower_case_table_names` 1 or 2).
    #[serde(default)]
    pub lower_case_names: bool,
    /// The server gives a new Aria table no page checksums unless its DDL asks
    /// (`aria_page_checksum=OFF`; MariaDB's default is ON).
    #[serde(default)]
    pub aria_checksums_off: bool,
    pub tables: BTreeMap<String, Table>,
    pub views: BTreeMap<String, View>,
    /// MariaDB sequences.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sequences: BTreeMap<String, Sequence>,
    /// Stored programs (model/program.rs), each kind by name; procedures and functions have
    /// namespaces of their own.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub triggers: BTreeMap<String, Trigger>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub procedures: BTreeMap<String, Routine>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub functions: BTreeMap<String, Routine>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub events: BTreeMap<String, Event>,
    /// `-- canon: renamed from ...` notes of the canonical DDL: how to keep data on a rename.
    #[serde(skip)]
    pub renames: Vec<Rename>,
}

/// A table (`column` None) or a column that the canonical DDL says was called `from`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rename {
    pub table: String,
    pub column: Option<String>,
    pub from: String,
    /// Keep a view under the old table name, for code not yet moved to the new one.
    pub keep_compat_view: bool,
    pub origin: Option<Origin>,
}

/// What kind of object a name is; tables sort before views, and views before sequences.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ObjectKind {
    Table,
    View,
    Sequence,
    Trigger,
    Procedure,
    Function,
    Event,
}

/// A table's size as information_schema estimates it. Not part of the schema (never
/// compared): it tells a reviewer what a step will cost.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableSize {
    pub rows: u64,
    pub data_bytes: u64,
    pub index_bytes: u64,
}

/// Sizes by table name; empty when the source is a file.
pub type Sizes = BTreeMap<String, TableSize>;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub name: String,
    pub columns: Vec<Column>,
    /// All keys including PRIMARY, keyed by name in the diff; order is the server's print order.
    pub indexes: Vec<Index>,
    pub foreign_keys: Vec<ForeignKey>,
    pub checks: Vec<Check>,
    /// Application-time periods (`PERIOD FOR name (start, end)`, MariaDB 10.4+).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub periods: Vec<Period>,
    pub options: TableOptions,
    /// `WITH SYSTEM VERSIONING` (model/versioning.rs): the table keeps its rows' history.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub system_versioned: bool,
    #[serde(skip)]
    pub origin: Option<Origin>,
}

/// An application-time period: the two columns that bound each row's time. The server
/// enforces `start < end` with a CHECK named after the period, which is the period itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub name: String,
    pub start: String,
    pub end: String,
}

impl Table {
    pub fn new(name: impl Into<String>) -> Self {
        Table {
            name: name.into(),
            columns: Vec::new(),
            indexes: Vec::new(),
            foreign_keys: Vec::new(),
            checks: Vec::new(),
            periods: Vec::new(),
            options: TableOptions::default(),
            system_versioned: false,
            origin: None,
        }
    }
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
    }
    pub fn index(&self, name: &str) -> Option<&Index> {
        self.indexes
            .iter()
            .find(|i| i.name.eq_ignore_ascii_case(name))
    }
    /// Give back what the lists grew beyond their length: thousands of tables are held at once.
    pub fn shrink_to_fit(&mut self) {
        self.columns.shrink_to_fit();
        self.indexes.shrink_to_fit();
        self.foreign_keys.shrink_to_fit();
        self.checks.shrink_to_fit();
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    pub ty: ColumnType,
    /// Explicit after normalization for every textual column; None for the others.
    pub charset: Option<String>,
    pub collation: Option<String>,
    /// The `BINARY` attribute as written (the charset's `_bin` collation): normalization
    /// turns it into that collation.
    #[serde(skip)]
    pub binary: bool,
    pub nullable: bool,
    pub default: Option<DefaultValue>,
    pub on_update: Option<u32>,
    pub auto_increment: bool,
    /// Boxed, as are the other rare parts: a column is held thousands of times.
    pub generated: Option<Box<Generated>>,
    pub comment: Option<String>,
    pub invisible: bool,
    /// MariaDB's `/*M!100301 COMPRESSED*/` column format.
    pub compressed: bool,
    /// A column-level CHECK (MariaDB keeps it on the column, e.g. JSON's `json_valid`).
    pub check: Option<Box<SqlExpr>>,
    /// Engine-defined attributes (`Attribute`), in the order written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<Attribute>,
    /// The row start or end column of a system-versioned table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_time: Option<RowTime>,
    /// `WITHOUT SYSTEM VERSIONING`: changing only this column keeps no history.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unversioned: bool,
}

/// An engine-defined attribute of a table, column or key (MariaDB's `page_compressed`,
/// `encrypted`, CONNECT's `TABLE_TYPE`, ...): its name as written, its value as the server
/// keeps it (always a string).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribute {
    pub name: String,
    pub value: String,
}

impl Column {
    pub fn new(name: impl Into<String>, ty: ColumnType) -> Self {
        Column {
            name: name.into(),
            ty,
            charset: None,
            collation: None,
            binary: false,
            nullable: true,
            default: None,
            on_update: None,
            auto_increment: false,
            generated: None,
            comment: None,
            invisible: false,
            compressed: false,
            check: None,
            attributes: Vec::new(),
            system_time: None,
            unversioned: false,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum DefaultValue {
    Null,
    /// A number as the server prints it (`0`, `1.50`, `-3`).
    Number(String),
    /// A quoted literal, unescaped.
    String(String),
    /// `b'101'`, as its bit string.
    Bits(String),
    /// `current_timestamp(fsp)` in any spelling (NOW(), LOCALTIME, ...).
    CurrentTimestamp(u32),
    /// Any other expression default (MariaDB 10.2+, MySQL 8.0.13+).
    Expr(Box<SqlExpr>),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Generated {
    pub expr: SqlExpr,
    pub stored: bool,
}

/// An SQL expression in canonical form. `text` is how it is printed; `key` is what compares
/// (redundant parentheses removed), so `(a + 1)` and `a + 1` are the same expression.
/// Only `text` is written out: the key holds internal markers (a NUL before a session's
/// charset) and is canon's to compute, never part of a plan or a report.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(from = "expr::Written")]
pub struct SqlExpr {
    pub text: String,
    #[serde(skip_serializing)]
    pub key: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IndexKind {
    Primary,
    Unique,
    Key,
    Fulltext,
    Spatial,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum IndexAlgorithm {
    Btree,
    Hash,
    Rtree,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Index {
    pub name: String,
    pub kind: IndexKind,
    pub parts: Vec<KeyPart>,
    pub using: Option<IndexAlgorithm>,
    pub comment: Option<String>,
    /// MySQL INVISIBLE / MariaDB IGNORED.
    pub invisible: bool,
    /// FULLTEXT `WITH PARSER`.
    pub parser: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<Attribute>,
    /// Its own KEY_BLOCK_SIZE, when not the table's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_block_size: Option<u32>,
}

impl Index {
    /// A plain index (no USING, comment, parser or options) on columns, each whole.
    pub fn on_columns(name: String, kind: IndexKind, columns: &[String]) -> Index {
        Index {
            name,
            kind,
            parts: columns
                .iter()
                .map(|c| KeyPart {
                    target: KeyTarget::Column(c.clone()),
                    prefix: None,
                    desc: false,
                })
                .collect(),
            using: None,
            comment: None,
            invisible: false,
            parser: None,
            attributes: Vec::new(),
            key_block_size: None,
        }
    }

    pub fn column_names(&self) -> Vec<&str> {
        self.parts
            .iter()
            .filter_map(|p| match &p.target {
                KeyTarget::Column(c) => Some(c.as_str()),
                KeyTarget::Expr(_) => None,
            })
            .collect()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KeyPart {
    pub target: KeyTarget,
    pub prefix: Option<u32>,
    pub desc: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyTarget {
    Column(String),
    Expr(SqlExpr),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FkAction {
    /// RESTRICT, the default, is None: the server keeps no spelling of it.
    NoAction,
    Cascade,
    SetNull,
    SetDefault,
}

impl FkAction {
    /// The one rule for what a foreign key rule does: InnoDB treats NO ACTION as RESTRICT,
    /// the default (None).
    pub fn effect(rule: Option<FkAction>) -> Option<FkAction> {
        match rule {
            None | Some(FkAction::NoAction) => None,
            other => other,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ForeignKey {
    pub name: String,
    pub columns: Vec<String>,
    pub ref_table: String,
    pub ref_columns: Vec<String>,
    /// None is the server default (RESTRICT), which `SHOW CREATE TABLE` omits.
    pub on_delete: Option<FkAction>,
    pub on_update: Option<FkAction>,
}

impl ForeignKey {
    /// Same columns, target and rules by their effect (only the spelling may differ).
    pub fn same_effect(&self, other: &ForeignKey) -> bool {
        let eff = FkAction::effect;
        self.columns == other.columns
            && self.ref_table == other.ref_table
            && self.ref_columns == other.ref_columns
            && eff(self.on_delete) == eff(other.on_delete)
            && eff(self.on_update) == eff(other.on_update)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Check {
    pub name: String,
    pub expr: SqlExpr,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TableOptions {
    pub engine: Option<String>,
    pub charset: Option<String>,
    pub collation: Option<String>,
    pub row_format: Option<String>,
    pub comment: Option<String>,
    /// Options canon compares but does not interpret (KEY_BLOCK_SIZE, STATS_PERSISTENT, ...),
    /// by upper-case name, with the value as the server prints it; and engine-defined
    /// attributes (any name not in `SERVER_OPTIONS`), by name as written, with their value.
    pub other: BTreeMap<String, String>,
    /// The engine-defined attributes of `other` in the order written, as the server prints them.
    #[serde(skip)]
    pub attribute_order: AsWritten<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partitioning: Option<Box<Partitioning>>,
}

/// What the server prints as it was written although it means the same either way (the
/// order of engine-defined attributes, an explicit `PARTITIONS 1`): kept to print the
/// definition back the same, never compared, in no digest.
#[derive(Clone, Debug, Default)]
pub struct AsWritten<T>(pub T);

impl<T> PartialEq for AsWritten<T> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl<T> Eq for AsWritten<T> {}

impl AsWritten<Vec<String>> {
    /// `name` written (again): it goes last, as an ALTER that sets it moves it.
    pub fn written(&mut self, name: &str) {
        self.0.retain(|n| n != name);
        self.0.push(name.to_string());
    }
}

/// The table options of the server itself that `other` holds; any other name there is an
/// engine-defined attribute.
pub const SERVER_OPTIONS: &[&str] = &[
    "KEY_BLOCK_SIZE",
    "STATS_PERSISTENT",
    "STATS_AUTO_RECALC",
    "STATS_SAMPLE_PAGES",
    "PACK_KEYS",
    "CHECKSUM",
    "TABLE_CHECKSUM",
    "DELAY_KEY_WRITE",
    "MAX_ROWS",
    "MIN_ROWS",
    "AVG_ROW_LENGTH",
    "PAGE_CHECKSUM",
    "TRANSACTIONAL",
    "COMPRESSION",
    "ENCRYPTION",
    "INSERT_METHOD",
    "SEQUENCE",
    "CONNECTION",
    "UNION",
    "DATA DIRECTORY",
    "INDEX DIRECTORY",
];

impl TableOptions {
    /// The options without the partitioning, which changes through its own statements.
    pub fn unpartitioned(&self) -> TableOptions {
        TableOptions {
            partitioning: None,
            ..self.clone()
        }
    }
}

/// Where a column goes in the table: `FIRST` or `AFTER` another column.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Position {
    First,
    After(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum ViewAlgorithm {
    Undefined,
    Merge,
    Temptable,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum ViewSecurity {
    Definer,
    Invoker,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum CheckOption {
    Cascaded,
    Local,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct View {
    pub name: String,
    pub columns: Vec<String>,
    pub query: SqlExpr,
    pub algorithm: ViewAlgorithm,
    pub security: ViewSecurity,
    pub check_option: Option<CheckOption>,
    /// Tables and views the query reads, for ordering.
    pub depends_on: Vec<String>,
    #[serde(skip)]
    pub origin: Option<Origin>,
}
