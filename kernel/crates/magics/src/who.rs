//! `%who`: the session's variables, as IPython lists them.

use super::registry::{Form, Magic};
use super::Expansion;

/// `%who`.
pub const MAGIC: Magic = Magic {
    name: "who",
    help: "List the session's variables.",
    options: &[],
    line: Some(Form {
        args: "",
        value: false,
        expand: |call| Ok(Expansion::print(names(call.context.variables))),
    }),
    cell: None,
};

/// The variable names, tab-separated, as IPython prints them.
pub fn names(variables: &[(String, String)]) -> String {
    if variables.is_empty() {
        return "Interactive namespace is empty.\n".to_string();
    }
    let names: Vec<&str> = variables.iter().map(|(name, _)| name.as_str()).collect();
    format!("{}\t\n", names.join("\t"))
}
