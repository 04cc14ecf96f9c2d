use super::*;
use crate::diff::programs::tests::{function, trigger};
use crate::plan::{ObjectRef, Safety};

fn step(action: Action) -> DocStep {
    DocStep {
        id: 1,
        object: ObjectRef {
            kind: ObjectKind::Trigger,
            name: "x".into(),
        },
        summary: Vec::new(),
        safety: Safety::Safe,
        sql: String::new(),
        after: String::new(),
        guard: None,
        privileges: Vec::new(),
        online: None,
        osc: None,
        action: Some(action),
    }
}

fn create(program: Program) -> DocStep {
    step(Action::CreateProgram {
        program,
        replace: false,
        follows: None,
        lock: Vec::new(),
    })
}

const ME: &str = "app@10.0.0.%";
const MARIADB: Flavor = Flavor::DEFAULT;
const BINLOG: Binlog = Binlog {
    on: true,
    trust_function_creators: false,
};

fn mysql() -> Flavor {
    Flavor::from_server_version("8.0.36").unwrap()
}

fn db_only() -> Grants {
    Grants::parse(&["GRANT ALL PRIVILEGES ON `app`.* TO `app`@`10.0.0.%`"])
}

fn with_definer(definer: &str) -> DocStep {
    let mut t = trigger("t_ai", "t", "SET @x = 1");
    t.definer = Some(definer.into());
    create(Program::Trigger(t))
}

#[test]
fn another_definer_needs_set_user_and_oneself_nothing() {
    let steps = [with_definer("report@%"), with_definer("app@10.0.0.%")];
    let l = lacking(&steps, ME, &db_only(), Binlog::default(), MARIADB);
    assert_eq!(
        l,
        [Lack {
            what: "SET USER (or SUPER) on *.*, to write DEFINER=report@%".into(),
            fix: "GRANT SET USER ON *.* TO 'app'@'10.0.0.%';".into(),
        }]
    );
    // The host compares without case, as the server's accounts do.
    let me = lacking(
        &[with_definer("app@LocalHost")],
        "app@localhost",
        &db_only(),
        Binlog::default(),
        MARIADB,
    );
    assert!(me.is_empty(), "{me:?}");
    for held in [
        "GRANT SUPER ON *.* TO `app`@`%`",
        "GRANT SET USER ON *.* TO `app`@`%`",
    ] {
        let g = Grants::parse(&[held]);
        assert!(lacking(&steps, ME, &g, Binlog::default(), MARIADB).is_empty());
    }
    let l = lacking(&steps, ME, &db_only(), Binlog::default(), mysql());
    assert_eq!(l[0].fix, "GRANT SET_USER_ID ON *.* TO 'app'@'10.0.0.%';");
}

#[test]
fn binary_logging_asks_super_for_functions_and_triggers_unless_trusted() {
    let f = [create(Program::Routine(function("f", "RETURN x")))];
    let drop_trigger = step(Action::DropProgram {
        kind: ObjectKind::Trigger,
        name: "t_ai".into(),
    });
    let drop_function = step(Action::DropProgram {
        kind: ObjectKind::Function,
        name: "f".into(),
    });
    for s in [&f[0], &drop_trigger, &with_definer("app@10.0.0.%")] {
        let l = lacking(std::slice::from_ref(s), ME, &db_only(), BINLOG, MARIADB);
        assert_eq!(l.len(), 1, "{l:?}");
        assert!(l[0].what.starts_with("SUPER on *.*: binary logging is on"));
        assert_eq!(
            l[0].fix,
            "GRANT SUPER ON *.* TO 'app'@'10.0.0.%';  -- or: SET GLOBAL log_bin_trust_function_creators = ON;"
        );
    }
    // Dropping a function, and anything with the variable ON or binary logging off: nothing.
    assert!(lacking(&[drop_function], ME, &db_only(), BINLOG, MARIADB).is_empty());
    let trusted = Binlog {
        trust_function_creators: true,
        ..BINLOG
    };
    for b in [trusted, Binlog::default()] {
        assert!(lacking(&f, ME, &db_only(), b, MARIADB).is_empty());
    }
    let super_ = Grants::parse(&["GRANT SUPER ON *.* TO `app`@`%`"]);
    assert!(lacking(&f, ME, &super_, BINLOG, MARIADB).is_empty());
    // SET USER does not lift it on MariaDB (recorded); SET_USER_ID does on MySQL 8.
    let set_user = Grants::parse(&["GRANT SET USER ON *.* TO `app`@`%`"]);
    assert_eq!(lacking(&f, ME, &set_user, BINLOG, MARIADB).len(), 1);
    let set_user_id = Grants::parse(&["GRANT SET_USER_ID ON *.* TO `app`@`%`"]);
    assert!(lacking(&f, ME, &set_user_id, BINLOG, mysql()).is_empty());
    // MySQL's manual asks it to create triggers, not to drop them.
    assert!(lacking(&[drop_trigger], ME, &db_only(), BINLOG, mysql()).is_empty());
}

#[test]
fn a_function_binary_logging_finds_unsafe_needs_the_variable_whatever_the_grants() {
    let mut r = function("f", "RETURN x");
    r.deterministic = false;
    let steps = [create(Program::Routine(r.clone()))];
    let super_ = Grants::parse(&["GRANT SUPER ON *.* TO `app`@`%`"]);
    let l = lacking(&steps, ME, &super_, BINLOG, MARIADB);
    assert_eq!(l.len(), 1, "{l:?}");
    assert!(l[0].what.contains("function `f` has none of DETERMINISTIC"));
    assert_eq!(l[0].fix, "SET GLOBAL log_bin_trust_function_creators = ON;");
    for access in [DataAccess::NoSql, DataAccess::ReadsSqlData] {
        r.data_access = access;
        let steps = [create(Program::Routine(r.clone()))];
        assert!(lacking(&steps, ME, &super_, BINLOG, MARIADB).is_empty());
    }
}

#[test]
fn a_definer_pinned_at_plan_time_holds_only_for_its_account() {
    let steps = [with_definer("app@10.0.0.%")];
    let pinned = Some("app@10.0.0.%");
    assert_eq!(pinned_to_another(pinned, &steps, ME), None);
    assert_eq!(
        pinned_to_another(pinned, &steps, "ops@%"),
        Some("app@10.0.0.%".into())
    );
    // Nothing to define (only drops), or nothing pinned: anyone may apply.
    let drop = step(Action::DropProgram {
        kind: ObjectKind::Event,
        name: "e".into(),
    });
    assert_eq!(pinned_to_another(pinned, &[drop], "ops@%"), None);
    assert_eq!(pinned_to_another(None, &steps, "ops@%"), None);
}
