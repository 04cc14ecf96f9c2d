//! Application-time periods and sequences: what the plan makes of their changes.

use super::*;
use crate::flavor::Flavor;
use crate::model::normalize::schema_of;

/// The plan from `current` to `desired`, both read as MariaDB DDL (system versioning's tests
/// use it too).
pub(super) fn plan_of(current: &str, desired: &str, allow_destructive: bool) -> Plan {
    let (c, d) = (
        schema_of(current, Flavor::DEFAULT),
        schema_of(desired, Flavor::DEFAULT),
    );
    let changes = crate::diff::diff(&c, &d);
    plan(
        &c,
        &d,
        &changes,
        PlanOptions {
            allow_destructive,
            ..Default::default()
        },
    )
    .unwrap()
}

#[test]
fn a_period_change_is_left_out_by_name_and_a_new_table_keeps_its_period() {
    let current = "CREATE TABLE t (s date NOT NULL, e date NOT NULL, PERIOD FOR p (s, e));";
    let desired = "CREATE TABLE t (s date NOT NULL, e date NOT NULL, PERIOD FOR q (s, e));\nCREATE TABLE u (s date NOT NULL, e date NOT NULL, PERIOD FOR p (s, e));";
    let p = plan_of(current, desired, true);
    assert_eq!(p.left_out.len(), 1);
    assert!(p.left_out[0].reason.contains("application-time periods"));
    let sql: Vec<String> = p
        .steps
        .iter()
        .map(|s| crate::sql::steps::statement(s, Flavor::DEFAULT))
        .collect();
    assert_eq!(sql.len(), 1);
    assert!(sql[0].contains("PERIOD FOR `p` (`s`, `e`)"), "{}", sql[0]);
    // A column a period is bounded by is never dropped (the server refuses it).
    let renamed = "CREATE TABLE t (s date NOT NULL, e2 date NOT NULL, PERIOD FOR p (s, e2));";
    let p = plan_of(current, renamed, true);
    let reasons: Vec<&str> = p.left_out.iter().map(|l| l.reason.as_str()).collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(reasons[0].contains("column `e` bounds"), "{reasons:?}");
}

#[test]
fn a_sequence_dropped_only_when_allowed_and_its_engine_change_is_left_out() {
    let current = "CREATE SEQUENCE s;\nCREATE SEQUENCE m;";
    let desired = "CREATE SEQUENCE m ENGINE=MyISAM;";
    let safe = plan_of(current, desired, false);
    assert!(safe.steps.is_empty());
    let reasons: Vec<&str> = safe.left_out.iter().map(|l| l.reason.as_str()).collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("next value")));
    assert!(reasons.iter().any(|r| r.contains("ALTER TABLE")));
    let all = plan_of(current, desired, true);
    let sql: Vec<String> = all
        .steps
        .iter()
        .map(|s| crate::sql::steps::statement(s, Flavor::DEFAULT))
        .collect();
    assert_eq!(sql, ["DROP SEQUENCE `s`"]);
}
