use super::*;

fn texts_for(src: &str, flavor: Flavor) -> Vec<String> {
    split(src, flavor)
        .into_iter()
        .map(|s| match s.bulk {
            Some(verb) => format!("<{verb}>"),
            None => s.text.split_whitespace().collect::<Vec<_>>().join(" "),
        })
        .collect()
}

fn texts(src: &str) -> Vec<String> {
    texts_for(src, Flavor::DEFAULT)
}

#[test]
fn splits_on_semicolons_outside_quotes_and_comments() {
    let got = texts(
        "CREATE TABLE a (x varchar(3) DEFAULT ';');\n-- a; comment\n/* b; */ DROP TABLE `c;d`;",
    );
    assert_eq!(
        got,
        vec![
            "CREATE TABLE a (x varchar(3) DEFAULT ';')",
            "-- a; comment /* b; */ DROP TABLE `c;d`"
        ]
    );
}

#[test]
fn backslash_escapes_and_doubled_quotes_in_strings() {
    let got = texts("CREATE TABLE a (x varchar(3) DEFAULT 'it\\'s;');SELECT 'a''b;';SELECT 1;");
    assert_eq!(got.len(), 3, "{got:?}");
}

#[test]
fn a_file_of_comments_only_has_no_statements() {
    assert!(texts("-- nothing\n/* here */\n# at all\n").is_empty());
}

/// `mariadb -v` on MariaDB 10.11, fed `------------\nSELECT 1;`, sends `SELECT 1`: the client
/// drops a line starting with `--` before any statement text. Inside a statement it does not
/// (`SELECT 7\n--x\n;` reaches the server whole and fails on column `x`), and `--1` after code
/// is two minus signs (`SELECT 3 --1` gives 4).
#[test]
fn dashes_start_a_comment_at_a_statement_start_or_before_whitespace() {
    // Bacula's make_mysql_tables and many others frame sections with lines of dashes.
    let got = texts(
        "------------------------------------------------------------\n-- Tables\n--------\nCREATE TABLE t (a int);\n",
    );
    assert_eq!(
        got,
        vec!["-- Tables CREATE TABLE t (a int)"],
        "dash lines blanked"
    );
    let s = split("--x\nSELECT 1;", Flavor::DEFAULT);
    assert_eq!(s[0].text.trim(), "SELECT 1", "blanked for the tokenizer");
    assert_eq!(s[0].raw, "--x\nSELECT 1", "kept for messages");
    assert_eq!(texts("SELECT 3 --1;"), vec!["SELECT 3 --1"]);
    assert_eq!(texts("SELECT 4 -- x;\n;"), vec!["SELECT 4 -- x;"]);
    assert_eq!(texts("SELECT 5 --\t\n;"), vec!["SELECT 5 --"]);
    assert_eq!(texts("SELECT 6 # x;\n;"), vec!["SELECT 6 # x;"]);
}

/// The client takes `DELIMITER` at a line start with nothing pending, case-insensitively, after
/// leading blanks, and keeps the first word: `  delimiter $$  ` then `SELECT 1; SELECT 2$$` sends
/// one query; `DELIMITER // junk` sets `//`. Mid-statement, or after `;` on the same line,
/// it is statement text.
#[test]
fn delimiter_lines_set_any_terminator() {
    let src = "DELIMITER ;;\nCREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN SET NEW.x = 1; END ;;\nDELIMITER ;\nCREATE TABLE b (x int);";
    let got = texts(src);
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got[0].starts_with("CREATE TRIGGER") && got[0].ends_with("END"));
    assert_eq!(got[1], "CREATE TABLE b (x int)");
    assert_eq!(
        texts("  delimiter $$  \nSELECT 1; SELECT 2$$\ndelimiter ;\nSELECT 3;"),
        vec!["SELECT 1", "SELECT 2", "SELECT 3"],
        "one query for the client, two statements for the server (it printed 1 and 2)"
    );
    assert_eq!(texts("DELIMITER // junk\nSELECT 6//"), vec!["SELECT 6"]);
    assert_eq!(texts("DELIMITER 'a b'\nSELECT 9a b"), vec!["SELECT 9"]);
    assert_eq!(
        texts("-- before\nDelimiter $$\nSELECT 10 $$ SELECT 11$$"),
        vec!["SELECT 10", "SELECT 11"]
    );
    assert_eq!(
        texts("SELECT 4\nDELIMITER //\n//"),
        vec!["SELECT 4\nDELIMITER //\n//"
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")]
    );
}

#[test]
fn a_procedure_between_dollar_delimiters_as_shipped() {
    // The shape of Zabbix's and Cacti's procedures: DELIMITER $$, body with `;`, END$$.
    let src = "DELIMITER $$\nCREATE PROCEDURE p(IN n int)\nBEGIN\n  DECLARE i int DEFAULT 0;\n  WHILE i < n DO\n    SET i = i + 1;\n  END WHILE;\nEND$$\nDELIMITER ;\nCREATE TABLE t (a int);\n";
    let got = texts(src);
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got[0].ends_with("END WHILE; END"), "{got:?}");
}

