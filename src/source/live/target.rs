//! Where a live database is: `mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?ssl-mode=..&ssl-ca=..&socket=..]`
//! or the runbooks' `DB_HOST`, `DB_PORT`, `DB_USER`, `DB_PASSWORD`, `DB_NAME` variables.
//! The password lives in [`Secret`], which never prints.

use super::LiveError;
use crate::source::Shown;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// A password. Debug and Display print `***`, so it cannot leak into output or errors.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SslMode {
    Disabled,
    /// TLS when the server offers it, without verification (the `mysql` client's default).
    Preferred,
    Required,
    VerifyCa,
    VerifyIdentity,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ConnSpec {
    pub host: String,
    pub port: u16,
    pub user: String,
    pub password: Option<Secret>,
    pub database: String,
    pub socket: Option<String>,
    pub ssl_mode: SslMode,
    pub ssl_ca: Option<PathBuf>,
    /// How long canon waits for the server to answer one read (connecting, one query): a
    /// connection lost without a word must end in an error, not a hang.
    pub timeout: Duration,
}

/// A network that drops packets without a reset shows as silence; 30 s is long for one
/// information_schema query and short for a person waiting on `check`.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

fn bad(reason: impl Into<String>) -> LiveError {
    LiveError::BadTarget(reason.into())
}

fn percent_decode(s: &str) -> Result<String, LiveError> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s
                .get(i + 1..i + 3)
                .ok_or_else(|| bad("a `%` escape is cut short"))?;
            out.push(
                u8::from_str_radix(hex, 16).map_err(|_| bad("a `%` escape is not hexadecimal"))?,
            );
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| bad("a `%` escape is not UTF-8"))
}

fn ssl_mode(v: &str) -> Result<SslMode, LiveError> {
    Ok(match v.to_ascii_lowercase().replace('_', "-").as_str() {
        "disabled" => SslMode::Disabled,
        "preferred" => SslMode::Preferred,
        "required" => SslMode::Required,
        "verify-ca" => SslMode::VerifyCa,
        "verify-identity" => SslMode::VerifyIdentity,
        _ => {
            return Err(bad(format!(
                "unknown ssl-mode `{v}`: use disabled, preferred, required, verify-ca or verify-identity"
            )))
        }
    })
}

/// A timeout in whole seconds, at least one.
fn seconds(v: &str) -> Result<Duration, LiveError> {
    match v.parse::<u64>() {
        Ok(s) if s > 0 => Ok(Duration::from_secs(s)),
        _ => Err(bad(format!(
            "timeout `{v}` is not a number of seconds above zero"
        ))),
    }
}

