//! Table-driven plan cases: `fixtures/cases/<name>/{current.sql,desired.sql}`.
//!
//! For every case: the plan (with destructive steps allowed) is snapshot-tested as the DBA
//! sees it, the simulation check passes (`plan` refuses to return a plan that fails it),
//! each side planned against itself is empty, and without `--allow-destructive` every
//! destructive change is left out and listed instead.

use canon::flavor::Flavor;
use canon::plan::online::Algorithm;
use canon::plan::Safety;
use canon::render::review;
use canon::PlanRequest;
use std::path::{Path, PathBuf};

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/cases");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("fixtures/cases exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("current.sql").exists())
        .collect();
    dirs.sort();
    assert!(
        dirs.len() >= 15,
        "expected the case fixtures, found {}",
        dirs.len()
    );
    dirs
}

fn rel(p: &Path) -> String {
    p.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap()
        .display()
        .to_string()
}

fn plan(
    current: &Path,
    desired: &Path,
    allow_destructive: bool,
) -> canon::render::document::PlanDocument {
    canon::plan(&PlanRequest {
        schema: vec![PathBuf::from(rel(desired))],
        target: Some(rel(current)),
        flavor: Some(Flavor::DEFAULT),
        allow_destructive,
        assert_online: false,
        osc: Default::default(),
        history_table: "canon_history".into(),
        ignore: Vec::new(),
        credentials: Default::default(),
    })
    .unwrap_or_else(|e| panic!("{}: {e:?}", rel(current)))
}

#[test]
fn every_case_plans_converges_in_simulation_and_matches_its_snapshot() {
    std::env::set_current_dir(env!("CARGO_MANIFEST_DIR")).unwrap();
    for dir in cases() {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let (cur, want) = (dir.join("current.sql"), dir.join("desired.sql"));
        let doc = plan(&cur, &want, true);
        let text = anstream::adapter::strip_str(&review::text(&doc)).to_string();
        insta::with_settings!({snapshot_path => dir.clone(), prepend_module_to_snapshot => false, omit_expression => true}, {
            insta::assert_snapshot!("plan", text);
        });
        assert!(
            doc.left_out.is_empty(),
            "{name}: nothing is left out when destructive steps are allowed"
        );
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

        let safe = plan(&cur, &want, false);
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
            let same = plan(side, side, false);
            assert!(
                same.objects.is_empty() && same.steps.is_empty(),
                "{name}: {} against itself differs",
                rel(side)
            );
        }
    }
}
