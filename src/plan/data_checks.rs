//! Which rows decide whether a change can run, and what it costs: the read-only checks a
//! change needs (typed; `sql/data_checks.rs` writes them, `source/live/data_checks.rs`
//! runs them), and what their answers mean for the plan: a change the rows would make fail
//! is blocked by data (left out, still drift), and a loss is counted in its reason.

use super::safety::int_bounds;
use super::{describe, LeftOut, ObjectKind, Plan, Safety};
use crate::diff::{Change, TableChange};
use crate::flavor::Flavor;
use crate::model::{IndexKind, Schema, Table};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

mod keys;
mod narrowed;
mod numbers;

/// How much checking `plan` does (`--data-checks`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    Off,
    /// Each check within a short budget: large tables may be "not checked".
    #[default]
    Fast,
    /// A long budget per check.
    Full,
}

impl Mode {
    /// The time each check may take on the server, in milliseconds.
    pub fn budget_ms(self) -> Option<u64> {
        match self {
            Mode::Off => None,
            Mode::Fast => Some(2_000),
            Mode::Full => Some(60_000),
        }
    }
}

/// What a check counts. A blocking kind counts rows that would make the step fail.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Kind {
    /// Groups of rows sharing a new UNIQUE or PRIMARY key's value (key parts as written,
    /// a prefix length each). `exprs`: each part's expression, when the server computes it
    /// (an expression key part, or a generated column the same step adds); empty when every
    /// part is a stored column.
    Duplicates {
        prefixes: Vec<Option<u32>>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        exprs: Vec<Option<Computed>>,
    },
    /// Groups of rows a unique key's values fall into once `column` takes `collation` (and
    /// `charset`, when that changes too): values distinct before that the new ones make equal.
    /// `prefixes`: each key part's prefix length, when the key has any.
    Collisions {
        column: String,
        collation: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        charset: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        prefixes: Vec<Option<u32>>,
    },
    /// Rows with NULL in a column becoming NOT NULL.
    Nulls,
    /// Rows whose new foreign key's columns match no parent row; `parent_exists` false when
    /// the parent table is created by the plan (empty: every row with a value is an orphan).
    Orphans {
        parent: String,
        parent_columns: Vec<String>,
        parent_exists: bool,
    },
    /// Rows a new CHECK rejects (its expression false).
    Violations { expr: String },
    /// Rows whose value does not fit the column's narrowed type. `extremes`: the smallest
    /// and largest number in use are read too (an index leads with the column, so they cost
    /// two look-ups, and its name is not sensitive); strings always report their longest.
    NotFitting {
        fit: Fit,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        extremes: bool,
    },
    /// Rows whose value the server changes without refusing it (the ALTER leaves a note).
    Altered { how: Alteration },
    /// Non-NULL values a dropped column loses.
    ValuesLost,
    /// Rows a dropped table loses.
    RowsLost,
    /// The largest value of an AUTO_INCREMENT column, against its type's maximum `max`.
    Headroom { max: u64 },
    /// A check canon does not run, and why (e.g. a key over a column the step adds); not
    /// `reason`, which a failed outcome puts in the same record.
    Unchecked { cause: String },
}

/// A key part the server computes: its expression, in the column's charset and collation
/// when it is a generated text column (the key compares under those).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Computed {
    pub expr: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charset: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
}

/// The narrowed type's bound a value must keep. Adjacently tagged: YAML tags of nested
/// enums do not read back from a plan file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "bound", content = "value", rename_all = "snake_case")]
pub enum Fit {
    /// At most this many characters.
    Chars(u32),
    /// At most this many bytes.
    Bytes(u32),
    /// An integer within these bounds.
    Range { min: i64, max: u64 },
    /// None of these ENUM/SET values (removed).
    Without(Vec<String>),
    /// A DECIMAL with at most `digits` integer digits once rounded to `scale`, and not
    /// negative when `unsigned` (the column loses its sign).
    Decimal {
        digits: u32,
        scale: u32,
        unsigned: bool,
    },
    /// TIMESTAMP's range in the session's time zone: 1 to `max` seconds since the epoch.
    Timestamp { max: u64 },
    /// Characters this charset holds (the others refuse the conversion).
    Charset(String),
    /// An integer within these bounds once rounded as the server rounds it: a DECIMAL
    /// (`decimal`) half away from zero, and never negative into an unsigned type however
    /// close to zero; a FLOAT or DOUBLE half to even on MariaDB (`to_even`), half away from
    /// zero on MySQL.
    Rounded {
        min: i64,
        max: u64,
        decimal: bool,
        #[serde(default)]
        to_even: bool,
    },
    /// FLOAT's range (`single`, from a DOUBLE), and not negative when `unsigned` (the
    /// column loses its sign).
    Float { single: bool, unsigned: bool },
}

