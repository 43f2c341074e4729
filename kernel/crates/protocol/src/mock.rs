//! [`Mock`]: an interpreter scripted by the text of the cell, to test the
//! protocol handlers (and clients of the kernel) with no language behind them.
//!
//! Each line of a cell is one command, run in order:
//!
//! | line | what it does |
//! | --- | --- |
//! | `print TEXT` | writes `TEXT` and a newline on stdout |
//! | `eprint TEXT` | the same on stderr |
//! | `lines N` | writes `line 1` to `line N` on stdout, one print each |
//! | `display MIME CONTENT` | shows `CONTENT` as a `MIME` output |
//! | `display #ID MIME CONTENT` | the same, named `ID` |
//! | `update #ID MIME CONTENT` | replaces the output named `ID` |
//! | `clear`, `clear wait` | clears the cell's output (`wait`: at the next output) |
//! | `input PROMPT`, `password PROMPT` | asks for a line, then prints the answer on stdout |
//! | `sleep SECONDS` | waits; an interrupt ends the cell with an `Interrupted` error |
//! | `value TEXT` | makes `TEXT` the cell's result (`text/plain`) |
//! | `fail MESSAGE` | ends the cell here with a `MockError` whose value is `MESSAGE` |
//! | `# TEXT` | a comment |
//!
//! Blank lines are skipped, and a line ending with `\` goes on with the
//! next one (`print a\` then `b` prints `a`, a newline, `b`). Any other
//! line fails the cell with an `UnknownCommand` error, and makes the cell
//! `Invalid` for `is_complete`; a cell whose last line ends with `\` is
//! `Incomplete`. Completion offers the command names, and inspection
//! documents them.
//!
//! ```
//! use rcourse_protocol::{Interpreter, Completeness, mock::Mock};
//!
//! let mock = Mock::new();
//! assert_eq!(mock.is_complete("print a\\"), Completeness::Incomplete("  ".into()));
//! assert_eq!(mock.is_complete("jump"), Completeness::Invalid);
//! ```

use crate::interpreter::{
    CellError, CellOutcome, Completeness, Completions, Documentation, Interpreter, KernelInfo,
    LanguageInfo,
};
use crate::{MimeBundle, RunningCell};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::sync::watch;

/// The commands, each with its help.
const COMMANDS: [(&str, &str); 12] = [
    (
        "print",
        "`print TEXT`: writes TEXT and a newline on stdout.",
    ),
    (
        "eprint",
        "`eprint TEXT`: writes TEXT and a newline on stderr.",
    ),
    ("lines", "`lines N`: writes `line 1` to `line N` on stdout."),
    (
        "display",
        "`display [#ID] MIME CONTENT`: shows CONTENT as MIME.",
    ),
    (
        "update",
        "`update #ID MIME CONTENT`: replaces the output named ID.",
    ),
    ("clear", "`clear [wait]`: clears the cell's output."),
    (
        "input",
        "`input PROMPT`: asks for a line and prints the answer.",
    ),
    (
        "password",
        "`password PROMPT`: asks for a hidden line and prints it.",
    ),
    (
        "sleep",
        "`sleep SECONDS`: waits; an interrupt ends the cell.",
    ),
    ("value", "`value TEXT`: makes TEXT the cell's result."),
    ("fail", "`fail MESSAGE`: ends the cell with a MockError."),
    ("#", "`# TEXT`: a comment."),
];

/// The scripted interpreter; it remembers what it was asked to do.
pub struct Mock {
    executed: Mutex<Vec<String>>,
    interrupts: watch::Sender<usize>,
    shut_down: AtomicBool,
}

impl Default for Mock {
    fn default() -> Mock {
        Mock {
            executed: Mutex::default(),
            interrupts: watch::Sender::new(0),
            shut_down: AtomicBool::new(false),
        }
    }
}

impl Mock {
    /// A mock that has run nothing yet.
    pub fn new() -> Mock {
        Mock::default()
    }

