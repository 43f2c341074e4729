//! `%time` and `%%time`: the statements run between a clock's start and
//! its report (see [`super::bracket`]).

use super::Expansion;
use super::bracket::Bracket;
use super::registry::{Form, Magic};

/// `%time STATEMENT` and `%%time` + cell body.
pub const MAGIC: Magic = Magic {
    name: "time",
    help: "Run the statement (or cell) once and print the process's CPU times \
           (user, sys, total) and the wall time, as IPython does. A trailing \
           expression stays the cell's value; `let`s stay in the session. \
           `let x = %time EXPRESSION;` keeps the value.",
    options: &[],
    line: Some(Form {
        args: "STATEMENT",
        value: true,
        expand: |call| {
            clock()
                .line(&call.rest, call.assign, call.trailing)
                .map(Expansion::run)
        },
    }),
    cell: Some(Form {
        args: "",
        value: false,
        expand: |call| clock().cell(call.body.unwrap_or_default()).map(Expansion::run),
    }),
};

fn clock() -> Bracket<'static> {
    Bracket {
        magic: "time",
        start: "let rcourse_clock = course_lib::lab::timing::Clock::start();".to_string(),
        var: "rcourse_clock",
    }
}
