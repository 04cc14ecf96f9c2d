//! One test per normalization rule. Expected values are what MariaDB 10.11 printed for the same
//! DDL (`SHOW CREATE TABLE`), read on a real server.

use super::*;
use crate::source::ddl::{parse_text, SourceKind};

fn schema_for(ddl: &str, flavor: &str) -> Schema {
    schema_of(ddl, flavor.parse().unwrap())
}

fn table(ddl: &str) -> Table {
    table_for(ddl, "mariadb-10.11")
}

fn table_for(ddl: &str, flavor: &str) -> Table {
    schema_for(ddl, flavor).tables.remove("t").expect("table t")
}

fn col<'a>(t: &'a Table, name: &str) -> &'a Column {
    t.column(name).unwrap()
}

fn int(size: IntSize, width: Option<u32>, unsigned: bool) -> ColumnType {
    ColumnType::Int {
        size,
        width,
        unsigned,
        zerofill: false,
    }
}

fn names(t: &Table) -> Vec<&str> {
    t.indexes.iter().map(|i| i.name.as_str()).collect()
}

#[test]
fn integer_display_widths_are_added_on_mariadb() {
    let t = table("CREATE TABLE t (a INT, b INT UNSIGNED, c BIGINT, d TINYINT UNSIGNED, e SMALLINT UNSIGNED, f bigint(21))");
    assert_eq!(col(&t, "a").ty, int(IntSize::Int, Some(11), false));
    assert_eq!(col(&t, "b").ty, int(IntSize::Int, Some(10), true));
    assert_eq!(col(&t, "c").ty, int(IntSize::Big, Some(20), false));
    assert_eq!(col(&t, "d").ty, int(IntSize::Tiny, Some(3), true));
    assert_eq!(col(&t, "e").ty, int(IntSize::Small, Some(5), true));
    assert_eq!(
        col(&t, "f").ty,
        int(IntSize::Big, Some(21), false),
        "explicit width kept"
    );
}

#[test]
fn integer_display_widths_are_dropped_on_mysql_8() {
    let t = table_for(
        "CREATE TABLE t (a INT(11), b TINYINT(1), c INT(5) ZEROFILL)",
        "mysql-8.0.36",
    );
    assert_eq!(col(&t, "a").ty, int(IntSize::Int, None, false));
    assert_eq!(col(&t, "b").ty, int(IntSize::Tiny, Some(1), false));
    assert!(matches!(
        col(&t, "c").ty,
        ColumnType::Int {
            width: Some(5),
            zerofill: true,
            ..
        }
    ));
}

#[test]
fn type_aliases_are_canonical() {
    let t = table("CREATE TABLE t (a BOOLEAN DEFAULT false, b INTEGER, c int8, d DOUBLE PRECISION, e NUMERIC, f REAL, g FLOAT(30))");
    assert_eq!(col(&t, "a").ty, int(IntSize::Tiny, Some(1), false));
    assert_eq!(col(&t, "a").default, Some(DefaultValue::Number("0".into())));
    assert_eq!(col(&t, "b").ty, int(IntSize::Int, Some(11), false));
    assert_eq!(col(&t, "c").ty, int(IntSize::Big, Some(20), false));
    let double = ColumnType::Float {
        double: true,
        precision: None,
        unsigned: false,
        zerofill: false,
    };
    assert_eq!(col(&t, "d").ty, double);
    assert_eq!(col(&t, "f").ty, double);
    assert_eq!(col(&t, "g").ty, double, "FLOAT(p) with p > 24 is DOUBLE");
    assert_eq!(
        col(&t, "e").ty,
        ColumnType::Decimal {
            precision: 10,
            scale: 0,
            unsigned: false,
            zerofill: false
        }
    );
}

#[test]
fn serial_is_bigint_unsigned_not_null_auto_increment_unique() {
    let t = table("CREATE TABLE t (s SERIAL, x INT)");
    let s = col(&t, "s");
    assert_eq!(s.ty, int(IntSize::Big, Some(20), true));
    assert!(!s.nullable && s.auto_increment && s.default.is_none());
    assert_eq!(t.indexes.len(), 1);
    assert_eq!(
        (t.indexes[0].name.as_str(), t.indexes[0].kind),
        ("s", IndexKind::Unique)
    );
}

