//! Live servers through mysql_async: connect, introspect information_schema in a few bulk
//! queries, and check each table against the server's own `SHOW CREATE TABLE`.

mod build;
mod hidden;
pub mod options;
mod record;
#[cfg(test)]
mod recorded_tests;
mod selfcheck;
pub mod target;

use crate::flavor::{Flavor, FlavorError};
use crate::model::Schema;
use crate::source::Shown;
use miette::Diagnostic;
use mysql_async::prelude::Queryable;
use mysql_async::{Conn, OptsBuilder, SslOpts};
use std::time::Duration;
pub use target::{ConnSpec, Secret, SslMode};

#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum LiveError {
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
}

/// An error and its causes, innermost last: the driver wraps I/O errors in I/O errors, so a
/// message is worded once by taking the innermost, and a TLS refusal is found wherever it is.
fn causes<'a>(
    e: &'a (dyn std::error::Error + 'static),
) -> impl Iterator<Item = &'a (dyn std::error::Error + 'static)> {
    std::iter::successors(Some(e), |err| match err.downcast_ref::<std::io::Error>() {
        Some(io) => io
            .get_ref()
            .map(|inner| inner as &(dyn std::error::Error + 'static)),
        None => err.source(),
    })
}

/// Whether a TLS refusal (rustls's own error) is somewhere in an I/O error's chain.
fn tls_refusal(e: &(dyn std::error::Error + 'static)) -> bool {
    causes(e).any(|err| err.is::<rustls::Error>())
}

/// The innermost cause's message: what went wrong, said once.
fn innermost(e: &(dyn std::error::Error + 'static)) -> String {
    causes(e).last().map(|c| c.to_string()).unwrap_or_default()
}

fn classify(spec: &ConnSpec, e: mysql_async::Error) -> LiveError {
    use mysql_async::{Error as E, IoError};
    let target = spec.label();
    match e {
        E::Server(s) if s.code == 1045 || s.code == 1044 || s.code == 1698 => {
            LiveError::AccessDenied {
                user: spec.user.clone(),
                target,
            }
        }
        E::Server(s) if s.code == 1049 => LiveError::UnknownDatabase {
            database: spec.database.clone(),
            target,
        },
        E::Io(IoError::Io(io)) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            LiveError::Refused { target }
        }
        E::Io(IoError::Io(io)) if io.kind() == std::io::ErrorKind::NotFound => {
            LiveError::Refused { target }
        }
        E::Io(IoError::Io(io)) if tls_refusal(&io) => LiveError::Tls {
            target,
            reason: io.to_string(),
        },
        E::Io(IoError::Tls(t)) => LiveError::Tls {
            target,
            reason: t.to_string(),
        },
        E::Driver(d @ mysql_async::DriverError::NoClientSslFlagFromServer) => LiveError::Tls {
            target,
            reason: d.to_string(),
        },
        other => LiveError::Unreachable {
            target,
            reason: innermost(&other),
        },
    }
}

fn opts(spec: &ConnSpec, tls: bool) -> OptsBuilder {
    let mut o = OptsBuilder::default()
        .ip_or_hostname(spec.host.clone())
        .tcp_port(spec.port)
        .user(Some(spec.user.clone()))
        .pass(spec.password.as_ref().map(|p| p.expose().to_string()))
        .db_name(Some(spec.database.clone()))
        .prefer_socket(false)
        .stmt_cache_size(0)
        // A peer gone without a reset is noticed even while a long step runs.
        .tcp_keepalive(Some(Duration::from_secs(30)));
    if let Some(s) = &spec.socket {
        o = o.socket(Some(s.clone()));
    }
    if tls {
        let mut ssl = SslOpts::default();
        if let Some(ca) = &spec.ssl_ca {
            ssl = ssl.with_root_certs(vec![ca.clone().into()]);
        }
        ssl = match spec.ssl_mode {
            SslMode::Preferred | SslMode::Required => ssl
                .with_danger_accept_invalid_certs(true)
                .with_danger_skip_domain_validation(true),
            SslMode::VerifyCa => ssl.with_danger_skip_domain_validation(true),
            SslMode::VerifyIdentity | SslMode::Disabled => ssl,
        };
        o = o.ssl_opts(Some(ssl));
    }
    o
}

/// One attempt, bounded by what is left of the spec's timeout at `deadline`.
async fn connect_once(
    spec: &ConnSpec,
    tls: bool,
    deadline: tokio::time::Instant,
) -> Result<Conn, LiveError> {
    match tokio::time::timeout_at(deadline, Conn::new(opts(spec, tls))).await {
        Ok(r) => r.map_err(|e| classify(spec, e)),
        Err(_) => Err(LiveError::Timeout {
            target: spec.label(),
            what: "a connection request".into(),
            limit: spec.timeout,
        }),
    }
}

/// One read from the server, bounded by the spec's timeout; `what` names it in errors.
pub(crate) async fn bounded<T>(
    spec: &ConnSpec,
    what: &str,
    read: impl std::future::Future<Output = Result<T, mysql_async::Error>>,
) -> Result<T, LiveError> {
    match tokio::time::timeout(spec.timeout, read).await {
        Ok(r) => r.map_err(|e| LiveError::Query {
            target: spec.label(),
            what: what.to_string(),
            reason: e.to_string(),
        }),
        Err(_) => Err(LiveError::Timeout {
            target: spec.label(),
            what: what.to_string(),
            limit: spec.timeout,
        }),
    }
}

/// Connect as the spec says. `preferred` falls back to plain TCP when the server offers no
/// TLS; a socket is local and needs none. The session's sql_mode is the server's without
/// the flags that change how DDL is printed or read (see [`crate::sql::session::sql_mode_statement`]).
pub async fn connect(spec: &ConnSpec) -> Result<Conn, LiveError> {
    let tls = spec.socket.is_none() && spec.ssl_mode != SslMode::Disabled;
    // One limit for connecting, whether or not TLS is tried first: a silent server is
    // waited on for `timeout` seconds, not twice that.
    let deadline = tokio::time::Instant::now() + spec.timeout;
    let mut conn = match connect_once(spec, tls, deadline).await {
        Err(LiveError::Tls { .. }) | Err(LiveError::Unreachable { .. })
            if tls && spec.ssl_mode == SslMode::Preferred =>
        {
            connect_once(spec, false, deadline).await
        }
        other => other,
    }?;
    // The statement the mysql script starts with: one way of choosing the mode, tested once.
    let set = crate::sql::session::sql_mode_statement();
    bounded(spec, "setting the session's sql_mode", conn.query_drop(set)).await?;
    Ok(conn)
}

/// Introspect the spec's database: read-only, over three connections.
pub async fn introspect(spec: &ConnSpec) -> Result<Introspected, LiveError> {
    let (a, b, c) = tokio::try_join!(connect(spec), connect(spec), connect(spec))?;
    let mut conns = [a, b, c];
    let result = build::introspect(&mut conns, spec).await;
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
    let sql = crate::render::sql::select_column(table, column);
    let result: Result<Vec<Option<String>>, _> = bounded(
        spec,
        &format!("reading `{table}`.`{column}`"),
        conn.query(sql),
    )
    .await;
    let _ = tokio::time::timeout(spec.timeout, conn.disconnect()).await;
    result.map(|v| v.into_iter().flatten().collect())
}
