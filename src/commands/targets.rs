//! The list of databases a fleet command works on: a targets file, or the output of an
//! inventory command (`--targets-cmd`). Entries are shown by what [`Shown`] allows (host,
//! port, database; or the list's name and line for an entry that is not a target), never
//! as written: an entry may hold a password.

use crate::cli::Fleet;
use crate::source::Shown;
use crate::{Credentials, Error, Target};
use std::path::PathBuf;

/// The targets of a list, each with its line.
pub struct Listed {
    /// The file, or `--targets-cmd` for a command's output: what line numbers refer to.
    pub origin: PathBuf,
    pub entries: Vec<(usize, String)>,
}

impl Listed {
    /// The list the command line names, if it names one.
    pub fn read(fleet: &Fleet) -> Result<Option<Listed>, Error> {
        let (origin, text) = match (&fleet.targets, &fleet.targets_cmd) {
            (Some(file), _) => (
                file.clone(),
                std::fs::read_to_string(file).map_err(|source| Error::Read {
                    path: file.display().to_string(),
                    source,
                })?,
            ),
            (None, Some(cmd)) => (PathBuf::from("--targets-cmd"), run(cmd)?),
            (None, None) => return Ok(None),
        };
        let entries = entries(&text)
            .into_iter()
            .map(|(n, e)| (n, e.to_string()))
            .collect();
        Ok(Some(Listed { origin, entries }))
    }

    /// How one entry is shown: its database when it reads as a target, else its place.
    pub fn shown(&self, creds: &Credentials, index: usize) -> Shown {
        let (line, entry) = &self.entries[index];
        match Target::resolve(Some(entry), creds) {
            Ok(target) => target.shown(),
            Err(_) => Shown::listed(&self.origin, *line),
        }
    }
}

/// The command's standard output; its errors go to the terminal as they come. The command
/// itself is not repeated in messages: it may hold a password.
fn run(cmd: &str) -> Result<String, Error> {
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|source| Error::Read {
            path: "the output of --targets-cmd".into(),
            source,
        })?;
    if !out.status.success() {
        return Err(Error::Usage(format!(
            "--targets-cmd failed ({}); its output was not used",
            out.status
        )));
    }
    String::from_utf8(out.stdout)
        .map_err(|_| Error::Usage("--targets-cmd printed text that is not UTF-8".into()))
}

/// The targets a list holds: (line number, text). `#` starts a comment at the start of a
/// line or after a space, so an unencoded `#` inside a URL stays in it (and is refused there).
fn entries(text: &str) -> Vec<(usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, line)| {
            let code = match line.find(" #").or_else(|| line.find("\t#")) {
                Some(at) => &line[..at],
                None if line.trim_start().starts_with('#') => "",
                None => line,
            };
            (i + 1, code.trim())
        })
        .filter(|(_, l)| !l.is_empty())
        .collect()
}

/// Run `work` on every item, `parallel` at a time; the results in the items' order.
pub fn each<I: Sync, T: Send>(
    items: &[I],
    parallel: usize,
    work: impl Fn(&I) -> T + Sync,
) -> Vec<T> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let slots: Vec<std::sync::Mutex<Option<T>>> =
        items.iter().map(|_| Default::default()).collect();
    std::thread::scope(|s| {
        for _ in 0..parallel.max(1).min(items.len()) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(item) = items.get(i) else {
                    break;
                };
                let result = work(item);
                if let Ok(mut slot) = slots[i].lock() {
                    *slot = Some(result);
                }
            });
        }
    });
    // A worker that panicked has taken the scope down with it: every slot is filled.
    slots
        .into_iter()
        .filter_map(|m| m.into_inner().ok().flatten())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::entries;

    #[test]
    fn comments_start_a_line_or_follow_a_space() {
        let text = "# tenants\nmysql://a@h/one   # old host\n\n\tmysql://a:p#w@h/two\n  # off\n";
        assert_eq!(
            entries(text),
            vec![(2, "mysql://a@h/one"), (4, "mysql://a:p#w@h/two")]
        );
    }
}
