//! Unique keys' checks: duplicate groups before a new UNIQUE or PRIMARY key, collisions when
//! a column under one takes a new collation. A part the server computes (MySQL's expression
//! key parts; a generated column the same step adds) is grouped by its expression, which the
//! server evaluates in a GROUP BY as it does for the key (MariaDB 10.11, recorded in
//! tests/suite/data_checks_keys.rs).

use super::{Computed, Kind};
use crate::diff::TableChange;
use crate::model::{Column, Generated, Index, IndexKind, KeyTarget, Table};

/// Why a key over a column the same step adds is not checked: the column has no rows yet.
pub(super) const ADDED: &str = "column added in the same step";

/// A new UNIQUE or PRIMARY key's duplicates; `changes`: the step's other changes, where a
/// generated column it adds or redefines is found.
pub(super) fn duplicates(
    have: &Table,
    index: &Index,
    changes: &[TableChange],
) -> (Vec<String>, Kind) {
    let mut columns = Vec::new();
    let mut prefixes = Vec::new();
    let mut exprs = Vec::new();
    let mut missing = false;
    for p in &index.parts {
        prefixes.push(p.prefix);
        match &p.target {
            KeyTarget::Expr(e) => {
                // Named by its text: a sensitive column's name in it keeps samples out.
                columns.push(e.text.clone());
                exprs.push(Some(Computed {
                    expr: e.text.clone(),
                    charset: None,
                    collation: None,
                }));
            }
            KeyTarget::Column(c) => {
                columns.push(c.clone());
                let exists = have.columns.iter().any(|h| h.name.eq_ignore_ascii_case(c));
                // Generated as the step leaves it: the server computes it for the key.
                match redefined(changes, c) {
                    Some((g, col)) => exprs.push(Some(Computed {
                        expr: g.expr.text.clone(),
                        charset: col.charset.clone(),
                        collation: col.collation.clone(),
                    })),
                    None if exists => exprs.push(None),
                    None => missing = true,
                }
            }
        }
    }
    if missing {
        return (
            columns,
            Kind::Unchecked {
                cause: ADDED.into(),
            },
        );
    }
    if exprs.iter().all(Option::is_none) {
        exprs.clear();
    }
    (columns, Kind::Duplicates { prefixes, exprs })
}

/// The column `name` as the step adds or changes it, when generated (a generated column
/// left as it was is read like any other).
fn redefined<'a>(changes: &'a [TableChange], name: &str) -> Option<(&'a Generated, &'a Column)> {
    changes.iter().find_map(|tc| match tc {
        TableChange::AddColumn { column, .. } | TableChange::ModifyColumn { to: column, .. }
            if column.name.eq_ignore_ascii_case(name) =>
        {
            Some((column.generated.as_deref()?, column))
        }
        _ => None,
    })
}

/// Why collisions of a key with an expression part that may hold the column are not
/// counted: the expression's value under the new collation is not one canon can write.
const OVER_AN_EXPRESSION: &str =
    "key over an expression: its collisions under the new collation are not counted";

/// A collation change of a column under unique keys, with or without a charset change:
/// each key's collisions.
pub(super) fn collisions(have: &Table, from: &Column, to: &Column) -> Vec<(Vec<String>, Kind)> {
    let Some(collation) = to
        .collation
        .as_ref()
        .filter(|c| from.collation.as_ref() != Some(*c))
    else {
        return Vec::new();
    };
    let charset = to
        .charset
        .clone()
        .filter(|cs| from.charset.as_ref() != Some(cs));
    have.indexes
        .iter()
        .filter(|i| matches!(i.kind, IndexKind::Primary | IndexKind::Unique))
        .filter(|i| holds(i, &from.name))
        .map(|i| {
            if i.parts
                .iter()
                .any(|p| matches!(p.target, KeyTarget::Expr(_)))
            {
                let cause = OVER_AN_EXPRESSION.to_string();
                return (Vec::new(), Kind::Unchecked { cause });
            }
            let prefixes: Vec<Option<u32>> = i.parts.iter().map(|p| p.prefix).collect();
            (
                i.column_names().iter().map(|c| c.to_string()).collect(),
                Kind::Collisions {
                    column: from.name.clone(),
                    collation: collation.clone(),
                    charset: charset.clone(),
                    prefixes: if prefixes.iter().any(Option::is_some) {
                        prefixes
                    } else {
                        Vec::new()
                    },
                },
            )
        })
        .collect()
}

