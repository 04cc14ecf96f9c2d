//! Expressions: what canon reads back from text it or the server printed.

use super::*;

#[test]
fn expressions_compare_without_redundant_parentheses_and_quotes() {
    let a = parse_expr("(id+1)").unwrap();
    let b = parse_expr("`id` + 1").unwrap();
    assert_eq!(a, b);
    assert_eq!(b.text, "`id` + 1");
    let c = parse_expr("JSON_VALID(j)").unwrap();
    assert_eq!(c.text, "json_valid(`j`)");
    assert_ne!(
        parse_expr("(a + 1) * 2").unwrap(),
        parse_expr("a + 1 * 2").unwrap()
    );
}

/// Forms the server prints that sqlparser's MySQL dialect misread or refused.
#[test]
fn server_printed_forms_read_back_as_printed() {
    for (stored, text) in [
        ("`i` MOD 3", "`i` MOD 3"),
        ("!(`s` regexp '^a')", "!(`s` REGEXP '^a')"),
        (
            "case cast('B' as char charset binary) when 'a' then 1 end",
            "CASE CAST('B' AS char charset binary) WHEN 'a' THEN 1 END",
        ),
        ("char(65,66 using utf8mb3)", "char(65, 66 USING utf8mb3)"),
        (
            "extract(year_month from `d`)",
            "EXTRACT(year_month FROM `d`)",
        ),
        ("interval(`i`,1,10)", "interval(`i`, 1, 10)"),
        (
            "timestampdiff(MONTH,`a`,`b`)",
            "timestampdiff(MONTH, `a`, `b`)",
        ),
        ("@x + 1", "@`x` + 1"),
        ("@`x` + 1", "@`x` + 1"),
        (
            "concat(@`y`,@`a``b`,@@sql_mode)",
            "concat(@`y`, @`a``b`, @@sql_mode)",
        ),
        ("substr(`s`,2,3)", "SUBSTR(`s`, 2, 3)"),
        // A UDF's arguments with their names (main/udf.result).
        ("metaphon(`a` AS `a`)", "metaphon(`a` AS `a`)"),
        (
            "myfunc_int(min(`b`) AS `xx`,1 AS `1`)",
            "myfunc_int(min(`b`) AS `xx`, 1 AS `1`)",
        ),
    ] {
        let e = parse_expr(stored).unwrap_or_else(|e| panic!("{stored}: {e}"));
        assert_eq!(e.text, text, "{stored}");
        assert_eq!(parse_expr(&e.text).unwrap(), e, "{stored} prints back");
    }
    // `MOD` in a query is the operator, not an alias dropping the FROM.
    let q = canonical_query("select 1042 MOD 50 AS `x` from `t`", &[], &NoRelations).unwrap();
    assert_eq!(q.0.text, "SELECT 1042 MOD 50 AS `x` FROM `t`");
    // Text after an expression is refused, never dropped.
    assert!(parse_expr("`s` SOUNDEX 'x'").is_err());
}

#[test]
fn operators_bind_as_in_mysql() {
    let written = parse_expr("i > 0 && i < 10 || s SOUNDS LIKE 'x'").unwrap();
    let stored = parse_expr("`i` > 0 and `i` < 10 or soundex(`s`) = soundex('x')").unwrap();
    assert_eq!(written, stored);
    assert_eq!(
        parse_expr("NOT (i > 0)").unwrap(),
        parse_expr("`i` <= 0").unwrap()
    );
    // Recorded in fixtures/expressions/: `NOT 10` is `!10`, `NOT i` of a column `i = 0`.
    assert_eq!(parse_expr("NOT 10").unwrap().text, "!10");
    assert_eq!(parse_expr("NOT i").unwrap().text, "`i` = 0");
    // BINARY binds tighter than `=`: it casts the left operand, not the comparison.
    assert_eq!(
        parse_expr("BINARY 'a' = 'A'").unwrap(),
        parse_expr("cast('a' as char charset binary) = 'A'").unwrap()
    );
}

/// Written forms the server stores as other calls (values recorded in the catalogue).
#[test]
fn written_forms_read_as_the_server_stores_them() {
    for (written, stored) in [
        ("WEIGHT_STRING(s AS CHAR(4))", "weight_string(`s`,0,4,65)"),
        (
            "WEIGHT_STRING(s LEVEL 1 DESC)",
            "weight_string(`s`,0,0,257)",
        ),
        (
            "DATE_ADD(d, INTERVAL '1-2' YEAR_MONTH)",
            "`d` + interval '1-2' year_month",
        ),
        (
            "COLUMN_GET(b, 'x' AS signed)",
            "column_get(`b`,'x' as signed)",
        ),
        ("CURRENT_ROLE", "current_role()"),
        ("0b101", "0x05"),
        ("ADDDATE(d, 7)", "`d` + interval 7 day"),
    ] {
        assert_eq!(
            parse_expr(written).unwrap(),
            parse_expr(stored).unwrap(),
            "{written}"
        );
    }
}

struct NoRelations;
impl Relations for NoRelations {
    fn columns_of(&self, _: &str) -> Option<Vec<String>> {
        None
    }
}

