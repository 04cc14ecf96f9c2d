//! Partitioned tables: read as the server stores them, changed in place where the server can.

use super::*;
use crate::flavor::Flavor;
use crate::model::normalize::schema_of;

fn table(ddl: &str) -> Table {
    schema_of(ddl, Flavor::DEFAULT)
        .tables
        .into_values()
        .next()
        .unwrap()
}

/// Why the table is not read: the load error, or why it was refused by name.
fn load_error(ddl: &str) -> String {
    let mut loader = crate::source::ddl::Loader::new(Flavor::DEFAULT);
    let loaded = loader.load_text(
        "t.sql",
        ddl.to_string(),
        crate::source::ddl::SourceKind::Schema,
    );
    match loaded {
        Err(e) => e.to_string(),
        Ok(()) => {
            let refused = loader.finish().unsupported;
            assert_eq!(refused.len(), 1, "{ddl}");
            refused[0].reason.clone()
        }
    }
}

#[test]
fn partitions_read_as_the_server_prints_them() {
    let t = table(
        "CREATE TABLE t (id int, r int) PARTITION BY LIST (r) (
           PARTITION a VALUES IN (5, 3, NULL) ENGINE = InnoDB, PARTITION b VALUES IN (-1))",
    );
    let p = t.options.partitioning.unwrap();
    assert_eq!(p.kind, PartitionKind::List);
    assert_eq!(p.partitions[0].values, "IN (NULL,5,3)");
    assert_eq!(p.partitions[1].values, "IN (-1)");
    let t = table(
        "CREATE TABLE t (d date, c char(2)) PARTITION BY RANGE COLUMNS (d, c) (
           PARTITION p0 VALUES LESS THAN ('2024-01-01', 'a'), PARTITION p1 VALUES LESS THAN (MAXVALUE, MAXVALUE))",
    );
    let p = t.options.partitioning.unwrap();
    assert!(p.by_columns && p.columns == ["d", "c"]);
    assert_eq!(p.partitions[0].values, "LESS THAN ('2024-01-01','a')");
    let h = table("CREATE TABLE t (id int) PARTITION BY LINEAR KEY ALGORITHM=2 (id)");
    let p = h.options.partitioning.clone().unwrap();
    assert_eq!((p.kind, p.linear, p.count), (PartitionKind::Key, true, 1));
    assert!(crate::sql::ddl::create_table(&h, Flavor::DEFAULT)
        .ends_with("PARTITION BY LINEAR KEY (`id`)"));
}

#[test]
fn partitionings_canon_cannot_hold_are_refused_with_the_reason() {
    for (ddl, why) in [
        (
            "CREATE TABLE t (d date) PARTITION BY RANGE (to_days(d)) (PARTITION p VALUES LESS THAN (to_days('2025-01-01')))",
            "a partition bound must be a literal value",
        ),
        (
            "CREATE TABLE t (id int) PARTITION BY RANGE (id)",
            "needs its partitions",
        ),
        (
            "CREATE TABLE t (id int) PARTITION BY RANGE (id) (PARTITION p VALUES LESS THAN (1) TABLESPACE ts)",
            "partition option `TABLESPACE` is not modelled",
        ),
    ] {
        let e = load_error(ddl);
        assert!(e.contains(why), "{ddl}: {e}");
    }
}

fn clauses(from: &str, to: &str) -> Vec<String> {
    let (a, b) = (table(from), table(to));
    partition_clauses(
        a.options.partitioning.as_deref(),
        b.options.partitioning.as_deref(),
    )
    .into_iter()
    .map(|(c, s, _)| {
        format!(
            "{}{}",
            crate::sql::steps::clause(&c, Flavor::DEFAULT),
            if s.is_destructive() {
                " [destructive]"
            } else {
                ""
            }
        )
    })
    .collect()
}

#[test]
fn range_and_list_partitions_change_in_place_otherwise_the_table_is_partitioned_anew() {
    let range = |parts: &str| format!("CREATE TABLE t (d int) PARTITION BY RANGE (d) ({parts})");
    let (p1, p2, p3) = (
        "PARTITION p1 VALUES LESS THAN (10)",
        "PARTITION p2 VALUES LESS THAN (20)",
        "PARTITION p3 VALUES LESS THAN (30)",
    );
    assert_eq!(
        clauses(
            &range(&format!("{p1}, {p2}")),
            &range(&format!("{p2}, {p3}"))
        ),
        vec![
            "DROP PARTITION `p1` [destructive]".to_string(),
            "ADD PARTITION (PARTITION `p3` VALUES LESS THAN (30))".into()
        ]
    );
    // A new bound below the last one cannot be added at the end: the table is redone.
    let p15 = "PARTITION p15 VALUES LESS THAN (15)";
    let anew = clauses(
        &range(&format!("{p1}, {p2}")),
        &range(&format!("{p1}, {p15}, {p2}")),
    );
    assert_eq!(anew.len(), 1);
    assert!(anew[0].starts_with("PARTITION BY RANGE (`d`)"), "{anew:?}");
    let hash = |n: u32| format!("CREATE TABLE t (d int) PARTITION BY HASH (d) PARTITIONS {n}");
    assert_eq!(
        clauses(&hash(2), &hash(4)),
        vec!["PARTITION BY HASH (`d`)\nPARTITIONS 4".to_string()]
    );
    assert_eq!(
        clauses(&hash(2), "CREATE TABLE t (d int)"),
        vec!["REMOVE PARTITIONING".to_string()]
    );
}

/// On MariaDB 10.11, `ALTER TABLE t PAGE_CHECKSUM=DEFAULT PARTITION BY ...` of an Aria table
/// leaves `PAGE_CHECKSUM=1` printed; the reset alone, once partitioned, removes it.
#[test]
fn an_aria_tables_checksum_is_reset_after_it_is_partitioned() {
    let cur = schema_of("CREATE TABLE t (id int) ENGINE=Aria", Flavor::DEFAULT);
    let want = schema_of(
        "CREATE TABLE t (id int) ENGINE=Aria PARTITION BY HASH (id) PARTITIONS 2",
        Flavor::DEFAULT,
    );
    let changes = crate::diff::diff(&cur, &want);
    let p = plan(&cur, &want, &changes, PlanOptions::default()).unwrap();
    let sql: Vec<String> = p
        .steps
        .iter()
        .map(|s| crate::sql::steps::statement(s, Flavor::DEFAULT))
        .collect();
    assert_eq!(sql.len(), 2, "{sql:?}");
    assert!(sql[0].contains("PARTITION BY HASH"), "{sql:?}");
    assert!(
        sql[1].contains("PAGE_CHECKSUM=DEFAULT") && !sql[1].contains("PARTITION"),
        "{sql:?}"
    );
}
