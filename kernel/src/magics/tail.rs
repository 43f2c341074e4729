//! Finds a cell's trailing expression: the code after its last top-level
//! `;` or block, which evcxr shows as the cell's value.

use ra_ap_parser::{Edition, LexedStr, SyntaxKind};

/// Splits `code` into its statements and its trailing expression (byte
/// offset where the trailing expression starts), or `None` when the code
/// ends with a statement (`;`) or a block (`for ... { }`).
pub fn trailing_start(code: &str) -> Option<usize> {
    let lexed = LexedStr::new(Edition::Edition2024, code);
    let mut depth = 0usize;
    let mut boundary = 0usize;
    let mut last_significant = None;
    for i in 0..lexed.len() {
        let kind = lexed.kind(i);
        match kind {
            SyntaxKind::WHITESPACE | SyntaxKind::COMMENT | SyntaxKind::EOF => continue,
            SyntaxKind::L_PAREN | SyntaxKind::L_BRACK | SyntaxKind::L_CURLY => depth += 1,
            SyntaxKind::R_PAREN | SyntaxKind::R_BRACK => depth = depth.saturating_sub(1),
            SyntaxKind::R_CURLY => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    boundary = lexed.text_range(i).end;
                }
            }
            SyntaxKind::SEMICOLON if depth == 0 => boundary = lexed.text_range(i).end,
            _ => {}
        }
        last_significant = Some(lexed.text_range(i).end);
    }
    let end = last_significant?;
    (end > boundary)
        .then(|| boundary + code[boundary..].len() - code[boundary..].trim_start().len())
}

/// Whether `code` ends with a statement that has no value: a `;`, or a
/// block that belongs to an item or a loop (`fn f() { }`, `for x in v { }`).
/// A final `if`, `match` or `{ }` block may be the cell's value: `false`.
pub fn ends_without_value(code: &str) -> bool {
    let lexed = LexedStr::new(Edition::Edition2024, code);
    let mut depth = 0usize;
    // The first token of the statement being read, and the last token.
    let mut statement_first = None;
    let mut last = None;
    for i in 0..lexed.len() {
        let kind = lexed.kind(i);
        if matches!(
            kind,
            SyntaxKind::WHITESPACE | SyntaxKind::COMMENT | SyntaxKind::EOF
        ) {
            continue;
        }
        statement_first.get_or_insert(kind);
        last = Some(kind);
        match kind {
            SyntaxKind::L_PAREN | SyntaxKind::L_BRACK | SyntaxKind::L_CURLY => depth += 1,
            SyntaxKind::R_PAREN | SyntaxKind::R_BRACK | SyntaxKind::R_CURLY => {
                depth = depth.saturating_sub(1)
            }
            _ => {}
        }
        let boundary = depth == 0
            && (kind == SyntaxKind::SEMICOLON
                || (kind == SyntaxKind::R_CURLY && ends_statement_here(&lexed, i)));
        if boundary && next_significant(&lexed, i).is_some() {
            statement_first = None;
        }
    }
    match last {
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

/// The next token after `i` that is not whitespace or a comment.
fn next_significant(lexed: &LexedStr, i: usize) -> Option<SyntaxKind> {
    (i + 1..lexed.len()).map(|j| lexed.kind(j)).find(|kind| {
        !matches!(
            kind,
            SyntaxKind::WHITESPACE | SyntaxKind::COMMENT | SyntaxKind::EOF
        )
    })
}

/// Whether the `}` at `i` ends a statement: nothing that continues an
/// expression (`.`, `?`, an operator, `else`...) follows it.
fn ends_statement_here(lexed: &LexedStr, i: usize) -> bool {
    !matches!(
        next_significant(lexed, i),
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