#[test]
fn utf8_is_utf8mb3_for_tables_and_columns() {
    let t = table("CREATE TABLE t (a varchar(10) COLLATE utf8_bin, b varchar(10)) CHARSET=UTF8");
    assert_eq!(t.options.charset.as_deref(), Some("utf8mb3"));
    assert_eq!(t.options.collation.as_deref(), Some("utf8mb3_general_ci"));
    assert_eq!(col(&t, "a").charset.as_deref(), Some("utf8mb3"));
    assert_eq!(col(&t, "a").collation.as_deref(), Some("utf8mb3_bin"));
}

#[test]
fn charset_and_collation_inherit_database_then_table_then_column() {
    let s = schema_for(
        "CREATE DATABASE d DEFAULT CHARACTER SET latin1;
         CREATE TABLE t (a varchar(5), b char(3) CHARACTER SET utf8mb4, c varchar(5) COLLATE utf8mb4_bin, d varchar(5) BINARY, e int) COLLATE utf8mb4_unicode_ci;
         CREATE TABLE u (a text);",
        "mariadb-10.11",
    );
    let u = &s.tables["u"];
    assert_eq!(
        u.options.collation.as_deref(),
        Some("latin1_swedish_ci"),
        "table from database"
    );
    assert_eq!(
        col(u, "a").collation.as_deref(),
        Some("latin1_swedish_ci"),
        "column from table"
    );
    let t = &s.tables["t"];
    assert_eq!(
        t.options.charset.as_deref(),
        Some("utf8mb4"),
        "collation implies charset"
    );
    assert_eq!(col(t, "a").collation.as_deref(), Some("utf8mb4_unicode_ci"));
    // An explicit charset takes that charset's default collation, not the table's.
    assert_eq!(col(t, "b").collation.as_deref(), Some("utf8mb4_general_ci"));
    assert_eq!(col(t, "c").charset.as_deref(), Some("utf8mb4"));
    assert_eq!(
        col(t, "d").collation.as_deref(),
        Some("utf8mb4_bin"),
        "BINARY attribute"
    );
    assert_eq!(col(t, "e").charset, None, "numbers have no charset");
}

#[test]
fn database_default_depends_on_flavor() {
    let m = table_for("CREATE TABLE t (a text)", "mysql-8.0");
    assert_eq!(m.options.collation.as_deref(), Some("utf8mb4_0900_ai_ci"));
    let d = table("CREATE TABLE t (a text)");
    assert_eq!(d.options.collation.as_deref(), Some("utf8mb4_general_ci"));
}

#[test]
fn nullable_columns_get_default_null_even_text() {
    let t = table("CREATE TABLE t (id int AUTO_INCREMENT PRIMARY KEY, a text, b int NOT NULL, c int AS (b + 1) VIRTUAL, ts timestamp NULL)");
    assert_eq!(col(&t, "a").default, Some(DefaultValue::Null));
    assert_eq!(col(&t, "ts").default, Some(DefaultValue::Null));
    assert_eq!(col(&t, "b").default, None);
    assert_eq!(
        col(&t, "c").default,
        None,
        "generated columns have no default"
    );
    assert_eq!(col(&t, "id").default, None, "auto_increment has no default");
}

#[test]
fn literal_defaults_are_printed_per_type() {
    let t = table("CREATE TABLE t (a int DEFAULT '0', b decimal(6,3) DEFAULT 1.5, c float DEFAULT '1.50', d double DEFAULT 2, e varchar(5) DEFAULT 0, f decimal(10,4) DEFAULT '0.0000', g varchar(3) DEFAULT '' NOT NULL)");
    let num = |s: &str| Some(DefaultValue::Number(s.into()));
    assert_eq!(col(&t, "a").default, num("0"));
    assert_eq!(col(&t, "b").default, num("1.500"));
    assert_eq!(col(&t, "c").default, num("1.5"));
    assert_eq!(col(&t, "d").default, num("2"));
    assert_eq!(col(&t, "e").default, Some(DefaultValue::String("0".into())));
    assert_eq!(col(&t, "f").default, num("0.0000"));
    assert_eq!(
        col(&t, "g").default,
        Some(DefaultValue::String(String::new()))
    );
    assert!(!col(&t, "g").nullable);
}

