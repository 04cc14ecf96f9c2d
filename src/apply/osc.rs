//! Running a step through the online schema change tool the plan names: found on PATH
//! before any step runs, given the connection through a private option file (never the
//! password on its command line), its progress passed on line by line.

use super::replicas::Replicas;
use super::{backup, ApplyError, Operator};
use crate::plan::osc::{dsn_safe, Osc};
use crate::source::live::{ConnSpec, SslMode};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The tool on PATH, or why the plan cannot run here. `server_sql_mode` is the mode the
/// tool's sessions start with.
pub fn find(osc: &Osc, spec: &ConnSpec, server_sql_mode: &str) -> Result<PathBuf, ApplyError> {
    let unusable = |reason: String| ApplyError::OscUnusable {
        tool: osc.tool.clone(),
        reason,
    };
    if !dsn_safe(&spec.database) {
        return Err(unusable(format!(
            "the database name `{}` holds `,` or `=`, which the tool's DSN cannot carry",
            spec.database
        )));
    }
    // The tool connects on its own; canon cannot hand it the TLS the target asks for, and
    // will not let it send the password in the clear instead.
    if spec.socket.is_none() && !matches!(spec.ssl_mode, SslMode::Disabled | SslMode::Preferred) {
        return Err(unusable(format!(
            "the target asks for TLS ({:?}), which canon cannot pass to the tool",
            spec.ssl_mode
        )));
    }
    // canon writes backslashes in string literals escaped, which such a session reads as two.
    let literal_escapes = server_sql_mode
        .split(',')
        .any(|f| f.trim().eq_ignore_ascii_case("NO_BACKSLASH_ESCAPES"));
    if literal_escapes && osc.args.iter().any(|a| a.contains('\\')) {
        return Err(unusable(
            "the server's sql_mode has NO_BACKSLASH_ESCAPES, and the change holds a string with a backslash the tool's session would read differently".into(),
        ));
    }
    crate::environment::program(&[osc.tool.as_str()], &[])
        .ok_or_else(|| unusable("it is not installed here (not on PATH)".into()))
}

/// The tool's own replica throttle, from canon's: `--max-lag`, and for one replica its DSN
/// in `--check-slave-lag` (connection from an option file, as the target's), which replaces
/// the tool's discovery of replicas. The tool takes one such DSN only: with several, it
/// finds the replicas connected to the primary itself and watches them all.
fn replica_args(replicas: &Replicas, files: &[(String, &ConnSpec)]) -> Vec<String> {
    if files.is_empty() {
        return Vec::new();
    }
    let mut args = vec!["--max-lag".to_string(), replicas.max_lag.to_string()];
    if let [(file, spec)] = files {
        let place = match &spec.socket {
            Some(s) => format!("S={s}"),
            None => format!("h={},P={}", spec.host, spec.port),
        };
        args.push("--check-slave-lag".into());
        args.push(format!("F={file},{place}"));
    }
    args
}

/// Run the tool to its end; Err holds what it said when it failed (it leaves the table as
/// it was: the shadow table and triggers are its own to clean up).
pub fn run(
    tool: &Path,
    osc: &Osc,
    spec: &ConnSpec,
    replicas: &Replicas,
    op: &mut dyn Operator,
) -> Result<(), String> {
    let options = backup::option_file(spec).map_err(|e| e.to_string())?;
    let dsn = osc.dsn(&options.path().display().to_string(), &spec.database);
    let replica_files = replicas
        .nodes
        .iter()
        .map(|r| backup::option_file(r).map_err(|e| e.to_string()))
        .collect::<Result<Vec<_>, _>>()?;
    let named: Vec<(String, &ConnSpec)> = replica_files
        .iter()
        .map(|f| f.path().display().to_string())
        .zip(&replicas.nodes)
        .collect();
    let mut child = Command::new(tool)
        .args(&osc.args)
        .args(replica_args(replicas, &named))
        .arg(dsn)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", tool.display()))?;
    // Its errors are read aside, so a full stderr pipe cannot stall it.
    let mut stderr = child.stderr.take();
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(e) = stderr.as_mut() {
            let _ = e.read_to_string(&mut text);
        }
        text
    });
    let mut last = String::new();
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            op.say(&format!("  {}: {line}", osc.tool));
            last = line;
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    let errors = errors.join().unwrap_or_default();
    if status.success() {
        Ok(())
    } else {
        let said = errors.trim();
        Err(format!(
            "{} failed ({status}): {}",
            osc.tool,
            if said.is_empty() { last.as_str() } else { said }
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_target_that_needs_tls_or_an_odd_database_name_is_refused_before_any_step() {
        let osc = Osc {
            tool: "pt-online-schema-change".into(),
            args: vec![],
            table: "t".into(),
        };
        for url in [
            "mysql://u@db/shop?ssl-mode=required",
            "mysql://u@db/shop?ssl-mode=verify-identity",
            "mysql://u@db/a,b",
        ] {
            let spec = ConnSpec::parse(url, None).unwrap();
            assert!(
                matches!(find(&osc, &spec, ""), Err(ApplyError::OscUnusable { .. })),
                "{url}"
            );
        }
    }

    #[test]
    fn the_tool_throttles_on_the_replicas_through_option_files() {
        let spec = |url| ConnSpec::parse(url, None).unwrap();
        let nodes = vec![
            spec("mysql://u:pw@replica1:3307/shop"),
            spec("mysql://u@localhost/shop?socket=/run/r2.sock"),
        ];
        let replicas = Replicas {
            nodes: nodes.clone(),
            max_lag: 3,
            wait: 60,
        };
        let files = vec![
            ("a.cnf".to_string(), &nodes[0]),
            ("b.cnf".to_string(), &nodes[1]),
        ];
        let one = replica_args(&replicas, &files[..1]);
        assert_eq!(
            one,
            [
                "--max-lag",
                "3",
                "--check-slave-lag",
                "F=a.cnf,h=replica1,P=3307"
            ]
        );
        assert!(one.iter().all(|a| !a.contains("pw")));
        assert_eq!(
            replica_args(&replicas, &files[1..]),
            [
                "--max-lag",
                "3",
                "--check-slave-lag",
                "F=b.cnf,S=/run/r2.sock"
            ]
        );
        // Several: the tool discovers them (it takes one --check-slave-lag only).
        assert_eq!(replica_args(&replicas, &files), ["--max-lag", "3"]);
        assert!(replica_args(&Replicas::default(), &[]).is_empty());
    }

    #[test]
    fn a_backslash_in_the_change_is_refused_when_the_tools_sessions_read_it_unescaped() {
        let osc = |alter: &str| Osc {
            tool: "pt-online-schema-change".into(),
            args: vec!["--alter".into(), alter.into()],
            table: "t".into(),
        };
        let spec = ConnSpec::parse("mysql://u@db/shop", None).unwrap();
        let mode = "STRICT_TRANS_TABLES,NO_BACKSLASH_ESCAPES";
        let refused = |o: &Osc, mode: &str| match find(o, &spec, mode) {
            Err(ApplyError::OscUnusable { reason, .. }) => reason.contains("NO_BACKSLASH_ESCAPES"),
            _ => false,
        };
        assert!(refused(
            &osc(r"ADD COLUMN `p` varchar(9) DEFAULT 'C:\\tmp'"),
            mode
        ));
        // Without a backslash, or with the server's default escaping, the mode does not matter.
        assert!(!refused(&osc("ADD COLUMN `p` int"), mode));
        assert!(!refused(
            &osc(r"ADD COLUMN `p` varchar(9) DEFAULT 'C:\\tmp'"),
            "STRICT_TRANS_TABLES"
        ));
    }
}
