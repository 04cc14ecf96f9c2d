//! `canon validate`: the runbooks' validation SQL (`phase_validation.sql`) as a report over
//! the live and canonical models: what is missing, left over, or inconsistent. Pure.

use crate::model::{ColumnType, IndexKind, Schema};
use crate::plan::key_types_match;

/// A table or column whose charset/collation is not the canonical one.
#[derive(Debug, Clone, PartialEq)]
pub struct CollationMismatch {
    pub table: String,
    /// None: the table's default.
    pub column: Option<String>,
    pub current: Option<String>,
    pub canonical: Option<String>,
}

/// A foreign key whose column's type is not the referenced column's.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyTypeMismatch {
    pub table: String,
    pub foreign_key: String,
    pub column: String,
    pub column_type: ColumnType,
    pub ref_table: String,
    pub ref_column: String,
    pub ref_type: ColumnType,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Validation {
    pub missing_tables: Vec<String>,
    /// Triggers, procedures, functions and events the database lacks, each as a label.
    pub missing_programs: Vec<String>,
    /// Views the database has and the canonical schema does not (left from renames).
    pub compat_views: Vec<crate::compat::CompatView>,
    pub tables_without_primary_key: Vec<String>,
    pub collation_mismatches: Vec<CollationMismatch>,
    pub foreign_key_type_mismatches: Vec<KeyTypeMismatch>,
    /// With `--require-migration`: the application's migrations its history table lacks.
    pub missing_migrations: Option<Vec<String>>,
}

impl Validation {
    pub fn passed(&self) -> bool {
        self.missing_tables.is_empty()
            && self.missing_programs.is_empty()
            && self.compat_views.is_empty()
            && self.tables_without_primary_key.is_empty()
            && self.collation_mismatches.is_empty()
            && self.foreign_key_type_mismatches.is_empty()
            && self
                .missing_migrations
                .as_ref()
                .is_none_or(|m| m.is_empty())
    }
}

pub fn validate(current: &Schema, desired: &Schema) -> Validation {
    let mut v = Validation {
        missing_tables: desired
            .tables
            .keys()
            .filter(|t| !current.tables.contains_key(*t))
            .cloned()
            .collect(),
        missing_programs: {
            let have = crate::diff::programs::programs(current);
            (crate::diff::programs::programs(desired).into_keys())
                .filter(|k| !have.contains_key(k))
                .map(|(kind, name)| kind.label(&name))
                .collect()
        },
        compat_views: crate::compat::compat_views(current, desired),
        tables_without_primary_key: current
            .tables
            .values()
            .filter(|t| !t.indexes.iter().any(|i| i.kind == IndexKind::Primary))
            .map(|t| t.name.clone())
            .collect(),
        ..Validation::default()
    };
    for (name, live) in &current.tables {
        let Some(want) = desired.tables.get(name) else {
            continue;
        };
        if live.options.collation != want.options.collation {
            v.collation_mismatches.push(CollationMismatch {
                table: name.clone(),
                column: None,
                current: live.options.collation.clone(),
                canonical: want.options.collation.clone(),
            });
        }
        for c in &live.columns {
            let Some(w) = want
                .columns
                .iter()
                .find(|w| w.name.eq_ignore_ascii_case(&c.name))
            else {
                continue;
            };
            if c.collation != w.collation && (c.collation.is_some() && w.collation.is_some()) {
                v.collation_mismatches.push(CollationMismatch {
                    table: name.clone(),
                    column: Some(c.name.clone()),
                    current: c.collation.clone(),
                    canonical: w.collation.clone(),
                });
            }
        }
    }
    for (name, t) in &current.tables {
        for fk in &t.foreign_keys {
            let Some(parent) = current.tables.get(&fk.ref_table) else {
                continue;
            };
            for (col, refcol) in fk.columns.iter().zip(&fk.ref_columns) {
                let find = |tbl: &crate::model::Table, n: &str| {
                    tbl.columns
                        .iter()
                        .find(|c| c.name.eq_ignore_ascii_case(n))
                        .cloned()
                };
                if let (Some(a), Some(b)) = (find(t, col), find(parent, refcol)) {
                    if !key_types_match(&a, &b) {
                        v.foreign_key_type_mismatches.push(KeyTypeMismatch {
                            table: name.clone(),
                            foreign_key: fk.name.clone(),
                            column: a.name.clone(),
                            column_type: a.ty.clone(),
                            ref_table: fk.ref_table.clone(),
                            ref_column: b.name.clone(),
                            ref_type: b.ty.clone(),
                        });
                    }
                }
            }
        }
    }
    v
}

/// The required migrations that the application's history does not list.
pub fn missing_migrations(required: &[String], recorded: &[String]) -> Vec<String> {
    required
        .iter()
        .filter(|r| !recorded.iter().any(|x| x == *r))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::programs::tests::{event, trigger};

    #[test]
    fn missing_programs_fail_the_validation() {
        let mut desired = Schema::default();
        desired
            .triggers
            .insert("t_ai".into(), trigger("t_ai", "t", "SET @a = 1"));
        desired.events.insert("purge".into(), event("purge", "1"));
        let mut current = Schema::default();
        current.events.insert("purge".into(), event("purge", "9"));
        let v = validate(&current, &desired);
        assert_eq!(v.missing_programs, vec!["trigger `t_ai`"]);
        assert!(!v.passed());
        assert!(validate(&desired, &desired).passed());
    }
}
