//! information_schema rows → schema model, then the round-trip self-check.
//!
//! information_schema gaps, filled from `SHOW CREATE TABLE` (which canon reads for the
//! self-check anyway):
//! - the order keys were created in (STATISTICS is ordered by name; the print order is not);
//! - whether `USING BTREE` was written (INDEX_TYPE always says BTREE);
//! - MariaDB's COMPRESSED columns (COLUMN_TYPE carries them only inside a comment);
//! - engine options as printed: Aria's CREATE_OPTIONS says `transactional=1` when nobody
//!   wrote it, and omits the PAGE_CHECKSUM=1 it prints;
//! - partitioning (information_schema.PARTITIONS would be one more query for what the
//!   printed definition already holds).

use super::programs::{add_programs, ProgramRows};
use super::record::{expression, must, MissingColumn, Record};
use super::rows::{add_foreign_keys, add_indexes, view, Columns};
use super::{bounded, ConnSpec, Introspected, LiveError};
use crate::flavor::Flavor;
use crate::model::normalize::normalize;
use crate::model::*;
use crate::source::Shown;
use crate::sqlexpr;
use mysql_async::prelude::Queryable;
use mysql_async::{Conn, Row};
use std::collections::BTreeMap;

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

    /// Each row of a query, handed to `f` as it arrives: a big result never sits in memory
    /// as rows.
    async fn each(
        &self,
        conn: &mut Conn,
        what: &str,
        sql: &str,
        params: usize,
        f: impl FnMut(Row),
    ) -> Result<(), LiveError> {
        let args: Vec<String> = vec![self.spec.database.clone(); params];
        bounded(self.spec, what, async move {
            let result = conn.exec_iter(sql, args).await?;
            result.for_each_and_drop(f).await
        })
        .await
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

/// `SHOW CREATE TABLE` (or `kind` SEQUENCE) of each named table, for the self-check and the
/// known gaps.
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

/// The query files, per flavor: MySQL names some columns differently.
pub(super) struct Queries {
    pub statistics: &'static str,
    pub checks: &'static str,
    pub views: &'static str,
}

impl Queries {
    pub(super) fn of(flavor: Flavor) -> Queries {
        if flavor.is_mariadb() {
            Queries {
                statistics: include_str!("queries/statistics.sql"),
                checks: include_str!("queries/checks.sql"),
                views: include_str!("queries/views.sql"),
            }
        } else {
            Queries {
                statistics: include_str!("queries/statistics_mysql.sql"),
                checks: include_str!("queries/checks_mysql.sql"),
                views: include_str!("queries/views_mysql.sql"),
            }
        }
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
    pub tables: Vec<R>,
    pub columns: Columns,
    pub stats: Vec<R>,
    pub fk_cols: Vec<R>,
    pub fk_rules: Vec<R>,
    pub checks: Vec<R>,
    pub views: Vec<R>,
    pub programs: ProgramRows<R>,
    /// `SHOW CREATE TABLE` of each base table.
    pub shown: Vec<(String, String)>,
    /// `SHOW CREATE SEQUENCE` of each sequence (10.11 has no information_schema.SEQUENCES).
    pub sequences: Vec<(String, String)>,
}

/// Read the spec's database over three connections at once (the server answers them on
/// its own cores). Reads on different connections need not see one instant: the self-check
/// compares every table's two readings, so a change made meanwhile is reported, not trusted.
pub async fn introspect(conns: &mut [Conn; 3], spec: &ConnSpec) -> Result<Introspected, LiveError> {
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
    let sequences = show_create(a, &ctx, "SEQUENCE", &sequence_names).await?;
    let (first, second) = names.split_at(names.len() / 2);
    let queries = Queries::of(flavor);
    // Columns are the biggest answer (one row per column): made model as they arrive.
    let base: std::collections::HashSet<&str> = names.iter().map(String::as_str).collect();
    let mut columns = Columns::default();
    let read_columns = ctx.each(
        a,
        "reading columns",
        include_str!("queries/columns.sql"),
        1,
        |row| columns.add(&row, &base, mariadb),
    );
    let ((), (stats, fk_cols, fk_rules, shown_1), (checks, views, programs, shown_2)) = tokio::try_join!(
        read_columns,
        async {
            let stats = ctx
                .rows(b, "reading indexes", queries.statistics, 1)
                .await?;
            let fk_cols = ctx
                .rows(
                    b,
                    "reading foreign keys",
                    include_str!("queries/fk_columns.sql"),
                    1,
                )
                .await?;
            let fk_rules = ctx
                .rows(
                    b,
                    "reading foreign key rules",
                    include_str!("queries/fk_rules.sql"),
                    1,
                )
                .await?;
            Ok::<_, LiveError>((
                stats,
                fk_cols,
                fk_rules,
                show_create(b, &ctx, "TABLE", first).await?,
            ))
        },
        async {
            let checks = ctx.rows(c, "reading checks", queries.checks, 1).await?;
            let views = ctx.rows(c, "reading views", queries.views, 1).await?;
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
            Ok::<_, LiveError>((
                checks,
                views,
                programs,
                show_create(c, &ctx, "TABLE", second).await?,
            ))
        },
    )?;
    if let Some(what) = super::hidden::hidden(&views, &fk_cols, &fk_rules)? {
        return Err(LiveError::Hidden {
            target: ctx.target,
            user: spec.user.clone(),
            database: spec.database.clone(),
            what,
        });
    }
    let mut shown = shown_1;
    shown.extend(shown_2);
    let answers = Answers {
        server,
        schema,
        tables,
        columns,
        stats,
        fk_cols,
        fk_rules,
        checks,
        views,
        programs,
        shown,
        sequences,
    };
    let mut introspected = assemble(answers, flavor, &spec.database, ctx.target)?;
    introspected.schema.aria_checksums_off = aria_checksums_off;
    Ok(introspected)
}

/// The answers made model, normalized and self-checked.
pub(super) fn assemble<R: Record>(
    answers: Answers<R>,
    flavor: Flavor,
    database: &str,
    target: Shown,
) -> Result<Introspected, LiveError> {
    let Answers {
        server,
        schema: db_row,
        tables,
        columns,
        stats,
        fk_cols,
        fk_rules,
        checks,
        views,
        programs,
        shown,
        sequences,
    } = answers;
    let mut schema = Schema {
        charset: db_row.field("charset")?,
        collation: db_row.field("collation")?,
        lower_case_names: must(&server, "lower_case_table_names")? != "0",
        ..Schema::default()
    };
    let user = server.cell("reader").flatten();
    // Keyed as the normalized model will name the tables.
    let lower = schema.lower_case_names;
    let key = |n: String| if lower { n.to_lowercase() } else { n };
    let shown: BTreeMap<String, String> = shown.into_iter().map(|(n, s)| (key(n), s)).collect();

    let mut unsupported = Vec::new();
    let mut sizes = Sizes::new();
    for row in &tables {
        // MariaDB's own kinds of table, which canon does not model: named, never left unseen.
        let versioned = match must(row, "type")?.as_str() {
            "BASE TABLE" => false,
            "SYSTEM VERSIONED" => true,
            // Read from SHOW CREATE SEQUENCE below.
            _ => continue,
        };
        let name = must(row, "name")?;
        let num = |col: &str| -> Result<u64, MissingColumn> {
            Ok(row.field(col)?.and_then(|v| v.parse().ok()).unwrap_or(0))
        };
        sizes.insert(
            key(name.clone()),
            TableSize {
                rows: num("table_rows")?,
                data_bytes: num("data_bytes")?,
                index_bytes: num("index_bytes")?,
            },
        );
        let mut t = Table::new(name.clone());
        t.system_versioned = versioned;
        t.options.engine = row.field("engine")?;
        t.options.collation = row.field("collation")?;
        t.options.charset = t
            .options
            .collation
            .as_deref()
            .and_then(Flavor::charset_of_collation)
            .map(str::to_string);
        t.options.comment = row.field("comment")?.filter(|c| !c.is_empty());
        for opt in must(row, "create_options")?.split_whitespace() {
            match opt.split_once('=') {
                Some((k, v)) if k.eq_ignore_ascii_case("row_format") => {
                    t.options.row_format = Some(v.to_ascii_uppercase())
                }
                Some((k, v)) => {
                    t.options
                        .other
                        .insert(k.to_ascii_uppercase(), v.to_string());
                }
                None => {}
            }
        }
        schema.tables.insert(name, t);
    }
    // A table with something canon cannot read is reported by name, like one that fails the
    // self-check; the others are still read.
    if let Some(e) = columns.missing {
        return Err(e.into());
    }
    let mut unreadable_parts = columns.unreadable;
    for (table, group) in columns.groups {
        match schema.tables.get_mut(&table) {
            Some(t) if t.columns.is_empty() => t.columns = group,
            Some(t) => t.columns.extend(group),
            None => {}
        }
    }
    // Rows go as soon as they are model: with thousands of tables they are most of the memory.
    drop(tables);
    add_indexes(
        &mut schema,
        &stats,
        flavor.is_mariadb(),
        &mut unreadable_parts,
    )?;
    add_foreign_keys(&mut schema, &fk_cols, &fk_rules)?;
    drop((stats, fk_cols, fk_rules));
    for row in &checks {
        let (table, name, level) = (
            must(row, "table_name")?,
            must(row, "name")?,
            must(row, "level")?,
        );
        let clause = expression(row, "clause", flavor.is_mariadb())?.unwrap_or_default();
        let expr = match sqlexpr::parse_expr(&clause) {
            Ok(expr) => expr,
            Err(e) => {
                unreadable_parts.push((table, format!("cannot read check `{name}`: {e}")));
                continue;
            }
        };
        let Some(t) = schema.tables.get_mut(&table) else {
            continue;
        };
        match t
            .columns
            .iter_mut()
            .find(|c| level == "Column" && c.name == name)
        {
            Some(c) => c.check = Some(Box::new(expr)),
            None => t.checks.push(Check { name, expr }),
        }
    }
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
    drop((checks, views, programs));
    for (table, why) in unreadable_parts {
        if schema.tables.remove(&table).is_some() {
            unsupported.push((table, why));
        }
    }
    normalize(&mut schema, flavor)
        .map_err(|e| unreadable(&target, "the schema".into(), e.to_string()))?;
    super::selfcheck::self_check(&shown, &mut schema, flavor, &mut unsupported)
        .map_err(|e| unreadable(&target, "the tables".into(), e))?;
    Ok(Introspected {
        schema,
        flavor,
        label: target,
        sizes,
        unsupported,
        user,
    })
}
