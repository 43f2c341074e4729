//! history_request: every stored cell, kept across kernel restarts.
//!
//! The history lives in a JSON lines file (by default in the user's Jupyter
//! data directory, [`History::default_file`], which honours
//! `JUPYTER_DATA_DIR` as Jupyter does), one JSON object per executed cell.
//! Each kernel start is a new session, numbered after the last one on file.

use jupyter_protocol::{HistoryEntry, HistoryReply, HistoryRequest};
use serde::{Deserialize, Serialize};
use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;

#[derive(Serialize, Deserialize, Clone)]
struct Entry {
    session: usize,
    line: usize,
    input: String,
    #[serde(default)]
    output: Option<String>,
}

/// The history store.
pub struct History {
    file: Option<PathBuf>,
    session: usize,
    entries: Mutex<Vec<Entry>>,
}

impl History {
    /// `rcourse/history.jsonl` in the user's Jupyter data directory
    /// ([`jupyter_data_dir`]), if it is known.
    pub fn default_file() -> Option<PathBuf> {
        jupyter_data_dir().map(|dir| dir.join("rcourse").join("history.jsonl"))
    }

    /// Loads the history kept in `file` (none: in memory only); lines that
    /// cannot be read are skipped.
    pub fn open(file: Option<PathBuf>) -> History {
        let entries: Vec<Entry> = file
            .as_ref()
            .and_then(|path| std::fs::read_to_string(path).ok())
            .map(|text| {
                text.lines()
                    .filter_map(|l| serde_json::from_str(l).ok())
                    .collect()
            })
            .unwrap_or_default();
        let session = entries.iter().map(|e| e.session).max().unwrap_or(0) + 1;
        History {
            file,
            session,
            entries: Mutex::new(entries),
        }
    }

    /// Stores cell `line` of this session.
    pub fn record(&self, line: usize, input: &str, output: Option<&str>) {
        let entry = Entry {
            session: self.session,
            line,
            input: input.to_owned(),
            output: output.map(str::to_owned),
        };
        if let Err(error) = self.append(&entry) {
            log::warn!("cannot save history: {error}");
        }
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(entry);
    }

    fn append(&self, entry: &Entry) -> std::io::Result<()> {
        let Some(path) = &self.file else {
            return Ok(());
        };
        use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
        // Only the user may read what they typed: the directory is made
        // (or kept) 0700, the file 0600, and a symbolic link planted in
        // its place is not followed.
        if let Some(dir) = path.parent() {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)?;
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        }
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW)
            .open(path)?;
        writeln!(file, "{}", serde_json::to_string(entry)?)
    }

    /// Answers a history request.
    pub fn reply(&self, request: &HistoryRequest) -> HistoryReply {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let (found, output): (Vec<Entry>, bool) = match request {
            HistoryRequest::Tail { n, output, .. } => (last(entries.iter(), *n), *output),
            HistoryRequest::Range {
                session,
                start,
                stop,
                output,
                ..
            } => {
                let session = self.resolve_session(session.unwrap_or(0));
                let found = entries
                    .iter()
                    .filter(|e| e.session == session)
                    .filter(|e| e.line as i64 >= i64::from(*start))
                    .filter(|e| *stop <= 0 || (e.line as i64) < i64::from(*stop))
                    .cloned()
                    .collect();
                (found, *output)
            }
            HistoryRequest::Search {
                pattern,
                unique,
                output,
                n,
                ..
            } => (search(&entries, pattern, *unique, *n), *output),
        };
        HistoryReply::new(found.into_iter().map(|e| to_wire(e, output)).collect())
    }

    /// Session 0 is this one; negative numbers count back from it.
    fn resolve_session(&self, session: i32) -> usize {
        if session > 0 {
            session as usize
        } else {
            (self.session as i64 + i64::from(session)).max(0) as usize
        }
    }
}

/// The variable that names the user's Jupyter data directory.
const DATA_DIR_VAR: &str = "JUPYTER_DATA_DIR";

