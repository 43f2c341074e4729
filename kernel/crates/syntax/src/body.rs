//! The statements a magic runs, read as the body of a block: whether they
//! are one value that runs nothing until it is called or awaited (a
//! closure, an `async` block), whether they only define items, where they
//! jump out (`return`, `?`, `break`, `continue`), and which values they
//! compute and then drop.
//!
//! Measuring magics use it so that what they time is what the student
//! wrote: an optimiser deletes work whose value is dropped, and a closure
//! that is never called costs nothing.

use crate::brackets::tokens;
use crate::tree::{Node, is_item, parse_file};
use ra_ap_parser::SyntaxKind;
use std::ops::Range;

/// The line that opens the function the code is parsed in.
const OPEN: &str = "fn rcourse_body() {\n";

/// Code read as the statements of a block. When the code does not parse,
/// it has no statements: every question answers "nothing found", and
/// rustc reports the error when the code is compiled.
#[derive(Debug)]
pub struct Body {
    /// The statements, then the trailing expression if any (ranges in the
    /// parsed text, which starts with [`OPEN`]).
    statements: Vec<Node>,
    /// Whether the code parsed.
    parsed: bool,
    /// The code read.
    code: String,
}

/// A value that runs nothing until it is called or awaited.
#[derive(Debug, PartialEq, Eq)]
pub enum Deferred {
    /// A closure (`|n| body`, `move || { ... }`).
    Closure(Closure),
    /// An `async` block or closure: a future, run only when awaited.
    Future,
}

/// A closure that is the whole code.
#[derive(Debug, PartialEq, Eq)]
pub struct Closure {
    /// Where the closure is in the code (without a `;` after it).
    pub range: Range<usize>,
    /// Each parameter's type as written, `None` when it has none.
    pub params: Vec<Option<String>>,
}

/// A jump out of the code.
#[derive(Debug, PartialEq, Eq)]
pub struct Jump {
    /// `return`, `?`, `break` or `continue`.
    pub keyword: &'static str,
    /// Byte offset in the code.
    pub offset: usize,
}

impl Body {
    /// Reads `code` as the statements of a block.
    pub fn read(code: &str) -> Body {
        let (root, errors) = parse_file(&format!("{OPEN}{code}\n}}\n"));
        let parsed = errors.is_empty();
        Body {
            statements: if parsed {
                statements_of(root)
            } else {
                Vec::new()
            },
            parsed,
            code: code.to_owned(),
        }
    }

    /// Whether the code parsed and holds no statement (only comments).
    pub fn is_empty(&self) -> bool {
        self.parsed && self.statements.is_empty()
    }

    /// Whether the code is only item definitions (`fn`, `struct`, `use`...).
    pub fn only_items(&self) -> bool {
        !self.statements.is_empty() && self.statements.iter().all(|node| is_item(node.kind))
    }

    /// Where the code's own functions and `macro_rules!` macros are
    /// (statements and other items left out), in the order written.
    pub fn functions_and_macros(&self) -> Vec<Range<usize>> {
        self.statements
            .iter()
            .filter(|node| matches!(node.kind, SyntaxKind::FN | SyntaxKind::MACRO_RULES))
            .map(|node| self.range(node))
            .collect()
    }

    /// The code's own plain functions, each with its type as a function
    /// pointer: `("squares", "fn(u64) -> Vec<u64>")`. Generic, `async`,
    /// `unsafe` and `extern` functions, and those that take `impl Trait`,
    /// are left out (no function pointer type names them).
    pub fn function_types(&self) -> Vec<(String, String)> {
        self.statements
            .iter()
            .filter(|node| node.kind == SyntaxKind::FN)
            .filter_map(|function| self.function_type(function))
            .collect()
    }

    fn function_type(&self, function: &Node) -> Option<(String, String)> {
        let excluded = [
            SyntaxKind::GENERIC_PARAM_LIST,
            SyntaxKind::WHERE_CLAUSE,
            SyntaxKind::ASYNC_KW,
            SyntaxKind::UNSAFE_KW,
            SyntaxKind::ABI,
        ];
        if excluded.iter().any(|&kind| function.child(kind).is_some()) {
            return None;
        }
        let name = function.child(SyntaxKind::NAME)?;
        let params = function
            .child(SyntaxKind::PARAM_LIST)?
            .children
            .iter()
            .filter(|child| matches!(child.kind, SyntaxKind::PARAM | SyntaxKind::SELF_PARAM))
            .map(|param| self.param_type(param))
            .collect::<Option<Vec<String>>>()?;
        let returned = match function.child(SyntaxKind::RET_TYPE) {
            Some(ret) => format!(" -> {}", self.code[self.range(first_node(ret)?)].trim()),
            None => String::new(),
        };
        let ty = format!("fn({}){returned}", params.join(", "));
        let opaque = ty
            .split(|c: char| !c.is_alphanumeric() && c != '_')
            .any(|word| word == "impl");
        (!opaque).then(|| (self.code[self.range(name)].to_owned(), ty))
    }

