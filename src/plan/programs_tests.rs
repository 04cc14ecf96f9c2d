use super::*;
use crate::diff::diff;
use crate::diff::programs::tests::{event, function, trigger};
use crate::flavor::Flavor;
use crate::model::normalize::schema_of;
use crate::model::{EventStatus, RoutineKind};
use crate::plan::{plan, rollback, Plan};

fn schema(ddl: &str, with: impl FnOnce(&mut Schema)) -> Schema {
    let mut s = schema_of(ddl, Flavor::DEFAULT);
    with(&mut s);
    s
}

fn planned(current: &Schema, desired: &Schema, allow_destructive: bool) -> Plan {
    plan(
        current,
        desired,
        &diff(current, desired),
        PlanOptions {
            allow_destructive,
            ..Default::default()
        },
    )
    .expect("the plan converges")
}

fn labels(p: &Plan) -> Vec<String> {
    p.steps.iter().map(|s| s.summary.join(", ")).collect()
}

fn sql(p: &Plan) -> Vec<String> {
    let steps = p.steps.iter();
    steps
        .map(|s| crate::sql::steps::statement(s, Flavor::DEFAULT))
        .collect()
}

#[test]
fn routines_before_tables_and_views_triggers_and_events_after() {
    let current = Schema::default();
    let desired = schema(
        "CREATE TABLE t (id int); CREATE TABLE log (id int); CREATE VIEW v AS SELECT f(id) AS x FROM t",
        |s| {
            s.triggers
                .insert("t_ai".into(), trigger("t_ai", "t", "INSERT INTO log VALUES (NEW.id)"));
            s.events.insert("purge".into(), event("purge", "1"));
            s.functions.insert("f".into(), function("f", "RETURN x + 1"));
        },
    );
    let p = planned(&current, &desired, false);
    assert_eq!(
        labels(&p),
        vec![
            "create function `f`",
            "create table `log`",
            "create table `t`",
            "create view `v`",
            "create event `purge`",
            "create trigger `t_ai`",
        ]
    );
    assert!(p.steps.iter().all(|s| !s.safety.is_destructive()));
}

#[test]
fn a_trigger_follows_the_one_before_it() {
    let mut second = trigger("b_second", "t", "SET @b = 1");
    second.action_order = 2;
    let desired = schema("CREATE TABLE t (id int)", |s| {
        s.triggers.insert("b_second".into(), second);
        s.triggers
            .insert("z_first".into(), trigger("z_first", "t", "SET @a = 1"));
    });
    let p = planned(&Schema::default(), &desired, false);
    let statements = sql(&p);
    // Created in their order among the table's triggers, whatever their names.
    assert!(
        statements[1].contains("TRIGGER `z_first`"),
        "{statements:?}"
    );
    assert!(
        statements[2]
            .contains("TRIGGER `b_second` AFTER INSERT ON `t` FOR EACH ROW FOLLOWS `z_first`"),
        "{statements:?}"
    );
}

#[test]
fn drops_are_destructive_with_their_reason_and_wait_for_permission() {
    let current = schema(
        "CREATE TABLE t (id int); CREATE TABLE gone (id int); CREATE VIEW v AS SELECT f(id) AS x FROM t",
        |s| {
            s.triggers
                .insert("gone_ai".into(), trigger("gone_ai", "gone", "SET @a = 1"));
            s.events.insert("purge".into(), event("purge", "1"));
            s.functions.insert("f".into(), function("f", "RETURN x + 1"));
        },
    );
    // The view still calls `f`: the reviewer is told who breaks.
    let desired = schema(
        "CREATE TABLE t (id int); CREATE VIEW v AS SELECT f(id) AS x FROM t",
        |_| {},
    );
    let held = planned(&current, &desired, false);
    assert!(held.steps.is_empty(), "{:?}", labels(&held));
    let reasons: Vec<&str> = held.left_out.iter().map(|l| l.reason.as_str()).collect();
    assert!(
        reasons.contains(&"stops scheduled work: the event no longer runs"),
        "{reasons:?}"
    );
    assert!(
        reasons.contains(
            &"changes what writes do: an INSERT on table `gone` no longer runs it (AFTER each row)"
        ),
        "{reasons:?}"
    );
    assert!(
        reasons.contains(&"code that calls it fails, and so would view `v`"),
        "{reasons:?}"
    );

    let p = planned(&current, &desired, true);
    assert_eq!(
        labels(&p),
        vec![
            "drop trigger `gone_ai`",
            "drop event `purge`",
            "drop table `gone`",
            "drop function `f`",
        ]
    );
    assert!(p.steps.iter().all(|s| s.safety.is_destructive()));
}

