//! Stored programs (triggers, procedures, functions, events) round trip through the real
//! server: each file of fixtures/programs/ loaded with the `mariadb` client, read back live
//! and through `mariadb-dump --routines --triggers --events`, equals canon's reading of the
//! file, but for what only the server knows (definer and session context, which the diff
//! decides on, and an event's start the file leaves to the server).

use crate::common::server;
use crate::helpers::{load, root};
use canon::model::{Schedule, Schema};
use canon::{load_desired, load_target, Credentials, Side, Target};
use std::path::{Path, PathBuf};

fn program_fixtures() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures/programs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

fn target(arg: &str) -> Side {
    let t = Target::resolve(Some(arg), &Credentials::default()).unwrap();
    load_target(&t, None, "canon_history", &[]).unwrap()
}

/// The programs of a schema, without what the file cannot say: who created them, their
/// session, where they were read, and an event's start where `file` names none.
fn comparable(mut s: Schema, file: &Schema) -> Schema {
    for t in s.triggers.values_mut() {
        (t.definer, t.context, t.origin) = (None, None, None);
    }
    for r in s.procedures.values_mut().chain(s.functions.values_mut()) {
        (r.definer, r.context, r.origin) = (None, None, None);
    }
    for e in s.events.values_mut() {
        (e.definer, e.context, e.origin) = (None, None, None);
        let unsaid = matches!(
            file.events.get(&e.name).map(|f| &f.schedule),
            Some(Schedule::Every { starts: None, .. })
        );
        if let Schedule::Every { starts, .. } = &mut e.schedule {
            if unsaid {
                *starts = None;
            }
        }
    }
    Schema {
        triggers: s.triggers,
        procedures: s.procedures,
        functions: s.functions,
        events: s.events,
        ..Schema::default()
    }
}

fn assert_same(file: &Path, how: &str, read: Schema, canonical: &Schema) {
    let (read, wanted) = (
        comparable(read, canonical),
        comparable(canonical.clone(), canonical),
    );
    assert_eq!(read.triggers, wanted.triggers, "{} {how}", file.display());
    assert_eq!(
        read.procedures,
        wanted.procedures,
        "{} {how}",
        file.display()
    );
    assert_eq!(read.functions, wanted.functions, "{} {how}", file.display());
    assert_eq!(read.events, wanted.events, "{} {how}", file.display());
}

#[test]
fn every_program_round_trips_live_and_through_a_dump() {
    let tmp = tempfile::tempdir().unwrap();
    let mut seen = [0; 4];
    for file in program_fixtures() {
        let db = server().database("prog");
        load(&db, &file);
        let live = target(&server().url(&db));
        let canonical = load_desired(std::slice::from_ref(&file), live.flavor, &live.schema)
            .unwrap()
            .schema;
        // The definer a file names is the one the server keeps.
        for t in canonical.triggers.values().filter(|t| t.definer.is_some()) {
            assert_eq!(live.schema.triggers[&t.name].definer, t.definer);
        }
        assert_same(&file, "live", live.schema, &canonical);
        let dump = server().dump_with(
            &db,
            tmp.path(),
            &[
                "--no-data",
                "--skip-dump-date",
                "--routines",
                "--triggers",
                "--events",
            ],
        );
        let dumped = target(dump.to_str().unwrap());
        // A dump says with which session each program was made.
        for t in dumped.schema.triggers.values() {
            let context = t.context.as_ref().expect("the dump's SET lines");
            assert!(
                context.sql_mode.contains("STRICT_TRANS_TABLES"),
                "{context:?}"
            );
        }
        assert_same(&file, "dumped", dumped.schema, &canonical);
        seen[0] += canonical.triggers.len();
        seen[1] += canonical.procedures.len();
        seen[2] += canonical.functions.len();
        seen[3] += canonical.events.len();
    }
    assert_eq!(
        seen,
        [5, 3, 3, 6],
        "triggers, procedures, functions, events"
    );
}

/// What `canon dump` writes of a database's programs loads into another and reads the same.
#[test]
fn canon_dump_writes_programs_that_load_back() {
    let tmp = tempfile::tempdir().unwrap();
    let db = server().database("progdump");
    for file in program_fixtures() {
        load(&db, &file);
    }
    let out = tmp.path().join("schema");
    let o = crate::common::canon(&[
        "dump",
        "--target",
        &server().url(&db),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", crate::common::out(&o));
    let copy = server().database("progcopy");
    load(&copy, &out.join("tables"));
    for dir in ["procedures", "functions", "events", "triggers"] {
        load(&copy, &out.join(dir));
    }
    let (a, b) = (
        target(&server().url(&db)).schema,
        target(&server().url(&copy)).schema,
    );
    assert_same(&out, "copied", b, &comparable(a.clone(), &a));
    assert_eq!(a.triggers.len(), 5);
}
