//! The grade report, [`Report`]: a table per student and a total, as text,
//! HTML, JSON or CSV.
//!
//! CSV is written by the `csv` crate and HTML text is escaped with
//! `rcourse_cell::escape_html`, the escaping every display of the course
//! uses. The text tables are laid out here: the course library's `Table`
//! would bring its whole dependency tree into the `rcourse` binary, and its
//! layout (a rule under the headers, numbers aligned right) is not the
//! report's.
//!
//! Much of a report is written by students: a panic message, the name of
//! the submission's file. Before any of it is shown, [`visible`] writes the
//! characters that a terminal or a text layout would act on as escapes
//! (`\u{1b}`), so that a submission cannot redraw the report or reorder
//! its lines; the CSV also keeps spreadsheets from reading a field as a
//! formula ([`spreadsheet_text`]). The JSON is left as it is, escaped by
//! `serde_json`: it is for programs.

use rcourse_cell::escape_html;
use serde::Serialize;
use std::borrow::Cow;
use std::fmt::Write;

/// The report's format (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned tables for a terminal.
    Text,
    /// A standalone HTML page.
    Html,
    /// One JSON document.
    Json,
    /// One row per student and graded cell, and a total row per student.
    Csv,
}

/// How a graded cell fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// It ran without error: full points.
    Passed,
    /// It failed (a panic, a compile error): no points.
    Failed,
    /// It ran longer than the timeout: no points.
    Timeout,
    /// The submission has no cell with this grade id: no points.
    Missing,
    /// It was not run (the kernel could not start or was lost): no points.
    NotRun,
    /// A written answer or a graded solution, for a person to grade.
    Manual,
}

impl Status {
    /// The status as the report writes it, also an HTML class name.
    pub fn label(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::Timeout => "timeout",
            Status::Missing => "missing",
            Status::NotRun => "not-run",
            Status::Manual => "manual",
        }
    }
}

/// One graded cell of one submission.
#[derive(Debug, Clone, Serialize)]
pub struct CellScore {
    /// The cell's nbgrader id.
    pub grade_id: String,
    /// How it fared.
    pub status: Status,
    /// The points it got (`None` for cells graded by hand).
    pub score: Option<f64>,
    /// The points it is worth.
    pub max_score: f64,
    /// Why it failed, in one line.
    pub detail: String,
}

/// One submission.
#[derive(Debug, Clone, Serialize)]
pub struct StudentReport {
    /// The student (the submission's file name without `.ipynb`).
    pub student: String,
    /// The submission's path.
    pub submission: String,
    /// Points from the automatically graded cells.
    pub score: f64,
    /// Points the automatically graded cells are worth.
    pub max_score: f64,
    /// Every graded cell of the source notebook, in its order.
    pub cells: Vec<CellScore>,
    /// What went wrong with the submission as a whole, if anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    /// Cells that are not graded but failed (not counting cells tagged
    /// `raises-exception`): where a submission breaks before a test.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failed_cells: Vec<String>,
}

impl StudentReport {
    /// A report whose totals are summed from its cells (hand-graded cells
    /// are left out of both).
    pub fn new(
        student: String,
        submission: String,
        cells: Vec<CellScore>,
        problem: Option<String>,
    ) -> StudentReport {
        let auto = cells.iter().filter(|c| c.status != Status::Manual);
        let (score, max_score) = auto.fold((0.0, 0.0), |(s, m), c| {
            (s + c.score.unwrap_or(0.0), m + c.max_score)
        });
        StudentReport {
            student,
            submission,
            score,
            max_score,
            cells,
            problem,
            failed_cells: Vec::new(),
        }
    }

    /// Lists the ungraded cells that failed, each as `cell N: what happened`.
    pub fn with_failed_cells(mut self, failed: Vec<String>) -> StudentReport {
        self.failed_cells = failed;
        self
    }
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The teacher's notebook the submissions were graded against.
    pub source: String,
    /// One entry per submission, in the order given.
    pub submissions: Vec<StudentReport>,
}

