//! Panic lines: how a panic in the cell process reaches the kernel.
//!
//! The kernel installs a panic hook in the cell process that prints one
//! [`PANIC_PREFIX`] line per panic instead of Rust's default report; the
//! process's output filter adds [`PANIC_ESCAPED`] when the panic escaped the
//! cell's code. The kernel reads both with [`PanicLine`].

/// Prefix of the line the panic hook prints: thread name, a tab, the message
/// with backslashes and newlines escaped.
///
/// ```
/// assert_eq!(rcourse_cell::PANIC_PREFIX, "RCOURSE_PANIC ");
/// ```
pub const PANIC_PREFIX: &str = "RCOURSE_PANIC ";

/// The line the cell process's output filter adds when a panic escaped the
/// cell's code (evcxr caught it): a panic the cell caught itself does not
/// fail the cell.
pub const PANIC_ESCAPED: &str = "RCOURSE_PANIC_ESCAPED";

/// The line the cell process's output filter adds when the cell's code
/// ended early through `?` with an error (evcxr printed the error on stderr
/// and would count the cell as a success).
pub const ERROR_RETURNED: &str = "RCOURSE_ERROR_RETURNED";

/// The thread name the panic hook gives the thread that runs cells.
pub const CELL_THREAD: &str = "cell";

/// One panic reported by the panic hook.
///
/// ```
/// use rcourse_cell::PanicLine;
///
/// let panic = PanicLine::parse("RCOURSE_PANIC cell\tboom\\nat line 2").unwrap();
/// assert!(panic.on_cell_thread());
/// assert_eq!(panic.message, "boom\nat line 2");
/// assert_eq!(PanicLine::parse("RCOURSE_PANIC_ESCAPED"), None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanicLine {
    /// The panicking thread: [`CELL_THREAD`] or the other thread's name.
    pub thread: String,
    /// The panic's message.
    pub message: String,
}

impl PanicLine {
    /// Reads a panic line (without its newline); `None` for any other line.
    /// A line without a tab is a message from the cell's thread.
    pub fn parse(line: &str) -> Option<PanicLine> {
        let panic = line.strip_prefix(PANIC_PREFIX)?;
        let (thread, message) = panic.split_once('\t').unwrap_or((CELL_THREAD, panic));
        Some(PanicLine {
            thread: thread.to_owned(),
            message: unescape_line(message),
        })
    }

    /// The line the panic hook prints for this panic, without its newline.
    ///
    /// ```
    /// use rcourse_cell::PanicLine;
    ///
    /// let panic = PanicLine { thread: "worker".into(), message: "a\\b\nc".into() };
    /// assert_eq!(panic.to_line(), "RCOURSE_PANIC worker\ta\\\\b\\nc");
    /// assert_eq!(PanicLine::parse(&panic.to_line()), Some(panic));
    /// ```
    pub fn to_line(&self) -> String {
        let escaped = escape_line(&self.message);
        format!(
            "{PANIC_PREFIX}{}\t{escaped}",
            self.thread.replace('\t', " ")
        )
    }

    /// Whether the panic happened on the thread that runs cells.
    pub fn on_cell_thread(&self) -> bool {
        self.thread == CELL_THREAD
    }
}

/// Text made one line: backslashes doubled, newlines written `\n`.
///
/// ```
/// use rcourse_cell::{escape_line, unescape_line};
///
/// assert_eq!(escape_line("a\\b\nc"), "a\\\\b\\nc");
/// assert_eq!(unescape_line(&escape_line("a\\b\nc")), "a\\b\nc");
/// ```
pub fn escape_line(text: &str) -> String {
    text.replace('\\', "\\\\").replace('\n', "\\n")
}

/// Reverses [`escape_line`].
pub fn unescape_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescape_reverses_the_hook() {
        assert_eq!(unescape_line(r"a\nb\\n"), "a\nb\\n");
    }

    #[test]
    fn other_threads_keep_their_name() {
        let panic = PanicLine::parse("RCOURSE_PANIC worker-1\tbad\tinput").unwrap();
        assert_eq!(panic.thread, "worker-1");
        assert_eq!(panic.message, "bad\tinput");
        assert!(!panic.on_cell_thread());
    }

    #[test]
    fn a_line_without_a_thread_is_the_cells() {
        let panic = PanicLine::parse("RCOURSE_PANIC oops").unwrap();
        assert!(panic.on_cell_thread());
        assert_eq!(panic.message, "oops");
    }

    #[test]
    fn messages_round_trip() {
        for message in ["", "plain", "two\nlines", r"back\slash\n", "trailing\\"] {
            let panic = PanicLine {
                thread: CELL_THREAD.into(),
                message: message.into(),
            };
            assert!(!panic.to_line().contains('\n'));
            assert_eq!(PanicLine::parse(&panic.to_line()), Some(panic));
        }
    }
}
