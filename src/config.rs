//! `canon.yaml`: the schema paths, named environments (target, where the password comes
//! from, policies) and tables to ignore, so that commands in CI read `--env prod` instead of
//! long command lines. Flags override it. Unknown keys and bad values are errors pointing at
//! the place in the file.

use crate::flavor::Flavor;
use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const DEFAULT_FILE: &str = "canon.yaml";

#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum ConfigError {
    #[error("cannot read {path}")]
    #[diagnostic(code(canon::config))]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{message}")]
    #[diagnostic(code(canon::config))]
    Invalid {
        message: String,
        #[source_code]
        src: NamedSource<String>,
        #[label("here")]
        at: Option<SourceSpan>,
    },
    #[error("no environment `{name}` in {path}; it has: {known}")]
    #[diagnostic(code(canon::config))]
    UnknownEnvironment {
        name: String,
        path: String,
        known: String,
    },
    #[error("environment `{env}` in {path} puts a password in its {which} URL")]
    #[diagnostic(
        code(canon::config),
        help("configuration files are committed: name the variable that holds it with `password_env`")
    )]
    PasswordInFile {
        env: String,
        path: String,
        which: &'static str,
    },
    #[error("environment `{0}` does not allow destructive changes (allow_destructive: false)")]
    #[diagnostic(
        code(canon::policy),
        help("plan without --allow-destructive, or change the environment's policy in review")
    )]
    DestructiveNotAllowed(String),
}

