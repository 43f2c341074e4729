//! Verdicts a submission cannot forge: how `rcourse grade` runs a graded
//! test cell and decides whether it passed.
//!
//! A test cell passes when the kernel reports it ran without error *and*
//! its output holds a line that only the end of the test can print: a
//! token of 128 random bits, drawn by the grader for this cell of this
//! submission and sent with the cell. So what the cell process owns cannot
//! pass a failing test: a panic hook that hides the panic, evcxr's markers
//! printed early (the outputs then belong to other cells, which lack their
//! tokens), a process that exits or closes its streams.
//!
//! The test code is compiled in a block of its own ([`Guarded::new`]):
//! - std's macros are redefined there to forward to `::std`'s, so a
//!   student's `macro_rules! assert_eq` does not capture the test (a macro
//!   defined later in the text wins);
//! - the teacher's helper functions and macros (from the read-only cells
//!   before the test) are defined again there, so a student's later
//!   definition of the same name does not replace them for the test;
//! - the answer functions the test calls must have the types of the
//!   teacher's solution (`let _: fn(u64) -> Vec<u64> = squares;`), so an
//!   answer cannot return a value of its own type whose `==` always holds;
//! - the test runs under `catch_unwind`, and its panic message is printed
//!   for the grader (escaped, on one line) before the panic goes on.
//!
//! What stays possible: the test runs in the student's process, so code the
//! test calls could read the generated source or the process's memory for
//! the token while the test runs. That takes deliberate native code, and
//! reaches only that student's own verdict, inside the sandbox.

use rcourse_cell::unescape_line;
use rcourse_syntax::body::Body;
use serde_json::Value;

/// Starts the line that a passing test prints, before its token.
const PASSED: &str = "RCOURSE_TEST_PASSED ";
/// Starts the line that a failing test prints, before its message.
const FAILED: &str = "RCOURSE_TEST_FAILED ";

/// std's macros that test code uses, each redefined to forward to std.
const STD_MACROS: &[&str] = &[
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "panic",
    "unreachable",
    "todo",
    "unimplemented",
    "matches",
    "vec",
    "format",
    "format_args",
    "print",
    "println",
    "eprint",
    "eprintln",
    "write",
    "writeln",
    "dbg",
    "concat",
    "stringify",
];

/// A test cell wrapped for grading, with the token it prints when it passes.
#[derive(Debug)]
pub struct Guarded {
    /// The code to run.
    pub code: String,
    token: String,
}

/// What a guarded test cell's run proves.
#[derive(Debug, PartialEq)]
pub enum Verdict {
    /// The test ran to its end.
    Passed,
    /// It did not; the test's own panic message, when it printed one.
    Failed(Option<String>),
}

