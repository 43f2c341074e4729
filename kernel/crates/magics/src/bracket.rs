//! Magics that run statements once, at the cell's top level, between a
//! start and a finish: `%time` (a clock) and `%prun` (a profiler).
//!
//! The statements stay top-level, so their `let`s stay in the session, and
//! a trailing expression stays the cell's value: it is evaluated, then the
//! finish reports, then the value is given back. Values the statements
//! drop are kept, and a closure that is all of them is called
//! ([`timed::measured`]).

use super::MagicError;
use super::timed::{self, Runs};
use rcourse_syntax::{body::before_line_comment, tail};

/// What brackets the statements.
pub struct Bracket<'a> {
    /// The magic's name, for errors.
    pub magic: &'a str,
    /// A statement that starts measuring and binds `var`.
    pub start: String,
    /// The variable `start` binds; it has `finish()` and `finish_with(value)`.
    pub var: &'a str,
}

impl Bracket<'_> {
    /// How the statements run: once, at the cell's top level.
    fn runs(&self) -> Runs<'_> {
        Runs {
            magic: self.magic,
            argument: None,
            in_loop: false,
        }
    }

    /// `code` followed by the finish, keeping its trailing value.
    fn around(&self, code: &str) -> String {
        let var = self.var;
        match tail::trailing_start(code) {
            Some(at) => format!("{}{var}.finish_with({{ {} }})", &code[..at], &code[at..]),
            None => format!("{} {var}.finish();", code.trim_end()),
        }
    }

    /// `%magic STATEMENT` (also `let x = %magic EXPRESSION;`), on one line.
    pub fn line(
        &self,
        statement: &str,
        assign: &str,
        trailing: bool,
    ) -> Result<String, MagicError> {
        let statement = before_line_comment(statement.trim());
        if statement.is_empty() {
            return Err(MagicError::usage(self.magic, "no statement to run"));
        }
        let (start, var) = (&self.start, self.var);
        if !assign.is_empty() {
            let expression = timed::measured(statement.trim_end_matches(';'), self.runs())?;
            return Ok(format!(
                "{assign}{{ {start} {var}.finish_with({{ {expression} }}) }};"
            ));
        }
        let statement = timed::measured(statement, self.runs())?;
        let code = format!("{start} {}", self.around(&statement));
        if trailing || code.ends_with(';') {
            Ok(code)
        } else {
            // A value in the middle of a cell is not shown: end the statement.
            Ok(format!("{code};"))
        }
    }

    /// `%%magic` then the body lines: the start takes the magic's line.
    pub fn cell(&self, body: &str) -> Result<String, MagicError> {
        if body.trim().is_empty() {
            return Err(MagicError::usage(self.magic, "the cell has no body to run"));
        }
        let body = timed::measured(body, self.runs())?;
        Ok(format!("{}\n{}", self.start, self.around(&body)))
    }
}
