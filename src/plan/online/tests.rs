use super::*;
use crate::model::normalize::schema_of;
use crate::plan::{plan, PlanOptions};

const BASE: &str = "CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT PRIMARY KEY,
  a int NOT NULL DEFAULT 0,
  b varchar(20) NOT NULL DEFAULT '',
  c varchar(100) DEFAULT NULL,
  e enum('x','y') DEFAULT NULL,
  n int DEFAULT NULL,
  KEY k_a (a)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci";

fn flavor(name: &str) -> Flavor {
    name.parse().unwrap()
}

/// The prediction for the one ALTER step that takes `current` to `desired`.
fn predicted(current: &str, desired: &str, f: &str) -> Online {
    let f = flavor(f);
    let (cur, want) = (schema_of(current, f), schema_of(desired, f));
    let changes = crate::diff::diff(&cur, &want);
    let p = plan(
        &cur,
        &want,
        &changes,
        PlanOptions {
            allow_destructive: true,
            ..Default::default()
        },
    )
    .unwrap();
    let all: Vec<Online> = predictions(&cur, &p.steps, &Default::default(), f)
        .into_iter()
        .flatten()
        .collect();
    match all.as_slice() {
        [one] => one.clone(),
        other => panic!("expected one ALTER, got {other:?}"),
    }
}

/// BASE with `from` replaced by `to`, predicted on flavor `f`.
fn edit(from: &str, to: &str, f: &str) -> Online {
    assert!(BASE.contains(from), "{from}");
    predicted(BASE, &BASE.replace(from, to), f)
}

fn is(o: &Online, a: Algorithm, l: Lock, why: &str) {
    assert_eq!((o.algorithm, o.lock), (a, l), "{o:?}");
    assert!(o.why.iter().any(|w| w.contains(why)), "{why:?} in {o:?}");
}

const ALL: [&str; 5] = [
    "mariadb-10.6",
    "mariadb-10.11",
    "mariadb-11.4",
    "mysql-8.0.36",
    "mysql-8.4",
];

#[test]
fn adding_a_column_is_instant_at_the_end_everywhere_and_anywhere_from_mysql_8_0_29() {
    for f in ALL {
        let o = edit("KEY k_a", "z int DEFAULT NULL,\n  KEY k_a", f);
        is(&o, Algorithm::Instant, Lock::None, "adding column `z`");
        let o = edit("a int NOT NULL", "z int DEFAULT NULL, a int NOT NULL", f);
        is(&o, Algorithm::Instant, Lock::None, "adding column `z`");
    }
    let o = edit(
        "a int NOT NULL",
        "z int DEFAULT NULL, a int NOT NULL",
        "mysql-8.0.28",
    );
    is(&o, Algorithm::Rebuild, Lock::None, "needs MySQL 8.0.29+");
    let o = edit("KEY k_a", "z int DEFAULT NULL,\n  KEY k_a", "mysql-8.0.28");
    is(&o, Algorithm::Instant, Lock::None, "adding column");
}

#[test]
fn a_fulltext_index_blocks_instant_column_changes() {
    let with_ft = BASE.replace("KEY k_a (a)", "KEY k_a (a), FULLTEXT KEY ft (b)");
    for f in ALL {
        let o = predicted(
            &with_ft,
            &with_ft.replace("KEY k_a (a)", "z int, KEY k_a (a)"),
            f,
        );
        is(&o, Algorithm::Rebuild, Lock::Shared, "FULLTEXT index");
        let o = predicted(&with_ft, &with_ft.replace("  n int DEFAULT NULL,\n", ""), f);
        is(&o, Algorithm::Rebuild, Lock::Shared, "FULLTEXT index");
    }
}

#[test]
fn columns_that_cannot_be_added_instantly() {
    for f in ALL {
        let o = edit("KEY k_a", "z int AS (a + 1) STORED,\n  KEY k_a", f);
        is(&o, Algorithm::Copy, Lock::Shared, "STORED generated");
        let o = edit("KEY k_a", "z int AS (a + 1) VIRTUAL,\n  KEY k_a", f);
        is(&o, Algorithm::Instant, Lock::None, "adding column");
        let o = edit("KEY k_a", "z varchar(40) DEFAULT (uuid()),\n  KEY k_a", f);
        is(
            &o,
            Algorithm::Copy,
            Lock::Shared,
            "expression evaluated per row",
        );
    }
    let o = predicted(
        &BASE.replace("ENGINE=InnoDB", "ENGINE=InnoDB ROW_FORMAT=COMPRESSED"),
        &BASE
            .replace("ENGINE=InnoDB", "ENGINE=InnoDB ROW_FORMAT=COMPRESSED")
            .replace("KEY k_a (a)", "z int, KEY k_a (a)"),
        "mariadb-10.11",
    );
    is(&o, Algorithm::Rebuild, Lock::None, "COMPRESSED");
}