/// The key's value depends on the column: a part of its own, or an expression naming it.
fn holds(index: &Index, column: &str) -> bool {
    let quoted = format!("`{}`", column.replace('`', "``")).to_lowercase();
    index.parts.iter().any(|p| match &p.target {
        KeyTarget::Column(c) => c == column,
        KeyTarget::Expr(e) => e.text.to_lowercase().contains(&quoted),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::Change;
    use crate::model::normalize::schema_of;
    use crate::plan::data_checks::needed;

    /// The checks of planning `from` into `to` (one table each), on MySQL 8.0.
    fn checks(from: &str, to: &str) -> Vec<(String, Vec<String>, Kind)> {
        let flavor = "mysql-8.0.36".parse().unwrap();
        let (a, b) = (schema_of(from, flavor), schema_of(to, flavor));
        let changes: Vec<Change> = crate::diff::diff(&a, &b);
        needed(&a, &changes, flavor)
            .into_iter()
            .map(|c| (c.change, c.columns, c.kind))
            .collect()
    }

    #[test]
    fn expression_key_parts_are_grouped_by_their_expression() {
        let got = checks(
            "CREATE TABLE t (id int PRIMARY KEY, shop int, email varchar(50))",
            "CREATE TABLE t (id int PRIMARY KEY, shop int, email varchar(50),
               UNIQUE KEY uq ((lower(email)), shop))",
        );
        assert_eq!(got.len(), 1, "{got:?}");
        let (change, columns, kind) = &got[0];
        assert_eq!(change, "add index `uq`");
        let Kind::Duplicates { prefixes, exprs } = kind else {
            panic!("{kind:?}")
        };
        assert_eq!(prefixes, &[None, None]);
        assert_eq!(columns[1], "shop");
        let expr = exprs[0].as_ref().expect("the expression part").expr.clone();
        assert!(expr.contains("email"), "{expr}");
        assert_eq!(
            columns[0], expr,
            "named by its text, for the sensitive names"
        );
        assert_eq!(exprs[1], None);
    }

    #[test]
    fn generated_columns_the_step_adds_or_redefines_are_grouped_by_their_new_expression() {
        let got = checks(
            "CREATE TABLE t (id int PRIMARY KEY, email varchar(50),
               g varchar(50) AS (email) VIRTUAL, kept varchar(50) AS (email) VIRTUAL)",
            "CREATE TABLE t (id int PRIMARY KEY, email varchar(50),
               g varchar(50) AS (lower(email)) VIRTUAL, kept varchar(50) AS (email) VIRTUAL,
               n varchar(50) AS (upper(email)) VIRTUAL, UNIQUE KEY uq (g, kept, n))",
        );
        let dups: Vec<&Kind> = got
            .iter()
            .map(|(_, _, k)| k)
            .filter(|k| matches!(k, Kind::Duplicates { .. }))
            .collect();
        let [Kind::Duplicates { exprs, .. }] = dups[..] else {
            panic!("{got:?}")
        };
        let texts: Vec<Option<&str>> = exprs
            .iter()
            .map(|e| e.as_ref().map(|c| c.expr.as_str()))
            .collect();
        // As canon reads them (MariaDB prints lower/upper as lcase/ucase).
        assert_eq!(
            texts,
            [Some("lcase(`email`)"), None, Some("ucase(`email`)")],
            "the new expression; none for a generated column left as it was"
        );
        let collation = exprs[0].as_ref().and_then(|c| c.collation.as_deref());
        assert!(collation.is_some(), "the column's collation: {exprs:?}");
    }

    #[test]
    fn collisions_of_a_key_over_an_expression_of_the_column_are_not_counted() {
        let key = "UNIQUE KEY uq ((lower(code)))";
        let got = checks(
            &format!("CREATE TABLE t (id int PRIMARY KEY, code varchar(9) COLLATE utf8mb4_bin, {key})"),
            &format!("CREATE TABLE t (id int PRIMARY KEY, code varchar(9) COLLATE utf8mb4_general_ci, {key})"),
        );
        let causes: Vec<&Kind> = got
            .iter()
            .map(|(_, _, k)| k)
            .filter(|k| matches!(k, Kind::Unchecked { .. }))
            .collect();
        assert_eq!(
            causes,
            [&Kind::Unchecked {
                cause: OVER_AN_EXPRESSION.into()
            }],
            "{got:?}"
        );
    }
}