/// The user's Jupyter data directory, by Jupyter's rule (`jupyter
/// --data-dir`): `JUPYTER_DATA_DIR` when it is set and not empty, else the
/// platform's default (on Linux `$XDG_DATA_HOME/jupyter`, by default
/// `~/.local/share/jupyter`).
pub fn jupyter_data_dir() -> Option<PathBuf> {
    data_dir_from(std::env::var_os(DATA_DIR_VAR), || {
        jupyter_zmq_client::user_data_dir().ok()
    })
}

/// [`jupyter_data_dir`], given the variable's value and the platform's default.
fn data_dir_from(
    variable: Option<OsString>,
    default: impl FnOnce() -> Option<PathBuf>,
) -> Option<PathBuf> {
    match variable {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => default(),
    }
}

/// The last `n` entries (all of them when `n` is not positive), oldest first.
fn last<'a>(entries: impl DoubleEndedIterator<Item = &'a Entry>, n: i32) -> Vec<Entry> {
    let mut found: Vec<Entry> = match usize::try_from(n) {
        Ok(n) if n > 0 => entries.rev().take(n).cloned().collect(),
        _ => entries.rev().cloned().collect(),
    };
    found.reverse();
    found
}

/// Entries whose input matches the glob `pattern`; with `unique`, only the
/// latest of identical inputs.
fn search(entries: &[Entry], pattern: &str, unique: bool, n: i32) -> Vec<Entry> {
    let Ok(glob) = glob::Pattern::new(pattern) else {
        return Vec::new();
    };
    let mut seen = std::collections::HashSet::new();
    let matching: Vec<&Entry> = entries
        .iter()
        .rev()
        .filter(|e| glob.matches(&e.input))
        .filter(|e| !unique || seen.insert(e.input.clone()))
        .collect();
    last(matching.into_iter().rev(), n)
}

fn to_wire(entry: Entry, output: bool) -> HistoryEntry {
    if output {
        HistoryEntry::InputOutput(
            entry.session,
            entry.line,
            (entry.input, entry.output.unwrap_or_default()),
        )
    } else {
        HistoryEntry::Input(entry.session, entry.line, entry.input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(session: usize, line: usize, input: &str) -> Entry {
        Entry {
            session,
            line,
            input: input.into(),
            output: None,
        }
    }

    #[test]
    fn search_is_a_glob_and_unique_keeps_the_latest() {
        let entries = vec![
            entry(1, 1, "6 * 7"),
            entry(1, 2, "let x = 1;"),
            entry(2, 1, "6 * 7"),
        ];
        assert!(search(&entries, "6 *", false, 0).len() == 2);
        assert!(
            search(&entries, "6", false, 0).is_empty(),
            "a glob matches the whole input"
        );
        let found = search(&entries, "6*", true, 0);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].session, 2);
        let found = search(&entries, "*", false, 2);
        assert_eq!(found.iter().map(|e| e.line).collect::<Vec<_>>(), [2, 1]);
    }

    #[test]
    fn the_data_dir_variable_comes_before_the_default() {
        let default = || Some(PathBuf::from("/home/ferris/.local/share/jupyter"));
        assert_eq!(
            data_dir_from(Some("/tmp/jupyter-data".into()), default),
            Some(PathBuf::from("/tmp/jupyter-data"))
        );
        assert_eq!(data_dir_from(None, default), default());
        assert_eq!(
            data_dir_from(Some(OsString::new()), default),
            default(),
            "an empty variable is unset, as in Jupyter"
        );
        assert_eq!(data_dir_from(None, || None), None);
    }

    #[test]
    fn tail_keeps_order() {
        let entries = [entry(1, 1, "a"), entry(1, 2, "b"), entry(1, 3, "c")];
        let found = last(entries.iter(), 2);
        assert_eq!(
            found.iter().map(|e| e.input.as_str()).collect::<Vec<_>>(),
            ["b", "c"]
        );
    }
}
