//! `%whos`: the session's variables with their types and values, printed
//! by the cell (`course_lib::lab::inspect`), since only it sees the values.

use super::registry::{Form, Magic};
use super::{Expansion, who};

/// `%whos`.
pub const MAGIC: Magic = Magic {
    name: "whos",
    help: "List the session's variables with their types and values (Data/Info): \
           `n=LEN` for collections, the `Debug` text (shortened) for other values.",
    options: &[],
    line: Some(Form {
        args: "",
        value: false,
        expand: |call| {
            let variables = call.context.variables;
            Ok(match table_code(variables) {
                Some(code) => Expansion::run(code),
                None => Expansion::print(who::names(variables)),
            })
        },
    }),
    cell: None,
};

/// Code that prints IPython's table of the variables, their types and a
/// glimpse of their values, on one line. `None` when there are no
/// variables (nothing to compile).
fn table_code(variables: &[(String, String)]) -> Option<String> {
    if variables.is_empty() {
        return None;
    }
    let rows: Vec<String> = variables
        .iter()
        .map(|(name, ty)| {
            format!("({name:?}, {ty:?}, (&&&course_lib::lab::inspect::Info(&{name})).data_info())")
        })
        .collect();
    Some(format!(
        "{{ use course_lib::lab::inspect::{{DebugInfo as _, LenInfo as _, NoInfo as _}}; \
         print!(\"{{}}\", course_lib::lab::inspect::whos(&[{}])); }}",
        rows.join(", ")
    ))
}