#[test]
fn current_timestamp_spellings_are_one() {
    let t = table("CREATE TABLE t (a timestamp DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, b datetime DEFAULT NOW(), c datetime(3) DEFAULT current_timestamp(3) ON UPDATE LOCALTIMESTAMP(3), d datetime DEFAULT CURRENT_TIMESTAMP())");
    assert_eq!(
        col(&t, "a").default,
        Some(DefaultValue::CurrentTimestamp(0))
    );
    assert_eq!(col(&t, "a").on_update, Some(0));
    assert_eq!(col(&t, "b").default, col(&t, "d").default);
    assert_eq!(
        col(&t, "c").default,
        Some(DefaultValue::CurrentTimestamp(3))
    );
    assert_eq!(col(&t, "c").on_update, Some(3));
}

#[test]
fn unnamed_keys_are_named_after_their_first_column() {
    let t = table("CREATE TABLE t (name varchar(50), b bigint, KEY(name), UNIQUE KEY(name, b), INDEX ix_b (b DESC))");
    assert_eq!(names(&t), vec!["name_2", "name", "ix_b"]);
    assert!(t.index("ix_b").unwrap().parts[0].desc);
}

#[test]
fn primary_key_name_is_always_primary_and_its_columns_not_null() {
    let t = table("CREATE TABLE t (id int, CONSTRAINT foo_pkey PRIMARY KEY (id))");
    assert_eq!(names(&t), vec!["PRIMARY"]);
    assert!(!col(&t, "id").nullable);
    let inline = table("CREATE TABLE t (id int PRIMARY KEY, e varchar(9) UNIQUE)");
    assert_eq!(names(&inline), vec!["PRIMARY", "e"]);
}

#[test]
fn indexes_are_in_the_servers_order() {
    let t = table("CREATE TABLE t (a int NOT NULL, b int, c varchar(20), d text, g point NOT NULL, KEY (c), FULLTEXT KEY (d), UNIQUE KEY ub (b), UNIQUE KEY ua (a), SPATIAL KEY (g), id int, PRIMARY KEY (id))");
    assert_eq!(names(&t), vec!["PRIMARY", "ua", "ub", "c", "g", "d"]);
}

#[test]
fn prefix_covering_the_whole_column_is_dropped() {
    let t = table("CREATE TABLE t (username varchar(191), ts int, e varchar(200), body text, KEY (username(191), ts), KEY (e(100)), KEY (body(255)))");
    assert_eq!(t.index("username").unwrap().parts[0].prefix, None);
    assert_eq!(t.index("e").unwrap().parts[0].prefix, Some(100));
    assert_eq!(t.index("body").unwrap().parts[0].prefix, Some(255));
}

#[test]
fn foreign_keys_get_server_names_and_a_supporting_index() {
    let s = schema_for(
        "CREATE TABLE p (id int PRIMARY KEY);
         CREATE TABLE t (id int PRIMARY KEY, pid int, pid2 int, pid3 int,
           FOREIGN KEY (pid) REFERENCES p(id),
           CONSTRAINT fk_named FOREIGN KEY (pid2) REFERENCES p(id) ON DELETE CASCADE ON UPDATE NO ACTION,
           KEY k3 (pid3, id), FOREIGN KEY (pid3) REFERENCES p(id) ON DELETE RESTRICT);",
        "mariadb-10.11",
    );
    let t = &s.tables["t"];
    let fks: Vec<&str> = t.foreign_keys.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        fks,
        vec!["fk_named", "t_ibfk_1", "t_ibfk_2"],
        "server order: by name"
    );
    assert_eq!(
        names(t),
        vec!["PRIMARY", "k3", "pid", "fk_named"],
        "k3 already serves pid3"
    );
    assert_eq!(
        t.foreign_keys[0].on_update,
        Some(FkAction::NoAction),
        "NO ACTION is kept"
    );
    assert_eq!(t.foreign_keys[2].on_delete, None, "RESTRICT is the default");
}

#[test]
fn column_references_create_a_foreign_key_on_mariadb_only() {
    let ddl = "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE t (id int PRIMARY KEY, pid int REFERENCES p(id));";
    let maria = table(ddl);
    assert_eq!(maria.foreign_keys.len(), 1);
    assert_eq!(names(&maria), vec!["PRIMARY", "pid"]);
    let mysql = table_for(ddl, "mysql-8.0");
    assert!(mysql.foreign_keys.is_empty());
}

