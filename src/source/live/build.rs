//! A live database read into the schema model. Base tables come from the server's own
//! `SHOW CREATE TABLE` text (tables.rs), which holds everything information_schema says of
//! them and what it leaves out (key order, `USING`, COMPRESSED columns, engine options as
//! printed, partitioning, periods). information_schema is asked only for what that text
//! lacks: which tables there are and their sizes, views' metadata, and stored programs.

use super::programs::{add_programs, ProgramRows};
use super::record::{must, MissingColumn, Record};
use super::views::view;
use super::{bounded, ConnSpec, Introspected, LiveError};
use crate::flavor::Flavor;
use crate::model::normalize::normalize;
use crate::model::*;
use crate::source::Shown;
use crate::sqlexpr;
use mysql_async::prelude::Queryable;
use mysql_async::{Conn, Row};

fn unreadable(target: &Shown, what: String, reason: String) -> LiveError {
    LiveError::Unreadable {
        target: target.clone(),
        what,
        reason,
    }
}

struct Ctx<'a> {
    target: Shown,
    spec: &'a ConnSpec,
}

impl Ctx<'_> {
    async fn rows(
        &self,
        conn: &mut Conn,
        what: &str,
        sql: &str,
        params: usize,
    ) -> Result<Vec<Row>, LiveError> {
        let args: Vec<String> = vec![self.spec.database.clone(); params];
        bounded(self.spec, what, conn.exec(sql, args)).await
    }
}

/// Introspection never writes: each connection reads in a read-only transaction.
async fn read_only(conn: &mut Conn, ctx: &Ctx<'_>) -> Result<(), LiveError> {
    for stmt in [
        "SET SESSION TRANSACTION READ ONLY",
        "START TRANSACTION WITH CONSISTENT SNAPSHOT",
    ] {
        bounded(ctx.spec, stmt, conn.query_drop(stmt)).await?;
    }
    Ok(())
}

/// `SHOW CREATE TABLE` (or `kind` SEQUENCE) of each named table: what canon reads them from.
async fn show_create(
    conn: &mut Conn,
    ctx: &Ctx<'_>,
    kind: &str,
    names: &[String],
) -> Result<Vec<(String, String)>, LiveError> {
    // Many statements a round trip: thousands of round trips cost both sides more CPU than
    // the statements themselves.
    const BATCH: usize = 64;
    let mut out = Vec::with_capacity(names.len());
    for batch in names.chunks(BATCH) {
        let sql = crate::sql::session::show_create(kind, batch);
        let what = format!(
            "SHOW CREATE {kind} `{}` and the {} after it",
            batch[0],
            batch.len() - 1
        );
        let texts = bounded(ctx.spec, &what, async {
            let mut result = conn.query_iter(sql).await?;
            let mut texts = Vec::with_capacity(batch.len());
            while !result.is_empty() {
                let rows: Vec<(String, String)> = result.collect().await?;
                texts.push(
                    rows.into_iter()
                        .next()
                        .map(|(_, create)| create)
                        .unwrap_or_default(),
                );
            }
            Ok(texts)
        })
        .await?;
        out.extend(batch.iter().cloned().zip(texts));
    }
    Ok(out)
}

/// information_schema.VIEWS, per flavor: MySQL names some columns differently.
fn views_query(flavor: Flavor) -> &'static str {
    if flavor.is_mariadb() {
        include_str!("queries/views.sql")
    } else {
        include_str!("queries/views_mysql.sql")
    }
}

/// The server's flavor, from the answer of `server.sql`.
pub(super) fn flavor_of(server: &impl Record, target: &Shown) -> Result<Flavor, LiveError> {
    let version = must(server, "version")?;
    Flavor::from_server_version(&version).map_err(|source| LiveError::Unsupported {
        target: target.clone(),
        version,
        source,
    })
}

/// The names of one kind of table (`BASE TABLE`, `SEQUENCE`) among the answer of `tables.sql`.
pub(super) fn tables_of<R: Record>(tables: &[R], kind: &str) -> Result<Vec<String>, MissingColumn> {
    let mut names = Vec::new();
    for r in tables {
        if must(r, "type")? == kind {
            names.push(must(r, "name")?);
        }
    }
    Ok(names)
}

/// Every answer introspection reads, before it becomes model.
pub(super) struct Answers<R> {
    pub server: R,
    pub schema: R,
    /// Every table's name, kind and size.
    pub tables: Vec<R>,
    pub views: Vec<R>,
    pub programs: ProgramRows<R>,
    /// `SHOW CREATE TABLE` of each base table: what canon reads them from.
    pub shown: Vec<(String, String)>,
    /// `SHOW CREATE SEQUENCE` of each sequence (10.11 has no information_schema.SEQUENCES).
    pub sequences: Vec<(String, String)>,
}

