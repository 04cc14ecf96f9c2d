//! `canon plan --targets FILE --out DIR`: every database of the list planned on its own, a
//! few at a time, then grouped by where it starts ("812 databases at A, 188 at B, 3
//! unreachable"); one plan per group, listing its databases, for one review and approval.
//! Databases already at the canonical schema need no plan.

use super::targets::{each, Listed};
use super::{json, print, Outcome};
use crate::cli::PlanFormat;
use crate::document::{planfile, PlanDocument};
use crate::source::Shown;
use crate::{Error, PlanRequest};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Databases that start at the same schema and get the same steps.
struct Group {
    doc: PlanDocument,
    file: PathBuf,
}

/// What the plan would do, without the database it was made on: equal keys, same plan.
fn key(doc: &PlanDocument) -> String {
    let bound = (
        &doc.flavor,
        &doc.fingerprints,
        doc.allow_destructive,
        &doc.steps,
        &doc.left_out,
        &doc.rollback,
    );
    blake3::hash(&serde_json::to_vec(&bound).unwrap_or_default())
        .to_hex()
        .to_string()
}

pub fn plan_many(
    req: &PlanRequest,
    listed: &Listed,
    parallel: usize,
    out: Option<&Path>,
    format: PlanFormat,
) -> Result<Outcome, Error> {
    let dir = out.ok_or_else(|| {
        Error::Usage("plan --targets writes one plan per group: give --out DIRECTORY".into())
    })?;
    let planned = each(&listed.entries, parallel, |(_, target)| {
        let mut one = req.clone();
        one.target = Some(target.clone());
        crate::plan(&one).map_err(|e| e.to_string())
    });
    let mut groups: Vec<Group> = Vec::new();
    let mut by_key: BTreeMap<String, usize> = BTreeMap::new();
    let mut canonical: Vec<Shown> = Vec::new();
    let mut failed: Vec<(Shown, String)> = Vec::new();
    for (i, result) in planned.into_iter().enumerate() {
        let shown = listed.shown(&req.credentials, i);
        let doc = match result {
            Ok(doc) => doc,
            Err(e) => {
                failed.push((shown, e));
                continue;
            }
        };
        if doc.objects.is_empty() {
            canonical.push(shown);
            continue;
        }
        let at = *by_key.entry(key(&doc)).or_insert_with(|| {
            let stem = &doc.fingerprints.current[..12];
            let taken = groups
                .iter()
                .filter(|g| g.doc.fingerprints.current[..12] == *stem);
            let file = match taken.count() {
                0 => dir.join(format!("plan-{stem}.yaml")),
                n => dir.join(format!("plan-{stem}-{}.yaml", n + 1)),
            };
            groups.push(Group {
                doc: doc.clone(),
                file,
            });
            groups.len() - 1
        });
        groups[at].doc.source.databases.push(shown);
    }
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.display().to_string(),
        source,
    })?;
    for g in &groups {
        planfile::write(&g.file, &g.doc)?;
    }
    print(&match format {
        PlanFormat::Json => json(&serde_json::json!({
            "groups": groups.iter().map(|g| serde_json::json!({
                "fingerprint": g.doc.fingerprints.current,
                "plan": g.file.display().to_string(),
                "steps": g.doc.steps.len(),
                "databases": g.doc.source.databases,
            })).collect::<Vec<_>>(),
            "canonical": canonical,
            "failed": failed.iter().map(|(t, e)| serde_json::json!({"target": t, "error": e})).collect::<Vec<_>>(),
        })),
        _ => summary(listed.entries.len(), &groups, canonical.len(), &failed),
    });
    Ok(if failed.is_empty() {
        Outcome::Success
    } else {
        Outcome::Failed
    })
}

fn summary(total: usize, groups: &[Group], canonical: usize, failed: &[(Shown, String)]) -> String {
    let mut out = String::new();
    for (t, e) in failed {
        out.push_str(&format!("error: {t}: {e}\n"));
    }
    for g in groups {
        out.push_str(&format!(
            "{} database(s) at {}: {} step(s) in {}\n",
            g.doc.source.databases.len(),
            &g.doc.fingerprints.current[..12],
            g.doc.steps.len(),
            g.file.display()
        ));
    }
    let mut parts: Vec<String> = groups
        .iter()
        .map(|g| {
            format!(
                "{} at {}",
                g.doc.source.databases.len(),
                &g.doc.fingerprints.current[..12]
            )
        })
        .collect();
    parts.push(format!("{canonical} at the canonical schema"));
    parts.push(format!("{} could not be read", failed.len()));
    out.push_str(&format!(
        "{total} database(s): {}; {} plan(s) written\n",
        parts.join(", "),
        groups.len()
    ));
    out
}
