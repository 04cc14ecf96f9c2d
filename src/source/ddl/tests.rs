use super::*;

/// The error's line and the text its span covers.
fn error_at(ddl: &str) -> (usize, String, String) {
    match parse_text("f.sql", ddl, SourceKind::Schema, Flavor::DEFAULT) {
        Err(LoadError::Ddl(e)) => {
            let start = e.span.offset();
            (
                e.line,
                ddl[start..start + e.span.len()].to_string(),
                e.message,
            )
        }
        Err(other) => panic!("unexpected error {other:?}"),
        Ok(_) => panic!("{ddl:?} should not parse"),
    }
}

#[test]
fn a_table_canon_cannot_model_is_refused_by_name_and_the_rest_is_read() {
    let ddl = "CREATE TABLE a (x int);\nCREATE TABLE t (id int, s date, e date, PERIOD FOR p (s, e),\nPRIMARY KEY (id, p WITHOUT OVERLAPS));\nCREATE TEMPORARY TABLE tmp (a int);\nALTER TABLE t DISABLE KEYS;\nCREATE TABLE b (y int);";
    let loaded = parse_text("f.sql", ddl, SourceKind::Dump, Flavor::DEFAULT).unwrap();
    let tables: Vec<&String> = loaded.schema.tables.keys().collect();
    assert_eq!(tables, ["a", "b"]);
    let refused: Vec<(&str, &str, usize)> = loaded
        .unsupported
        .iter()
        .map(|r| (r.table.as_str(), r.feature.as_str(), r.origin.line))
        .collect();
    assert_eq!(refused, [("t", "key WITHOUT OVERLAPS", 2)]);
}

#[test]
fn temporary_tables_are_skipped_with_one_warning_and_never_drop_a_table() {
    let ddl = "CREATE TABLE t (a int);\nCREATE TEMPORARY TABLE t (a int, b int);\nCREATE TEMPORARY TABLE IF NOT EXISTS u (x int) ENGINE=MEMORY;\nDROP TEMPORARY TABLE IF EXISTS t;";
    let loaded = parse_text("f.sql", ddl, SourceKind::Schema, Flavor::DEFAULT).unwrap();
    let tables: Vec<&String> = loaded.schema.tables.keys().collect();
    assert_eq!(tables, ["t"]);
    assert_eq!(loaded.schema.tables["t"].columns.len(), 1);
    let warnings: Vec<(String, usize)> = loaded
        .skipped_warnings()
        .into_iter()
        .map(|w| (w.message, w.origin.unwrap().line))
        .collect();
    assert_eq!(
        warnings,
        [
            ("2 CREATE TEMPORARY statements skipped (the first one shown): a temporary table lives in one session: it is not part of a schema".to_string(), 2),
            ("1 DROP TEMPORARY statement skipped (the first one shown): a temporary table lives in one session: it is not part of a schema".to_string(), 4),
        ]
    );
}

#[test]
fn errors_point_at_the_offending_text() {
    let cases = [
        (
            "CREATE TABLE t (a int, b varchr(10));",
            1,
            "varchr",
            "not a column type",
        ),
        (
            "CREATE TABLE t (a int)\n  ENGINE=InnoDB FROBNICATE=1;",
            2,
            "FROBNICATE",
            "unknown table option",
        ),
        (
            "CREATE TABLE t (a int);\nCREATE TABLE t (b int);",
            2,
            "CREATE TABLE t",
            "defined twice",
        ),
        (
            "ALTER TABLE nope ADD COLUMN x int;",
            1,
            "ALTER TABLE nope",
            "not defined",
        ),
        (
            "CREATE TABLE t (a int CHECK (a >));",
            1,
            "a >",
            "CHECK expression",
        ),
        (
            "CREATE TABLE t (\n  a int,\n  PRIMARY KEY (a)",
            3,
            "",
            "expected",
        ),
        (
            "CREATE TABLE t (a varchar);",
            1,
            "varchar",
            "needs a length",
        ),
        ("UPSERT INTO t VALUES (1);", 1, "UPSERT", "not a statement"),
        ("CREATE VIEW v AS SELEC 1;", 1, "SELEC 1", "view's query"),
    ];
    for (ddl, line, text, message) in cases {
        let (l, t, m) = error_at(ddl);
        assert_eq!((l, t.as_str()), (line, text), "{ddl:?}: {m}");
        assert!(m.contains(message), "{ddl:?}: {m}");
    }
}

