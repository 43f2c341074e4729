//! Reading and writing students as CSV (csv crate) and JSON (serde_json).

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;

use csv::{ErrorKind, StringRecord};

use super::error::GradesError;
use super::grades::{Grade, Student, Subject};

/// The CSV header line, in column order.
///
/// ```
/// use course_lib::warmup::CSV_HEADER;
///
/// assert_eq!(CSV_HEADER.join(","), "name,french,maths,philosophy");
/// ```
pub const CSV_HEADER: [&str; 4] = ["name", "french", "maths", "philosophy"];

/// Writes students as CSV, with a header line, to any writer: a file, a
/// `Vec<u8>`, standard output...
///
/// Grades are written as numbers, `12` or `12.5`.
///
/// ```
/// use course_lib::warmup::{Student, write_csv};
///
/// let students = [Student::new("Ann", 12.5, 16.0, 9.0)?];
/// let mut out = Vec::new();
/// write_csv(&students, &mut out)?;
/// assert_eq!(String::from_utf8(out)?, "name,french,maths,philosophy\nAnn,12.5,16,9\n");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_csv(students: &[Student], writer: impl Write) -> Result<(), GradesError> {
    let mut csv = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(writer);
    csv.write_record(CSV_HEADER).map_err(csv_error)?;
    for student in students {
        csv.serialize(student).map_err(csv_error)?;
    }
    csv.flush().map_err(GradesError::io)
}

/// Reads students from CSV with the header `name,french,maths,philosophy`
/// (columns in any order; spaces around fields are ignored).
///
/// A bad grade is a [`GradesError::BadGrade`] naming the line and the
/// subject; any other bad row is a [`GradesError::BadRow`].
///
/// ```
/// use course_lib::warmup::{GradesError, read_csv};
///
/// let text = "name, french, maths, philosophy\nAnn, 12.5, 16, 9\nBo, 8, 11, 13.5\n";
/// let students = read_csv(text.as_bytes())?;
/// assert_eq!(students.len(), 2);
/// assert_eq!(students[1].philosophy.value(), 13.5);
///
/// let error = read_csv("name,french,maths,philosophy\nAnn,21,1,1\n".as_bytes()).unwrap_err();
/// assert!(matches!(error, GradesError::BadGrade { line: 2, .. }));
/// # Ok::<(), GradesError>(())
/// ```
pub fn read_csv(reader: impl Read) -> Result<Vec<Student>, GradesError> {
    let mut csv = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(reader);
    let headers = csv.headers().map_err(csv_error)?.clone();
    let mut record = StringRecord::new();
    let mut students = Vec::new();
    while csv.read_record(&mut record).map_err(csv_error)? {
        match record.deserialize::<Student>(Some(&headers)) {
            Ok(student) => students.push(student),
            Err(error) => return Err(row_error(error, &record, &headers)),
        }
    }
    Ok(students)
}

/// Writes students as an indented JSON list of objects to any writer.
///
/// ```
/// use course_lib::warmup::{Student, write_json};
///
/// let students = [Student::new("Ann", 12.5, 16.0, 9.0)?];
/// let mut out = Vec::new();
/// write_json(&students, &mut out)?;
/// let text = String::from_utf8(out)?;
/// assert!(text.contains("\"french\": 12.5"));
/// assert!(text.contains("\"maths\": 16"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_json(students: &[Student], mut writer: impl Write) -> Result<(), GradesError> {
    serde_json::to_writer_pretty(&mut writer, students).map_err(json_error)?;
    writer.write_all(b"\n").map_err(GradesError::io)?;
    writer.flush().map_err(GradesError::io)
}

/// Reads students from a JSON list of objects with the keys `name`,
/// `french`, `maths` and `philosophy`.
///
/// ```
/// use course_lib::warmup::{GradesError, read_json};
///
/// let text = r#"[{"name": "Ann", "french": 12.5, "maths": 16, "philosophy": 9}]"#;
/// assert_eq!(read_json(text.as_bytes())?[0].maths.value(), 16.0);
///
/// let bad = r#"[{"name": "Ann", "french": 12.3, "maths": 16, "philosophy": 9}]"#;
/// let error = read_json(bad.as_bytes()).unwrap_err();
/// assert!(matches!(error, GradesError::Json { line: 1, .. }));
/// assert!(error.to_string().contains("grade 12.3 is not a whole or half point"));
/// # Ok::<(), GradesError>(())
/// ```
pub fn read_json(reader: impl Read) -> Result<Vec<Student>, GradesError> {
    serde_json::from_reader(BufReader::new(reader)).map_err(json_error)
}

/// Writes students to a CSV file (created, or replaced if it exists).
///
/// ```no_run
/// use course_lib::warmup::{generate_students, save_csv};
///
/// save_csv(&generate_students(100, 1), "grades.csv")?;
/// # Ok::<(), course_lib::warmup::GradesError>(())
/// ```
pub fn save_csv(students: &[Student], path: impl AsRef<Path>) -> Result<(), GradesError> {
    let path = path.as_ref();
    let file = File::create(path).map_err(|e| GradesError::io(e).at(path))?;
    write_csv(students, BufWriter::new(file)).map_err(|e| e.at(path))
}

