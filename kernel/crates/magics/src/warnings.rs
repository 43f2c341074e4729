//! `%warnings` (also `:warnings`): show or hide rustc's warnings about the
//! cells' own code.

use super::registry::{Form, Magic};
use super::{Expansion, MagicError, Setting};

/// `%warnings [on|off]`.
pub const MAGIC: Magic = Magic {
    name: "warnings",
    help: "Show or hide rustc's warnings about the cells' own code (unused \
           variables, unreachable code...). They are shown by default, dimmed, \
           after each cell's output. Without an argument, says whether they are \
           shown. Also written `:warnings off`, like evcxr's commands.",
    options: &[],
    line: Some(Form {
        args: "[on|off]",
        value: false,
        expand: |call| {
            let on = match call.rest.trim() {
                "" => call.context.warnings,
                "on" => true,
                "off" => false,
                other => {
                    return Err(MagicError::usage(
                        "warnings",
                        format!("expected `on` or `off`, not `{other}`"),
                    ));
                }
            };
            let state = if on { "shown" } else { "hidden" };
            Ok(Expansion {
                printed: format!("Compiler warnings: {state}"),
                setting: Some(Setting::Warnings(on)),
                ..Expansion::default()
            })
        },
    }),
    cell: None,
};
