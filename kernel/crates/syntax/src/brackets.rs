//! The one walk over Rust tokens that tracks brackets: every token with
//! how deeply it is nested in `(`, `[` and `{`, on rust-analyzer's lexer.

use ra_ap_parser::{Edition, LexedStr, SyntaxKind};
use std::ops::Range;

/// The edition cells are read in.
pub const EDITION: Edition = Edition::Edition2024;

/// A token of Rust code (whitespace is left out; comments are kept), with
/// its place in the bracket structure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The token's kind.
    pub kind: SyntaxKind,
    /// Byte range in the code walked.
    pub range: Range<usize>,
    /// How many brackets are open around the token. A bracket counts at the
    /// depth outside it, so `(` and its `)` have the same depth.
    pub depth: usize,
    /// A closing bracket that does not close the innermost open bracket
    /// (a different kind, or none is open).
    pub unmatched: bool,
    /// The lexer's error, such as an unterminated string or comment.
    pub error: Option<String>,
}

impl Token {
    /// Whether the token is a comment (code readers skip them).
    pub fn is_comment(&self) -> bool {
        self.kind == SyntaxKind::COMMENT
    }

    /// How many brackets are open just after the token.
    pub fn depth_after(&self) -> usize {
        if is_opener(self.kind) {
            self.depth + 1
        } else {
            self.depth
        }
    }
}

/// Every token of `code`, read as Rust.
pub fn tokens(code: &str) -> Vec<Token> {
    Walk::default().read(code, 0)
}

/// The brackets open at a point of the walk, innermost last.
#[derive(Debug, Default)]
pub(crate) struct Walk {
    open: Vec<SyntaxKind>,
}

impl Walk {
    /// Reads `text`, which starts at byte `offset` of the code walked,
    /// inside the brackets still open.
    pub(crate) fn read(&mut self, text: &str, offset: usize) -> Vec<Token> {
        let lexed = LexedStr::new(EDITION, text);
        (0..lexed.len())
            .filter(|&i| lexed.kind(i) != SyntaxKind::WHITESPACE)
            .map(|i| {
                let kind = lexed.kind(i);
                let range = lexed.text_range(i);
                let (depth, unmatched) = self.step(kind);
                Token {
                    kind,
                    range: range.start + offset..range.end + offset,
                    depth,
                    unmatched,
                    error: lexed.error(i).map(str::to_owned),
                }
            })
            .collect()
    }

    /// Takes one token into account: its depth, and whether it is an
    /// unmatched closing bracket.
    fn step(&mut self, kind: SyntaxKind) -> (usize, bool) {
        if is_opener(kind) {
            self.open.push(kind);
            (self.open.len() - 1, false)
        } else if let Some(opener) = opener_of(kind) {
            let closed = self.open.pop();
            (self.open.len(), closed != Some(opener))
        } else {
            (self.open.len(), false)
        }
    }

    /// Forgets the open brackets: the walk is back at the top level.
    pub(crate) fn reset(&mut self) {
        self.open.clear();
    }
}

fn is_opener(kind: SyntaxKind) -> bool {
    matches!(
        kind,
        SyntaxKind::L_PAREN | SyntaxKind::L_BRACK | SyntaxKind::L_CURLY
    )
}

/// The opening bracket that `kind` closes, when it is a closing bracket.
fn opener_of(kind: SyntaxKind) -> Option<SyntaxKind> {
    match kind {
        SyntaxKind::R_PAREN => Some(SyntaxKind::L_PAREN),
        SyntaxKind::R_BRACK => Some(SyntaxKind::L_BRACK),
        SyntaxKind::R_CURLY => Some(SyntaxKind::L_CURLY),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depths(code: &str) -> Vec<(&str, usize)> {
        tokens(code)
            .iter()
            .map(|token| (&code[token.range.clone()], token.depth))
            .collect()
    }

    #[test]
    fn brackets_count_outside_themselves() {
        assert_eq!(
            depths("f(a[1], { b })"),
            [
                ("f", 0),
                ("(", 0),
                ("a", 1),
                ("[", 1),
                ("1", 2),
                ("]", 1),
                (",", 1),
                ("{", 1),
                ("b", 2),
                ("}", 1),
                (")", 0)
            ]
        );
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_count() {
        let code = "let s = \"(\"; // {\nlet c = '[';";
        assert!(tokens(code).iter().all(|token| token.depth == 0));
        assert!(tokens(code).iter().any(Token::is_comment));
    }

    #[test]
    fn unmatched_closers_and_lexer_errors_are_marked() {
        let walked = tokens("(]");
        assert!(walked[1].unmatched && walked[1].depth == 0);
        assert!(tokens(")")[0].unmatched);
        assert!(!tokens("()")[1].unmatched);
        let walked = tokens("f(\"open");
        assert_eq!(walked[2].depth, 1);
        assert!(
            walked[2]
                .error
                .as_deref()
                .unwrap()
                .starts_with("Missing trailing")
        );
    }
}
