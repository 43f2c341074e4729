//! Rust syntax for the export: a small tree from rust-analyzer's parser
//! (the crate evcxr itself uses), to tell items from statements and to check
//! that a cell is still well-formed Rust after its solutions are stubbed.
//!
//! A notebook cell is not a Rust file: it mixes items and statements, may
//! end with an expression, and may hold magics (`%timeit ...`) and evcxr
//! commands (`:dep ...`). It is checked as the body of a function, with
//! those lines blanked out (line numbers are kept).

use crate::brackets::EDITION;
use crate::lines::{Cell, LineKind};
use ra_ap_parser::{LexedStr, StrStep, SyntaxKind, TopEntryPoint};
use std::ops::Range;

/// A node of the syntax tree, or a token when it has no children.
#[derive(Debug)]
pub struct Node {
    /// The node's or token's kind.
    pub kind: SyntaxKind,
    /// Byte range in the parsed text.
    pub range: Range<usize>,
    /// Child nodes and tokens, in order.
    pub children: Vec<Node>,
}

impl Node {
    /// The first child of the given kind.
    pub fn child(&self, kind: SyntaxKind) -> Option<&Node> {
        self.children.iter().find(|child| child.kind == kind)
    }
}

/// A syntax error and where it is (byte offset in the parsed text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Byte offset.
    pub offset: usize,
    /// The parser's message.
    pub message: String,
}

/// Parses `text` as a Rust source file: the tree and the syntax errors.
pub fn parse_file(text: &str) -> (Node, Vec<ParseError>) {
    let lexed = LexedStr::new(EDITION, text);
    let input = lexed.to_input(EDITION);
    let output = TopEntryPoint::SourceFile.parse(&input);
    let mut errors: Vec<ParseError> = lexed
        .errors()
        .map(|(token, message)| ParseError {
            offset: lexed.text_start(token),
            message: message.to_owned(),
        })
        .collect();
    let mut stack: Vec<Node> = Vec::new();
    let mut root = None;
    let mut position = 0;
    lexed.intersperse_trivia(&output, &mut |step| match step {
        StrStep::Token { kind, text } => {
            let range = position..position + text.len();
            position = range.end;
            if let Some(parent) = stack.last_mut() {
                parent.children.push(Node {
                    kind,
                    range,
                    children: Vec::new(),
                });
            }
        }
        StrStep::Enter { kind } => stack.push(Node {
            kind,
            range: position..position,
            children: Vec::new(),
        }),
        StrStep::Exit => {
            if let Some(mut node) = stack.pop() {
                node.range.start = node
                    .children
                    .first()
                    .map_or(position, |child| child.range.start);
                node.range.end = position;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => root = Some(node),
                }
            }
        }
        StrStep::Error { msg, pos } => errors.push(ParseError {
            offset: pos,
            message: msg.to_owned(),
        }),
    });
    errors.sort_by_key(|error| error.offset);
    let root = root.unwrap_or(Node {
        kind: SyntaxKind::SOURCE_FILE,
        range: 0..text.len(),
        children: Vec::new(),
    });
    (root, errors)
}

/// A syntax error in a cell: the line (counted from 0) and the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellSyntaxError {
    /// Line in the cell.
    pub line: usize,
    /// The parser's message.
    pub message: String,
}

/// The opening of the function a cell is checked in (one line).
const WRAP_OPEN: &str = "fn rcourse_cell() {\n";

/// Checks that a cell is well-formed Rust, as the body of a function, with
/// magic lines and evcxr commands left out.
pub fn check_cell(code: &str) -> Result<(), CellSyntaxError> {
    let wrapped = format!("{WRAP_OPEN}{}\n}}\n", mask_non_rust(code));
    let (_, errors) = parse_file(&wrapped);
    let Some(first) = errors.first() else {
        return Ok(());
    };
    let offset = first.offset.min(wrapped.len());
    let line = wrapped[..offset].matches('\n').count().saturating_sub(1);
    let last_line = code.split('\n').count().saturating_sub(1);
    Err(CellSyntaxError {
        line: line.min(last_line),
        message: first.message.clone(),
    })
}