    /// The closure or future that is the whole code (a `;` may follow it).
    pub fn deferred(&self) -> Option<Deferred> {
        let [statement] = self.statements.as_slice() else {
            return None;
        };
        let mut node = statement;
        while matches!(node.kind, SyntaxKind::EXPR_STMT | SyntaxKind::PAREN_EXPR) {
            node = first_node(node)?;
        }
        let is_async = node.child(SyntaxKind::ASYNC_KW).is_some();
        match node.kind {
            SyntaxKind::BLOCK_EXPR if is_async => Some(Deferred::Future),
            SyntaxKind::CLOSURE_EXPR if is_async => Some(Deferred::Future),
            SyntaxKind::CLOSURE_EXPR => {
                let params = node
                    .child(SyntaxKind::PARAM_LIST)
                    .map(|list| {
                        list.children
                            .iter()
                            .filter(|param| param.kind == SyntaxKind::PARAM)
                            .map(|param| self.param_type(param))
                            .collect()
                    })
                    .unwrap_or_default();
                Some(Deferred::Closure(Closure {
                    range: self.range(node),
                    params,
                }))
            }
            _ => None,
        }
    }

    /// The first jump out of the code, in the order written: `return` or
    /// `?` outside a closure, function or `async` block of the code's own,
    /// `break` outside a loop or labelled block of its own, `continue`
    /// outside a loop of its own.
    pub fn jump_out(&self) -> Option<Jump> {
        self.statements
            .iter()
            .find_map(|node| self.find_jump(node, Loops::default()))
    }

    /// The values the code computes and drops at its top level: the
    /// expressions of its `EXPRESSION;` statements. Macro calls are left
    /// out (they may stand for statements), and so are jumps and
    /// expressions with attributes.
    pub fn dropped_values(&self) -> Vec<Range<usize>> {
        self.statements
            .iter()
            .filter(|node| {
                node.kind == SyntaxKind::EXPR_STMT && node.child(SyntaxKind::SEMICOLON).is_some()
            })
            .filter_map(first_node)
            .filter(|expression| {
                expression.child(SyntaxKind::ATTR).is_none()
                    && !matches!(
                        expression.kind,
                        SyntaxKind::MACRO_EXPR
                            | SyntaxKind::MACRO_CALL
                            | SyntaxKind::RETURN_EXPR
                            | SyntaxKind::BREAK_EXPR
                            | SyntaxKind::CONTINUE_EXPR
                    )
            })
            .map(|expression| self.range(expression))
            .collect()
    }

    /// When the code ends with a `let` (items aside) and no expression
    /// follows it, that `let`'s value: it is dropped where the block ends.
    pub fn final_let_value(&self) -> Option<Range<usize>> {
        let last = self.statements.iter().rfind(|node| !is_item(node.kind))?;
        if last.kind != SyntaxKind::LET_STMT {
            return None;
        }
        let equals = last
            .children
            .iter()
            .position(|child| child.kind == SyntaxKind::EQ)?;
        let value = last.children[equals..]
            .iter()
            .find(|child| !child.children.is_empty())?;
        Some(self.range(value))
    }

    /// `node`'s range in the code.
    fn range(&self, node: &Node) -> Range<usize> {
        node.range.start - OPEN.len()..node.range.end - OPEN.len()
    }

    /// The type written after a closure parameter's `:`, if any.
    fn param_type(&self, param: &Node) -> Option<String> {
        let colon = param
            .children
            .iter()
            .position(|child| child.kind == SyntaxKind::COLON)?;
        let ty = param.children[colon..]
            .iter()
            .find(|child| !child.children.is_empty())?;
        Some(self.code[self.range(ty)].to_owned())
    }

