//! The files a schema source names: `.sql` files under directories, and a dump's server
//! version from its header.

use super::LoadError;
use crate::flavor::Flavor;
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// `.sql` files under the given paths, directories read recursively in name order.
pub fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, LoadError> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|source| LoadError::Io {
            path: p.display().to_string(),
            source,
        })?;
        if meta.is_dir() {
            let before = out.len();
            walk(p, &mut out)?;
            if out.len() == before {
                return Err(LoadError::NoFiles(p.display().to_string()));
            }
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), LoadError> {
    let io = |source| LoadError::Io {
        path: dir.display().to_string(),
        source,
    };
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(io)?;
    entries.sort();
    for e in entries {
        if e.is_dir() {
            walk(&e, out)?;
        } else if e.extension().is_some_and(|x| x.eq_ignore_ascii_case("sql")) {
            out.push(e);
        }
    }
    Ok(())
}

pub(super) fn io_error(path: &Path) -> impl Fn(std::io::Error) -> LoadError + '_ {
    move |source| LoadError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// The server version a mysqldump / mariadb-dump header names.
pub fn dump_flavor(path: &Path) -> Result<Option<Flavor>, LoadError> {
    let file = std::fs::File::open(path).map_err(io_error(path))?;
    let mut lines = std::io::BufReader::new(file).split(b'\n').take(30);
    while let Some(line) = lines.next().transpose().map_err(io_error(path))? {
        let line = String::from_utf8_lossy(&line);
        if let Some(v) = line.strip_prefix("-- Server version") {
            return Ok(Flavor::from_server_version(v.trim()).ok());
        }
    }
    Ok(None)
}
