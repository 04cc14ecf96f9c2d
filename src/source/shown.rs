//! What canon shows of a target: `host:port/database`, a socket, a dump file's path, or where
//! a target was listed. Every message, report, plan and log that names a target holds one of
//! these; none of its constructors takes a URL, so a password cannot reach output by way of
//! a target's name.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::Path;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Shown(String);

impl Shown {
    /// A database reached over TCP.
    pub fn server(host: &str, port: u16, database: &str) -> Shown {
        Shown(format!("{host}:{port}/{database}"))
    }

    /// A database reached through a local socket.
    pub fn socket(host: &str, socket: &str, database: &str) -> Shown {
        Shown(format!("{host}/{database} (socket {socket})"))
    }

    /// A dump file, or canonical files, by path.
    pub fn files(paths: &[impl AsRef<Path>]) -> Shown {
        Shown(
            paths
                .iter()
                .map(|p| p.as_ref().display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
        )
    }

    /// An entry of a targets file that could not be read as a target: its place, never its text.
    pub fn listed(file: &Path, line: usize) -> Shown {
        Shown(format!("{}:{line}", file.display()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
