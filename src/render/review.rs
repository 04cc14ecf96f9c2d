//! A plan for people: the terminal review, a markdown page and a `mysql` client script.

use crate::document::report::ApplyReport;
use crate::document::{ChangeKind, DocStep, LeftOut, ObjectDiff, PlanDocument};
use crate::plan::{ObjectKind, ObjectRef, Safety};
use crate::sql::steps as sql;
use owo_colors::OwoColorize;
use similar::TextDiff;
use std::fmt::Write;

fn object(o: &ObjectRef) -> String {
    o.kind.label(&o.name)
}

/// Bytes as a person reads them: `812 B`, `12.5 MiB`, `3.1 GiB`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let (mut v, mut unit) = (n as f64, 0);
    while v >= 1024.0 && unit < UNITS.len() - 1 {
        v /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

/// A step's table size as the plan recorded it: `~300000 rows, 12.5 MiB` (InnoDB's row
/// count is an estimate).
pub fn size(doc: &PlanDocument, s: &DocStep) -> Option<String> {
    let t = doc.sizes.get(&s.object.name)?;
    let noun = if t.rows == 1 { "row" } else { "rows" };
    Some(format!(
        "~{} {noun}, {}",
        t.rows,
        bytes(t.data_bytes + t.index_bytes)
    ))
}

/// What an ALTER costs, on one line: `COPY, lock SHARED; 300000 rows, 12.5 MiB; seconds`.
pub fn cost(doc: &PlanDocument, s: &DocStep) -> Option<String> {
    let o = s.online.as_ref()?;
    let mut parts = vec![format!("{}, lock {}", o.algorithm.label(), o.lock.clause())];
    parts.extend(size(doc, s));
    parts.extend(
        o.duration
            .filter(|d| *d != crate::plan::online::DurationClass::Instant)
            .map(|d| d.label().to_string()),
    );
    Some(parts.join("; "))
}

/// Each compatibility view on a line, with what becomes of it in this plan.
pub fn compat_lines(doc: &PlanDocument) -> Vec<String> {
    doc.compat_views
        .iter()
        .map(|c| {
            let fate = match doc
                .steps
                .iter()
                .find(|s| s.object.kind == ObjectKind::View && s.object.name == c.name)
            {
                Some(s) => format!("dropped by step {}", s.id),
                None => "kept (dropping it is destructive: --allow-destructive and an approval)"
                    .to_string(),
            };
            format!("{}; {fate}", super::validation::compat_line(c))
        })
        .collect()
}

/// A change the plan does not make, and why.
fn left_out(l: &LeftOut) -> String {
    format!("{}: {} — {}", object(&l.object), l.summary, l.reason)
}

fn change_word(c: ChangeKind) -> &'static str {
    match c {
        ChangeKind::Create => "missing, will be created",
        ChangeKind::Alter => "differs",
        ChangeKind::Replace => "differs, will be replaced",
        ChangeKind::Drop => "not in the canonical schema",
    }
}

pub fn unified(o: &ObjectDiff) -> String {
    let a = o.current.clone().unwrap_or_default();
    let b = o.canonical.clone().unwrap_or_default();
    let a = if a.is_empty() { a } else { a + "\n" };
    let b = if b.is_empty() { b } else { b + "\n" };
    TextDiff::from_lines(&a, &b)
        .unified_diff()
        .context_radius(2)
        .header("current", "canonical")
        .to_string()
}

