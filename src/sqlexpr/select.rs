//! The server's rewrite of the SELECTs of a view query (recorded in
//! `fixtures/expressions/`, context `query`): select items named, `*` expanded, bare columns
//! qualified, comma / CROSS / USING / NATURAL / RIGHT joins stored as `JOIN .. ON` and
//! `LEFT JOIN`, table aliases without `AS`, `ORDER BY` without `ASC` and naming
//! expressions rather than aliases, `LIMIT offset,count`, `EXISTS (.. LIMIT 1)`,
//! `GROUP_CONCAT(.. ASC SEPARATOR ',')`.

use super::{backquote, Relations};
use sqlparser::ast::{
    BinaryOperator, Expr, FunctionArgumentClause, FunctionArguments, Ident, Join, JoinConstraint,
    JoinOperator, LimitClause, ObjectNamePart, OrderByKind, OrderBySort, Query, Select, SelectItem,
    SetExpr, Spanned, TableFactor, TableWithJoins, Value, VisitMut, VisitorMut,
};
use sqlparser::tokenizer::Span;
use std::ops::ControlFlow;

/// The text an item was written as, where it is known (`None`: as sqlparser prints it).
pub type SourceText<'a> = &'a dyn Fn(Span) -> Option<String>;

/// Names the select items the server names (those of the query and of derived tables, not
/// of subqueries in expressions): by their text as written, before any rewrite.
pub fn name_items(query: &mut Query, source: SourceText) {
    name_body(&mut query.body, source);
}

fn name_body(body: &mut SetExpr, source: SourceText) {
    match body {
        SetExpr::Select(select) => {
            name_select(select, source);
            for twj in &mut select.from {
                for f in std::iter::once(&mut twj.relation)
                    .chain(twj.joins.iter_mut().map(|j| &mut j.relation))
                {
                    if let TableFactor::Derived { subquery, .. } = f {
                        name_items(subquery, source);
                    }
                }
            }
        }
        SetExpr::SetOperation { left, right, .. } => {
            name_body(left, source);
            name_body(right, source);
        }
        SetExpr::Query(q) => name_items(q, source),
        _ => {}
    }
}

/// MariaDB names an item by its text, a string by its value, a name longer than 64
/// characters `Name_exp_<position>`, a repeated name `My_exp_<name>`.
fn name_select(select: &mut Select, source: SourceText) {
    let mut used: Vec<String> = Vec::new();
    for (n, item) in select.projection.iter_mut().enumerate() {
        let name = match item {
            SelectItem::ExprWithAlias { alias, .. } => alias.value.clone(),
            SelectItem::UnnamedExpr(expr) => {
                let mut name = match &*expr {
                    Expr::Identifier(id) => id.value.clone(),
                    Expr::CompoundIdentifier(ids) => {
                        ids.last().map_or(String::new(), |i| i.value.clone())
                    }
                    Expr::Value(v) => match &v.value {
                        Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => s.clone(),
                        other => other.to_string(),
                    },
                    other => source(other.span()).unwrap_or_else(|| other.to_string()),
                };
                if name.chars().count() > 64 {
                    name = format!("Name_exp_{}", n + 1);
                }
                if used.iter().any(|u| u.eq_ignore_ascii_case(&name)) {
                    name = format!("My_exp_{name}");
                }
                let expr = std::mem::replace(expr, Expr::value(Value::Null));
                *item = SelectItem::ExprWithAlias {
                    expr,
                    alias: Ident::with_quote('`', name.clone()),
                };
                name
            }
            _ => continue,
        };
        used.push(name);
    }
}

/// Every query of the tree, innermost first, as the server stores it.
pub fn canonical_queries(query: &mut Query, relations: &dyn Relations) {
    let _ = query.visit(&mut Canon { relations });
}

struct Canon<'a> {
    relations: &'a dyn Relations,
}

