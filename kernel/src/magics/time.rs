//! `%time` and `%%time`: the statements run between a clock's start and
//! its report (see [`super::bracket`]).

use super::MagicError;
use super::bracket::Bracket;

fn clock() -> Bracket<'static> {
    Bracket {
        magic: "time",
        start: "let rcourse_clock = course_lib::lab::timing::Clock::start();".to_string(),
        var: "rcourse_clock",
    }
}

/// `%time STATEMENT` (also `let x = %time EXPRESSION;`).
pub fn line(args: &str, assign: &str, trailing: bool) -> Result<String, MagicError> {
    clock().line(args, assign, trailing)
}

/// `%%time` then the body lines.
pub fn cell(args: &str, body: &str) -> Result<String, MagicError> {
    if !args.trim().is_empty() {
        return Err(MagicError::usage("time", "%%time takes no options"));
    }
    clock().cell(body)
}
