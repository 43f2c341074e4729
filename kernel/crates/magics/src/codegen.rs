//! The Rust that measuring magics (`%timeit`, `%complexity`) expand to: a
//! loop steered by a `course_lib` driver (`Runs`, `Sweep`) whose body is
//! compiled into `time_loops`, with the setup outside the timed region.
//! The timed code is made what is measured by [`timed::measured`].

use super::MagicError;
use super::registry::Call;
use super::timed::{self, Runs};
use rcourse_syntax::{body::before_line_comment, tail};

/// A measuring magic's parsed options.
pub struct Measured {
    /// The magic's name, for errors.
    pub magic: &'static str,
    /// Rust that builds the driver.
    pub driver: String,
    /// The pattern bound from the driver's `next_run()`; binds `rcourse_loops`.
    pub binding: &'static str,
    /// What the driver binds for a closure's one parameter (`n`), if any.
    pub argument: Option<&'static str>,
    /// `-o`: the block's value is the driver's result.
    pub returns_value: bool,
    /// What follows the options.
    pub rest: String,
}

impl Measured {
    /// How the timed code runs: in the driver's loop.
    fn runs(&self) -> Runs<'static> {
        Runs {
            magic: self.magic,
            argument: self.argument,
            in_loop: true,
        }
    }
}

/// The code before the timed body and the code after it.
fn around(measured: &Measured, setup: &str) -> (String, &'static str) {
    (
        format!(
            "{{ let mut rcourse_driver = {}; \
             while let Some({}) = rcourse_driver.next_run() {{ {setup} \
             rcourse_driver.record(course_lib::lab::timing::time_loops(rcourse_loops, &mut || {{ ",
            measured.driver, measured.binding
        ),
        " })); } rcourse_driver.finish() }",
    )
}

/// A line magic: the rest is the body, kept with `let x = ` when assigned.
pub fn line(measured: Measured, call: &Call) -> Result<String, MagicError> {
    let (assign, trailing) = (call.assign, call.trailing);
    let rest = before_line_comment(&measured.rest);
    if rest.is_empty() {
        return Err(MagicError::usage(measured.magic, "no code to time"));
    }
    if !assign.is_empty() && !measured.returns_value {
        return Err(MagicError::usage(
            measured.magic,
            format!(
                "add -o to keep the result: `let result = %{} -o ...`",
                measured.magic
            ),
        ));
    }
    let body = timed::measured(kept_value(rest), measured.runs())?;
    let (start, end) = around(&measured, "");
    let value = measured.returns_value && trailing;
    Ok(format!(
        "{assign}{start}{body}{end}{}",
        if value { "" } else { ";" }
    ))
}

/// The timed code with its value kept: a lone `EXPRESSION;` loses its `;`,
/// which belongs to the statement around the magic (`let t = %timeit -o
/// EXPRESSION;`) and would otherwise discard the value inside the timed
/// loop, letting the optimiser delete the work being timed.
fn kept_value(code: &str) -> &str {
    let code = code.trim();
    match code.strip_suffix(';').map(str::trim_end) {
        Some(expression)
            if !expression.starts_with("let ") && tail::trailing_start(expression) == Some(0) =>
        {
            expression
        }
        _ => code,
    }
}

/// A cell magic: the rest of its first line is the setup, then the body.
pub fn cell(measured: Measured, call: &Call) -> Result<String, MagicError> {
    let body = call.body.unwrap_or_default();
    if body.trim().is_empty() {
        return Err(MagicError::usage(
            measured.magic,
            "the cell has no body to time",
        ));
    }
    let setup = before_line_comment(&measured.rest);
    timed::check_setup(measured.magic, setup)?;
    let body = timed::measured(body, measured.runs())?;
    let (start, end) = around(&measured, &statement(setup));
    Ok(format!(
        "{start}\n{body}\n{end}{}",
        if measured.returns_value { "" } else { ";" }
    ))
}

/// `text` as one statement (`;`-terminated), or nothing when it is empty.
fn statement(text: &str) -> String {
    let text = text.trim();
    if text.is_empty() {
        String::new()
    } else {
        format!("{};", text.trim_end_matches(';'))
    }
}
