//! IPython's magics for Rust cells: `%timeit`, `%%timeit`, `%time`,
//! `%%time`, `%prun`, `%%prun`, `%complexity`, `%%complexity`, `%lsmagic`, `%who`, `%whos` and `%magic`/`%name?` help.
//!
//! A magic is expanded into Rust before the cell is compiled, so the timed
//! code is compiled with the cell (same optimisation level, sees the
//! session's variables) and calls `course_lib::lab::timing` at run time.
//! Expansions keep the cell's line count, so compile errors still point at
//! the student's lines. Magics that only list things (`%lsmagic`, `%who`)
//! are answered by the kernel without compiling anything.

mod bracket;
mod codegen;
mod complexity;
mod help;
mod options;
mod prun;
mod tail;
mod time;
mod timeit;

use crate::engine::CellError;

/// What the kernel knows when it expands magics.
pub struct MagicContext<'a> {
    /// The optimisation level cells are compiled with (evcxr's `:opt`).
    pub opt_level: &'a str,
    /// The session's variables and their types, sorted by name.
    pub variables: &'a [(String, String)],
}

/// A cell with its magics expanded.
#[derive(Debug, Default, PartialEq)]
pub struct Expansion {
    /// The Rust to compile and run (empty when there is nothing to run).
    pub code: String,
    /// Text the kernel prints itself, before the code runs.
    pub printed: String,
}

/// A magic used the wrong way: IPython's `UsageError`.
#[derive(Debug, PartialEq)]
pub struct MagicError {
    /// The magic, with its `%` or `%%`.
    pub magic: String,
    /// What is wrong, and the usage line when one helps.
    pub message: String,
}

impl MagicError {
    /// A bad use of `%name`: the message followed by the magic's usage.
    pub fn usage(name: &str, problem: impl Into<String>) -> MagicError {
        let usage = help::usage(name).unwrap_or_default();
        MagicError {
            magic: format!("%{name}"),
            message: format!("{}\n{usage}", problem.into())
                .trim_end()
                .to_string(),
        }
    }
}

impl From<MagicError> for CellError {
    fn from(error: MagicError) -> CellError {
        let evalue = error.message.lines().next().unwrap_or_default().to_string();
        let mut traceback = vec![format!("UsageError: {}: {evalue}", error.magic)];
        traceback.extend(error.message.lines().skip(1).map(str::to_owned));
        CellError {
            ename: "UsageError".to_owned(),
            evalue: format!("{}: {evalue}", error.magic),
            traceback,
        }
    }
}

/// Expands every magic of `code`; code without magics comes back unchanged.
pub fn expand(code: &str, context: &MagicContext) -> Result<Expansion, MagicError> {
    if let Some(first) = code.lines().next()
        && let Some(spec) = first.strip_prefix("%%")
    {
        let body = code.split_once('\n').map_or("", |(_, body)| body);
        return expand_cell_magic(spec, body, context);
    }
    let mut expansion = Expansion::default();
    let lines: Vec<&str> = code.split('\n').collect();
    let last_code_line = lines.iter().rposition(|line| !line.trim().is_empty());
    let mut out = Vec::with_capacity(lines.len());
    for (index, line) in lines.iter().enumerate() {
        match line_magic(line) {
            Some((assign, spec)) => {
                let trailing = Some(index) == last_code_line && assign.is_none();
                let line = expand_line_magic(spec, assign, trailing, context, &mut expansion)?;
                out.push(line);
            }
            None => out.push((*line).to_owned()),
        }
    }
    expansion.code = out.join("\n");
    if expansion.code.trim().is_empty() {
        expansion.code.clear();
    }
    Ok(expansion)
}

/// Whether `code` surely ends without a value to show: with a `;`, an
/// item or a loop (see [`tail::ends_without_value`]).
pub fn ends_without_value(code: &str) -> bool {
    tail::ends_without_value(code)
}

