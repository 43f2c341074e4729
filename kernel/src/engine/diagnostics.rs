//! Compile errors rendered for a notebook: rustc's code, its message and the
//! offending lines of the cell with their labels underneath.

use super::CellError;
use evcxr::{CompilationError, Error};

const RED: &str = "\x1b[1;31m";
const BLUE: &str = "\x1b[1;34m";
const RESET: &str = "\x1b[0m";

/// One `error` for a cell that did not compile.
pub fn render(errors: &[CompilationError], code: &str) -> CellError {
    let shown: Vec<&CompilationError> = {
        let real: Vec<_> = errors.iter().filter(|e| e.level() == "error").collect();
        if real.is_empty() {
            errors.iter().collect()
        } else {
            real
        }
    };
    let lines: Vec<&str> = code.lines().collect();
    let mut traceback = Vec::new();
    for (i, error) in shown.iter().enumerate() {
        if i > 0 {
            traceback.push(String::new());
        }
        traceback.extend(render_one(error, &lines));
    }
    let first = shown.first();
    CellError {
        ename: first
            .and_then(|e| e.code())
            .unwrap_or("CompilationError")
            .to_owned(),
        evalue: first.map(|e| e.message()).unwrap_or_default(),
        traceback,
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
