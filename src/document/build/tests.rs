use super::*;
use crate::model::normalize::schema_of;
use crate::plan::{plan, PlanOptions};
use crate::render::{ci, review};

/// A backtick in a name is doubled wherever an object is named (step summaries, the
/// review, CI reports), so a name cannot close its quotes and forge the rest of a line.
#[test]
fn labels_double_a_backtick_in_the_name() {
    let f = Flavor::DEFAULT;
    let current = schema_of("CREATE TABLE `x``y` (id int)", f);
    let desired = schema_of(
        "CREATE TABLE `a``b` (id int); CREATE VIEW `v``w` AS SELECT 1 AS one",
        f,
    );
    let changes = crate::diff::diff(&current, &desired);
    let opts = PlanOptions {
        allow_destructive: true,
        ..Default::default()
    };
    let p = plan(&current, &desired, &changes, opts).unwrap();
    let ctx = Context {
        flavor: f,
        rollback: None,
        canonical: vec!["schema".into()],
        target: Shown::server("db", 3306, "app"),
        allow_destructive: true,
        ignore: Vec::new(),
        warnings: Vec::new(),
        current: &current,
        renamed: &current,
        desired: &desired,
        sizes: &Sizes::new(),
        assert_online: false,
        osc: &Policy::default(),
    };
    let doc = build(&p, &changes, ctx);
    let summaries: Vec<&str> = doc
        .steps
        .iter()
        .flat_map(|s| &s.summary)
        .map(String::as_str)
        .collect();
    assert_eq!(
        summaries,
        [
            "create table `a``b`",
            "create view `v``w`",
            "drop table `x``y`"
        ]
    );
    for text in [
        review::text(&doc),
        review::check_text(&doc),
        ci::junit(&doc),
        ci::github(&doc),
    ] {
        for label in ["table `a``b`", "view `v``w`", "table `x``y`"] {
            assert!(text.contains(label), "{label} in {text}");
        }
        assert!(!text.contains("`a`b`") && !text.contains("`x`y`"), "{text}");
    }
}
