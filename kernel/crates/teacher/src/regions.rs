//! The exercise markers in a cell, as nbgrader reads them: a line containing
//! `BEGIN SOLUTION` opens a solution region and a line containing
//! `END SOLUTION` closes it; `BEGIN HIDDEN TESTS` and `END HIDDEN TESTS` do
//! the same for tests that students do not see.
//!
//! A marker stands on a line of its own, possibly inside a comment
//! (`// BEGIN SOLUTION`, `/* END SOLUTION */`, `### BEGIN HIDDEN TESTS`,
//! `<!-- END SOLUTION -->`). A marker that shares its line with code or
//! text (`assert!(x); // BEGIN HIDDEN TESTS`, or a whole region on one
//! line) is refused: the export removes a marker's line whole, so what
//! shares it would be lost, or kept for students when the line is not read
//! as a marker. In markdown and raw cells, a marker quoted in a code span
//! (`` `// BEGIN SOLUTION` ``) and a line that names both ends of a region
//! without starting with the first (prose about the markers) are not
//! markers.
//!
//! A marker out of place is an [`Error`] at its line (counted from 0); the
//! caller names the cell.

use crate::error::{Error, Place};

/// What a region holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionKind {
    /// The teacher's solution: replaced by a stub in the student version.
    Solution,
    /// Tests kept for grading: removed from the student version.
    HiddenTests,
}

impl RegionKind {
    fn begin(self) -> &'static str {
        match self {
            RegionKind::Solution => "BEGIN SOLUTION",
            RegionKind::HiddenTests => "BEGIN HIDDEN TESTS",
        }
    }

    fn end(self) -> &'static str {
        match self {
            RegionKind::Solution => "END SOLUTION",
            RegionKind::HiddenTests => "END HIDDEN TESTS",
        }
    }
}

/// A region: the lines of its two markers (counted from 0), the content
/// being the lines strictly between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    /// What it holds.
    pub kind: RegionKind,
    /// The line of the `BEGIN` marker.
    pub begin: usize,
    /// The line of the `END` marker.
    pub end: usize,
}

/// The kinds of cells that markers are read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// A code cell: every mention of a marker is one.
    Code,
    /// A markdown or raw cell, read without its code spans.
    Text,
}

/// The marker on a line, if any: which region kind, and whether it begins
/// it. A marker that does not stand alone on its line is an error (the
/// message); in text, a line that names both ends of a region without
/// starting with the first is prose ("code between BEGIN SOLUTION and END
/// SOLUTION is yours") and marks nothing.
fn marker(line: &str, reading: Reading) -> Result<Option<(RegionKind, bool)>, String> {
    let Some(kind) = [RegionKind::Solution, RegionKind::HiddenTests]
        .into_iter()
        .find(|kind| line.contains(kind.begin()) || line.contains(kind.end()))
    else {
        return Ok(None);
    };
    let (has_begin, has_end) = (line.contains(kind.begin()), line.contains(kind.end()));
    let neighbour = match reading {
        Reading::Code => "code",
        Reading::Text => "text",
    };
    if has_begin && has_end {
        if reading == Reading::Text && !without_comment_marks(line).starts_with(kind.begin()) {
            return Ok(None);
        }
        return Err(format!(
            "`{}` and `{}` on one line: put each marker on a line of its own, \
             with the {neighbour} of the region on the lines between them",
            kind.begin(),
            kind.end()
        ));
    }
    let name = if has_begin { kind.begin() } else { kind.end() };
    if without_comment_marks(line) != name {
        let hint = match reading {
            Reading::Code => "",
            Reading::Text => " (to write about a marker, quote it in backticks)",
        };
        return Err(format!(
            "`{name}` shares its line with {neighbour}: put the marker on a line of its own{hint}"
        ));
    }
    Ok(Some((kind, has_begin)))
}

/// A line without its surrounding whitespace and the comment marks that may
/// enclose a marker (`//`, `/*`, `*/`, `#`, `<!--`, `-->`).
fn without_comment_marks(line: &str) -> &str {
    line.trim()
        .trim_start_matches(['/', '*', '#', '<', '!', '-'])
        .trim_end_matches(['/', '*', '#', '>', '-'])
        .trim()
}

/// Finds every region of a code cell's `source` (lines split on `\n`), in order.
pub fn find_regions(source: &str) -> Result<Vec<Region>, Error> {
    scan(source, |line| marker(line, Reading::Code))
}

/// Finds the regions of a cell of the given type: in markdown and raw
/// cells, markers quoted in code spans (`` `// BEGIN SOLUTION` ``) are prose.
pub fn find_in_cell(cell_type: &str, source: &str) -> Result<Vec<Region>, Error> {
    if cell_type == "code" {
        find_regions(source)
    } else {
        scan(source, |line| {
            marker(&without_code_spans(line), Reading::Text)
        })
    }
}

