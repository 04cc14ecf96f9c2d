//! The plan cases: `fixtures/cases/<name>/` holds `current.sql`, `desired.sql` and `case.toml`
//! (how the case is planned), with the snapshots of its plan: the review the DBA reads
//! (`plan.snap`), the SQL script (`script.snap`) and the JSON document (`json.snap`).
//!
//! Each case is three tests named after its folder (`-` read as `_`), so that one fails alone
//! and runs alone (`cargo test --test suite -- partitions`):
//! - `cases::plans::<name>`, file against file: the snapshots; the simulation check passes
//!   (`plan` refuses to return a plan that fails it); each side planned against itself is
//!   empty; without `--allow-destructive` every destructive change is left out and listed;
//! - `cases::converges::<name>`, on the test server: half the script, the whole script twice,
//!   the rollback twice, each landing on the plan's checkpoints;
//! - `cases::safe_plan_runs::<name>`, on the test server: the plan without destructive steps.
//!
//! The list below names every case; `every_case_folder_is_listed` fails for a folder missing
//! from it, so no case goes untested.

use crate::common::{out, server};
use crate::helpers::{check_live, drift, load, plan as plan_live, plan_as, root};
use canon::plan::online::Algorithm;
use canon::plan::Safety;
use canon::render::review;
use std::path::{Path, PathBuf};

