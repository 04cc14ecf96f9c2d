//! Base tables read from the server's own `SHOW CREATE TABLE` text, through the DDL reader
//! (which reads 10.11's printed definitions exactly: `scripts/test-data`). information_schema
//! describes the same tables in more rows and costs the server more; this text is what the
//! server itself holds. A table canon cannot model is reported by name, never guessed.

use crate::flavor::Flavor;
use crate::model::normalize::normalize;
use crate::model::*;
use crate::source::ddl::printed::without_counter;
use crate::source::ddl::{dumped, Loader, SourceKind};

/// What every table is read against: the database's default charset and collation, and
/// whether names are lower case.
#[derive(Clone, Copy)]
pub(super) struct Context<'a> {
    pub charset: &'a Option<String>,
    pub collation: &'a Option<String>,
    pub lower_case_names: bool,
    pub flavor: Flavor,
}

/// The tables read, and the ones canon cannot model with why.
#[derive(Default)]
pub(super) struct Read {
    pub tables: Vec<Table>,
    pub refused: Vec<(String, String)>,
}

/// Each (name, printed text) read, on one worker per core; a text that is exactly canon's
/// rendering of the `known` table of its name is that table. A worker that fails fails the
/// whole read: its tables would otherwise be missing, and planned as new.
pub(super) fn read_all(
    shown: &[(String, String)],
    ctx: Context<'_>,
    known: Option<&Schema>,
) -> Result<Read, String> {
    let verdicts = crate::parallel::map(shown, |(name, text)| {
        rendered_alike(name, text, ctx, known).map_or_else(|| read_one(name, text, ctx), Ok)
    })
    .map_err(|_| "reading the tables failed inside canon (a bug: please report it)")?;
    let mut read = Read::default();
    for ((name, _), verdict) in shown.iter().zip(verdicts) {
        match verdict {
            Ok(t) => read.tables.push(t),
            Err(why) => read.refused.push((name.clone(), why)),
        }
    }
    Ok(read)
}

/// The known table of this name, when canon renders it as the server printed it (but for
/// the AUTO_INCREMENT counter, which is data): the parse of the text would be the same model.
fn rendered_alike(
    name: &str,
    shown: &str,
    ctx: Context<'_>,
    known: Option<&Schema>,
) -> Option<Table> {
    let t = known?.tables.get(&key(name, ctx))?;
    let shown = without_counter(shown);
    let ours = crate::sql::ddl::create_table(t, ctx.flavor);
    (ours == shown).then(|| Table {
        origin: None,
        ..t.clone()
    })
}

/// The table's name as the normalized model keys it.
fn key(name: &str, ctx: Context<'_>) -> String {
    if ctx.lower_case_names {
        name.to_lowercase()
    } else {
        name.to_string()
    }
}

