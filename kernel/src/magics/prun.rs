//! `%prun` and `%%prun`: the statements run under the sampling profiler of
//! `course_lib::lab::profile`, which then shows a table and a flame graph.

use course_lib::lab::profile::SortKey;

use super::bracket::Bracket;
use super::options::{self, Flag};
use super::{MagicContext, MagicError};

const FLAGS: &[Flag] = &[Flag::value('s'), Flag::value('l')];

/// Reads `-s KEY` and `-l N`; gives the bracket and the statement after the options.
fn parse(args: &str, context: &MagicContext) -> Result<(Bracket<'static>, String), MagicError> {
    let parsed = options::parse("prun", args, FLAGS)?;
    let sort = match parsed.value('s') {
        Some(key) => key
            .parse::<SortKey>()
            .map_err(|problem| MagicError::usage("prun", problem))?,
        None => SortKey::default(),
    };
    let limit = parsed
        .number("prun", 'l')?
        .map_or(String::new(), |rows| format!(".limit({rows})"));
    let sort = match sort {
        SortKey::SelfTime => "SelfTime",
        SortKey::Total => "Total",
        SortKey::Name => "Name",
    };
    let start = format!(
        "let rcourse_profiler = course_lib::lab::profile::Profiler::start(\
         course_lib::lab::profile::ProfileOptions::default()\
         .sort(course_lib::lab::profile::SortKey::{sort}){limit}.opt_level({:?}));",
        context.opt_level
    );
    let bracket = Bracket {
        magic: "prun",
        start,
        var: "rcourse_profiler",
    };
    Ok((bracket, parsed.rest))
}

/// `%prun [-s KEY] [-l N] STATEMENT` (also `let x = %prun ... EXPRESSION;`).
pub fn line(
    args: &str,
    assign: &str,
    trailing: bool,
    context: &MagicContext,
) -> Result<String, MagicError> {
    let (bracket, statement) = parse(args, context)?;
    bracket.line(&statement, assign, trailing)
}

/// `%%prun [-s KEY] [-l N]` then the body lines.
pub fn cell(args: &str, body: &str, context: &MagicContext) -> Result<String, MagicError> {
    let (bracket, rest) = parse(args, context)?;
    if !rest.is_empty() {
        return Err(MagicError::usage(
            "prun",
            format!("unexpected text after the options: {rest}"),
        ));
    }
    bracket.cell(body)
}
