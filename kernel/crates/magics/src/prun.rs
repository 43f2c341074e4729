//! `%prun` and `%%prun`: the statements run under the sampling profiler of
//! `course_lib::lab::profile`, which then shows a table and a flame graph.

use rcourse_cell::{RustSpelling, SortKey};

use super::bracket::Bracket;
use super::registry::{Call, Form, Magic, MagicOption};
use super::{Expansion, MagicError};

/// `%prun STATEMENT` and `%%prun` + cell body.
pub const MAGIC: Magic = Magic {
    name: "prun",
    help: "Run the statement (or cell) once under a sampling profiler and show where the \
           time went: a table in cProfile's spirit (samples, tottime = time in the \
           function's own code, cumtime = with its callees, their shares) and a flame \
           graph. Times are estimates from samples of every thread's stack, a few hundred \
           per CPU second; call counts cannot be sampled. Profile runs of at least a \
           fraction of a second. `let`s stay in the session; a trailing expression stays \
           the cell's value.",
    options: &[
        MagicOption::value(
            's',
            "KEY",
            "sort by time/tottime (default), cumulative/cumtime or name",
        ),
        MagicOption::value('l', "N", "show the first N rows"),
    ],
    line: Some(Form {
        args: "STATEMENT",
        value: true,
        expand: |call| {
            let bracket = parse(call)?;
            bracket
                .line(&call.rest, call.assign, call.trailing)
                .map(Expansion::run)
        },
    }),
    cell: Some(Form {
        args: "",
        value: false,
        expand: |call| parse(call)?.cell(call.body.unwrap_or_default()).map(Expansion::run),
    }),
};

/// Reads `-s KEY` and `-l N` into the profiler that brackets the statements.
fn parse(call: &Call) -> Result<Bracket<'static>, MagicError> {
    let (parsed, context) = (&call.options, call.context);
    let sort = match parsed.value('s') {
        Some(key) => key
            .parse::<SortKey>()
            .map_err(|problem| MagicError::usage("prun", problem))?,
        None => SortKey::default(),
    };
    let limit = parsed
        .number("prun", 'l')?
        .map_or(String::new(), |rows| format!(".limit({rows})"));
    let start = format!(
        "let rcourse_profiler = course_lib::lab::profile::Profiler::start(\
         course_lib::lab::profile::ProfileOptions::default()\
         .sort({}){limit}.opt_level({:?}));",
        sort.rust_expr(),
        context.opt_level
    );
    let bracket = Bracket {
        magic: "prun",
        start,
        var: "rcourse_profiler",
    };
    Ok(bracket)
}