/// The client sends all up to its delimiter as one query; the server runs it as statements
/// split at `;` (FreeRADIUS' ippool procedure.sql: a DROP and a CREATE PROCEDURE before `$$`).
#[test]
fn the_server_splits_what_the_client_sends_at_semicolons() {
    let src = "DELIMITER $$\n\nDROP PROCEDURE IF EXISTS fr_allocate;\nCREATE PROCEDURE fr_allocate (\n        IN v_pool_name VARCHAR(64)\n)\nSQL SECURITY INVOKER\nproc:BEGIN\n        DECLARE r_address VARCHAR(15);\n        SELECT 1;\nEND$$\n\nDELIMITER ;\nCREATE TABLE a (x int);\nDELIMITER $$\nCREATE TABLE b (x int); CREATE TABLE c (x int)$$";
    let got = texts(src);
    assert_eq!(got.len(), 5, "{got:#?}");
    assert_eq!(got[0], "DROP PROCEDURE IF EXISTS fr_allocate");
    assert!(got[1].starts_with("CREATE PROCEDURE") && got[1].ends_with("SELECT 1; END"));
    assert_eq!(
        got[3..],
        ["CREATE TABLE b (x int)", "CREATE TABLE c (x int)"]
    );
}

#[test]
fn begin_end_bodies_without_delimiter_are_kept_whole() {
    let src = "CREATE TRIGGER tr BEFORE UPDATE ON t FOR EACH ROW\nBEGIN\n  IF NEW.a > 0 THEN\n    SET NEW.b = CASE WHEN NEW.a > 9 THEN 'big' ELSE 'small' END;\n  END IF;\n  lbl: LOOP\n    LEAVE lbl;\n  END LOOP lbl;\n  CASE NEW.a WHEN 1 THEN SET NEW.c = 1; ELSE BEGIN END; END CASE;\n  SET NEW.end = 1;\nEND;\nCREATE DEFINER=root@localhost FUNCTION f() RETURNS int RETURN 1;\nCREATE DEFINER=`u`@`%` PROCEDURE p() BEGIN SELECT 1; END;\nCREATE TABLE trigger_log (a int);\nCREATE TABLE function (begin int);";
    let got = texts(src);
    assert_eq!(got.len(), 5, "{got:#?}");
    assert!(got[0].starts_with("CREATE TRIGGER") && got[0].ends_with("SET NEW.end = 1; END"));
    assert_eq!(
        got[1],
        "CREATE DEFINER=root@localhost FUNCTION f() RETURNS int RETURN 1"
    );
    assert_eq!(
        got[2],
        "CREATE DEFINER=`u`@`%` PROCEDURE p() BEGIN SELECT 1; END"
    );
    assert_eq!(got[4], "CREATE TABLE function (begin int)");
}

#[test]
fn bulk_data_is_not_kept() {
    let src = "INSERT INTO t VALUES (1,'a;b'),(2,'c\\'d');\nreplace into t values (3,'x');\nUPDATE t SET a=1;\nDELETE FROM t;\nLOAD DATA INFILE 'f' INTO TABLE t;\nINSERT INTO t VALUES (1) ON DUPLICATE KEY UPDATE a=VALUES(a);\nCREATE TABLE u (a int);";
    let s = split(src, Flavor::DEFAULT);
    let verbs: Vec<_> = s.iter().map(|s| s.bulk).collect();
    assert_eq!(
        verbs,
        vec![
            Some("INSERT"),
            Some("REPLACE"),
            Some("UPDATE"),
            Some("DELETE"),
            Some("LOAD"),
            Some("INSERT"),
            None
        ]
    );
    assert!(s[..6].iter().all(|s| s.text.is_empty() && s.raw.is_empty()));
    assert_eq!(s[6].text, "CREATE TABLE u (a int)");
    assert_eq!((s[6].line, s[6].offset), (7, src.find("CREATE").unwrap()));
}

#[test]
fn unwraps_versioned_comments_the_server_runs() {
    let src = "/*!40101 SET NAMES utf8mb4 */;\n/*!50001 CREATE ALGORITHM=UNDEFINED */\n/*!50013 DEFINER=`root`@`localhost` SQL SECURITY DEFINER */\n/*!50001 VIEW `v` AS select 1 AS `x` */;";
    assert_eq!(
        texts(src),
        vec![
            "SET NAMES utf8mb4",
            "CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`localhost` SQL SECURITY DEFINER VIEW `v` AS select 1 AS `x`"
        ]
    );
}

