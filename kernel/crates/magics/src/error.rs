//! `MagicError`: a magic used the wrong way, shown as IPython's `UsageError`.

use super::help;

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
        MagicError::with_usage(format!("%{name}"), name, problem)
    }

    /// A bad use of `magic` (`%name` or `%%name`): the message followed by
    /// the usage of the magic `name`.
    pub(crate) fn with_usage(magic: String, name: &str, problem: impl Into<String>) -> MagicError {
        let usage = help::usage(name).unwrap_or_default();
        MagicError {
            magic,
            message: format!("{}\n{usage}", problem.into())
                .trim_end()
                .to_string(),
        }
    }

    /// The one-line value Jupyter shows: `%name: what is wrong`.
    pub fn evalue(&self) -> String {
        let first = self.message.lines().next().unwrap_or_default();
        format!("{}: {first}", self.magic)
    }

    /// The lines shown to the student, IPython's `UsageError: ...` first.
    pub fn traceback(&self) -> Vec<String> {
        let mut traceback = vec![format!("UsageError: {}", self.evalue())];
        traceback.extend(self.message.lines().skip(1).map(str::to_owned));
        traceback
    }
}
