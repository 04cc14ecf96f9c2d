//! The backup before the first step: the server's own dump tool (`mariadb-dump` or
//! `mysqldump`, never a home-made copy), then a verification that the file is complete and
//! that its schema part restores, into a scratch database, to the very schema being changed.
//!
//! Credentials reach the tools through a temporary option file readable only by this user,
//! never through the command line, where other users of the machine could read them.

use super::ApplyError;
use crate::document::report::Backup;
use crate::source::live::{ConnSpec, SslMode};
use sha2::{Digest, Sha256};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The client tools, on PATH or where the packages put them.
fn find_tool(names: &[&str]) -> Option<PathBuf> {
    crate::environment::program(
        names,
        &["/usr/bin", "/usr/local/bin", "/usr/local/mysql/bin"],
    )
}

/// The `[client]` option file both tools read: who, where, and the password.
pub(super) fn option_file(spec: &ConnSpec) -> Result<tempfile::NamedTempFile, ApplyError> {
    let io = |e: std::io::Error| ApplyError::Backup {
        reason: format!("cannot write a temporary option file: {e}"),
    };
    let mut f = tempfile::Builder::new()
        .prefix("canon-client-")
        .suffix(".cnf")
        .tempfile()
        .map_err(io)?;
    // Option-file values in double quotes: backslash and quote escaped.
    let q = |v: &str| format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\""));
    let mut text = format!("[client]\nuser={}\n", q(&spec.user));
    if let Some(p) = &spec.password {
        text.push_str(&format!("password={}\n", q(p.expose())));
    }
    match &spec.socket {
        Some(s) => text.push_str(&format!("socket={}\nhost=localhost\n", q(s))),
        None => text.push_str(&format!("host={}\nport={}\n", q(&spec.host), spec.port)),
    }
    f.write_all(text.as_bytes()).map_err(io)?;
    f.flush().map_err(io)?;
    Ok(f)
}

/// The TLS options matching the connection's `ssl-mode`.
fn tls_args(spec: &ConnSpec) -> Vec<String> {
    if spec.socket.is_some() {
        return vec![];
    }
    let mut args = match spec.ssl_mode {
        SslMode::Disabled => vec!["--skip-ssl".to_string()],
        SslMode::Preferred => vec![],
        SslMode::Required | SslMode::VerifyCa => vec!["--ssl".to_string()],
        SslMode::VerifyIdentity => vec!["--ssl".into(), "--ssl-verify-server-cert".into()],
    };
    if let Some(ca) = &spec.ssl_ca {
        args.push(format!("--ssl-ca={}", ca.display()));
    }
    args
}

fn client_command(tool: &Path, options: &Path, spec: &ConnSpec) -> Command {
    let mut c = Command::new(tool);
    // The option file must come first; `--no-defaults`-like isolation is not wanted here:
    // an operator's own [client] settings (e.g. TLS) still apply.
    c.arg(format!("--defaults-extra-file={}", options.display()))
        .args(tls_args(spec));
    c
}

fn sha256_of(path: &Path) -> std::io::Result<(String, u64)> {
    let mut f = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut total = 0u64;
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        total += n as u64;
        hasher.update(&buf[..n]);
    }
    let hex: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok((hex, total))
}

