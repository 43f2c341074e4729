//! is_complete_request: does a console need more lines before running this?
//!
//! Decided on rust-analyzer's lexer: unbalanced brackets and unterminated
//! literals or comments need more input (`incomplete`, with an indent of four
//! spaces per open bracket); a closing bracket that matches nothing can never
//! be fixed by more input (`invalid`); a statement that ends on an operator,
//! a comma or a bare `let` is unfinished.

use jupyter_protocol::{IsCompleteReply, IsCompleteReplyStatus};
use ra_ap_parser::{Edition, LexedStr, SyntaxKind};

const INDENT: &str = "    ";

/// Judges `code`; lines of evcxr commands (`:dep ...`) and magics (`%...`)
/// count as complete on their own.
pub fn judge(code: &str) -> IsCompleteReply {
    let rust: String = code
        .lines()
        .filter(|line| !matches!(line.trim_start().chars().next(), Some(':' | '%')))
        .collect::<Vec<_>>()
        .join("\n");
    let lexed = LexedStr::new(Edition::Edition2024, &rust);
    let mut open = Vec::new();
    let mut last = None;
    for i in 0..lexed.len() {
        let kind = lexed.kind(i);
        if let Some(error) = lexed.error(i) {
            if error.starts_with("Missing trailing") {
                return IsCompleteReply::new(
                    IsCompleteReplyStatus::Incomplete,
                    INDENT.repeat(open.len()),
                );
            }
            return IsCompleteReply::new(IsCompleteReplyStatus::Invalid, String::new());
        }
        match kind {
            SyntaxKind::WHITESPACE | SyntaxKind::COMMENT | SyntaxKind::EOF => continue,
            SyntaxKind::L_PAREN | SyntaxKind::L_BRACK | SyntaxKind::L_CURLY => open.push(kind),
            SyntaxKind::R_PAREN | SyntaxKind::R_BRACK | SyntaxKind::R_CURLY
                if open.pop() != Some(opener(kind)) =>
            {
                return IsCompleteReply::new(IsCompleteReplyStatus::Invalid, String::new());
            }
            _ => {}
        }
        last = Some(kind);
    }
    if !open.is_empty() {
        return IsCompleteReply::new(IsCompleteReplyStatus::Incomplete, INDENT.repeat(open.len()));
    }
    match last {
        Some(kind) if continues(kind) => {
            IsCompleteReply::new(IsCompleteReplyStatus::Incomplete, INDENT.into())
        }
        _ => IsCompleteReply::new(IsCompleteReplyStatus::Complete, String::new()),
    }
}

fn opener(closer: SyntaxKind) -> SyntaxKind {
    match closer {
        SyntaxKind::R_PAREN => SyntaxKind::L_PAREN,
        SyntaxKind::R_BRACK => SyntaxKind::L_BRACK,
        _ => SyntaxKind::L_CURLY,
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

    fn status(code: &str) -> (IsCompleteReplyStatus, String) {
        let reply = judge(code);
        (reply.status, reply.indent)
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
        ] {
            assert_eq!(status(code).0, IsCompleteReplyStatus::Complete, "{code}");
        }
    }

    #[test]
    fn open_blocks_ask_for_an_indent() {
        assert_eq!(
            status("fn f() {"),
            (IsCompleteReplyStatus::Incomplete, INDENT.into())
        );
        assert_eq!(
            status("fn f() {\n    if x {"),
            (IsCompleteReplyStatus::Incomplete, INDENT.repeat(2))
        );
        assert_eq!(
            status("let v = vec![1,").0,
            IsCompleteReplyStatus::Incomplete
        );
    }

    #[test]
    fn unfinished_statements_and_literals() {
        for code in ["let x =", "let s = \"abc", "/* note", "let y = 1 +"] {
            assert_eq!(status(code).0, IsCompleteReplyStatus::Incomplete, "{code}");
        }
    }

    #[test]
    fn stray_closers_are_invalid() {
        for code in ["}", "let x = (1, 2];", "fn f() { ) }"] {
            assert_eq!(status(code).0, IsCompleteReplyStatus::Invalid, "{code}");
        }
    }
}
