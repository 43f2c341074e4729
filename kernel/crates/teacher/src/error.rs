//! The crate's one error type, [`Error`], and [`Place`], which names where
//! in a notebook a problem is.
//!
//! Problems are found at different depths: the exercise markers and the
//! stubbing see only a cell's source and know a line; the export knows the
//! notebook and the cell. An error found deep down carries the line it
//! knows, and each caller on the way up adds what it knows
//! ([`Error::in_cell`]); the text `notebook.ipynb: cell 4 (ex1), line 7` is
//! written by [`Place`]'s `Display` only. Cells and lines are counted from
//! 0 in the code and shown counted from 1, as a person counts them.

use std::fmt;
use std::path::{Path, PathBuf};

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong in `export`, `run` or `grade`.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A notebook, a cell or a line that a command cannot go on with: not a
    /// notebook, misplaced exercise markers, invalid nbgrader metadata, a
    /// solution that cannot be stubbed, a cell that failed.
    #[error("{}", located(.place, .message))]
    Notebook {
        /// Where (as much of it as is known; possibly nothing).
        place: Place,
        /// What is wrong.
        message: String,
    },
    /// A file or directory that cannot be read or written.
    #[error("{what}: {error}")]
    Io {
        /// What was being done, e.g. `cannot write out.ipynb`.
        what: String,
        /// Why it failed.
        error: std::io::Error,
    },
    /// A kernel that could not be started or reached.
    #[error("{0}")]
    Kernel(String),
    /// No sandbox can be made for student code.
    #[error("cannot grade safely: {0}")]
    Sandbox(String),
    /// Ctrl-C stopped the command.
    #[error("interrupted")]
    Interrupted,
}

impl Error {
    /// A problem with a notebook, or with what the command was asked to do
    /// when `place` is [`Place::default`].
    pub fn at(place: Place, message: impl Into<String>) -> Error {
        Error::Notebook {
            place,
            message: message.into(),
        }
    }

    /// A problem with a notebook as a whole.
    pub fn in_notebook(path: &Path, message: impl Into<String>) -> Error {
        Error::at(Place::notebook(path), message)
    }

    /// A problem at a line (counted from 0) of a cell's source; the caller
    /// names the cell with [`Error::in_cell`].
    pub fn at_line(line: usize, message: impl Into<String>) -> Error {
        Error::at(Place::line(line), message)
    }

    /// A problem with a cell's content as a whole; the caller names the cell
    /// with [`Error::in_cell`].
    pub fn in_content(message: impl Into<String>) -> Error {
        Error::at(Place::default(), message)
    }

    /// An I/O failure while doing `what`.
    pub fn io(what: impl Into<String>, error: std::io::Error) -> Error {
        Error::Io {
            what: what.into(),
            error,
        }
    }

    /// Names the notebook and the cell (counted from 0) of a problem found
    /// in a cell, keeping its line. A problem that already names its
    /// notebook is returned as it is.
    pub fn in_cell(self, path: &Path, cell: usize, grade_id: Option<&str>) -> Error {
        match self {
            Error::Notebook { place, message } if place.notebook.is_none() => Error::Notebook {
                place: Place {
                    line: place.line,
                    ..Place::cell(path, cell, grade_id)
                },
                message,
            },
            other => other,
        }
    }

    /// Changes the line of a problem, e.g. from a line of the cell without
    /// its hidden tests to the same line in the whole cell.
    pub fn map_line(mut self, map: impl FnOnce(usize) -> usize) -> Error {
        if let Error::Notebook { place, .. } = &mut self {
            place.line = place.line.map(map);
        }
        self
    }

    /// The line (counted from 0) the problem is at, if it has one.
    pub fn line(&self) -> Option<usize> {
        match self {
            Error::Notebook { place, .. } => place.line,
            _ => None,
        }
    }

    /// What is wrong, without where.
    pub fn message(&self) -> String {
        match self {
            Error::Notebook { message, .. } => message.clone(),
            other => other.to_string(),
        }
    }
}

