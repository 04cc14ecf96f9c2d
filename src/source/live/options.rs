//! MySQL option files (`~/.my.cnf`, `--defaults-file`): the `[client]` credentials people
//! already keep for the `mysql` client (`[client-mariadb]` overrides, as MariaDB's clients
//! read it). Only user, password, host, port and socket are used.

use super::{LiveError, Secret};
use std::path::{Path, PathBuf};

#[derive(Debug, Default, Clone)]
pub struct OptionFile {
    pub user: Option<String>,
    pub password: Option<Secret>,
    pub host: Option<String>,
    pub port: Option<u16>,
    pub socket: Option<String>,
}

/// The file the `mysql` client reads by default, when there is one.
pub fn default_file() -> Option<PathBuf> {
    let p = crate::environment::home_path(Path::new("~/.my.cnf"));
    p.is_file().then_some(p)
}

pub fn read(path: &Path) -> Result<OptionFile, LiveError> {
    let bad =
        |reason: String| LiveError::BadTarget(format!("option file {}: {reason}", path.display()));
    let opts = ini::ParseOption {
        enabled_quote: true,
        enabled_escape: false,
        ..ini::ParseOption::default()
    };
    let ini = ini::Ini::load_from_file_opt(path, opts).map_err(|e| match e {
        ini::Error::Io(io) => bad(io.to_string()),
        // The parser's message may quote the line, which may hold the password.
        ini::Error::Parse(p) => bad(format!("cannot parse line {}", p.line)),
    })?;
    let mut out = OptionFile::default();
    for section in ["client", "client-mariadb"] {
        let Some(props) = ini.section(Some(section)) else {
            continue;
        };
        for (key, value) in props.iter() {
            let value = value.trim().to_string();
            match key.trim().replace('_', "-").as_str() {
                "user" => out.user = Some(value),
                "password" => out.password = Some(Secret::new(value)),
                "host" => out.host = Some(value),
                "socket" => out.socket = Some(value),
                "port" => {
                    out.port = Some(
                        value
                            .parse()
                            .map_err(|_| bad(format!("port `{value}` is not a number")))?,
                    )
                }
                _ => {}
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_client_section_as_the_mysql_client_does() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("my.cnf");
        std::fs::write(
            &f,
            "[mysqld]\nport=9999\n\n[client]\nuser = deploy\npassword=\"p#ss w;rd\"\nhost=db.internal\nport=3307\n\n[client-mariadb]\nsocket=/run/mysqld/mysqld.sock\n",
        )
        .unwrap();
        let o = read(&f).unwrap();
        assert_eq!(o.user.as_deref(), Some("deploy"));
        assert_eq!(o.password.as_ref().map(|p| p.expose()), Some("p#ss w;rd"));
        assert_eq!(
            (o.host.as_deref(), o.port),
            (Some("db.internal"), Some(3307))
        );
        assert_eq!(o.socket.as_deref(), Some("/run/mysqld/mysqld.sock"));
        std::fs::write(&f, "[client]\nport=abc\npassword=hunter2\n").unwrap();
        let e = read(&f).unwrap_err().to_string();
        assert!(e.contains("port `abc`") && !e.contains("hunter2"), "{e}");
    }
}