impl ConnSpec {
    /// Parse a `mysql://` URL. `env_password`, when given, wins over a password in the URL.
    /// Errors never quote the URL, which may hold a password.
    pub fn parse(url: &str, env_password: Option<String>) -> Result<ConnSpec, LiveError> {
        let rest = url
            .strip_prefix("mysql://")
            .or_else(|| url.strip_prefix("mariadb://"))
            .ok_or_else(|| bad("a target URL starts with mysql://"))?;
        // Everything before the last `@` is the user and password. A `/`, `?`, `#` or `@` in
        // it would move the split points and show part of the password as host or database.
        if let Some((userinfo, _)) = rest.rsplit_once('@') {
            if userinfo.contains(['/', '?', '#', '@']) {
                return Err(bad(
                    "the URL's user or password holds an unencoded `/`, `?`, `#` or `@`: percent-encode it (%2F, %3F, %23, %40) or give the password in DB_PASSWORD",
                ));
            }
        }
        let (main, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (authority, path) = main
            .split_once('/')
            .ok_or_else(|| bad("the URL names no database: mysql://USER@HOST/DATABASE"))?;
        let (userinfo, hostport) = authority
            .rsplit_once('@')
            .ok_or_else(|| bad("the URL names no user: mysql://USER@HOST/DATABASE"))?;
        let (user, url_password) = match userinfo.split_once(':') {
            Some((u, p)) => (percent_decode(u)?, Some(percent_decode(p)?)),
            None => (percent_decode(userinfo)?, None),
        };
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) if !h.ends_with(']') || hostport.starts_with('[') => (
                h.trim_matches(['[', ']']).to_string(),
                p.parse()
                    .map_err(|_| bad(format!("port `{p}` is not a number")))?,
            ),
            _ => (hostport.trim_matches(['[', ']']).to_string(), 3306),
        };
        let database = percent_decode(path)?;
        if user.is_empty() || database.is_empty() {
            return Err(bad(
                "the URL needs a user and a database: mysql://USER@HOST/DATABASE",
            ));
        }
        let mut spec = ConnSpec {
            host: if host.is_empty() {
                "localhost".into()
            } else {
                host
            },
            port,
            user,
            password: env_password
                .or(url_password)
                .filter(|p| !p.is_empty())
                .map(Secret),
            database,
            socket: None,
            ssl_mode: SslMode::Preferred,
            ssl_ca: None,
            timeout: DEFAULT_TIMEOUT,
        };
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let v = percent_decode(v)?;
            match k {
                "ssl-mode" | "sslmode" => spec.ssl_mode = ssl_mode(&v)?,
                "ssl-ca" | "sslca" => spec.ssl_ca = Some(PathBuf::from(v)),
                "socket" => spec.socket = Some(v),
                "timeout" => spec.timeout = seconds(&v)?,
                other => {
                    return Err(bad(format!(
                        "unknown URL parameter `{other}`: canon knows ssl-mode, ssl-ca, socket and timeout"
                    )))
                }
            }
        }
        if spec.ssl_ca.is_some() && matches!(spec.ssl_mode, SslMode::Preferred | SslMode::Disabled)
        {
            spec.ssl_mode = SslMode::VerifyCa;
        }
        Ok(spec)
    }

    /// The runbooks' variables: DB_HOST, DB_PORT, DB_USER, DB_PASSWORD, DB_NAME.
    pub fn from_env(get: impl Fn(&str) -> Option<String>) -> Option<Result<ConnSpec, LiveError>> {
        let database = get("DB_NAME")?;
        let port = match get("DB_PORT") {
            Some(p) => match p.parse() {
                Ok(p) => p,
                Err(_) => return Some(Err(bad(format!("DB_PORT `{p}` is not a number")))),
            },
            None => 3306,
        };
        Some(Ok(ConnSpec {
            host: get("DB_HOST").unwrap_or_else(|| "localhost".into()),
            port,
            user: get("DB_USER").unwrap_or_else(|| "root".into()),
            password: get("DB_PASSWORD").filter(|p| !p.is_empty()).map(Secret),
            database,
            socket: get("DB_SOCKET"),
            ssl_mode: SslMode::Preferred,
            ssl_ca: None,
            timeout: match get("DB_TIMEOUT") {
                Some(t) => match seconds(&t) {
                    Ok(t) => t,
                    Err(e) => return Some(Err(e)),
                },
                None => DEFAULT_TIMEOUT,
            },
        }))
    }

    /// Host, port and database: what a plan records and messages show. Never credentials.
    pub fn label(&self) -> Shown {
        match &self.socket {
            Some(s) => Shown::socket(&self.host, s, &self.database),
            None => Shown::server(&self.host, self.port, &self.database),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_urls_with_tls_and_sockets() {
        let s = ConnSpec::parse(
            "mysql://app:s%40cret@db.example:3307/shop?ssl-mode=verify-identity&ssl-ca=/etc/ca.pem",
            None,
        )
        .unwrap();
        assert_eq!(
            (
                s.user.as_str(),
                s.host.as_str(),
                s.port,
                s.database.as_str()
            ),
            ("app", "db.example", 3307, "shop")
        );
        assert_eq!(s.password.as_ref().unwrap().expose(), "s@cret");
        assert_eq!(s.ssl_mode, SslMode::VerifyIdentity);
        assert_eq!(s.ssl_ca, Some(PathBuf::from("/etc/ca.pem")));
        let sock = ConnSpec::parse(
            "mysql://root@localhost/db?socket=/run/mysqld/mysqld.sock",
            None,
        )
        .unwrap();
        assert_eq!(sock.socket.as_deref(), Some("/run/mysqld/mysqld.sock"));
        assert_eq!(sock.port, 3306);
        assert_eq!(sock.password, None);
        assert_eq!(sock.timeout, DEFAULT_TIMEOUT);
        let slow = ConnSpec::parse("mysql://root@h/db?timeout=600", None).unwrap();
        assert_eq!(slow.timeout, Duration::from_secs(600));
        for bad in ["0", "-1", "2.5", "soon"] {
            let e = ConnSpec::parse(&format!("mysql://root@h/db?timeout={bad}"), None);
            assert!(e.unwrap_err().to_string().contains("timeout"), "{bad}");
        }
    }

    #[test]
    fn password_from_the_environment_wins_and_never_prints() {
        let s = ConnSpec::parse("mysql://app:inurl@h/db", Some("fromenv".into())).unwrap();
        assert_eq!(s.password.as_ref().unwrap().expose(), "fromenv");
        let shown = format!("{s:?} {}", s.label());
        assert!(
            !shown.contains("fromenv") && !shown.contains("inurl"),
            "{shown}"
        );
    }

    #[test]
    fn bad_urls_are_explained_without_echoing_them() {
        for url in [
            "postgres://a@b/c",
            "mysql://a@b",
            "mysql://hunter2@b:x/c",
            "mysql://a:hunter2@b/c?ssl-mode=sometimes",
            "mysql://a:hunter2@b/c?password=x",
        ] {
            let e = ConnSpec::parse(url, None).unwrap_err().to_string();
            assert!(!e.contains("hunter2"), "{e}");
        }
    }

    #[test]
    fn unencoded_separators_in_a_password_are_refused_unseen() {
        for url in [
            "mysql://app:hun/ter2@b:3306/c",
            "mysql://app:hun#ter2@b/c",
            "mysql://app:hun@ter2@b/c",
            "mysql://app:hun?ter2@b/c",
            "mysql://app:ss:3306/w#rd@b/c",
        ] {
            let e = ConnSpec::parse(url, None).unwrap_err().to_string();
            assert!(
                e.contains("percent-encode") && e.contains("DB_PASSWORD"),
                "{e}"
            );
            for part in ["hun", "ter2", "w#rd", "ss:3306"] {
                assert!(!e.contains(part), "{url}: {e}");
            }
        }
        let ok = ConnSpec::parse("mysql://app:hun%2Fter%23%40%3F@b/c", None).unwrap();
        assert_eq!(ok.password.unwrap().expose(), "hun/ter#@?");
    }

    #[test]
    fn builds_from_the_runbook_variables() {
        let env = |k: &str| match k {
            "DB_HOST" => Some("db-host".to_string()),
            "DB_PORT" => Some("3306".to_string()),
            "DB_USER" => Some("db_admin".to_string()),
            "DB_PASSWORD" => Some("Secr3t".to_string()),
            "DB_NAME" => Some("arisgourmet".to_string()),
            _ => None,
        };
        let s = ConnSpec::from_env(env).unwrap().unwrap();
        assert_eq!(s.label().to_string(), "db-host:3306/arisgourmet");
        assert_eq!(s.password.unwrap().expose(), "Secr3t");
        assert_eq!(s.timeout, DEFAULT_TIMEOUT);
        let slow = ConnSpec::from_env(|k| match k {
            "DB_NAME" => Some("db".to_string()),
            "DB_TIMEOUT" => Some("90".to_string()),
            _ => None,
        });
        assert_eq!(slow.unwrap().unwrap().timeout, Duration::from_secs(90));
        assert!(ConnSpec::from_env(|_| None).is_none());
    }
}
