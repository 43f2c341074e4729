//! From a magic's line to its declaration's body: finds the magic, answers
//! `%name?`, parses the declared options and checks what follows them.

use super::registry::{self, Call, Form};
use super::{Expansion, MagicContext, MagicError, help, options};

/// The line magic `%spec` (`spec` is the text after the `%`), assigned
/// with `assign` (`let x = `) when given; `trailing`: its value would be
/// the cell's.
pub fn line(
    spec: &str,
    assign: Option<&str>,
    trailing: bool,
    context: &MagicContext,
) -> Result<Expansion, MagicError> {
    let (name, args) = split_name(spec);
    if asks_for_help(args) {
        return help::help(name, false).map(Expansion::print);
    }
    let magic = registry::find(name).ok_or_else(|| not_found("Line", "%", name))?;
    let Some(form) = &magic.line else {
        return Err(MagicError {
            magic: format!("%{name}"),
            message: format!(
                "Line magic function `%{name}` not found (but cell magic `%%{name}` exists, \
                 did you mean that instead?)."
            ),
        });
    };
    if assign.is_some() && !form.value {
        return Err(MagicError::usage(
            name,
            "this magic prints and has no value to assign",
        ));
    }
    let call = Call {
        assign: assign.unwrap_or(""),
        trailing,
        ..Call::new(magic, None, context)
    };
    run(form, call, args)
}

/// The cell magic `%%spec` (the text after `%%` on the first line), with
/// the cell's other lines as its `body`.
pub fn cell(spec: &str, body: &str, context: &MagicContext) -> Result<Expansion, MagicError> {
    let (name, args) = split_name(spec);
    if asks_for_help(args) {
        return help::help(name, true).map(Expansion::print);
    }
    let Some((magic, form)) =
        registry::find(name).and_then(|magic| Some((magic, magic.cell.as_ref()?)))
    else {
        return Err(not_found("Cell", "%%", name));
    };
    run(form, Call::new(magic, Some(body), context), args)
}

/// Reads the options the magic declares from `args`, checks what follows
/// them, and expands the call with the form's body.
fn run(form: &Form, mut call: Call, args: &str) -> Result<Expansion, MagicError> {
    let magic = call.magic;
    if magic.options.is_empty() {
        call.rest = args.trim().to_owned();
    } else {
        call.options = options::parse(magic.name, args, magic.options)?;
        call.rest = std::mem::take(&mut call.options.rest);
    }
    if form.args.is_empty() && !call.rest.is_empty() {
        let problem = if magic.options.is_empty() {
            format!("{} takes no arguments", call.spelling())
        } else {
            format!("unexpected text after the options: {}", call.rest)
        };
        return Err(call.usage_error(problem));
    }
    (form.expand)(&call)
}

/// `?` or `??` after the name: IPython's request for help.
fn asks_for_help(args: &str) -> bool {
    matches!(args.trim(), "?" | "??")
}

/// The magic's name and the text after it.
fn split_name(spec: &str) -> (&str, &str) {
    let end = spec
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(spec.len());
    (&spec[..end], &spec[end..])
}

fn not_found(kind: &str, prefix: &str, name: &str) -> MagicError {
    MagicError {
        magic: format!("{prefix}{name}"),
        message: format!(
            "{kind} magic function `{prefix}{name}` not found. Run %lsmagic to list the magics."
        ),
    }
}
