//! What each line of a cell is: a magic, an evcxr command or Rust.
//!
//! A line is a magic or a command only when it starts at the top level of
//! the cell: outside any open bracket, string or comment. So the `% 2` in
//! `(a\n% 2)` is Rust, and so is a `%` line inside a string. [`Cell::read`]
//! walks the brackets of the Rust lines once, skipping the other lines, and
//! classifies each line with [`classify_line`].

use crate::brackets::{Token, Walk};

/// What a line is when it starts at the top level of a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind<'a> {
    /// Rust code, or part of it.
    Rust,
    /// A line magic, `%name args`, or on the right of a `let`:
    /// `let x = %name args`.
    LineMagic {
        /// `let x = ` (up to the `%`) when the magic's value is assigned.
        assign: Option<&'a str>,
        /// The text after the `%`: `name args`.
        spec: &'a str,
    },
    /// A cell magic on the cell's first line: the text after `%%`.
    CellMagic(&'a str),
    /// An evcxr command (`:dep ...`, `:vars`): the text after the `:`.
    Command(&'a str),
}

impl LineKind<'_> {
    /// Whether the line is Rust code.
    pub fn is_rust(&self) -> bool {
        matches!(self, LineKind::Rust)
    }
}

/// The cell magics whose body is text, not Rust (`%%writefile PATH`).
pub const TEXT_BODY_MAGICS: &[&str] = &["writefile"];

/// Whether the cell magic `spec` (the text after `%%`) has a body of text
/// rather than Rust, so that no bracket or statement of it is judged.
///
/// ```
/// use rcourse_syntax::lines::has_text_body;
///
/// assert!(has_text_body("writefile notes.txt"));
/// assert!(!has_text_body("timeit -n 10"));
/// ```
pub fn has_text_body(spec: &str) -> bool {
    let name = spec.split_whitespace().next().unwrap_or("");
    TEXT_BODY_MAGICS.contains(&name)
}

/// What `line`, the line `number` (from 0) of a cell, is, when it starts at
/// the top level of the cell (see [`Cell::read`] for the lines that do):
///
/// - `%%name ...` on the first line: a cell magic;
/// - `%name ...` (a letter after the `%`, at the start of the line): a
///   line magic; `let x = %name ...` too, with its assignment;
/// - `:name ...` (a letter after the `:`, after any indentation): an evcxr
///   command, so `::std::mem::drop(x)` is Rust;
/// - anything else: Rust.
pub fn classify_line(line: &str, number: usize) -> LineKind<'_> {
    let starts_with_letter = |text: &str| text.starts_with(|c: char| c.is_ascii_alphabetic());
    if number == 0
        && let Some(spec) = line.strip_prefix("%%")
    {
        return LineKind::CellMagic(spec);
    }
    if let Some(spec) = line.strip_prefix('%')
        && starts_with_letter(spec)
    {
        return LineKind::LineMagic { assign: None, spec };
    }
    if let Some(at) = assigned_magic(line)
        && starts_with_letter(&line[at + 1..])
    {
        return LineKind::LineMagic {
            assign: Some(&line[..at]),
            spec: &line[at + 1..],
        };
    }
    if let Some(command) = line.trim_start().strip_prefix(':')
        && starts_with_letter(command)
    {
        return LineKind::Command(command);
    }
    LineKind::Rust
}

/// In `let PATTERN = %...`, the byte offset of the `%`: the first `=` of
/// the line (a pattern and its type have none) followed by spaces and `%`.
fn assigned_magic(line: &str) -> Option<usize> {
    let rest = line.strip_prefix("let ")?;
    let equals = "let ".len() + rest.find('=')?;
    let after = &line[equals + 1..];
    let value = after.trim_start_matches(' ');
    value.starts_with('%').then(|| line.len() - value.len())
}

/// A line of a cell: where it is and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line<'a> {
    /// The line's number, from 0.
    pub number: usize,
    /// Byte offset of the line's start in the cell.
    pub start: usize,
    /// The line, without its `\n`.
    pub text: &'a str,
    /// What the line is.
    pub kind: LineKind<'a>,
}

/// A cell read line by line: what each line is, and the tokens of its Rust
/// lines with their bracket depths.
#[derive(Debug)]
pub struct Cell<'a> {
    /// Every line, in order (the cell split at `\n`).
    pub lines: Vec<Line<'a>>,
    /// The tokens of the Rust lines, in order, with byte ranges in the
    /// cell; the magic and command lines are left out.
    pub tokens: Vec<Token>,
}