/// How the server changes a value it keeps. Adjacently tagged, as [`Fit`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "loss", content = "value", rename_all = "snake_case")]
pub enum Alteration {
    /// Decimals beyond this scale are rounded.
    Scale(u32),
    /// Fractional seconds beyond this many digits are cut (MariaDB) or rounded (MySQL).
    Fraction(u32),
    /// A DATE keeps no time of day.
    TimeOfDay,
    /// A TIME keeps no date.
    Date,
    /// A FLOAT keeps about 7 significant digits of a DOUBLE (tiny values become 0).
    Precision,
    /// An ENUM's or SET's values in this charset: a character it lacks becomes `?`.
    Charset(String),
}

impl Kind {
    /// Rows it counts would make the step fail on the server.
    pub fn blocks(&self) -> bool {
        !matches!(
            self,
            Kind::ValuesLost
                | Kind::RowsLost
                | Kind::Headroom { .. }
                | Kind::Altered { .. }
                | Kind::Unchecked { .. }
        )
    }

    /// What the count is of, for the reviewer.
    pub fn counted(&self) -> &'static str {
        match self {
            Kind::Duplicates { .. } => "duplicate groups",
            Kind::Collisions { .. } => "groups of values that collide",
            Kind::Nulls => "rows with NULL",
            Kind::Orphans { .. } => "orphan rows",
            Kind::Violations { .. } => "rows violating it",
            Kind::NotFitting { .. } => "values that do not fit",
            Kind::Altered { how } => match how {
                Alteration::Scale(_) => "values rounded",
                Alteration::Fraction(_) => "values that lose fractional seconds",
                Alteration::TimeOfDay => "values that lose their time of day",
                Alteration::Date => "values that lose their date",
                Alteration::Precision => "values that lose precision",
                Alteration::Charset(_) => "values with a character the charset lacks (kept as ?)",
            },
            Kind::ValuesLost => "non-NULL values lost",
            Kind::RowsLost => "rows lost",
            Kind::Headroom { .. } => "largest value",
            Kind::Unchecked { .. } => "",
        }
    }
}

/// One check of one change of a table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DataCheck {
    pub table: String,
    /// The change it is for, as `describe` words it (how a blocked change is found again).
    pub change: String,
    pub columns: Vec<String>,
    #[serde(flatten)]
    pub kind: Kind,
}

/// What the server answered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// `count` rows (groups, for duplicates); `samples`: key values, only when asked for and
    /// never of sensitive columns.
    Counted {
        count: u64,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        samples: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        in_use: Option<InUse>,
    },
    /// Not finished within the budget; `rows` is information_schema's estimate.
    OverBudget { rows: u64 },
    /// Refused for privileges: the user needs `privilege`.
    Denied { privilege: String },
    /// Could not run (e.g. the change uses a column the table does not have yet).
    Failed { reason: String },
}

/// The values a narrowing check found in use: the longest string (a length, never a
/// value), or the smallest and largest number (never of a sensitive column). Internally
/// tagged, as YAML reads nested enums back only so.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "measure", rename_all = "snake_case")]
pub enum InUse {
    /// In characters, or in bytes for binary strings and LOB limits.
    Longest {
        length: u64,
        unit: String,
    },
    Extremes {
        smallest: String,
        largest: String,
    },
}

impl std::fmt::Display for InUse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InUse::Longest { length, unit } => {
                write!(f, "longest in use: {} {unit}", thousands(*length))
            }
            InUse::Extremes { smallest, largest } => {
                write!(f, "in use: {smallest} to {largest}")
            }
        }
    }
}

/// A check, its answer, and the query a DBA runs to see the rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Checked {
    #[serde(flatten)]
    pub check: DataCheck,
    #[serde(flatten)]
    pub outcome: Outcome,
    pub rows_query: String,
}

