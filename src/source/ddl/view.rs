//! CREATE VIEW after its options: the name, columns, query and check option.

use super::cursor::{Cursor, PResult};
use crate::model::*;
use crate::sqlexpr;
use sqlparser::tokenizer::Token;

pub(super) fn create_view(
    c: &mut Cursor,
    algorithm: ViewAlgorithm,
    security: ViewSecurity,
) -> PResult<View> {
    c.eat_kws(&["IF", "NOT", "EXISTS"]);
    let name = c.ident()?;
    let columns = if c.peek() == &Token::LParen {
        c.ident_list()?
    } else {
        Vec::new()
    };
    c.expect_kw("AS")?;
    // `WITH [CASCADED | LOCAL] CHECK OPTION` ends the statement, outside the query.
    let mut check_option = None;
    let (n, here) = (c.len(), c.position());
    for (kws, opt) in [
        (
            &["WITH", "CASCADED", "CHECK", "OPTION"][..],
            CheckOption::Cascaded,
        ),
        (
            &["WITH", "LOCAL", "CHECK", "OPTION"][..],
            CheckOption::Local,
        ),
        (&["WITH", "CHECK", "OPTION"][..], CheckOption::Cascaded),
    ] {
        if n < here + kws.len() {
            continue;
        }
        let at = n - kws.len() - here;
        if kws.iter().enumerate().all(|(i, k)| c.is_kw_at(at + i, k)) {
            check_option = Some(opt);
            c.truncate(n - kws.len());
            break;
        }
    }
    let (tokens, from) = c.rest();
    let mut query = c.sub_parse(tokens, from, "the view's query", |p| p.parse_query())?;
    sqlexpr::name_items_as_written(&mut query, &|span| c.source_of(span));
    Ok(View {
        name,
        columns,
        // Canonicalized by `normalize`, which knows the columns behind `*`.
        query: SqlExpr {
            text: crate::sqlexpr::sql_text(query),
            key: String::new(),
        },
        algorithm,
        security,
        check_option,
        depends_on: Vec::new(),
        origin: None,
    })
}