impl VisitorMut for Canon<'_> {
    type Break = ();

    fn post_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
        canonical_query_node(query, self.relations);
        ControlFlow::Continue(())
    }

    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        match expr {
            // The server stops an EXISTS subquery at its first row.
            Expr::Exists { subquery, .. } if subquery.limit_clause.is_none() => {
                subquery.limit_clause = Some(LimitClause::LimitOffset {
                    limit: Some(Expr::value(Value::Number("1".into(), false))),
                    offset: None,
                    limit_by: Vec::new(),
                });
            }
            Expr::Function(f) if f.name.to_string() == "group_concat" => {
                if let FunctionArguments::List(list) = &mut f.args {
                    for clause in &mut list.clauses {
                        if let FunctionArgumentClause::OrderBy(items) = clause {
                            for item in items {
                                item.options.sort.get_or_insert(OrderBySort::Asc);
                            }
                        }
                    }
                    if !list
                        .clauses
                        .iter()
                        .any(|c| matches!(c, FunctionArgumentClause::Separator(_)))
                    {
                        list.clauses.push(FunctionArgumentClause::Separator(
                            Value::SingleQuotedString(",".into()).into(),
                        ));
                    }
                }
            }
            _ => {}
        }
        ControlFlow::Continue(())
    }
}

fn canonical_query_node(query: &mut Query, relations: &dyn Relations) {
    let scope = match query.body.as_mut() {
        SetExpr::Select(select) => Some(canonical_select(select, relations)),
        SetExpr::SetOperation { left, right, .. } => {
            for side in [left, right] {
                if let SetExpr::Select(select) = side.as_mut() {
                    canonical_select(select, relations);
                }
            }
            None
        }
        _ => None,
    };
    if let Some(order_by) = &mut query.order_by {
        if let OrderByKind::Expressions(items) = &mut order_by.kind {
            for item in items {
                // ASC is the default and is not stored.
                if item.options.sort == Some(OrderBySort::Asc) {
                    item.options.sort = None;
                }
                // `ORDER BY alias` is stored as the aliased expression.
                if let (Expr::Identifier(id), SetExpr::Select(select)) =
                    (&item.expr, query.body.as_ref())
                {
                    let aliased = select.projection.iter().find_map(|p| match p {
                        SelectItem::ExprWithAlias { expr, alias }
                            if alias.value.eq_ignore_ascii_case(&id.value) =>
                        {
                            Some(expr.clone())
                        }
                        _ => None,
                    });
                    if let Some(expr) = aliased {
                        item.expr = expr;
                    }
                }
                if let Some(scope) = &scope {
                    scope.qualify(&mut item.expr);
                }
            }
        }
    }
    // `LIMIT n OFFSET m` is stored as `limit m,n`.
    if let Some(LimitClause::LimitOffset {
        limit: Some(limit),
        offset: Some(offset),
        limit_by,
    }) = &query.limit_clause
    {
        if limit_by.is_empty() {
            query.limit_clause = Some(LimitClause::OffsetCommaLimit {
                offset: offset.value.clone(),
                limit: limit.clone(),
            });
        }
    }
}

/// The relations of a FROM clause, by the name the query shows them under.
struct Scope {
    factors: Vec<(String, Option<Vec<String>>)>,
}

impl Scope {
    fn columns(&self, shown: &str) -> Option<&Vec<String>> {
        self.factors
            .iter()
            .find(|(s, _)| s == shown)
            .and_then(|(_, c)| c.as_ref())
    }

    /// The relation a bare column belongs to: the only one that has it, or the only one
    /// when its columns are unknown.
    fn owner(&self, column: &str) -> Option<&str> {
        if let [(shown, None)] = self.factors.as_slice() {
            return Some(shown);
        }
        let mut owners = self.factors.iter().filter(|(_, cols)| {
            cols.as_ref()
                .is_some_and(|c| c.iter().any(|c| c.eq_ignore_ascii_case(column)))
        });
        match (owners.next(), owners.next()) {
            (Some((shown, _)), None) => Some(shown),
            _ => None,
        }
    }

    /// Bare column names qualified with their relation, subqueries' outer references too.
    fn qualify<T: VisitMut>(&self, node: &mut T) {
        self.qualify_except(node, &[]);
    }