impl Checked {
    /// The rows found, when the check finished.
    pub fn count(&self) -> Option<u64> {
        match self.outcome {
            Outcome::Counted { count, .. } => Some(count),
            _ => None,
        }
    }

    /// How much of an AUTO_INCREMENT column's range is used (0 for the other kinds).
    pub fn used(&self) -> f64 {
        match (&self.check.kind, self.count()) {
            (Kind::Headroom { max }, Some(n)) if *max > 0 => n as f64 / *max as f64,
            _ => 0.0,
        }
    }

    /// Blocking rows were found.
    pub fn blocks(&self) -> bool {
        self.check.kind.blocks() && self.count().is_some_and(|n| n > 0)
    }

    /// The answer in words: "3 duplicate groups", "not checked (1,000,000 rows, over budget)".
    pub fn result(&self) -> String {
        match &self.outcome {
            Outcome::Counted { count, .. } if matches!(self.check.kind, Kind::Headroom { .. }) => {
                let max = match self.check.kind {
                    Kind::Headroom { max } => max,
                    _ => 0,
                };
                format!(
                    "{} of {} used ({:.1}%)",
                    thousands(*count),
                    thousands(max),
                    self.used() * 100.0
                )
            }
            Outcome::Counted {
                count,
                samples,
                in_use,
            } => {
                let mut s = format!("{} {}", thousands(*count), self.check.kind.counted());
                if !samples.is_empty() {
                    s.push_str(&format!(" (e.g. {})", samples.join("; ")));
                }
                if let Some(in_use) = in_use {
                    s.push_str(&format!(" ({in_use})"));
                }
                s
            }
            Outcome::OverBudget { rows } => {
                format!("not checked ({} rows, over budget)", thousands(*rows))
            }
            Outcome::Denied { privilege } => {
                format!("not checked: the user lacks {privilege}")
            }
            Outcome::Failed { reason } => format!("not checked: {reason}"),
        }
    }
}

