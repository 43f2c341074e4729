//! Tables of values, shown as HTML in the notebook and as aligned text elsewhere.
//!
//! Columns whose cells are all numbers are right-aligned.
//!
//! ```
//! use course_lib::prelude::*;
//!
//! let table = Table::new()
//!     .caption("Timings")
//!     .headers(["algorithm", "ms"])
//!     .row(("bubble sort", 812.5))
//!     .row(("merge sort", 3.25));
//! assert!(table.to_text().contains("bubble sort"));
//! display(&table);
//! ```

use std::fmt::Display;

use super::display::{MimeBundle, Render, escape_html, impl_evcxr_display};

/// Anything that can become one table row: arrays, vectors and slices of
/// displayable values, and tuples of up to eight displayable values of
/// different types.
///
/// ```
/// use course_lib::lab::IntoRow;
///
/// assert_eq!([1, 2].into_row(), ["1", "2"]);
/// assert_eq!(("n", 2.5, true).into_row(), ["n", "2.5", "true"]);
/// ```
pub trait IntoRow {
    /// Converts the values to the cell texts of one row.
    fn into_row(self) -> Vec<String>;
}

impl<T: Display, const N: usize> IntoRow for [T; N] {
    fn into_row(self) -> Vec<String> {
        self.iter().map(ToString::to_string).collect()
    }
}

impl<T: Display> IntoRow for Vec<T> {
    fn into_row(self) -> Vec<String> {
        self.as_slice().into_row()
    }
}

impl<T: Display> IntoRow for &[T] {
    fn into_row(self) -> Vec<String> {
        self.iter().map(ToString::to_string).collect()
    }
}

macro_rules! tuple_into_row {
    ($($name:ident)+) => {
        impl<$($name: Display),+> IntoRow for ($($name,)+) {
            #[allow(non_snake_case)]
            fn into_row(self) -> Vec<String> {
                let ($($name,)+) = self;
                vec![$($name.to_string()),+]
            }
        }
    };
}

tuple_into_row!(A);
tuple_into_row!(A B);
tuple_into_row!(A B C);
tuple_into_row!(A B C D);
tuple_into_row!(A B C D E);
tuple_into_row!(A B C D E F);
tuple_into_row!(A B C D E F G);
tuple_into_row!(A B C D E F G H);

/// A table with optional headers and caption, built row by row.
///
/// ```
/// use course_lib::prelude::*;
///
/// let mut table = Table::new().headers(["n", "fib(n)"]);
/// let (mut a, mut b) = (0u64, 1u64);
/// for n in 0..5 {
///     table.push_row((n, a));
///     (a, b) = (b, a + b);
/// }
/// assert_eq!(table.len(), 5);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    caption: Option<String>,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// How the cells of one column are aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Align {
    Left,
    Right,
}

impl Table {
    /// Creates an empty table.
    ///
    /// ```
    /// assert!(course_lib::lab::Table::new().is_empty());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the column headers.
    ///
    /// ```
    /// use course_lib::lab::Table;
    ///
    /// let table = Table::new().headers(["name", "age"]);
    /// assert!(table.to_text().starts_with("name"));
    /// ```
    pub fn headers(mut self, headers: impl IntoRow) -> Self {
        self.headers = headers.into_row();
        self
    }

    /// Sets a caption shown above the table.
    ///
    /// ```
    /// use course_lib::lab::Table;
    ///
    /// let table = Table::new().caption("Results").row([1]);
    /// assert!(table.to_html().contains("<caption"));
    /// ```
    pub fn caption(mut self, caption: impl Into<String>) -> Self {
        self.caption = Some(caption.into());
        self
    }

    /// Appends one row (builder style).
    ///
    /// ```
    /// use course_lib::lab::Table;
    ///
    /// let table = Table::new().row(("pi", 3.14)).row(("e", 2.72));
    /// assert_eq!(table.len(), 2);
    /// ```
    pub fn row(mut self, row: impl IntoRow) -> Self {
        self.push_row(row);
        self
    }