    fn find_jump(&self, node: &Node, loops: Loops) -> Option<Jump> {
        let keyword = match node.kind {
            kind if is_item(kind) || kind == SyntaxKind::CLOSURE_EXPR => return None,
            SyntaxKind::BLOCK_EXPR if has_own_returns(node) => return None,
            SyntaxKind::RETURN_EXPR => Some("return"),
            SyntaxKind::TRY_EXPR => Some("?"),
            SyntaxKind::BREAK_EXPR if loops.loops + loops.labelled == 0 => Some("break"),
            SyntaxKind::CONTINUE_EXPR if loops.loops == 0 => Some("continue"),
            _ => None,
        };
        if let Some(keyword) = keyword {
            let at = match node.kind {
                SyntaxKind::TRY_EXPR => node.child(SyntaxKind::QUESTION).unwrap_or(node),
                _ => node,
            };
            return Some(Jump {
                keyword,
                offset: self.range(at).start,
            });
        }
        let inner = match node.kind {
            SyntaxKind::LOOP_EXPR | SyntaxKind::WHILE_EXPR | SyntaxKind::FOR_EXPR => Loops {
                loops: loops.loops + 1,
                ..loops
            },
            SyntaxKind::BLOCK_EXPR if node.child(SyntaxKind::LABEL).is_some() => Loops {
                labelled: loops.labelled + 1,
                ..loops
            },
            _ => loops,
        };
        node.children
            .iter()
            .find_map(|child| self.find_jump(child, inner))
    }
}

/// The loops and labelled blocks around a point of the code.
#[derive(Debug, Default, Clone, Copy)]
struct Loops {
    loops: usize,
    labelled: usize,
}

/// Whether a block is one that `return` and `?` leave (`async`, `const`,
/// `gen` or `try` blocks), rather than the code around it.
fn has_own_returns(block: &Node) -> bool {
    block.children.iter().any(|child| {
        matches!(
            child.kind,
            SyntaxKind::ASYNC_KW | SyntaxKind::CONST_KW | SyntaxKind::GEN_KW | SyntaxKind::TRY_KW
        )
    })
}

/// The first child that is a node (not a token).
fn first_node(node: &Node) -> Option<&Node> {
    node.children
        .iter()
        .find(|child| !child.children.is_empty())
}

