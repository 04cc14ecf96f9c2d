//! System versioning (MariaDB 10.3+): a table that keeps the history of its rows, the
//! columns that bound each row version, and the history partitions (`PARTITION BY
//! SYSTEM_TIME`).

use super::AsWritten;
use serde::{Deserialize, Serialize};

/// Which bound of a row version a column records (`GENERATED ALWAYS AS ROW START|END`).
/// A versioned table without such columns has the server's hidden `row_start`/`row_end`,
/// which neither `SHOW CREATE TABLE` nor information_schema lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RowTime {
    Start,
    End,
}

/// How `PARTITION BY SYSTEM_TIME` moves history into a new partition: after `LIMIT` rows,
/// or every `INTERVAL`; `AUTO` adds history partitions as they fill.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rotation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u64>,
    /// As the server prints it: `1 HOUR`, `3600 SECOND`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<String>,
    /// `TIMESTAMP'2000-01-01 00:00:00'`: when not written the server takes the time of the
    /// statement, so it is kept to print back and never compared.
    #[serde(skip)]
    pub starts: AsWritten<Option<String>>,
    #[serde(default)]
    pub auto: bool,
}

/// What the server makes of a versioned table's row bounds: its row start and end columns
/// are NOT NULL without a default, and its row end column ends every primary and unique key
/// that names neither bound (a row's versions share the key; `UNIQUE (a, s)` on the row start
/// stays as written, as 10.11 prints it). Runs before the columns' own normalization.
pub(super) fn normalize(t: &mut super::Table) {
    if !t.system_versioned {
        return;
    }
    let (mut end, mut bounds) = (None, Vec::new());
    for col in &mut t.columns {
        if col.system_time.is_some() {
            col.nullable = false;
            col.default = None;
            bounds.push(col.name.clone());
        }
        if col.system_time == Some(RowTime::End) {
            end = Some(col.name.clone());
        }
    }
    let Some(end) = end else { return };
    for ix in &mut t.indexes {
        let unique = matches!(
            ix.kind,
            super::IndexKind::Primary | super::IndexKind::Unique
        );
        let names_a_bound = ix
            .column_names()
            .iter()
            .any(|c| bounds.iter().any(|b| b.eq_ignore_ascii_case(c)));
        if unique && !names_a_bound {
            ix.parts.push(super::KeyPart {
                target: super::KeyTarget::Column(end.clone()),
                prefix: None,
                desc: false,
            });
        }
    }
}