    /// Appends every row from an iterator (builder style).
    ///
    /// ```
    /// use course_lib::lab::Table;
    ///
    /// let table = Table::new().rows((1..=10).map(|n| (n, n * n)));
    /// assert_eq!(table.len(), 10);
    /// ```
    pub fn rows<R: IntoRow>(mut self, rows: impl IntoIterator<Item = R>) -> Self {
        self.rows.extend(rows.into_iter().map(IntoRow::into_row));
        self
    }

    /// Appends one row to a table held in a variable, handy inside loops.
    ///
    /// ```
    /// use course_lib::lab::Table;
    ///
    /// let mut table = Table::new();
    /// for word in ["a", "bb"] {
    ///     table.push_row((word, word.len()));
    /// }
    /// assert_eq!(table.len(), 2);
    /// ```
    pub fn push_row(&mut self, row: impl IntoRow) {
        self.rows.push(row.into_row());
    }

    /// Returns the number of body rows (headers not counted).
    ///
    /// ```
    /// assert_eq!(course_lib::lab::Table::new().row([1]).len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Returns `true` if the table has no body rows.
    ///
    /// ```
    /// assert!(course_lib::lab::Table::new().headers(["x"]).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Renders the table as an HTML `<table>` with every text escaped.
    ///
    /// ```
    /// use course_lib::lab::Table;
    ///
    /// let html = Table::new().headers(["<tag>"]).row(["a & b"]).to_html();
    /// assert!(html.contains("&lt;tag&gt;") && html.contains("a &amp; b"));
    /// ```
    pub fn to_html(&self) -> String {
        const CELL: &str = "padding: 2px 10px;";
        let aligns = self.alignments();
        let mut html = String::from("<table style=\"border-collapse: collapse;\">\n");
        if let Some(caption) = &self.caption {
            html.push_str(&format!(
                "<caption style=\"font-weight: bold; padding: 4px;\">{}</caption>\n",
                escape_html(caption)
            ));
        }
        let cells_html = |cells: &[String], tag: &str, extra: &str| {
            let mut row = String::from("<tr>");
            for (col, align) in aligns.iter().enumerate() {
                let text = cells.get(col).map_or("", String::as_str);
                let align = match align {
                    Align::Left => "left",
                    Align::Right => "right",
                };
                row.push_str(&format!(
                    "<{tag} style=\"text-align: {align}; {CELL}{extra}\">{}</{tag}>",
                    escape_html(text)
                ));
            }
            row.push_str("</tr>\n");
            row
        };
        if !self.headers.is_empty() {
            html.push_str("<thead>\n");
            html.push_str(&cells_html(
                &self.headers,
                "th",
                " border-bottom: 1px solid currentColor;",
            ));
            html.push_str("</thead>\n");
        }
        html.push_str("<tbody>\n");
        for row in &self.rows {
            html.push_str(&cells_html(row, "td", ""));
        }
        html.push_str("</tbody>\n</table>");
        html
    }

