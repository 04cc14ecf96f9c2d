//! What each ALTER will cost on the server: the algorithm InnoDB will pick (INSTANT, in place
//! without a rebuild, in place with one, or a copy) and the lock it needs, with the reasons
//! as data. Rules per flavor; MariaDB's are confirmed against a real server in the tests
//! (the predicted ALGORITHM/LOCK is accepted, the next better one refused).

mod columns;

use super::{Action, AlterClause, OptionsChange, Step};
use crate::flavor::Flavor;
use crate::model::{IndexKind, Schema, Table, TableSize};
use columns::{add_column, drop_column, modify_column};
use serde::{Deserialize, Serialize};

/// Cheapest first: a statement costs its most expensive clause.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Algorithm {
    /// Metadata only.
    Instant,
    /// In place, no table rebuild (e.g. building a secondary index).
    NoRebuild,
    /// In place, the table is rebuilt.
    Rebuild,
    /// The table is copied row by row.
    Copy,
}

/// Weakest first: what concurrent sessions may still do while the step runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lock {
    /// Reads and writes go on.
    None,
    /// Reads go on, writes wait.
    Shared,
    /// Everything waits.
    Exclusive,
}

impl Algorithm {
    /// The `ALGORITHM=` value that makes the server refuse anything costlier.
    pub fn clause(self, flavor: Flavor) -> &'static str {
        match self {
            Algorithm::Instant => "INSTANT",
            Algorithm::NoRebuild => flavor.no_rebuild_algorithm(),
            Algorithm::Rebuild => "INPLACE",
            Algorithm::Copy => "COPY",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Algorithm::Instant => "INSTANT",
            Algorithm::NoRebuild => "INPLACE, no rebuild",
            Algorithm::Rebuild => "INPLACE, rebuilds",
            Algorithm::Copy => "COPY",
        }
    }
}

impl Lock {
    pub fn clause(self) -> &'static str {
        match self {
            Lock::None => "NONE",
            Lock::Shared => "SHARED",
            Lock::Exclusive => "EXCLUSIVE",
        }
    }
}

/// How long a step may take, from the table's size: a class, not a promise. Rebuilds and
/// copies are taken to move about 50 MB/s, so under 1 GiB is seconds, under 64 GiB minutes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DurationClass {
    Instant,
    Seconds,
    Minutes,
    Hours,
}

impl DurationClass {
    pub fn of(algorithm: Algorithm, size: Option<&TableSize>) -> Option<DurationClass> {
        const GIB: u64 = 1 << 30;
        if algorithm == Algorithm::Instant {
            return Some(DurationClass::Instant);
        }
        let bytes = size.map(|s| s.data_bytes + s.index_bytes)?;
        Some(match bytes {
            b if b < GIB => DurationClass::Seconds,
            b if b < 64 * GIB => DurationClass::Minutes,
            _ => DurationClass::Hours,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            DurationClass::Instant => "instant",
            DurationClass::Seconds => "seconds",
            DurationClass::Minutes => "minutes",
            DurationClass::Hours => "hours",
        }
    }
}

/// The prediction for one ALTER statement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Online {
    pub algorithm: Algorithm,
    pub lock: Lock,
    /// One reason per clause, for the clauses that set the cost first.
    pub why: Vec<String>,
    /// From the table's size when the target is a live server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<DurationClass>,
}

struct Cost(Algorithm, Lock, String);

fn cost(a: Algorithm, l: Lock, why: impl Into<String>) -> Cost {
    Cost(a, l, why.into())
}

fn has_fulltext(t: &Table) -> bool {
    t.indexes.iter().any(|i| i.kind == IndexKind::Fulltext)
}

