//! Doc comments at the top of a cell, which evcxr would drop.
//!
//! evcxr skips the lines at the top of a cell that start with `//`, so that
//! comments may come before `:dep` lines (`CodeBlock::from_original_user_code`
//! in evcxr's `code_block.rs`). A doc comment is such a line: a cell that
//! starts with `/// A point.` and then `struct Point;` defines `Point`
//! without its documentation, and inspecting `Point` shows none. (A doc
//! comment further down the cell is kept: evcxr reads it with its item.)
//!
//! [`keep_leading_docs`] indents the first of those doc comments by one
//! space, which evcxr reads as the start of the Rust code, so the comment
//! stays with the item it documents. Lines keep their numbers.

use crate::tree::parse_file;
use ra_ap_parser::SyntaxKind;
use std::borrow::Cow;

/// The byte offset of the line that starts a doc comment evcxr would drop
/// from the top of `code`, if there is one.
///
/// There is one when the cell starts with lines that evcxr skips (each
/// starting with `//`, or blank), one of them is an outer doc comment
/// (`/// ...`), the first line evcxr reads is Rust (not an evcxr command or
/// a `!` shell line, which must stay where evcxr looks for them) and that
/// Rust starts with an item (a `struct`, `fn`, `impl`, ...), which the
/// comment documents. A doc comment on a statement or an expression is left
/// as it is: Rust would refuse it there.
///
/// ```
/// use rcourse_syntax::docs::dropped_doc_comment;
///
/// assert_eq!(dropped_doc_comment("// Notes.\n/// A point.\nstruct Point;"), Some(10));
/// assert_eq!(dropped_doc_comment("/// Six.\n6 * 1"), None);
/// assert_eq!(dropped_doc_comment("let x = 1;\n/// A point.\nstruct Point;"), None);
/// ```
pub fn dropped_doc_comment(code: &str) -> Option<usize> {
    let mut first_doc = None;
    let mut offset = 0;
    for line in code.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let text = line.trim_end_matches(['\n', '\r']);
        if text.starts_with("//") {
            if is_outer_doc_comment(text) {
                first_doc.get_or_insert(start);
            }
        } else if !text.trim().is_empty() {
            if is_evcxr_command_or_shell(text) {
                return None;
            }
            break;
        }
    }
    let at = first_doc?;
    starts_with_item(&code[at..]).then_some(at)
}

/// `code` as evcxr must read it to keep a leading doc comment
/// ([`dropped_doc_comment`]): that line indented by one space. Unchanged
/// when there is no such comment.
///
/// ```
/// use rcourse_syntax::docs::keep_leading_docs;
///
/// assert_eq!(keep_leading_docs("/// A point.\nstruct Point;"), " /// A point.\nstruct Point;");
/// assert_eq!(keep_leading_docs("let x = 1;"), "let x = 1;");
/// ```
pub fn keep_leading_docs(code: &str) -> Cow<'_, str> {
    match dropped_doc_comment(code) {
        Some(at) => format!("{} {}", &code[..at], &code[at..]).into(),
        None => code.into(),
    }
}

/// Where byte `position` of `code` is in [`keep_leading_docs`]`(code)`.
///
/// ```
/// use rcourse_syntax::docs::{keep_leading_docs, position_in_kept};
///
/// let code = "/// A point.\nstruct Point;";
/// let at = code.find("Point;").unwrap();
/// assert_eq!(&keep_leading_docs(code)[position_in_kept(code, at)..], "Point;");
/// ```
pub fn position_in_kept(code: &str, position: usize) -> usize {
    match dropped_doc_comment(code) {
        Some(at) if at <= position => position + 1,
        _ => position,
    }
}

/// `/// text`, but not `////`, a plain comment.
fn is_outer_doc_comment(line: &str) -> bool {
    line.starts_with("///") && !line.starts_with("////")
}

