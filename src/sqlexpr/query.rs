//! View queries in canonical form: the server's rewrite of a query (explicit aliases,
//! expanded `*`, qualified columns, joins) applied to what was written.

use super::ServerDialect;
use super::{canonical_names, fold, key_of, rewrite_node, select, sql_text};
use crate::model::SqlExpr;
use sqlparser::ast::{
    visit_expressions_mut, visit_relations_mut, Expr, Ident, ObjectNamePart, Query, SelectItem,
    SetExpr, TableFactor,
};
use sqlparser::parser::Parser;
use std::ops::ControlFlow;

/// Columns of a relation the view reads, for expanding `*`.
pub trait Relations {
    fn columns_of(&self, relation: &str) -> Option<Vec<String>>;
}

/// A view query as written, its unnamed select items named by the text they were written
/// as (`source`), which is how the server names them.
pub fn name_items_as_written(query: &mut Query, source: select::SourceText) {
    select::name_items(query, source);
}

/// The comparison key of a query: as any expression's, and with joins compared without
/// their parentheses (information_schema prints `a join b` where SHOW CREATE VIEW prints
/// `(a join b)` for the same view).
fn query_key(query: &Query) -> String {
    let mut copy = query.clone();
    select::unnest_joins(&mut copy);
    let _ = visit_expressions_mut(&mut copy, |e| {
        fold::decoded_string(e);
        fold::always_not_null(e);
        ControlFlow::<()>::Continue(())
    });
    key_of(&copy)
}

/// Canonical form of a view query, and the relations it reads.
pub fn from_query(mut query: Query, relations: &dyn Relations) -> (SqlExpr, Vec<String>) {
    // Named first: the server names an item by its text as written.
    select::name_items(&mut query, &|_| None);
    let mut depends = Vec::new();
    let _ = visit_relations_mut(&mut query, |name| {
        if let Some(ObjectNamePart::Identifier(id)) = name.0.last() {
            if !depends.contains(&id.value) {
                depends.push(id.value.clone());
            }
        }
        canonical_names(name);
        ControlFlow::<()>::Continue(())
    });
    let _ = visit_expressions_mut(&mut query, |e| {
        rewrite_node(e);
        ControlFlow::<()>::Continue(())
    });
    select::canonical_queries(&mut query, relations);
    let key = query_key(&query);
    let text = sql_text(query);
    (SqlExpr { text, key }, depends)
}

fn parse_query_text(text: &str) -> Option<Box<Query>> {
    let dialect = ServerDialect;
    Parser::new(&dialect)
        .try_with_sql(text)
        .ok()?
        .parse_query()
        .ok()
}

/// The same query with its table and view names (and qualifiers naming them) in lower case.
pub fn lower_case_relations(text: &str) -> String {
    let Some(mut q) = parse_query_text(text) else {
        return text.to_string();
    };
    let mut names = Vec::new();
    let _ = visit_relations_mut(&mut *q, |name| {
        for part in &mut name.0 {
            if let ObjectNamePart::Identifier(id) = part {
                names.push(id.value.clone());
                id.value = id.value.to_lowercase();
            }
        }
        ControlFlow::<()>::Continue(())
    });
    let _ = visit_expressions_mut(&mut *q, |e| {
        if let Expr::CompoundIdentifier(ids) = e {
            let n = ids.len();
            for id in ids.iter_mut().take(n.saturating_sub(1)) {
                if names.contains(&id.value) {
                    id.value = id.value.to_lowercase();
                }
            }
        }
        ControlFlow::<()>::Continue(())
    });
    sql_text(q)
}

/// The relations a query reads (tables and views), by name.
pub fn relations_of(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(mut q) = parse_query_text(text) {
        let _ = visit_relations_mut(&mut *q, |name| {
            if let Some(ObjectNamePart::Identifier(id)) = name.0.last() {
                out.push(id.value.clone());
            }
            ControlFlow::<()>::Continue(())
        });
    }
    out
}

