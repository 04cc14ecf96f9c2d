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