#[test]
fn dropping_columns() {
    for f in ["mariadb-10.6", "mariadb-11.4", "mysql-8.0.29"] {
        let o = edit("  n int DEFAULT NULL,\n", "", f);
        is(&o, Algorithm::Instant, Lock::None, "dropping column `n`");
    }
    let o = edit("  n int DEFAULT NULL,\n", "", "mysql-8.0.28");
    is(&o, Algorithm::Rebuild, Lock::None, "rebuilds");
    let o = predicted(
        BASE,
        &BASE
            .replace("  a int NOT NULL DEFAULT 0,\n", "")
            .replace(",\n  KEY k_a (a)", ""),
        "mariadb-10.11",
    );
    is(&o, Algorithm::NoRebuild, Lock::None, "indexed");
    let o = predicted(
        BASE,
        &BASE
            .replace("  a int NOT NULL DEFAULT 0,\n", "")
            .replace(",\n  KEY k_a (a)", ""),
        "mysql-8.4",
    );
    is(&o, Algorithm::Rebuild, Lock::None, "indexed");
}

#[test]
fn changing_a_columns_type_copies_except_widening_and_appending() {
    for f in ALL {
        let o = edit("a int NOT NULL", "a bigint NOT NULL", f);
        is(
            &o,
            Algorithm::Copy,
            Lock::Shared,
            "changing the type of `a`",
        );
        let o = edit("e enum('x','y')", "e enum('x','y','z')", f);
        is(
            &o,
            Algorithm::Instant,
            Lock::None,
            "same storage size is INSTANT",
        );
        let o = edit("e enum('x','y')", "e enum('x','w','y')", f);
        is(
            &o,
            Algorithm::Copy,
            Lock::Shared,
            "changing existing values",
        );
        let o = edit("c varchar(100)", "c varchar(50)", f);
        is(&o, Algorithm::Copy, Lock::Shared, "changing the type");
    }
    for f in ["mariadb-10.6", "mariadb-10.11", "mariadb-11.4"] {
        let o = edit("b varchar(20)", "b varchar(100)", f);
        is(
            &o,
            Algorithm::Instant,
            Lock::None,
            "widening `b` is INSTANT",
        );
    }
    // utf8mb4: 20 chars are 80 bytes (1-byte prefix), 60 are 240, 100 are 400 (2 bytes).
    let o = edit("b varchar(20)", "b varchar(60)", "mysql-8.0.36");
    is(
        &o,
        Algorithm::NoRebuild,
        Lock::None,
        "keeps its length prefix",
    );
    let o = edit("b varchar(20)", "b varchar(100)", "mysql-8.4");
    is(&o, Algorithm::Copy, Lock::Shared, "past 255 bytes");
}

#[test]
fn null_charset_collation_default_and_position_changes() {
    for f in ALL {
        let o = edit("n int DEFAULT NULL", "n int NOT NULL", f);
        is(&o, Algorithm::Rebuild, Lock::None, "NULL or NOT NULL");
        let o = edit("a int NOT NULL DEFAULT 0", "a int NOT NULL DEFAULT 7", f);
        is(&o, Algorithm::Instant, Lock::None, "default or comment");
        let o = edit(
            "c varchar(100) DEFAULT NULL",
            "c varchar(100) CHARACTER SET latin1 DEFAULT NULL",
            f,
        );
        is(&o, Algorithm::Copy, Lock::Shared, "another charset");
    }
    let bin = "c varchar(100) COLLATE utf8mb4_bin DEFAULT NULL";
    is(
        &edit("c varchar(100) DEFAULT NULL", bin, "mariadb-10.11"),
        Algorithm::Instant,
        Lock::None,
        "new collation",
    );
    is(
        &edit("c varchar(100) DEFAULT NULL", bin, "mysql-8.0.36"),
        Algorithm::Copy,
        Lock::Shared,
        "new collation",
    );
    let moved = BASE
        .replace("  c varchar(100) DEFAULT NULL,\n", "")
        .replace(
            "id int NOT NULL AUTO_INCREMENT PRIMARY KEY,",
            "id int NOT NULL AUTO_INCREMENT PRIMARY KEY, c varchar(100) DEFAULT NULL,",
        );
    is(
        &predicted(BASE, &moved, "mariadb-10.11"),
        Algorithm::Instant,
        Lock::None,
        "moving `c`",
    );
    is(
        &predicted(BASE, &moved, "mysql-8.4"),
        Algorithm::Rebuild,
        Lock::None,
        "moving `c`",
    );
}

