//! Feedback for one student: their graded notebook as a standalone HTML
//! page, in the manner of nbgrader's `generate_feedback`.
//!
//! The page opens with the student, the notebook, the total and the list of
//! graded cells with their points, each a link to its cell; then come all
//! the cells in order, each with its source, its outputs and, for a graded
//! cell, a box saying how it fared. Nearly everything on the page was
//! written by the student or printed by their code, so none of it is taken
//! as HTML: markdown is shown as the text it is, an HTML output by its
//! plain-text form, ANSI colours are dropped from outputs, the control
//! characters left are shown as escapes (`report::visible_block`), and all
//! text is escaped with `rcourse_cell::escape_html`. The page has no script
//! and loads nothing, which its Content-Security-Policy also forbids;
//! images are embedded as data URLs, and only when their data is base64.

use crate::report::{CellScore, StudentReport, score_text, visible, visible_block};
use rcourse_cell::escape_html;
use serde_json::Value;
use std::borrow::Cow;
use std::fmt::Write;

/// The longest text output shown whole, in characters; the rest is cut off
/// with a note.
const TEXT_LIMIT: usize = 100_000;

/// The largest image shown, in characters of base64 (about 750 KB of
/// image): a plot is often larger than a text output may be.
const IMAGE_LIMIT: usize = 1_000_000;

/// The kind of a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    /// Code, shown with its outputs.
    Code,
    /// Markdown, shown as the text the student wrote, not rendered.
    Markdown,
    /// A raw cell, shown as preformatted text.
    Raw,
}

impl CellKind {
    /// The kind of a cell of nbformat type `cell_type`; a type that is
    /// neither `code` nor `markdown` is shown as raw text.
    pub fn of(cell_type: &str) -> CellKind {
        match cell_type {
            "code" => CellKind::Code,
            "markdown" => CellKind::Markdown,
            _ => CellKind::Raw,
        }
    }

    fn class(self) -> &'static str {
        match self {
            CellKind::Code => "code",
            CellKind::Markdown => "markdown",
            CellKind::Raw => "raw",
        }
    }
}

/// One cell of a graded submission as the student sees it in feedback.
#[derive(Debug, Clone)]
pub struct FeedbackCell {
    /// Code, markdown or raw.
    pub kind: CellKind,
    /// What to show: the student's code or text, or a test cell without
    /// its hidden tests.
    pub source: String,
    /// The cell's outputs in nbformat form (`stream`, `display_data`,
    /// `execute_result`, `error`).
    pub outputs: Vec<Value>,
    /// For a graded cell, its row of the report.
    pub score: Option<CellScore>,
}