fn add_index(t: &Table, kind: IndexKind, name: &str) -> Cost {
    match kind {
        IndexKind::Primary => cost(
            Algorithm::Rebuild,
            Lock::None,
            "a new primary key rebuilds the table (rows are stored in its order)",
        ),
        IndexKind::Fulltext if !has_fulltext(t) => cost(
            Algorithm::Rebuild,
            Lock::Shared,
            "the table's first FULLTEXT index rebuilds it (hidden FTS_DOC_ID) and blocks writes",
        ),
        IndexKind::Fulltext | IndexKind::Spatial => cost(
            Algorithm::NoRebuild,
            Lock::Shared,
            format!("building FULLTEXT/SPATIAL index `{name}` blocks writes"),
        ),
        IndexKind::Unique | IndexKind::Key => cost(
            Algorithm::NoRebuild,
            Lock::None,
            format!("index `{name}` is built in place while writes go on"),
        ),
    }
}

fn metadata(f: Flavor, what: &str) -> Cost {
    if f.instant_metadata_changes() {
        cost(Algorithm::Instant, Lock::None, format!("{what} is INSTANT"))
    } else {
        cost(
            Algorithm::NoRebuild,
            Lock::None,
            format!("{what} changes metadata in place"),
        )
    }
}

fn options(o: &OptionsChange, f: Flavor) -> Vec<Cost> {
    let mut out = Vec::new();
    if let Some(e) = &o.engine {
        out.push(cost(
            Algorithm::Copy,
            Lock::Shared,
            format!("changing the engine to {e} copies the table"),
        ));
    }
    if o.charset.is_some() {
        out.push(metadata(
            f,
            "a new table default charset (existing columns keep theirs)",
        ));
    }
    if o.row_format.is_some() {
        out.push(cost(
            Algorithm::Rebuild,
            Lock::None,
            "a new ROW_FORMAT rebuilds the table",
        ));
    }
    if o.comment.is_some() {
        out.push(metadata(f, "a new table comment"));
    }
    for k in o.other.keys() {
        out.push(match k.as_str() {
            "AUTO_INCREMENT" | "STATS_PERSISTENT" | "STATS_AUTO_RECALC" | "STATS_SAMPLE_PAGES" => {
                metadata(f, k)
            }
            // Aria's options, left on a table that is InnoDB now: InnoDB only records them.
            "PAGE_CHECKSUM" | "TRANSACTIONAL" => metadata(f, &format!("resetting {k}")),
            "KEY_BLOCK_SIZE" | "PAGE_COMPRESSED" | "PAGE_COMPRESSION_LEVEL" => cost(
                Algorithm::Rebuild,
                Lock::None,
                format!("{k} rebuilds the table"),
            ),
            _ => cost(
                Algorithm::Copy,
                Lock::Shared,
                format!("canon does not know how the server changes {k}: assumed to copy"),
            ),
        });
    }
    out
}

fn clause_cost(t: &Table, clause: &AlterClause, all: &[AlterClause], f: Flavor) -> Vec<Cost> {
    let adds_primary = || {
        all.iter().any(
            |c| matches!(c, AlterClause::AddIndex { index } if index.kind == IndexKind::Primary),
        )
    };
    vec![match clause {
        AlterClause::AddColumn { column, position } => add_column(t, column, position, f),
        AlterClause::DropColumn { name } => drop_column(t, name, f),
        AlterClause::ModifyColumn { column, position } => {
            modify_column(t, column, position.is_some(), f)
        }
        AlterClause::AddIndex { index } => add_index(t, index.kind, &index.name),
        AlterClause::DropIndex { name } if name == "PRIMARY" && !adds_primary() => cost(
            Algorithm::Copy,
            Lock::Shared,
            "dropping the primary key without a new one copies the table",
        ),
        AlterClause::DropIndex { name } => cost(
            Algorithm::NoRebuild,
            Lock::None,
            format!("dropping index `{name}` changes metadata in place"),
        ),
        AlterClause::AddForeignKey { fk } => cost(
            Algorithm::Copy,
            Lock::Shared,
            format!(
                "foreign key `{}` is checked against every row (foreign_key_checks=1): the table is copied",
                fk.name
            ),
        ),
        AlterClause::DropForeignKey { name } => {
            metadata(f, &format!("dropping foreign key `{name}`"))
        }
        AlterClause::AddCheck { check } => cost(
            Algorithm::Copy,
            Lock::Shared,
            format!(
                "CHECK `{}` is verified against every row: the table is copied",
                check.name
            ),
        ),
        AlterClause::DropCheck { name } => metadata(f, &format!("dropping CHECK `{name}`")),
        AlterClause::Options { options: o } => return options(o, f),
        AlterClause::RenameColumn { from, to } => {
            metadata(f, &format!("renaming `{from}` to `{to}`"))
        }
        AlterClause::AddPartitions { .. } | AlterClause::DropPartitions { .. } => cost(
            Algorithm::NoRebuild,
            Lock::Exclusive,
            "adding or dropping RANGE/LIST partitions moves no other rows; the table is locked while it runs",
        ),
        AlterClause::PartitionBy { .. } => cost(
            Algorithm::Copy,
            Lock::Shared,
            "partitioning anew copies every row into the new partitions",
        ),
        AlterClause::RemovePartitioning { .. } => cost(
            Algorithm::Copy,
            Lock::Shared,
            "removing the partitioning copies every row into one table",
        ),
        // The hidden row_start/row_end columns are added or dropped: the table is copied.
        AlterClause::AddSystemVersioning | AlterClause::DropSystemVersioning => cost(
            Algorithm::Copy,
            Lock::Shared,
            "adding or dropping system versioning copies the table",
        ),
        AlterClause::KeepHistory => return vec![],
    }]
}

