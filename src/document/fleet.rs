//! What `canon apply PLAN --targets FILE` did: each database's outcome and time, in the
//! order it was listed.

use crate::source::Shown;
use serde::Serialize;

/// How one database of the list ended.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum Ending {
    /// The plan ran to its end here: `ran` steps now, `already` in earlier runs.
    Applied {
        ran: usize,
        already: usize,
        backup: Option<String>,
    },
    /// No longer at the plan's starting schema nor at one of its checkpoints: not touched.
    Stale {
        error: String,
    },
    Failed {
        error: String,
    },
    /// Not run: an earlier failure stopped the run.
    NotRun,
    /// The plan does not list this database (another group's plan covers it).
    NotInPlan,
}

#[derive(Clone, Debug, Serialize)]
pub struct DatabaseRun {
    pub target: Shown,
    /// 0 for the canary databases, then 1, 2, ... for the waves; None when not run.
    pub wave: Option<usize>,
    /// Seconds from the start of the run to this database's start, and how long it took.
    pub started: f64,
    pub seconds: f64,
    #[serde(flatten)]
    pub ending: Ending,
}

#[derive(Clone, Debug, Serialize)]
pub struct FleetReport {
    pub plan_id: String,
    pub canary: usize,
    pub parallel: usize,
    pub seconds: f64,
    pub databases: Vec<DatabaseRun>,
}

impl FleetReport {
    /// Databases of the plan that did not end at its end.
    pub fn unfinished(&self) -> usize {
        self.databases
            .iter()
            .filter(|d| !matches!(d.ending, Ending::Applied { .. } | Ending::NotInPlan))
            .count()
    }

    pub fn count(&self, pick: fn(&Ending) -> bool) -> usize {
        self.databases.iter().filter(|d| pick(&d.ending)).count()
    }
}