/// Read the spec's database over three connections at once (the server answers them on
/// its own cores): base tables from their `SHOW CREATE TABLE`, information_schema only for
/// what that text lacks (kinds, sizes, views' metadata, stored programs). Reads on different
/// connections need not see one instant; each table is read whole from one statement.
pub async fn read(conns: &mut [Conn; 3], spec: &ConnSpec) -> Result<Answered, LiveError> {
    let ctx = Ctx {
        target: spec.label(),
        spec,
    };
    let [a, b, c] = conns;
    let server = ctx
        .rows(
            a,
            "reading the server version",
            include_str!("queries/server.sql"),
            0,
        )
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| unreadable(&ctx.target, "the server version".into(), "no row".into()))?;
    let flavor = flavor_of(&server, &ctx.target)?;
    for conn in [&mut *a, &mut *b, &mut *c] {
        read_only(conn, &ctx).await?;
    }
    let mariadb = flavor.is_mariadb();
    let aria_checksums_off = mariadb
        && ctx
            .rows(
                a,
                "reading aria_page_checksum",
                include_str!("queries/aria.sql"),
                0,
            )
            .await?
            .first()
            .map(|r| r.field("aria_page_checksum"))
            .transpose()?
            .flatten()
            .is_some_and(|v| v == "0");
    let Some(schema) = ctx
        .rows(
            a,
            "reading the database",
            include_str!("queries/schema.sql"),
            1,
        )
        .await?
        .into_iter()
        .next()
    else {
        return Err(LiveError::UnknownDatabase {
            database: spec.database.clone(),
            target: ctx.target.clone(),
        });
    };
    let tables = ctx
        .rows(a, "reading tables", include_str!("queries/tables.sql"), 1)
        .await?;
    let mut names = tables_of(&tables, "BASE TABLE")?;
    names.extend(tables_of(&tables, "SYSTEM VERSIONED")?);
    let sequence_names = tables_of(&tables, "SEQUENCE")?;
    // The third connection reads the small answers first, then a smaller share of tables.
    let (first, rest) = names.split_at(names.len() * 2 / 5);
    let (second, third) = rest.split_at(rest.len() * 2 / 3);
    let ((shown_1, shown_2), (views, programs, sequences, shown_3)) = tokio::try_join!(
        async {
            tokio::try_join!(
                show_create(a, &ctx, "TABLE", first),
                show_create(b, &ctx, "TABLE", second)
            )
        },
        async {
            let views = ctx.rows(c, "reading views", views_query(flavor), 1).await?;
            let programs = ProgramRows {
                triggers: ctx
                    .rows(
                        c,
                        "reading triggers",
                        include_str!("queries/triggers.sql"),
                        1,
                    )
                    .await?,
                routines: ctx
                    .rows(
                        c,
                        "reading routines",
                        include_str!("queries/routines.sql"),
                        1,
                    )
                    .await?,
                parameters: ctx
                    .rows(
                        c,
                        "reading routine parameters",
                        include_str!("queries/parameters.sql"),
                        1,
                    )
                    .await?,
                events: ctx
                    .rows(c, "reading events", include_str!("queries/events.sql"), 1)
                    .await?,
            };
            let sequences = show_create(c, &ctx, "SEQUENCE", &sequence_names).await?;
            Ok::<_, LiveError>((
                views,
                programs,
                sequences,
                show_create(c, &ctx, "TABLE", third).await?,
            ))
        },
    )?;
    if let Some(what) = super::hidden::hidden(&views)? {
        return Err(LiveError::Hidden {
            target: ctx.target,
            user: spec.user.clone(),
            database: spec.database.clone(),
            what,
        });
    }
    let mut shown = shown_1;
    shown.extend(shown_2);
    shown.extend(shown_3);
    let answers = Answers {
        server,
        schema,
        tables,
        views,
        programs,
        shown,
        sequences,
    };
    Ok(Answered {
        answers,
        flavor,
        database: spec.database.clone(),
        target: ctx.target,
        aria_checksums_off,
    })
}

/// A database's answers, read and not yet model: the canonical side can be made model
/// against its defaults meanwhile, and then help read its tables ([`Answered::assemble`]).
pub struct Answered {
    answers: Answers<Row>,
    pub flavor: Flavor,
    database: String,
    target: Shown,
    aria_checksums_off: bool,
}