#[test]
fn reads_ddl_as_people_write_it() {
    let ddl = "create table if not exists orders (id serial, user_id int references users(id));
        create table `users` (`id` int(11) primary key, is_admin boolean default false) engine = innodb, default charset utf8mb4;
        create unique index ux on users (is_admin);
        alter table orders add column note text after id, add key (user_id);
        create or replace view v as select * from users;";
    let s = parse_text("f.sql", ddl, SourceKind::Schema, Flavor::DEFAULT)
        .unwrap()
        .schema;
    assert_eq!(s.tables.len(), 2);
    assert_eq!(s.tables["orders"].columns[1].name, "note", "AFTER id");
    assert_eq!(s.tables["users"].indexes.len(), 2);
    assert_eq!(
        s.tables["orders"].foreign_keys.len(),
        1,
        "column REFERENCES on MariaDB"
    );
    assert!(s.views.contains_key("v"));
}

/// Blocks are cut at line ends: statements, lines and offsets are the same as in one piece.
#[test]
fn a_file_larger_than_a_block_reads_as_one_text() {
    let mut text = String::new();
    for i in 0..40 {
        text.push_str(&format!(
            "CREATE TABLE t{i} (a int);\nINSERT INTO t{i} VALUES "
        ));
        // Lines of odd lengths, some longer than a block.
        let rows = 1 + (i * 7919) % 90_000;
        text.push_str(&"('x;y\\'z'),".repeat(rows));
        text.push_str("('end');\n");
    }
    text.push_str("CREATE TABLE last (a int, b nope);\n");
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &text).unwrap();
    let mut loader = Loader::new(Flavor::DEFAULT);
    let err = loader.load_file(file.path(), SourceKind::Dump).unwrap_err();
    let LoadError::Ddl(e) = err else {
        panic!("{err:?}")
    };
    assert_eq!(e.line, 81);
    assert_eq!(
        &text[e.span.offset()..e.span.offset() + e.span.len()],
        "nope"
    );
    let loaded = loader.finish();
    assert_eq!(loaded.schema.tables.len(), 40);
    let warnings = loaded.skipped_warnings();
    assert!(
        warnings[0]
            .message
            .starts_with("40 INSERT statements skipped"),
        "{warnings:?}"
    );
    assert!(text.len() > 3 << 20, "several blocks");
}

#[test]
fn one_database_per_file_set() {
    // phpMyAdmin's create_tables.sql: its own database, then USE of it.
    let ddl = "CREATE DATABASE IF NOT EXISTS `phpmyadmin`\n  DEFAULT CHARACTER SET utf8 COLLATE utf8_bin;\nUSE phpmyadmin;\nCREATE TABLE t (a int);\nUSE `phpmyadmin`;";
    let loaded = parse_text("f.sql", ddl, SourceKind::Schema, Flavor::DEFAULT).unwrap();
    assert_eq!(loaded.schema.collation.as_deref(), Some("utf8mb3_bin"));
    assert_eq!(loaded.skipped_warnings().len(), 1, "{:?}", loaded.skipped);
    let (line, text, message) = error_at("USE a;\nCREATE TABLE t (x int);\nUSE b;");
    assert_eq!((line, text.as_str()), (3, "USE b"));
    assert!(message.contains("after USE `a` (at f.sql:1)"), "{message}");
}

#[test]
fn a_dump_replaces_view_stand_ins_with_the_real_views() {
    let dump = "DROP TABLE IF EXISTS `v`;\n/*!50001 DROP VIEW IF EXISTS `v`*/;\n/*!50001 CREATE VIEW `v` AS SELECT\n 1 AS `id` */;\nCREATE TABLE `t` (`id` int(11) DEFAULT NULL) ENGINE=InnoDB;\n/*!50001 DROP VIEW IF EXISTS `v`*/;\n/*!50001 CREATE ALGORITHM=UNDEFINED */\n/*!50013 DEFINER=`root`@`localhost` SQL SECURITY DEFINER */\n/*!50001 VIEW `v` AS select `t`.`id` AS `id` from `t` */;";
    let s = parse_text("d.sql", dump, SourceKind::Dump, Flavor::DEFAULT)
        .unwrap()
        .schema;
    assert_eq!(s.views.len(), 1);
    assert!(
        s.views["v"].query.text.contains("FROM `t`"),
        "{}",
        s.views["v"].query.text
    );
}

