use super::*;
use crate::flavor::Flavor;
use crate::model::normalize::schema_of;

fn schema(ddl: &str) -> Schema {
    schema_of(ddl, Flavor::DEFAULT)
}

const OLD: &str = "CREATE TABLE clients (id int PRIMARY KEY, name varchar(9), mail text);
CREATE TABLE orders (id int PRIMARY KEY, client_id int, KEY k (client_id),
  CONSTRAINT fk FOREIGN KEY (client_id) REFERENCES clients (id));";

const NEW: &str = "-- canon: renamed from clients
CREATE TABLE customers (
  id int PRIMARY KEY,
  full_name varchar(9), -- canon: renamed from name
  -- canon: renamed from mail
  email text
);
CREATE TABLE orders (id int PRIMARY KEY, client_id int, KEY k (client_id),
  CONSTRAINT fk FOREIGN KEY (client_id) REFERENCES customers (id));";

#[test]
fn notes_above_a_definition_or_ending_its_line_are_read() {
    let s = schema(NEW);
    let got: Vec<(String, Option<String>, String)> = s
        .renames
        .iter()
        .map(|r| (r.table.clone(), r.column.clone(), r.from.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("customers".into(), None, "clients".into()),
            ("customers".into(), Some("full_name".into()), "name".into()),
            ("customers".into(), Some("email".into()), "mail".into()),
        ]
    );
    // A note on the line after a column belongs to the next one, not to it.
    let s = schema("CREATE TABLE t (a int,\n  -- canon: renamed from x\n  b int)");
    assert_eq!(s.renames[0].column.as_deref(), Some("b"));
}

#[test]
fn bad_notes_are_errors_at_their_definition() {
    for ddl in [
        "CREATE TABLE t (a int -- canon: renamed from\n)",
        "CREATE TABLE t (a int -- canon: renamed from x keep-compat-view\n)",
        "CREATE TABLE t (a int -- canon: renamed from x soon\n)",
    ] {
        let mut loader = crate::source::ddl::Loader::new(Flavor::DEFAULT);
        let e = loader
            .load_text(
                "t.sql",
                ddl.to_string(),
                crate::source::ddl::SourceKind::Schema,
            )
            .unwrap_err();
        assert!(e.to_string().contains("renamed from"), "{ddl}: {e}");
    }
}

#[test]
fn renames_run_first_and_leave_the_schema_the_notes_describe() {
    let (current, desired) = (schema(OLD), schema(NEW));
    let r = renames(&current, &desired);
    let sql: Vec<String> = r
        .steps
        .iter()
        .map(|s| crate::sql::steps::statement(s, Flavor::DEFAULT))
        .collect();
    assert_eq!(
        sql,
        vec![
            "RENAME TABLE `clients` TO `customers`".to_string(),
            "ALTER TABLE `customers`\n  RENAME COLUMN `name` TO `full_name`,\n  RENAME COLUMN `mail` TO `email`".into(),
        ]
    );
    // The foreign key of `orders` follows the table, as InnoDB does: nothing else differs.
    assert_eq!(crate::diff::diff(&r.schema, &desired), vec![]);
    assert!(r.warnings.is_empty());
    // Once renamed, the notes ask for nothing.
    assert!(renames(&r.schema, &desired).steps.is_empty());
    // Undone: the table first, then its columns under the old table name.
    let mut back = r.schema.clone().into_owned();
    for s in reversed(&r.steps) {
        simulate::apply(&mut back, &s);
    }
    assert_eq!(back.fingerprint(), current.fingerprint());
}

#[test]
fn a_note_whose_old_and_new_names_both_exist_is_not_followed() {
    let both = format!("{OLD}\nCREATE TABLE customers (id int PRIMARY KEY);");
    let current = schema(&both);
    let r = renames(&current, &schema(NEW));
    assert!(r
        .steps
        .iter()
        .all(|s| !matches!(s.action, Action::RenameTable { .. })));
    assert!(
        r.warnings[0].contains("both tables exist"),
        "{:?}",
        r.warnings
    );
}

#[test]
fn drops_and_adds_alike_but_for_the_name_are_pointed_out() {
    let current = schema(
        "CREATE TABLE t (id int PRIMARY KEY, a varchar(5)); CREATE TABLE n (id int PRIMARY KEY)",
    );
    let desired = schema(
        "CREATE TABLE t (id int PRIMARY KEY, b varchar(5)); CREATE TABLE m (id int PRIMARY KEY)",
    );
    let hints = likely(&crate::diff::diff(&current, &desired));
    assert_eq!(hints.len(), 2, "{hints:?}");
    assert!(
        hints[0].contains("`t`.`b` may be `a` renamed")
            && hints[0].contains("-- canon: renamed from a")
    );
    assert!(hints[1].contains("table `m` may be `n` renamed"));
    // Different definitions are not a rename.
    let other = schema(
        "CREATE TABLE t (id int PRIMARY KEY, b varchar(6)); CREATE TABLE n (id int PRIMARY KEY)",
    );
    assert!(likely(&crate::diff::diff(&current, &other)).is_empty());
}

#[test]
fn keep_compat_view_keeps_the_old_names_readable() {
    let s = schema(&NEW.replace(
        "renamed from clients",
        "renamed from clients keep-compat-view",
    ));
    let v = &s.views["clients"];
    assert!(
        v.query.text.contains("`customers`.`full_name` AS `name`")
            && v.query.text.contains("`customers`.`email` AS `mail`"),
        "{}",
        v.query.text
    );
}
