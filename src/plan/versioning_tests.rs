//! System versioning: what the plan makes of its changes.

use super::period_tests::plan_of;
use super::*;
use crate::flavor::Flavor;

fn sql(p: &Plan) -> Vec<String> {
    p.steps
        .iter()
        .map(|s| crate::sql::steps::statement(s, Flavor::DEFAULT))
        .collect()
}

#[test]
fn adding_versioning_is_safe_and_dropping_it_is_destructive() {
    let plain = "CREATE TABLE t (a int);";
    let versioned = "CREATE TABLE t (a int) WITH SYSTEM VERSIONING;";
    assert_eq!(
        sql(&plan_of(plain, versioned, false)),
        ["ALTER TABLE `t`\n  ADD SYSTEM VERSIONING"]
    );
    let safe = plan_of(versioned, plain, false);
    assert!(safe.steps.is_empty());
    assert!(
        safe.left_out[0].reason.contains("history rows"),
        "{:?}",
        safe.left_out
    );
    let all = plan_of(versioned, plain, true);
    assert_eq!(sql(&all), ["ALTER TABLE `t`\n  DROP SYSTEM VERSIONING"]);
    assert!(all.steps[0].safety.is_destructive());
}

#[test]
fn columns_of_a_versioned_table_change_under_keep_and_keys_do_not_need_it() {
    let current = "CREATE TABLE t (a int, b int) WITH SYSTEM VERSIONING;";
    let desired = "CREATE TABLE t (a bigint, b int, c int, KEY (b)) WITH SYSTEM VERSIONING;";
    let statements = sql(&plan_of(current, desired, false));
    assert_eq!(statements.len(), 1, "{statements:?}");
    assert!(
        statements[0].starts_with(
            "SET STATEMENT system_versioning_alter_history=KEEP FOR ALTER TABLE `t`\n  MODIFY COLUMN `a` bigint(20)"
        ),
        "{statements:?}"
    );
    let keys_only = "CREATE TABLE t (a int, b int, KEY (b)) WITH SYSTEM VERSIONING;";
    assert_eq!(
        sql(&plan_of(current, keys_only, false)),
        ["ALTER TABLE `t`\n  ADD KEY `b` (`b`)"]
    );
    // A unique key takes the row end column: 10.11 refuses it without KEEP (error 4119).
    let unique = "CREATE TABLE t (a int, b int, UNIQUE KEY (b)) WITH SYSTEM VERSIONING;";
    assert_eq!(
        sql(&plan_of(current, unique, false)),
        ["SET STATEMENT system_versioning_alter_history=KEEP FOR ALTER TABLE `t`\n  ADD UNIQUE KEY `b` (`b`)"]
    );
    // Not versioned, nothing to keep.
    let plain = sql(&plan_of(
        "CREATE TABLE t (a int);",
        "CREATE TABLE t (a bigint);",
        false,
    ));
    assert!(plain[0].starts_with("ALTER TABLE"), "{plain:?}");
}

#[test]
fn written_row_bounds_are_left_out_by_name() {
    let current = "CREATE TABLE t (a int);";
    let desired = "CREATE TABLE t (a int, s timestamp(6) AS ROW START, e timestamp(6) AS ROW END, PERIOD FOR SYSTEM_TIME (s, e)) WITH SYSTEM VERSIONING;";
    let p = plan_of(current, desired, true);
    assert!(p.steps.is_empty(), "{:?}", sql(&p));
    assert_eq!(p.left_out.len(), 3, "{:?}", p.left_out);
    assert!(p
        .left_out
        .iter()
        .all(|l| l.reason.contains("row start and end columns")));
}

#[test]
fn history_partitions_go_before_versioning_does() {
    let current = "CREATE TABLE t (a int) WITH SYSTEM VERSIONING PARTITION BY SYSTEM_TIME LIMIT 10 (PARTITION p0 HISTORY, PARTITION pn CURRENT);";
    let p = plan_of(current, "CREATE TABLE t (a int);", true);
    assert_eq!(
        sql(&p),
        [
            "ALTER TABLE `t`\n  REMOVE PARTITIONING",
            "ALTER TABLE `t`\n  DROP SYSTEM VERSIONING"
        ]
    );
}