#[test]
fn indexes_and_keys() {
    for f in ALL {
        let o = edit("KEY k_a (a)", "KEY k_a (a), KEY k_b (b)", f);
        is(&o, Algorithm::NoRebuild, Lock::None, "writes go on");
        let o = edit("KEY k_a (a)", "KEY k_a (a), FULLTEXT KEY ft (b)", f);
        is(&o, Algorithm::Rebuild, Lock::Shared, "first FULLTEXT");
        let o = edit(",\n  KEY k_a (a)", "", f);
        is(&o, Algorithm::NoRebuild, Lock::None, "dropping index `k_a`");
        let o = edit(
            "id int NOT NULL AUTO_INCREMENT PRIMARY KEY",
            "id int NOT NULL AUTO_INCREMENT, PRIMARY KEY (id, a)",
            f,
        );
        is(&o, Algorithm::Rebuild, Lock::None, "new primary key");
    }
    let ft = BASE.replace("KEY k_a (a)", "KEY k_a (a), FULLTEXT KEY ft (b)");
    let o = predicted(
        &ft,
        &ft.replace(
            "FULLTEXT KEY ft (b)",
            "FULLTEXT KEY ft (b), FULLTEXT KEY ft2 (c)",
        ),
        "mariadb-10.11",
    );
    is(&o, Algorithm::NoRebuild, Lock::Shared, "blocks writes");
    let nopk = "CREATE TABLE t (id int NOT NULL, a int, UNIQUE KEY u (id)) ENGINE=InnoDB";
    let o = predicted(
        &nopk.replace("UNIQUE KEY u (id)", "PRIMARY KEY (id), UNIQUE KEY u (id)"),
        nopk,
        "mariadb-10.11",
    );
    is(&o, Algorithm::Copy, Lock::Shared, "without a new one");
}

#[test]
fn foreign_keys_checks_and_table_options() {
    let with_p = format!(
        "CREATE TABLE p (id int PRIMARY KEY) ENGINE=InnoDB;\n{}",
        BASE.replace("KEY k_a (a)", "KEY k_a (a), KEY k_n (n)")
    );
    for f in ALL {
        let o = predicted(
            &with_p,
            &with_p.replace(
                "KEY k_n (n)",
                "KEY k_n (n), CONSTRAINT fk_n FOREIGN KEY (n) REFERENCES p (id)",
            ),
            f,
        );
        is(&o, Algorithm::Copy, Lock::Shared, "foreign_key_checks=1");
        let o = edit(
            "KEY k_a (a)",
            "KEY k_a (a), CONSTRAINT chk CHECK (a >= 0)",
            f,
        );
        is(
            &o,
            Algorithm::Copy,
            Lock::Shared,
            "verified against every row",
        );
        let o = edit("ENGINE=InnoDB", "ENGINE=Aria", f);
        is(&o, Algorithm::Copy, Lock::Shared, "engine");
        let o = edit("ENGINE=InnoDB", "ENGINE=InnoDB ROW_FORMAT=COMPACT", f);
        is(&o, Algorithm::Rebuild, Lock::None, "ROW_FORMAT");
    }
    let o = edit(
        "ENGINE=InnoDB",
        "ENGINE=InnoDB COMMENT='hi'",
        "mariadb-10.11",
    );
    is(
        &o,
        Algorithm::Instant,
        Lock::None,
        "table comment is INSTANT",
    );
    let o = edit("ENGINE=InnoDB", "ENGINE=InnoDB COMMENT='hi'", "mysql-8.4");
    is(&o, Algorithm::NoRebuild, Lock::None, "in place");
    let with_fk = with_p.replace(
        "KEY k_n (n)",
        "KEY k_n (n), CONSTRAINT fk_n FOREIGN KEY (n) REFERENCES p (id)",
    );
    let o = predicted(
        &with_fk,
        &with_fk.replace(", CONSTRAINT fk_n FOREIGN KEY (n) REFERENCES p (id)", ""),
        "mariadb-10.11",
    );
    is(&o, Algorithm::Instant, Lock::None, "dropping foreign key");
}

#[test]
fn other_engines_copy_and_a_statement_costs_its_dearest_clause() {
    let aria = BASE.replace("ENGINE=InnoDB", "ENGINE=Aria");
    let o = predicted(
        &aria,
        &aria.replace("KEY k_a (a)", "KEY k_a (a), KEY k_b (b)"),
        "mariadb-10.11",
    );
    is(&o, Algorithm::Copy, Lock::Shared, "Aria tables");
    let o = edit(
        "a int NOT NULL DEFAULT 0",
        "a bigint NOT NULL DEFAULT 0, z int",
        "mariadb-10.11",
    );
    is(
        &o,
        Algorithm::Copy,
        Lock::Shared,
        "changing the type of `a`",
    );
    assert!(o.why.iter().all(|w| !w.contains("adding column")), "{o:?}");
}

#[test]
fn duration_classes_follow_the_tables_size() {
    let size = |gib: u64| TableSize {
        rows: 0,
        data_bytes: gib << 30,
        index_bytes: 1,
    };
    assert_eq!(
        DurationClass::of(Algorithm::Instant, None),
        Some(DurationClass::Instant)
    );
    assert_eq!(DurationClass::of(Algorithm::Copy, None), None);
    assert_eq!(
        DurationClass::of(Algorithm::Copy, Some(&size(0))),
        Some(DurationClass::Seconds)
    );
    assert_eq!(
        DurationClass::of(Algorithm::NoRebuild, Some(&size(1))),
        Some(DurationClass::Minutes)
    );
    assert_eq!(
        DurationClass::of(Algorithm::Rebuild, Some(&size(64))),
        Some(DurationClass::Hours)
    );
}