    /// The same, leaving the names of select items alone (HAVING reads them first).
    fn qualify_except<T: VisitMut>(&self, node: &mut T, aliases: &[String]) {
        let _ = sqlparser::ast::visit_expressions_mut(node, |e| {
            if let Expr::Identifier(id) = e {
                let alias = aliases.iter().any(|a| a.eq_ignore_ascii_case(&id.value));
                if !alias && (!id.value.starts_with('@') || id.quote_style.is_some()) {
                    if let Some(owner) = self.owner(&id.value) {
                        *e = Expr::CompoundIdentifier(vec![
                            Ident::with_quote('`', owner),
                            id.clone(),
                        ]);
                    }
                }
            }
            ControlFlow::<()>::Continue(())
        });
    }
}

fn factor_name(f: &TableFactor) -> Option<String> {
    match f {
        TableFactor::Table { name, alias, .. } => alias
            .as_ref()
            .map(|a| a.name.value.clone())
            .or_else(|| match name.0.last() {
                Some(ObjectNamePart::Identifier(id)) => Some(id.value.clone()),
                _ => None,
            }),
        TableFactor::Derived { alias, .. } => alias.as_ref().map(|a| a.name.value.clone()),
        _ => None,
    }
}

fn factor_columns(f: &TableFactor, relations: &dyn Relations) -> Option<Vec<String>> {
    match f {
        TableFactor::Table { name, .. } => match name.0.last() {
            Some(ObjectNamePart::Identifier(id)) => relations.columns_of(&id.value),
            _ => None,
        },
        TableFactor::Derived { subquery, .. } => match subquery.body.as_ref() {
            SetExpr::Select(s) => s
                .projection
                .iter()
                .map(|p| match p {
                    SelectItem::ExprWithAlias { alias, .. } => Some(alias.value.clone()),
                    _ => None,
                })
                .collect(),
            _ => None,
        },
        _ => None,
    }
}

fn canonical_select(select: &mut Select, relations: &dyn Relations) -> Scope {
    let nested = flatten_from(&mut select.from);
    let scope = Scope {
        factors: select
            .from
            .iter()
            .flat_map(|t| std::iter::once(&t.relation).chain(t.joins.iter().map(|j| &j.relation)))
            .filter_map(|f| factor_name(f).map(|n| (n, factor_columns(f, relations))))
            .collect(),
    };
    expand_wildcards(select, &scope);
    if let Some(twj) = select.from.first_mut() {
        canonical_joins(twj, &scope);
    }
    scope.qualify(&mut select.projection);
    scope.qualify(&mut select.selection);
    scope.qualify(&mut select.group_by);
    let aliases: Vec<String> = select
        .projection
        .iter()
        .filter_map(|p| match p {
            SelectItem::ExprWithAlias { alias, .. } => Some(alias.value.clone()),
            _ => None,
        })
        .collect();
    scope.qualify_except(&mut select.having, &aliases);
    scope.qualify(&mut select.from);
    for item in &mut select.projection {
        if let SelectItem::ExprWithAlias { alias, .. } = item {
            backquote(alias);
        }
    }
    for twj in &mut select.from {
        for f in
            std::iter::once(&mut twj.relation).chain(twj.joins.iter_mut().map(|j| &mut j.relation))
        {
            if let TableFactor::Table { alias: Some(a), .. }
            | TableFactor::Derived { alias: Some(a), .. } = f
            {
                backquote(&mut a.name);
                a.explicit = false;
            }
        }
    }
    if nested {
        if let [twj] = select.from.as_mut_slice() {
            let inner = std::mem::take(&mut twj.joins);
            let relation = twj.relation.clone();
            twj.relation = TableFactor::NestedJoin {
                table_with_joins: Box::new(TableWithJoins {
                    relation,
                    joins: inner,
                }),
                alias: None,
            };
        }
    }
    scope
}