/// Run the dump tool into `dir`. The history table is left out: restoring a backup must
/// not bring back a journal of steps the restored schema never had.
pub fn dump(
    spec: &ConnSpec,
    dir: &Path,
    file_stem: &str,
    mariadb: bool,
    history: &str,
) -> Result<Backup, ApplyError> {
    let fail = |reason: String| ApplyError::Backup { reason };
    std::fs::create_dir_all(dir)
        .map_err(|e| fail(format!("cannot create {}: {e}", dir.display())))?;
    let tool = if mariadb {
        find_tool(&["mariadb-dump", "mysqldump"])
    } else {
        find_tool(&["mysqldump"])
    }
    .ok_or_else(|| {
        fail("no dump tool found (mariadb-dump or mysqldump): install the server's client package, e.g. `apt-get install mariadb-client`".into())
    })?;
    let path = dir.join(format!("{file_stem}.sql"));
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| fail(format!("cannot create {}: {e}", path.display())))?;
    let options = option_file(spec)?;
    let out = client_command(&tool, options.path(), spec)
        .args([
            "--single-transaction",
            "--routines",
            "--triggers",
            "--events",
            "--hex-blob",
            "--skip-dump-date",
        ])
        .arg(format!("--ignore-table={}.{history}", spec.database))
        .arg("--")
        .arg(&spec.database)
        .stdin(Stdio::null())
        .stdout(file)
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| fail(format!("cannot run {}: {e}", tool.display())))?;
    if !out.status.success() {
        let _ = std::fs::remove_file(&path);
        return Err(fail(format!(
            "{} failed: {}",
            tool.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    let (sha256, bytes) =
        sha256_of(&path).map_err(|e| fail(format!("cannot read {}: {e}", path.display())))?;
    Ok(Backup {
        path,
        sha256,
        bytes,
    })
}

/// The file ends with the tool's completion line and defines every table it should.
pub fn check_complete(backup: &Backup, tables: usize) -> Result<(), ApplyError> {
    let fail = |reason: String| ApplyError::BackupUnverified {
        path: backup.path.display().to_string(),
        reason,
    };
    let f = std::fs::File::open(&backup.path).map_err(|e| fail(e.to_string()))?;
    let (mut last, mut creates) = (String::new(), 0usize);
    for line in BufReader::new(f).lines() {
        let line = line.map_err(|e| fail(e.to_string()))?;
        if line.starts_with("CREATE TABLE ") {
            creates += 1;
        }
        if !line.trim().is_empty() {
            last = line;
        }
    }
    if !last.starts_with("-- Dump completed") {
        return Err(fail(
            "the file does not end with the dump tool's `-- Dump completed` line: it is cut short"
                .into(),
        ));
    }
    if creates < tables {
        return Err(fail(format!(
            "it defines {creates} table(s); the database has {tables}"
        )));
    }
    Ok(())
}

/// The schema part of a dump: the table and view definitions, without the data, triggers,
/// events and routines sections (an event restored into a scratch database could run).
fn schema_part(dump: &Path, mut into: impl Write) -> std::io::Result<()> {
    let f = std::fs::File::open(dump)?;
    let (mut prev_dashes, mut skip) = (false, false);
    for line in BufReader::new(f).lines() {
        let line = line?;
        if prev_dashes {
            if let Some(title) = line.strip_prefix("-- ") {
                skip = ["Dumping data", "Dumping events", "Dumping routines"]
                    .iter()
                    .any(|t| title.starts_with(t));
            }
        }
        prev_dashes = line == "--";
        if !skip {
            into.write_all(line.as_bytes())?;
            into.write_all(b"\n")?;
        }
    }
    Ok(())
}

/// Load the dump's schema part into `scratch` (an empty database) with the `mysql` client.
pub fn restore_schema(
    spec: &ConnSpec,
    backup: &Backup,
    scratch: &str,
    mariadb: bool,
) -> Result<(), ApplyError> {
    let fail = |reason: String| ApplyError::BackupUnverified {
        path: backup.path.display().to_string(),
        reason,
    };
    let tool = if mariadb {
        find_tool(&["mariadb", "mysql"])
    } else {
        find_tool(&["mysql"])
    }
    .ok_or_else(|| fail("no `mariadb`/`mysql` client found to restore it".into()))?;
    let options = option_file(spec)?;
    let mut child = client_command(&tool, options.path(), spec)
        .args(["--batch", "--database", scratch])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| fail(format!("cannot run {}: {e}", tool.display())))?;
    let fed = match child.stdin.take() {
        Some(stdin) => schema_part(&backup.path, std::io::BufWriter::new(stdin)),
        None => Ok(()),
    };
    let out = child
        .wait_with_output()
        .map_err(|e| fail(format!("the client did not finish: {e}")))?;
    if !out.status.success() {
        return Err(fail(format!(
            "its schema does not restore: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    fed.map_err(|e| fail(format!("cannot feed it to the client: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_part_leaves_out_data_events_and_routines() {
        let dir = tempfile::tempdir().unwrap();
        let dump = dir.path().join("d.sql");
        std::fs::write(
            &dump,
            "--\n-- Table structure for table `t`\n--\nCREATE TABLE `t` (id int);\n\
             --\n-- Dumping data for table `t`\n--\nINSERT INTO `t` VALUES\n(1),\n(2);\n\
             --\n-- Dumping events for database 'd'\n--\nCREATE EVENT e ON SCHEDULE EVERY 1 DAY DO DELETE FROM t;\n\
             --\n-- Final view structure for view `v`\n--\nCREATE VIEW v AS SELECT 1;\n-- Dump completed\n",
        )
        .unwrap();
        let mut out = Vec::new();
        schema_part(&dump, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("CREATE TABLE `t`") && text.contains("CREATE VIEW v"));
        assert!(!text.contains("INSERT") && !text.contains("(2)") && !text.contains("EVENT"));
        let backup = Backup {
            path: dump,
            sha256: String::new(),
            bytes: 0,
        };
        assert!(check_complete(&backup, 1).is_ok());
        assert!(check_complete(&backup, 2).is_err());
    }
}