fn colored_diff(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.starts_with("+++") || l.starts_with("---") {
                l.bold().to_string()
            } else if l.starts_with('+') {
                l.green().to_string()
            } else if l.starts_with('-') {
                l.red().to_string()
            } else if l.starts_with("@@") {
                l.cyan().to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn safety_tag(s: &Safety) -> String {
    match s {
        Safety::Safe => "safe".green().to_string(),
        Safety::Destructive { .. } => "DESTRUCTIVE".red().bold().to_string(),
    }
}

fn indent(text: &str, by: &str) -> String {
    text.lines()
        .map(|l| format!("{by}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// One line per approval, saying whether it still holds for the plan as it is now.
fn approval_lines(doc: &PlanDocument) -> Vec<String> {
    let digest = doc.digest();
    doc.approvals
        .iter()
        .map(|a| {
            let note = a
                .note
                .as_ref()
                .map(|n| format!(": {n}"))
                .unwrap_or_default();
            let standing = if a.digest == digest {
                String::new()
            } else {
                " (VOID: the plan was edited after this approval)".to_string()
            };
            format!("approved by {} at {}{note}{standing}", a.by, a.at)
        })
        .collect()
}

pub fn summary_line(doc: &PlanDocument) -> String {
    let destructive = doc
        .steps
        .iter()
        .filter(|s| s.safety != Safety::Safe)
        .count();
    let mut s = format!(
        "{} object(s) differ; {} step(s) planned ({} destructive)",
        doc.objects.len(),
        doc.steps.len(),
        destructive
    );
    if !doc.left_out.is_empty() {
        let _ = write!(s, "; {} destructive change(s) left out", doc.left_out.len());
    }
    s
}

/// The terminal review. Colour codes are always written; the output stream strips them
/// where colour is off (not a terminal, NO_COLOR).
pub fn text(doc: &PlanDocument) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} {}", "canon plan".bold(), doc.flavor.dimmed());
    let _ = writeln!(out, "  canonical: {}", doc.source.canonical.join(", "));
    let _ = writeln!(out, "  target:    {}", doc.source.target);
    for w in &doc.warnings {
        let _ = writeln!(out, "  {} {w}", "warning:".yellow().bold());
    }
    if doc.objects.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            "No drift: the target matches the canonical schema.".green()
        );
        return out;
    }
    for o in &doc.objects {
        let _ = writeln!(
            out,
            "\n{} {}",
            format!("── {}", object(&o.object)).bold(),
            format!("({})", change_word(o.change)).dimmed()
        );
        let _ = writeln!(out, "{}", colored_diff(&unified(o)));
    }
    if !doc.steps.is_empty() {
        let _ = writeln!(out, "\n{}", "Steps".bold());
    }
    for s in &doc.steps {
        let _ = writeln!(
            out,
            "\n{:>3}. [{}] {}: {}",
            s.id,
            safety_tag(&s.safety),
            object(&s.object),
            s.summary.join(", ")
        );
        if let Safety::Destructive { reason } = &s.safety {
            let _ = writeln!(out, "     {} {reason}", "why destructive:".red());
        }
        if let (Some(cost), Some(o)) = (cost(doc, s), &s.online) {
            let _ = writeln!(out, "     {} {cost}", "cost:".cyan());
            for why in &o.why {
                let _ = writeln!(out, "       {} {why}", "·".dimmed());
            }
        }
        if let Some(osc) = &s.osc {
            let _ = writeln!(
                out,
                "     {} {}",
                "runs as:".cyan(),
                crate::sql::osc::command_line(osc)
            );
            let _ = writeln!(
                out,
                "       {} a copy kept in sync by triggers, swapped in at the end: writes go on",
                "·".dimmed()
            );
        }
        let _ = writeln!(out, "{};", indent(&s.sql, "     "));
    }
    if !doc.left_out.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            "Left out (destructive; plan again with --allow-destructive to include them)"
                .yellow()
                .bold()
        );
        for l in &doc.left_out {
            let _ = writeln!(out, "  - {}", left_out(l));
        }
    }
    if !doc.compat_views.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            "Compatibility views (live, not in the canonical schema)".bold()
        );
        for line in compat_lines(doc) {
            let _ = writeln!(out, "  - {line}");
        }
    }
    if !doc.approvals.is_empty() {
        let _ = writeln!(out, "\n{}", "Approvals".bold());
    }
    for line in approval_lines(doc) {
        let _ = writeln!(out, "  {line}");
    }
    let _ = writeln!(out, "\n{}", summary_line(doc).bold());
    out
}

