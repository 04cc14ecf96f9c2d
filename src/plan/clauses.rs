//! Table changes as ALTER clauses with their safety.

use super::{safety, AlterClause, Clause, OptionsChange, Safety};
use crate::diff::TableChange;
use crate::model::*;

/// The names HASH and KEY partitions get from the server.
fn first_partition(p: &Partitioning) -> String {
    p.partitions
        .first()
        .map_or_else(|| "p0".to_string(), |x| x.name.clone())
}

/// A partitioning change as statements: RANGE/LIST partitions dropped and added (rows of
/// the others stay where they are) when the scheme is the same and the kept partitions keep
/// their bounds and order; otherwise the table is partitioned anew.
pub(super) fn partition_clauses(
    from: Option<&Partitioning>,
    to: Option<&Partitioning>,
) -> Vec<Clause> {
    let by = |p: &Partitioning| {
        let kind = match p.kind {
            PartitionKind::SystemTime => "SYSTEM_TIME".to_string(),
            k => format!("{k:?}").to_ascii_uppercase(),
        };
        (
            AlterClause::PartitionBy {
                partitioning: p.clone(),
            },
            Safety::Safe,
            format!("partition by {kind}"),
        )
    };
    let (a, b) = match (from, to) {
        (None, None) => return vec![],
        (None, Some(b)) => return vec![by(b)],
        (Some(a), None) => {
            return vec![(
                AlterClause::RemovePartitioning {
                    first: first_partition(a),
                },
                Safety::Safe,
                "remove partitioning".into(),
            )]
        }
        (Some(a), Some(b)) => (a, b),
    };
    let same_scheme = a.kind == b.kind
        && a.linear == b.linear
        && a.by_columns == b.by_columns
        && a.columns == b.columns
        && a.expr == b.expr
        && a.sub == b.sub
        && matches!(a.kind, PartitionKind::Range | PartitionKind::List);
    let named =
        |p: &Partitioning, n: &str| p.partitions.iter().any(|x| x.name.eq_ignore_ascii_case(n));
    let kept: Vec<&Partition> = a.partitions.iter().filter(|x| named(b, &x.name)).collect();
    let added: Vec<Partition> = b
        .partitions
        .iter()
        .filter(|x| !named(a, &x.name))
        .cloned()
        .collect();
    let in_place = same_scheme
        && b.partitions.len() == kept.len() + added.len()
        && b.partitions
            .iter()
            .zip(kept.iter().copied().chain(&added))
            .all(|(x, y)| x == y);
    if !in_place {
        return vec![by(b)];
    }
    let mut out = Vec::new();
    let dropped: Vec<String> = a
        .partitions
        .iter()
        .filter(|x| !named(b, &x.name))
        .map(|x| x.name.clone())
        .collect();
    if !dropped.is_empty() {
        let list = dropped.join("`, `");
        out.push((
            AlterClause::DropPartitions { names: dropped },
            Safety::Destructive {
                reason: format!("deletes the rows in partition(s) `{list}`"),
            },
            format!("drop partition(s) `{list}`"),
        ));
    }
    if !added.is_empty() {
        let list = added
            .iter()
            .map(|x| x.name.as_str())
            .collect::<Vec<_>>()
            .join("`, `");
        out.push((
            AlterClause::AddPartitions { partitions: added },
            Safety::Safe,
            format!("add partition(s) `{list}`"),
        ));
    }
    out
}

/// Whether a column change alters what foreign keys compare (type, charset, collation).
pub(super) fn changes_key_type(from: &Column, to: &Column) -> bool {
    from.ty != to.ty || from.charset != to.charset || from.collation != to.collation
}

fn options_change(from: &TableOptions, to: &TableOptions) -> OptionsChange {
    let mut oc = OptionsChange::default();
    if from.engine != to.engine {
        oc.engine = to.engine.clone();
    }
    if from.charset != to.charset || from.collation != to.collation {
        if let (Some(cs), Some(coll)) = (&to.charset, &to.collation) {
            oc.charset = Some((cs.clone(), coll.clone()));
        }
    }
    if from.row_format != to.row_format {
        oc.row_format = Some(to.row_format.clone().unwrap_or_else(|| "DEFAULT".into()));
    }
    if from.comment != to.comment {
        oc.comment = Some(to.comment.clone().unwrap_or_default());
    }
    for (k, v) in &to.other {
        if from.other.get(k) != Some(v) {
            oc.other.insert(k.clone(), v.clone());
        }
    }
    for k in from.other.keys() {
        if !to.other.contains_key(k) {
            oc.other.insert(k.clone(), "DEFAULT".into());
        }
    }
    oc
}

/// The clause of a column, key, check or options change, with its safety (`want` is the
/// table's canonical definition). Foreign keys and partitioning are planned apart: None.
pub(super) fn clause(tc: &TableChange, want: &Table) -> Option<(AlterClause, Safety)> {
    Some(match tc {
        TableChange::DropColumn { column } => (
            AlterClause::DropColumn {
                name: column.name.clone(),
            },
            Safety::Destructive {
                reason: format!("drops column `{}` and its data", column.name),
            },
        ),
        TableChange::AddColumn { column, position } => (
            AlterClause::AddColumn {
                column: column.clone(),
                position: position.clone(),
            },
            Safety::Safe,
        ),
        TableChange::ModifyColumn { from, to, position } => (
            AlterClause::ModifyColumn {
                column: to.clone(),
                position: position.clone(),
            },
            safety::column_change(from, to, want),
        ),
        TableChange::DropIndex { index } => (
            AlterClause::DropIndex {
                name: index.name.clone(),
            },
            Safety::Safe,
        ),
        TableChange::AddIndex { index } => (
            AlterClause::AddIndex {
                index: index.clone(),
            },
            Safety::Safe,
        ),
        TableChange::DropCheck { check } => (
            AlterClause::DropCheck {
                name: check.name.clone(),
            },
            Safety::Safe,
        ),
        TableChange::AddCheck { check } => (
            AlterClause::AddCheck {
                check: check.clone(),
            },
            Safety::Safe,
        ),
        TableChange::Options { from, to } => (
            AlterClause::Options {
                options: options_change(from, to),
            },
            Safety::Safe,
        ),
        TableChange::AddForeignKey { .. }
        | TableChange::DropForeignKey { .. }
        | TableChange::Partitioning { .. }
        | TableChange::Periods { .. }
        | TableChange::SystemVersioning { .. } => return None,
    })
}
