//! Stored programs read from DDL files. Expected values are what MariaDB 10.11 stored for the
//! same text (information_schema, recorded by hand; the round trips in tests/suite/programs.rs
//! check them against a live server).

use super::*;
use crate::model::*;

fn schema(ddl: &str) -> Schema {
    crate::model::normalize::schema_of(ddl, Flavor::DEFAULT)
}

const TRIGGERS: &str = "CREATE TABLE t (id INT PRIMARY KEY, n INT);
-- a leading comment
DELIMITER //
CREATE DEFINER=`root`@`localhost` TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW
BEGIN
  -- inside comment
  SET NEW.n = NEW.n + 1; # hash comment
  /* block comment */
  SET NEW.n = NEW.n * 2;
END   //
DELIMITER ;
CREATE TRIGGER t_bi2 BEFORE INSERT ON t FOR EACH ROW PRECEDES t_bi SET NEW.n = 1  ;
";

#[test]
fn triggers_are_read_with_their_order_definer_and_body_as_stored() {
    let s = schema(TRIGGERS);
    let t = &s.triggers["t_bi"];
    assert_eq!(
        (t.table.as_str(), t.timing, t.event, t.action_order),
        ("t", TriggerTiming::Before, TriggerEvent::Insert, 2)
    );
    assert_eq!(t.definer.as_deref(), Some("root@localhost"));
    assert_eq!(
        t.body,
        "BEGIN\n  \n  SET NEW.n = NEW.n + 1; \n  \n  SET NEW.n = NEW.n * 2;\nEND"
    );
    let first = &s.triggers["t_bi2"];
    assert_eq!(
        (first.action_order, first.body.as_str()),
        (1, "SET NEW.n = 1")
    );
    assert_eq!(first.definer, None);
}

#[test]
fn routines_are_read_with_parameters_and_characteristics() {
    let s = schema(
        "DELIMITER ;;
CREATE PROCEDURE p(IN a INT, OUT b VARCHAR(10) CHARSET latin1, INOUT c DECIMAL(10,2))
  COMMENT 'hi'
  DETERMINISTIC
  READS SQL DATA
  SQL SECURITY INVOKER
BEGIN
  SELECT a INTO b; -- x
END;;
CREATE FUNCTION f(x INT) RETURNS varchar(20) CHARSET utf8mb4 NO SQL RETURN CONCAT('é', x) ;;
CREATE OR REPLACE FUNCTION g(x INT UNSIGNED, y ENUM('a','b')) RETURNS INT
  BEGIN RETURN x; END;;
DELIMITER ;
",
    );
    let p = &s.procedures["p"];
    let params: Vec<(Option<ParamMode>, &str, &str)> = (p.params.iter())
        .map(|x| (x.mode, x.name.as_str(), x.data_type.as_str()))
        .collect();
    assert_eq!(
        params,
        [
            (Some(ParamMode::In), "a", "int(11)"),
            (
                Some(ParamMode::Out),
                "b",
                "varchar(10) CHARACTER SET latin1 COLLATE latin1_swedish_ci"
            ),
            (Some(ParamMode::InOut), "c", "decimal(10,2)"),
        ]
    );
    assert_eq!(
        (
            p.deterministic,
            p.data_access,
            p.security,
            p.comment.as_str()
        ),
        (true, DataAccess::ReadsSqlData, Security::Invoker, "hi")
    );
    assert_eq!(p.body, "BEGIN\n  SELECT a INTO b; \nEND");
    let f = &s.functions["f"];
    // The database's own charset is not named (normalization drops it).
    assert_eq!(f.returns.as_deref(), Some("varchar(20)"));
    assert_eq!((f.params[0].mode, f.data_access), (None, DataAccess::NoSql));
    assert_eq!(f.body, "RETURN CONCAT('é', x)");
    let g = &s.functions["g"];
    let types: Vec<&str> = g.params.iter().map(|x| x.data_type.as_str()).collect();
    assert_eq!(types, ["int(10) unsigned", "enum('a','b')"]);
    assert_eq!(g.returns.as_deref(), Some("int(11)"));
    assert_eq!(g.body, "BEGIN RETURN x; END");
}

