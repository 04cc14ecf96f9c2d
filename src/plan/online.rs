//! What each ALTER will cost on the server: the algorithm InnoDB will pick (INSTANT, in place
//! without a rebuild, in place with one, or a copy) and the lock it needs, with the reasons
//! as data. Rules per flavor; MariaDB's are confirmed against a real server in the tests
//! (the predicted ALGORITHM/LOCK is accepted, the next better one refused).

use super::{Action, AlterClause, OptionsChange, Step};
use crate::flavor::Flavor;
use crate::model::{Column, ColumnType, IndexKind, Position, Schema, StrKind, Table, TableSize};
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

fn compressed(t: &Table) -> bool {
    t.options.row_format.as_deref() == Some("COMPRESSED")
        || t.options.other.contains_key("KEY_BLOCK_SIZE")
}

fn indexed(t: &Table, column: &str) -> Option<IndexKind> {
    t.indexes
        .iter()
        .filter(|i| i.column_names().contains(&column))
        .map(|i| i.kind)
        .min_by_key(|k| *k != IndexKind::Primary)
}

/// Why a column operation cannot be INSTANT on this table, whatever the column.
fn blocks_instant_columns(t: &Table) -> Option<Cost> {
    if has_fulltext(t) {
        return Some(cost(
            Algorithm::Rebuild,
            Lock::Shared,
            "a FULLTEXT index on the table blocks INSTANT column changes: the table is rebuilt",
        ));
    }
    compressed(t).then(|| {
        cost(
            Algorithm::Rebuild,
            Lock::None,
            "ROW_FORMAT=COMPRESSED tables cannot change columns instantly: the table is rebuilt",
        )
    })
}

fn add_column(t: &Table, c: &Column, position: &Position, f: Flavor) -> Cost {
    if c.generated.as_ref().is_some_and(|g| g.stored) {
        return cost(
            Algorithm::Copy,
            Lock::Shared,
            format!(
                "adding the STORED generated column `{}` copies the table",
                c.name
            ),
        );
    }
    if c.auto_increment {
        return cost(
            Algorithm::Rebuild,
            Lock::Shared,
            "adding an AUTO_INCREMENT column rebuilds the table and blocks writes",
        );
    }
    if matches!(c.default, Some(crate::model::DefaultValue::Expr(_))) {
        return cost(
            Algorithm::Copy,
            Lock::Shared,
            format!(
                "the default of `{}` is an expression evaluated per row: the table is copied",
                c.name
            ),
        );
    }
    if let Some(blocked) = blocks_instant_columns(t) {
        return blocked;
    }
    let last = match position {
        Position::After(p) => t.columns.last().is_some_and(|l| &l.name == p),
        Position::First => t.columns.is_empty(),
    };
    if !last && !f.instant_columns_anywhere() {
        return cost(
            Algorithm::Rebuild,
            Lock::None,
            "adding a column not at the end needs MySQL 8.0.29+ for INSTANT: the table is rebuilt",
        );
    }
    cost(
        Algorithm::Instant,
        Lock::None,
        format!("adding column `{}` is INSTANT", c.name),
    )
}

fn drop_column(t: &Table, name: &str, f: Flavor) -> Cost {
    let stored = t
        .column(name)
        .and_then(|c| c.generated.as_ref())
        .is_some_and(|g| g.stored);
    if let Some(blocked) = blocks_instant_columns(t) {
        return blocked;
    }
    match indexed(t, name) {
        Some(IndexKind::Primary) => cost(
            Algorithm::Rebuild,
            Lock::None,
            format!("`{name}` is in the primary key: the table is rebuilt"),
        ),
        _ if stored || !f.instant_columns_anywhere() => cost(
            Algorithm::Rebuild,
            Lock::None,
            format!("dropping `{name}` rebuilds the table (INSTANT needs MySQL 8.0.29+, and a column that is not STORED)"),
        ),
        Some(_) if f.instant_metadata_changes() => cost(
            Algorithm::NoRebuild,
            Lock::None,
            format!("`{name}` is indexed: its indexes change in place"),
        ),
        Some(_) => cost(
            Algorithm::Rebuild,
            Lock::None,
            format!("`{name}` is indexed: the table is rebuilt"),
        ),
        None => cost(
            Algorithm::Instant,
            Lock::None,
            format!("dropping column `{name}` is INSTANT"),
        ),
    }
}

/// Bytes an ENUM or SET value takes: appending values is INSTANT only within the same size.
fn member_storage(ty: &ColumnType) -> Option<(usize, usize, &[String])> {
    match ty {
        ColumnType::Enum { values } => Some((0, if values.len() < 256 { 1 } else { 2 }, values)),
        ColumnType::Set { values } => {
            let bytes = values.len().div_ceil(8);
            Some((1, if bytes > 4 { 8 } else { bytes }, values))
        }
        _ => None,
    }
}

