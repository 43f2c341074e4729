//! is_complete_request: does a console need more lines before running this?
//!
//! Decided on rust-analyzer's lexer: unbalanced brackets and unterminated
//! literals or comments need more input (`incomplete`, with an indent of four
//! spaces per open bracket); a closing bracket that matches nothing can never
//! be fixed by more input (`invalid`); a statement that ends on an operator,
//! a comma or a bare `let` is unfinished.

use crate::lines::{Cell, LineKind, classify_line, has_text_body};
use ra_ap_parser::SyntaxKind;

const INDENT: &str = "    ";

/// Whether a console can run the code as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Completeness {
    /// Ready to run.
    Complete,
    /// Needs more lines; the indent to offer for the next one.
    Incomplete(String),
    /// No more input can make it valid.
    Invalid,
}

/// Judges `code`; lines of evcxr commands (`:dep ...`) and magics (`%...`)
/// at the top level count as complete on their own.
pub fn judge(code: &str) -> Completeness {
    let first = code.split('\n').next().unwrap_or("");
    if let LineKind::CellMagic(spec) = classify_line(first, 0)
        && has_text_body(spec)
    {
        return Completeness::Complete;
    }
    let cell = Cell::read(code);
    let mut last = None;
    for token in &cell.tokens {
        if let Some(error) = &token.error {
            if error.starts_with("Missing trailing") {
                return Completeness::Incomplete(INDENT.repeat(token.depth));
            }
            return Completeness::Invalid;
        }
        if token.unmatched {
            return Completeness::Invalid;
        }
        if !token.is_comment() {
            last = Some(token);
        }
    }
    let open = cell.tokens.last().map_or(0, |token| token.depth_after());
    if open > 0 {
        return Completeness::Incomplete(INDENT.repeat(open));
    }
    match last {
        Some(token) if continues(token.kind) => Completeness::Incomplete(INDENT.into()),
        _ => Completeness::Complete,
    }
}

/// Tokens after which a statement cannot end.
fn continues(kind: SyntaxKind) -> bool {
    use SyntaxKind::*;
    matches!(
        kind,
        EQ | PLUS
            | MINUS
            | STAR
            | SLASH
            | PERCENT
            | CARET
            | AMP
            | PIPE
            | COMMA
            | DOT
            | COLON
            | BANG
            | LET_KW
            | FN_KW
            | STRUCT_KW
            | ENUM_KW
            | IMPL_KW
            | TRAIT_KW
            | WHERE_KW
            | MATCH_KW
            | IF_KW
            | ELSE_KW
            | WHILE_KW
            | FOR_KW
            | IN_KW
            | RETURN_KW
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(code: &str) -> Completeness {
        judge(code)
    }

    #[test]
    fn complete_code() {
        for code in [
            "1 + 1",
            "let x = 1;",
            "fn f() {}",
            "println!(\"{{\");",
            "let c = '{';",
            ":dep rand = \"0.8\"",
            "%timeit 1 + 1",
            "// a comment",
            "%%writefile notes.txt\nan open bracket: {\nlet x =",
        ] {
            assert_eq!(status(code), Completeness::Complete, "{code}");
        }
    }

    #[test]
    fn open_blocks_ask_for_an_indent() {
        assert_eq!(status("fn f() {"), Completeness::Incomplete(INDENT.into()));
        assert_eq!(
            status("fn f() {\n    if x {"),
            Completeness::Incomplete(INDENT.repeat(2))
        );
        assert!(matches!(
            status("let v = vec![1,"),
            Completeness::Incomplete(_)
        ));
    }

    #[test]
    fn unfinished_statements_and_literals() {
        for code in ["let x =", "let s = \"abc", "/* note", "let y = 1 +"] {
            assert!(
                matches!(status(code), Completeness::Incomplete(_)),
                "{code}"
            );
        }
    }

    #[test]
    fn stray_closers_are_invalid() {
        for code in ["}", "let x = (1, 2];", "fn f() { ) }"] {
            assert_eq!(status(code), Completeness::Invalid, "{code}");
        }
    }

    #[test]
    fn a_percent_inside_brackets_is_an_operator() {
        assert_eq!(
            status("let a = 1;\nlet b = (a\n    % 2);"),
            Completeness::Complete
        );
        assert_eq!(
            status("let b = (a\n%timeit"),
            Completeness::Incomplete(INDENT.into())
        );
    }

    #[test]
    fn a_path_from_the_crate_root_is_not_a_command() {
        assert_eq!(
            status("::std::mem::drop(\n    1"),
            Completeness::Incomplete(INDENT.into())
        );
        assert_eq!(status("::std::mem::drop(1);"), Completeness::Complete);
        assert_eq!(
            status(":dep rand = { version = \"0.8\"\nlet x = 1;"),
            Completeness::Complete
        );
    }
}
