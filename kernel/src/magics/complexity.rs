//! `%complexity` and `%%complexity`: time code over growing sizes `n` and
//! fit its complexity class (`course_lib::lab::complexity`).

use super::codegen::Measured;
use super::options::{self, Flag};
use super::{MagicContext, MagicError};
use course_lib::lab::complexity::{ComplexityOptions, parse_sizes};

const FLAGS: &[Flag] = &[
    Flag::value('n'),
    Flag::value('r'),
    Flag::switch('q'),
    Flag::switch('o'),
];

/// Reads the options; `show_value`: a `-o` result would be the cell's value.
pub fn parse(args: &str, show_value: bool, context: &MagicContext) -> Result<Measured, MagicError> {
    let parsed = options::parse("complexity", args, FLAGS)?;
    let sizes = match parsed.value('n') {
        Some(text) => parse_sizes(text)
            .map_err(|problem| MagicError::usage("complexity", format!("-n {text}: {problem}")))?,
        None => ComplexityOptions::default().sizes,
    };
    let runs = parsed.number("complexity", 'r')?.unwrap_or(3);
    let returns_value = parsed.has('o');
    let quiet = parsed.has('q') || (returns_value && show_value);
    Ok(Measured {
        magic: "complexity",
        driver: format!(
            "course_lib::lab::complexity::Sweep::new(course_lib::lab::complexity::ComplexityOptions \
             {{ sizes: vec!{sizes:?}, runs: {runs}, quiet: {quiet}, opt_level: {:?}.to_string() }})",
            context.opt_level
        ),
        binding: "(n, rcourse_loops)",
        returns_value,
        rest: parsed.rest,
    })
}