#[test]
fn json_valid_is_the_check_the_server_prints() {
    // MariaDB 10.11 prints a JSON column `j` as `CHECK (json_valid(`j`))`; a backtick in the
    // name is doubled.
    for name in ["j", "we`ird"] {
        let printed = format!("json_valid({})", crate::sql::quote::ident(name));
        assert_eq!(
            super::json_valid(name),
            super::parse_expr(&printed).unwrap()
        );
        assert_eq!(
            super::json_valid(name).text,
            super::parse_expr(&printed).unwrap().text
        );
    }
}

#[test]
fn a_query_canon_makes_quotes_every_name() {
    let items = [
        ("a".to_string(), Some("o`ld".to_string())),
        ("b".to_string(), None),
    ];
    assert_eq!(
        super::select_columns("t`x", &items),
        "SELECT `a` AS `o``ld`, `b` FROM `t``x`"
    );
}

#[test]
fn a_charset_left_to_the_session_matches_any_but_a_written_one_must_match() {
    let e = |t: &str| parse_expr(t).unwrap();
    let filled = e("cast(`i` as char(10) charset latin1)");
    assert_eq!(e("CAST(i AS CHAR(10))"), filled);
    assert_eq!(e("CONVERT(i, CHAR(10))"), filled);
    assert_eq!(e("CAST(i AS CHAR(10) CHARACTER SET latin1)"), filled);
    assert_ne!(e("CAST(i AS CHAR(10) CHARSET utf8mb4)"), filled);
    assert_ne!(e("CAST(i AS CHAR(9))"), filled);
    assert_ne!(e("CAST(i AS BINARY(10))"), filled);
    assert_eq!(e("CHR(i)"), e("char(`i` using utf8mb4)"));
    assert_ne!(e("CHAR(i USING latin1)"), e("char(`i` using utf8mb4)"));
    assert_ne!(e("CHAR(i)"), e("char(`i` using utf8mb4)"));
    // What a digest hashes does not depend on the session either.
    assert_eq!(
        e("CAST(i AS CHAR(10))").session_free_key(),
        filled.session_free_key()
    );
    // A NUL in a string is not a session's charset.
    assert_ne!(e("'\\0'"), e("'\\0abc'"));
}

#[test]
fn an_expression_is_written_out_as_its_text_alone() {
    let cast = parse_expr("CAST(i AS CHAR(10))").unwrap();
    assert!(cast.key.contains(crate::model::SESSION_CHARSET));
    let json = serde_json::to_string(&cast).unwrap();
    assert_eq!(json, r#"{"text":"CAST(`i` AS CHAR(10))"}"#);
    // A plan written before keys were left out reads back; its key is not trusted.
    let old = r#"{"text":"CAST(`i` AS CHAR(10))","key":"CAST(`i` AS char(10) charset \u0000)"}"#;
    let read: crate::model::SqlExpr = serde_json::from_str(old).unwrap();
    assert_eq!(read.text, cast.text);
    assert!(!read.key.contains(crate::model::SESSION_CHARSET));
    assert_eq!(serde_json::to_string(&read).unwrap(), json);
}

/// Recorded on MariaDB 10.11: `DEFAULT nextval(s2)`, `DEFAULT (NEXT VALUE FOR s2)`,
/// `DEFAULT lastval(s2)` and `DEFAULT PREVIOUS VALUE FOR s2` are stored (SHOW CREATE TABLE,
/// information_schema.COLUMNS) as `nextval(`db`.`s2`)` and `lastval(`db`.`s2`)`.
#[test]
fn a_sequence_function_matches_the_database_the_server_fills_in() {
    let e = |t: &str| parse_expr(t).unwrap();
    let stored = e("nextval(`failures_nv`.`s2`)");
    for (written, same) in [
        ("nextval(s2)", true),
        ("NEXT VALUE FOR s2", true),
        ("NEXT VALUE FOR failures_nv.s2", true),
        ("lastval(s2)", false),
        ("nextval(s3)", false),
        ("nextval(other.s2)", false),
    ] {
        assert_eq!(e(written) == stored, same, "{written}");
    }
    assert_eq!(e("NEXT VALUE FOR s2").text, "nextval(`s2`)");
    assert_eq!(e("PREVIOUS VALUE FOR s2"), e("lastval(`failures_nv`.`s2`)"));
    // A database name of any spelling is compared whole.
    assert_eq!(e("lastval(`my-app`.`s2`)"), e("lastval(s2)"));
    assert_ne!(e("lastval(`my-app`.`s2`)"), e("lastval(`my_app`.`s2`)"));
    let digest = |t: &str| e(t).session_free_key();
    assert_eq!(digest("nextval(s2)"), stored.session_free_key());
}

/// Recorded on MariaDB 10.11 (a session in utf8mb3): `CAST('a' AS CHAR(10) BINARY)` is
/// stored `cast('a' as char(10) charset utf8mb3 binary)`; a charset written stays.
#[test]
fn a_binary_collation_in_a_cast_reads_as_stored() {
    let e = |t: &str| parse_expr(t).unwrap();
    let stored = e("cast('a' as char(10) charset utf8mb3 binary)");
    assert_eq!(stored.text, "CAST('a' AS char(10) charset utf8mb3 binary)");
    assert_eq!(e("CAST('a' AS CHAR(10) BINARY)"), stored);
    assert_ne!(e("CAST('a' AS CHAR(10))"), stored);
    assert_ne!(e("cast('a' as char(10) charset latin1 binary)"), stored);
}
