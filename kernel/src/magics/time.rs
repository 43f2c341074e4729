//! `%time` and `%%time`: the statements run at the cell's top level (their
//! `let`s stay in the session), between a clock's start and its report.

use super::{MagicError, tail};

const START: &str = "let rcourse_clock = course_lib::lab::timing::Clock::start();";

/// Ends `code` with the clock's report, keeping its trailing value.
fn timed(code: &str) -> String {
    match tail::trailing_start(code) {
        Some(at) => format!(
            "{}rcourse_clock.finish_with({{ {} }})",
            &code[..at],
            &code[at..]
        ),
        None => format!("{} rcourse_clock.finish();", code.trim_end()),
    }
}

/// `%time STATEMENT` (also `let x = %time EXPRESSION;`).
pub fn line(args: &str, assign: &str, trailing: bool) -> Result<String, MagicError> {
    let statement = args.trim();
    if statement.is_empty() {
        return Err(MagicError::usage("time", "no statement to time"));
    }
    if !assign.is_empty() {
        let expression = statement.trim_end_matches(';');
        return Ok(format!(
            "{assign}{{ {START} rcourse_clock.finish_with({{ {expression} }}) }};"
        ));
    }
    let code = format!("{START} {}", timed(statement));
    if trailing || code.ends_with(';') {
        Ok(code)
    } else {
        // A value in the middle of a cell is not shown: end the statement.
        Ok(format!("{code};"))
    }
}

/// `%%time` then the body lines.
pub fn cell(args: &str, body: &str) -> Result<String, MagicError> {
    if !args.trim().is_empty() {
        return Err(MagicError::usage("time", "%%time takes no options"));
    }
    if body.trim().is_empty() {
        return Err(MagicError::usage("time", "the cell has no body to time"));
    }
    Ok(format!("{START}\n{}", timed(body)))
}