/// A line of markdown without its code spans (text between matching runs
/// of backticks).
fn without_code_spans(line: &str) -> String {
    let mut kept = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = rest.find('`') {
        kept.push_str(&rest[..start]);
        let run = rest[start..].len() - rest[start..].trim_start_matches('`').len();
        let after = &rest[start + run..];
        let fence = &rest[start..start + run];
        // The span ends at the next run of exactly as many backticks.
        let mut search = 0;
        let mut end = None;
        while let Some(found) = after[search..].find(fence) {
            let at = search + found;
            let length = after[at..].len() - after[at..].trim_start_matches('`').len();
            if length == run {
                end = Some(at + run);
                break;
            }
            search = at + length;
        }
        match end {
            Some(end) => rest = &after[end..],
            None => {
                kept.push_str(fence);
                rest = after;
            }
        }
    }
    kept.push_str(rest);
    kept
}

fn scan(
    source: &str,
    marker: impl Fn(&str) -> Result<Option<(RegionKind, bool)>, String>,
) -> Result<Vec<Region>, Error> {
    let mut regions = Vec::new();
    let mut open: Option<(RegionKind, usize)> = None;
    for (number, line) in source.split('\n').enumerate() {
        let Some((kind, begins)) = marker(line).map_err(|e| Error::at_line(number, e))? else {
            continue;
        };
        match (open, begins) {
            (None, true) => open = Some((kind, number)),
            (None, false) => {
                return Err(Error::at_line(
                    number,
                    format!("`{}` without a `{}` before it", kind.end(), kind.begin()),
                ));
            }
            (Some((outer, at)), true) => {
                return Err(Error::at_line(
                    number,
                    format!(
                        "`{}` inside the `{}` region that {} opened: regions cannot be nested",
                        kind.begin(),
                        outer.begin(),
                        Place::line(at)
                    ),
                ));
            }
            (Some((outer, at)), false) if outer == kind => {
                regions.push(Region {
                    kind,
                    begin: at,
                    end: number,
                });
                open = None;
            }
            (Some((outer, at)), false) => {
                return Err(Error::at_line(
                    number,
                    format!(
                        "`{}` inside the `{}` region that {} opened (it ends with `{}`)",
                        kind.end(),
                        outer.begin(),
                        Place::line(at),
                        outer.end()
                    ),
                ));
            }
        }
    }
    match open {
        Some((kind, at)) => Err(Error::at_line(
            at,
            format!("`{}` has no matching `{}`", kind.begin(), kind.end()),
        )),
        None => Ok(regions),
    }
}

/// The leading whitespace of a line.
pub fn indentation(line: &str) -> &str {
    &line[..line.len() - line.trim_start().len()]
}

/// Removes the hidden-test regions of `source`, markers included (the
/// student version).
pub fn remove_hidden_tests(source: &str, regions: &[Region]) -> String {
    let lines: Vec<&str> = source.split('\n').collect();
    let hidden = |number: usize| {
        regions
            .iter()
            .any(|r| r.kind == RegionKind::HiddenTests && (r.begin..=r.end).contains(&number))
    };
    let kept: Vec<&str> = lines
        .iter()
        .enumerate()
        .filter(|(number, _)| !hidden(*number))
        .map(|(_, line)| *line)
        .collect();
    kept.join("\n")
}

/// Removes only the marker lines of the hidden-test regions, keeping the
/// tests (the version that grading runs).
pub fn reveal_hidden_tests(source: &str, regions: &[Region]) -> String {
    let lines: Vec<&str> = source.split('\n').collect();
    let marker_line = |number: usize| {
        regions
            .iter()
            .any(|r| r.kind == RegionKind::HiddenTests && (number == r.begin || number == r.end))
    };
    let kept: Vec<&str> = lines
        .iter()
        .enumerate()
        .filter(|(number, _)| !marker_line(*number))
        .map(|(_, line)| *line)
        .collect();
    kept.join("\n")
}