#[test]
fn json_is_longtext_with_a_check_on_mariadb() {
    let t = table("CREATE TABLE t (j JSON)");
    let j = col(&t, "j");
    assert_eq!(
        j.ty,
        ColumnType::Text {
            size: LobSize::Long
        }
    );
    assert_eq!(j.collation.as_deref(), Some("utf8mb4_bin"));
    assert_eq!(j.check.as_ref().unwrap().text, "json_valid(`j`)");
    let m = table_for("CREATE TABLE t (j JSON)", "mysql-8.0");
    assert_eq!(col(&m, "j").ty, ColumnType::Json);
    assert_eq!(col(&m, "j").charset, None);
}

#[test]
fn unnamed_checks_get_the_flavors_names() {
    let ddl = "CREATE TABLE t (b int, n int, CHECK (b > 0), CONSTRAINT chk_n CHECK (n < 100), CHECK (n > b))";
    let t = table(ddl);
    let names: Vec<&str> = t.checks.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, vec!["CONSTRAINT_1", "chk_n", "CONSTRAINT_2"]);
    assert_eq!(t.checks[0].expr.text, "`b` > 0");
    let m = table_for(ddl, "mysql-8.0");
    assert_eq!(m.checks[0].name, "t_chk_1");
}

#[test]
fn engine_and_row_format_are_canonical() {
    let t = table("CREATE TABLE t (a int) engine=innodb row_format=Dynamic");
    assert_eq!(t.options.engine.as_deref(), Some("InnoDB"));
    assert_eq!(t.options.row_format.as_deref(), Some("DYNAMIC"));
    let d = table("CREATE TABLE t (a int)");
    assert_eq!(
        d.options.engine.as_deref(),
        Some("InnoDB"),
        "InnoDB when omitted"
    );
    assert_eq!(d.options.row_format, None);
}

#[test]
fn enum_values_are_kept_exactly() {
    let t = table("CREATE TABLE t (e enum('n', 'y') DEFAULT 'n')");
    assert_eq!(
        col(&t, "e").ty,
        ColumnType::Enum {
            values: vec!["n".into(), "y".into()]
        }
    );
    assert_eq!(col(&t, "e").default, Some(DefaultValue::String("n".into())));
}

#[test]
fn views_compare_with_the_servers_stored_text() {
    let written = schema_for(
        "CREATE TABLE p (id int, name varchar(5), b int);
         CREATE VIEW v1 AS SELECT id, name AS nombre FROM p WHERE b > 0;
         CREATE VIEW v2 (x, y, z) AS SELECT * FROM p WHERE (b > 0) WITH CHECK OPTION;",
        "mariadb-10.11",
    );
    let stored = schema_for(
        "CREATE TABLE p (id int, name varchar(5), b int);
         CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`localhost` SQL SECURITY DEFINER VIEW `v1` AS select `p`.`id` AS `id`,`p`.`name` AS `nombre` from `p` where `p`.`b` > 0;",
        "mariadb-10.11",
    );
    assert_eq!(written.views["v1"].query, stored.views["v1"].query);
    assert_eq!(written.views["v1"].depends_on, vec!["p".to_string()]);
    let v2 = &written.views["v2"];
    assert_eq!(v2.check_option, Some(CheckOption::Cascaded));
    assert!(
        v2.query.text.contains("AS `x`") && !v2.query.text.contains('*'),
        "{}",
        v2.query.text
    );
}

#[test]
fn unknown_charsets_and_mismatched_collations_are_errors() {
    let flavor = Flavor::DEFAULT;
    for ddl in [
        "CREATE TABLE t (a text CHARACTER SET klingon)",
        "CREATE TABLE t (a text CHARACTER SET latin1 COLLATE utf8mb4_bin)",
        "CREATE TABLE t (a text COLLATE nope_ci)",
    ] {
        let mut s = parse_text("x.sql", ddl, SourceKind::Schema, flavor)
            .unwrap()
            .schema;
        assert!(normalize(&mut s, flavor).is_err(), "{ddl}");
    }
}

