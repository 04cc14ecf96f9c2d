//! `canon check --targets FILE`: each database of a list checked on its own, a few at a time,
//! and one report for all of them. Every entry is shown by what [`Shown`] allows (host, port,
//! database; or the file and line of an entry that could not be read), never as written.

use super::{json, print, Outcome};
use crate::cli::CheckFormat;
use crate::document::PlanDocument;
use crate::render::review;
use crate::source::Shown;
use crate::{Error, PlanRequest, Target};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// The targets a file lists: (line number, text). `#` starts a comment at the start of a
/// line or after a space, so an unencoded `#` inside a URL stays in it (and is refused there).
fn entries(text: &str) -> Vec<(usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, line)| {
            let code = match line.find(" #").or_else(|| line.find("\t#")) {
                Some(at) => &line[..at],
                None if line.trim_start().starts_with('#') => "",
                None => line,
            };
            (i + 1, code.trim())
        })
        .filter(|(_, l)| !l.is_empty())
        .collect()
}

/// How one entry is shown: its database when it reads as a target, else its place.
fn shown(req: &PlanRequest, file: &Path, line: usize, entry: &str) -> Shown {
    match Target::resolve(Some(entry), &req.credentials) {
        Ok(target) => target.shown(),
        Err(_) => Shown::listed(file, line),
    }
}

pub fn check_many(
    req: &PlanRequest,
    file: &Path,
    parallel: usize,
    format: CheckFormat,
) -> Result<Outcome, Error> {
    let text = std::fs::read_to_string(file).map_err(|source| Error::Read {
        path: file.display().to_string(),
        source,
    })?;
    let targets = entries(&text);
    let next = AtomicUsize::new(0);
    let results: Vec<Mutex<Option<Result<PlanDocument, String>>>> =
        targets.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|s| {
        for _ in 0..parallel.min(targets.len()) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some((_, target)) = targets.get(i) else {
                    break;
                };
                let mut one = req.clone();
                one.target = Some(target.to_string());
                // Errors are shown as the terminal would, without codes or colour.
                let result = crate::check(&one).map_err(|e| e.to_string());
                if let Ok(mut slot) = results[i].lock() {
                    *slot = Some(result);
                }
            });
        }
    });
    let results: Vec<(Shown, Result<PlanDocument, String>)> = targets
        .iter()
        .zip(results)
        .map(|(&(line, entry), r)| {
            let r = r
                .into_inner()
                .ok()
                .flatten()
                .unwrap_or_else(|| Err("not checked".into()));
            (shown(req, file, line, entry), r)
        })
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

#[cfg(test)]
mod tests {
    use super::entries;

    #[test]
    fn comments_start_a_line_or_follow_a_space() {
        let text = "# tenants\nmysql://a@h/one   # old host\n\n\tmysql://a:p#w@h/two\n  # off\n";
        assert_eq!(
            entries(text),
            vec![(2, "mysql://a@h/one"), (4, "mysql://a:p#w@h/two")]
        );
    }
}