/// Replaces every solution region of a text (markdown or raw) cell by
/// `YOUR ANSWER HERE` at the indentation of its `BEGIN` line.
pub fn replace_text_solutions(source: &str, regions: &[Region], stub: &str) -> String {
    let lines: Vec<&str> = source.split('\n').collect();
    let mut out = Vec::with_capacity(lines.len());
    let mut number = 0;
    while number < lines.len() {
        match regions
            .iter()
            .find(|r| r.kind == RegionKind::Solution && r.begin == number)
        {
            Some(region) => {
                out.push(format!("{}{stub}", indentation(lines[number])));
                number = region.end + 1;
            }
            None => {
                out.push(lines[number].to_owned());
                number += 1;
            }
        }
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_regions_of_both_kinds() {
        let source = "a\n// BEGIN SOLUTION\nb\n// END SOLUTION\nc\n    // BEGIN HIDDEN TESTS\nd\n    // END HIDDEN TESTS";
        let regions = find_regions(source).unwrap();
        assert_eq!(
            regions,
            [
                Region {
                    kind: RegionKind::Solution,
                    begin: 1,
                    end: 3
                },
                Region {
                    kind: RegionKind::HiddenTests,
                    begin: 5,
                    end: 7
                },
            ]
        );
        assert_eq!(
            remove_hidden_tests(source, &regions),
            "a\n// BEGIN SOLUTION\nb\n// END SOLUTION\nc"
        );
        assert_eq!(
            reveal_hidden_tests(source, &regions),
            "a\n// BEGIN SOLUTION\nb\n// END SOLUTION\nc\nd"
        );
    }

    #[test]
    fn markers_out_of_place_name_their_line() {
        let missing = find_regions("x\n  // BEGIN SOLUTION\ny").unwrap_err();
        assert_eq!(missing.line(), Some(1));
        assert!(missing.message().contains("no matching `END SOLUTION`"));

        let nested =
            find_regions("// BEGIN SOLUTION\n// BEGIN SOLUTION\n// END SOLUTION").unwrap_err();
        assert_eq!(nested.line(), Some(1));
        assert!(
            nested.message().contains("cannot be nested"),
            "{}",
            nested.message()
        );

        let mixed = find_regions("// BEGIN SOLUTION\n// BEGIN HIDDEN TESTS\n").unwrap_err();
        assert_eq!(mixed.line(), Some(1));

        let stray = find_regions("a\nb\n// END HIDDEN TESTS").unwrap_err();
        assert_eq!(stray.line(), Some(2));
        assert!(stray.message().contains("without a `BEGIN HIDDEN TESTS`"));

        let crossed = find_regions("// BEGIN SOLUTION\n// END HIDDEN TESTS").unwrap_err();
        assert_eq!(crossed.line(), Some(1));
        assert!(crossed.message().contains("it ends with `END SOLUTION`"));
    }

    #[test]
    fn prose_about_the_markers_is_not_a_marker() {
        let text = "Code between `// BEGIN SOLUTION` and `// END SOLUTION` is yours.\nHidden: `BEGIN HIDDEN TESTS` ... `END HIDDEN TESTS`.\nWrite between BEGIN SOLUTION and END SOLUTION.";
        assert_eq!(find_in_cell("markdown", text).unwrap(), []);
        assert_eq!(find_in_cell("raw", text).unwrap(), []);
        // In code, the same words would be read as markers.
        assert_eq!(find_in_cell("code", text).unwrap_err().line(), Some(0));
    }

    #[test]
    fn markers_must_stand_alone_on_their_line() {
        let alone = "/* BEGIN SOLUTION */\na\n  //   END SOLUTION  \n### BEGIN HIDDEN TESTS\nb\n<!-- END HIDDEN TESTS -->";
        assert_eq!(find_regions(alone).unwrap().len(), 2);

        for (cell, line, message) in [
            (
                "f();\n// BEGIN HIDDEN TESTS assert_eq!(f(), 1); // END HIDDEN TESTS",
                1,
                "`BEGIN HIDDEN TESTS` and `END HIDDEN TESTS` on one line",
            ),
            (
                "assert!(x); // BEGIN HIDDEN TESTS\nassert!(y);\n// END HIDDEN TESTS",
                0,
                "`BEGIN HIDDEN TESTS` shares its line with code",
            ),
            (
                "// BEGIN HIDDEN TESTS\nassert!(y); // END HIDDEN TESTS",
                1,
                "`END HIDDEN TESTS` shares its line with code",
            ),
            (
                "fn f() -> u8 {\n    1 // BEGIN SOLUTION\n    // END SOLUTION\n}",
                1,
                "`BEGIN SOLUTION` shares its line with code",
            ),
            (
                "fn f() -> u8 { /* BEGIN SOLUTION */ 1 /* END SOLUTION */ }",
                0,
                "`BEGIN SOLUTION` and `END SOLUTION` on one line",
            ),
        ] {
            let error = find_regions(cell).unwrap_err();
            assert_eq!(error.line(), Some(line), "{cell}");
            assert!(error.message().starts_with(message), "{}", error.message());
        }

        let error =
            find_in_cell("markdown", "Why?\nBEGIN SOLUTION Because. END SOLUTION").unwrap_err();
        assert_eq!(error.line(), Some(1));
        let error =
            find_in_cell("markdown", "Answer below. BEGIN SOLUTION\nx\nEND SOLUTION").unwrap_err();
        assert_eq!(error.line(), Some(0));
        assert!(error.message().contains("with text"), "{}", error.message());
    }

    #[test]
    fn markdown_quotes_are_not_markers() {
        let text = "Your code goes in the `// BEGIN SOLUTION` regions.\n``a ` BEGIN SOLUTION``";
        assert_eq!(find_in_cell("markdown", text).unwrap(), []);
        assert!(find_in_cell("code", text).is_err());
        let answer = "Why?\nBEGIN SOLUTION\nBecause `x`.\nEND SOLUTION";
        assert_eq!(find_in_cell("markdown", answer).unwrap().len(), 1);
        assert_eq!(without_code_spans("a `b` c ``d`e`` f `g"), "a  c  f `g");
    }

    #[test]
    fn text_answers_become_the_stub() {
        let source = "Question?\n\nBEGIN SOLUTION\nThe answer.\nEND SOLUTION\nAfter.";
        let regions = find_regions(source).unwrap();
        assert_eq!(
            replace_text_solutions(source, &regions, "YOUR ANSWER HERE"),
            "Question?\n\nYOUR ANSWER HERE\nAfter."
        );
    }
}
