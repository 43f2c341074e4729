//! `%timeit` and `%%timeit`: IPython's options, expanded into a timing
//! loop that is compiled with the timed code (`course_lib::lab::timing`).

use super::options::{self, Flag};
use super::{MagicContext, MagicError};

const FLAGS: &[Flag] = &[
    Flag {
        letter: 'n',
        takes_value: true,
    },
    Flag {
        letter: 'r',
        takes_value: true,
    },
    Flag {
        letter: 'p',
        takes_value: true,
    },
    Flag {
        letter: 'q',
        takes_value: false,
    },
    Flag {
        letter: 'o',
        takes_value: false,
    },
];

/// The parsed options, as the Rust expression of a `TimeitOptions`.
struct Settings {
    options: String,
    returns_value: bool,
    rest: String,
}

fn settings(
    magic: &str,
    args: &str,
    show_value: bool,
    context: &MagicContext,
) -> Result<Settings, MagicError> {
    let parsed = options::parse(magic, args, FLAGS)?;
    let loops = parsed.number(magic, 'n')?;
    let runs = parsed.number(magic, 'r')?.unwrap_or(7);
    let precision = parsed.number(magic, 'p')?.unwrap_or(3);
    let returns_value = parsed.has('o');
    // `-o` at the end of a cell: the value is shown once, as the cell's result.
    let quiet = parsed.has('q') || (returns_value && show_value);
    let loops = loops.map_or("None".to_string(), |n| format!("Some({n})"));
    Ok(Settings {
        options: format!(
            "course_lib::lab::timing::TimeitOptions {{ loops: {loops}, runs: {runs}, \
             precision: {precision}, quiet: {quiet}, opt_level: {:?}.to_string() }}",
            context.opt_level
        ),
        returns_value,
        rest: parsed.rest,
    })
}

/// The timing loop around `body`, with `setup` run before each run; the
/// block's value is the `TimeitResult`. `body_start`/`body_end` wrap the body
/// so that it can span lines.
fn timing_loop(options: &str, setup: &str) -> (String, &'static str) {
    (
        format!(
            "{{ let mut rcourse_runs = course_lib::lab::timing::Runs::new({options}); \
             while let Some(rcourse_loops) = rcourse_runs.next_run() {{ {setup} \
             rcourse_runs.record(course_lib::lab::timing::time_loops(rcourse_loops, &mut || {{ "
        ),
        " })); } rcourse_runs.finish() }",
    )
}

/// `%timeit [-n N] [-r R] [-p P] [-q] [-o] STATEMENT` on one line.
pub fn line(
    args: &str,
    assign: &str,
    trailing: bool,
    context: &MagicContext,
) -> Result<String, MagicError> {
    let settings = settings("timeit", args, trailing, context)?;
    if settings.rest.is_empty() {
        return Err(MagicError::usage("timeit", "no statement to time"));
    }
    if !assign.is_empty() && !settings.returns_value {
        return Err(MagicError::usage(
            "timeit",
            "add -o to keep the result: `let t = %timeit -o STATEMENT`",
        ));
    }
    let (start, end) = timing_loop(&settings.options, "");
    let value = settings.returns_value && trailing;
    Ok(format!(
        "{assign}{start}{}{end}{}",
        settings.rest,
        if value { "" } else { ";" }
    ))
}

/// `%%timeit [options] [SETUP]` then the body lines.
pub fn cell(args: &str, body: &str, context: &MagicContext) -> Result<String, MagicError> {
    if body.trim().is_empty() {
        return Err(MagicError::usage("timeit", "the cell has no body to time"));
    }
    let settings = settings("timeit", args, true, context)?;
    let setup = if settings.rest.is_empty() {
        String::new()
    } else {
        format!("{};", settings.rest.trim_end_matches(';'))
    };
    let (start, end) = timing_loop(&settings.options, &setup);
    let value = settings.returns_value;
    Ok(format!(
        "{start}\n{body}\n{end}{}",
        if value { "" } else { ";" }
    ))
}