    /// The code of every cell it was asked to run, in order.
    pub fn executed(&self) -> Vec<String> {
        self.executed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// How many interrupts it received.
    pub fn interrupts(&self) -> usize {
        *self.interrupts.borrow()
    }

    /// Whether it was shut down.
    pub fn is_shut_down(&self) -> bool {
        self.shut_down.load(Ordering::SeqCst)
    }
}

/// The cell's lines, with `\` continuations joined.
fn commands(code: &str) -> Vec<String> {
    let mut commands = Vec::new();
    let mut current: Option<String> = None;
    for line in code.lines() {
        let joined = match current.take() {
            Some(start) => format!("{start}\n{line}"),
            None => line.to_owned(),
        };
        match joined.strip_suffix('\\') {
            Some(start) => current = Some(start.to_owned()),
            None => commands.push(joined),
        }
    }
    commands.extend(current);
    commands.retain(|c| !c.trim().is_empty());
    commands
}

/// A command's name and the rest of its line.
fn split(command: &str) -> (&str, &str) {
    let command = command.trim_start();
    command.split_once(' ').unwrap_or((command, ""))
}

fn is_command(name: &str) -> bool {
    COMMANDS.iter().any(|(known, _)| *known == name)
}

/// `[#ID] MIME CONTENT`.
fn display_parts(rest: &str) -> (Option<String>, MimeBundle) {
    let (id, rest) = match rest.strip_prefix('#') {
        Some(named) => {
            let (id, rest) = named.split_once(' ').unwrap_or((named, ""));
            (Some(id.to_owned()), rest)
        }
        None => (None, rest),
    };
    let (mime, content) = rest.split_once(' ').unwrap_or((rest, ""));
    (id, MimeBundle::new().with(mime, content))
}

fn plain(text: &str) -> MimeBundle {
    MimeBundle::new().with("text/plain", text)
}

impl Interpreter for Mock {
    async fn execute(&self, code: &str, cell: RunningCell) -> CellOutcome {
        let mut interrupts = self.interrupts.subscribe();
        self.executed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(code.to_owned());
        let mut value = None;
        for command in commands(code) {
            match split(&command) {
                ("print", text) => cell.stream(false, format!("{text}\n")),
                ("eprint", text) => cell.stream(true, format!("{text}\n")),
                ("lines", n) => {
                    let n: usize = n.trim().parse().unwrap_or(0);
                    for i in 1..=n {
                        cell.stream(false, format!("line {i}\n"));
                    }
                }
                ("display", rest) => {
                    let (id, data) = display_parts(rest);
                    cell.display(data, id);
                }
                ("update", rest) => {
                    let (id, data) = display_parts(rest);
                    cell.update_display(data, id.unwrap_or_default());
                }
                ("clear", wait) => cell.clear_output(wait.trim() == "wait"),
                (kind @ ("input" | "password"), prompt) => {
                    let answer = cell.input(prompt, kind == "password").recv().await;
                    cell.stream(false, format!("{answer}\n"));
                }
                ("sleep", seconds) => {
                    let seconds: f64 = seconds.trim().parse().unwrap_or(0.0);
                    tokio::select! {
                        _ = tokio::time::sleep(Duration::from_secs_f64(seconds)) => {}
                        _ = interrupts.changed() => {
                            return Err(CellError::message("Interrupted", "Interrupted by the frontend."));
                        }
                    }
                }
                ("value", text) => value = Some(plain(text)),
                ("fail", message) => return Err(CellError::message("MockError", message)),
                ("#", _) => {}
                (other, _) => {
                    return Err(CellError::message(
                        "UnknownCommand",
                        &format!("`{other}` is not a mock command."),
                    ));
                }
            }
        }
        Ok(value)
    }

    async fn complete(&self, code: &str, cursor: usize) -> Completions {
        let before = &code[..cursor.min(code.len())];
        let start = before
            .rfind(|c: char| !c.is_ascii_alphabetic())
            .map_or(0, |at| at + 1);
        let word = &before[start..];
        Completions {
            matches: COMMANDS
                .iter()
                .map(|(name, _)| *name)
                .filter(|name| name.starts_with(word) && !word.is_empty())
                .map(str::to_owned)
                .collect(),
            start,
            end: before.len(),
        }
    }

    async fn inspect(&self, code: &str, cursor: usize) -> Option<Documentation> {
        let before = &code[..cursor.min(code.len())];
        let word = before
            .rsplit(|c: char| !c.is_ascii_alphabetic())
            .next()
            .unwrap_or_default();
        let (_, help) = COMMANDS.iter().find(|(name, _)| *name == word)?;
        Some(Documentation {
            plain: (*help).to_owned(),
            html: format!("<p>{help}</p>"),
        })
    }

    fn is_complete(&self, code: &str) -> Completeness {
        if code.trim_end_matches([' ', '\t']).ends_with('\\') {
            return Completeness::Incomplete("  ".into());
        }
        let known = commands(code)
            .iter()
            .all(|command| is_command(split(command).0));
        if known {
            Completeness::Complete
        } else {
            Completeness::Invalid
        }
    }

    fn interrupt(&self) {
        self.interrupts.send_modify(|n| *n += 1);
    }

    fn shutdown(&self) {
        self.shut_down.store(true, Ordering::SeqCst);
    }

    async fn kernel_info(&self) -> KernelInfo {
        KernelInfo {
            implementation: "mock".into(),
            implementation_version: env!("CARGO_PKG_VERSION").into(),
            language_info: LanguageInfo {
                name: "mock".into(),
                version: "1.0".into(),
                mimetype: Some("text/plain".into()),
                file_extension: Some(".txt".into()),
                pygments_lexer: None,
                codemirror_mode: None,
                nbconvert_exporter: None,
            },
            banner: "A scripted interpreter for tests".into(),
            help_links: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuations_join_lines() {
        assert_eq!(
            commands("print a\\\nb\n\nvalue 1"),
            ["print a\nb", "value 1"]
        );
    }

    #[test]
    fn displays_may_be_named() {
        let (id, data) = display_parts("#p text/html <b>x</b>");
        assert_eq!(id.as_deref(), Some("p"));
        assert_eq!(data.get("text/html"), Some("<b>x</b>"));
        assert_eq!(display_parts("text/plain hi").0, None);
    }
}
