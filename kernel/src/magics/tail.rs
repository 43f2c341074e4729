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

#[cfg(test)]
mod tests {
    use super::trailing_start;

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
