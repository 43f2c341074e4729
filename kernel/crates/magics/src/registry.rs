//! The shape of a magic's declaration, and what its body is given.
//!
//! Each magic is one `const MAGIC: Magic` in a module of its own, listed
//! once in [`crate::MAGICS`]. Dispatch, usage lines, help, `%lsmagic` and
//! `%magic` are all derived from these declarations.

use super::options::Parsed;
use super::{Expansion, MagicContext, MagicError};

/// One magic: its name, help, options and forms.
pub struct Magic {
    /// The name, without `%`.
    pub name: &'static str,
    /// What the magic does, shown by `%name?` and `%magic` (the options'
    /// help is added after it).
    pub help: &'static str,
    /// The options, in the order the usage lists them.
    pub options: &'static [MagicOption],
    /// `%name ...`, when the magic has a line form.
    pub line: Option<Form>,
    /// `%%name ...` followed by the cell body, when it has a cell form.
    pub cell: Option<Form>,
}

impl Magic {
    /// The cell form when `cell`, else the line form.
    pub fn form(&self, cell: bool) -> Option<&Form> {
        if cell {
            self.cell.as_ref()
        } else {
            self.line.as_ref()
        }
    }
}

/// How a magic is written on its line, and what it expands to.
pub struct Form {
    /// What follows the options, as the usage shows it (`STATEMENT`,
    /// `[NAME]`, `PATH`); empty when nothing may follow them.
    pub args: &'static str,
    /// Whether `let x = %name ...` may keep the magic's value (line forms).
    pub value: bool,
    /// The body: the expansion of one use of the magic.
    pub expand: fn(&Call) -> Result<Expansion, MagicError>,
}

/// An option of a magic: `-n N` (with a value) or `-q` (a switch).
#[derive(Debug, Clone, Copy)]
pub struct MagicOption {
    /// The letter after the `-`.
    pub letter: char,
    /// The value's name in the usage (`N` in `-n N`), or `None` for a switch.
    pub value: Option<&'static str>,
    /// What the option does, one line.
    pub help: &'static str,
}

impl MagicOption {
    /// An option followed by a value: `-n N`.
    pub const fn value(letter: char, name: &'static str, help: &'static str) -> MagicOption {
        MagicOption {
            letter,
            value: Some(name),
            help,
        }
    }

    /// A switch: `-q`.
    pub const fn switch(letter: char, help: &'static str) -> MagicOption {
        MagicOption {
            letter,
            value: None,
            help,
        }
    }

    /// How the option is written: `-n N` or `-q`.
    pub fn spelling(&self) -> String {
        match self.value {
            Some(name) => format!("-{} {name}", self.letter),
            None => format!("-{}", self.letter),
        }
    }
}

/// One use of a magic, as its body sees it.
pub struct Call<'a> {
    /// The magic used.
    pub magic: &'static Magic,
    /// The options given, parsed with the magic's option list.
    pub options: Parsed,
    /// What follows the options on the magic's line, trimmed.
    pub rest: String,
    /// The cell's body after the magic's line (cell magics only).
    pub body: Option<&'a str>,
    /// `let x = ` for `let x = %name ...`, or empty.
    pub assign: &'a str,
    /// Whether the magic's value would be the cell's value: a line magic on
    /// the cell's last line without `let`, or a cell magic.
    pub trailing: bool,
    /// What the kernel knows about the session.
    pub context: &'a MagicContext<'a>,
}

impl<'a> Call<'a> {
    /// A use of `magic` (of its cell form when it has a `body`), before its
    /// options are read.
    pub fn new(
        magic: &'static Magic,
        body: Option<&'a str>,
        context: &'a MagicContext<'a>,
    ) -> Self {
        Call {
            magic,
            options: Parsed::default(),
            rest: String::new(),
            body,
            assign: "",
            trailing: body.is_some(),
            context,
        }
    }

    /// The magic as it was written: `%name` or `%%name`.
    pub fn spelling(&self) -> String {
        let prefix = if self.body.is_some() { "%%" } else { "%" };
        format!("{prefix}{}", self.magic.name)
    }

    /// A usage error of this magic: the problem, then the usage.
    pub fn usage_error(&self, problem: impl Into<String>) -> MagicError {
        MagicError::with_usage(self.spelling(), self.magic.name, problem)
    }
}

/// The magic named `name`, if there is one.
pub fn find(name: &str) -> Option<&'static Magic> {
    super::MAGICS
        .iter()
        .copied()
        .find(|magic| magic.name == name)
}