#[test]
fn a_changed_program_is_replaced_safely_and_rolled_back_to_its_old_body() {
    let mut disabled = event("purge", "2");
    disabled.status = EventStatus::Disabled;
    let current = schema("CREATE TABLE t (id int)", |s| {
        s.functions
            .insert("f".into(), function("f", "RETURN x + 1"));
        s.events.insert("purge".into(), event("purge", "1"));
    });
    let desired = schema("CREATE TABLE t (id int)", |s| {
        s.functions
            .insert("f".into(), function("f", "RETURN x + 2"));
        s.events.insert("purge".into(), disabled);
    });
    let p = planned(&current, &desired, false);
    assert_eq!(
        labels(&p),
        vec!["replace function `f`", "replace event `purge`"]
    );
    assert!(p.steps.iter().all(|s| !s.safety.is_destructive()));
    let statements = sql(&p);
    assert!(
        statements[0].starts_with("CREATE OR REPLACE FUNCTION `f`(`x` int(11)) RETURNS int(11)"),
        "{statements:?}"
    );
    assert!(statements[0].ends_with("\nRETURN x + 2"), "{statements:?}");
    assert!(
        statements[1].contains("EVERY 2 HOUR ON COMPLETION NOT PRESERVE DISABLE DO\nDELETE FROM t"),
        "{statements:?}"
    );
    let back = rollback(&current, &p, PlanOptions::default()).expect("a rollback");
    let back_sql = sql(&back);
    assert!(back_sql[0].ends_with("\nRETURN x + 1"), "{back_sql:?}");
    assert!(
        back_sql[1].contains("EVERY 1 HOUR ON COMPLETION NOT PRESERVE ENABLE"),
        "{back_sql:?}"
    );
}

#[test]
fn callers_are_found_by_call_not_by_mention() {
    let mut caller = function("g", "RETURN f(x) * 2");
    caller.kind = RoutineKind::Function;
    let s = schema("CREATE TABLE t (id int, f int)", |s| {
        s.functions.insert("g".into(), caller);
        s.procedures.insert("p".into(), {
            let mut p = function("p", "BEGIN CALL `q`; SELECT f FROM t; END");
            p.kind = RoutineKind::Procedure;
            p
        });
    });
    assert_eq!(callers(&s, ObjectKind::Function, "f"), vec!["function `g`"]);
    assert_eq!(
        callers(&s, ObjectKind::Procedure, "q"),
        vec!["procedure `p`"]
    );
    assert!(callers(&s, ObjectKind::Function, "id").is_empty());
}

#[test]
fn a_compound_body_gets_a_delimiter_in_the_script() {
    use crate::sql::program_steps::script_statement;
    assert_eq!(
        script_statement("DROP TRIGGER IF EXISTS `a`"),
        "DROP TRIGGER IF EXISTS `a`;"
    );
    assert_eq!(
        script_statement("CREATE PROCEDURE p() BEGIN SELECT 1; END"),
        "DELIMITER ;;\nCREATE PROCEDURE p() BEGIN SELECT 1; END\n;;\nDELIMITER ;"
    );
}

#[test]
fn a_managed_context_sets_the_sql_mode_of_the_statement() {
    let mut t = trigger("t_bi", "t", "SET NEW.n = 1");
    t.context = Some(crate::model::Context {
        sql_mode: "ANSI_QUOTES".into(),
        ..Default::default()
    });
    let desired = schema("CREATE TABLE t (id int, n int)", |s| {
        s.triggers.insert("t_bi".into(), t);
    });
    let p = planned(
        &schema("CREATE TABLE t (id int, n int)", |_| {}),
        &desired,
        false,
    );
    // MariaDB 10.11 keeps ANSI_QUOTES as the trigger's SQL_MODE when created this way.
    assert!(
        sql(&p)[0].starts_with(
            "SET STATEMENT sql_mode = 'ANSI_QUOTES' FOR CREATE OR REPLACE TRIGGER `t_bi`"
        ),
        "{:?}",
        sql(&p)
    );
}

