//! Turning the solution regions of a code cell into stubs that keep the
//! cell well-formed Rust.
//!
//! Each region is replaced at the indentation of its `BEGIN` line by the
//! first of these that leaves the cell valid Rust:
//!
//! 1. when the region holds whole items (`fn`, `struct`, `impl`, ...): the
//!    same items with `todo!()` bodies and `// YOUR CODE HERE` for fields
//!    ([`rcourse_syntax::tree::stub_items`]), without the region's comments;
//! 2. `todo!()`, which fits a function body or an expression (tried after
//!    `todo!();` at the top level of a cell, where a statement reads better);
//! 3. `todo!();`, which fits before further statements;
//! 4. `// YOUR CODE HERE`, for places where no expression can stand (struct
//!    fields, match arms...).
//!
//! A student who runs the stubbed cell as it is meets "not yet implemented"
//! where the solution was, never a syntax error that the stubbing made.
//! A region that no stub fits is an [`Error`] at its `BEGIN` line.
//!
//! Of the region's own text, students see only the interface that the
//! first stub keeps: the items' outer attributes (`#[derive(...)]`), the
//! signatures of functions (name, generics, parameters, return type,
//! `where` clause), the names and generics of structs, enums, traits and
//! impls, and the items that have no body to stub, which stay whole (`use`,
//! `const` and `static` with their values, type aliases, macro
//! definitions). Every comment of the region is dropped, doc comments
//! (`///`, `/** */`, `#[doc = "..."]`) and comments at the end of a kept
//! line included: an explanation of the solution must not reach students.
//! A comment meant for them goes outside the region.

use crate::error::{Error, Place};
use crate::regions::{Region, RegionKind, indentation};
use rcourse_syntax::brackets::{self, Token};
use rcourse_syntax::tree::{self as syntax, CellSyntaxError};
use std::ops::Range;

/// The comment that replaces what cannot become `todo!()`.
pub const CODE_PLACEHOLDER: &str = "// YOUR CODE HERE";

/// A stubbed cell.
#[derive(Debug, PartialEq, Eq)]
pub struct Stubbed {
    /// The cell's new source.
    pub source: String,
    /// Set when the cell was not valid Rust (by the parser's reading) before
    /// stubbing, so that the result could not be checked.
    pub unchecked: Option<CellSyntaxError>,
}

/// Stubs the solution regions of `source` (other regions are ignored).
pub fn stub_regions(source: &str, regions: &[Region]) -> Result<Stubbed, Error> {
    let spans: Vec<Span> = regions
        .iter()
        .filter(|region| region.kind == RegionKind::Solution)
        .map(|region| Span {
            replaced: region.begin..region.end + 1,
            content: region.begin + 1..region.end,
            indent_line: region.begin,
        })
        .collect();
    stub_spans(source, &spans)
}

/// Stubs a whole solution cell that has no markers (nbgrader replaces such
/// a cell entirely). A blank cell stays blank.
pub fn stub_whole_cell(source: &str) -> Result<Stubbed, Error> {
    if source.trim().is_empty() {
        return Ok(Stubbed {
            source: source.to_owned(),
            unchecked: None,
        });
    }
    let lines = source.split('\n').count();
    let span = Span {
        replaced: 0..lines,
        content: 0..lines,
        indent_line: 0,
    };
    stub_spans(source, &[span])
}

/// Lines to replace, the lines that are the solution, and the line whose
/// indentation the stub takes.
struct Span {
    replaced: std::ops::Range<usize>,
    content: std::ops::Range<usize>,
    indent_line: usize,
}