macro_rules! cases {
    ($($name:ident)*) => {
        const LISTED: &[&str] = &[$(stringify!($name)),*];
        mod plans { $(#[test] fn $name() { super::plans(stringify!($name)) })* }
        mod converges { $(#[test] fn $name() { super::converges(stringify!($name)) })* }
        mod safe_plan_runs { $(#[test] fn $name() { super::safe_plan_runs(stringify!($name)) })* }
    };
}

cases! {
    add_columns_in_place
    add_missing_tables
    add_primary_key
    change_primary_key
    check_constraints
    collation_fixes
    defaults_and_generated
    drop_column_and_index
    drop_referenced_column
    drop_table_destructive
    drop_table_holding_retyped_key
    engine_attributes
    events
    engine_change_and_foreign_keys
    foreign_key_changes
    foreign_key_cycle
    generated_column_kinds
    index_changes
    move_column
    narrow_and_move_tied_columns
    narrowing_changes
    no_drift
    online_rules
    outbox_trigger
    partitions
    rename_with_notes
    routines
    sequence_defaults
    sequences
    session_charsets
    subpartitions
    system_versioning
    table_options
    triggers
    unnamed_foreign_key_readded
    views
    widen_id_with_foreign_keys
    widening_changes
}

/// A case's `case.toml`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Case {
    /// The flavor the two files are read as (`canon plan --flavor`); on the server, the
    /// server's own.
    flavor: String,
    /// Whether the plan of record (the snapshots, the convergence on the server) includes
    /// destructive steps (`--allow-destructive`).
    allow_destructive: bool,
    /// Whether `live::online_predictions_are_what_the_server_does` runs each ALTER of the
    /// plan with its predicted ALGORITHM and LOCK, and the next better ones to be refused.
    check_online: bool,
}

/// The case's folder and its `case.toml`.
fn case(name: &str) -> (PathBuf, Case) {
    let dir = root().join("fixtures/cases").join(name.replace('_', "-"));
    let file = dir.join("case.toml");
    let text = std::fs::read_to_string(&file)
        .unwrap_or_else(|e| panic!("{}: {e} (every case has one)", file.display()));
    let case = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    (dir, case)
}

/// The cases whose online predictions are checked on the server: name and folder.
pub fn checked_online() -> Vec<(&'static str, PathBuf)> {
    LISTED
        .iter()
        .map(|name| (*name, case(name)))
        .filter(|(_, (_, case))| case.check_online)
        .map(|(name, (dir, _))| (name, dir))
        .collect()
}

#[test]
fn every_case_folder_is_listed() {
    let folders: Vec<String> = std::fs::read_dir(root().join("fixtures/cases"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().replace('-', "_"))
        .collect();
    let unlisted: Vec<_> = folders
        .iter()
        .filter(|f| !LISTED.contains(&f.as_str()))
        .collect();
    assert!(
        unlisted.is_empty(),
        "fixtures/cases has folders no test runs: add {unlisted:?} to `cases!` in {}",
        file!()
    );
    let gone: Vec<_> = LISTED
        .iter()
        .filter(|l| !folders.iter().any(|f| f == *l))
        .collect();
    assert!(gone.is_empty(), "listed cases without a folder: {gone:?}");
}

/// A path relative to the repository, as the plan document shows it.
fn rel(p: &Path) -> String {
    p.strip_prefix(root()).unwrap().display().to_string()
}

/// A file planned against a file, as `canon plan --flavor ... --schema desired --target current`.
fn plan_files(
    current: &Path,
    desired: &Path,
    case: &Case,
    allow_destructive: bool,
) -> canon::document::PlanDocument {
    let flavor = case.flavor.parse().expect("a flavor canon knows");
    plan_as(
        Path::new(&rel(desired)),
        rel(current),
        Some(flavor),
        allow_destructive,
    )
}

fn plans(name: &str) {
    // The documents name the files relative to the repository, as a DBA's command line would.
    std::env::set_current_dir(root()).unwrap();
    let (dir, case) = case(name);
    let (cur, want) = (dir.join("current.sql"), dir.join("desired.sql"));
    let doc = plan_files(&cur, &want, &case, case.allow_destructive);
    let text = anstream::adapter::strip_str(&review::text(&doc)).to_string();
    // As `canon plan --format sql` and `--format json` print them, but for canon's version,
    // left out so that a release does not rewrite every snapshot.
    let version = env!("CARGO_PKG_VERSION");
    let script = review::script(&doc).replacen(
        &format!("-- canon {version} plan"),
        "-- canon [version] plan",
        1,
    );
    let json = serde_json::to_string_pretty(&doc).unwrap().replacen(
        &format!("\"canon_version\": \"{version}\""),
        "\"canon_version\": \"[version]\"",
        1,
    );
    // An expression's comparison key, with its internal markers, is canon's own: never output.
    assert!(
        !json.contains("\\u0000") && !json.contains("\\\"key\\\":"),
        "{name}: an expression's key in the plan JSON"
    );
    insta::with_settings!({snapshot_path => dir.clone(), prepend_module_to_snapshot => false, omit_expression => true}, {
        insta::assert_snapshot!("plan", text);
        insta::assert_snapshot!("script", script);
        insta::assert_snapshot!("json", json);
    });
    if case.allow_destructive {
        assert!(
            doc.left_out.is_empty(),
            "{name}: nothing is left out when destructive steps are allowed"
        );
    }
    // Each table is rebuilt (in place or by copy) by one step at most.
    let mut rebuilds = std::collections::BTreeMap::<&str, usize>::new();
    for s in &doc.steps {
        if s.online
            .as_ref()
            .is_some_and(|o| matches!(o.algorithm, Algorithm::Rebuild | Algorithm::Copy))
        {
            *rebuilds.entry(s.object.name.as_str()).or_default() += 1;
        }
    }
    let twice: Vec<_> = rebuilds.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        twice.is_empty(),
        "{name}: tables rebuilt more than once: {twice:?}"
    );
    // Checkpoints: the plan ends at the canonical schema, its rollback back at the start.
    assert_eq!(
        doc.steps.last().map(|s| &s.after),
        (!doc.steps.is_empty()).then_some(&doc.fingerprints.desired),
        "{name}: the last step's checkpoint is the canonical fingerprint"
    );
    assert!(
        doc.warnings.iter().all(|w| !w.contains("no rollback")),
        "{name}: {:?}",
        doc.warnings
    );
    assert_eq!(
        doc.rollback.last().map(|s| &s.after),
        (!doc.steps.is_empty()).then_some(&doc.fingerprints.current),
        "{name}: the rollback ends where the plan started"
    );

    let safe = plan_files(&cur, &want, &case, false);
    assert!(
        safe.steps.iter().all(|s| s.safety == Safety::Safe),
        "{name}: a plan without --allow-destructive has only safe steps"
    );
    let destructive = doc
        .steps
        .iter()
        .filter(|s| s.safety != Safety::Safe)
        .count();
    assert_eq!(
        destructive > 0,
        !safe.left_out.is_empty(),
        "{name}: destructive changes are listed as left out"
    );

    for side in [&cur, &want] {
        let same = plan_files(side, side, &case, false);
        assert!(
            same.objects.is_empty() && same.steps.is_empty(),
            "{name}: {} against itself differs",
            rel(side)
        );
    }
}

fn converges(name: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, case) = case(name);
    let destructive = case.allow_destructive;
    let (current, desired) = (dir.join("current.sql"), dir.join("desired.sql"));
    let db = server().database("conv");
    load(&db, &current);
    let doc = plan_live(&desired, server().url(&db), destructive);
    let script_text = review::script(&doc);
    // A partial run first (the steps up to half way), as when a DBA's session dies.
    let half = doc.steps.len() / 2;
    let cut = script_text
        .find(&format!("\n-- step {}:", half + 1))
        .unwrap_or(script_text.len());
    let run = |label: &str, text: &str| {
        let file = tmp.path().join(format!("{name}-{label}.sql"));
        std::fs::write(&file, text).unwrap();
        let applied = server().run_file(&db, &file);
        assert!(
            applied.status.success(),
            "{name}: the {label} script fails on the server: {}",
            String::from_utf8_lossy(&applied.stderr)
        );
        plan_live(&desired, server().url(&db), destructive)
    };
    let partial = run("partial", &script_text[..cut]);
    if half > 0 {
        assert_eq!(
            partial.fingerprints.current,
            doc.steps[half - 1].after,
            "{name}: the server after step {half} is not the plan's checkpoint"
        );
    }
    run("whole", &script_text);
    // Idempotent: the whole script again, after it has run, changes nothing.
    let again = run("again", &script_text);
    assert!(
        again.objects.is_empty(),
        "{name}: drift after applying the plan:\n{}",
        drift(&again)
    );
    if let Some(last) = doc.steps.last() {
        assert_eq!(
            again.fingerprints.current, last.after,
            "{name}: final checkpoint"
        );
    }
    let direct = server().database("direct");
    load(&direct, &desired);
    assert_eq!(
        server().show_create_all(&db),
        server().show_create_all(&direct),
        "{name}: SHOW CREATE TABLE differs from loading desired.sql"
    );
    let check = check_live(desired.to_str().unwrap(), &db);
    assert_eq!(check.status.code(), Some(0), "{name}: {}", out(&check));

    // The rollback script, twice, takes the database back to where it started.
    let back = review::rollback_script(&doc);
    run("rollback", &back);
    let undone = run("rollback-again", &back);
    assert_eq!(
        undone.fingerprints.current,
        doc.fingerprints.current,
        "{name}: the rollback does not return to the starting schema:\n{}",
        drift(&plan_live(&current, server().url(&db), destructive))
    );
}

/// Without `--allow-destructive` the plan is only what is safe: the server must take it too,
/// and afterwards only the left-out changes remain.
fn safe_plan_runs(name: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, _) = case(name);
    let desired = dir.join("desired.sql");
    let db = server().database("safe");
    load(&db, &dir.join("current.sql"));
    let doc = plan_live(&desired, server().url(&db), false);
    let file = tmp.path().join(format!("{name}-safe.sql"));
    std::fs::write(&file, review::script(&doc)).unwrap();
    let applied = server().run_file(&db, &file);
    assert!(
        applied.status.success(),
        "{name}: the safe script fails on the server: {}",
        String::from_utf8_lossy(&applied.stderr)
    );
    let after = plan_live(&desired, server().url(&db), false);
    assert!(
        after.steps.is_empty() && after.left_out == doc.left_out,
        "{name}: after the safe plan: {} step(s), left out {:?} (was {:?})",
        after.steps.len(),
        after.left_out,
        doc.left_out
    );
}
