//! IPython's magics for Rust cells: `%timeit`, `%time`, `%prun`,
//! `%complexity` (each also as a cell magic), `%%writefile`, `%lsmagic`,
//! `%magic`, `%who` and `%whos`, with `%name?` help.
//!
//! [`expand`] turns a cell with magics into the Rust to compile
//! ([`Expansion`]), or a [`MagicError`] (IPython's `UsageError`). It reads
//! the cell's lines with [`rcourse_syntax::lines`], so a magic is only a
//! magic at the top level of the cell.
//!
//! Each magic is declared once, as a `registry::Magic` in a module of its
//! own: name, forms (`%name` / `%%name`), options with their help, help
//! text, and body. The `magics!` list below registers it; dispatch, usage
//! lines, `%name?`, `%magic` and `%lsmagic` are derived from the
//! declarations. Adding a magic is one file plus one entry in that list.
//!
//! Measuring magics expand into Rust compiled with the cell (same
//! optimisation level, they see the session's variables) that calls
//! `course_lib::lab` at run time; expansions keep the cell's line count, so
//! compile errors still point at the student's lines. What they measure is
//! what the student wrote (`timed`): a closure that is the whole code is
//! called, dropped values are kept from the optimiser, and code that cannot
//! be measured is a usage error, never a silently different measurement. Magics that only
//! list things, or write a file, are answered by the kernel without
//! compiling anything.

use rcourse_syntax::lines::{Cell, LineKind};

mod bracket;
mod codegen;
mod dispatch;
mod error;
mod help;
mod options;
mod registry;
mod timed;

pub use error::MagicError;

/// Declares the magics' modules, one per magic, and registers each
/// module's `MAGIC` in [`MAGICS`].
macro_rules! magics {
    ($($module:ident),* $(,)?) => {
        $(mod $module;)*

        /// Every magic the kernel knows, in the order `%lsmagic` lists them.
        pub(crate) const MAGICS: &[&registry::Magic] = &[$(&$module::MAGIC),*];
    };
}

magics![
    complexity, lsmagic, magic, prun, time, timeit, warnings, who, whos, writefile,
];

/// Commands written like evcxr's (`:name ...`) that are the kernel's own
/// magics: `:warnings off` is `%warnings off`.
const KERNEL_COMMANDS: &[&str] = &["warnings"];

/// What the kernel knows when it expands magics.
pub struct MagicContext<'a> {
    /// The optimisation level cells are compiled with (evcxr's `:opt`).
    pub opt_level: &'a str,
    /// The session's variables and their types, sorted by name.
    pub variables: &'a [(String, String)],
    /// Whether rustc's warnings about the cells' code are shown.
    pub warnings: bool,
}

/// A setting of the session that a magic changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    /// Whether rustc's warnings about the cells' code are shown (`%warnings`).
    Warnings(bool),
}

/// A cell with its magics expanded.
#[derive(Debug, Default, PartialEq)]
pub struct Expansion {
    /// The Rust to compile and run (empty when there is nothing to run).
    pub code: String,
    /// Text the kernel prints itself, before the code runs (as a stream
    /// that it ends with a newline).
    pub printed: String,
    /// A setting the cell changes, applied before the code runs.
    pub setting: Option<Setting>,
}

impl Expansion {
    /// Code to run, nothing printed by the kernel.
    pub fn run(code: String) -> Expansion {
        Expansion {
            code,
            ..Expansion::default()
        }
    }

    /// Takes in the expansion of one line: keeps what it prints and sets,
    /// and returns its code.
    fn add(&mut self, line: Expansion) -> String {
        self.printed.push_str(&line.printed);
        self.setting = line.setting.or(self.setting);
        line.code
    }

    /// Text the kernel prints, nothing to run.
    pub fn print(text: String) -> Expansion {
        Expansion {
            printed: text,
            ..Expansion::default()
        }
    }
}

/// Whether the evcxr-style command `spec` (the text after `:`) is one of
/// [`KERNEL_COMMANDS`].
fn is_kernel_command(spec: &str) -> bool {
    let name = spec.split_whitespace().next().unwrap_or("");
    KERNEL_COMMANDS.contains(&name)
}

/// Expands every magic of `code`; code without magics comes back unchanged.
pub fn expand(code: &str, context: &MagicContext) -> Result<Expansion, MagicError> {
    let cell = Cell::read(code);
    let last_code_line = cell
        .lines
        .iter()
        .rposition(|line| !line.text.trim().is_empty());
    let mut expansion = Expansion::default();
    let mut out = Vec::with_capacity(cell.lines.len());
    for (index, line) in cell.lines.iter().enumerate() {
        match line.kind {
            LineKind::CellMagic(spec) => {
                let body = code.split_once('\n').map_or("", |(_, body)| body);
                return dispatch::cell(spec, body, context);
            }
            LineKind::LineMagic { assign, spec } => {
                let trailing = Some(index) == last_code_line && assign.is_none();
                let line = dispatch::line(spec, assign, trailing, context)?;
                out.push(expansion.add(line));
            }
            LineKind::Command(spec) if is_kernel_command(spec) => {
                out.push(expansion.add(dispatch::line(spec, None, false, context)?));
            }
            LineKind::Command(_) | LineKind::Rust => out.push(line.text.to_owned()),
        }
    }
    expansion.code = out.join("\n");
    if expansion.code.trim().is_empty() {
        expansion.code.clear();
    }
    Ok(expansion)
}

#[cfg(test)]
mod tests;