/// Reads students from a CSV file.
///
/// ```
/// use course_lib::warmup::{GradesError, load_csv};
///
/// let error = load_csv("no/such/file.csv").unwrap_err();
/// assert!(matches!(error, GradesError::Io { path: Some(_), .. }));
/// assert!(error.to_string().starts_with("cannot access no/such/file.csv"));
/// ```
pub fn load_csv(path: impl AsRef<Path>) -> Result<Vec<Student>, GradesError> {
    let path = path.as_ref();
    let file = File::open(path).map_err(|e| GradesError::io(e).at(path))?;
    read_csv(BufReader::new(file)).map_err(|e| e.at(path))
}

/// Writes students to a JSON file (created, or replaced if it exists).
///
/// ```no_run
/// use course_lib::warmup::{generate_students, save_json};
///
/// save_json(&generate_students(100, 1), "grades.json")?;
/// # Ok::<(), course_lib::warmup::GradesError>(())
/// ```
pub fn save_json(students: &[Student], path: impl AsRef<Path>) -> Result<(), GradesError> {
    let path = path.as_ref();
    let file = File::create(path).map_err(|e| GradesError::io(e).at(path))?;
    write_json(students, BufWriter::new(file)).map_err(|e| e.at(path))
}

/// Reads students from a JSON file.
///
/// ```
/// let error = course_lib::warmup::load_json("no/such/file.json").unwrap_err();
/// assert!(error.to_string().contains("no/such/file.json"));
/// ```
pub fn load_json(path: impl AsRef<Path>) -> Result<Vec<Student>, GradesError> {
    let path = path.as_ref();
    let file = File::open(path).map_err(|e| GradesError::io(e).at(path))?;
    read_json(file).map_err(|e| e.at(path))
}

/// Writes students to a `.csv` or `.json` file, chosen by the file's extension.
///
/// ```
/// use course_lib::warmup::{GradesError, save_students};
///
/// let error = save_students(&[], "grades.xlsx").unwrap_err();
/// assert!(matches!(error, GradesError::UnknownFormat { .. }));
/// ```
pub fn save_students(students: &[Student], path: impl AsRef<Path>) -> Result<(), GradesError> {
    let path = path.as_ref();
    match Format::of(path)? {
        Format::Csv => save_csv(students, path),
        Format::Json => save_json(students, path),
    }
}

/// Reads students from a `.csv` or `.json` file, chosen by the file's extension.
///
/// ```
/// use course_lib::warmup::{GradesError, load_students};
///
/// let error = load_students("grades.txt").unwrap_err();
/// assert_eq!(
///     error.to_string(),
///     "cannot tell the format of grades.txt: the name must end in .csv or .json"
/// );
/// ```
pub fn load_students(path: impl AsRef<Path>) -> Result<Vec<Student>, GradesError> {
    let path = path.as_ref();
    match Format::of(path)? {
        Format::Csv => load_csv(path),
        Format::Json => load_json(path),
    }
}

/// The two file formats, told apart by the extension.
enum Format {
    Csv,
    Json,
}

impl Format {
    fn of(path: &Path) -> Result<Format, GradesError> {
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match extension.as_deref() {
            Some("csv") => Ok(Format::Csv),
            Some("json") => Ok(Format::Json),
            _ => Err(GradesError::UnknownFormat {
                path: path.to_path_buf(),
            }),
        }
    }
}

/// Converts a CSV error that is not about one row's content.
fn csv_error(error: csv::Error) -> GradesError {
    let line = error.position().map(|p| p.line());
    let message = match error.into_kind() {
        ErrorKind::Io(source) => return GradesError::io(source),
        ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("expected {expected_len} fields like the header line, found {len}"),
        ErrorKind::Utf8 { err, .. } => {
            format!("field number {} is not valid UTF-8 text", err.field() + 1)
        }
        ErrorKind::Serialize(message) => message,
        ErrorKind::Deserialize { err, .. } => err.kind().to_string(),
        other => format!("unexpected CSV error ({other:?})"),
    };
    GradesError::BadRow {
        line,
        field: None,
        message,
    }
}

/// Explains why one row could not become a [`Student`]: first a bad grade,
/// checked field by field, then whatever serde reported.
fn row_error(error: csv::Error, record: &StringRecord, headers: &StringRecord) -> GradesError {
    let line = record.position().map(|p| p.line());
    for subject in Subject::ALL {
        let column = headers.iter().position(|h| h == subject.name());
        let text = column.and_then(|c| record.get(c));
        if let Some(text) = text
            && let Err(reason) = text.parse::<Grade>()
        {
            return GradesError::BadGrade {
                line: line.unwrap_or(0),
                subject,
                text: text.to_string(),
                reason,
            };
        }
    }
    match error.kind() {
        ErrorKind::Deserialize { err, .. } => GradesError::BadRow {
            line,
            field: err
                .field()
                .and_then(|i| headers.get(i as usize))
                .map(String::from),
            message: err.kind().to_string(),
        },
        _ => csv_error(error),
    }
}

/// Converts a serde_json error, keeping its line and column.
fn json_error(error: serde_json::Error) -> GradesError {
    if error.is_io() {
        return GradesError::io(error.into());
    }
    let (line, column) = (error.line(), error.column());
    let full = error.to_string();
    let suffix = format!(" at line {line} column {column}");
    let message = full.strip_suffix(&suffix).unwrap_or(&full).to_string();
    GradesError::Json {
        line,
        column,
        message,
    }
}
