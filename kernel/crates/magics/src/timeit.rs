//! `%timeit` and `%%timeit`: IPython's options, expanded into a timing
//! loop that is compiled with the timed code (`course_lib::lab::timing`).

use super::codegen::{self, Measured};
use super::registry::{Call, Form, Magic, MagicOption};
use super::{Expansion, MagicError};
use rcourse_cell::{RustSpelling, TimeitOptions};

/// `%timeit STATEMENT` and `%%timeit [SETUP]` + cell body.
pub const MAGIC: Magic = Magic {
    name: "timeit",
    help: "Time compiled Rust the way IPython times Python. The statement (or the cell \
           body) is compiled into a loop with the cell's optimisation level and run \
           R runs of N loops; SETUP runs before each run, outside the timed region.",
    options: &[
        MagicOption::value(
            'n',
            "N",
            "loops per run (default: the first power of ten whose run takes 0.2 s)",
        ),
        MagicOption::value('r', "R", "runs (default 7)"),
        MagicOption::value('p', "P", "significant digits shown (default 3)"),
        MagicOption::switch('q', "print nothing"),
        MagicOption::switch(
            'o',
            "return the TimeitResult (runs, loops, best, worst, all_runs, \
             average(), stdev()): `let t = %timeit -o v.iter().sum::<u64>();`",
        ),
    ],
    line: Some(Form {
        args: "STATEMENT",
        value: true,
        expand: |call| codegen::line(parse(call)?, call).map(Expansion::run),
    }),
    cell: Some(Form {
        args: "[SETUP]",
        value: false,
        expand: |call| codegen::cell(parse(call)?, call).map(Expansion::run),
    }),
};

/// Reads the options into the timing loop's driver.
fn parse(call: &Call) -> Result<Measured, MagicError> {
    let (parsed, context) = (&call.options, call.context);
    let mut options = TimeitOptions {
        loops: parsed.number("timeit", 'n')?,
        opt_level: context.opt_level.to_string(),
        ..TimeitOptions::default()
    };
    if let Some(runs) = parsed.number("timeit", 'r')? {
        options.runs = runs as usize;
    }
    if let Some(precision) = parsed.number("timeit", 'p')? {
        options.precision = precision as usize;
    }
    let returns_value = parsed.has('o');
    // `-o` at the end of a cell: the value is shown once, as the cell's result.
    options.quiet = parsed.has('q') || (returns_value && call.trailing);
    Ok(Measured {
        magic: "timeit",
        driver: format!(
            "course_lib::lab::timing::Runs::new({})",
            options.rust_expr()
        ),
        binding: "rcourse_loops",
        argument: None,
        returns_value,
        rest: call.rest.clone(),
    })
}