impl Report {
    /// The report in `format`.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Text => self.text(),
            Format::Html => self.html(),
            Format::Json => {
                let mut json = serde_json::to_string_pretty(self).expect("a report serializes");
                json.push('\n');
                json
            }
            Format::Csv => self.csv(),
        }
    }

    fn text(&self) -> String {
        let mut out = format!("Grades against {}\n", visible(&self.source));
        for student in &self.submissions {
            let _ = writeln!(
                out,
                "\n{} ({})",
                visible(&student.student),
                visible(&student.submission)
            );
            if let Some(problem) = &student.problem {
                let _ = writeln!(out, "  note: {}", visible(problem));
            }
            for failed in &student.failed_cells {
                let _ = writeln!(out, "  ungraded {}", visible(failed));
            }
            let mut rows = vec![row(["cell", "status", "score", "detail"])];
            for cell in &student.cells {
                rows.push(row([
                    &cell.grade_id,
                    cell.status.label(),
                    &score_text(cell.score, cell.max_score),
                    &cell.detail,
                ]));
            }
            rows.push(row([
                "total",
                "",
                &score_text(Some(student.score), student.max_score),
                "",
            ]));
            out.push_str(&table(&rows, "  "));
        }
        out.push_str("\nTotal\n");
        let mut rows = vec![row(["student", "score", "out of"])];
        for student in &self.submissions {
            rows.push(row([
                &student.student,
                &points(student.score),
                &points(student.max_score),
            ]));
        }
        out.push_str(&table(&rows, "  "));
        out
    }

    /// One row per student and graded cell, then the student's total; the
    /// header names [`CsvRow`]'s fields. Text fields go through
    /// [`spreadsheet_text`]; numbers are written as they are.
    fn csv(&self) -> String {
        let mut writer = csv::Writer::from_writer(Vec::new());
        for student in &self.submissions {
            let row = |grade_id, status, score, max_score, detail| CsvRow {
                student: spreadsheet_text(&student.student),
                submission: spreadsheet_text(&student.submission),
                grade_id: spreadsheet_text(grade_id),
                status,
                score,
                max_score,
                detail: spreadsheet_text(detail),
            };
            let cells = student.cells.iter().map(|cell| {
                row(
                    &cell.grade_id,
                    cell.status.label(),
                    cell.score.map(points).unwrap_or_default(),
                    points(cell.max_score),
                    &cell.detail,
                )
            });
            let total = row(
                "total",
                "",
                points(student.score),
                points(student.max_score),
                student.problem.as_deref().unwrap_or_default(),
            );
            for record in cells.chain([total]) {
                writer
                    .serialize(record)
                    .expect("CSV is written to memory, which cannot fail");
            }
        }
        let bytes = writer
            .into_inner()
            .expect("CSV is written to memory, which cannot fail");
        String::from_utf8(bytes).expect("the CSV is made of UTF-8 strings")
    }

    fn html(&self) -> String {
        let mut out = String::from(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
             <title>Grades</title>\n\
             <style>\nbody { font-family: sans-serif; margin: 2em; }\n\
             table { border-collapse: collapse; margin-bottom: 1.5em; }\n\
             th, td { border: 1px solid #ccc; padding: 0.3em 0.7em; text-align: left; }\n\
             td.score { text-align: right; }\n.passed { color: #176f2c; }\n\
             .failed, .timeout, .missing, .not-run { color: #a31515; }\n</style>\n</head>\n<body>\n",
        );
        let _ = writeln!(out, "<h1>Grades against {}</h1>", escape(&self.source));
        for student in &self.submissions {
            let _ = writeln!(
                out,
                "<h2>{}</h2>\n<p>{}</p>",
                escape(&student.student),
                escape(&student.submission)
            );
            if let Some(problem) = &student.problem {
                let _ = writeln!(out, "<p><strong>Note:</strong> {}</p>", escape(problem));
            }
            for failed in &student.failed_cells {
                let _ = writeln!(out, "<p>Ungraded {}</p>", escape(failed));
            }
            out.push_str(
                "<table>\n<thead><tr><th>cell</th><th>status</th><th>score</th><th>detail</th></tr></thead>\n<tbody>\n",
            );
            for cell in &student.cells {
                let label = cell.status.label();
                let _ = writeln!(
                    out,
                    "<tr><td>{}</td><td class=\"{label}\">{label}</td><td class=\"score\">{}</td><td>{}</td></tr>",
                    escape(&cell.grade_id),
                    escape(&score_text(cell.score, cell.max_score)),
                    escape(&cell.detail)
                );
            }
            let _ = writeln!(
                out,
                "</tbody>\n<tfoot><tr><th>total</th><th></th><th class=\"score\">{}</th><th></th></tr></tfoot>\n</table>",
                escape(&score_text(Some(student.score), student.max_score))
            );
        }
        out.push_str(
            "<h2>Total</h2>\n<table>\n<thead><tr><th>student</th><th>score</th><th>out of</th></tr></thead>\n<tbody>\n",
        );
        for student in &self.submissions {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td class=\"score\">{}</td><td class=\"score\">{}</td></tr>",
                escape(&student.student),
                points(student.score),
                points(student.max_score)
            );
        }
        out.push_str("</tbody>\n</table>\n</body>\n</html>\n");
        out
    }
}

/// A row of a text table, each cell made [`visible`].
fn row<const N: usize>(cells: [&str; N]) -> Vec<String> {
    cells.iter().map(|c| visible(c).into_owned()).collect()
}

/// Left-aligned columns, the last one unpadded.
fn table(rows: &[Vec<String>], indent: &str) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = indent.to_owned();
        for (c, cell) in row.iter().enumerate() {
            if c + 1 == row.len() {
                line.push_str(cell);
            } else {
                let _ = write!(line, "{cell:<width$}  ", width = widths[c]);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// `2 / 3`, or `- / 3` for a cell graded by hand.
pub fn score_text(score: Option<f64>, max: f64) -> String {
    let score = score.map_or_else(|| "-".to_owned(), points);
    format!("{score} / {}", points(max))
}

/// Points without needless decimals: `2`, `1.5`, `0.25`.
pub fn points(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        let text = format!("{value:.2}");
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// `text` with the characters that move a terminal's cursor, change its
/// state or reorder a line written as visible escapes, for a report that
/// shows what students wrote: the C0 controls (`\t`, `\n`, `\r`, the
/// others as `\u{1b}`), DEL and the C1 controls (`\u{7f}` to `\u{9f}`), the
/// Unicode bidirectional controls (U+061C, U+200E, U+200F, U+202A to
/// U+202E, U+2066 to U+2069) and the line and paragraph separators (U+2028,
/// U+2029). A line stays one line, in the order its characters are stored.
/// Backslashes are left alone: a student who types `\u{1b}` gets those six
/// characters, which do no harm.
pub fn visible(text: &str) -> Cow<'_, str> {
    escape_controls(text, |_| false)
}

/// [`visible`] for a block of text shown on several lines (a cell, an
/// output): line breaks and tabs are kept.
pub fn visible_block(text: &str) -> Cow<'_, str> {
    escape_controls(text, |c| matches!(c, '\n' | '\r' | '\t'))
}

/// Writes the characters [`visible`] lists as escapes, but those `keep`
/// accepts.
fn escape_controls(text: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    let hidden = |c: char| {
        !keep(c)
            && (c.is_control()
                || matches!(
                    c,
                    '\u{061c}'
                        | '\u{200e}'
                        | '\u{200f}'
                        | '\u{202a}'..='\u{202e}'
                        | '\u{2066}'..='\u{2069}'
                        | '\u{2028}'
                        | '\u{2029}'
                ))
    };
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            _ if !hidden(c) => out.push(c),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            _ => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
        }
    }
    Cow::Owned(out)
}