fn stub_spans(source: &str, spans: &[Span]) -> Result<Stubbed, Error> {
    let mut lines: Vec<String> = source.split('\n').map(str::to_owned).collect();
    let unchecked = syntax::check_cell(source).err();
    // From the last region to the first, so that earlier line numbers hold;
    // each choice is checked with the regions after it already stubbed.
    for span in spans.iter().rev() {
        let indent = indentation(&lines[span.indent_line]).to_owned();
        let content = lines[span.content.clone()].join("\n");
        let before = lines[..span.replaced.start].join("\n");
        let at_top_level = syntax::open_brackets_at(&before, before.len()) == 0;
        let mut candidates: Vec<Vec<String>> = Vec::new();
        if let Some(items) = syntax::stub_items(&without_comments(&content)) {
            candidates.push(items.split('\n').map(str::to_owned).collect());
        }
        let expression = vec![format!("{indent}todo!()")];
        let statement = vec![format!("{indent}todo!();")];
        if at_top_level {
            candidates.extend([statement, expression.clone()]);
        } else {
            candidates.extend([expression.clone(), statement]);
        }
        candidates.push(vec![format!("{indent}{CODE_PLACEHOLDER}")]);

        let mut todo_error = None;
        let mut chosen = None;
        for candidate in candidates {
            let mut attempt = lines[..span.replaced.start].to_vec();
            attempt.extend(candidate.iter().cloned());
            attempt.extend_from_slice(&lines[span.replaced.end..]);
            if unchecked.is_some() {
                chosen = Some(attempt);
                break;
            }
            match syntax::check_cell(&attempt.join("\n")) {
                Ok(()) => {
                    chosen = Some(attempt);
                    break;
                }
                Err(error) if candidate == expression => todo_error = Some(error),
                Err(_) => {}
            }
        }
        lines = chosen.ok_or_else(|| {
            let reason = todo_error.map_or_else(String::new, |e: CellSyntaxError| {
                format!(" (with `todo!()`: {} at {})", e.message, Place::line(e.line))
            });
            Error::at_line(
                span.indent_line,
                format!(
                    "the solution region cannot be replaced by a stub that keeps the cell valid \
                     Rust{reason}; make the region a whole function body, an expression or whole items"
                ),
            )
        })?;
    }
    let source = lines.join("\n");
    if unchecked.is_none()
        && let Err(error) = syntax::check_cell(&source)
    {
        return Err(Error::at_line(
            error.line,
            format!("the stubbed cell is not valid Rust: {}", error.message),
        ));
    }
    Ok(Stubbed { source, unchecked })
}

/// `code` without its comments and doc attributes (`#[doc = "..."]`). A
/// line left with nothing but whitespace goes; a comment between two
/// tokens leaves a space, and no space is left at the end of a line.
fn without_comments(code: &str) -> String {
    let tokens = brackets::tokens(code);
    let mut removed: Vec<Range<usize>> = Vec::new();
    let mut at = 0;
    while at < tokens.len() {
        if tokens[at].is_comment() {
            removed.push(tokens[at].range.clone());
            at += 1;
        } else if let Some(last) = doc_attribute_end(code, &tokens, at) {
            removed.push(tokens[at].range.start..tokens[last].range.end);
            at = last + 1;
        } else {
            at += 1;
        }
    }
    if removed.is_empty() {
        return code.to_owned();
    }
    let mut lines = Vec::new();
    let mut start = 0;
    for line in code.split('\n') {
        let end = start + line.len();
        let cut: Vec<Range<usize>> = removed
            .iter()
            .filter(|range| range.start < end && start < range.end)
            .map(|range| range.start.max(start) - start..range.end.min(end) - start)
            .collect();
        start = end + 1;
        if cut.is_empty() {
            lines.push(line.to_owned());
            continue;
        }
        let mut kept = String::new();
        let mut from = 0;
        for (number, range) in cut.iter().chain([&(line.len()..line.len())]).enumerate() {
            let piece = &line[from..range.start.max(from)];
            from = range.end.max(from);
            if number == 0 {
                kept.push_str(piece);
            } else if kept.is_empty() {
                // The line starts inside a comment: it keeps its indentation.
                kept.push_str(indentation(line));
                kept.push_str(piece.trim_start());
            } else if kept.ends_with(char::is_whitespace) {
                kept.push_str(piece.trim_start());
            } else {
                if !piece.is_empty() && !piece.starts_with(char::is_whitespace) {
                    kept.push(' ');
                }
                kept.push_str(piece);
            }
        }
        if !kept.trim().is_empty() {
            lines.push(kept.trim_end().to_owned());
        }
    }
    lines.join("\n")
}

