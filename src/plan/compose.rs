//! A whole plan from two schemas: renames first (they keep the data), the rest diffed and
//! planned from where they leave the schema, and the rollback (the steps undone, then the
//! renames reversed). `check` takes the first half: what differs, without steps.

use super::{rename, Plan, PlanError, PlanOptions};
use crate::diff::{self, Change};
use crate::model::Schema;
use std::borrow::Cow;

/// What differs once the renames are taken into account.
pub struct Drift<'a> {
    /// The current schema with the renames done.
    pub renamed: Cow<'a, Schema>,
    pub renames: Vec<super::Step>,
    pub changes: Vec<Change>,
    /// The renames' notes and the renames that look likely but were not asked for.
    pub warnings: Vec<String>,
}

pub fn drift<'a>(current: &'a Schema, desired: &Schema) -> Drift<'a> {
    let renames = rename::renames(current, desired);
    let changes = diff::diff(&renames.schema, desired);
    let mut warnings = renames.warnings;
    warnings.extend(rename::likely(&changes));
    Drift {
        renamed: renames.schema,
        renames: renames.steps,
        changes,
        warnings,
    }
}

/// The steps (renames included) and their rollback, or why there is none.
pub struct Composed {
    pub steps: Plan,
    pub rollback: Result<Plan, PlanError>,
}

pub fn compose(drift: &Drift, desired: &Schema, opts: PlanOptions) -> Result<Composed, PlanError> {
    compose_blocked(drift, desired, opts, Default::default())
}

/// `compose`, leaving out the changes the rows block.
pub fn compose_blocked(
    drift: &Drift,
    desired: &Schema,
    opts: PlanOptions,
    blocked: super::data_checks::Blocked,
) -> Result<Composed, PlanError> {
    let mut steps = super::plan_blocked(&drift.renamed, desired, &drift.changes, opts, blocked)?;
    let rollback = super::rollback(&drift.renamed, &steps, opts).map(|mut back| {
        back.steps.extend(rename::reversed(&drift.renames));
        back
    });
    steps.steps.splice(0..0, drift.renames.iter().cloned());
    Ok(Composed { steps, rollback })
}