#[test]
fn events_are_read_with_their_schedule() {
    let s = schema("CREATE TABLE t (id int);
CREATE EVENT e ON SCHEDULE EVERY 1 HOUR STARTS '2030-01-01 00:00:00' ON COMPLETION PRESERVE DISABLE COMMENT 'ev' DO DELETE FROM t WHERE id < 0;
CREATE EVENT IF NOT EXISTS e2 ON SCHEDULE AT '2035-01-01 00:00:00' DO /* c */ DELETE FROM t;
CREATE EVENT e3 ON SCHEDULE EVERY '1:30' HOUR_MINUTE DISABLE ON SLAVE DO BEGIN DELETE FROM t; END;
CREATE EVENT IF NOT EXISTS e2 ON SCHEDULE AT '2036-01-01 00:00:00' DO SELECT 1;
");
    let e = &s.events["e"];
    assert_eq!(
        e.schedule,
        Schedule::Every {
            value: "1".into(),
            unit: "HOUR".into(),
            starts: Some("2030-01-01 00:00:00".into()),
            ends: None
        }
    );
    assert_eq!(
        (e.preserve, e.status, e.comment.as_str(), e.body.as_str()),
        (
            true,
            EventStatus::Disabled,
            "ev",
            "DELETE FROM t WHERE id < 0"
        )
    );
    let e2 = &s.events["e2"];
    assert_eq!(
        (&e2.schedule, e2.body.as_str()),
        (
            &Schedule::At {
                at: "2035-01-01 00:00:00".into()
            },
            "DELETE FROM t"
        )
    );
    let e3 = &s.events["e3"];
    assert!(
        matches!(&e3.schedule, Schedule::Every { value, unit, .. } if value == "'1:30'" && unit == "HOUR_MINUTE")
    );
    assert_eq!(e3.status, EventStatus::DisabledOnReplica);
}

#[test]
fn drops_and_replacements_apply_in_order() {
    let s = schema(
        "CREATE TABLE t (id int);
CREATE TRIGGER a AFTER UPDATE ON t FOR EACH ROW SET @a = 1;
CREATE TRIGGER b AFTER UPDATE ON t FOR EACH ROW SET @b = 1;
CREATE TRIGGER c AFTER UPDATE ON t FOR EACH ROW FOLLOWS a SET @c = 1;
DROP TRIGGER a;
CREATE PROCEDURE p() SELECT 1;
DROP PROCEDURE IF EXISTS P;
DROP FUNCTION IF EXISTS nothing;
CREATE OR REPLACE PROCEDURE q() SELECT 1;
CREATE OR REPLACE PROCEDURE q() SELECT 2;
",
    );
    let order: Vec<(&str, u32)> = (s.triggers.values())
        .map(|t| (t.name.as_str(), t.action_order))
        .collect();
    assert_eq!(order, [("b", 2), ("c", 1)]);
    assert!(!s.procedures.contains_key("p"));
    assert_eq!(s.procedures["q"].body, "SELECT 2");
    let gone = schema(
        "CREATE TABLE t (id int);
CREATE TRIGGER a AFTER UPDATE ON t FOR EACH ROW SET @a = 1;
DROP TABLE t;",
    );
    assert!(gone.triggers.is_empty());
}

/// The error's line and the text its span covers.
fn error_at(ddl: &str) -> (usize, String, String) {
    match parse_text("f.sql", ddl, SourceKind::Schema, Flavor::DEFAULT) {
        Err(LoadError::Ddl(e)) => {
            let start = e.span.offset();
            let text = ddl[start..start + e.span.len()].to_string();
            (e.line, text, e.message)
        }
        Err(other) => panic!("unexpected error {other:?}"),
        Ok(_) => panic!("{ddl:?} should not parse"),
    }
}

#[test]
fn bad_programs_are_errors_at_their_text() {
    let (line, text, message) = error_at(
        "CREATE TABLE t (id int);\nCREATE TRIGGER x DURING INSERT ON t FOR EACH ROW SET @a = 1;",
    );
    assert_eq!((line, text.as_str()), (2, "DURING"));
    assert!(message.contains("BEFORE or AFTER"), "{message}");
    let (line, text, message) =
        error_at("CREATE TRIGGER x BEFORE INSERT ON nowhere FOR EACH ROW SET @a = 1;");
    assert_eq!((line, text.as_str()), (1, "CREATE TRIGGER x"));
    assert!(message.contains("`nowhere`"), "{message}");
    let (_, _, message) =
        error_at("CREATE PROCEDURE p() SELECT 1;\nCREATE PROCEDURE p() SELECT 2;");
    assert!(message.contains("defined twice"), "{message}");
    let (line, text, _) = error_at("CREATE EVENT e ON SCHEDULE EVERY 1 HOUR;");
    assert_eq!((line, text.as_str()), (1, ""));
    let (line, text, _) = error_at("CREATE TABLE t (id int);\nCREATE TRIGGER y BEFORE INSERT ON t FOR EACH ROW FOLLOWS z SET @a = 1;");
    assert_eq!((line, text.as_str()), (2, "CREATE TRIGGER y"));
}

fn without_origins(mut s: Schema) -> Schema {
    s.triggers.values_mut().for_each(|t| t.origin = None);
    (s.procedures.values_mut().chain(s.functions.values_mut())).for_each(|r| r.origin = None);
    s.events.values_mut().for_each(|e| e.origin = None);
    s
}

/// What `canon dump` writes (sql/program.rs, under DELIMITER) reads back as the same model.
#[test]
fn printed_programs_read_back_the_same() {
    use crate::sql::program::{create_event, create_routine, create_trigger, delimited, Head};
    let original = schema(&format!("{TRIGGERS}
CREATE TRIGGER t_ai AFTER INSERT ON t FOR EACH ROW INSERT INTO t VALUES (NEW.id + 1, ';');
CREATE DEFINER=`a b`@`%` PROCEDURE p(IN a INT, OUT b VARCHAR(10) CHARSET latin1, INOUT `c``d` DECIMAL(10,2)) COMMENT 'it''s' DETERMINISTIC MODIFIES SQL DATA SQL SECURITY INVOKER SELECT a INTO b;
CREATE FUNCTION f(x INT) RETURNS varchar(20) CHARSET latin1 COLLATE latin1_bin NO SQL RETURN CONCAT('é', x);
CREATE EVENT e ON SCHEDULE EVERY '1:30' HOUR_MINUTE STARTS '2030-01-01 00:00:00' ENDS '2031-01-01 00:00:00' ON COMPLETION PRESERVE DISABLE ON SLAVE COMMENT 'ev' DO DELETE FROM t WHERE id < 0;
CREATE EVENT e2 ON SCHEDULE AT '2035-01-01 00:00:00' DO BEGIN DELETE FROM t; END;
"));
    let head = Head {
        or_replace: false,
        definer: true,
    };
    let mut printed = String::from("CREATE TABLE t (id INT PRIMARY KEY, n INT);\n");
    let mut triggers: Vec<&Trigger> = original.triggers.values().collect();
    triggers.sort_by_key(|t| (t.timing, t.event, t.action_order));
    for t in triggers {
        printed.push_str(&delimited(&create_trigger(t, head, None)));
    }
    for r in original
        .procedures
        .values()
        .chain(original.functions.values())
    {
        printed.push_str(&delimited(&create_routine(r, head)));
    }
    for e in original.events.values() {
        printed.push_str(&delimited(&create_event(e, head)));
    }
    let (original, read) = (without_origins(original), without_origins(schema(&printed)));
    assert_eq!(read.triggers, original.triggers, "{printed}");
    assert_eq!(read.procedures, original.procedures, "{printed}");
    assert_eq!(read.functions, original.functions, "{printed}");
    assert_eq!(read.events, original.events, "{printed}");
    assert_eq!(read.procedures["p"].definer.as_deref(), Some("a b@%"));
}

/// MariaDB 10.11 stored the same after these ALTERs (fixtures/programs/04-alter.sql
/// round-trips them on the server).
#[test]
fn alters_change_what_they_name() {
    let s = schema(
        "CREATE TABLE jobs (id int);
CREATE PROCEDURE p() SELECT 1;
ALTER PROCEDURE p COMMENT 'c' SQL SECURITY INVOKER MODIFIES SQL DATA;
CREATE EVENT e ON SCHEDULE EVERY 1 HOUR DO SELECT 1;
ALTER DEFINER=`u`@`%` EVENT e ON SCHEDULE AT '2036-01-01 00:00:00' RENAME TO f DISABLE DO SELECT 2;
",
    );
    let p = &s.procedures["p"];
    assert_eq!(
        (p.comment.as_str(), p.security, p.data_access),
        ("c", Security::Invoker, DataAccess::ModifiesSqlData)
    );
    let f = &s.events["f"];
    assert_eq!(
        (&f.schedule, f.status, f.body.as_str(), f.definer.as_deref()),
        (
            &Schedule::At {
                at: "2036-01-01 00:00:00".into()
            },
            EventStatus::Disabled,
            "SELECT 2",
            Some("u@%")
        )
    );
    assert!(!s.events.contains_key("e"));
    let (line, _, message) =
        error_at("CREATE TABLE t (id int);\nALTER PROCEDURE nowhere COMMENT 'x';");
    assert_eq!(line, 2);
    assert!(message.contains("`nowhere` is not defined"), "{message}");
    let (_, text, _) = error_at("ALTER TRIGGER t_bi COMMENT 'x';");
    assert_eq!(text, "t_bi");
    let (_, text, _) = error_at("CREATE PROCEDURE p() SELECT 1;\nALTER PROCEDURE p;");
    assert_eq!(text, "");
}

#[test]
fn compound_bodies_without_delimiter_are_kept_whole() {
    let s = schema("CREATE TABLE t (id int);\nCREATE PROCEDURE p() BEGIN SELECT 1; IF 1 THEN SELECT 2; END IF; END;\nCREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW BEGIN SET @a = 1; SET @b = 2; END;\nCREATE TABLE after_them (a int);");
    assert_eq!(
        s.procedures["p"].body,
        "BEGIN SELECT 1; IF 1 THEN SELECT 2; END IF; END"
    );
    assert_eq!(s.triggers["t_bi"].body, "BEGIN SET @a = 1; SET @b = 2; END");
    assert!(s.tables.contains_key("after_them"));
}

/// `mariadb-dump --routines --triggers --events` 10.11's own text (recorded), with the
/// session it wrote around each program.
#[test]
fn a_dumps_programs_are_read_with_their_context() {
    let dump = "CREATE TABLE `t` (\n  `id` int(11) NOT NULL,\n  `n` int(11) DEFAULT NULL,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!50003 SET @saved_cs_client      = @@character_set_client */ ;
/*!50003 SET @saved_cs_results     = @@character_set_results */ ;
/*!50003 SET @saved_col_connection = @@collation_connection */ ;
/*!50003 SET character_set_client  = utf8mb3 */ ;
/*!50003 SET character_set_results = utf8mb3 */ ;
/*!50003 SET collation_connection  = utf8mb3_general_ci */ ;
/*!50003 SET @saved_sql_mode       = @@sql_mode */ ;
/*!50003 SET sql_mode              = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION' */ ;
DELIMITER ;;
/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`127.0.0.1`*/ /*!50003 TRIGGER t_bi2 BEFORE INSERT ON t FOR EACH ROW SET NEW.n = 1 
*/;;
DELIMITER ;
/*!50003 SET sql_mode              = @saved_sql_mode */ ;
/*!50003 SET character_set_client  = @saved_cs_client */ ;
/*!50003 SET character_set_results = @saved_cs_results */ ;
/*!50003 SET collation_connection  = @saved_col_connection */ ;
DELIMITER ;;
/*!50106 CREATE*/ /*!50117 DEFINER=`root`@`127.0.0.1`*/ /*!50106 EVENT `e3` ON SCHEDULE EVERY '1:30' HOUR_MINUTE STARTS '2026-12-03 15:15:40' ON COMPLETION NOT PRESERVE ENABLE DO BEGIN DELETE FROM t; END 
*/ ;;
DELIMITER ;
/*!50003 DROP FUNCTION IF EXISTS `f` */;
DELIMITER ;;
CREATE DEFINER=`root`@`127.0.0.1` FUNCTION `f`(x INT) RETURNS varchar(20) CHARSET utf8mb4 COLLATE utf8mb4_general_ci
    NO SQL
RETURN CONCAT('é', x)
;;
DELIMITER ;
";
    let loaded = parse_text("d.sql", dump, SourceKind::Dump, Flavor::DEFAULT).unwrap();
    let t = &loaded.schema.triggers["t_bi2"];
    assert_eq!(t.body.trim_end(), "SET NEW.n = 1");
    assert_eq!(t.definer.as_deref(), Some("root@127.0.0.1"));
    assert_eq!(
        t.context,
        Some(Context {
            sql_mode: "STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION".into(),
            character_set_client: "utf8mb3".into(),
            collation_connection: "utf8mb3_general_ci".into(),
            database_collation: String::new(),
        })
    );
    // Restored from variables after the trigger: the event's session is not known.
    let e = &loaded.schema.events["e3"];
    assert_eq!(
        (e.context.as_ref(), e.body.trim_end()),
        (None, "BEGIN DELETE FROM t; END")
    );
    let f = &loaded.schema.functions["f"];
    assert_eq!(f.body.trim_end(), "RETURN CONCAT('é', x)");
    assert_eq!(
        f.returns.as_deref(),
        Some("varchar(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci")
    );
}

#[test]
fn definers_read_in_every_quoting() {
    for (written, read) in [
        ("`root`@`localhost`", Some("root@localhost")),
        ("'app'@'%'", Some("app@%")),
        ("app@localhost", Some("app@localhost")),
        ("\"app\"@\"10.0.0.1\"", Some("app@10.0.0.1")),
        ("CURRENT_USER", None),
        ("CURRENT_USER()", None),
    ] {
        let s = schema(&format!("CREATE DEFINER={written} PROCEDURE p() SELECT 1"));
        assert_eq!(s.procedures["p"].definer.as_deref(), read, "{written}");
    }
}