/// `12345` as `12,345`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The checks the changes need, against the tables as they are (`current`: after renames,
/// on a server of `flavor`).
pub fn needed(current: &Schema, changes: &[Change], flavor: Flavor) -> Vec<DataCheck> {
    let mut out = Vec::new();
    for change in changes {
        match change {
            Change::DropTable { table } => out.push(DataCheck {
                table: table.name.clone(),
                change: format!("drop {}", ObjectKind::Table.label(&table.name)),
                columns: Vec::new(),
                kind: Kind::RowsLost,
            }),
            Change::AlterTable { table, changes } => {
                let Some(have) = current.tables.get(table) else {
                    continue;
                };
                for tc in changes {
                    for (columns, kind) in table_checks(current, have, tc, changes, flavor) {
                        out.push(DataCheck {
                            table: table.clone(),
                            change: describe(tc),
                            columns,
                            kind,
                        });
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Every AUTO_INCREMENT integer column's headroom: the runbooks' INT → BIGINT risk.
pub fn headroom(current: &Schema) -> Vec<DataCheck> {
    let mut out = Vec::new();
    for (name, table) in &current.tables {
        for c in table.columns.iter().filter(|c| c.auto_increment) {
            if let Some((_, max)) = int_bounds(&c.ty) {
                out.push(DataCheck {
                    table: name.clone(),
                    change: format!("AUTO_INCREMENT column `{}`", c.name),
                    columns: vec![c.name.clone()],
                    kind: Kind::Headroom { max: max as u64 },
                });
            }
        }
    }
    out
}

fn unchecked(columns: Vec<String>, reason: &str) -> Vec<(Vec<String>, Kind)> {
    vec![(
        columns,
        Kind::Unchecked {
            cause: reason.into(),
        },
    )]
}

/// A change's checks; `step`: every change of the table, `tc` among them.
fn table_checks(
    current: &Schema,
    have: &Table,
    tc: &TableChange,
    step: &[TableChange],
    flavor: Flavor,
) -> Vec<(Vec<String>, Kind)> {
    let exists = |c: &String| have.columns.iter().any(|h| h.name.eq_ignore_ascii_case(c));
    match tc {
        TableChange::AddIndex { index }
            if matches!(index.kind, IndexKind::Primary | IndexKind::Unique) =>
        {
            vec![keys::duplicates(have, index, step)]
        }
        TableChange::AddForeignKey { fk } if !fk.columns.iter().all(exists) => {
            unchecked(fk.columns.clone(), keys::ADDED)
        }
        TableChange::AddForeignKey { fk } => {
            vec![(
                fk.columns.clone(),
                Kind::Orphans {
                    parent: fk.ref_table.clone(),
                    parent_columns: fk.ref_columns.clone(),
                    parent_exists: current.tables.contains_key(&fk.ref_table),
                },
            )]
        }
        TableChange::AddCheck { check } => vec![(
            Vec::new(),
            Kind::Violations {
                expr: check.expr.text.clone(),
            },
        )],
        TableChange::DropColumn { column } => vec![(vec![column.name.clone()], Kind::ValuesLost)],
        TableChange::ModifyColumn { from, to, .. } if to.generated.is_none() => {
            let mut out = Vec::new();
            let col = vec![from.name.clone()];
            if from.nullable && !to.nullable {
                out.push((col.clone(), Kind::Nulls));
            }
            for kind in narrowed::checks(have, from, to, flavor) {
                out.push((col.clone(), kind));
            }
            out.extend(keys::collisions(have, from, to));
            out
        }
        _ => Vec::new(),
    }
}

/// The changes the rows block, by (table, change), with the reason the plan records.
pub type Blocked = BTreeMap<(String, String), String>;

/// How a blocked change's reason starts.
pub const BLOCKED: &str = "blocked by data: ";

pub fn blocked(results: &[Checked]) -> Blocked {
    let mut out = Blocked::new();
    for r in results.iter().filter(|r| r.blocks()) {
        let reason = format!("{BLOCKED}{}; to see them: {}", r.result(), r.rows_query);
        out.entry((r.check.table.clone(), r.check.change.clone()))
            .and_modify(|s: &mut String| {
                s.push_str("; ");
                s.push_str(&reason)
            })
            .or_insert(reason);
    }
    out
}

/// Destructive reasons with the numbers the checks found: "drops column `notes`: 12,345
/// non-NULL values lost".
pub fn count_losses(plan: &mut Plan, results: &[Checked]) {
    let losses: Vec<&Checked> = results
        .iter()
        .filter(|r| !r.check.kind.blocks() && !matches!(r.check.kind, Kind::Unchecked { .. }))
        .collect();
    let words = |table: &str, summary: &str| {
        losses
            .iter()
            .filter(|r| r.check.table == table && r.check.change == summary)
            .map(|r| format!("{}: {}", summary.replace("drop ", "drops "), r.result()))
            .collect::<Vec<_>>()
    };
    for step in &mut plan.steps {
        let Safety::Destructive { reason } = &mut step.safety else {
            continue;
        };
        for line in step
            .summary
            .iter()
            .flat_map(|s| words(&step.object.name, s))
        {
            reason.push_str("; ");
            reason.push_str(&line);
        }
    }
    for l in &mut plan.left_out {
        let summary = match &l.change {
            Change::DropTable { table } => format!("drop {}", ObjectKind::Table.label(&table.name)),
            Change::AlterTable { changes, .. } if changes.len() == 1 => describe(&changes[0]),
            _ => continue,
        };
        for line in words(&l.object.name, &summary) {
            l.reason.push_str("; ");
            l.reason.push_str(&line);
        }
    }
}

/// The check belongs to the step: same table, and the step makes its change.
pub fn of_step(check: &DataCheck, object: &str, summary: &[String]) -> bool {
    check.table == object && summary.contains(&check.change)
}

/// How the rows now are worse than when the plan was approved: a step would fail, or lose
/// more than the approved count. A check that cannot tell now refuses nothing.
pub fn worse(approved: &Checked, now: &Checked) -> Option<String> {
    let n = now.count()?;
    let what = format!("table `{}`: {}", now.check.table, now.check.change);
    if now.check.kind.blocks() {
        return (n > 0).then(|| format!("{what}: now {}", now.result()));
    }
    let was = approved.count()?;
    (n > was).then(|| {
        format!(
            "{what}: now {} (approved: {})",
            now.result(),
            approved.result()
        )
    })
}

/// A change the rows block, left out like a destructive one.
pub(super) fn block(blocked: &Blocked, table: &str, tc: &TableChange) -> Option<LeftOut> {
    let reason = blocked.get(&(table.to_string(), describe(tc)))?;
    Some(LeftOut {
        object: super::table_ref(table),
        change: super::one_change(table, tc.clone()),
        reason: reason.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(12345), "12,345");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}