const STYLE: &str = "\
body { font-family: sans-serif; color: #222; max-width: 60em; margin: 2em auto; padding: 0 1em; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.7em; text-align: left; }
td.points { text-align: right; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0.4em 0; padding: 0.5em; }
pre.source { background: #f5f5f5; border: 1px solid #ddd; }
pre.markdown, pre.raw { font-family: inherit; border-left: 3px solid #ddd; }
pre.output { border-left: 3px solid #ccc; }
pre.stderr { background: #fdf5e6; }
pre.error { background: #fdecea; border-left-color: #a31515; }
section.cell { border-top: 1px solid #ddd; padding: 0.5em 0; }
.label { color: #777; font-size: 0.85em; margin: 0.2em 0; }
.note { color: #666; font-style: italic; }
.grade { border: 1px solid #888; border-radius: 4px; padding: 0.3em 0.7em; margin: 0.4em 0; background: #f5f5f5; }
.grade.passed { border-color: #176f2c; background: #eef8f0; }
.grade.failed, .grade.timeout, .grade.missing, .grade.not-run { border-color: #a31515; background: #fdecea; }
.grade pre { padding: 0; }
td.passed { color: #176f2c; }
td.failed, td.timeout, td.missing, td.not-run { color: #a31515; }
img { max-width: 100%; }
";

/// The feedback page of one student: `report` is their row of the grade
/// report, `assignment` the notebook's name, `cells` every cell of their
/// graded notebook in order (a cell's number on the page is its place in
/// `cells`, counted from 1, as the report counts cells).
pub fn render(report: &StudentReport, assignment: &str, cells: &[FeedbackCell]) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" \
         content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">\n\
         <title>Feedback: {} ({})</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n",
        line(assignment),
        line(&report.student)
    );
    header(&mut out, report, assignment, cells);
    out.push_str("<main>\n");
    for (index, cell) in cells.iter().enumerate() {
        cell_html(&mut out, index + 1, cell);
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// The student, the notebook, the total and the graded cells.
fn header(out: &mut String, report: &StudentReport, assignment: &str, cells: &[FeedbackCell]) {
    let _ = writeln!(
        out,
        "<header>\n<h1>Feedback on {}</h1>\n<p>Student: <strong>{}</strong></p>\n\
         <p>Score: <strong>{}</strong></p>",
        line(assignment),
        line(&report.student),
        line(&score_text(Some(report.score), report.max_score))
    );
    if let Some(problem) = &report.problem {
        let _ = writeln!(out, "<p class=\"note\">Note: {}</p>", line(problem));
    }
    if !report.failed_cells.is_empty() {
        out.push_str("<p>Cells that failed outside the tests:</p>\n<ul>\n");
        for failed in &report.failed_cells {
            let _ = writeln!(out, "<li>{}</li>", line(failed));
        }
        out.push_str("</ul>\n");
    }
    out.push_str(
        "<table>\n<thead><tr><th>graded cell</th><th>status</th><th>points</th></tr></thead>\n<tbody>\n",
    );
    for graded in &report.cells {
        let place = cells.iter().position(|cell| {
            cell.score
                .as_ref()
                .is_some_and(|score| score.grade_id == graded.grade_id)
        });
        let name = line(&graded.grade_id);
        let name = match place {
            Some(index) => format!("<a href=\"#cell-{}\">{name}</a>", index + 1),
            None => name,
        };
        let status = graded.status.label();
        let _ = writeln!(
            out,
            "<tr><td>{name}</td><td class=\"{status}\">{status}</td><td class=\"points\">{}</td></tr>",
            line(&score_text(graded.score, graded.max_score))
        );
    }
    out.push_str("</tbody>\n</table>\n");
    if report.cells.iter().any(|c| c.score.is_none()) {
        out.push_str("<p class=\"note\">Cells graded by hand are not in the score.</p>\n");
    }
    out.push_str("</header>\n");
}

/// One cell: its number, its grade, its source and its outputs.
fn cell_html(out: &mut String, number: usize, cell: &FeedbackCell) {
    let kind = cell.kind.class();
    let _ = writeln!(
        out,
        "<section class=\"cell {kind}\" id=\"cell-{number}\">\n<p class=\"label\">cell {number}</p>"
    );
    if let Some(score) = &cell.score {
        let status = score.status.label();
        let _ = write!(
            out,
            "<div class=\"grade {status}\"><strong>{}</strong>: {status}, {} points",
            line(&score.grade_id),
            line(&score_text(score.score, score.max_score))
        );
        if !score.detail.is_empty() {
            let _ = write!(
                out,
                "<pre class=\"detail\">{}</pre>",
                line(&strip_ansi(&score.detail))
            );
        }
        out.push_str("</div>\n");
    }
    let source = escape_html(&visible_block(&cell.source));
    match cell.kind {
        CellKind::Code => {
            let _ = writeln!(out, "<pre class=\"source\"><code>{source}</code></pre>");
        }
        CellKind::Markdown | CellKind::Raw => {
            let _ = writeln!(out, "<pre class=\"{kind}\">{source}</pre>");
        }
    }
    for output in &cell.outputs {
        output_html(out, output);
    }
    out.push_str("</section>\n");
}

/// One output in nbformat form.
fn output_html(out: &mut String, output: &Value) {
    match output["output_type"].as_str().unwrap_or_default() {
        "stream" => {
            let class = if output["name"] == "stderr" {
                "stream stderr"
            } else {
                "stream"
            };
            text_output(out, class, &joined(&output["text"]));
        }
        "display_data" | "execute_result" => rich_output(out, &output["data"]),
        "error" => {
            let ename = output["ename"].as_str().unwrap_or_default();
            let evalue = output["evalue"].as_str().unwrap_or_default();
            let mut text = if evalue.is_empty() {
                ename.to_owned()
            } else {
                format!("{ename}: {evalue}")
            };
            for frame in output["traceback"].as_array().into_iter().flatten() {
                text.push('\n');
                text.push_str(frame.as_str().unwrap_or_default());
            }
            text_output(out, "error", &text);
        }
        _ => note(out, "An output of a kind that feedback does not show."),
    }
}

/// A display or a result: an image if it has a valid one, else its plain
/// text. Its HTML, SVG or other forms are never shown: the student's code
/// wrote them, and a page must not run what a student wrote.
fn rich_output(out: &mut String, data: &Value) {
    for mime in ["image/png", "image/jpeg"] {
        let Some(value) = data.get(mime) else {
            continue;
        };
        let base64: String = joined(value)
            .chars()
            .filter(|c| !c.is_ascii_whitespace())
            .collect();
        if !is_base64(&base64) {
            note(out, "An image whose data is not base64 is not shown.");
        } else if base64.len() > IMAGE_LIMIT {
            note(
                out,
                &format!(
                    "An image of {} KB is not shown: feedback shows images up to {} KB.",
                    base64.len() / 4 * 3 / 1000,
                    IMAGE_LIMIT / 4 * 3 / 1000
                ),
            );
        } else {
            let _ = writeln!(
                out,
                "<p><img alt=\"an image output\" src=\"data:{mime};base64,{base64}\"></p>"
            );
            return;
        }
    }
    if let Some(plain) = data.get("text/plain") {
        text_output(out, "result", &joined(plain));
    } else if data.get("text/html").is_some() {
        note(out, "An HTML output, which feedback does not show.");
    } else {
        note(
            out,
            "An output with no plain text, which feedback does not show.",
        );
    }
}

/// Text printed by a cell, without its ANSI escape sequences, the rest of
/// its control characters shown, cut at [`TEXT_LIMIT`] characters.
fn text_output(out: &mut String, class: &str, text: &str) {
    let text = strip_ansi(text);
    let (shown, left_out) = truncated(&text, TEXT_LIMIT);
    let _ = writeln!(
        out,
        "<pre class=\"output {class}\">{}</pre>",
        escape_html(&visible_block(shown))
    );
    if left_out > 0 {
        note(
            out,
            &format!("The output goes on for {left_out} more characters, not shown."),
        );
    }
}

/// A sentence of feedback's own.
fn note(out: &mut String, text: &str) {
    let _ = writeln!(out, "<p class=\"note\">{}</p>", escape_html(text));
}

/// A line of text for the page: controls shown as escapes, then escaped.
fn line(text: &str) -> String {
    escape_html(&visible(text))
}

/// The text of an nbformat multiline string: a string, or a list of them.
fn joined(value: &Value) -> Cow<'_, str> {
    match value {
        Value::String(text) => Cow::Borrowed(text),
        Value::Array(parts) => Cow::Owned(parts.iter().filter_map(Value::as_str).collect()),
        _ => Cow::Borrowed(""),
    }
}

/// Whether `data` is standard base64 with its padding, and nothing else.
fn is_base64(data: &str) -> bool {
    let body = data.trim_end_matches('=');
    !data.is_empty()
        && data.len().is_multiple_of(4)
        && data.len() - body.len() <= 2
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

/// The first `limit` characters of `text`, and how many were left out.
fn truncated(text: &str, limit: usize) -> (&str, usize) {
    match text.char_indices().nth(limit) {
        Some((at, _)) => (&text[..at], text[at..].chars().count()),
        None => (text, 0),
    }
}

/// `text` without its ANSI escape sequences (colours, cursor moves, window
/// titles). An ESC that begins no complete sequence is kept, for
/// [`visible_block`] to show.
fn strip_ansi(text: &str) -> Cow<'_, str> {
    if !text.contains('\x1b') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\x1b') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        match sequence_len(after) {
            Some(len) => rest = &after[len..],
            None => {
                out.push('\x1b');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The length in bytes of the escape sequence that follows an ESC, if a
/// whole one does: a control sequence (`[`, parameters, a final byte), a
/// string (`]`, `P`, `X`, `^` or `_`, ended by BEL or ESC `\`), or a short
/// escape (intermediate bytes and a final byte). Every byte of a sequence
/// is ASCII, so the length ends on a character boundary.
fn sequence_len(after: &str) -> Option<usize> {
    let bytes = after.as_bytes();
    let final_after = |start: usize, finals: std::ops::RangeInclusive<u8>| {
        let end = start
            + bytes[start..]
                .iter()
                .take_while(|b| (0x20..=0x3f).contains(*b))
                .count();
        bytes
            .get(end)
            .is_some_and(|b| finals.contains(b))
            .then_some(end + 1)
    };
    match *bytes.first()? {
        b'[' => final_after(1, 0x40..=0x7e),
        b']' | b'P' | b'X' | b'^' | b'_' => {
            let body = &after[1..];
            let end = body.find(['\x07', '\x1b'])?;
            if body.as_bytes()[end] == 0x07 {
                Some(end + 2)
            } else {
                body[end + 1..].starts_with('\\').then_some(end + 3)
            }
        }
        0x20..=0x2f => {
            let end = 1 + bytes[1..]
                .iter()
                .take_while(|b| (0x20..=0x2f).contains(*b))
                .count();
            bytes
                .get(end)
                .is_some_and(|b| (0x30..=0x7e).contains(b))
                .then_some(end + 1)
        }
        0x30..=0x7e => Some(1),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Status;
    use serde_json::json;

    fn score(id: &str, status: Status, points: f64, max: f64, detail: &str) -> CellScore {
        CellScore {
            grade_id: id.into(),
            status,
            score: Some(points),
            max_score: max,
            detail: detail.into(),
        }
    }

    fn code(source: &str, outputs: Vec<Value>, score: Option<CellScore>) -> FeedbackCell {
        FeedbackCell {
            kind: CellKind::Code,
            source: source.into(),
            outputs,
            score,
        }
    }

    /// A student with a passing test, a failing one and a deleted one.
    fn graded() -> (StudentReport, Vec<FeedbackCell>) {
        let passed = score("sum-tests", Status::Passed, 2.0, 2.0, "");
        let failed = score(
            "tally-tests",
            Status::Failed,
            0.0,
            1.5,
            "panic: assertion `left == right` failed",
        );
        let missing = score(
            "last-tests",
            Status::Missing,
            0.0,
            1.0,
            "the cell was deleted",
        );
        let report = StudentReport::new(
            "ada".into(),
            "in/ada.ipynb".into(),
            vec![passed.clone(), failed.clone(), missing],
            None,
        );
        let cells = vec![
            FeedbackCell {
                kind: CellKind::Markdown,
                source: "# Sums\n<b>not bold</b>".into(),
                outputs: Vec::new(),
                score: None,
            },
            code("assert_eq!(sum(2, 2), 4);", Vec::new(), Some(passed)),
            code(
                "assert_eq!(tally(&[]), 0);",
                vec![json!({"output_type": "error", "ename": "panic",
                    "evalue": "assertion `left == right` failed",
                    "traceback": ["\u{1b}[1;31mpanicked\u{1b}[0m: assertion", "  left: 1"]})],
                Some(failed),
            ),
        ];
        (report, cells)
    }

    #[test]
    fn the_header_has_the_total_and_links_to_the_graded_cells() {
        let (report, cells) = graded();
        let html = render(&report, "sums.ipynb", &cells);
        assert!(html.starts_with("<!DOCTYPE html>") && html.ends_with("</html>\n"));
        assert!(
            html.contains("<p>Student: <strong>ada</strong></p>"),
            "{html}"
        );
        assert!(html.contains("Feedback on sums.ipynb"), "{html}");
        assert!(html.contains("Score: <strong>2 / 4.5</strong>"), "{html}");
        assert!(html.contains("<td><a href=\"#cell-2\">sum-tests</a></td><td class=\"passed\">passed</td><td class=\"points\">2 / 2</td>"), "{html}");
        assert!(
            html.contains("<a href=\"#cell-3\">tally-tests</a>"),
            "{html}"
        );
        assert!(
            html.contains("<td>last-tests</td><td class=\"missing\">"),
            "{html}"
        );
        assert!(html.contains("id=\"cell-3\""), "{html}");
    }

    #[test]
    fn a_failing_cell_shows_its_detail_and_its_error() {
        let (report, cells) = graded();
        let html = render(&report, "sums.ipynb", &cells);
        assert!(
            html.contains("<div class=\"grade failed\"><strong>tally-tests</strong>: failed, 0 / 1.5 points<pre class=\"detail\">panic: assertion `left == right` failed</pre></div>"),
            "{html}"
        );
        assert!(
            html.contains("<pre class=\"output error\">panic: assertion `left == right` failed\npanicked: assertion\n  left: 1</pre>"),
            "{html}"
        );
        assert!(
            html.contains("<pre class=\"markdown\"># Sums\n&lt;b&gt;not bold&lt;/b&gt;</pre>"),
            "{html}"
        );
    }

    #[test]
    fn hostile_sources_and_outputs_are_escaped() {
        let hostile = "</code></pre><script>alert('x')</script>\u{202e}";
        let outputs = vec![
            json!({"output_type": "stream", "name": "stdout",
                "text": ["</pre><img src=x onerror=alert(1)>\n", "\u{1b}[31mred\u{1b}[0m \u{1b}]0;title\u{7}\u{1b}[2K\rover"]}),
            json!({"output_type": "display_data", "metadata": {},
                "data": {"text/html": "<script>steal()</script>", "text/plain": "a plain <form>"}}),
            json!({"output_type": "display_data", "metadata": {},
                "data": {"text/html": ["<iframe src=\"", "http://x\">"]}}),
            json!({"output_type": "display_data", "metadata": {},
                "data": {"image/png": "iVBORw0K\nGgo=", "text/plain": "a plot"}}),
            json!({"output_type": "display_data", "metadata": {},
                "data": {"image/png": "AAAA\" onload=\"alert(1)", "text/plain": "fallback"}}),
        ];
        let cells = [code(hostile, outputs, None)];
        let (report, _) = graded();
        let html = render(&report, "<i>nb</i>", &cells);
        let body = &html[html.find("<body>").unwrap()..];
        for raw in [
            "<script",
            "</code></pre><",
            "<img src=x",
            "<form",
            "<iframe",
            "onload=",
            "<i>",
        ] {
            assert!(!html.contains(raw), "{raw} in {html}");
        }
        assert!(!html.contains(['\u{1b}', '\u{7}', '\u{202e}']), "{html:?}");
        assert!(body.contains("&lt;/code&gt;&lt;/pre&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;\\u{202e}</code>"), "{body}");
        assert!(body.contains("red \rover"), "{body}");
        assert!(body.contains(">a plain &lt;form&gt;</pre>"), "{body}");
        assert!(
            body.contains("An HTML output, which feedback does not show."),
            "{body}"
        );
        assert!(
            body.contains(
                "<img alt=\"an image output\" src=\"data:image/png;base64,iVBORw0KGgo=\">"
            ),
            "{body}"
        );
        assert!(!body.contains(">a plot<"), "{body}");
        assert!(
            body.contains("An image whose data is not base64 is not shown."),
            "{body}"
        );
        assert!(body.contains(">fallback</pre>"), "{body}");
    }

    #[test]
    fn a_long_output_is_cut() {
        let text = format!("{}é{}", "a".repeat(TEXT_LIMIT - 1), "b".repeat(41));
        let cells = [code(
            "loop {}",
            vec![json!({"output_type": "stream", "name": "stdout", "text": text})],
            None,
        )];
        let (report, _) = graded();
        let html = render(&report, "nb", &cells);
        assert!(html.contains("aé</pre>"), "the cut is not at the limit");
        assert!(html.contains("for 41 more characters"));
    }

    #[test]
    fn ansi_sequences_are_dropped_and_stray_escapes_kept() {
        for (text, stripped) in [
            ("\x1b[1;31mError\x1b[0m: x", "Error: x"),
            ("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "link"),
            ("a\x1b(Bb\x1b7c", "abc"),
            ("cut \x1b[31", "cut \x1b[31"),
            ("open \x1b]0;title", "open \x1b]0;title"),
            ("é\x1b[é", "é\x1b[é"),
        ] {
            assert_eq!(strip_ansi(text), stripped, "{text:?}");
        }
    }
}
