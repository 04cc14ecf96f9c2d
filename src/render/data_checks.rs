//! The plan's data checks as the review shows them: one line per check, the same in every
//! format (text, markdown, HTML, the script's comments).

use crate::document::PlanDocument;
use crate::plan::data_checks::{Checked, Kind};

/// "table `orders`: add index `uq_ref`: 3 duplicate groups — BLOCKED; to see them: SELECT ..."
pub fn line(c: &Checked) -> String {
    let mut s = format!(
        "table `{}`: {}: {}",
        c.check.table,
        c.check.change,
        c.result()
    );
    if c.blocks() {
        s.push_str(" — blocked by data (left out)");
    }
    if matches!(c.check.kind, Kind::Headroom { .. }) {
        s.push_str(": widen its type before the counter runs out");
        return s;
    }
    if c.count().is_some_and(|n| n > 0) {
        s.push_str(&format!("; to see them: {}", c.rows_query));
    }
    s
}

pub fn lines(doc: &PlanDocument) -> Vec<String> {
    doc.data_checks.iter().map(line).collect()
}

/// How many left-out changes the rows block.
pub fn blocked(doc: &PlanDocument) -> usize {
    doc.left_out
        .iter()
        .filter(|l| l.reason.starts_with(crate::plan::data_checks::BLOCKED))
        .count()
}

pub const HEADING: &str = "Data checks (counted on the target when the plan was made)";