/// Text for HTML: made [`visible`], then escaped.
fn escape(text: &str) -> String {
    escape_html(&visible(text))
}

/// A CSV field of text as a spreadsheet should show it: made [`visible`],
/// and, when it would begin with `=`, `+`, `-` or `@` (after any spaces), a
/// formula to Excel, LibreOffice or Google Sheets, prefixed with `'`, which
/// they read as "this cell is text" (OWASP's advice on CSV injection). The
/// tab, carriage return and NUL that OWASP also lists are already escapes.
fn spreadsheet_text(text: &str) -> String {
    let text = visible(text);
    let formula = text
        .trim_start_matches(' ')
        .starts_with(['=', '+', '-', '@']);
    if formula {
        format!("'{text}")
    } else {
        text.into_owned()
    }
}

/// One line of the CSV report; the field names are its header.
#[derive(Serialize)]
struct CsvRow<'a> {
    student: String,
    submission: String,
    grade_id: String,
    status: &'a str,
    score: String,
    max_score: String,
    detail: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> Report {
        let cell = |id: &str, status, score, max: f64, detail: &str| CellScore {
            grade_id: id.to_owned(),
            status,
            score,
            max_score: max,
            detail: detail.to_owned(),
        };
        Report {
            source: "teacher.ipynb".into(),
            submissions: vec![StudentReport::new(
                "ada".into(),
                "in/ada.ipynb".into(),
                vec![
                    cell("sum-tests", Status::Passed, Some(2.0), 2.0, ""),
                    cell(
                        "tally-tests",
                        Status::Failed,
                        Some(0.0),
                        1.5,
                        "panic: a, \"b\" <c>",
                    ),
                    cell("why", Status::Manual, None, 1.0, "graded by hand"),
                ],
                None,
            )],
        }
    }

    #[test]
    fn totals_leave_out_hand_grading() {
        let report = report();
        assert_eq!(report.submissions[0].score, 2.0);
        assert_eq!(report.submissions[0].max_score, 3.5);
    }

    #[test]
    fn text_has_a_table_per_student_and_a_total() {
        let text = report().render(Format::Text);
        assert!(text.contains("ada (in/ada.ipynb)"), "{text}");
        assert!(
            text.contains("  tally-tests  failed  0 / 1.5  panic"),
            "{text}"
        );
        assert!(text.contains("  total                2 / 3.5\n"), "{text}");
        assert!(
            text.contains("Total\n  student  score  out of\n  ada      2      3.5\n"),
            "{text}"
        );
    }

    #[test]
    fn csv_json_and_html_escape_what_they_must() {
        let report = report();
        let csv = report.render(Format::Csv);
        assert!(
            csv.contains("ada,in/ada.ipynb,tally-tests,failed,0,1.5,\"panic: a, \"\"b\"\" <c>\"\n"),
            "{csv}"
        );
        assert!(csv.ends_with("ada,in/ada.ipynb,total,,2,3.5,\n"), "{csv}");
        let json: serde_json::Value = serde_json::from_str(&report.render(Format::Json)).unwrap();
        assert_eq!(json["submissions"][0]["cells"][2]["status"], "manual");
        assert_eq!(
            json["submissions"][0]["cells"][2]["score"],
            serde_json::Value::Null
        );
        let html = report.render(Format::Html);
        assert!(html.contains("panic: a, &quot;b&quot; &lt;c&gt;"), "{html}");
        assert!(html.starts_with("<!DOCTYPE html>") && html.ends_with("</html>\n"));
    }

    /// A submission that tries to draw a passing line over its failing one,
    /// and to reverse its name.
    fn hostile() -> Report {
        let mut report = report();
        let student = &mut report.submissions[0];
        student.student = "eve\u{202e}gnissap".into();
        student.submission = "in/eve\r.ipynb".into();
        student.cells[1].detail = "\x1b[2K\r  squares-tests  passed 2 / 2".into();
        student.problem = Some("=HYPERLINK(\"http://x\")".into());
        student.failed_cells = vec!["cell 3: panic: \u{9b}2J\u{7f}".into()];
        report
    }

    #[test]
    fn visible_escapes_what_moves_the_cursor_or_reorders_a_line() {
        for (text, shown) in [
            ("plain é ü → ∑", "plain é ü → ∑"),
            ("\x1b[2K\rpassed", "\\u{1b}[2K\\rpassed"),
            ("a\tb\nc\0", "a\\tb\\nc\\u{0}"),
            (
                "del\u{7f} csi\u{9b} nel\u{85}",
                "del\\u{7f} csi\\u{9b} nel\\u{85}",
            ),
            ("\u{202e}evil\u{202c}", "\\u{202e}evil\\u{202c}"),
            (
                "\u{2066}x\u{2069}\u{200f}\u{61c}",
                "\\u{2066}x\\u{2069}\\u{200f}\\u{61c}",
            ),
            ("line\u{2028}sep", "line\\u{2028}sep"),
        ] {
            assert_eq!(visible(text), shown, "{text:?}");
        }
        assert_eq!(visible_block("a\r\n\tb\x1b[0m"), "a\r\n\tb\\u{1b}[0m");
    }

    #[test]
    fn text_shows_no_control_character() {
        let text = hostile().render(Format::Text);
        let raw = |c: char| c.is_control() && c != '\n' || ('\u{202a}'..='\u{202e}').contains(&c);
        assert!(!text.chars().any(raw), "{text:?}");
        assert!(
            text.contains("  tally-tests  failed  0 / 1.5  \\u{1b}[2K\\r  squares-tests"),
            "{text}"
        );
        assert!(
            text.contains("eve\\u{202e}gnissap (in/eve\\r.ipynb)"),
            "{text}"
        );
        assert!(
            text.contains("ungraded cell 3: panic: \\u{9b}2J\\u{7f}"),
            "{text}"
        );
        assert!(text.contains("\n  eve\\u{202e}gnissap  2  "), "{text}");
    }

    #[test]
    fn html_and_csv_show_no_control_character_nor_formula() {
        let report = hostile();
        let html = report.render(Format::Html);
        assert!(
            !html.contains(['\x1b', '\r', '\u{202e}', '\u{9b}']),
            "{html:?}"
        );
        assert!(html.contains("<td>\\u{1b}[2K\\r  squares-tests"), "{html}");
        assert!(html.contains("<h2>eve\\u{202e}gnissap</h2>"), "{html}");
        let csv = report.render(Format::Csv);
        assert!(
            !csv.contains(['\x1b', '\r', '\u{202e}', '\u{9b}']),
            "{csv:?}"
        );
        assert!(
            csv.contains("eve\\u{202e}gnissap,in/eve\\r.ipynb,total,,2,3.5,\"'=HYPERLINK(\"\"http://x\"\")\"\n"),
            "{csv}"
        );
        for (field, safe) in [
            ("@SUM(A1)", "'@SUM(A1)"),
            ("  -2+3", "'  -2+3"),
            ("+1", "'+1"),
            ("\t=1", "\\t=1"),
            ("a=b", "a=b"),
        ] {
            assert_eq!(spreadsheet_text(field), safe);
        }
    }

    #[test]
    fn points_are_short() {
        assert_eq!(points(2.0), "2");
        assert_eq!(points(1.5), "1.5");
        assert_eq!(points(0.25), "0.25");
    }
}
