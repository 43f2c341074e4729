//! Finds a cell's trailing expression: the code after its last top-level
//! `;` or block, which evcxr shows as the cell's value.

use crate::brackets::{Token, tokens};
use ra_ap_parser::SyntaxKind;

/// The tokens of `code` that are not comments.
fn code_tokens(code: &str) -> Vec<Token> {
    tokens(code)
        .into_iter()
        .filter(|token| !token.is_comment())
        .collect()
}

/// Splits `code` into its statements and its trailing expression (byte
/// offset where the trailing expression starts), or `None` when the code
/// ends with a statement (`;`) or a block (`for ... { }`).
pub fn trailing_start(code: &str) -> Option<usize> {
    let tokens = code_tokens(code);
    let boundary = tokens
        .iter()
        .rfind(|token| {
            token.depth == 0 && matches!(token.kind, SyntaxKind::SEMICOLON | SyntaxKind::R_CURLY)
        })
        .map_or(0, |token| token.range.end);
    let end = tokens.last()?.range.end;
    (end > boundary)
        .then(|| boundary + code[boundary..].len() - code[boundary..].trim_start().len())
}

/// Whether `code` ends with a statement that has no value: a `;`, or a
/// block that belongs to an item or a loop (`fn f() { }`, `for x in v { }`).
/// A final `if`, `match` or `{ }` block may be the cell's value: `false`.
pub fn ends_without_value(code: &str) -> bool {
    let tokens = code_tokens(code);
    // The first token of the statement being read.
    let mut statement_first = None;
    for (i, token) in tokens.iter().enumerate() {
        statement_first.get_or_insert(token.kind);
        let next = tokens.get(i + 1).map(|token| token.kind);
        let boundary = token.depth == 0
            && (token.kind == SyntaxKind::SEMICOLON
                || (token.kind == SyntaxKind::R_CURLY && ends_statement_before(next)));
        if boundary && next.is_some() {
            statement_first = None;
        }
    }
    match tokens.last().map(|token| token.kind) {
        Some(SyntaxKind::SEMICOLON) => true,
        Some(SyntaxKind::R_CURLY) => matches!(
            statement_first,
            Some(
                SyntaxKind::FN_KW
                    | SyntaxKind::STRUCT_KW
                    | SyntaxKind::ENUM_KW
                    | SyntaxKind::IMPL_KW
                    | SyntaxKind::TRAIT_KW
                    | SyntaxKind::MOD_KW
                    | SyntaxKind::PUB_KW
                    | SyntaxKind::POUND
                    | SyntaxKind::FOR_KW
                    | SyntaxKind::WHILE_KW
                    | SyntaxKind::MACRO_RULES_KW
            )
        ),
        _ => false,
    }
}

/// Whether a `}` followed by `next` ends a statement: nothing that
/// continues an expression (`.`, `?`, an operator, `else`...) follows it.
fn ends_statement_before(next: Option<SyntaxKind>) -> bool {
    !matches!(
        next,
        Some(
            SyntaxKind::DOT
                | SyntaxKind::QUESTION
                | SyntaxKind::ELSE_KW
                | SyntaxKind::SEMICOLON
                | SyntaxKind::PLUS
                | SyntaxKind::MINUS
                | SyntaxKind::STAR
                | SyntaxKind::SLASH
                | SyntaxKind::AS_KW
                | SyntaxKind::EQ2
                | SyntaxKind::COMMA
                | SyntaxKind::R_PAREN
        )
    )
}

#[cfg(test)]
mod tests {
    use super::{ends_without_value, trailing_start};

    #[test]
    fn statements_items_and_loops_have_no_value_but_blocks_may() {
        assert!(ends_without_value("print!(\"x\");"));
        assert!(ends_without_value("for i in 0..3 { print!(\".\"); }"));
        assert!(ends_without_value("#[derive(Debug)]\nstruct P { x: u8 }"));
        assert!(ends_without_value("let a = 1;\nfn f() -> u8 { 1 }"));
        assert!(ends_without_value("let f = || { 1 };"));
        assert!(!ends_without_value("1 + 1"));
        assert!(!ends_without_value("{ let r = 2; r }"));
        assert!(!ends_without_value("let a = 1;\nif a > 0 { 1 } else { 2 }"));
        assert!(!ends_without_value("match 3 { _ => 4 }"));
        assert!(!ends_without_value("for i in 0..3 { }\nx"));
        assert!(!ends_without_value(""));
    }

    fn tail(code: &str) -> Option<&str> {
        trailing_start(code).map(|at| &code[at..])
    }

    #[test]
    fn finds_the_value_after_the_last_statement() {
        assert_eq!(tail("let a = 1;\na + 1"), Some("a + 1"));
        assert_eq!(
            tail("v.iter()\n    .sum::<u64>()"),
            Some("v.iter()\n    .sum::<u64>()")
        );
        assert_eq!(tail("let f = |x| { x };\nf(2)"), Some("f(2)"));
    }

    #[test]
    fn statements_and_blocks_have_no_value() {
        assert_eq!(tail("let a = 1;"), None);
        assert_eq!(tail("for i in 0..3 {\n    println!(\"{i}\");\n}"), None);
        assert_eq!(tail("x.sort(); // sorted"), None);
        assert_eq!(tail(""), None);
    }
}
