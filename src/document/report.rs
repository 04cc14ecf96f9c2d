//! What `canon apply` did: the plan it ran, the backup it took, the steps it ran; shown with
//! the validation that follows.

use crate::source::Shown;
use std::path::PathBuf;

/// What an apply did, for the validation report.
#[derive(Debug)]
pub struct ApplyReport {
    pub plan_id: String,
    pub target: Shown,
    pub history_table: String,
    pub backup: Option<Backup>,
    /// Steps applied before this run (recorded, or found at their checkpoint).
    pub already: usize,
    pub found: Vec<usize>,
    /// Steps this run applied, with seconds each.
    pub ran: Vec<(usize, f64)>,
    pub total: usize,
    /// The live fingerprint now, equal to the plan's expected end.
    pub fingerprint: String,
    pub warnings: Vec<String>,
}

/// A backup file that passed verification.
#[derive(Debug, Clone)]
pub struct Backup {
    pub path: PathBuf,
    pub sha256: String,
    pub bytes: u64,
}
