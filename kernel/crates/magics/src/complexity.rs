//! `%complexity` and `%%complexity`: time code over growing sizes `n` and
//! fit its complexity class (`course_lib::lab::complexity`).

use super::codegen::{self, Measured};
use super::registry::{Call, Form, Magic, MagicOption};
use super::{Expansion, MagicError};
use rcourse_cell::{ComplexityOptions, RustSpelling, parse_sizes};

/// `%complexity BODY` and `%%complexity [SETUP]` + cell body.
pub const MAGIC: Magic = Magic {
    name: "complexity",
    help: "Time the body at growing sizes `n` (a `usize` in scope in SETUP and BODY; a \
           BODY that is a closure `|n| ...` or `|n: u64| ...` is called with it), fit \
           the best of O(1), O(log n), O(n), O(n log n), O(n²), O(n³) and O(2ⁿ), print the \
           verdict with the fitted constant, and draw time against n on log-log axes. \
           SETUP runs before each run, outside the timed region.",
    options: &[
        MagicOption::value(
            'n',
            "SIZES",
            "`A..B` (A, 2A, 4A... up to B) or a list `100,200,400` (default 1000..64000)",
        ),
        MagicOption::value('r', "R", "runs per size, the fastest counts (default 3)"),
        MagicOption::switch('q', "print nothing"),
        MagicOption::switch(
            'o',
            "return the ComplexityReport (points, fit): \
             `let c = %complexity -o -n 100..1600 (0..n).sum::<usize>();`",
        ),
    ],
    line: Some(Form {
        args: "BODY",
        value: true,
        expand: |call| codegen::line(parse(call)?, call).map(Expansion::run),
    }),
    cell: Some(Form {
        args: "[SETUP]",
        value: false,
        expand: |call| codegen::cell(parse(call)?, call).map(Expansion::run),
    }),
};

/// Reads the options into the sweep's driver.
fn parse(call: &Call) -> Result<Measured, MagicError> {
    let (parsed, context) = (&call.options, call.context);
    let mut options = ComplexityOptions {
        opt_level: context.opt_level.to_string(),
        ..ComplexityOptions::default()
    };
    if let Some(text) = parsed.value('n') {
        options.sizes = parse_sizes(text)
            .map_err(|problem| MagicError::usage("complexity", format!("-n {text}: {problem}")))?;
    }
    if let Some(runs) = parsed.number("complexity", 'r')? {
        options.runs = runs as usize;
    }
    let returns_value = parsed.has('o');
    options.quiet = parsed.has('q') || (returns_value && call.trailing);
    Ok(Measured {
        magic: "complexity",
        driver: format!(
            "course_lib::lab::complexity::Sweep::new({})",
            options.rust_expr()
        ),
        binding: "(n, rcourse_loops)",
        argument: Some("n"),
        returns_value,
        rest: call.rest.clone(),
    })
}