/// What MariaDB 10.11.19 answered to `SELECT 1 /*!N +1 */` (2: runs, 1: skipped) and
/// `/*M!N`: 32302 40101 50699 100000 101100 run; 50700 50701 80003 99999 101199 101200 999999
/// are skipped; `/*!1234 +1 */` and `/*!1 +1 */` run `1234 +1` and `1 +1` (a syntax error);
/// `/*M!50700` `/*M!80003` `/*M!100301` `/*M!101100` run, `/*M!101200` is skipped.
#[test]
fn versioned_comments_as_mariadb_reads_them() {
    let maria: Flavor = "mariadb-10.11".parse().unwrap();
    let runs = |c: &str| {
        let got = texts_for(&format!("SELECT 1 {c};"), maria);
        match got[0].as_str() {
            "SELECT 1" => false,
            "SELECT 1 +1" => true,
            other => panic!("{c}: {other}"),
        }
    };
    for (comment, expected) in [
        ("/*!32302 +1 */", true),
        ("/*!40101 +1 */", true),
        ("/*!50699 +1 */", true),
        ("/*!50700 +1 */", false),
        ("/*!80003 +1 */", false),
        ("/*!99999 +1 */", false),
        ("/*!100000 +1 */", true),
        ("/*!101100 +1 */", true),
        ("/*!101200 +1 */", false),
        ("/*!999999 +1 */", false),
        ("/*! +1 */", true),
        ("/*M!50700 +1 */", true),
        ("/*M!80003 +1 */", true),
        ("/*M!100301 +1 */", true),
        ("/*M!101200 +1 */", false),
    ] {
        assert_eq!(runs(comment), expected, "{comment}");
    }
    assert_eq!(
        texts_for("SELECT 1 /*!1234 +1 */;", maria),
        vec!["SELECT 1 1234 +1"]
    );
    // A MySQL 8 dump's SRID attribute, which MariaDB does not run.
    let got = texts_for(
        "CREATE TABLE g (p point NOT NULL /*!80003 SRID 4326 */);",
        maria,
    );
    assert_eq!(got, vec!["CREATE TABLE g (p point NOT NULL )"]);
}

/// MySQL, from its manual: a 5-digit version, and `/*M!` is an ordinary comment.
#[test]
fn versioned_comments_as_mysql_reads_them() {
    let mysql: Flavor = "mysql-8.4".parse().unwrap();
    let got = texts_for(
        "CREATE TABLE g (p point NOT NULL /*!80003 SRID 4326 */, c text /*M!100301 COMPRESSED*/);",
        mysql,
    );
    assert_eq!(
        got,
        vec!["CREATE TABLE g (p point NOT NULL SRID 4326 , c text )"]
    );
}

#[test]
fn offsets_lines_and_columns_point_into_the_file() {
    let src =
        "SET x=1;\n  CREATE TABLE t (a int);  INSERT INTO t VALUES (1);\n\n# c\nDROP TABLE t;";
    let s = split(src, Flavor::DEFAULT);
    assert_eq!(
        &src[s[1].offset..s[1].offset + s[1].text.len()],
        "CREATE TABLE t (a int)"
    );
    assert_eq!((s[1].line, s[1].column), (2, 2));
    assert_eq!((s[2].line, s[2].column), (2, 27));
    assert_eq!((s[3].line, s[3].column), (4, 0));
    assert_eq!(
        &src[s[3].offset..s[3].offset + s[3].raw.len()],
        "# c\nDROP TABLE t"
    );
}

#[test]
fn reading_line_by_line_gives_the_same_statements() {
    let src = "DELIMITER ;;\n/*!50003 CREATE*/ /*!50003 TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN\n  SET NEW.x = 'a\\\nb;'; END */;;\nDELIMITER ;\n-- x\nINSERT INTO a VALUES ('1\n2;');\nCREATE TABLE b (x int /*M!100301 COMPRESSED*/);\n--y\nCREATE TABLE c (d int)";
    let whole = split(src, Flavor::DEFAULT);
    let mut s = Splitter::new(Flavor::DEFAULT);
    let mut lines = Vec::new();
    for line in src.split_inclusive('\n') {
        s.feed(line.as_bytes(), &mut lines);
    }
    s.finish(&mut lines);
    assert_eq!(whole, lines);
    assert_eq!(whole.len(), 4, "{whole:#?}");
    assert_eq!(whole[3].line, 10);
}

#[test]
fn source_commands_are_read_at_the_start_of_a_statement_only() {
    // Seen with MariaDB 10.11's client: `source f;`, `  source f  `, `\. f` and `SOURCE f` read
    // the file; after `select 3;` on the same line, `source f` went to the server (error 1064).
    let src = "-- We generally don't alter triggers, we drop and re-create them, so let's keep them in a separate file that we can just source in update scripts.\nsource /usr/share/zoneminder/db/triggers.sql\nsource a.sql;\n  source b.sql  \n\\. c.sql\nSOURCE d.sql\nCREATE TABLE t (\n source int);\nselect 3; source e.sql\n";
    let s = split(src, Flavor::DEFAULT);
    let sourced: Vec<(Option<&str>, usize)> =
        s.iter().map(|s| (s.source.as_deref(), s.line)).collect();
    assert_eq!(
        sourced,
        [
            (Some("/usr/share/zoneminder/db/triggers.sql"), 2),
            (Some("a.sql"), 3),
            (Some("b.sql"), 4),
            (Some("c.sql"), 5),
            (Some("d.sql"), 6),
            (None, 7),
            (None, 9),
            (None, 9),
        ]
    );
    assert_eq!(s[7].text, "source e.sql");
}