/// MySQL 8 (no server here: the forms follow its 8.0 manual) replaces by `DROP ... IF EXISTS`
/// + `CREATE`; a trigger's pair runs under `LOCK TABLES ... WRITE` when asked, both ways.
#[test]
fn mysql_replaces_by_drop_and_create_and_can_lock_a_triggers_table_meanwhile() {
    let mysql = Flavor::from_server_version("8.0.36").unwrap();
    let tables = "CREATE TABLE t (id int); CREATE TABLE log (id int)";
    let current = schema(tables, |s| {
        s.triggers.insert(
            "t_ai".into(),
            trigger("t_ai", "t", "INSERT INTO log VALUES (1)"),
        );
        s.functions
            .insert("f".into(), function("f", "RETURN x + 1"));
    });
    let desired = schema(tables, |s| {
        s.triggers.insert(
            "t_ai".into(),
            trigger("t_ai", "t", "INSERT INTO log VALUES (2)"),
        );
        s.functions
            .insert("f".into(), function("f", "RETURN x + 2"));
    });
    let opts = PlanOptions {
        allow_destructive: false,
        lock_triggers: true,
    };
    let p = plan(&current, &desired, &diff(&current, &desired), opts).unwrap();
    let statements: Vec<String> = (p.steps.iter())
        .map(|s| crate::sql::steps::statement(s, mysql))
        .collect();
    assert!(
        statements[0].starts_with("DROP FUNCTION IF EXISTS `f`;\nCREATE FUNCTION `f`(`x` int(11))"),
        "{statements:?}"
    );
    assert_eq!(
        statements[1],
        "LOCK TABLES `t` WRITE;\nDROP TRIGGER IF EXISTS `t_ai`;\nCREATE TRIGGER `t_ai` AFTER INSERT ON `t` FOR EACH ROW\nINSERT INTO log VALUES (2);\nUNLOCK TABLES"
    );
    use crate::plan::privileges::{needed, Privilege};
    assert_eq!(
        needed(&p.steps[1]),
        [Privilege::Select, Privilege::Trigger, Privilege::LockTables]
    );
    let warnings = swap_warnings(&p.steps, mysql);
    assert_eq!(warnings, ["step 2: MySQL has no CREATE OR REPLACE TRIGGER: trigger `t_ai` is dropped, then created under LOCK TABLES ... WRITE: writes to table `t` wait for both"]);
    assert!(swap_warnings(&p.steps, Flavor::DEFAULT).is_empty());
    // The rollback puts the old body back the same way.
    let back = rollback(&current, &p, opts).expect("a rollback");
    let back_sql = crate::sql::steps::statement(&back.steps[1], mysql);
    assert!(back_sql.starts_with("LOCK TABLES `t` WRITE;\nDROP TRIGGER IF EXISTS `t_ai`;"));
    assert!(
        back_sql.ends_with("VALUES (1);\nUNLOCK TABLES"),
        "{back_sql}"
    );

    // Unlocked (the default), the review names the window; a trigger moved to another table
    // locks both when locked.
    let unlocked = planned(&current, &desired, false);
    let w = swap_warnings(&unlocked.steps, mysql);
    assert!(w[0].ends_with("writes to table `t` in between run without it (`programs.trigger_swap: locked` holds the table under LOCK TABLES ... WRITE meanwhile)"), "{w:?}");
    assert!(crate::sql::steps::statement(&unlocked.steps[1], mysql).starts_with("DROP TRIGGER"));
    let moved = schema(tables, |s| {
        s.triggers
            .insert("t_ai".into(), trigger("t_ai", "log", "SET @x = 1"));
    });
    let p = plan(&current, &moved, &diff(&current, &moved), opts).unwrap();
    let step = p
        .steps
        .iter()
        .find(|s| s.object.kind == ObjectKind::Trigger)
        .unwrap();
    assert!(crate::sql::steps::statement(step, mysql)
        .starts_with("LOCK TABLES `t` WRITE, `log` WRITE;"));
}