/// Every FROM clause of the query without the parentheses around its joins.
pub fn unnest_joins(query: &mut Query) {
    struct Unnest;
    impl VisitorMut for Unnest {
        type Break = ();
        fn post_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
            if let SetExpr::Select(select) = query.body.as_mut() {
                flatten_from(&mut select.from);
            }
            ControlFlow::Continue(())
        }
    }
    let _ = query.visit(&mut Unnest);
}

/// The joins of a FROM clause as one list, and whether to print them in parentheses as the
/// server does for joins written as joins (`(a join b on(..))`); information_schema prints a
/// comma list as `a join b`, SHOW CREATE VIEW as `(a join b)`: keys compare them unnested.
fn flatten_from(from: &mut Vec<TableWithJoins>) -> bool {
    if let [twj] = from.as_mut_slice() {
        // `((a join b on(..)) join c on(..))`: the server nests a chain of joins to the left,
        // as they associate (ulogd2's views): one list, as written.
        let mut nested = false;
        while let TableFactor::NestedJoin {
            table_with_joins,
            alias: None,
        } = &twj.relation
        {
            let inner = (**table_with_joins).clone();
            let outer = std::mem::take(&mut twj.joins);
            twj.relation = inner.relation;
            twj.joins = inner.joins.into_iter().chain(outer).collect();
            nested = true;
        }
        if nested {
            return true;
        }
        return twj
            .joins
            .iter()
            .any(|j| j.join_operator != JoinOperator::Join(JoinConstraint::None));
    }
    if from.len() > 1 {
        let mut rest = from.split_off(1);
        let first = &mut from[0];
        for twj in rest.drain(..) {
            first.joins.push(Join {
                relation: twj.relation,
                global: false,
                join_operator: JoinOperator::Join(JoinConstraint::None),
            });
            first.joins.extend(twj.joins);
        }
    }
    false
}

/// The columns USING or NATURAL joins on, given the columns on their left.
fn shared_columns(op: &JoinOperator, left: &[String], right: &[String]) -> Vec<String> {
    let constraint = match op {
        JoinOperator::Join(c)
        | JoinOperator::Inner(c)
        | JoinOperator::Left(c)
        | JoinOperator::LeftOuter(c) => c,
        _ => return Vec::new(),
    };
    match constraint {
        JoinConstraint::Using(names) => left
            .iter()
            .filter(|l| {
                names
                    .iter()
                    .any(|n| n.to_string().trim_matches('`').eq_ignore_ascii_case(l))
            })
            .cloned()
            .collect(),
        JoinConstraint::Natural => left
            .iter()
            .filter(|l| right.iter().any(|r| r.eq_ignore_ascii_case(l)))
            .cloned()
            .collect(),
        _ => Vec::new(),
    }
}

/// `*` and `x.*` as the columns they stand for; the columns of a USING or NATURAL join come
/// first, once.
fn expand_wildcards(select: &mut Select, scope: &Scope) {
    let mut items = Vec::new();
    for item in std::mem::take(&mut select.projection) {
        let expanded = match &item {
            SelectItem::Wildcard(_) => all_columns(select, scope),
            SelectItem::QualifiedWildcard(kind, _) => {
                let shown = kind.to_string().trim_end_matches(".*").replace('`', "");
                scope
                    .columns(&shown)
                    .map(|cols| cols.iter().map(|c| (shown.clone(), c.clone())).collect())
            }
            _ => None,
        };
        match expanded {
            Some(cols) => {
                items.extend(
                    cols.into_iter()
                        .map(|(shown, c)| SelectItem::ExprWithAlias {
                            expr: Expr::CompoundIdentifier(vec![
                                Ident::with_quote('`', shown),
                                Ident::with_quote('`', c.clone()),
                            ]),
                            alias: Ident::with_quote('`', c),
                        }),
                )
            }
            None => items.push(item),
        }
    }
    select.projection = items;
}