/// Blanks the lines that the kernel handles before Rust sees them: a cell
/// magic's first line (`%%timeit`), line magics (`%time x`), magics on the
/// right of a `let` (`let r = %timeit -o x;`, which becomes `let r = ();`)
/// and evcxr commands (`:dep ...`); see [`crate::lines`].
pub fn mask_non_rust(code: &str) -> String {
    let masked: Vec<String> = Cell::read(code)
        .lines
        .iter()
        .map(|line| match line.kind {
            LineKind::Rust => line.text.to_owned(),
            LineKind::LineMagic {
                assign: Some(assign),
                ..
            } => format!("{assign}();"),
            LineKind::LineMagic { assign: None, .. }
            | LineKind::CellMagic(_)
            | LineKind::Command(_) => String::new(),
        })
        .collect();
    masked.join("\n")
}

/// How many brackets (`{`, `(`, `[`) are open at byte `offset` of `code`
/// (magic and command lines left out).
pub fn open_brackets_at(code: &str, offset: usize) -> usize {
    Cell::read(code).depth_at(offset)
}

/// Items whose whole definition is kept (nothing in them can be a body).
const KEPT_ITEMS: [SyntaxKind; 9] = [
    SyntaxKind::USE,
    SyntaxKind::CONST,
    SyntaxKind::STATIC,
    SyntaxKind::TYPE_ALIAS,
    SyntaxKind::MACRO_RULES,
    SyntaxKind::MACRO_DEF,
    SyntaxKind::EXTERN_CRATE,
    SyntaxKind::EXTERN_BLOCK,
    SyntaxKind::ASM_EXPR,
];

/// Items whose bodies are stubbed.
const STUBBED_ITEMS: [SyntaxKind; 7] = [
    SyntaxKind::FN,
    SyntaxKind::STRUCT,
    SyntaxKind::UNION,
    SyntaxKind::ENUM,
    SyntaxKind::IMPL,
    SyntaxKind::TRAIT,
    SyntaxKind::MODULE,
];

/// Whether a node of this kind is an item (`fn`, `struct`, `use`...).
pub(crate) fn is_item(kind: SyntaxKind) -> bool {
    KEPT_ITEMS.contains(&kind) || STUBBED_ITEMS.contains(&kind)
}

/// When `region` is nothing but whole items (`fn`, `struct`, `impl`...),
/// the same items with their bodies stubbed: functions keep their
/// signatures and get `todo!()` bodies; struct fields and enum variants
/// become a `// YOUR CODE HERE` comment; `use`, `const`, `type` and macro
/// definitions stay as they are. `None` when the region holds statements
/// or expressions (a macro call such as `println!` counts as one).
pub fn stub_items(region: &str) -> Option<String> {
    let (root, errors) = parse_file(region);
    if !errors.is_empty() {
        return None;
    }
    let items: Vec<&Node> = root
        .children
        .iter()
        .filter(|child| !child.kind.is_trivia())
        .collect();
    if items.is_empty() || !items.iter().all(|item| is_item(item.kind)) {
        return None;
    }
    let mut edits = Vec::new();
    for item in items {
        stub_item(region, item, &mut edits);
    }
    edits.sort_by_key(|(range, _): &(Range<usize>, String)| std::cmp::Reverse(range.start));
    let mut stubbed = region.to_owned();
    for (range, text) in edits {
        stubbed.replace_range(range, &text);
    }
    Some(stubbed)
}

/// The replacements that stub one item.
fn stub_item(text: &str, item: &Node, edits: &mut Vec<(Range<usize>, String)>) {
    let block = |range: &Range<usize>, inside: &str| {
        let indent = line_indentation(text, range.start);
        format!("{{\n{indent}    {inside}\n{indent}}}")
    };
    match item.kind {
        SyntaxKind::FN => {
            if let Some(body) = item.child(SyntaxKind::BLOCK_EXPR) {
                edits.push((body.range.clone(), block(&body.range, "todo!()")));
            }
        }
        SyntaxKind::STRUCT | SyntaxKind::UNION => {
            if let Some(fields) = item.child(SyntaxKind::RECORD_FIELD_LIST) {
                edits.push((
                    fields.range.clone(),
                    block(&fields.range, "// YOUR CODE HERE"),
                ));
            } else if let Some(fields) = item.child(SyntaxKind::TUPLE_FIELD_LIST) {
                edits.push((fields.range.clone(), "(/* YOUR CODE HERE */)".to_owned()));
            }
        }
        SyntaxKind::ENUM => {
            if let Some(variants) = item.child(SyntaxKind::VARIANT_LIST) {
                edits.push((
                    variants.range.clone(),
                    block(&variants.range, "// YOUR CODE HERE"),
                ));
            }
        }
        SyntaxKind::IMPL | SyntaxKind::TRAIT | SyntaxKind::MODULE => {
            let list = item
                .child(SyntaxKind::ASSOC_ITEM_LIST)
                .or_else(|| item.child(SyntaxKind::ITEM_LIST));
            for member in list.into_iter().flat_map(|list| &list.children) {
                stub_item(text, member, edits);
            }
        }
        _ => {}
    }
}