/// The column names a canonical query returns (its select items' aliases).
pub fn output_columns(text: &str) -> Vec<String> {
    let Some(q) = parse_query_text(text) else {
        return Vec::new();
    };
    match q.body.as_ref() {
        SetExpr::Select(select) => select
            .projection
            .iter()
            .map(|item| match item {
                SelectItem::ExprWithAlias { alias, .. } => alias.value.clone(),
                other => other.to_string(),
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Remove a `db.` qualifier from table and column names (information_schema's view text
/// qualifies everything with the view's own database).
pub fn strip_schema(text: &str, db: &str) -> Result<String, String> {
    let mut q = parse_query_text(text).ok_or_else(|| format!("cannot parse `{text}`"))?;
    let _ = visit_relations_mut(&mut *q, |name| {
        if name.0.len() > 1
            && matches!(&name.0[0], ObjectNamePart::Identifier(id) if id.value == db)
        {
            name.0.remove(0);
        }
        ControlFlow::<()>::Continue(())
    });
    let _ = visit_expressions_mut(&mut *q, |e| {
        if let Expr::CompoundIdentifier(ids) = e {
            if ids.len() == 3 && ids[0].value == db {
                ids.remove(0);
            }
        }
        ControlFlow::<()>::Continue(())
    });
    Ok(sql_text(q))
}

/// Canonical form of a view query given as text, with the view's own column list (which the
/// server turns into the select items' aliases).
pub fn canonical_query(
    text: &str,
    columns: &[String],
    relations: &dyn Relations,
) -> Result<(SqlExpr, Vec<String>), String> {
    let dialect = ServerDialect;
    let mut parser = Parser::new(&dialect)
        .try_with_sql(text)
        .map_err(|e| e.to_string())?;
    let query = parser.parse_query().map_err(|e| e.to_string())?;
    let (mut canonical, depends) = from_query(*query, relations);
    if !columns.is_empty() {
        let mut q = Parser::new(&dialect)
            .try_with_sql(&canonical.text)
            .and_then(|mut p| p.parse_query())
            .map_err(|e| e.to_string())?;
        if let SetExpr::Select(select) = q.body.as_mut() {
            if select.projection.len() != columns.len() {
                return Err(format!(
                    "the view names {} columns but its query returns {}",
                    columns.len(),
                    select.projection.len()
                ));
            }
            for (item, name) in select.projection.iter_mut().zip(columns) {
                let expr = match std::mem::replace(item, SelectItem::Wildcard(Default::default())) {
                    SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => e,
                    other => {
                        *item = other;
                        continue;
                    }
                };
                *item = SelectItem::ExprWithAlias {
                    expr,
                    alias: Ident::with_quote('`', name.clone()),
                };
            }
        }
        canonical = SqlExpr {
            key: query_key(&q),
            text: sql_text(q),
        };
    }
    Ok((canonical, depends))
}

/// `SELECT col [AS alias], ... FROM table` as a tree (no name is ever written into SQL text
/// to be parsed again): a view's query made by canon itself.
pub fn select_columns(table: &str, items: &[(String, Option<String>)]) -> String {
    let quoted = |n: &str| Ident::with_quote('`', n);
    let mut query = Parser::new(&ServerDialect)
        .try_with_sql("SELECT 1 FROM t")
        .and_then(|mut p| p.parse_query())
        .expect("a constant query parses");
    if let SetExpr::Select(select) = query.body.as_mut() {
        select.projection = items
            .iter()
            .map(|(column, alias)| {
                let expr = Expr::Identifier(quoted(column));
                match alias {
                    Some(a) => SelectItem::ExprWithAlias {
                        expr,
                        alias: quoted(a),
                    },
                    None => SelectItem::UnnamedExpr(expr),
                }
            })
            .collect();
        if let Some(TableFactor::Table { name, .. }) =
            select.from.first_mut().map(|f| &mut f.relation)
        {
            name.0 = vec![ObjectNamePart::Identifier(quoted(table))];
        }
    }
    sql_text(*query)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sqlexpr::parse_expr;
    use std::collections::HashMap;

    struct Cols(HashMap<&'static str, Vec<String>>);
    impl Relations for Cols {
        fn columns_of(&self, r: &str) -> Option<Vec<String>> {
            self.0.get(r).cloned()
        }
    }

    fn query(sql: &str, rel: &dyn Relations) -> SqlExpr {
        let dialect = ServerDialect;
        let mut p = Parser::new(&dialect).try_with_sql(sql).unwrap();
        from_query(*p.parse_query().unwrap(), rel).0
    }

    #[test]
    fn backslashes_in_strings_print_as_mysql_reads_them() {
        let e = parse_expr(r"concat(a, '\\', 'it\'s', 'x\%')").unwrap();
        assert_eq!(e.text, r"concat(`a`, '\\', 'it''s', 'x\\%')");
        // Printed text reads back as the same expression, however often.
        let again = parse_expr(&e.text).unwrap();
        assert_eq!((again.text.as_str(), &again.key), (e.text.as_str(), &e.key));
        let cols = Cols(HashMap::new());
        let v = query(r"SELECT concat(path, '\\') AS p FROM t", &cols);
        assert!(v.text.contains(r"'\\'"), "{}", v.text);
        let stripped = strip_schema(
            r"select concat(`db`.`t`.`path`,'\\') AS `p` from `db`.`t`",
            "db",
        )
        .unwrap();
        assert!(stripped.contains(r"'\\'"), "{stripped}");
    }

    #[test]
    fn view_queries_compare_with_the_servers_rewrite() {
        let rel = Cols(HashMap::from([(
            "p",
            vec!["id".to_string(), "name".to_string(), "b".to_string()],
        )]));
        let written = query("select id, p.name as nombre from p where (b > 0)", &rel);
        let stored = query(
            "select `p`.`id` AS `id`,`p`.`name` AS `nombre` from `p` where `p`.`b` > 0",
            &rel,
        );
        assert_eq!(written, stored);
        let star = query("select * from p", &rel);
        let star_stored = query(
            "select `p`.`id` AS `id`,`p`.`name` AS `name`,`p`.`b` AS `b` from `p`",
            &rel,
        );
        assert_eq!(star, star_stored);
        let renamed = query("SELECT upper(name) AS u, substring(name, 1, 2) AS s, now() AS n, length(name) AS l, TRUE AS t FROM p", &rel);
        let renamed_stored = query("select ucase(`p`.`name`) AS `u`,substr(`p`.`name`,1,2) AS `s`,current_timestamp() AS `n`,octet_length(`p`.`name`) AS `l`,1 AS `t` from `p`", &rel);
        assert_eq!(renamed, renamed_stored);
        let counted = query("SELECT count(*) AS n FROM p", &rel);
        let counted_stored = query("select count(0) AS `n` from `p`", &rel);
        assert_eq!(counted, counted_stored);
        let joined = query("SELECT o.id FROM p o INNER JOIN p i ON i.id = o.id", &rel);
        let joined_stored = query(
            "select `o`.`id` AS `id` from (`p` `o` join `p` `i` on(`i`.`id` = `o`.`id`))",
            &rel,
        );
        assert_eq!(joined, joined_stored);
        let aliased = query("select x.* from p x", &rel);
        let aliased_stored = query(
            "select `x`.`id` AS `id`,`x`.`name` AS `name`,`x`.`b` AS `b` from `p` `x`",
            &rel,
        );
        assert_eq!(aliased, aliased_stored);
        // Two joins: SHOW CREATE VIEW on MariaDB 10.11 nests the first inside the second.
        let chain = query(
            "SELECT p.id, q.name, r.b FROM p LEFT JOIN p q ON p.id = q.id LEFT JOIN p r ON p.id = r.id",
            &rel,
        );
        let chain_stored = query("select `p`.`id` AS `id`,`q`.`name` AS `name`,`r`.`b` AS `b` from ((`p` left join `p` `q` on(`p`.`id` = `q`.`id`)) left join `p` `r` on(`p`.`id` = `r`.`id`))", &rel);
        assert_eq!(chain, chain_stored);
    }
}
