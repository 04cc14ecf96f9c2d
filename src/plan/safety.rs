//! Whether a change can lose data, and why. The reason is data for the reviewer, not a log line.

use super::Safety;
use crate::flavor::Flavor;
use crate::model::*;

/// An integer type's smallest and largest value; None for other types.
pub(crate) fn int_bounds(ty: &ColumnType) -> Option<(i128, i128)> {
    match ty {
        ColumnType::Int { size, unsigned, .. } => Some(int_range(*size, *unsigned)),
        _ => None,
    }
}

fn int_range(size: IntSize, unsigned: bool) -> (i128, i128) {
    let bits = match size {
        IntSize::Tiny => 8,
        IntSize::Small => 16,
        IntSize::Medium => 24,
        IntSize::Int => 32,
        IntSize::Big => 64,
    };
    if unsigned {
        (0, (1i128 << bits) - 1)
    } else {
        (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
    }
}

pub(crate) fn lob_bytes(size: LobSize) -> u64 {
    match size {
        LobSize::Tiny => 255,
        LobSize::Regular => 65_535,
        LobSize::Medium => 16_777_215,
        LobSize::Long => 4_294_967_295,
    }
}

/// Why changing the type `from` → `to` can lose data, if it can.
fn type_narrowing(from: &ColumnType, to: &ColumnType, charset: Option<&str>) -> Option<String> {
    use ColumnType as T;
    let bytes_per_char = charset.map_or(1, Flavor::charset_max_len) as u64;
    match (from, to) {
        (a, b) if a == b => None,
        (
            T::Int {
                size: s1,
                unsigned: u1,
                ..
            },
            T::Int {
                size: s2,
                unsigned: u2,
                ..
            },
        ) => {
            let (a, b) = (int_range(*s1, *u1), int_range(*s2, *u2));
            if !*u1 && *u2 {
                Some("makes the integer unsigned: negative values would be lost".to_string())
            } else {
                (b.1 < a.1)
                    .then(|| "narrows the integer range: larger values would be lost".to_string())
            }
        }
        (
            T::Int { size, unsigned, .. },
            T::Decimal {
                precision, scale, ..
            },
        ) => {
            let (lo, hi) = int_range(*size, *unsigned);
            let digits = lo.abs().max(hi).to_string().len() as u32;
            (precision - scale < digits)
                .then(|| "the decimal cannot hold every integer value".to_string())
        }
        (
            T::Decimal {
                precision: p1,
                scale: s1,
                ..
            },
            T::Decimal {
                precision: p2,
                scale: s2,
                ..
            },
        ) => (p2 - s2 < p1 - s1 || s2 < s1)
            .then(|| "narrows the decimal precision or scale".to_string()),
        (
            T::Float {
                double: d1,
                precision: None,
                ..
            },
            T::Float {
                double: d2,
                precision: None,
                ..
            },
        ) => (*d1 && !*d2).then(|| "DOUBLE to FLOAT loses precision".to_string()),
        (
            T::String {
                kind: k1,
                length: l1,
            },
            T::String {
                kind: k2,
                length: l2,
            },
        ) => {
            let text = |k: &StrKind| matches!(k, StrKind::Char | StrKind::Varchar);
            if text(k1) != text(k2) {
                Some("converts between text and binary strings".to_string())
            } else {
                (l2 < l1).then(|| {
                    format!("shortens the column from {l1} to {l2}: longer values would be cut")
                })
            }
        }
        (
            T::String {
                kind: StrKind::Char | StrKind::Varchar,
                length,
            },
            T::Text { size },
        ) => (lob_bytes(*size) < *length as u64 * bytes_per_char)
            .then(|| "the text type is smaller than the string".to_string()),
        (
            T::String {
                kind: StrKind::Binary | StrKind::Varbinary,
                length,
            },
            T::Blob { size },
        ) => (lob_bytes(*size) < *length as u64)
            .then(|| "the blob type is smaller than the string".to_string()),
        (T::Text { size: a }, T::Text { size: b }) | (T::Blob { size: a }, T::Blob { size: b }) => {
            (b < a).then(|| "shrinks the text/blob type: longer values would be cut".to_string())
        }
        (T::Enum { values: a }, T::Enum { values: b })
        | (T::Set { values: a }, T::Set { values: b }) => {
            if b.len() >= a.len() && b[..a.len()] == a[..] {
                None
            } else if a.iter().all(|v| b.contains(v)) {
                Some("reorders ENUM/SET values: stored values would change meaning".to_string())
            } else {
                Some("removes ENUM/SET values: rows holding them would be changed".to_string())
            }
        }
        (T::Temporal { kind: k1, fsp: f1 }, T::Temporal { kind: k2, fsp: f2 }) => {
            if k1 == k2 {
                (f2 < f1).then(|| "reduces fractional-second precision".to_string())
            } else if *k1 == TemporalKind::Date && *k2 == TemporalKind::DateTime {
                None
            } else {
                Some("converts between date/time types with different ranges".to_string())
            }
        }
        (T::Bit { width: a }, T::Bit { width: b }) => {
            (b < a).then(|| "narrows the BIT width".to_string())
        }
        _ => Some("changes the column's type: values may not convert".to_string()),
    }
}

fn charset_narrowing(from: Option<&str>, to: Option<&str>) -> Option<String> {
    match (from, to) {
        (Some(a), Some(b)) if a != b => {
            // utf8mb4 holds every character; ascii fits in every charset.
            let widening = b == "utf8mb4" || a == "ascii";
            (!widening).then(|| {
                format!("converts the charset {a} → {b}: characters it cannot hold would be lost")
            })
        }
        _ => None,
    }
}

/// Safety of changing a column from `from` to `to` in `table` (its desired definition).
pub fn column_change(from: &Column, to: &Column, table: &Table) -> Safety {
    let mut reasons = Vec::new();
    if let Some(r) = type_narrowing(&from.ty, &to.ty, to.charset.as_deref()) {
        reasons.push(r);
    }
    if let Some(r) = charset_narrowing(from.charset.as_deref(), to.charset.as_deref()) {
        reasons.push(r);
    }
    if from.generated.is_none() && to.generated.is_some() {
        reasons.push("the column's values are replaced by the generated ones".to_string());
    }
    if from.nullable && !to.nullable && to.generated.is_none() {
        reasons.push("NULL → NOT NULL: existing NULLs would be rejected or replaced".to_string());
    }
    if from.collation != to.collation && from.charset == to.charset {
        let unique = table.indexes.iter().any(|i| {
            matches!(i.kind, IndexKind::Primary | IndexKind::Unique)
                && i.column_names()
                    .iter()
                    .any(|c| c.eq_ignore_ascii_case(&to.name))
        });
        if unique {
            reasons.push("collation change under a unique key: values may collide".to_string());
        }
    }
    Safety::from_reasons(reasons)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::normalize::schema_of;

    fn table(ddl: &str) -> Table {
        schema_of(ddl, Flavor::DEFAULT).tables.remove("t").unwrap()
    }

    fn safety(from: &str, to: &str) -> Safety {
        let a = table(&format!("CREATE TABLE t (c {from}, UNIQUE KEY (c))"));
        let b = table(&format!("CREATE TABLE t (c {to}, UNIQUE KEY (c))"));
        column_change(&a.columns[0], &b.columns[0], &b)
    }

    #[test]
    fn widening_is_safe() {
        for (a, b) in [
            ("int unsigned", "bigint unsigned"),
            ("int unsigned", "bigint"),
            ("varchar(10)", "varchar(20)"),
            ("varchar(100)", "text"),
            ("enum('a','b')", "enum('a','b','c')"),
            ("decimal(5,2)", "decimal(8,3)"),
            (
                "varchar(5) CHARACTER SET utf8mb3",
                "varchar(5) CHARACTER SET utf8mb4",
            ),
            ("date", "datetime"),
            ("int", "int COMMENT 'x' DEFAULT 4"),
        ] {
            assert_eq!(safety(a, b), Safety::Safe, "{a} -> {b}");
        }
    }

    #[test]
    fn narrowing_is_destructive_with_a_reason() {
        for (a, b, why) in [
            ("bigint", "int", "integer range"),
            ("int", "int unsigned", "negative"),
            ("int", "bigint unsigned", "unsigned"),
            ("varchar(20)", "varchar(10)", "shortens"),
            ("mediumtext", "text", "shrinks"),
            ("enum('a','b','c')", "enum('a','b')", "removes ENUM"),
            ("enum('a','b')", "enum('b','a')", "reorders"),
            ("decimal(8,3)", "decimal(8,2)", "decimal"),
            (
                "varchar(5) CHARACTER SET utf8mb4",
                "varchar(5) CHARACTER SET latin1",
                "charset",
            ),
            ("int", "int NOT NULL", "NOT NULL"),
            (
                "varchar(5) COLLATE utf8mb4_bin",
                "varchar(5) COLLATE utf8mb4_general_ci",
                "collation",
            ),
            ("varchar(5)", "int", "type"),
            ("int", "int AS (1) STORED", "replaced by the generated"),
        ] {
            match safety(a, b) {
                Safety::Destructive { reason } => {
                    assert!(reason.contains(why), "{a} -> {b}: {reason}")
                }
                Safety::Safe => panic!("{a} -> {b} should be destructive"),
            }
        }
    }
}
