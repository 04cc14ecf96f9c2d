//! Compatibility views: views the live database has and the canonical schema does not (the
//! runbooks leave them behind after renames). What each exposes and who still reads it, so a
//! DBA can decide whether dropping it (destructive, approved) breaks anyone.

use crate::model::Schema;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompatView {
    pub name: String,
    /// The tables and views its query reads.
    pub reads: Vec<String>,
    /// The columns it exposes.
    pub columns: Vec<String>,
    /// Other live views that read it: they break when it goes.
    pub used_by: Vec<String>,
}

pub fn compat_views(current: &Schema, desired: &Schema) -> Vec<CompatView> {
    current
        .views
        .values()
        .filter(|v| !desired.views.contains_key(&v.name))
        .map(|v| CompatView {
            name: v.name.clone(),
            reads: v.depends_on.clone(),
            columns: if v.columns.is_empty() {
                crate::sqlexpr::output_columns(&v.query.text)
            } else {
                v.columns.clone()
            },
            used_by: used_by(current, &v.name),
        })
        .collect()
}

/// The live views that read `name`.
pub fn used_by(current: &Schema, name: &str) -> Vec<String> {
    current
        .views
        .values()
        .filter(|o| o.depends_on.iter().any(|d| d == name))
        .map(|o| o.name.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flavor::Flavor;
    use crate::model::normalize::schema_of;

    #[test]
    fn lists_what_a_leftover_view_exposes_and_who_reads_it() {
        let current = schema_of(
            "CREATE TABLE customers (id int PRIMARY KEY, full_name text);
             CREATE VIEW clients AS SELECT id, full_name AS name FROM customers;
             CREATE VIEW client_names AS SELECT name FROM clients;",
            Flavor::DEFAULT,
        );
        let desired = schema_of(
            "CREATE TABLE customers (id int PRIMARY KEY, full_name text);
             CREATE VIEW client_names AS SELECT full_name AS name FROM customers;",
            Flavor::DEFAULT,
        );
        assert_eq!(
            compat_views(&current, &desired),
            vec![CompatView {
                name: "clients".into(),
                reads: vec!["customers".into()],
                columns: vec!["id".into(), "name".into()],
                used_by: vec!["client_names".into()],
            }]
        );
        // Dropping it says who else breaks.
        let changes = crate::diff::diff(&current, &desired);
        let opts = crate::plan::PlanOptions {
            allow_destructive: true,
            ..Default::default()
        };
        let plan = crate::plan::plan(&current, &desired, &changes, opts).unwrap();
        let drop = plan
            .steps
            .iter()
            .find(|s| s.summary[0] == "drop view `clients`");
        assert!(
            matches!(&drop.unwrap().safety, crate::plan::Safety::Destructive { reason }
                if reason.contains("view(s) `client_names` that read it")),
            "{:?}",
            drop
        );
    }
}