/// Whether the server takes an `ALGORITHM=..., LOCK=...` clause with the step: not with a
/// partition operation.
pub fn assertable(step: &Step) -> bool {
    match &step.action {
        Action::AlterTable { clauses, .. } => !clauses.iter().any(AlterClause::is_partition_op),
        _ => false,
    }
}

/// The prediction for an ALTER of `t` (the table as it is before the statement).
pub fn predict(t: &Table, clauses: &[AlterClause], f: Flavor) -> Online {
    let engine = t.options.engine.as_deref().unwrap_or("InnoDB");
    let costs: Vec<Cost> = if engine.eq_ignore_ascii_case("InnoDB") {
        clauses
            .iter()
            .flat_map(|c| clause_cost(t, c, clauses, f))
            .collect()
    } else {
        vec![cost(
            Algorithm::Copy,
            Lock::Shared,
            format!("{engine} tables are altered by copying them"),
        )]
    };
    let algorithm = costs
        .iter()
        .map(|c| c.0)
        .max()
        .unwrap_or(Algorithm::Instant);
    let lock = costs.iter().map(|c| c.1).max().unwrap_or(Lock::None);
    let mut why: Vec<String> = costs
        .into_iter()
        .filter(|c| c.0 == algorithm || (c.1 == lock && lock != Lock::None))
        .map(|c| c.2)
        .collect();
    why.dedup();
    Online {
        algorithm,
        lock,
        why,
        duration: None,
    }
}

/// One prediction per step (None for steps that are not an ALTER), each made on the schema
/// as the steps before it leave it, with a duration class from the table's size.
pub fn predictions(
    current: &Schema,
    steps: &[Step],
    sizes: &crate::model::Sizes,
    f: Flavor,
) -> Vec<Option<Online>> {
    // Only the tables the steps touch are copied: a plan on thousands of tables touches few.
    let renamed: Vec<super::ObjectRef> = steps
        .iter()
        .filter_map(|s| match &s.action {
            Action::RenameTable { from, .. } => Some(super::ObjectRef {
                kind: super::ObjectKind::Table,
                name: from.clone(),
            }),
            _ => None,
        })
        .collect();
    let touched: std::collections::BTreeSet<&super::ObjectRef> =
        steps.iter().map(|s| &s.object).chain(&renamed).collect();
    let mut sim = super::simulate::subset(current, &touched);
    steps
        .iter()
        .map(|s| {
            let p = match &s.action {
                Action::AlterTable { table, clauses } => sim.tables.get(table).map(|t| {
                    let mut o = predict(t, clauses, f);
                    o.duration = DurationClass::of(o.algorithm, sizes.get(table));
                    o
                }),
                _ => None,
            };
            super::simulate::apply(&mut sim, s);
            p
        })
        .collect()
}

#[cfg(test)]
mod tests;
