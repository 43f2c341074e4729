//! What a measuring magic runs is what the student wrote, or a usage error:
//! never a silently different measurement.
//!
//! Code that compiles can still measure nothing: a closure that is created
//! and never called, a future never awaited, a value that is computed and
//! dropped (the optimiser then deletes the work), item definitions (they
//! take no time to run), or a jump (`return`, `?`, `break`) out of the loop
//! that times the code. [`measured`] calls the closure, keeps dropped values
//! with `std::hint::black_box`, and turns the rest into usage errors; it
//! reads the code with [`rcourse_syntax::body`]. The line count stays the
//! same, so compile errors still point at the student's lines.

use super::MagicError;
use rcourse_syntax::body::{Body, Deferred, Jump};
use std::ops::Range;

/// How a magic runs the code it measures.
#[derive(Debug, Clone, Copy)]
pub struct Runs<'a> {
    /// The magic's name, for errors.
    pub magic: &'a str,
    /// What a closure's one parameter is given (`n` for `%complexity`);
    /// `None`: only closures without parameters are called.
    pub argument: Option<&'static str>,
    /// The code runs many times inside the timing loop's closure
    /// (`%timeit`, `%complexity`), rather than once at the cell's top
    /// level, where its `let`s stay in the session (`%time`, `%prun`).
    pub in_loop: bool,
}

/// `code` made into what the magic measures: a closure that is the whole
/// code is called, and values the code drops are kept; a usage error for
/// code the magic cannot measure.
pub fn measured(code: &str, runs: Runs<'_>) -> Result<String, MagicError> {
    let code = called(code, runs)?;
    let body = Body::read(&code);
    if runs.in_loop {
        if body.is_empty() {
            return Err(MagicError::usage(runs.magic, "no code to time"));
        }
        if body.only_items() {
            return Err(MagicError::usage(
                runs.magic,
                "the code only defines items (`fn`, `struct`...), which take no time to run: \
                 define them in a cell of their own, then time code that uses them",
            ));
        }
        if let Some(jump) = body.jump_out() {
            return Err(jump_error(runs.magic, &jump, "the timed code"));
        }
    }
    let mut dropped = body.dropped_values();
    if runs.in_loop {
        // At the top level, a final `let` keeps its value in the session.
        dropped.extend(body.final_let_value());
    }
    Ok(kept(&code, dropped))
}

/// Checks the SETUP of a cell magic, which runs in the timing loop before
/// each run: a jump out of it would end or skip the timing.
pub fn check_setup(magic: &str, setup: &str) -> Result<(), MagicError> {
    match Body::read(setup).jump_out() {
        Some(jump) => Err(jump_error(magic, &jump, "SETUP")),
        None => Ok(()),
    }
}

/// `code` with the closure that is all of it called (`(|| work())()`).
fn called(code: &str, runs: Runs<'_>) -> Result<String, MagicError> {
    let closure = match Body::read(code).deferred() {
        None => return Ok(code.to_owned()),
        Some(Deferred::Future) => {
            return Err(MagicError::usage(
                runs.magic,
                "the code is an `async` block or closure: a future, which runs nothing until \
                 it is awaited. Time code that runs it to the end (a runtime's `block_on(...)`)",
            ));
        }
        Some(Deferred::Closure(closure)) => closure,
    };
    let argument = match (closure.params.as_slice(), runs.argument) {
        ([], _) => String::new(),
        ([None], Some(argument)) => argument.to_owned(),
        ([Some(ty)], Some(argument)) => format!("{argument} as {ty}"),
        (params, _) => {
            let accepted = match runs.argument {
                Some(argument) => format!("a closure of `{argument}` (`|{argument}| BODY`)"),
                None => "a closure without parameters (`|| BODY`)".to_owned(),
            };
            return Err(MagicError::usage(
                runs.magic,
                format!(
                    "the code is a closure of {} parameter{}, which would be created and never \
                     called: %{} calls only {accepted}. Write the body itself, with its values \
                     in scope",
                    params.len(),
                    if params.len() == 1 { "" } else { "s" },
                    runs.magic,
                ),
            ));
        }
    };
    let Range { start, end } = closure.range;
    Ok(format!(
        "{}({})({argument}){}",
        &code[..start],
        &code[start..end],
        &code[end..]
    ))
}

/// `code` with each of the `ranges` (which do not overlap) passed through
/// `std::hint::black_box`, so that the optimiser keeps their work.
fn kept(code: &str, mut ranges: Vec<Range<usize>>) -> String {
    ranges.sort_by_key(|range| std::cmp::Reverse(range.start));
    let mut code = code.to_owned();
    for range in ranges {
        code.insert(range.end, ')');
        code.insert_str(range.start, "std::hint::black_box(");
    }
    code
}

/// The usage error for a jump out of `part` of the code.
fn jump_error(magic: &str, jump: &Jump, part: &str) -> MagicError {
    let hint = match jump.keyword {
        "?" => "use `.unwrap()` or `.expect(\"...\")` instead",
        "return" => "end the code with its value instead",
        _ => "use it only inside a loop of the code",
    };
    MagicError::usage(
        magic,
        format!(
            "`{}` would jump out of {part}, which runs inside %{magic}'s timing loop: {hint}",
            jump.keyword
        ),
    )
}