impl Answered {
    /// The database's defaults, as a schema without objects: what a canonical side is
    /// normalized against.
    pub fn defaults(&self) -> Result<Schema, LiveError> {
        defaults(&self.answers, self.aria_checksums_off)
    }

    /// The answers made model. A table whose printed text is exactly canon's rendering of
    /// the `known` table of its name (the canonical side, normalized against
    /// [`Answered::defaults`]) is that table, without parsing the text: canon's reader and
    /// renderer round-trip the server's text, so parsing would give the same model.
    pub fn assemble(self, known: Option<&Schema>) -> Result<Introspected, LiveError> {
        let mut read = assemble(
            self.answers,
            self.flavor,
            &self.database,
            self.target,
            known,
        )?;
        read.schema.aria_checksums_off = self.aria_checksums_off;
        Ok(read)
    }
}

/// The database's defaults from its answers.
fn defaults<R: Record>(
    answers: &Answers<R>,
    aria_checksums_off: bool,
) -> Result<Schema, LiveError> {
    Ok(Schema {
        charset: answers.schema.field("charset")?,
        collation: answers.schema.field("collation")?,
        lower_case_names: must(&answers.server, "lower_case_table_names")? != "0",
        aria_checksums_off,
        ..Schema::default()
    })
}

/// The answers made model, normalized; tables printed as canon renders a `known` one are it.
pub(super) fn assemble<R: Record>(
    answers: Answers<R>,
    flavor: Flavor,
    database: &str,
    target: Shown,
    known: Option<&Schema>,
) -> Result<Introspected, LiveError> {
    let mut schema = defaults(&answers, false)?;
    let Answers {
        server,
        tables,
        views,
        programs,
        shown,
        sequences,
        ..
    } = answers;
    let user = server.cell("reader").flatten();
    // Keyed as the normalized model will name the tables.
    let lower = schema.lower_case_names;
    let key = |n: String| if lower { n.to_lowercase() } else { n };

    let mut unsupported = Vec::new();
    let mut sizes = Sizes::new();
    for row in &tables {
        if !matches!(
            must(row, "type")?.as_str(),
            "BASE TABLE" | "SYSTEM VERSIONED"
        ) {
            continue;
        }
        let num = |col: &str| -> Result<u64, MissingColumn> {
            Ok(row.field(col)?.and_then(|v| v.parse().ok()).unwrap_or(0))
        };
        sizes.insert(
            key(must(row, "name")?),
            TableSize {
                rows: num("table_rows")?,
                data_bytes: num("data_bytes")?,
                index_bytes: num("index_bytes")?,
            },
        );
    }
    drop(tables);
    for row in &views {
        let name = must(row, "name")?;
        let definition = match sqlexpr::strip_schema(&must(row, "definition")?, database) {
            Ok(d) => d,
            Err(e) => {
                unsupported.push((name, format!("canon cannot read the view's query: {e}")));
                continue;
            }
        };
        schema
            .views
            .insert(name.clone(), view(row, name, definition)?);
    }
    for (name, text) in sequences {
        match crate::source::ddl::sequence::from_shown(&text) {
            Ok(s) => {
                schema.sequences.insert(key(name), s);
            }
            Err(why) => unsupported.push((key(name), why)),
        }
    }
    let hidden = add_programs(&mut schema, &programs)?;
    if !hidden.is_empty() {
        let names: Vec<String> = hidden.iter().map(|(k, n)| format!("{k} `{n}`")).collect();
        return Err(unreadable(
            &target,
            format!("the body of {}", names.join(", ")),
            "the server hides it from this user: grant SELECT ON mysql.proc (MariaDB) or SHOW_ROUTINE (MySQL 8.0.20+), see docs/live-servers.md".into(),
        ));
    }
    drop((views, programs));
    normalize(&mut schema, flavor)
        .map_err(|e| unreadable(&target, "the schema".into(), e.to_string()))?;
    // Each table is normalized as it is read, against the database's defaults.
    let context = super::tables::Context {
        charset: &schema.charset,
        collation: &schema.collation,
        lower_case_names: lower,
        flavor,
    };
    let read = super::tables::read_all(&shown, context, known)
        .map_err(|e| unreadable(&target, "the tables".into(), e))?;
    unsupported.extend(read.refused.into_iter().map(|(n, why)| (key(n), why)));
    for t in read.tables {
        schema.tables.insert(t.name.clone(), t);
    }
    Ok(Introspected {
        schema,
        flavor,
        label: target,
        sizes,
        unsupported,
        user,
    })
}