/// A line magic at the start of `line`: `%name args`, or `let x = %name args`
/// (returns `let x = ` as the assignment).
fn line_magic(line: &str) -> Option<(Option<&str>, &str)> {
    if let Some(spec) = line.strip_prefix('%') {
        return spec
            .starts_with(|c: char| c.is_ascii_alphabetic())
            .then_some((None, spec));
    }
    let rest = line.strip_prefix("let ")?;
    let at = rest.find("= %")?;
    let spec = &rest[at + 3..];
    spec.starts_with(|c: char| c.is_ascii_alphabetic())
        .then(|| (Some(&line[..4 + at + 2]), spec))
}

/// The magic's name and the text after it.
fn split_name(spec: &str) -> (&str, &str) {
    let end = spec
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(spec.len());
    (&spec[..end], &spec[end..])
}

fn expand_line_magic(
    spec: &str,
    assign: Option<&str>,
    trailing: bool,
    context: &MagicContext,
    expansion: &mut Expansion,
) -> Result<String, MagicError> {
    let (name, args) = split_name(spec);
    if args.trim() == "?" || args.trim() == "??" {
        expansion.printed.push_str(&help::help(name, false)?);
        return Ok(String::new());
    }
    let assign = assign.unwrap_or("");
    match name {
        "timeit" => codegen::line(timeit::parse(args, trailing, context)?, assign, trailing),
        "complexity" => codegen::line(
            complexity::parse(args, trailing, context)?,
            assign,
            trailing,
        ),
        "time" => time::line(args, assign, trailing),
        "prun" => prun::line(args, assign, trailing, context),
        "lsmagic" | "who" | "whos" | "magic" if !assign.is_empty() => Err(MagicError::usage(
            name,
            "this magic prints and has no value to assign",
        )),
        "lsmagic" => {
            expansion.printed.push_str(&help::lsmagic());
            Ok(String::new())
        }
        "who" => {
            expansion.printed.push_str(&help::who(context.variables));
            Ok(String::new())
        }
        "whos" => match help::whos(context.variables) {
            Some(code) => Ok(code),
            None => {
                expansion.printed.push_str(&help::who(context.variables));
                Ok(String::new())
            }
        },
        "magic" => {
            let topic = args.trim().trim_start_matches('%').trim_end_matches('?');
            let text = if topic.is_empty() {
                help::overview()
            } else {
                help::help(topic, false)?
            };
            expansion.printed.push_str(&text);
            Ok(String::new())
        }
        _ if help::is_cell_magic(name) => Err(MagicError {
            magic: format!("%{name}"),
            message: format!(
                "Line magic function `%{name}` not found (but cell magic `%%{name}` exists, \
                 did you mean that instead?)."
            ),
        }),
        _ => Err(not_found("Line", "%", name)),
    }
}

fn expand_cell_magic(
    spec: &str,
    body: &str,
    context: &MagicContext,
) -> Result<Expansion, MagicError> {
    let (name, args) = split_name(spec);
    if args.trim() == "?" || args.trim() == "??" {
        return Ok(Expansion {
            code: String::new(),
            printed: help::help(name, true)?,
        });
    }
    let code = match name {
        "timeit" => codegen::cell(timeit::parse(args, true, context)?, body)?,
        "complexity" => codegen::cell(complexity::parse(args, true, context)?, body)?,
        "time" => time::cell(args, body)?,
        "prun" => prun::cell(args, body, context)?,
        _ => return Err(not_found("Cell", "%%", name)),
    };
    Ok(Expansion {
        code,
        printed: String::new(),
    })
}

fn not_found(kind: &str, prefix: &str, name: &str) -> MagicError {
    MagicError {
        magic: format!("{prefix}{name}"),
        message: format!(
            "{kind} magic function `{prefix}{name}` not found. Run %lsmagic to list the magics."
        ),
    }
}

#[cfg(test)]
mod tests;