/// The leading whitespace of the line that holds byte `offset`.
fn line_indentation(text: &str, offset: usize) -> &str {
    let start = text[..offset].rfind('\n').map_or(0, |at| at + 1);
    let line = &text[start..];
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_checked_as_function_bodies() {
        assert!(check_cell("let a = 1;\nfn f() -> u8 { 2 }\nstruct S;\na + 1").is_ok());
        assert!(check_cell("use std::fmt;\nimpl S { fn g(&self) {} }").is_ok());
        let error = check_cell("let a = 1;\nlet b = (a;\nb").unwrap_err();
        assert_eq!(error.line, 1, "{error:?}");
        let error = check_cell("let s = \"open").unwrap_err();
        assert_eq!(error.line, 0, "{error:?}");
    }

    #[test]
    fn magics_and_commands_are_left_out() {
        assert!(check_cell(":dep rand = \"0.8\"\nlet x = 1;").is_ok());
        assert!(check_cell("%timeit v.iter().sum::<u64>()\nlet y = 2;").is_ok());
        assert!(check_cell("%%timeit -n 10\nlet v = vec![1, 2];\nv.len()").is_ok());
        assert!(check_cell("let r = %timeit -o -n 10 f(3);\nr").is_ok());
        assert_eq!(mask_non_rust("let r = %timeit -o f(3);"), "let r = ();");
        assert_eq!(mask_non_rust("x % y"), "x % y");
        assert_eq!(
            mask_non_rust("::std::mem::drop(a);"),
            "::std::mem::drop(a);"
        );
    }

    #[test]
    fn counts_open_brackets() {
        let code = "fn f() {\n    let v = [\n        1,\n";
        assert_eq!(open_brackets_at(code, 0), 0);
        assert_eq!(open_brackets_at(code, code.find("let").unwrap()), 1);
        assert_eq!(open_brackets_at(code, code.find("1,").unwrap()), 2);
    }

    #[test]
    fn functions_keep_their_signatures() {
        let region = "/// Doubles.\npub fn double(x: u64) -> u64 {\n    x * 2\n}\n";
        assert_eq!(
            stub_items(region).unwrap(),
            "/// Doubles.\npub fn double(x: u64) -> u64 {\n    todo!()\n}\n"
        );
        let region = "    fn where_clause<T>(t: T) -> usize\n    where\n        T: Clone,\n    {\n        1\n    }";
        assert_eq!(
            stub_items(region).unwrap(),
            "    fn where_clause<T>(t: T) -> usize\n    where\n        T: Clone,\n    {\n        todo!()\n    }"
        );
    }

    #[test]
    fn types_and_impls_are_stubbed_inside() {
        let region = "#[derive(Debug)]\nstruct Tally {\n    count: usize,\n}\n\nimpl Tally {\n    const ZERO: usize = 0;\n    fn new() -> Self {\n        Tally { count: 0 }\n    }\n}\n\nstruct P(f64, f64);\nenum E { A, B(u8) }\ntrait T { fn f(&self) -> u8 { 1 } fn g(&self); }\nuse std::fmt;";
        let stubbed = stub_items(region).unwrap();
        assert_eq!(
            stubbed,
            "#[derive(Debug)]\nstruct Tally {\n    // YOUR CODE HERE\n}\n\nimpl Tally {\n    const ZERO: usize = 0;\n    fn new() -> Self {\n        todo!()\n    }\n}\n\nstruct P(/* YOUR CODE HERE */);\nenum E {\n    // YOUR CODE HERE\n}\ntrait T { fn f(&self) -> u8 {\n    todo!()\n} fn g(&self); }\nuse std::fmt;"
        );
        assert!(check_cell(&stubbed).is_ok());
    }

    #[test]
    fn statements_are_not_items() {
        assert_eq!(stub_items("let x = 1;\nx + 1"), None);
        assert_eq!(stub_items("println!(\"hi\");"), None);
        assert_eq!(stub_items("(1..=n).sum()"), None);
        assert_eq!(stub_items("fn f() {}\nlet x = f();"), None);
        assert_eq!(stub_items("   \n// only a comment\n"), None);
    }
}