pub fn markdown(doc: &PlanDocument) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## canon plan ({})\n", doc.flavor);
    let _ = writeln!(
        out,
        "- canonical: `{}`\n- target: `{}`\n- {}\n",
        doc.source.canonical.join("`, `"),
        doc.source.target,
        summary_line(doc)
    );
    for w in &doc.warnings {
        let _ = writeln!(out, "> **warning:** {w}\n");
    }
    for line in approval_lines(doc) {
        let _ = writeln!(out, "- {line}");
    }
    if doc.objects.is_empty() {
        let _ = writeln!(out, "No drift: the target matches the canonical schema.");
        return out;
    }
    let _ = writeln!(out, "### Differences\n");
    for o in &doc.objects {
        let _ = writeln!(
            out,
            "#### {} ({})\n\n```diff\n{}```\n",
            object(&o.object),
            change_word(o.change),
            unified(o)
        );
    }
    if !doc.steps.is_empty() {
        let _ = writeln!(out, "### Steps\n");
        let _ = writeln!(
            out,
            "| # | object | what | safety | algorithm, lock | table size | duration | why |\n|---|---|---|---|---|---|---|---|"
        );
        for s in &doc.steps {
            let safety = match &s.safety {
                Safety::Safe => "safe".to_string(),
                Safety::Destructive { reason } => format!("**destructive**: {reason}"),
            };
            let (algorithm, duration, why) = match (&s.online, &s.osc) {
                (Some(o), Some(osc)) => (
                    format!("via {}", osc.tool),
                    o.duration.map_or("", |d| d.label()).to_string(),
                    o.why.join("; "),
                ),
                (Some(o), None) => (
                    format!("{}, {}", o.algorithm.label(), o.lock.clause()),
                    o.duration.map_or("", |d| d.label()).to_string(),
                    o.why.join("; "),
                ),
                (None, _) => Default::default(),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                s.id,
                object(&s.object),
                s.summary.join(", "),
                safety,
                algorithm,
                size(doc, s).unwrap_or_default(),
                duration,
                why
            );
        }
        let _ = writeln!(out, "\n```sql");
        for s in &doc.steps {
            let _ = writeln!(out, "-- step {}\n{};\n", s.id, s.sql);
        }
        let _ = writeln!(out, "```");
    }
    if !doc.left_out.is_empty() {
        let _ = writeln!(out, "\n### Left out (destructive)\n");
        for l in &doc.left_out {
            let _ = writeln!(out, "- {}", left_out(l));
        }
    }
    if !doc.compat_views.is_empty() {
        let _ = writeln!(out, "\n### Compatibility views\n");
        for line in compat_lines(doc) {
            let _ = writeln!(out, "- {line}");
        }
    }
    out
}

/// A `-- ` comment line of a script. Names, notes and reasons may hold line breaks (a quoted
/// identifier can): they are shown escaped, so nothing can end the comment and run as SQL.
fn comment(out: &mut String, text: &str) {
    let safe = text
        .replace('\\', "\\\\")
        .replace('\r', "\\r")
        .replace('\n', "\\n");
    let _ = writeln!(out, "-- {safe}");
}

fn script_header(out: &mut String, doc: &PlanDocument, what: &str) {
    comment(
        out,
        &format!("canon {} {what} for {}", doc.canon_version, doc.flavor),
    );
    comment(out, &format!("plan id:   {}", doc.digest()));
    comment(
        out,
        &format!("canonical: {}", doc.source.canonical.join(", ")),
    );
    comment(out, &format!("target:    {}", doc.source.target));
    comment(
        out,
        &format!("current fingerprint:   {}", doc.fingerprints.current),
    );
    comment(
        out,
        &format!("canonical fingerprint: {}", doc.fingerprints.desired),
    );
    for line in approval_lines(doc) {
        comment(out, &line);
    }
    if doc.approvals.is_empty() {
        comment(out, "not approved");
    }
}

/// Each step, guarded where running it twice would fail, so the script is idempotent.
fn script_steps(out: &mut String, doc: &PlanDocument, steps: &[DocStep], destructive_word: &str) {
    out.push('\n');
    comment(
        out,
        "names in backticks, strings with backslash escapes, whatever the server's sql_mode:",
    );
    let _ = writeln!(out, "{};", crate::sql::session::sql_mode_statement());
    for s in steps {
        out.push('\n');
        comment(
            out,
            &format!(
                "step {}: {}: {} ({})",
                s.id,
                object(&s.object),
                s.summary.join(", "),
                match &s.safety {
                    Safety::Safe => "safe".to_string(),
                    Safety::Destructive { reason } => format!("{destructive_word}: {reason}"),
                }
            ),
        );
        if let Some(c) = cost(doc, s) {
            comment(out, &format!("cost: {c}"));
        }
        if let Some(osc) = &s.osc {
            comment(
                out,
                &format!(
                    "canon apply runs this step as: {}",
                    crate::sql::osc::command_line(osc)
                ),
            );
        }
        match &s.guard {
            Some(g) => {
                let _ = writeln!(out, "{}", sql::guarded(&s.sql, g));
            }
            // A program's compound body holds `;`: the client needs another delimiter.
            None if !matches!(
                s.object.kind,
                ObjectKind::Table | ObjectKind::View | ObjectKind::Sequence
            ) =>
            {
                let _ = writeln!(
                    out,
                    "{}",
                    crate::sql::program_steps::script_statement(&s.sql)
                );
            }
            None => {
                let _ = writeln!(out, "{};", s.sql);
            }
        }
    }
}