/// Whether a VARCHAR's length prefix stays one byte (at most 255 bytes) or two.
fn length_bytes(length: u32, charset: Option<&str>) -> u32 {
    let max = length * charset.map_or(1, Flavor::charset_max_len);
    if max > 255 {
        2
    } else {
        1
    }
}

fn type_change(from: &Column, to: &Column, f: Flavor) -> Cost {
    let copy = || {
        cost(
            Algorithm::Copy,
            Lock::Shared,
            format!("changing the type of `{}` copies the table", to.name),
        )
    };
    match (&from.ty, &to.ty) {
        (
            ColumnType::String {
                kind: k1 @ (StrKind::Varchar | StrKind::Varbinary),
                length: l1,
            },
            ColumnType::String {
                kind: k2,
                length: l2,
            },
        ) if k1 == k2 && l2 > l1 => {
            if f.instant_column_redefinition() {
                cost(
                    Algorithm::Instant,
                    Lock::None,
                    format!("widening `{}` is INSTANT on MariaDB", to.name),
                )
            } else if length_bytes(*l1, from.charset.as_deref())
                == length_bytes(*l2, to.charset.as_deref())
            {
                cost(
                    Algorithm::NoRebuild,
                    Lock::None,
                    format!(
                        "widening `{}` keeps its length prefix: in place, no rebuild",
                        to.name
                    ),
                )
            } else {
                cost(
                    Algorithm::Copy,
                    Lock::Shared,
                    format!(
                        "widening `{}` past 255 bytes changes its length prefix: the table is copied",
                        to.name
                    ),
                )
            }
        }
        (a, b) => match (member_storage(a), member_storage(b)) {
            (Some((k1, s1, v1)), Some((k2, s2, v2)))
                if k1 == k2 && s1 == s2 && v2.len() > v1.len() && v2.starts_with(v1) =>
            {
                cost(
                    Algorithm::Instant,
                    Lock::None,
                    format!(
                        "appending to the values of `{}` within the same storage size is INSTANT",
                        to.name
                    ),
                )
            }
            (Some(_), Some(_)) => cost(
                Algorithm::Copy,
                Lock::Shared,
                format!(
                    "changing existing values of `{}` (or its storage size) copies the table",
                    to.name
                ),
            ),
            _ => copy(),
        },
    }
}

fn modify_column(t: &Table, to: &Column, moved: bool, f: Flavor) -> Cost {
    let Some(from) = t.column(&to.name) else {
        return cost(
            Algorithm::Copy,
            Lock::Shared,
            format!("`{}` is unknown before the step", to.name),
        );
    };
    let mut costs = Vec::new();
    if from.ty != to.ty {
        costs.push(type_change(from, to, f));
    }
    if from.charset != to.charset {
        costs.push(cost(
            Algorithm::Copy,
            Lock::Shared,
            format!(
                "converting `{}` to another charset copies the table",
                to.name
            ),
        ));
    } else if from.collation != to.collation {
        costs.push(
            match (f.instant_column_redefinition(), indexed(t, &to.name)) {
                (true, None) => cost(
                    Algorithm::Instant,
                    Lock::None,
                    format!("a new collation for `{}` is INSTANT on MariaDB", to.name),
                ),
                (true, Some(_)) => cost(
                    Algorithm::NoRebuild,
                    Lock::None,
                    format!(
                        "`{}` is indexed: its indexes are rebuilt for the new collation",
                        to.name
                    ),
                ),
                (false, _) => cost(
                    Algorithm::Copy,
                    Lock::Shared,
                    format!("a new collation for `{}` copies the table", to.name),
                ),
            },
        );
    }
    if from.nullable != to.nullable {
        costs.push(cost(
            Algorithm::Rebuild,
            Lock::None,
            format!("making `{}` NULL or NOT NULL rebuilds the table", to.name),
        ));
    }
    if from.auto_increment != to.auto_increment
        || from.generated != to.generated
        || from.on_update != to.on_update
        || from.compressed != to.compressed
        || from.invisible != to.invisible
    {
        costs.push(cost(
            Algorithm::Copy,
            Lock::Shared,
            format!("redefining `{}` copies the table", to.name),
        ));
    }
    if moved {
        costs.push(match blocks_instant_columns(t) {
            Some(blocked) => blocked,
            None if f.instant_column_redefinition() => cost(
                Algorithm::Instant,
                Lock::None,
                format!("moving `{}` is INSTANT on MariaDB", to.name),
            ),
            None => cost(
                Algorithm::Rebuild,
                Lock::None,
                format!("moving `{}` rebuilds the table", to.name),
            ),
        });
    }
    costs
        .into_iter()
        .max_by_key(|c| (c.0, c.1))
        .unwrap_or_else(|| {
            cost(
                Algorithm::Instant,
                Lock::None,
                format!("a new default or comment for `{}` is INSTANT", to.name),
            )
        })
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
