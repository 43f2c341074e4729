//! Compile errors rendered for a notebook: rustc's code, its message and the
//! offending lines of the cell with their labels underneath.

use super::CellError;
use evcxr::{CompilationError, Error};

const RED: &str = "\x1b[1;31m";
const BLUE: &str = "\x1b[1;34m";
const RESET: &str = "\x1b[0m";

/// Says why a cell failed when rustc gave no error for the cell's own code
/// (only warnings or notes, often left over from earlier cells).
const NO_ERROR: &str = "the cell did not compile, but rustc reported no error in it";
const NO_ERROR_HINT: &str = "This happens when a `let` holds a value that cannot be kept \
     between cells (a closure, an iterator: use it inside a `{ }` block instead), or when the \
     error is in the cell's last expression: write it as `let value = ...;` to see rustc's message.";

/// `message` (an evcxr or cargo error), followed by what to do when cargo
/// could not write to the crate cache: on a shared installation
/// (`rcourse install --prefix`), the cache belongs to the administrator, and
/// `:dep` can use only the crates already in it.
pub fn with_crate_cache_hint(message: String) -> String {
    let Some(cache) = std::env::var_os("CARGO_HOME") else {
        return message;
    };
    let cache = cache.to_string_lossy().into_owned();
    if !(message.contains("Permission denied") && message.contains(&cache)) {
        return message;
    }
    format!(
        "{message}\n\nThe crate cache {cache} is shared by the class and read-only: `:dep` can use \
         the crates it already holds (the course library's dependencies and those your teacher \
         added). Ask your teacher to add this one (see \"Crates for :dep\" in the README)."
    )
}

/// One `error` for a cell that did not compile.
pub fn render(errors: &[CompilationError], code: &str) -> CellError {
    let lines: Vec<&str> = code.lines().collect();
    let real: Vec<&CompilationError> = errors.iter().filter(|e| e.level() == "error").collect();
    let mut traceback = Vec::new();
    if real.is_empty() {
        traceback.push(format!("{RED}error{RESET}: {NO_ERROR}"));
        traceback.push(NO_ERROR_HINT.to_owned());
    }
    let shown = if real.is_empty() {
        errors.iter().collect()
    } else {
        real.clone()
    };
    for error in &shown {
        if !traceback.is_empty() {
            traceback.push(String::new());
        }
        traceback.extend(render_one(error, &lines));
    }
    match real.first() {
        Some(first) => CellError {
            ename: first.code().unwrap_or("CompilationError").to_owned(),
            evalue: first.message(),
            traceback,
        },
        None => CellError {
            ename: "CompilationError".to_owned(),
            evalue: NO_ERROR.to_owned(),
            traceback,
        },
    }
}

fn render_one(error: &CompilationError, lines: &[&str]) -> Vec<String> {
    let title = match error.code() {
        Some(code) => format!("{RED}{}[{code}]{RESET}: {}", error.level(), error.message()),
        None => format!("{RED}{}{RESET}: {}", error.level(), error.message()),
    };
    let mut out = vec![title];
    let spans: Vec<_> = error
        .spanned_messages()
        .iter()
        .filter_map(|m| {
            m.span.map(|s| {
                let span = Span {
                    start_line: s.start_line,
                    start_column: s.start_column,
                    end_line: s.end_line,
                    end_column: s.end_column,
                };
                (span, m.label.as_str())
            })
        })
        .collect();
    let width = spans
        .iter()
        .map(|(span, _)| span.end_line.to_string().len())
        .max()
        .unwrap_or(1);
    let gutter = " ".repeat(width);
    if let Some((first, _)) = spans.first() {
        out.push(format!(
            "{gutter}{BLUE}-->{RESET} cell line {}:{}",
            first.start_line, first.start_column
        ));
        out.push(format!("{gutter} {BLUE}|{RESET}"));
    }
    for (span, label) in &spans {
        for line_no in span.start_line..=span.end_line {
            let text = lines.get(line_no.wrapping_sub(1)).copied().unwrap_or("");
            out.push(format!("{BLUE}{line_no:>width$} |{RESET} {text}"));
            let (from, to) = underline(span, line_no, text);
            let label = if line_no == span.end_line { *label } else { "" };
            out.push(format!(
                "{gutter} {BLUE}|{RESET} {}{RED}{}{RESET} {label}",
                " ".repeat(from),
                "^".repeat(to.saturating_sub(from).max(1)),
            ));
        }
    }
    for help in error.help() {
        out.push(format!("{gutter} {BLUE}={RESET} help: {help}"));
    }
    out
}

/// Where a message points in the cell (1-based lines and columns, end column exclusive).
struct Span {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

/// Columns (0-based, in characters) to underline on `line_no` of a span.
fn underline(span: &Span, line_no: usize, text: &str) -> (usize, usize) {
    let length = text.chars().count();
    let from = if line_no == span.start_line {
        span.start_column.saturating_sub(1)
    } else {
        0
    };
    let to = if line_no == span.end_line {
        span.end_column.saturating_sub(1)
    } else {
        length
    };
    (from.min(length), to.min(length.max(from + 1)))
}

/// An evcxr error as plain text, for notes outside a cell.
pub fn plain(error: &Error) -> String {
    match error {
        Error::CompilationErrors(errors) => errors
            .iter()
            .map(|e| match e.code() {
                Some(code) => format!("error[{code}]: {}", e.message()),
                None => format!("error: {}", e.message()),
            })
            .collect::<Vec<_>>()
            .join("\n"),
        other => other.to_string(),
    }
}
