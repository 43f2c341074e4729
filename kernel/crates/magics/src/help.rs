//! The help derived from the magics' declarations: usage lines, `%name?`
//! and the `%magic` overview.

use super::registry::{self, Form, Magic};
use super::{MAGICS, MagicError};

/// One usage line per form: `%timeit [-n N] ... STATEMENT`, then
/// `%%timeit [-n N] ... [SETUP] + cell body`.
fn usage_lines(magic: &Magic) -> Vec<String> {
    let options: String = magic
        .options
        .iter()
        .map(|option| format!(" [{}]", option.spelling()))
        .collect();
    let args = |form: &Form| {
        if form.args.is_empty() {
            String::new()
        } else {
            format!(" {}", form.args)
        }
    };
    let line = magic
        .line
        .as_ref()
        .map(|form| format!("%{}{options}{}", magic.name, args(form)));
    let cell = magic
        .cell
        .as_ref()
        .map(|form| format!("%%{}{options}{} + cell body", magic.name, args(form)));
    line.into_iter().chain(cell).collect()
}

/// The usage of `%name`, if it is a magic: `Usage: ` and one line per form.
pub fn usage(name: &str) -> Option<String> {
    let magic = registry::find(name)?;
    Some(format!("Usage: {}", usage_lines(magic).join("\n       ")))
}

/// What the magic does, then its options, one per line with their help.
fn explanation(magic: &Magic) -> String {
    let mut text = magic.help.to_owned();
    let width = magic
        .options
        .iter()
        .map(|option| option.spelling().chars().count())
        .max();
    if let Some(width) = width {
        text.push_str("\nOptions:");
        for option in magic.options {
            text.push_str(&format!("\n{:width$}  {}", option.spelling(), option.help));
        }
    }
    text
}

/// `%name?` (or `%%name?` when `cell`): usage and explanation.
pub fn help(name: &str, cell: bool) -> Result<String, MagicError> {
    let prefix = if cell { "%%" } else { "%" };
    match registry::find(name) {
        Some(magic) if magic.cell.is_some() || !cell => {
            let heading = if magic.line.is_some() { prefix } else { "%%" };
            Ok(format!(
                "{heading}{}\n\nUsage:\n{}\n\n{}\n",
                magic.name,
                indent(&usage_lines(magic)),
                explanation(magic)
            ))
        }
        _ => Err(MagicError {
            magic: format!("{prefix}{name}"),
            message: format!("No magic `{prefix}{name}`. Run %lsmagic to list the magics."),
        }),
    }
}

fn indent(lines: &[String]) -> String {
    lines
        .iter()
        .map(|line| format!("  {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `%magic` alone: every magic with its usage and explanation.
pub fn overview() -> String {
    let mut out = String::from("Magics of the Rust course kernel (IPython's syntax):\n\n");
    for magic in MAGICS {
        out.push_str(&format!(
            "{}\n    {}\n\n",
            usage_lines(magic).join("\n"),
            explanation(magic)
        ));
    }
    out
}