/// The statements of the function `fn rcourse_body() { ... }` that `root`
/// holds (nodes only: braces, stray `;` and comments are left out).
fn statements_of(root: Node) -> Vec<Node> {
    root.children
        .into_iter()
        .find(|node| node.kind == SyntaxKind::FN)
        .and_then(|function| {
            function
                .children
                .into_iter()
                .find(|node| node.kind == SyntaxKind::BLOCK_EXPR)
        })
        .and_then(|block| {
            block
                .children
                .into_iter()
                .find(|node| node.kind == SyntaxKind::STMT_LIST)
        })
        .map(|list| {
            list.children
                .into_iter()
                .filter(|node| !node.children.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// `line` without a `//` comment at its end: code written on a magic's
/// line is followed by more code on that line when it is expanded.
pub fn before_line_comment(line: &str) -> &str {
    match tokens(line).last() {
        Some(token) if token.is_comment() && line[token.range.clone()].starts_with("//") => {
            line[..token.range.start].trim_end()
        }
        _ => line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_functions_have_pointer_types() {
        let code = "fn squares(n: u64) -> Vec<u64> { vec![] }\n\
                    pub fn first(v: &[u8], (a, _b): (u8, u8)) -> &u8 { &v[0] }\n\
                    fn unit() {}\n\
                    fn generic<T>(t: T) -> T { t }\n\
                    fn opaque(f: impl Fn()) {}\n\
                    async fn later() {}\n\
                    let x = 1;";
        assert_eq!(
            Body::read(code).function_types(),
            [
                ("squares".to_owned(), "fn(u64) -> Vec<u64>".to_owned()),
                ("first".to_owned(), "fn(&[u8], (u8, u8)) -> &u8".to_owned()),
                ("unit".to_owned(), "fn()".to_owned()),
            ]
        );
    }

    #[test]
    fn functions_and_macros_are_found_among_statements() {
        let code = "let x = 1;\n/// Doc.\nfn helper() -> u8 { 1 }\nstruct S;\nmacro_rules! m { () => {} }\nhelper();";
        let found: Vec<&str> = Body::read(code)
            .functions_and_macros()
            .into_iter()
            .map(|range| &code[range])
            .collect();
        assert_eq!(
            found,
            [
                "/// Doc.\nfn helper() -> u8 { 1 }",
                "macro_rules! m { () => {} }"
            ]
        );
        assert!(Body::read("fn broken( {").functions_and_macros().is_empty());
    }

    fn closure(code: &str) -> Option<(&str, Vec<Option<String>>)> {
        match Body::read(code).deferred()? {
            Deferred::Closure(closure) => Some((&code[closure.range], closure.params)),
            Deferred::Future => None,
        }
    }

    #[test]
    fn finds_the_closure_that_is_the_whole_code() {
        assert_eq!(
            closure("|n| (0..n).sum::<usize>()"),
            Some(("|n| (0..n).sum::<usize>()", vec![None]))
        );
        assert_eq!(
            closure("move |n: u64, _: &str| {\n    n * 2\n};"),
            Some((
                "move |n: u64, _: &str| {\n    n * 2\n}",
                vec![Some("u64".to_owned()), Some("&str".to_owned())]
            ))
        );
        assert_eq!(closure("(|| work()) // why"), Some(("|| work()", vec![])));
        assert_eq!(closure("let f = |n| n; f(2)"), None);
        assert_eq!(closure("(|n| n)(3)"), None);
        assert_eq!(closure("v.iter().map(|x| x * 2)"), None);
        assert_eq!(Body::read("async { 1 }").deferred(), Some(Deferred::Future));
        assert_eq!(
            Body::read("async move || 1;").deferred(),
            Some(Deferred::Future)
        );
    }

    fn jump(code: &str) -> Option<(&'static str, &str)> {
        Body::read(code)
            .jump_out()
            .map(|jump| (jump.keyword, &code[jump.offset..]))
    }

    #[test]
    fn finds_jumps_out_of_the_code() {
        assert_eq!(jump("let x: u32 = s.parse()?; x"), Some(("?", "?; x")));
        assert_eq!(
            jump("if v.is_empty() { return 0; }\n1"),
            Some(("return", "return 0; }\n1"))
        );
        assert_eq!(jump("if done { break; }"), Some(("break", "break; }")));
        assert_eq!(
            jump("match x { _ => continue }"),
            Some(("continue", "continue }"))
        );
        // Loops, closures, functions and async blocks of the code's own.
        assert_eq!(
            jump("for i in 0..3 { if i > 1 { break; } continue; }"),
            None
        );
        assert_eq!(jump("'found: { if x { break 'found; } }"), None);
        assert_eq!(
            jump("v.iter().map(|x| -> Option<u8> { Some(x.checked_add(1)?) })"),
            None
        );
        assert_eq!(jump("fn f() -> u8 { return 1; }\nf()"), None);
        assert_eq!(jump("let f = async { g().await?; Ok(()) };"), None);
        assert_eq!(jump("println!(\"{:?}\", x)"), None);
    }

    #[test]
    fn finds_dropped_values_and_items() {
        let code =
            "v.iter().sum::<u64>();\nv.sort();\nprintln!(\"x\");\nlet s = 3;\nfor i in 0..3 {}\ns";
        let dropped: Vec<&str> = Body::read(code)
            .dropped_values()
            .into_iter()
            .map(|range| &code[range])
            .collect();
        assert_eq!(dropped, ["v.iter().sum::<u64>()", "v.sort()"]);
        assert_eq!(Body::read(code).final_let_value(), None);
        let code = "let v: Vec<u64> = (0..n).collect();\nlet s: u64 = v.iter().sum();\nfn f() {}";
        let value = Body::read(code).final_let_value().unwrap();
        assert_eq!(&code[value], "v.iter().sum()");
        let code = "let Some(x) = v.first() else { panic!() };";
        assert_eq!(
            &code[Body::read(code).final_let_value().unwrap()],
            "v.first()"
        );
        assert!(Body::read("fn f() {}\n#[derive(Debug)]\nstruct S;").only_items());
        assert!(!Body::read("fn f() {}\nf()").only_items());
        assert!(Body::read("// nothing").is_empty());
        assert!(!Body::read("let x = (;").is_empty());
        assert!(Body::read("let x = (;").dropped_values().is_empty());
    }

    #[test]
    fn line_comments_at_the_end_are_cut() {
        assert_eq!(before_line_comment("v.sort() // in place"), "v.sort()");
        assert_eq!(
            before_line_comment("f(\"//\") /* kept */"),
            "f(\"//\") /* kept */"
        );
        assert_eq!(before_line_comment("x"), "x");
    }
}