fn flavor<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Flavor>, D::Error> {
    let s: Option<String> = Option::deserialize(d)?;
    s.map(|s| s.parse().map_err(serde::de::Error::custom))
        .transpose()
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Canonical DDL files and directories, relative to the configuration file.
    #[serde(default)]
    pub schema: Vec<PathBuf>,
    #[serde(default, deserialize_with = "flavor")]
    pub flavor: Option<Flavor>,
    pub history_table: Option<String>,
    /// Table and view names to leave out on both sides (`*` and `?` wildcards).
    #[serde(default)]
    pub ignore: Vec<String>,
    #[serde(default)]
    pub environments: BTreeMap<String, Environment>,
    /// When rebuilds of large tables go through an online schema change tool.
    pub online_schema_change: Option<OnlineSchemaChange>,
    /// What of triggers, routines and events besides their definition is drift.
    #[serde(default)]
    pub programs: Programs,
    /// What the plan's data checks may show.
    pub data_checks: Option<DataChecks>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Programs {
    /// `ignore` (the default), `manage` or `CURRENT_USER`.
    #[serde(default)]
    pub definer: crate::diff::programs::DefinerPolicy,
    /// `ignore` (the default) or `manage`: whether the `sql_mode` and character set a
    /// program was created under is drift.
    #[serde(default)]
    pub context: Managed,
    /// MySQL 8 replaces a trigger by `DROP` + `CREATE`: `unlocked` (the default) leaves
    /// writes in between without it; `locked` runs both under `LOCK TABLES ... WRITE`.
    #[serde(default)]
    pub trigger_swap: TriggerSwap,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TriggerSwap {
    #[default]
    Unlocked,
    Locked,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Managed {
    #[default]
    Ignore,
    Manage,
}

impl Programs {
    pub fn policy(&self) -> crate::diff::programs::Policy {
        crate::diff::programs::Policy {
            definer: self.definer,
            context: self.context == Managed::Manage,
            lock_triggers: self.trigger_swap == TriggerSwap::Locked,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataChecks {
    /// Column name patterns (`*` wildcards, any case) whose values never appear as samples;
    /// replaces canon's list (`data_checks::SENSITIVE`).
    #[serde(default)]
    pub sensitive: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnlineSchemaChange {
    /// `pt-online-schema-change`, or `none` to keep every step in the server.
    #[serde(default, deserialize_with = "osc_tool")]
    pub tool: Option<Option<String>>,
    pub min_rows: Option<u64>,
    pub min_bytes: Option<u64>,
}

fn osc_tool<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    let name = String::deserialize(d)?;
    crate::plan::osc::tool(&name)
        .map(Some)
        .map_err(serde::de::Error::custom)
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Environment {
    /// mysql://USER@HOST[:PORT]/DATABASE[?...], without a password.
    pub target: Option<String>,
    /// The environment variable holding the password.
    pub password_env: Option<String>,
    /// A MySQL option file (`[client]` user, password, host, port, socket).
    pub defaults_file: Option<PathBuf>,
    /// Whether destructive steps may be planned and applied here.
    #[serde(default)]
    pub allow_destructive: bool,
    #[serde(default)]
    pub ignore: Vec<String>,
    #[serde(default, deserialize_with = "flavor")]
    pub flavor: Option<Flavor>,
    /// The target's replicas, watched by `apply` (URLs without passwords, as `target`).
    #[serde(default)]
    pub replicas: Vec<String>,
}

/// A configuration file as read, with where it was (paths in it are relative to it).
#[derive(Debug, Default)]
pub struct Loaded {
    pub path: Option<PathBuf>,
    pub config: Config,
}

impl Loaded {
    /// `explicit` (from `--config`), else `canon.yaml` in the working directory if present.
    pub fn load(explicit: Option<&Path>) -> Result<Loaded, ConfigError> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None if Path::new(DEFAULT_FILE).is_file() => PathBuf::from(DEFAULT_FILE),
            None => return Ok(Loaded::default()),
        };
        let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Io {
            path: path.display().to_string(),
            source,
        })?;
        let config = parse(&path.display().to_string(), &text)?;
        Ok(Loaded {
            path: Some(path),
            config,
        })
    }

    fn dir(&self) -> PathBuf {
        self.path
            .as_ref()
            .and_then(|p| p.parent())
            .map(Path::to_path_buf)
            .unwrap_or_default()
    }

    /// The schema paths, relative to the working directory.
    pub fn schema(&self) -> Vec<PathBuf> {
        let dir = self.dir();
        self.config.schema.iter().map(|p| dir.join(p)).collect()
    }

    pub fn environment(&self, name: &str) -> Result<&Environment, ConfigError> {
        let path = self
            .path
            .as_ref()
            .map_or(DEFAULT_FILE.to_string(), |p| p.display().to_string());
        let env =
            self.config
                .environments
                .get(name)
                .ok_or_else(|| ConfigError::UnknownEnvironment {
                    name: name.to_string(),
                    path: path.clone(),
                    known: self
                        .config
                        .environments
                        .keys()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", "),
                })?;
        let urls = env.target.iter().map(|t| (t, "target"));
        for (t, which) in urls.chain(env.replicas.iter().map(|r| (r, "replica"))) {
            // mysql://user:password@host/...: a colon inside the user part.
            let userinfo = t
                .split_once("://")
                .map(|(_, r)| r)
                .and_then(|r| r.split('/').next())
                .and_then(|a| a.rsplit_once('@'))
                .map(|(u, _)| u);
            if userinfo.is_some_and(|u| u.contains(':')) {
                return Err(ConfigError::PasswordInFile {
                    env: name.to_string(),
                    path,
                    which,
                });
            }
        }
        Ok(env)
    }

    /// An environment's option file, relative to the configuration file.
    pub fn defaults_file(&self, env: &Environment) -> Option<PathBuf> {
        env.defaults_file.as_ref().map(|p| {
            if p.starts_with("~") {
                crate::environment::home_path(p)
            } else {
                self.dir().join(p)
            }
        })
    }
}

pub fn parse(name: &str, text: &str) -> Result<Config, ConfigError> {
    crate::yaml::from_str(text).map_err(|e| ConfigError::Invalid {
        message: format!("{name}: {}", e.message),
        src: NamedSource::new(name, text.to_string()),
        at: e.offset.map(|o| SourceSpan::from((o, 1))),
    })
}

/// `*` matches any run of characters, `?` one; names compare as written.
pub fn matches(pattern: &str, name: &str) -> bool {
    fn go(p: &[char], s: &[char]) -> bool {
        match p.split_first() {
            None => s.is_empty(),
            Some(('*', rest)) => (0..=s.len()).any(|i| go(rest, &s[i..])),
            Some(('?', rest)) => !s.is_empty() && go(rest, &s[1..]),
            Some((c, rest)) => s.first() == Some(c) && go(rest, &s[1..]),
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let s: Vec<char> = name.chars().collect();
    go(&p, &s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_environments_and_points_at_mistakes() {
        let c = parse(
            "canon.yaml",
            "schema: [schema/app]\nignore: ['_*_gho']\nenvironments:\n  prod:\n    target: mysql://deploy@db/app\n    password_env: PROD_DB_PASSWORD\n    ignore: [migrations]\n",
        )
        .unwrap();
        let prod = &c.environments["prod"];
        assert_eq!(prod.password_env.as_deref(), Some("PROD_DB_PASSWORD"));
        assert!(!prod.allow_destructive, "destructive is off unless said");

        let text = "environments:\n  prod:\n    targte: mysql://x@db/app\n";
        match parse("canon.yaml", text) {
            Err(ConfigError::Invalid { message, at, .. }) => {
                assert!(message.contains("unknown field `targte`"), "{message}");
                let at = at.expect("a span");
                assert_eq!(&text[at.offset()..at.offset() + 6], "targte");
            }
            other => panic!("{other:?}"),
        }
        let text = "flavor: oracle-19\n";
        match parse("canon.yaml", text) {
            Err(ConfigError::Invalid { message, .. }) => {
                assert!(message.contains("unknown flavor `oracle-19`"), "{message}")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn passwords_stay_out_of_the_file() {
        let loaded = Loaded {
            path: None,
            config: parse(
                "canon.yaml",
                "environments:\n  prod:\n    target: mysql://deploy:s3cret@db/app\n",
            )
            .unwrap(),
        };
        let e = loaded.environment("prod").unwrap_err();
        assert!(matches!(e, ConfigError::PasswordInFile { .. }));
        assert!(!e.to_string().contains("s3cret"));
        let loaded = Loaded {
            path: None,
            config: parse(
                "canon.yaml",
                "environments:\n  prod:\n    target: mysql://deploy@db/app\n    replicas: [mysql://deploy@r1/app, 'mysql://deploy:s3cret@r2/app']\n",
            )
            .unwrap(),
        };
        let e = loaded.environment("prod").unwrap_err();
        assert!(e.to_string().contains("its replica URL"), "{e}");
        assert!(!e.to_string().contains("s3cret"));
        assert!(matches!(
            loaded.environment("staging"),
            Err(ConfigError::UnknownEnvironment { .. })
        ));
    }

    #[test]
    fn programs_policy() {
        use crate::diff::programs::{DefinerPolicy, Policy};
        let c = parse("canon.yaml", "schema: [s]\n").unwrap();
        assert_eq!(c.programs.policy(), Policy::default());
        let c = parse(
            "canon.yaml",
            "programs:\n  definer: CURRENT_USER\n  context: manage\n  trigger_swap: locked\n",
        )
        .unwrap();
        let want = Policy {
            definer: DefinerPolicy::CurrentUser,
            context: true,
            lock_triggers: true,
        };
        assert_eq!(c.programs.policy(), want);
        let e = parse("canon.yaml", "programs:\n  definer: pinned\n").unwrap_err();
        assert!(e.to_string().contains("pinned"), "{e}");
    }

    #[test]
    fn online_schema_change_settings() {
        let c = parse(
            "canon.yaml",
            "online_schema_change:\n  tool: none\n  min_rows: 5000\n",
        )
        .unwrap();
        let o = c.online_schema_change.unwrap();
        assert_eq!(
            (o.tool, o.min_rows, o.min_bytes),
            (Some(None), Some(5000), None)
        );
        let e = parse("canon.yaml", "online_schema_change:\n  tool: gh-ghost\n").unwrap_err();
        assert!(
            e.to_string()
                .contains("unknown online schema change tool `gh-ghost`"),
            "{e}"
        );
    }

    #[test]
    fn ignore_patterns() {
        assert!(matches("_*_gho", "_orders_gho"));
        assert!(matches("_*_new", "_users_new"));
        assert!(!matches("_*_new", "users_new"));
        assert!(matches("migrations", "migrations"));
        assert!(matches("t?", "t1") && !matches("t?", "t12"));
    }
}
