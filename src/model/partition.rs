//! Partitioning: how a table is split, and each partition's bounds and options.

use super::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum PartitionKind {
    Range,
    List,
    Hash,
    Key,
    /// MariaDB's history partitions of a system-versioned table.
    SystemTime,
}

/// `PARTITION BY ...` as the server stores it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Partitioning {
    pub kind: PartitionKind,
    #[serde(default)]
    pub linear: bool,
    /// RANGE/LIST COLUMNS and KEY: the columns (KEY with none: the primary key).
    #[serde(default)]
    pub columns: Vec<String>,
    /// RANGE/LIST COLUMNS.
    #[serde(default)]
    pub by_columns: bool,
    /// RANGE, LIST and HASH without COLUMNS: the expression.
    pub expr: Option<SqlExpr>,
    /// HASH and KEY: how many partitions.
    #[serde(default)]
    pub count: u32,
    /// `PARTITIONS n` was written, which the server prints even for one partition.
    #[serde(skip)]
    pub count_written: AsWritten<bool>,
    /// The partitions in order (HASH and KEY: when named).
    #[serde(default)]
    pub partitions: Vec<Partition>,
    /// `SUBPARTITION BY HASH|KEY`: how each partition is divided (its `count` is how many
    /// subpartitions each has; its `partitions` stay empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub: Option<Box<Partitioning>>,
    /// SYSTEM_TIME: when history moves to the next partition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotation: Option<Box<Rotation>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partition {
    pub name: String,
    /// As the server prints it: `LESS THAN (2024)`, `LESS THAN MAXVALUE`, `IN (NULL,1,2)`,
    /// `DEFAULT`, `HISTORY`, `CURRENT`; empty for HASH and KEY partitions and subpartitions.
    pub values: String,
    /// Its own options (MAX_ROWS, COMMENT, DATA DIRECTORY...), by name, each value as the
    /// server prints it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, String>,
    /// The engine-defined attributes among `options` in the order written, as printed.
    #[serde(skip)]
    pub attribute_order: AsWritten<Vec<String>>,
    /// Its subpartitions, when they are named.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subpartitions: Vec<Partition>,
}
