//! What a column clause costs: adding, dropping and changing a column, by the table it is
//! in (its indexes, row format) and, for a type change, by how the stored value changes.

use super::{cost, has_fulltext, Algorithm, Cost, Lock};
use crate::flavor::Flavor;
use crate::model::{Column, ColumnType, IndexKind, Position, StrKind, Table};

fn compressed(t: &Table) -> bool {
    t.options.row_format.as_deref() == Some("COMPRESSED")
        || t.options.other.contains_key("KEY_BLOCK_SIZE")
}

fn indexed(t: &Table, column: &str) -> Option<IndexKind> {
    t.indexes
        .iter()
        .filter(|i| i.column_names().contains(&column))
        .map(|i| i.kind)
        .min_by_key(|k| *k != IndexKind::Primary)
}

/// Why a column operation cannot be INSTANT on this table, whatever the column.
fn blocks_instant_columns(t: &Table) -> Option<Cost> {
    if has_fulltext(t) {
        return Some(cost(
            Algorithm::Rebuild,
            Lock::Shared,
            "a FULLTEXT index on the table blocks INSTANT column changes: the table is rebuilt",
        ));
    }
    compressed(t).then(|| {
        cost(
            Algorithm::Rebuild,
            Lock::None,
            "ROW_FORMAT=COMPRESSED tables cannot change columns instantly: the table is rebuilt",
        )
    })
}

pub(super) fn add_column(t: &Table, c: &Column, position: &Position, f: Flavor) -> Cost {
    if c.generated.as_ref().is_some_and(|g| g.stored) {
        return cost(
            Algorithm::Copy,
            Lock::Shared,
            format!(
                "adding the STORED generated column `{}` copies the table",
                c.name
            ),
        );
    }
    if c.auto_increment {
        return cost(
            Algorithm::Rebuild,
            Lock::Shared,
            "adding an AUTO_INCREMENT column rebuilds the table and blocks writes",
        );
    }
    if matches!(c.default, Some(crate::model::DefaultValue::Expr(_))) {
        return cost(
            Algorithm::Copy,
            Lock::Shared,
            format!(
                "the default of `{}` is an expression evaluated per row: the table is copied",
                c.name
            ),
        );
    }
    if let Some(blocked) = blocks_instant_columns(t) {
        return blocked;
    }
    let last = match position {
        Position::After(p) => t.columns.last().is_some_and(|l| &l.name == p),
        Position::First => t.columns.is_empty(),
    };
    if !last && !f.instant_columns_anywhere() {
        return cost(
            Algorithm::Rebuild,
            Lock::None,
            "adding a column not at the end needs MySQL 8.0.29+ for INSTANT: the table is rebuilt",
        );
    }
    cost(
        Algorithm::Instant,
        Lock::None,
        format!("adding column `{}` is INSTANT", c.name),
    )
}

pub(super) fn drop_column(t: &Table, name: &str, f: Flavor) -> Cost {
    let stored = t
        .column(name)
        .and_then(|c| c.generated.as_ref())
        .is_some_and(|g| g.stored);
    if let Some(blocked) = blocks_instant_columns(t) {
        return blocked;
    }
    match indexed(t, name) {
        Some(IndexKind::Primary) => cost(
            Algorithm::Rebuild,
            Lock::None,
            format!("`{name}` is in the primary key: the table is rebuilt"),
        ),
        _ if stored || !f.instant_columns_anywhere() => cost(
            Algorithm::Rebuild,
            Lock::None,
            format!("dropping `{name}` rebuilds the table (INSTANT needs MySQL 8.0.29+, and a column that is not STORED)"),
        ),
        Some(_) if f.instant_metadata_changes() => cost(
            Algorithm::NoRebuild,
            Lock::None,
            format!("`{name}` is indexed: its indexes change in place"),
        ),
        Some(_) => cost(
            Algorithm::Rebuild,
            Lock::None,
            format!("`{name}` is indexed: the table is rebuilt"),
        ),
        None => cost(
            Algorithm::Instant,
            Lock::None,
            format!("dropping column `{name}` is INSTANT"),
        ),
    }
}

/// Bytes an ENUM or SET value takes: appending values is INSTANT only within the same size.
fn member_storage(ty: &ColumnType) -> Option<(usize, usize, &[String])> {
    match ty {
        ColumnType::Enum { values } => Some((0, if values.len() < 256 { 1 } else { 2 }, values)),
        ColumnType::Set { values } => {
            let bytes = values.len().div_ceil(8);
            Some((1, if bytes > 4 { 8 } else { bytes }, values))
        }
        _ => None,
    }
}

/// Whether a VARCHAR's length prefix stays one byte (at most 255 bytes) or two.
fn length_bytes(length: u32, charset: Option<&str>) -> u32 {
    let max = length * charset.map_or(1, Flavor::charset_max_len);
    if max > 255 {
        2
    } else {
        1
    }
}

