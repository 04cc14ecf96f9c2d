//! The plan's data checks run on a live target: `plan` before deciding the steps, `apply`
//! again before the first one. The checks are the plan's (`plan/data_checks.rs`), their SQL
//! `sql/data_checks.rs`'s, the reading `source/live/data_checks.rs`'s.

use crate::flavor::Flavor;
use crate::model::Sizes;
use crate::plan::data_checks::{Checked, DataCheck, Fit, InUse, Kind, Mode, Outcome};
use crate::source::live::data_checks::{run, Answer, Query};
use crate::source::live::ConnSpec;
use crate::sql::data_checks as sql;
use std::time::Duration;

/// Column names whose values never appear as samples, unless canon.yaml says otherwise
/// (`data_checks.sensitive`): `*` matches any run of characters, case is ignored.
pub const SENSITIVE: [&str; 12] = [
    "*pass*", "*pwd*", "*token*", "*secret*", "*key*", "*salt*", "*hash*", "*mail*", "*phone*",
    "*ssn*", "*card*", "*iban*",
];

/// How the checks run.
pub struct Settings<'a> {
    pub flavor: Flavor,
    pub budget_ms: u64,
    /// Sample key values of duplicates (`--show-samples`).
    pub samples: bool,
    /// Patterns of sensitive column names: their values are never sampled.
    pub sensitive: &'a [String],
    /// information_schema's row estimates, for "not checked (N rows, over budget)".
    pub sizes: &'a Sizes,
}

/// Whether a column's name looks sensitive.
pub fn sensitive(patterns: &[String], column: &str) -> bool {
    let name = column.to_lowercase();
    patterns
        .iter()
        .any(|p| crate::config::matches(&p.to_lowercase(), &name))
}

/// Each check with its answer.
pub async fn check(spec: &ConnSpec, checks: Vec<DataCheck>, s: &Settings<'_>) -> Vec<Checked> {
    // The smallest and largest values are values: never of a sensitive column.
    let checks: Vec<DataCheck> = checks
        .into_iter()
        .map(|mut c| {
            if let Kind::NotFitting { extremes, .. } = &mut c.kind {
                *extremes &= !c.columns.iter().any(|col| sensitive(s.sensitive, col));
            }
            c
        })
        .collect();
    let queries: Vec<Query> = checks
        .iter()
        .filter(|c| !matches!(c.kind, Kind::Unchecked { .. }))
        .map(|c| Query {
            count: sql::count(c, s.flavor, s.budget_ms),
            samples: (s.samples && !c.columns.iter().any(|col| sensitive(s.sensitive, col)))
                .then(|| sql::samples(c, s.flavor, s.budget_ms))
                .flatten(),
        })
        .collect();
    let mut answers = run(spec, &queries, Duration::from_millis(s.budget_ms))
        .await
        .into_iter();
    checks
        .into_iter()
        .map(|check| {
            let answer = match &check.kind {
                Kind::Unchecked { cause } => Answer::Failed(cause.clone()),
                _ => answers.next().expect("an answer per query"),
            };
            let outcome = match answer {
                Answer::Count {
                    count,
                    samples,
                    more,
                } => Outcome::Counted {
                    count,
                    samples,
                    in_use: in_use(&check.kind, more),
                },
                Answer::OverBudget => Outcome::OverBudget {
                    rows: s.sizes.get(&check.table).map_or(0, |t| t.rows),
                },
                Answer::Denied(_) => Outcome::Denied {
                    privilege: format!("SELECT on {}", crate::sql::quote::ident(&check.table)),
                },
                Answer::Failed(reason) => Outcome::Failed { reason },
            };
            Checked {
                rows_query: sql::rows(&check),
                check,
                outcome,
            }
        })
        .collect()
}

/// What the count's further columns say about the values in use (`sql::count` writes them).
fn in_use(kind: &Kind, more: Vec<Option<String>>) -> Option<InUse> {
    let Kind::NotFitting { fit, extremes } = kind else {
        return None;
    };
    let mut more = more.into_iter().flatten();
    let unit = match fit {
        Fit::Chars(_) | Fit::Charset(_) => "characters",
        Fit::Bytes(_) => "bytes",
        Fit::Range { .. } | Fit::Decimal { .. } | Fit::Rounded { .. } | Fit::Float { .. }
            if *extremes =>
        {
            return Some(InUse::Extremes {
                smallest: more.next()?,
                largest: more.next()?,
            })
        }
        _ => return None,
    };
    Some(InUse::Longest {
        length: more.next()?.parse().ok()?,
        unit: unit.into(),
    })
}

/// What `plan` is asked to check (`--data-checks`, `--show-samples`, canon.yaml's list).
#[derive(Clone, Debug, Default)]
pub struct Request {
    pub mode: Mode,
    pub show_samples: bool,
    /// Sensitive column name patterns; empty means [`SENSITIVE`].
    pub sensitive: Vec<String>,
}

impl Request {
    fn sensitive(&self) -> Vec<String> {
        if self.sensitive.is_empty() {
            SENSITIVE.iter().map(|s| s.to_string()).collect()
        } else {
            self.sensitive.clone()
        }
    }
}

/// The checks of a plan's changes, run on the target when it is a live server and checks
/// are on; none otherwise (a dump has no rows canon reads).
pub fn for_plan(
    req: &crate::PlanRequest,
    current: &crate::Side,
    renamed: &crate::model::Schema,
    changes: &[crate::diff::Change],
    data: &Request,
) -> Result<Vec<Checked>, crate::Error> {
    let Some(budget_ms) = data.mode.budget_ms() else {
        return Ok(Vec::new());
    };
    let crate::Target::Live(spec) =
        crate::Target::resolve(req.target.as_deref(), &req.credentials)?
    else {
        return Ok(Vec::new());
    };
    let checks = crate::plan::data_checks::needed(renamed, changes, current.flavor);
    if checks.is_empty() {
        return Ok(Vec::new());
    }
    let sensitive = data.sensitive();
    let settings = Settings {
        flavor: current.flavor,
        budget_ms,
        samples: data.show_samples,
        sensitive: &sensitive,
        sizes: &current.sizes,
    };
    Ok(crate::runtime()?.block_on(check(&spec, checks, &settings)))
}

/// From this share of its range used, an AUTO_INCREMENT column is reported.
pub const HEADROOM_WARN: f64 = 0.5;

/// `check` and `validate` (`--data-checks fast|full`): each AUTO_INCREMENT column that has
/// used half its type's range or more; nothing from a dump or with `off`.
pub fn headroom(
    req: &crate::PlanRequest,
    current: &crate::Side,
    mode: Mode,
) -> Result<Vec<Checked>, crate::Error> {
    let Some(budget_ms) = mode.budget_ms() else {
        return Ok(Vec::new());
    };
    let crate::Target::Live(spec) =
        crate::Target::resolve(req.target.as_deref(), &req.credentials)?
    else {
        return Ok(Vec::new());
    };
    let checks = crate::plan::data_checks::headroom(&current.schema);
    if checks.is_empty() {
        return Ok(Vec::new());
    }
    let settings = Settings {
        flavor: current.flavor,
        budget_ms,
        samples: false,
        sensitive: &[],
        sizes: &current.sizes,
    };
    let checked = crate::runtime()?.block_on(check(&spec, checks, &settings));
    Ok(checked
        .into_iter()
        .filter(|c| c.used() >= HEADROOM_WARN)
        .collect())
}
