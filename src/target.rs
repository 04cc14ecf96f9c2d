//! What `--target` names (a dump file or a live database) and the credentials beside it.

use crate::source::{self, Shown};
use crate::{environment, Error};
use std::path::PathBuf;

/// What `--target` names: a dump file or a live database.
pub enum Target {
    Dump(PathBuf),
    Live(source::live::ConnSpec),
}

/// Where a password and connection defaults come from, besides the target itself.
#[derive(Debug, Default, Clone)]
pub struct Credentials {
    /// An explicit password (the variable an environment names, else `DB_PASSWORD`): wins
    /// over one in the URL.
    pub password: Option<String>,
    /// A MySQL option file's `[client]` settings: used for what nothing else gives.
    pub option_file: Option<source::live::options::OptionFile>,
}

impl Target {
    /// `--target` as given, else the runbooks' `DB_*` variables; an option file fills in
    /// what neither says (the password, and for `DB_*` the user, host, port and socket).
    pub fn resolve(arg: Option<&str>, creds: &Credentials) -> Result<Target, Error> {
        use source::live::ConnSpec;
        let env = environment::var;
        let file = creds.option_file.clone().unwrap_or_default();
        let password = creds.password.clone().or_else(|| env("DB_PASSWORD"));
        let mut spec = match arg {
            Some(url) if url.contains("://") => ConnSpec::parse(url, password)?,
            // A URL without its scheme would be shown as a file's path, password and all.
            Some(arg) if arg.contains('@') && !std::path::Path::new(arg).exists() => {
                return Err(source::live::LiveError::BadTarget(
                    "the target is neither a file nor a mysql:// URL (it is not shown: it may hold a password)".into(),
                )
                .into())
            }
            Some(path) => return Ok(Target::Dump(PathBuf::from(path))),
            None => {
                let get = |k: &str| match k {
                    "DB_PASSWORD" => password.clone(),
                    _ => env(k).or_else(|| match k {
                        "DB_HOST" => file.host.clone(),
                        "DB_USER" => file.user.clone(),
                        "DB_PORT" => file.port.map(|p| p.to_string()),
                        "DB_SOCKET" => file.socket.clone(),
                        _ => None,
                    }),
                };
                match ConnSpec::from_env(get) {
                    Some(spec) => spec?,
                    None => return Err(Error::NoTarget),
                }
            }
        };
        if spec.password.is_none() {
            spec.password = file.password;
        }
        Ok(Target::Live(spec))
    }

    /// What messages and reports show of it.
    pub fn shown(&self) -> Shown {
        match self {
            Target::Dump(path) => Shown::files(&[path]),
            Target::Live(spec) => spec.label(),
        }
    }
}
