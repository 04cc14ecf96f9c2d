//! `canon check --targets FILE`: each database of a list checked on its own, a few at a time,
//! and one report for all of them.

use super::targets::{each, Listed};
use super::{json, print, Outcome};
use crate::cli::CheckFormat;
use crate::document::PlanDocument;
use crate::render::review;
use crate::source::Shown;
use crate::{Error, PlanRequest};

pub fn check_many(
    req: &PlanRequest,
    listed: &Listed,
    parallel: usize,
    format: CheckFormat,
) -> Result<Outcome, Error> {
    let checked = each(&listed.entries, parallel, |(_, target)| {
        let mut one = req.clone();
        one.target = Some(target.clone());
        // Errors are shown as the terminal would, without codes or colour.
        crate::check(&one).map_err(|e| e.to_string())
    });
    let results: Vec<(Shown, Result<PlanDocument, String>)> = checked
        .into_iter()
        .enumerate()
        .map(|(i, r)| (listed.shown(&req.credentials, i), r))
        .collect();
    let failed = results.iter().filter(|(_, r)| r.is_err()).count();
    let drifted = results
        .iter()
        .filter(|(_, r)| r.as_ref().is_ok_and(|d| !d.objects.is_empty()))
        .count();
    let refs: Vec<(Shown, Result<&PlanDocument, String>)> = results
        .iter()
        .map(|(t, r)| (t.clone(), r.as_ref().map_err(|e| e.clone())))
        .collect();
    print(&report(&refs, format, drifted, failed));
    Ok(if failed > 0 {
        Outcome::Failed
    } else if drifted > 0 {
        Outcome::Drift
    } else {
        Outcome::Success
    })
}

fn report(
    refs: &[(Shown, Result<&PlanDocument, String>)],
    format: CheckFormat,
    drifted: usize,
    failed: usize,
) -> String {
    match format {
        CheckFormat::Junit => crate::render::ci::junit_many(refs),
        CheckFormat::Json => json(&serde_json::json!({
            "databases": refs.iter().map(|(t, r)| match r {
                Ok(d) => serde_json::json!({"target": t, "drift": !d.objects.is_empty(), "objects": d.objects}),
                Err(e) => serde_json::json!({"target": t, "error": e}),
            }).collect::<Vec<_>>(),
            "drifted": drifted,
            "failed": failed,
        })),
        _ => {
            let mut out = String::new();
            for (t, r) in refs {
                out.push_str(&match (r, format) {
                    (Ok(d), CheckFormat::Github) => crate::render::ci::github(d),
                    (Ok(d), CheckFormat::Markdown) => crate::render::ci::markdown(d),
                    (Ok(d), _) => review::check_text(d),
                    (Err(e), _) => format!("error: {t}: {e}\n"),
                });
            }
            out.push_str(&format!(
                "{} database(s): {} clean, {drifted} drifted, {failed} could not be checked\n",
                refs.len(),
                refs.len() - drifted - failed
            ));
            out
        }
    }
}
