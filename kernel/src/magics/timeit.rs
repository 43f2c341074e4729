//! `%timeit` and `%%timeit`: IPython's options, expanded into a timing
//! loop that is compiled with the timed code (`course_lib::lab::timing`).

use super::codegen::Measured;
use super::options::{self, Flag};
use super::{MagicContext, MagicError};

const FLAGS: &[Flag] = &[
    Flag::value('n'),
    Flag::value('r'),
    Flag::value('p'),
    Flag::switch('q'),
    Flag::switch('o'),
];

/// Reads the options; `show_value`: a `-o` result would be the cell's value.
pub fn parse(args: &str, show_value: bool, context: &MagicContext) -> Result<Measured, MagicError> {
    let parsed = options::parse("timeit", args, FLAGS)?;
    let loops = parsed
        .number("timeit", 'n')?
        .map_or("None".to_string(), |n| format!("Some({n})"));
    let runs = parsed.number("timeit", 'r')?.unwrap_or(7);
    let precision = parsed.number("timeit", 'p')?.unwrap_or(3);
    let returns_value = parsed.has('o');
    // `-o` at the end of a cell: the value is shown once, as the cell's result.
    let quiet = parsed.has('q') || (returns_value && show_value);
    Ok(Measured {
        magic: "timeit",
        driver: format!(
            "course_lib::lab::timing::Runs::new(course_lib::lab::timing::TimeitOptions {{ \
             loops: {loops}, runs: {runs}, precision: {precision}, quiet: {quiet}, \
             opt_level: {:?}.to_string() }})",
            context.opt_level
        ),
        binding: "rcourse_loops",
        returns_value,
        rest: parsed.rest,
    })
}