fn type_change(from: &Column, to: &Column, f: Flavor) -> Cost {
    let copy = || {
        cost(
            Algorithm::Copy,
            Lock::Shared,
            format!("changing the type of `{}` copies the table", to.name),
        )
    };
    match (&from.ty, &to.ty) {
        (
            ColumnType::String {
                kind: k1 @ (StrKind::Varchar | StrKind::Varbinary),
                length: l1,
            },
            ColumnType::String {
                kind: k2,
                length: l2,
            },
        ) if k1 == k2 && l2 > l1 => {
            if f.instant_column_redefinition() {
                cost(
                    Algorithm::Instant,
                    Lock::None,
                    format!("widening `{}` is INSTANT on MariaDB", to.name),
                )
            } else if length_bytes(*l1, from.charset.as_deref())
                == length_bytes(*l2, to.charset.as_deref())
            {
                cost(
                    Algorithm::NoRebuild,
                    Lock::None,
                    format!(
                        "widening `{}` keeps its length prefix: in place, no rebuild",
                        to.name
                    ),
                )
            } else {
                cost(
                    Algorithm::Copy,
                    Lock::Shared,
                    format!(
                        "widening `{}` past 255 bytes changes its length prefix: the table is copied",
                        to.name
                    ),
                )
            }
        }
        (a, b) => match (member_storage(a), member_storage(b)) {
            (Some((k1, s1, v1)), Some((k2, s2, v2)))
                if k1 == k2 && s1 == s2 && v2.len() > v1.len() && v2.starts_with(v1) =>
            {
                cost(
                    Algorithm::Instant,
                    Lock::None,
                    format!(
                        "appending to the values of `{}` within the same storage size is INSTANT",
                        to.name
                    ),
                )
            }
            (Some(_), Some(_)) => cost(
                Algorithm::Copy,
                Lock::Shared,
                format!(
                    "changing existing values of `{}` (or its storage size) copies the table",
                    to.name
                ),
            ),
            _ => copy(),
        },
    }
}

pub(super) fn modify_column(t: &Table, to: &Column, moved: bool, f: Flavor) -> Cost {
    let Some(from) = t.column(&to.name) else {
        return cost(
            Algorithm::Copy,
            Lock::Shared,
            format!("`{}` is unknown before the step", to.name),
        );
    };
    let mut costs = Vec::new();
    if from.ty != to.ty {
        costs.push(type_change(from, to, f));
    }
    if from.charset != to.charset {
        costs.push(cost(
            Algorithm::Copy,
            Lock::Shared,
            format!(
                "converting `{}` to another charset copies the table",
                to.name
            ),
        ));
    } else if from.collation != to.collation {
        costs.push(
            match (f.instant_column_redefinition(), indexed(t, &to.name)) {
                (true, None) => cost(
                    Algorithm::Instant,
                    Lock::None,
                    format!("a new collation for `{}` is INSTANT on MariaDB", to.name),
                ),
                (true, Some(_)) => cost(
                    Algorithm::NoRebuild,
                    Lock::None,
                    format!(
                        "`{}` is indexed: its indexes are rebuilt for the new collation",
                        to.name
                    ),
                ),
                (false, _) => cost(
                    Algorithm::Copy,
                    Lock::Shared,
                    format!("a new collation for `{}` copies the table", to.name),
                ),
            },
        );
    }
    if from.nullable != to.nullable {
        costs.push(cost(
            Algorithm::Rebuild,
            Lock::None,
            format!("making `{}` NULL or NOT NULL rebuilds the table", to.name),
        ));
    }
    if from.auto_increment != to.auto_increment
        || from.generated != to.generated
        || from.on_update != to.on_update
        || from.compressed != to.compressed
        || from.invisible != to.invisible
    {
        costs.push(cost(
            Algorithm::Copy,
            Lock::Shared,
            format!("redefining `{}` copies the table", to.name),
        ));
    }
    if moved {
        costs.push(match blocks_instant_columns(t) {
            Some(blocked) => blocked,
            None if f.instant_column_redefinition() => cost(
                Algorithm::Instant,
                Lock::None,
                format!("moving `{}` is INSTANT on MariaDB", to.name),
            ),
            None => cost(
                Algorithm::Rebuild,
                Lock::None,
                format!("moving `{}` rebuilds the table", to.name),
            ),
        });
    }
    costs
        .into_iter()
        .max_by_key(|c| (c.0, c.1))
        .unwrap_or_else(|| {
            cost(
                Algorithm::Instant,
                Lock::None,
                format!("a new default or comment for `{}` is INSTANT", to.name),
            )
        })
}
