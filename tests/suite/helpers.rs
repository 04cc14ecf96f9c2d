//! Planning against the test server, shared by the suite's modules: load a DDL file or folder
//! into a database, plan canonical DDL against a target, show drift, run `canon check`.

use crate::common::{canon, server};
use canon::PlanRequest;
use std::path::{Path, PathBuf};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Canonical DDL planned against a target (a URL or a file), in the target's flavor.
pub fn plan(
    schema: &Path,
    target: String,
    allow_destructive: bool,
) -> canon::document::PlanDocument {
    plan_as(schema, target, None, allow_destructive)
}

/// Canonical DDL planned against a target, read as `flavor` when given (`--flavor`).
pub fn plan_as(
    schema: &Path,
    target: String,
    flavor: Option<canon::flavor::Flavor>,
    allow_destructive: bool,
) -> canon::document::PlanDocument {
    canon::plan(&PlanRequest {
        schema: vec![schema.to_path_buf()],
        target: Some(target),
        flavor,
        allow_destructive,
        assert_online: false,
        osc: Default::default(),
        history_table: "canon_history".into(),
        ignore: Vec::new(),
        credentials: Default::default(),
        programs: Default::default(),
    })
    .unwrap_or_else(|e| panic!("{}: {:?}", schema.display(), miette::Report::new(e)))
}

/// The differences of a plan, one object a paragraph, for assertion messages.
pub fn drift(doc: &canon::document::PlanDocument) -> String {
    doc.objects
        .iter()
        .map(|o| {
            format!(
                "{}: {}\n  current:   {:?}\n  canonical: {:?}",
                o.object.kind.label(&o.object.name),
                o.details.join(", "),
                o.current,
                o.canonical
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `canon check` of canonical DDL against one of the test server's databases.
pub fn check_live(schema: &str, db: &str) -> std::process::Output {
    canon(&["check", "--schema", schema, "--target", &server().url(db)])
}

/// Run a DDL file, or each file of a folder in name order, on a database.
pub fn load(db: &str, path: &Path) {
    let files: Vec<PathBuf> = if path.is_dir() {
        let mut f: Vec<PathBuf> = std::fs::read_dir(path)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        f.sort();
        f
    } else {
        vec![path.to_path_buf()]
    };
    for f in files {
        let o = server().run_file(db, &f);
        assert!(
            o.status.success(),
            "{} does not load: {}",
            f.display(),
            String::from_utf8_lossy(&o.stderr)
        );
    }
}