#[test]
fn aria_prints_its_default_page_checksum() {
    let t = table("CREATE TABLE t (id int) ENGINE=Aria");
    assert_eq!(
        t.options.other.get("PAGE_CHECKSUM").map(String::as_str),
        Some("1")
    );
    let off = table("CREATE TABLE t (id int) ENGINE=Aria PAGE_CHECKSUM=0");
    assert_eq!(
        off.options.other.get("PAGE_CHECKSUM").map(String::as_str),
        Some("0")
    );
    // Partitioned, it prints only the one written: `... COLLATE=utf8mb4_general_ci\n PARTITION
    // BY HASH (`i`)\nPARTITIONS 2` on 10.11.
    // Under aria_page_checksum=OFF: `) ENGINE=Aria ... PAGE_CHECKSUM=0` (10.11).
    let flavor = Flavor::DEFAULT;
    let mut s = parse_text(
        "t.sql",
        "CREATE TABLE t (id int) ENGINE=Aria",
        SourceKind::Schema,
        flavor,
    )
    .unwrap()
    .schema;
    s.aria_checksums_off = true;
    normalize(&mut s, flavor).unwrap();
    assert_eq!(
        s.tables["t"]
            .options
            .other
            .get("PAGE_CHECKSUM")
            .map(String::as_str),
        Some("0")
    );
    let parts = table("CREATE TABLE t (i int) ENGINE=Aria PARTITION BY HASH (i) PARTITIONS 2");
    assert_eq!(parts.options.other.get("PAGE_CHECKSUM"), None);
    let written = table(
        "CREATE TABLE t (i int) ENGINE=Aria PAGE_CHECKSUM=1 PARTITION BY HASH (i) PARTITIONS 2",
    );
    assert_eq!(
        written
            .options
            .other
            .get("PAGE_CHECKSUM")
            .map(String::as_str),
        Some("1")
    );
}

#[test]
fn lower_case_table_names_lower_cases_tables_references_and_views() {
    let flavor = Flavor::DEFAULT;
    let ddl = "CREATE TABLE Users (Id int PRIMARY KEY); CREATE TABLE Orders (u int, FOREIGN KEY (u) REFERENCES Users (Id)); CREATE VIEW V AS SELECT Orders.u FROM Orders;";
    let mut s = parse_text("t.sql", ddl, SourceKind::Schema, flavor)
        .unwrap()
        .schema;
    s.lower_case_names = true;
    normalize(&mut s, flavor).unwrap();
    assert_eq!(s.tables.keys().collect::<Vec<_>>(), vec!["orders", "users"]);
    assert_eq!(s.tables["orders"].foreign_keys[0].ref_table, "users");
    assert_eq!(
        s.tables["users"].columns[0].name, "Id",
        "column names keep their case"
    );
    assert!(
        s.views["v"].query.text.contains("FROM `orders`"),
        "{}",
        s.views["v"].query.text
    );
}

#[test]
fn text_in_the_binary_charset_is_stored_as_bytes() {
    // MariaDB 10.11 printed, for MediaWiki's tables (`DEFAULT CHARSET=binary`):
    // `lc_key` varbinary(255) NOT NULL, `user_email` tinyblob NOT NULL, binary(32).
    let t = table("CREATE TABLE t (a varchar(255) NOT NULL, b tinytext NOT NULL, c char(4), d int) DEFAULT CHARSET=binary");
    let bytes = |kind, length| ColumnType::String { kind, length };
    assert_eq!(col(&t, "a").ty, bytes(StrKind::Varbinary, 255));
    assert_eq!(
        col(&t, "b").ty,
        ColumnType::Blob {
            size: LobSize::Tiny
        }
    );
    assert_eq!(col(&t, "c").ty, bytes(StrKind::Binary, 4));
    assert_eq!(
        (
            col(&t, "a").charset.as_deref(),
            col(&t, "a").collation.as_deref()
        ),
        (None, None)
    );
    let explicit = table("CREATE TABLE t (a varchar(8) CHARACTER SET binary, b varchar(8))");
    assert_eq!(col(&explicit, "a").ty, bytes(StrKind::Varbinary, 8));
    assert!(col(&explicit, "b").ty.is_textual());
}

#[test]
fn binary_defaults_are_padded_with_zero_bytes() {
    // MariaDB 10.11: `bp_token` binary(32) NOT NULL DEFAULT '\0\0...' (32 of them).
    let t = table("CREATE TABLE t (a binary(4) NOT NULL DEFAULT '', b binary(3) DEFAULT 'ab', c varbinary(4) DEFAULT '')");
    assert_eq!(
        col(&t, "a").default,
        Some(DefaultValue::String("\0\0\0\0".into()))
    );
    assert_eq!(
        col(&t, "b").default,
        Some(DefaultValue::String("ab\0".into()))
    );
    assert_eq!(
        col(&t, "c").default,
        Some(DefaultValue::String(String::new()))
    );
}