/// `place: message`, or the message alone when the place is empty.
fn located(place: &Place, message: &str) -> String {
    if *place == Place::default() {
        message.to_owned()
    } else {
        format!("{place}: {message}")
    }
}

/// Where in a notebook a problem is, as much as is known of it: the
/// notebook, the cell (counted from 0) with its nbgrader `grade_id`, the
/// line in the cell (counted from 0).
///
/// Shown as `notebook.ipynb: cell 4 (ex1), line 7`, counted from 1.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Place {
    /// The notebook, as the user named it.
    pub notebook: Option<PathBuf>,
    /// The cell's index.
    pub cell: Option<usize>,
    /// The cell's nbgrader `grade_id`.
    pub grade_id: Option<String>,
    /// The line in the cell.
    pub line: Option<usize>,
}

impl Place {
    /// A notebook as a whole.
    pub fn notebook(path: &Path) -> Place {
        Place {
            notebook: Some(path.to_owned()),
            ..Place::default()
        }
    }

    /// A cell of a notebook.
    pub fn cell(path: &Path, cell: usize, grade_id: Option<&str>) -> Place {
        Place {
            cell: Some(cell),
            grade_id: grade_id.map(str::to_owned),
            ..Place::notebook(path)
        }
    }

    /// A cell of the notebook being read, named without the notebook (`cell 3`).
    pub fn other_cell(cell: usize) -> Place {
        Place {
            cell: Some(cell),
            ..Place::default()
        }
    }

    /// A line of the cell being read (`line 7`).
    pub fn line(line: usize) -> Place {
        Place {
            line: Some(line),
            ..Place::default()
        }
    }

    /// The same place, at a line of its cell.
    pub fn at_line(self, line: usize) -> Place {
        Place {
            line: Some(line),
            ..self
        }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(notebook) = &self.notebook {
            parts.push(notebook.display().to_string());
        }
        let mut inside = Vec::new();
        if let Some(cell) = self.cell {
            inside.push(match &self.grade_id {
                Some(id) => format!("cell {} ({id})", cell + 1),
                None => format!("cell {}", cell + 1),
            });
        }
        if let Some(line) = self.line {
            inside.push(format!("line {}", line + 1));
        }
        if !inside.is_empty() {
            parts.push(inside.join(", "));
        }
        f.write_str(&parts.join(": "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_counted_from_one() {
        let place = Place::cell(Path::new("a.ipynb"), 3, Some("ex1")).at_line(6);
        assert_eq!(place.to_string(), "a.ipynb: cell 4 (ex1), line 7");
        assert_eq!(
            Place::cell(Path::new("a.ipynb"), 0, None).to_string(),
            "a.ipynb: cell 1"
        );
        assert_eq!(Place::line(2).to_string(), "line 3");
        assert_eq!(Place::other_cell(0).to_string(), "cell 1");
    }

    #[test]
    fn errors_gain_their_cell_on_the_way_up() {
        let error = Error::at_line(1, "`BEGIN SOLUTION` has no matching `END SOLUTION`");
        assert_eq!(
            error.to_string(),
            "line 2: `BEGIN SOLUTION` has no matching `END SOLUTION`"
        );
        let error = error
            .map_line(|line| line + 3)
            .in_cell(Path::new("nb.ipynb"), 1, Some("f"));
        assert_eq!(error.line(), Some(4));
        assert_eq!(
            error.to_string(),
            "nb.ipynb: cell 2 (f), line 5: `BEGIN SOLUTION` has no matching `END SOLUTION`"
        );
        // A problem that names its notebook already keeps its place.
        let named = Error::in_notebook(Path::new("a.ipynb"), "x").in_cell(Path::new("b"), 0, None);
        assert_eq!(named.to_string(), "a.ipynb: x");
        assert_eq!(Error::in_content("no id").to_string(), "no id");
        let error = Error::in_content("no id").in_cell(Path::new("nb.ipynb"), 0, None);
        assert_eq!(error.to_string(), "nb.ipynb: cell 1: no id");
        assert_eq!(error.message(), "no id");
    }
}