    /// Renders the table as plain text: aligned columns, with a rule under the headers.
    ///
    /// ```
    /// use course_lib::lab::Table;
    ///
    /// let text = Table::new().headers(["word", "n"]).row(("hello", 5)).row(("hi", 12)).to_text();
    /// assert_eq!(text, "word    n\n-----  --\nhello   5\nhi     12");
    /// ```
    pub fn to_text(&self) -> String {
        let aligns = self.alignments();
        let single_line_row = |row: &Vec<String>| -> Vec<String> {
            row.iter().map(|cell| single_line(cell)).collect()
        };
        let headers = single_line_row(&self.headers);
        let rows: Vec<Vec<String>> = self.rows.iter().map(single_line_row).collect();
        let widths: Vec<usize> = (0..aligns.len())
            .map(|col| {
                std::iter::once(&headers)
                    .chain(&rows)
                    .filter_map(|row| row.get(col))
                    .map(|cell| cell.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let format_row = |cells: &Vec<String>| {
            let padded: Vec<String> = aligns
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(col, (align, &width))| {
                    let text = cells.get(col).map_or("", String::as_str);
                    match align {
                        Align::Left => format!("{text:<width$}"),
                        Align::Right => format!("{text:>width$}"),
                    }
                })
                .collect();
            padded.join("  ").trim_end().to_string()
        };

        let mut lines = Vec::new();
        if let Some(caption) = &self.caption {
            lines.push(single_line(caption));
        }
        if !headers.is_empty() {
            lines.push(format_row(&headers));
            let rule: Vec<String> = widths.iter().map(|&w| "-".repeat(w)).collect();
            lines.push(rule.join("  "));
        }
        lines.extend(rows.iter().map(format_row));
        lines.join("\n")
    }

    /// One alignment per column: right for columns whose body cells are all numbers.
    fn alignments(&self) -> Vec<Align> {
        let columns = std::iter::once(&self.headers)
            .chain(&self.rows)
            .map(Vec::len)
            .max()
            .unwrap_or(0);
        (0..columns)
            .map(|col| {
                let mut cells = self
                    .rows
                    .iter()
                    .filter_map(|row| row.get(col))
                    .filter(|cell| !cell.trim().is_empty())
                    .peekable();
                let has_cells = cells.peek().is_some();
                if has_cells && cells.all(|cell| cell.trim().parse::<f64>().is_ok()) {
                    Align::Right
                } else {
                    Align::Left
                }
            })
            .collect()
    }
}

impl Render for Table {
    fn mime_bundle(&self) -> MimeBundle {
        MimeBundle::new()
            .with("text/html", self.to_html())
            .with("text/plain", self.to_text())
    }
}

impl_evcxr_display!(Table => "Table::new().headers([\"n\"]).row([1])");

/// Replaces line breaks, tabs and other control characters with spaces, so
/// that one cell stays on one line of plain text.
fn single_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_html_covers_all_special_characters() {
        assert_eq!(
            escape_html(r#"<a href="x">Tom & 'Jerry'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn html_escapes_caption_headers_and_cells() {
        let html = Table::new()
            .caption("<script>alert(1)</script>")
            .headers(["a<b"])
            .row(["\"quoted\" & more"])
            .to_html();
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("a&lt;b"));
        assert!(html.contains("&quot;quoted&quot; &amp; more"));
    }

    #[test]
    fn html_right_aligns_numeric_columns() {
        let html = Table::new()
            .headers(["name", "score"])
            .row(("ann", 10))
            .row(("bob", -2.5))
            .to_html();
        assert!(html.contains("text-align: left; padding: 2px 10px;\">ann</td>"));
        assert!(html.contains("text-align: right; padding: 2px 10px;\">-2.5</td>"));
        assert!(html.contains("<th style=\"text-align: right;"));
    }

    #[test]
    fn text_aligns_columns_under_a_header_rule() {
        let text = Table::new()
            .headers(["city", "population"])
            .row(("Oslo", 709_000))
            .row(("Reykjavik", 139_000))
            .to_text();
        assert_eq!(
            text,
            "city       population\n\
             ---------  ----------\n\
             Oslo           709000\n\
             Reykjavik      139000"
        );
    }

    #[test]
    fn text_pads_ragged_rows_and_counts_characters_not_bytes() {
        let text = Table::new()
            .caption("Ragged")
            .row(("ünï", "x", "y"))
            .row(["z"])
            .to_text();
        assert_eq!(text, "Ragged\nünï  x  y\nz");
    }

    #[test]
    fn text_keeps_multi_line_cells_on_one_line() {
        let text = Table::new()
            .headers(["a\tb", "n"])
            .row(("x\ny", 1))
            .to_text();
        assert_eq!(text, "a b  n\n---  -\nx y  1");
    }

    #[test]
    fn mixed_columns_stay_left_aligned() {
        let text = Table::new().row(["1"]).row(["many"]).to_text();
        assert_eq!(text, "1\nmany");
    }

    #[test]
    fn empty_table_renders_without_rows() {
        let table = Table::new();
        assert_eq!(table.to_text(), "");
        assert!(table.to_html().contains("<tbody>\n</tbody>"));
    }

    #[test]
    fn bundle_offers_html_and_text() {
        let bundle = Table::new().row([1]).mime_bundle();
        assert!(bundle.get("text/html").unwrap().starts_with("<table"));
        assert_eq!(bundle.get("text/plain"), Some("1"));
    }
}
