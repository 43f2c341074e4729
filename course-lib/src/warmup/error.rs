//! The error of reading or writing a grades file.

use std::fmt;
use std::io;
use std::path::PathBuf;

use super::grades::{GradeError, Subject};

/// Why students could not be read or written as CSV or JSON.
///
/// Every message says where the problem is, so it can be shown as is:
///
/// ```
/// use course_lib::warmup::{GradesError, Subject, read_csv};
///
/// let text = "name,french,maths,philosophy\nAnn,12,14.5,9\nBo,11,12.3,10\n";
/// let error = read_csv(text.as_bytes()).unwrap_err();
/// assert!(matches!(error, GradesError::BadGrade { line: 3, subject: Subject::Maths, .. }));
/// assert_eq!(
///     error.to_string(),
///     "line 3: bad maths grade \"12.3\": grade 12.3 is not a whole or half point: \
///      grades go by steps of 0.5, like 12 or 12.5"
/// );
/// ```
#[derive(Debug)]
pub enum GradesError {
    /// The file or stream could not be opened, read or written.
    Io {
        /// The file concerned, when there is one.
        path: Option<PathBuf>,
        /// What the operating system reported.
        source: io::Error,
    },
    /// A CSV row has a grade that is not a valid [`Grade`](super::Grade).
    BadGrade {
        /// The line of the row in the file, counting from 1 (the header is line 1).
        line: u64,
        /// The column of the bad grade.
        subject: Subject,
        /// The field as written.
        text: String,
        /// What is wrong with it.
        reason: GradeError,
    },
    /// A CSV row is malformed in another way: a missing column, a wrong
    /// number of fields, text that is not UTF-8...
    BadRow {
        /// The line of the row in the file, counting from 1, when known.
        line: Option<u64>,
        /// The name of the bad column, when known.
        field: Option<String>,
        /// What is wrong.
        message: String,
    },
    /// The JSON text is malformed or does not describe a list of students.
    Json {
        /// The line of the problem, counting from 1.
        line: usize,
        /// The column of the problem, counting from 1.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The file name ends neither in `.csv` nor in `.json`.
    UnknownFormat {
        /// The file concerned.
        path: PathBuf,
    },
}

impl GradesError {
    /// Attaches a file name to an I/O error that has none.
    pub(crate) fn at(self, file: &std::path::Path) -> GradesError {
        match self {
            GradesError::Io { path: None, source } => GradesError::Io {
                path: Some(file.to_path_buf()),
                source,
            },
            other => other,
        }
    }

    pub(crate) fn io(source: io::Error) -> GradesError {
        GradesError::Io { path: None, source }
    }
}

impl fmt::Display for GradesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GradesError::Io {
                path: Some(path),
                source,
            } => write!(f, "cannot access {}: {source}", path.display()),
            GradesError::Io { path: None, source } => write!(f, "input/output error: {source}"),
            GradesError::BadGrade {
                line,
                subject,
                text,
                reason,
            } => write!(f, "line {line}: bad {subject} grade {text:?}: {reason}"),
            GradesError::BadRow {
                line,
                field,
                message,
            } => {
                if let Some(line) = line {
                    write!(f, "line {line}: ")?;
                }
                if let Some(field) = field {
                    write!(f, "column {field:?}: ")?;
                }
                write!(f, "{message}")
            }
            GradesError::Json {
                line,
                column,
                message,
            } => write!(f, "JSON line {line}, column {column}: {message}"),
            GradesError::UnknownFormat { path } => write!(
                f,
                "cannot tell the format of {}: the name must end in .csv or .json",
                path.display()
            ),
        }
    }
}

impl std::error::Error for GradesError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            GradesError::Io { source, .. } => Some(source),
            GradesError::BadGrade { reason, .. } => Some(reason),
            _ => None,
        }
    }
}