fn all_columns(select: &Select, scope: &Scope) -> Option<Vec<(String, String)>> {
    let [twj] = select.from.as_slice() else {
        return None;
    };
    let first = factor_name(&twj.relation)?;
    let mut out: Vec<(String, String)> = scope
        .columns(&first)?
        .iter()
        .map(|c| (first.clone(), c.clone()))
        .collect();
    for join in &twj.joins {
        let shown = factor_name(&join.relation)?;
        let right = scope.columns(&shown)?;
        let left: Vec<String> = out.iter().map(|(_, c)| c.clone()).collect();
        let shared = shared_columns(&join.join_operator, &left, right);
        let (mut front, rest): (Vec<_>, Vec<_>) =
            out.into_iter().partition(|(_, c)| shared.contains(c));
        front.sort_by_key(|(_, c)| shared.iter().position(|s| s == c));
        out = front.into_iter().chain(rest).collect();
        out.extend(
            right
                .iter()
                .filter(|c| !shared.iter().any(|s| s.eq_ignore_ascii_case(c)))
                .map(|c| (shown.clone(), c.clone())),
        );
    }
    Some(out)
}

/// Joins as the server stores them: INNER and CROSS are `join`, OUTER is dropped, USING and
/// NATURAL are `on` equalities, `a RIGHT JOIN b` is `b LEFT JOIN a`.
fn canonical_joins(twj: &mut TableWithJoins, scope: &Scope) {
    if let [join] = twj.joins.as_mut_slice() {
        if let JoinOperator::Right(c) | JoinOperator::RightOuter(c) = &join.join_operator {
            let constraint = c.clone();
            std::mem::swap(&mut twj.relation, &mut join.relation);
            join.join_operator = JoinOperator::Left(constraint);
        }
    }
    let mut left: Vec<String> = factor_name(&twj.relation).into_iter().collect();
    for join in &mut twj.joins {
        let right = factor_name(&join.relation);
        let left_cols: Vec<(String, String)> = left
            .iter()
            .flat_map(|l| {
                scope
                    .columns(l)
                    .into_iter()
                    .flatten()
                    .map(move |c| (l.clone(), c.clone()))
            })
            .collect();
        let right_cols = right
            .as_deref()
            .and_then(|r| scope.columns(r))
            .cloned()
            .unwrap_or_default();
        let names: Vec<String> = left_cols.iter().map(|(_, c)| c.clone()).collect();
        let shared = shared_columns(&join.join_operator, &names, &right_cols);
        let on = |constraint: JoinConstraint| match constraint {
            JoinConstraint::Using(_) | JoinConstraint::Natural => {
                let eqs = shared.iter().filter_map(|c| {
                    let owner = left_cols.iter().find(|(_, lc)| lc == c)?.0.clone();
                    Some(Expr::BinaryOp {
                        left: Box::new(column(&owner, c)),
                        op: BinaryOperator::Eq,
                        right: Box::new(column(right.as_deref()?, c)),
                    })
                });
                eqs.reduce(|a, b| Expr::BinaryOp {
                    left: Box::new(a),
                    op: BinaryOperator::And,
                    right: Box::new(b),
                })
                .map_or(JoinConstraint::None, |e| {
                    JoinConstraint::On(Expr::Nested(Box::new(e)))
                })
            }
            JoinConstraint::On(e) if !matches!(e, Expr::Nested(_)) => {
                JoinConstraint::On(Expr::Nested(Box::new(e)))
            }
            other => other,
        };
        join.join_operator = match std::mem::replace(
            &mut join.join_operator,
            JoinOperator::CrossJoin(JoinConstraint::None),
        ) {
            JoinOperator::Join(c) | JoinOperator::Inner(c) | JoinOperator::CrossJoin(c) => {
                JoinOperator::Join(on(c))
            }
            JoinOperator::Left(c) | JoinOperator::LeftOuter(c) => JoinOperator::Left(on(c)),
            JoinOperator::Right(c) | JoinOperator::RightOuter(c) => JoinOperator::Right(on(c)),
            other => other,
        };
        left.extend(right);
    }
}

fn column(relation: &str, name: &str) -> Expr {
    Expr::CompoundIdentifier(vec![
        Ident::with_quote('`', relation),
        Ident::with_quote('`', name),
    ])
}