#[test]
fn a_name_on_a_primary_key_is_read_and_dropped_as_the_server_does() {
    // Gammu's mysql.sql (gammu-smsd), verbatim; the server stores `PRIMARY KEY (`ID`)`.
    let ddl = "CREATE TABLE `inbox` (\n  `ID` integer unsigned NOT NULL auto_increment,\n  `Status` integer NOT NULL default '-1',\n  PRIMARY KEY `ID` (`ID`)\n) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4 AUTO_INCREMENT=1 ;";
    let loaded = parse_text("mysql.sql", ddl, SourceKind::Schema, Flavor::DEFAULT).unwrap();
    let keys: Vec<(&str, crate::model::IndexKind)> = loaded.schema.tables["inbox"]
        .indexes
        .iter()
        .map(|i| (i.name.as_str(), i.kind))
        .collect();
    assert_eq!(keys, [("PRIMARY", crate::model::IndexKind::Primary)]);
}

#[test]
fn a_sourced_file_is_read_in_place_and_a_missing_one_is_an_error_at_the_command() {
    let dir = std::env::temp_dir().join(format!("canon-source-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let triggers = dir.join("triggers.sql");
    // ZoneMinder's triggers.sql, its first trigger verbatim.
    std::fs::write(&triggers, "delimiter //\nDROP TRIGGER IF EXISTS Events_Hour_delete_trigger//\nCREATE TRIGGER Events_Hour_delete_trigger BEFORE DELETE ON Events_Hour\nFOR EACH ROW BEGIN\n  UPDATE Event_Summaries SET\n  HourEvents = GREATEST(COALESCE(HourEvents,1)-1,0),\n  HourEventDiskSpace=GREATEST(COALESCE(HourEventDiskSpace,0)-COALESCE(OLD.DiskSpace,0),0)\n  WHERE Event_Summaries.MonitorId=OLD.MonitorId;\nEND; \n//\n").unwrap();
    let ddl = format!("CREATE TABLE `Events_Hour` (`MonitorId` int, `DiskSpace` bigint);\nsource {}\nCREATE TABLE after_it (a int);", triggers.display());
    let loaded = parse_text("zm_create.sql", &ddl, SourceKind::Schema, Flavor::DEFAULT).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let seen: Vec<(&str, &str, String, usize)> = (loaded.schema.triggers.values())
        .map(|t| {
            let o = t.origin.as_ref().unwrap();
            (t.table.as_str(), t.name.as_str(), o.file.clone(), o.line)
        })
        .collect();
    let file = triggers.display().to_string();
    assert_eq!(
        seen,
        [("Events_Hour", "Events_Hour_delete_trigger", file, 3)]
    );
    assert!(loaded.schema.tables.contains_key("after_it"));
    let (line, text, message) =
        error_at("CREATE TABLE t (a int);\nsource /nonexistent/triggers.sql\n");
    assert_eq!(
        (line, text.as_str()),
        (2, "source /nonexistent/triggers.sql")
    );
    assert!(
        message.contains("`source` cannot read `/nonexistent/triggers.sql`"),
        "{message}"
    );
}

#[test]
fn an_index_added_after_a_foreign_key_drops_the_implicit_index_it_serves() {
    // ZoneMinder's zm_create.sql, verbatim; the server keeps only the two named indexes.
    let ddl = "CREATE TABLE `Groups` (`Id` int(10) unsigned NOT NULL, PRIMARY KEY (`Id`));\nCREATE TABLE `Monitors` (`Id` int(10) unsigned NOT NULL, PRIMARY KEY (`Id`));\nCREATE TABLE `Groups_Monitors` (\n    `Id` INT(10) unsigned NOT NULL auto_increment,\n    `GroupId` int(10) unsigned NOT NULL,\n    FOREIGN KEY (`GroupId`) REFERENCES `Groups` (`Id`) ON DELETE CASCADE,\n    `MonitorId` int(10) unsigned NOT NULL,\n    FOREIGN KEY (`MonitorId`) REFERENCES `Monitors` (`Id`) ON DELETE CASCADE,\n    PRIMARY KEY (`Id`)\n) ENGINE=InnoDB;\n\nCREATE INDEX `Groups_Monitors_GroupId_idx` ON `Groups_Monitors` (`GroupId`);\nCREATE INDEX `Groups_Monitors_MonitorId_idx` ON `Groups_Monitors` (`MonitorId`);";
    let schema = crate::model::normalize::schema_of(ddl, Flavor::DEFAULT);
    let names: Vec<&str> = schema.tables["Groups_Monitors"]
        .indexes
        .iter()
        .map(|i| i.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "PRIMARY",
            "Groups_Monitors_GroupId_idx",
            "Groups_Monitors_MonitorId_idx"
        ]
    );
}

#[test]
fn a_call_of_a_procedure_that_only_alters_tables_runs_its_statements() {
    // ulogd2's mysql-ulogd2.sql, verbatim but for the tables' other columns.
    let ddl = "CREATE TABLE `ulog2` (`_id` bigint unsigned NOT NULL auto_increment, PRIMARY KEY (`_id`)) ENGINE=INNODB;\nCREATE TABLE `tcp` (`_tcp_id` bigint unsigned NOT NULL) ENGINE=INNODB;\nDROP PROCEDURE IF EXISTS ULOG2_ADD_FOREIGN_KEYS;\ndelimiter $$\nCREATE PROCEDURE ULOG2_ADD_FOREIGN_KEYS(\n                )\nSQL SECURITY INVOKER\nCOMMENT 'Add constraints for ulog2 tables'\nBEGIN\n        -- remember : table with least constraints first\n        ALTER TABLE tcp ADD CONSTRAINT _tcp_id FOREIGN KEY (_tcp_id) REFERENCES ulog2 (_id);\nEND\n$$\ndelimiter ;\n\nDROP PROCEDURE IF EXISTS PACKET_ADD_UDP;\ndelimiter $$\nCREATE PROCEDURE PACKET_ADD_UDP(\n\t\tIN `id` int(10) unsigned\n\t\t)\nBEGIN\n\tINSERT INTO udp (_udp_id) VALUES (id);\nEND\n$$\ndelimiter ;\nCALL PACKET_ADD_UDP(1);\nCALL ULOG2_ADD_FOREIGN_KEYS();\n";
    let loaded = parse_text("mysql-ulogd2.sql", ddl, SourceKind::Schema, Flavor::DEFAULT).unwrap();
    let fks: Vec<(&str, &str)> = loaded.schema.tables["tcp"]
        .foreign_keys
        .iter()
        .map(|f| (f.name.as_str(), f.ref_table.as_str()))
        .collect();
    assert_eq!(fks, [("_tcp_id", "ulog2")]);
    let procedures: Vec<&str> = loaded
        .schema
        .procedures
        .keys()
        .map(|n| n.as_str())
        .collect();
    assert_eq!(procedures, ["PACKET_ADD_UDP", "ULOG2_ADD_FOREIGN_KEYS"]);
}

/// Each statement as written on MariaDB 10.11, and what `SHOW CREATE SEQUENCE` printed after.
#[test]
fn sequences_take_the_servers_defaults() {
    for (written, shown) in [
        ("CREATE SEQUENCE s", "CREATE SEQUENCE `s` start with 1 minvalue 1 maxvalue 9223372036854775806 increment by 1 cache 1000 nocycle ENGINE=InnoDB"),
        ("CREATE SEQUENCE s minvalue 5", "CREATE SEQUENCE `s` start with 5 minvalue 5 maxvalue 9223372036854775806 increment by 1 cache 1000 nocycle ENGINE=InnoDB"),
        ("CREATE SEQUENCE s increment by -2 maxvalue 100", "CREATE SEQUENCE `s` start with 100 minvalue -9223372036854775807 maxvalue 100 increment by -2 cache 1000 nocycle ENGINE=InnoDB"),
        ("CREATE SEQUENCE s increment by -1", "CREATE SEQUENCE `s` start with -1 minvalue -9223372036854775807 maxvalue -1 increment by -1 cache 1000 nocycle ENGINE=InnoDB"),
        ("CREATE SEQUENCE s cache 0 no minvalue nomaxvalue", "CREATE SEQUENCE `s` start with 1 minvalue 1 maxvalue 9223372036854775806 increment by 1 nocache nocycle ENGINE=InnoDB"),
        ("CREATE SEQUENCE s start = 3 increment = 2 minvalue = 1 maxvalue = 9 cache = 2 cycle engine=Aria", "CREATE SEQUENCE `s` start with 3 minvalue 1 maxvalue 9 increment by 2 cache 2 cycle ENGINE=Aria"),
        ("CREATE SEQUENCE s start with 5 minvalue 1 increment 3 nocycle", "CREATE SEQUENCE `s` start with 5 minvalue 1 maxvalue 9223372036854775806 increment by 3 cache 1000 nocycle ENGINE=InnoDB"),
        ("CREATE SEQUENCE s increment 0", "CREATE SEQUENCE `s` start with 1 minvalue 1 maxvalue 9223372036854775806 increment by 0 cache 1000 nocycle ENGINE=InnoDB"),
        ("CREATE SEQUENCE s increment by 1 start with -5 minvalue -10 maxvalue 10 comment 'hi'", "CREATE SEQUENCE `s` start with -5 minvalue -10 maxvalue 10 increment by 1 cache 1000 nocycle ENGINE=InnoDB COMMENT='hi'"),
        ("CREATE SEQUENCE s start with 10 increment by 5 minvalue 1 maxvalue 1000 cache 20 cycle;\nALTER SEQUENCE s maxvalue 2000 nocycle;\nALTER SEQUENCE s start with 7 restart with 9;", "CREATE SEQUENCE `s` start with 7 minvalue 1 maxvalue 2000 increment by 5 cache 20 nocycle ENGINE=InnoDB"),
        ("CREATE SEQUENCE s start with 5 increment by 3 cache 5 cycle;\nALTER SEQUENCE s increment by 7 nocache nocycle minvalue 0;\nALTER TABLE s COMMENT='cc';\nALTER TABLE s ENGINE=MyISAM;", "CREATE SEQUENCE `s` start with 5 minvalue 0 maxvalue 9223372036854775806 increment by 7 nocache nocycle ENGINE=MyISAM COMMENT='cc'"),
    ] {
        let mut schema = parse_text("f.sql", written, SourceKind::Schema, Flavor::DEFAULT)
            .unwrap()
            .schema;
        crate::model::normalize::normalize(&mut schema, Flavor::DEFAULT).unwrap();
        assert_eq!(
            crate::sql::sequence::create_sequence(&schema.sequences["s"]),
            shown,
            "{written}"
        );
    }
}

/// mariadb-dump 10.11 writes a sequence so (its next value as `DO SETVAL`, which is data).
#[test]
fn a_dumps_sequences_are_read_and_their_values_skipped() {
    let dump = "DROP SEQUENCE IF EXISTS `s1`;\nCREATE SEQUENCE `s1` start with 1 minvalue 1 maxvalue 9223372036854775806 increment by 1 cache 1000 nocycle ENGINE=InnoDB;\nDO SETVAL(`s1`, 1, 0);\nCREATE TABLE t (a int);\nDROP SEQUENCE IF EXISTS gone;";
    let loaded = parse_text("d.sql", dump, SourceKind::Dump, Flavor::DEFAULT).unwrap();
    assert_eq!(loaded.schema.sequences["s1"].cache, 1000);
    assert_eq!(loaded.schema.tables.len(), 1);
    let warnings: Vec<String> = loaded
        .skipped_warnings()
        .into_iter()
        .map(|w| w.message)
        .collect();
    assert_eq!(
        warnings,
        ["1 DO statement skipped (the first one shown): data, not schema"]
    );
    let twice = "CREATE SEQUENCE s;\nCREATE TABLE s (a int);";
    assert!(parse_text("f.sql", twice, SourceKind::Schema, Flavor::DEFAULT).is_err());
}
