//! rustc's warnings about a cell's own code, as the cell shows them.
//!
//! The rustc wrapper ([`crate::rustc`]) keeps the warnings of each build of
//! a cell's crate, as rustc's JSON diagnostics. The crate holds the
//! student's lines among code that evcxr and the magics generate, so a
//! warning is shown only when the line it points at is one of the cell's
//! own lines, and it names that line by its number in the cell. Shown
//! warnings are dimmed (grey), on stderr, after the cell's other output.

use serde_json::Value;
use std::path::Path;

/// Grey, then back to normal: how the warnings are dimmed.
const DIM: &str = "\x1b[90m";
const NORMAL: &str = "\x1b[0m";

/// The warnings kept in `file` that point at lines of `cell`, rendered for
/// the cell's stderr; empty when there are none.
pub fn read(file: &Path, cell: &str) -> String {
    let Ok(text) = std::fs::read_to_string(file) else {
        return String::new();
    };
    render(&text, cell)
}

/// Renders the JSON diagnostics in `text` (one per line) that point at
/// lines of `cell`.
fn render(text: &str, cell: &str) -> String {
    let mut shown: Vec<String> = Vec::new();
    for line in text.lines() {
        let Ok(json) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        if let Some(warning) = warning(&json, cell)
            && !shown.contains(&warning)
        {
            shown.push(warning);
        }
    }
    shown
        .iter()
        .map(|warning| format!("{DIM}{warning}{NORMAL}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// One warning, when its primary span points at a line of `cell`:
///
/// ```text
/// warning: unused variable: `x`
///  --> line 2
///   |     let x = 5;
///   |         ^
///   = help: if this is intentional, prefix it with an underscore: `_x`
/// ```
fn warning(json: &Value, cell: &str) -> Option<String> {
    let message = json["message"].as_str()?;
    let span = json["spans"]
        .as_array()?
        .iter()
        .find(|span| span["is_primary"] == true)?;
    let source = span["text"].as_array()?.first()?;
    let text = source["text"].as_str()?;
    let number = cell
        .lines()
        .position(|line| !line.trim().is_empty() && line == text)?
        + 1;
    let start = source["highlight_start"].as_u64().unwrap_or(1).max(1) as usize;
    let end = source["highlight_end"].as_u64().unwrap_or(start as u64) as usize;
    let marker = format!(
        "{}{}",
        " ".repeat(start - 1),
        "^".repeat(end.saturating_sub(start).max(1))
    );
    let mut out = vec![
        format!("warning: {message}"),
        format!(" --> line {number}"),
        format!("  | {text}"),
        format!("  | {marker}"),
    ];
    for child in json["children"].as_array().into_iter().flatten() {
        let (Some(level), Some(note)) = (child["level"].as_str(), child["message"].as_str()) else {
            continue;
        };
        // rustc's note on which lint fired is noise in a notebook.
        if note.starts_with("`#[warn(") {
            continue;
        }
        let suggestion = child["spans"]
            .as_array()
            .and_then(|spans| spans.first())
            .and_then(|span| span["suggested_replacement"].as_str())
            .filter(|replacement| !replacement.is_empty() && !note.contains(replacement))
            .map(|replacement| format!(": `{replacement}`"))
            .unwrap_or_default();
        out.push(format!("  = {level}: {note}{suggestion}"));
    }
    Some(out.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A warning as rustc writes it, pointing at `line` (columns `start`
    /// to `end`) of the generated crate.
    fn diagnostic(message: &str, line: &str, start: u64, end: u64) -> String {
        serde_json::json!({
            "$message_type": "diagnostic",
            "level": "warning",
            "message": message,
            "spans": [{
                "is_primary": true,
                "line_start": 40,
                "text": [{"text": line, "highlight_start": start, "highlight_end": end}],
            }],
            "children": [
                {"level": "note", "message": "`#[warn(unused_variables)]` on by default", "spans": []},
                {"level": "help", "message": "if this is intentional, prefix it with an underscore",
                 "spans": [{"suggested_replacement": "_x"}]},
            ],
        })
        .to_string()
    }

    #[test]
    fn a_warning_on_the_cells_line_names_it() {
        let cell = "let a = 1;\nfn f() {\n    let x = 5;\n}";
        let text = diagnostic("unused variable: `x`", "    let x = 5;", 9, 10);
        let shown = render(&text, cell);
        let plain = shown.replace(DIM, "").replace(NORMAL, "");
        assert_eq!(
            plain,
            "warning: unused variable: `x`\n --> line 3\n  |     let x = 5;\n  |         ^\n  \
             = help: if this is intentional, prefix it with an underscore: `_x`"
        );
        assert!(shown.starts_with(DIM) && shown.ends_with(NORMAL));
    }

    #[test]
    fn warnings_about_generated_code_are_not_shown() {
        let text = diagnostic("unused variable: `t`", "let t = evcxr_internal();", 5, 6);
        assert_eq!(render(&text, "let a = 1;"), "");
        assert_eq!(render("not json\n", "let a = 1;"), "");
    }

    #[test]
    fn a_warning_is_shown_once() {
        let one = diagnostic("unreachable expression", "    1", 5, 6);
        let text = format!("{one}\n{one}\n");
        let shown = render(&text, "fn f() -> i32 {\n    return 0;\n    1\n}");
        assert_eq!(shown.matches("unreachable expression").count(), 1);
    }
}