/// A script for the `mysql` client, with the plan's identity in its header. Each step that
/// would fail when run twice is guarded by an information_schema probe, so the script can be
/// run again after a partial run.
pub fn script(doc: &PlanDocument) -> String {
    let mut out = String::new();
    script_header(&mut out, doc, "plan");
    comment(&mut out, &summary_line(doc));
    for l in &doc.left_out {
        comment(
            &mut out,
            &format!(
                "left out: {} {}: {}",
                object(&l.object),
                l.summary,
                l.reason
            ),
        );
    }
    comment(
        &mut out,
        "idempotent: steps already applied are skipped, so it is safe to run again",
    );
    script_steps(&mut out, doc, &doc.steps, "DESTRUCTIVE");
    out
}

/// The plan's rollback as a `mysql` client script, guarded like the plan's.
pub fn rollback_script(doc: &PlanDocument) -> String {
    let mut out = String::new();
    script_header(&mut out, doc, "rollback");
    let lossy = doc
        .rollback
        .iter()
        .filter(|s| s.safety.is_destructive())
        .count();
    comment(
        &mut out,
        &format!(
            "takes what the plan's steps change back: {} step(s), {lossy} lossy",
            doc.rollback.len()
        ),
    );
    if lossy > 0 {
        comment(
            &mut out,
            "LOSSY steps cannot bring data back (dropped columns or tables, narrowed types):",
        );
        comment(
            &mut out,
            "restore the backup taken before the apply instead when that data matters",
        );
    }
    script_steps(&mut out, doc, &doc.rollback, "LOSSY");
    out
}

/// What `canon apply` did and the validation that followed.
pub fn apply_report(r: &ApplyReport, doc: &PlanDocument) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} plan {} on {}",
        "applied".green().bold(),
        &r.plan_id[..12],
        r.target
    );
    if let Some(b) = &r.backup {
        let _ = writeln!(
            out,
            "  backup:  {} ({} bytes, sha256 {}), verified: complete, and its schema restores identically",
            b.path.display(),
            b.bytes,
            b.sha256
        );
    }
    let secs = r.ran.iter().fold(0.0, |t, (_, s)| t + s);
    let _ = writeln!(
        out,
        "  steps:   {} of {} run now in {secs:.2} s; {} applied before{}",
        r.ran.len(),
        r.total,
        r.already,
        if r.found.is_empty() {
            String::new()
        } else {
            format!(
                "; {} found applied outside canon (steps {:?})",
                r.found.len(),
                r.found
            )
        }
    );
    let _ = writeln!(out, "  history: `{}`", r.history_table);
    for w in &r.warnings {
        let _ = writeln!(out, "  {} {w}", "warning:".yellow().bold());
    }
    let _ = writeln!(out, "\n{}", "Validation".bold());
    let _ = writeln!(
        out,
        "  {} the live schema is the plan's expected result (fingerprint {})",
        "ok".green(),
        &r.fingerprint[..16]
    );
    if r.fingerprint == doc.fingerprints.desired {
        let _ = writeln!(
            out,
            "  {} no drift: the database matches the canonical schema",
            "ok".green()
        );
    } else {
        let _ = writeln!(
            out,
            "  {} {} change(s) the plan left out remain drift:",
            "--".yellow(),
            doc.left_out.len()
        );
        for l in &doc.left_out {
            let _ = writeln!(out, "     - {}", left_out(l));
        }
    }
    out
}

/// The drift a `canon check` reports, as text.
pub fn check_text(doc: &PlanDocument) -> String {
    let mut out = String::new();
    if doc.objects.is_empty() {
        let _ = writeln!(
            out,
            "{} {} matches the canonical schema",
            "ok:".green().bold(),
            doc.source.target
        );
        return out;
    }
    let _ = writeln!(
        out,
        "{} {} has drifted from the canonical schema",
        "drift:".red().bold(),
        doc.source.target
    );
    for o in &doc.objects {
        let _ = writeln!(out, "  {} ({})", object(&o.object), change_word(o.change));
        for d in &o.details {
            let _ = writeln!(out, "    - {d}");
        }
    }
    let _ = writeln!(out, "{} object(s) differ", doc.objects.len());
    out
}
