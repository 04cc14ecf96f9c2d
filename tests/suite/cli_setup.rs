//! Setting `canon` up: `canon.yaml` (schema, environments, policies, ignored tables), shell
//! completions and the man page, and the CI examples.

use crate::cli_common::{canon, stderr, stdout, LEGACY, SCHEMA};
use std::path::Path;
use std::process::Command;

#[test]
fn canon_yaml_names_schema_environments_policies_and_ignored_tables() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cfg = dir.path().join("canon.yaml");
    std::fs::write(
        &cfg,
        format!(
            "schema: [{schema}]\nignore: ['platos']\nenvironments:\n  legacy:\n    target: {legacy}\n    ignore: ['pedidos']\n  prod:\n    target: {legacy}\n    allow_destructive: false\n",
            schema = root.join(SCHEMA).display(),
            legacy = root.join(LEGACY).display()
        ),
    )
    .unwrap();
    let c = cfg.to_str().unwrap();
    let o = canon(&[
        "check", "--config", c, "--env", "legacy", "--format", "json",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let names: Vec<&str> = report["objects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["object"]["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"outbox"), "{names:?}");
    assert!(
        !names.contains(&"platos") && !names.contains(&"pedidos"),
        "ignored views are not drift: {names:?}"
    );
    // The environment's policy: no destructive plans for prod.
    let o = canon(&[
        "plan",
        "--config",
        c,
        "--env",
        "prod",
        "--allow-destructive",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("environment `prod` does not allow destructive changes"),
        "{}",
        stderr(&o)
    );
    let o = canon(&["plan", "--config", c, "--env", "staging"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no environment `staging`") && stderr(&o).contains("legacy, prod"));

    // Mistakes point into the file; passwords never belong in it.
    std::fs::write(
        &cfg,
        "schema: [schema]\nenvironments:\n  prod:\n    targte: mysql://x@db/app\n",
    )
    .unwrap();
    let o = canon(&["check", "--config", c, "--env", "prod"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("unknown field `targte`") && stderr(&o).contains("canon.yaml:4:5"),
        "{}",
        stderr(&o)
    );
    std::fs::write(
        &cfg,
        "environments:\n  prod:\n    target: mysql://deploy:Pr0d-pw@db/app\n",
    )
    .unwrap();
    let o = canon(&["check", "--config", c, "--env", "prod", "--schema", SCHEMA]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("puts a password in its target URL") && !stderr(&o).contains("Pr0d-pw")
    );
    // No schema anywhere.
    std::fs::write(&cfg, "ignore: []\n").unwrap();
    let o = canon(&["check", "--config", c, "--target", LEGACY]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no canonical schema"));
}

#[test]
fn shell_completions_and_a_man_page_come_from_the_command_line_definition() {
    let dir = tempfile::tempdir().unwrap();
    let bash = canon(&["completions", "bash"]);
    assert_eq!(bash.status.code(), Some(0));
    let script = dir.path().join("canon.bash");
    std::fs::write(&script, &bash.stdout).unwrap();
    // The script is valid bash, and completes the subcommands and their flags.
    let syntax = Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .unwrap();
    assert!(syntax.status.success(), "{}", stderr(&syntax));
    let text = stdout(&bash);
    for word in [
        "apply",
        "validate",
        "--backup-dir",
        "--allow-destructive",
        "--env",
    ] {
        assert!(text.contains(word), "completion lacks {word}");
    }
    assert!(stdout(&canon(&["completions", "zsh"])).contains("#compdef canon"));
    let man = stdout(&canon(&["man"]));
    assert!(
        man.contains(".TH canon 1") && man.contains("apply"),
        "{man}"
    );
}

#[test]
fn the_ci_examples_are_valid_yaml_and_call_canon_as_it_parses() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ci");
    let mut calls = 0;
    for file in ["github-actions.yml", "gitlab-ci.yml"] {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        let _: serde_json::Value =
            canon::yaml::from_str(&text).unwrap_or_else(|e| panic!("{file}: {}", e.message));
        for line in text.lines() {
            let Some(at) = line.find("canon ") else {
                continue;
            };
            if line.trim_start().starts_with('#') || line[..at].contains('#') {
                continue;
            }
            let words: Vec<&str> = line[at..]
                .split_whitespace()
                .take_while(|w| !matches!(*w, ">" | "|" | "<" | "#"))
                .collect();
            if words.len() < 2 || words[1] == "install" {
                continue;
            }
            use clap::Parser;
            canon::cli::Cli::try_parse_from(&words)
                .unwrap_or_else(|e| panic!("{file}: `{}`: {e}", words.join(" ")));
            calls += 1;
        }
    }
    assert!(calls >= 3, "found {calls} canon calls");
}
