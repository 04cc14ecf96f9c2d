//! Column types as the server knows them.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IntSize {
    Tiny,
    Small,
    Medium,
    Int,
    Big,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StrKind {
    Char,
    Varchar,
    Binary,
    Varbinary,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LobSize {
    Tiny,
    Regular,
    Medium,
    Long,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TemporalKind {
    Date,
    Time,
    DateTime,
    Timestamp,
    Year,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SpatialKind {
    Geometry,
    Point,
    LineString,
    Polygon,
    MultiPoint,
    MultiLineString,
    MultiPolygon,
    GeometryCollection,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ColumnType {
    Int {
        size: IntSize,
        width: Option<u32>,
        unsigned: bool,
        zerofill: bool,
    },
    Decimal {
        precision: u32,
        scale: u32,
        unsigned: bool,
        zerofill: bool,
    },
    Float {
        double: bool,
        /// `float(M,D)`; None when written without.
        precision: Option<(u32, u32)>,
        unsigned: bool,
        zerofill: bool,
    },
    Bit {
        width: u32,
    },
    String {
        kind: StrKind,
        length: u32,
    },
    Text {
        size: LobSize,
    },
    Blob {
        size: LobSize,
    },
    Enum {
        values: Vec<String>,
    },
    Set {
        values: Vec<String>,
    },
    /// `fsp`: fractional seconds; of a YEAR, 2 for MariaDB's two-digit YEAR(2).
    Temporal {
        kind: TemporalKind,
        fsp: u32,
    },
    Json,
    Spatial {
        kind: SpatialKind,
    },
    /// MariaDB's UUID, INET4 and INET6 data types.
    Named {
        name: String,
    },
}

impl ColumnType {
    /// Types that carry a charset and collation.
    pub fn is_textual(&self) -> bool {
        matches!(
            self,
            ColumnType::String {
                kind: StrKind::Char | StrKind::Varchar,
                ..
            } | ColumnType::Text { .. }
                | ColumnType::Enum { .. }
                | ColumnType::Set { .. }
        )
    }
    pub fn is_lob(&self) -> bool {
        matches!(
            self,
            ColumnType::Text { .. }
                | ColumnType::Blob { .. }
                | ColumnType::Json
                | ColumnType::Spatial { .. }
        )
    }
    pub fn char_length(&self) -> Option<u32> {
        match self {
            ColumnType::String { length, .. } => Some(*length),
            _ => None,
        }
    }
}
