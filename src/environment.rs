//! The process environment, read here and nowhere else: the runbooks' `DB_*` variables and
//! the password variable a canon.yaml environment names, who runs canon, `$HOME`, and the
//! programs on `PATH`.

use std::path::{Path, PathBuf};

/// A variable's value; set but empty counts as unset, as the runbooks' scripts export them.
pub fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Who runs canon (`$USER`, else `$LOGNAME`): the history table's operator by default.
pub fn user() -> Option<String> {
    var("USER").or_else(|| var("LOGNAME"))
}

/// `~/…` expanded with `$HOME`.
pub fn home_path(p: &Path) -> PathBuf {
    match (p.strip_prefix("~"), std::env::var_os("HOME")) {
        (Ok(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => p.to_path_buf(),
    }
}

/// The first of `names` that is a file in a directory of `PATH`, then of `also`.
pub fn program(names: &[&str], also: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(also.iter().map(PathBuf::from))
        .flat_map(|d| names.iter().map(move |n| d.join(n)))
        .find(|p| p.is_file())
}