impl<'a> Cell<'a> {
    /// Reads `code` line by line. A line that starts at the top level is
    /// classified with [`classify_line`]; the walk skips the lines that are
    /// not Rust (so a magic's arguments cannot open a bracket) and goes on
    /// after them.
    pub fn read(code: &'a str) -> Cell<'a> {
        let mut walk = Walk::default();
        let mut tokens = Vec::new();
        // Tokens read from the start of the current stretch of Rust lines.
        let mut stretch = walk.read(code, 0);
        // The first token of the stretch that does not end before the line.
        let mut next = 0;
        let mut lines = Vec::new();
        let mut start = 0;
        for (number, text) in code.split('\n').enumerate() {
            while stretch
                .get(next)
                .is_some_and(|token| token.range.end <= start)
            {
                next += 1;
            }
            let inside_token = stretch
                .get(next)
                .is_some_and(|token| token.range.start < start);
            let depth = next
                .checked_sub(1)
                .map_or(0, |before| stretch[before].depth_after());
            let kind = if depth == 0 && !inside_token {
                classify_line(text, number)
            } else {
                LineKind::Rust
            };
            let end = start + text.len();
            if !kind.is_rust() {
                // Keep what came before the line, read again after it.
                stretch.truncate(next);
                tokens.append(&mut stretch);
                walk.reset();
                let resume = (end + 1).min(code.len());
                stretch = walk.read(&code[resume..], resume);
                next = 0;
            }
            lines.push(Line {
                number,
                start,
                text,
                kind,
            });
            start = end + 1;
        }
        tokens.append(&mut stretch);
        Cell { lines, tokens }
    }

    /// Whether the cell has evcxr command lines.
    pub fn has_commands(&self) -> bool {
        self.commands().next().is_some()
    }

    /// The names of the cell's evcxr commands, in order: `dep` for
    /// `:dep regex = "1"`.
    pub fn commands(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.lines.iter().filter_map(|line| match line.kind {
            LineKind::Command(command) => command.split_whitespace().next(),
            _ => None,
        })
    }

    /// How many brackets of the Rust lines are open at byte `offset`.
    pub fn depth_at(&self, offset: usize) -> usize {
        self.tokens
            .iter()
            .take_while(|token| token.range.start < offset)
            .last()
            .map_or(0, Token::depth_after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(code: &str) -> Vec<LineKind<'_>> {
        Cell::read(code)
            .lines
            .into_iter()
            .map(|line| line.kind)
            .collect()
    }

    #[test]
    fn classifies_magics_commands_and_rust() {
        assert_eq!(
            classify_line("%%timeit -n 3", 0),
            LineKind::CellMagic("timeit -n 3")
        );
        assert_eq!(classify_line("%%timeit", 1), LineKind::Rust);
        assert_eq!(
            classify_line("%time f()", 3),
            LineKind::LineMagic {
                assign: None,
                spec: "time f()"
            }
        );
        assert_eq!(
            classify_line("let r = %timeit -o f(3);", 0),
            LineKind::LineMagic {
                assign: Some("let r = "),
                spec: "timeit -o f(3);"
            }
        );
        assert_eq!(
            classify_line("  :dep rand", 0),
            LineKind::Command("dep rand")
        );
        for rust in [
            "::std::mem::drop(a);",
            "% 2",
            "  %timeit x",
            "x % y",
            "let a = 10 % 3;",
            "let s = \"a = %b\";",
            "let x: u8 = 1;",
        ] {
            assert_eq!(classify_line(rust, 1), LineKind::Rust, "{rust}");
        }
    }

    #[test]
    fn only_lines_at_the_top_level_are_magics_or_commands() {
        assert_eq!(
            kinds("let b = (a\n%time x);\n%time y"),
            [
                LineKind::Rust,
                LineKind::Rust,
                LineKind::LineMagic {
                    assign: None,
                    spec: "time y"
                }
            ]
        );
        assert_eq!(
            kinds("let s = \"\n:dep x\n\";\n/*\n%time\n*/"),
            [LineKind::Rust; 6]
        );
    }

    #[test]
    fn magic_lines_are_left_out_of_the_bracket_walk() {
        let cell = Cell::read("%timeit f(\nlet v = [\n1,");
        assert_eq!(cell.depth_at(cell.lines[2].start), 1);
        assert!(cell.tokens.iter().all(|token| token.range.start >= 11));
        let cell = Cell::read(":dep x = { path = \"a\" \nlet y = 1;");
        assert!(cell.has_commands());
        assert_eq!(cell.lines[1].kind, LineKind::Rust);
        assert_eq!(
            cell.depth_at(cell.lines[1].text.len() + cell.lines[1].start),
            0
        );
    }
}
