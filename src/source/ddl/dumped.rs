//! What a server prints of a table that no CREATE TABLE re-creates: text known to be the
//! server's (a SHOW CREATE TABLE output) holding it has a table canon cannot model
//! faithfully, so it is refused by name instead of read as another. Text people write (and
//! the current side of a case) omits both, meaning what CREATE TABLE makes of them.

use crate::model::{Column, Table};
use crate::sql::quote::ident;

/// Why a table with foreign keys canon gave an index (`implicit`) cannot be re-created as a
/// server printed it, if it gave one: every server prints a foreign key's index, which is
/// missing only when it was dropped under foreign_key_checks=0, and any CREATE TABLE adds it
/// back.
fn foreign_key_without_index(implicit: &[String]) -> Option<(&'static str, String)> {
    implicit.first().map(|index| {
        (
            "foreign key without its index",
            format!(
                "the foreign key's index (canon would add {}) was dropped under foreign_key_checks=0: every CREATE TABLE adds it back, so no DDL re-creates this table as printed",
                ident(index)
            ),
        )
    })
}

/// A nullable column with no default at all, which MariaDB 10.2 and later print without
/// DEFAULT NULL: CREATE TABLE ... SELECT makes them (of information_schema's columns, of MAX
/// of a NOT NULL column), and inserting without a value for one is an error. Generated,
/// AUTO_INCREMENT and row start/end columns print no default either, and are not these.
pub fn without_default(table: &Table) -> Option<&Column> {
    table.columns.iter().find(|c| {
        c.nullable
            && c.default.is_none()
            && c.generated.is_none()
            && !c.auto_increment
            && c.system_time.is_none()
    })
}

/// The refusal of a table MariaDB printed with a nullable column without a default, if it has
/// one: a CREATE TABLE gives such a column DEFAULT NULL.
fn nullable_without_default(table: &Table) -> Option<(&'static str, String)> {
    without_default(table).map(|c| {
        (
            "nullable column without a default",
            format!(
                "column {} of {} is nullable without a default (as CREATE TABLE ... SELECT makes of information_schema's columns, or of MAX of a NOT NULL column): a CREATE TABLE gives such a column DEFAULT NULL, so no DDL re-creates this table as printed",
                ident(&c.name),
                ident(&table.name)
            ),
        )
    })
}

/// Why a table of text known to be the server's cannot be re-created as printed, if so:
/// `implicit` are the (table, index) keys canon gave foreign keys. MySQL prints nullable
/// BLOB and TEXT columns without DEFAULT NULL: only MariaDB's text says "no default".
pub fn printed_refusal(
    implicit: &std::collections::BTreeSet<(String, String)>,
    schema: &crate::model::Schema,
    flavor: crate::flavor::Flavor,
) -> Option<(&'static str, String)> {
    let indexes: Vec<String> = implicit.iter().map(|(_, index)| index.clone()).collect();
    foreign_key_without_index(&indexes).or_else(|| {
        (schema.tables.values())
            .filter(|_| flavor.is_mariadb())
            .find_map(nullable_without_default)
    })
}
