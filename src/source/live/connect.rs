//! Connections, for introspection and apply alike: options from a target (TLS as its mode
//! says, one deadline for connecting), canon's session sql_mode, bounded reads, and driver
//! errors worded by their innermost cause.

use super::{ConnSpec, LiveError, SslMode};
use mysql_async::prelude::Queryable;
use mysql_async::{Conn, OptsBuilder, SslOpts};
use std::time::Duration;

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