/// When `tokens[at]` opens a doc attribute (`#[doc ...]`, `#![doc ...]`),
/// the index of its closing `]`.
fn doc_attribute_end(code: &str, tokens: &[Token], at: usize) -> Option<usize> {
    let text = |index: usize| tokens.get(index).map(|token| &code[token.range.clone()]);
    if text(at)? != "#" {
        return None;
    }
    let open = if text(at + 1)? == "!" { at + 2 } else { at + 1 };
    if text(open)? != "[" || text(open + 1)? != "doc" {
        return None;
    }
    let depth = tokens[open].depth;
    (open + 1..tokens.len()).find(|&index| text(index) == Some("]") && tokens[index].depth == depth)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::regions::find_regions;

    fn stub(source: &str) -> String {
        let regions = find_regions(source).unwrap();
        let stubbed = stub_regions(source, &regions).unwrap();
        assert_eq!(stubbed.unchecked, None);
        stubbed.source
    }

    #[test]
    fn a_function_body_becomes_todo() {
        let cell = "fn sum_of_squares(n: u64) -> u64 {\n    // BEGIN SOLUTION\n    (1..=n).map(|i| i * i).sum()\n    // END SOLUTION\n}";
        assert_eq!(
            stub(cell),
            "fn sum_of_squares(n: u64) -> u64 {\n    todo!()\n}"
        );
    }

    #[test]
    fn a_region_before_more_statements_becomes_a_statement() {
        let cell = "fn f() -> u64 {\n    // BEGIN SOLUTION\n    let a = 2;\n    // END SOLUTION\n    println!(\"done\");\n    a\n}";
        assert_eq!(
            stub(cell),
            "fn f() -> u64 {\n    todo!();\n    println!(\"done\");\n    a\n}"
        );
    }

    #[test]
    fn an_expression_stays_an_expression() {
        let cell =
            "let total: u64 = {\n    // BEGIN SOLUTION\n    1 + 2\n    // END SOLUTION\n};\ntotal";
        assert_eq!(stub(cell), "let total: u64 = {\n    todo!()\n};\ntotal");
    }

    #[test]
    fn top_level_statements_become_a_statement() {
        let cell =
            "let a = 1;\n// BEGIN SOLUTION\nlet b = a + 1;\nprintln!(\"{b}\");\n// END SOLUTION";
        assert_eq!(stub(cell), "let a = 1;\ntodo!();");
    }

    #[test]
    fn items_keep_their_signatures() {
        let cell = "// BEGIN SOLUTION\npub struct Tally {\n    total: i64,\n}\n\nimpl Tally {\n    pub fn new() -> Tally {\n        Tally { total: 0 }\n    }\n}\n// END SOLUTION\nlet t = Tally::new();";
        assert_eq!(
            stub(cell),
            "pub struct Tally {\n    // YOUR CODE HERE\n}\n\nimpl Tally {\n    pub fn new() -> Tally {\n        todo!()\n    }\n}\nlet t = Tally::new();"
        );
    }

    #[test]
    fn no_comment_of_the_region_is_kept() {
        let cell = "// BEGIN SOLUTION\nstruct Counter { hits: u32 } // the trick is a counter\n// END SOLUTION";
        assert_eq!(stub(cell), "struct Counter {\n    // YOUR CODE HERE\n}");

        let cell = "let before = 1; // kept: outside the region\n// BEGIN SOLUTION\n/// Counts with a wrapping add.\n#[derive(Debug, Default)]\n#[doc = \"Starts at zero.\"]\npub struct Hits(u32); /* a tuple: cheaper */\n\n/** Adds one. */\nimpl Hits {\n    // Wrapping, so that it never panics.\n    pub fn hit(&mut self) /* -> () */ {\n        self.0 = self.0.wrapping_add(1);\n    }\n\n    #[doc(alias = \"wrap\")]\n    const LIMIT: u32 = 10; // the tests count to 10\n}\n// END SOLUTION\nlet mut h = Hits::default(); // kept";
        assert_eq!(
            stub(cell),
            "let before = 1; // kept: outside the region\n#[derive(Debug, Default)]\npub struct Hits(/* YOUR CODE HERE */);\n\nimpl Hits {\n    pub fn hit(&mut self) {\n        todo!()\n    }\n\n    const LIMIT: u32 = 10;\n}\nlet mut h = Hits::default(); // kept"
        );

        let stubbed = stub_whole_cell(
            "// Idea: the answer is 42.\nfn answer() -> u32 { // six times seven\n    42\n}",
        )
        .unwrap();
        assert_eq!(stubbed.source, "fn answer() -> u32 {\n    todo!()\n}");
    }

    #[test]
    fn comments_go_and_the_code_stays() {
        assert_eq!(
            without_comments(
                "const URL: &str = \"http://a/*b*/\"; // c\nfn/* x */f() {}\n    /* a\n\n    b */ type T = u8;\n\n'/'; // end"
            ),
            "const URL: &str = \"http://a/*b*/\";\nfn f() {}\n    type T = u8;\n\n'/';"
        );
        assert_eq!(
            without_comments("fn f() {}\n\nfn g() {}"),
            "fn f() {}\n\nfn g() {}"
        );
    }

    #[test]
    fn fields_become_a_placeholder() {
        let cell = "struct Point {\n    // BEGIN SOLUTION\n    x: f64,\n    y: f64,\n    // END SOLUTION\n}";
        assert_eq!(stub(cell), "struct Point {\n    // YOUR CODE HERE\n}");
        let cell =
            "match n {\n    // BEGIN SOLUTION\n    0 => 1,\n    _ => 2,\n    // END SOLUTION\n}";
        assert_eq!(stub(cell), "match n {\n    // YOUR CODE HERE\n}");
    }

    #[test]
    fn magics_stay_as_they_are() {
        let cell = ":dep itertools = \"0.14\"\nfn f() -> u8 {\n    // BEGIN SOLUTION\n    1\n    // END SOLUTION\n}\n%timeit f()";
        assert_eq!(
            stub(cell),
            ":dep itertools = \"0.14\"\nfn f() -> u8 {\n    todo!()\n}\n%timeit f()"
        );
    }

    #[test]
    fn an_unbalanced_region_is_refused() {
        let cell = "fn f() -> u64 {\n    // BEGIN SOLUTION\n    if true {\n    // END SOLUTION\n        1\n    } else { 2 }\n}";
        let regions = find_regions(cell).unwrap();
        let error = stub_regions(cell, &regions).unwrap_err();
        assert_eq!(error.line(), Some(1));
        assert!(
            error.message().contains("cannot be replaced"),
            "{}",
            error.message()
        );
    }

    #[test]
    fn whole_solution_cells_are_stubbed() {
        let stubbed = stub_whole_cell("fn answer() -> u32 {\n    42\n}").unwrap();
        assert_eq!(stubbed.source, "fn answer() -> u32 {\n    todo!()\n}");
        let stubbed = stub_whole_cell("let x = 42;\nx").unwrap();
        assert_eq!(stubbed.source, "todo!();");
        assert_eq!(stub_whole_cell("  \n").unwrap().source, "  \n");
    }

    #[test]
    fn cells_the_parser_rejects_are_stubbed_unchecked() {
        let cell =
            "fn f() -> u8 {\n    // BEGIN SOLUTION\n    1\n    // END SOLUTION\n}\nlet broken = (;";
        let regions = find_regions(cell).unwrap();
        let stubbed = stub_regions(cell, &regions).unwrap();
        assert!(stubbed.unchecked.is_some());
        assert!(stubbed.source.starts_with("fn f() -> u8 {\n    todo!()\n}"));
    }
}
