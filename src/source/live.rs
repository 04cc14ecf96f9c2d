//! Live servers through mysql_async: connect, and read a database from the server's own
//! `SHOW CREATE TABLE` text and a few information_schema queries (build.rs).

mod build;
mod connect;
pub mod data_checks;
mod hidden;
pub mod options;
mod programs;
mod record;
#[cfg(test)]
mod recorded_tests;
mod tables;
pub mod target;
mod views;

use crate::flavor::{Flavor, FlavorError};
use crate::model::Schema;
use crate::source::Shown;
pub use build::Answered;
pub(crate) use connect::bounded;
pub use connect::connect;
use miette::Diagnostic;
use mysql_async::prelude::Queryable;
use std::time::Duration;
pub use target::{ConnSpec, Secret, SslMode};

#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum LiveError {
    #[error(transparent)]
    #[diagnostic(code(canon::bug))]
    Answer(#[from] record::MissingColumn),
    #[error("bad target: {0}")]
    #[diagnostic(code(canon::target), help("mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?ssl-mode=...&ssl-ca=...&socket=...]; or set DB_HOST, DB_PORT, DB_USER, DB_PASSWORD and DB_NAME"))]
    BadTarget(String),
    #[error("cannot reach {target}: {reason}")]
    #[diagnostic(
        code(canon::connect),
        help(
            "check the host name, the port, and that the server accepts TCP connections from here"
        )
    )]
    Unreachable { target: Shown, reason: String },
    #[error("{target} refused the connection")]
    #[diagnostic(
        code(canon::connect),
        help("is the server running and listening on that port or socket?")
    )]
    Refused { target: Shown },
    #[error("access denied for user `{user}` on {target}")]
    #[diagnostic(
        code(canon::auth),
        help(
            "check the user and the password (DB_PASSWORD or the URL); the password is never shown"
        )
    )]
    AccessDenied { user: String, target: Shown },
    #[error("database `{database}` does not exist on {target}")]
    #[diagnostic(code(canon::database))]
    UnknownDatabase { database: String, target: Shown },
    #[error("TLS with {target} failed: {reason}")]
    #[diagnostic(
        code(canon::tls),
        help("check ssl-mode and ssl-ca; verify-identity needs the certificate to name the host")
    )]
    Tls { target: Shown, reason: String },
    #[error("{target} runs {version}: {source}")]
    #[diagnostic(code(canon::flavor))]
    Unsupported {
        target: Shown,
        version: String,
        source: FlavorError,
    },
    #[error("{target}: {what} failed: {reason}")]
    #[diagnostic(code(canon::introspect))]
    Query {
        target: Shown,
        what: String,
        reason: String,
    },
    #[error("{target}: no answer within {} s to {what}", limit.as_secs())]
    #[diagnostic(
        code(canon::timeout),
        help("the connection may be lost (nothing was trusted from it); for a slow server, raise the limit with `timeout=SECONDS` in the URL or DB_TIMEOUT")
    )]
    Timeout {
        target: Shown,
        what: String,
        limit: Duration,
    },
    #[error(
        "{target}: the server hides {what} from user `{user}`: it lacks the SHOW VIEW privilege"
    )]
    #[diagnostic(
        code(canon::privileges),
        help("a read-only user for check and plan needs SELECT and SHOW VIEW on the database: GRANT SELECT, SHOW VIEW ON `{database}`.* TO '{user}'@'HOST' (see docs/live-servers.md)")
    )]
    Hidden {
        target: Shown,
        user: String,
        database: String,
        what: String,
    },
    #[error("{target}: cannot read {what}: {reason}")]
    #[diagnostic(code(canon::introspect))]
    Unreadable {
        target: Shown,
        what: String,
        reason: String,
    },
}

/// What introspection found.
pub struct Introspected {
    pub schema: Schema,
    pub flavor: Flavor,
    pub label: Shown,
    /// What information_schema estimates of each table's rows and bytes.
    pub sizes: crate::model::Sizes,
    /// Tables canon cannot represent faithfully, with the reason; never planned against.
    pub unsupported: Vec<(String, String)>,
    /// Who read it, as `CURRENT_USER()` says (`user@host`); None in older recordings.
    pub user: Option<String>,
}

/// Introspect the spec's database: read-only, over three connections.
pub async fn introspect(spec: &ConnSpec) -> Result<Introspected, LiveError> {
    read(spec).await?.assemble(None)
}

/// Read the spec's database's answers, read-only, over three connections; not yet model.
pub async fn read(spec: &ConnSpec) -> Result<Answered, LiveError> {
    let (a, b, c) = tokio::try_join!(connect(spec), connect(spec), connect(spec))?;
    let mut conns = [a, b, c];
    let result = build::read(&mut conns, spec).await;
    // After an error the connections may be dead: they are dropped, not closed politely
    // (the server ends a read-only transaction with its connection anyway).
    if result.is_ok() {
        for mut conn in conns {
            let _ = tokio::time::timeout(spec.timeout, async {
                let _ = conn.query_drop("ROLLBACK").await;
                let _ = conn.disconnect().await;
            })
            .await;
        }
    }
    result
}

/// Every value of one column of a table (e.g. the names in an application's migrations
/// table), read-only.
pub async fn column_values(
    spec: &ConnSpec,
    table: &str,
    column: &str,
) -> Result<Vec<String>, LiveError> {
    let mut conn = connect(spec).await?;
    let sql = crate::sql::session::select_column(table, column);
    let result: Result<Vec<Option<String>>, _> = bounded(
        spec,
        &format!("reading `{table}`.`{column}`"),
        conn.query(sql),
    )
    .await;
    let _ = tokio::time::timeout(spec.timeout, conn.disconnect()).await;
    result.map(|v| v.into_iter().flatten().collect())
}