/// One table as canon reads the server's `SHOW CREATE TABLE` text of it, normalized, or why
/// canon cannot model it.
pub(super) fn read_one(name: &str, shown: &str, ctx: Context<'_>) -> Result<Table, String> {
    let mut loader = Loader::new(ctx.flavor);
    loader
        .load_text("SHOW CREATE TABLE", format!("{shown};"), SourceKind::Dump)
        .map_err(|e| format!("canon cannot read its SHOW CREATE TABLE: {e}"))?;
    let loaded = loader.finish();
    if let Some(r) = loaded.unsupported.first() {
        return Err(format!("{}: {}", r.feature, r.reason));
    }
    let mut parsed = loaded.schema;
    // The server printed this text: what no CREATE TABLE re-creates is refused by name.
    if let Some((feature, reason)) =
        dumped::printed_refusal(&loaded.implicit_indexes, &parsed, ctx.flavor)
    {
        return Err(format!("{feature}: {reason}"));
    }
    parsed.charset = ctx.charset.clone();
    parsed.collation = ctx.collation.clone();
    parsed.lower_case_names = ctx.lower_case_names;
    normalize(&mut parsed, ctx.flavor).map_err(|e| e.to_string())?;
    let table = parsed.tables.remove(&key(name, ctx));
    // A live table comes from no file.
    table
        .map(|t| Table { origin: None, ..t })
        .ok_or_else(|| "SHOW CREATE TABLE printed another table".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(charset: &Option<String>) -> Context<'_> {
        Context {
            charset,
            collation: &None,
            lower_case_names: false,
            flavor: Flavor::from_server_version("10.11.9-MariaDB").unwrap(),
        }
    }

    const SHOWN: &str = "CREATE TABLE `t` (\n  `id` int(11) NOT NULL AUTO_INCREMENT,\n  `b` int(11) DEFAULT NULL,\n  PRIMARY KEY (`id`),\n  KEY `z``q` (`b`) USING BTREE\n) ENGINE=InnoDB AUTO_INCREMENT=42 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci";

    #[test]
    fn every_table_is_read_and_the_unreadable_are_named() {
        let utf8mb4 = Some("utf8mb4".to_string());
        let shown = vec![
            ("t".to_string(), SHOWN.to_string()),
            ("u".to_string(), SHOWN.replace("`t`", "`u`")),
            // What only CREATE TABLE ... SELECT makes: no DDL re-creates it as printed.
            (
                "n".to_string(),
                SHOWN
                    .replace("`t`", "`n`")
                    .replace("int(11) DEFAULT NULL", "int(11)"),
            ),
            (
                "x".to_string(),
                "CREATE TABLE `x` (\n  `a` int(11) NOT".to_string(),
            ),
        ];
        let Read {
            tables,
            refused: unsupported,
        } = read_all(&shown, ctx(&utf8mb4), None).unwrap();
        let mut names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
        names.sort();
        assert_eq!(names, ["t", "u"]);
        let t = tables.iter().find(|t| t.name == "t").unwrap();
        let ix = t.index("z`q").unwrap();
        assert_eq!(ix.using, Some(IndexAlgorithm::Btree));
        // The counter is data: the table renders without it.
        let flavor = ctx(&utf8mb4).flavor;
        assert_eq!(
            crate::sql::ddl::create_table(t, flavor),
            SHOWN.replace(" AUTO_INCREMENT=42", "")
        );
        let mut refused: Vec<&str> = unsupported.iter().map(|(n, _)| n.as_str()).collect();
        refused.sort();
        assert_eq!(refused, ["n", "x"]);
        assert!(unsupported
            .iter()
            .any(|(n, why)| n == "n" && why.starts_with("nullable column without a default")));
    }

    #[test]
    fn text_of_another_table_is_not_taken_for_this_one() {
        let verdict = read_one("other", SHOWN, ctx(&None));
        assert_eq!(
            verdict.unwrap_err(),
            "SHOW CREATE TABLE printed another table"
        );
    }
}

#[cfg(test)]
mod known_tests {
    use super::*;

    const SHOWN: &str = "CREATE TABLE `t` (\n  `id` int(11) NOT NULL,\n  `b` varchar(10) DEFAULT 'x',\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB AUTO_INCREMENT=9 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci";

    fn ctx<'a>(charset: &'a Option<String>, collation: &'a Option<String>) -> Context<'a> {
        Context {
            charset,
            collation,
            lower_case_names: false,
            flavor: Flavor::from_server_version("10.11.9-MariaDB").unwrap(),
        }
    }

    /// The canonical side as `check` hands it over: read from a file, normalized.
    fn known(ddl: &str, ctx: Context<'_>) -> Schema {
        let mut loader = Loader::new(ctx.flavor);
        loader
            .load_text("schema/t.sql", ddl.to_string(), SourceKind::Schema)
            .unwrap();
        let mut schema = loader.finish().schema;
        schema.charset = ctx.charset.clone();
        schema.collation = ctx.collation.clone();
        normalize(&mut schema, ctx.flavor).unwrap();
        schema
    }

    #[test]
    fn a_table_printed_as_canon_renders_the_known_one_is_it_and_another_is_parsed() {
        let (cs, coll) = (
            Some("utf8mb4".to_string()),
            Some("utf8mb4_general_ci".to_string()),
        );
        let ctx = ctx(&cs, &coll);
        let same = known(
            "CREATE TABLE t (id int PRIMARY KEY, b varchar(10) DEFAULT 'x');",
            ctx,
        );
        assert!(same.tables["t"].origin.is_some());
        let read = read_all(&[("t".into(), SHOWN.into())], ctx, Some(&same)).unwrap();
        let t = &read.tables[0];
        assert_eq!(t.origin, None, "the live side has no file");
        assert_eq!(
            Table {
                origin: None,
                ..same.tables["t"].clone()
            },
            *t
        );
        // The parse of the text gives the same model: the shortcut changes nothing.
        assert_eq!(read_one("t", SHOWN, ctx).unwrap(), *t);

        // Drift: the server's text is read, not the known table taken.
        let other = known(
            "CREATE TABLE t (id int PRIMARY KEY, b varchar(10) DEFAULT 'y');",
            ctx,
        );
        let read = read_all(&[("t".into(), SHOWN.into())], ctx, Some(&other)).unwrap();
        let b = read.tables[0].column("b").unwrap();
        assert_eq!(
            crate::sql::ddl::create_table(&read.tables[0], ctx.flavor),
            SHOWN.replace(" AUTO_INCREMENT=9", "")
        );
        assert_ne!(Some(b), other.tables["t"].column("b"));
    }
}