/// A line that evcxr reads as a command (`:name`, after any spaces) or a
/// shell command (`!`), by evcxr's own rule.
fn is_evcxr_command_or_shell(line: &str) -> bool {
    line.starts_with('!') || line.trim_start_matches(' ').starts_with(':')
}

/// Whether the first statement of `code`, read as a function body, is an
/// item that a doc comment may document.
fn starts_with_item(code: &str) -> bool {
    const OPEN: &str = "fn rcourse_cell() {\n";
    let (root, _) = parse_file(&format!("{OPEN}{code}\n}}\n"));
    let first = root
        .child(SyntaxKind::FN)
        .and_then(|function| function.child(SyntaxKind::BLOCK_EXPR))
        .and_then(|block| block.child(SyntaxKind::STMT_LIST))
        .and_then(|statements| {
            statements.children.iter().find(|node| {
                !matches!(
                    node.kind,
                    SyntaxKind::L_CURLY | SyntaxKind::WHITESPACE | SyntaxKind::COMMENT
                )
            })
        });
    first.is_some_and(|node| {
        matches!(
            node.kind,
            SyntaxKind::CONST
                | SyntaxKind::ENUM
                | SyntaxKind::FN
                | SyntaxKind::IMPL
                | SyntaxKind::MACRO_DEF
                | SyntaxKind::MACRO_RULES
                | SyntaxKind::MODULE
                | SyntaxKind::STATIC
                | SyntaxKind::STRUCT
                | SyntaxKind::TRAIT
                | SyntaxKind::TYPE_ALIAS
                | SyntaxKind::UNION
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leading_doc_comment_of_an_item_is_kept() {
        for (code, kept) in [
            (
                "/// A point.\nstruct Point;",
                " /// A point.\nstruct Point;",
            ),
            (
                "/// Doubles.\n/// Twice.\npub fn double(x: u64) -> u64 { x * 2 }",
                " /// Doubles.\n/// Twice.\npub fn double(x: u64) -> u64 { x * 2 }",
            ),
            (
                "// A note.\n\n/// Colours.\n#[derive(Debug)]\nenum Colour { Red }\nlet c = Colour::Red;",
                "// A note.\n\n /// Colours.\n#[derive(Debug)]\nenum Colour { Red }\nlet c = Colour::Red;",
            ),
            (
                "/// Shapes.\r\ntrait Shape {}\r\n",
                " /// Shapes.\r\ntrait Shape {}\r\n",
            ),
        ] {
            assert_eq!(keep_leading_docs(code), kept, "{code:?}");
            assert_eq!(
                kept.lines().count(),
                code.lines().count(),
                "lines keep their numbers"
            );
        }
    }

    #[test]
    fn other_cells_are_left_alone() {
        for code in [
            "struct Point;",
            "let x = 1;\n/// A point.\nstruct Point;",
            "// A note.\nstruct Point;",
            "//// Not a doc comment.\nstruct Point;",
            "//! Inner docs.\nstruct Point;",
            "/// Six.\n6 * 1",
            "/// A number.\nlet x = 1;",
            "/// Before a command.\n:dep rand = \"0.8\"\nstruct Point;",
            "/// Before a shell line.\n!ls\nstruct Point;",
            "    /// Already read by evcxr.\nstruct Point;",
            "/// Only a comment.",
            "",
        ] {
            assert_eq!(keep_leading_docs(code), code, "{code:?}");
            assert_eq!(dropped_doc_comment(code), None, "{code:?}");
        }
    }

    #[test]
    fn positions_follow_the_inserted_space() {
        let code = "// Note.\n/// A point.\nstruct Point;";
        let kept = keep_leading_docs(code);
        let name = code.find("Point;").unwrap();
        assert_eq!(&kept[position_in_kept(code, name)..], "Point;");
        let doc = code.find("///").unwrap();
        assert_eq!(&kept[position_in_kept(code, doc)..], &code[doc..]);
        assert_eq!(position_in_kept(code, 3), 3);
        assert_eq!(position_in_kept("let x = 1;", 4), 4);
    }
}