impl Guarded {
    /// Wraps `test` (Rust only) with the teacher's `helpers` (functions and
    /// macros), the `pins` (name and function type of each answer the test
    /// calls) and a fresh token.
    pub fn new(test: &str, helpers: &[String], pins: &[(String, String)]) -> Guarded {
        let (a, b) = (
            uuid::Uuid::new_v4().as_u128(),
            uuid::Uuid::new_v4().as_u128(),
        );
        let token = format!("{:032x}", a ^ b);
        let mut code = String::from("{\n");
        for name in STD_MACROS {
            code.push_str(&format!(
                "#[allow(unused_macros)] macro_rules! {name} {{ ($($t:tt)*) => {{ ::std::{name}!($($t)*) }}; }}\n"
            ));
        }
        for helper in helpers {
            code.push_str("#[allow(dead_code)]\n");
            code.push_str(helper);
            code.push('\n');
        }
        for (name, ty) in pins {
            code.push_str(&format!("let _: {ty} = {name};\n"));
        }
        // A test that uses `?` runs in a closure that returns a `Result`,
        // as evcxr runs a cell; its error fails the test.
        let uses_question_mark = Body::read(test)
            .jump_out()
            .is_some_and(|jump| jump.keyword == "?");
        code.push_str(
            "let rcourse_outcome: ::std::result::Result<::std::result::Result<(), ::std::string::String>, \
             ::std::boxed::Box<dyn ::std::any::Any + ::std::marker::Send>> = \
             ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(",
        );
        if uses_question_mark {
            code.push_str(
                "|| -> ::std::result::Result<(), ::std::boxed::Box<dyn ::std::error::Error>> {\n",
            );
            code.push_str(test);
            code.push_str(
                "\n;\n#[allow(unreachable_code)]\n::std::result::Result::Ok(())\n}))\
                 .map(|result| result.map_err(|error| ::std::format!(\"{error}\")));\n",
            );
        } else {
            code.push_str("|| {\n");
            code.push_str(test);
            code.push_str("\n})).map(|_| ::std::result::Result::Ok(()));\n");
        }
        let escape = r#".replace('\\', "\\\\").replace('\n', "\\n")"#;
        code.push_str(&format!(
            "match rcourse_outcome {{
    ::std::result::Result::Ok(::std::result::Result::Ok(())) => ::std::println!(\"{PASSED}{{:032x}}\", ::std::hint::black_box(0x{a:032x}u128) ^ 0x{b:032x}u128),
    ::std::result::Result::Ok(::std::result::Result::Err(error)) => ::std::println!(\"{FAILED}{{}}\", error{escape}),
    ::std::result::Result::Err(payload) => {{
        let message: &str = match payload.downcast_ref::<&'static str>() {{
            ::std::option::Option::Some(text) => text,
            ::std::option::Option::None => match payload.downcast_ref::<::std::string::String>() {{
                ::std::option::Option::Some(text) => text.as_str(),
                ::std::option::Option::None => \"a panic without a message\",
            }},
        }};
        ::std::println!(\"{FAILED}{{}}\", message{escape});
        ::std::panic::resume_unwind(payload)
    }}
}}
}}"
        ));
        Guarded { code, token }
    }

    /// Reads the verdict from the cell's outputs (nbformat form), and takes
    /// the grader's lines out of them. `ran_ok` is the kernel's own answer.
    pub fn judge(&self, ran_ok: bool, outputs: &mut Vec<Value>) -> Verdict {
        let expected = format!("{PASSED}{}", self.token);
        let mut passed = false;
        let mut message = None;
        for output in outputs.iter_mut() {
            if output["output_type"] != "stream" || output["name"] != "stdout" {
                continue;
            }
            let text = output["text"].as_str().unwrap_or_default();
            let mut kept = String::with_capacity(text.len());
            for line in text.split_inclusive('\n') {
                let bare = line.trim_end_matches('\n');
                if bare == expected {
                    passed = true;
                } else if let Some(said) = bare.strip_prefix(FAILED) {
                    message.get_or_insert_with(|| unescape_line(said));
                } else if !bare.starts_with(PASSED) {
                    kept.push_str(line);
                }
            }
            output["text"] = Value::String(kept);
        }
        outputs.retain(|output| output["output_type"] != "stream" || output["text"] != "");
        if passed && ran_ok && message.is_none() {
            Verdict::Passed
        } else {
            Verdict::Failed(message)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn stdout(text: &str) -> Value {
        json!({"output_type": "stream", "name": "stdout", "text": text})
    }

    #[test]
    fn only_the_cells_own_token_passes() {
        let guarded = Guarded::new("assert!(true);", &[], &[]);
        let other = Guarded::new("assert!(true);", &[], &[]);
        assert_ne!(guarded.token, other.token);
        assert!(guarded.code.contains("assert!(true);"));
        assert!(
            !guarded.code.contains(&guarded.token),
            "the token is computed, not written"
        );

        let line = format!("{PASSED}{}\n", guarded.token);
        let mut outputs = vec![stdout(&format!("work\n{line}"))];
        assert_eq!(guarded.judge(true, &mut outputs), Verdict::Passed);
        assert_eq!(
            outputs,
            [stdout("work\n")],
            "the grader's line is taken out"
        );

        let mut outputs = vec![stdout(&line)];
        assert_eq!(
            other.judge(true, &mut outputs),
            Verdict::Failed(None),
            "another cell's token"
        );
        assert!(outputs.is_empty());
        let mut outputs = vec![stdout(&line)];
        assert_eq!(
            guarded.judge(false, &mut outputs),
            Verdict::Failed(None),
            "the kernel saw an error"
        );
        let mut outputs = vec![stdout("EVCXR_EXECUTION_COMPLETE\n")];
        assert_eq!(
            guarded.judge(true, &mut outputs),
            Verdict::Failed(None),
            "no token"
        );
    }

    #[test]
    fn failure_messages_come_back_as_printed() {
        // The guard escapes as `rcourse_cell::escape_line` does.
        let guarded = Guarded::new("", &[], &[]);
        assert!(
            guarded
                .code
                .contains(r#"replace('\\', "\\\\").replace('\n', "\\n")"#)
        );
        let message = "left: \"a\"\n\tright\u{1b}[2K \\ é";
        let line = format!("{FAILED}{}\n", rcourse_cell::escape_line(message));
        let mut outputs = vec![stdout(&line)];
        assert_eq!(
            guarded.judge(false, &mut outputs),
            Verdict::Failed(Some(message.to_owned()))
        );
    }

    #[test]
    fn a_failure_line_wins_and_gives_the_message() {
        let guarded = Guarded::new("assert!(false);", &[], &[]);
        let mut outputs = vec![stdout(&format!(
            "{PASSED}{}\n{FAILED}assertion failed: false\n",
            guarded.token
        ))];
        assert_eq!(
            guarded.judge(true, &mut outputs),
            Verdict::Failed(Some("assertion failed: false".into()))
        );
    }

    #[test]
    fn a_test_with_a_question_mark_returns_a_result() {
        let guarded = Guarded::new("let n: u8 = \"7\".parse()?;\nassert_eq!(n, 7);", &[], &[]);
        assert!(guarded.code.contains(
            "|| -> ::std::result::Result<(), ::std::boxed::Box<dyn ::std::error::Error>>"
        ));
        let plain = Guarded::new("assert!(true);", &[], &[]);
        assert!(!plain.code.contains("dyn ::std::error::Error"));
    }

    #[test]
    fn helpers_and_macros_are_defined_in_the_tests_block() {
        let pins = [("answer".to_owned(), "fn() -> u8".to_owned())];
        let guarded = Guarded::new("check(1);", &["fn check(n: u8) {}".to_owned()], &pins);
        assert!(guarded.code.contains("let _: fn() -> u8 = answer;"));
        let helper = guarded.code.find("fn check").unwrap();
        let forward = guarded.code.find("macro_rules! assert_eq").unwrap();
        let test = guarded.code.find("check(1);").unwrap();
        assert!(forward < helper && helper < test);
        assert!(guarded.code.starts_with('{') && guarded.code.ends_with('}'));
    }
}
