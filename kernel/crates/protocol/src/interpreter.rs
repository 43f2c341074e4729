//! The interpreter interface: what the protocol handlers ask of a language
//! engine, and the types that cross between them.
//!
//! The shape is xeus's `xinterpreter`: the protocol side owns every chore of
//! the Jupyter protocol (busy and idle, `execute_input`, execution counts,
//! `silent`, history, aborting queued cells...), and the interpreter only
//! runs code, answers questions about code, and reports what a running cell
//! shows through the publish helpers of its [`RunningCell`].

use crate::RunningCell;
use rcourse_cell::MimeBundle;

pub use jupyter_protocol::{CodeMirrorMode, HelpLink, LanguageInfo};

/// A language engine behind the kernel.
///
/// Every method is called from the kernel's async tasks; one cell runs at a
/// time, while [`interrupt`](Interpreter::interrupt) and
/// [`shutdown`](Interpreter::shutdown) may arrive at any moment from the
/// control channel. Code positions are byte offsets into `code`.
pub trait Interpreter: Send + Sync + 'static {
    /// Runs one cell.
    ///
    /// Everything the cell shows while it runs goes through `cell`'s publish
    /// helpers. The future ends with the cell: its trailing value (shown as
    /// the `execute_result`), or why it failed. Outputs handed to `cell`
    /// before the future ends are published before the result.
    fn execute(&self, code: &str, cell: RunningCell) -> impl Future<Output = CellOutcome> + Send;

    /// Completions for the code before byte `cursor`.
    fn complete(&self, code: &str, cursor: usize) -> impl Future<Output = Completions> + Send;

    /// Documentation of the item ending at byte `cursor`, if any is known.
    fn inspect(
        &self,
        code: &str,
        cursor: usize,
    ) -> impl Future<Output = Option<Documentation>> + Send;

    /// Whether `code` is ready to run, or the frontend should ask for more lines.
    fn is_complete(&self, code: &str) -> Completeness;

    /// Stops the running cell, if any; its `execute` future then ends.
    fn interrupt(&self);

    /// Releases what the interpreter holds (processes, files) before the
    /// kernel exits.
    fn shutdown(&self);

    /// What the interpreter tells `kernel_info` about itself and its language.
    fn kernel_info(&self) -> impl Future<Output = KernelInfo> + Send;
}

/// How a cell ended: its trailing value, if it had one, or its error.
pub type CellOutcome = Result<Option<MimeBundle>, CellError>;

/// A failed cell, as Jupyter shows it: a name, a value and a traceback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError {
    /// Short name: a rustc code such as `E0308`, `panic`, `Interrupted`.
    pub ename: String,
    /// One line saying what went wrong.
    pub evalue: String,
    /// The lines shown to the student.
    pub traceback: Vec<String>,
}

impl CellError {
    /// An error whose traceback is its message, one entry per line, and
    /// whose value is the message's first line.
    ///
    /// ```
    /// let error = rcourse_protocol::CellError::message("Oops", "first\nsecond");
    /// assert_eq!(error.evalue, "first");
    /// assert_eq!(error.traceback, ["first", "second"]);
    /// ```
    pub fn message(ename: &str, evalue: &str) -> CellError {
        CellError {
            ename: ename.to_owned(),
            evalue: evalue.lines().next().unwrap_or_default().to_owned(),
            traceback: evalue.lines().map(str::to_owned).collect(),
        }
    }
}

/// What a running cell shows, in the order it shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum OutputEvent {
    /// Text the cell wrote to stdout (`stderr == false`) or stderr.
    Stream { stderr: bool, text: String },
    /// A rich output; with `update`, a replacement of the output named
    /// `display_id`.
    Display {
        data: MimeBundle,
        display_id: Option<String>,
        update: bool,
    },
    /// Clear the cell's output (`wait`: when the next output arrives).
    Clear { wait: bool },
}

/// Completions for the code before a cursor.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Completions {
    /// The candidate texts.
    pub matches: Vec<String>,
    /// Byte range of the code that a match replaces.
    pub start: usize,
    /// End of that range.
    pub end: usize,
}

/// Documentation for the item at a cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Documentation {
    /// Plain text (Markdown source).
    pub plain: String,
    /// The same, rendered as HTML.
    pub html: String,
}

/// Whether code is ready to run (the `is_complete` question).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Completeness {
    /// Ready to run.
    Complete,
    /// Needs more lines; the next one should start with this indent.
    Incomplete(String),
    /// Can never run as it is (running it shows the error).
    Invalid,
    /// The interpreter cannot tell.
    Unknown,
}

/// The interpreter's part of the `kernel_info` reply; the protocol adds the
/// protocol version and the status.
#[derive(Debug, Clone)]
pub struct KernelInfo {
    /// The kernel's name (`rcourse`).
    pub implementation: String,
    /// The kernel's version.
    pub implementation_version: String,
    /// The language cells are written in.
    pub language_info: LanguageInfo,
    /// A line or two shown when a console starts.
    pub banner: String,
    /// Links for the frontend's help menu.
    pub help_links: Vec<HelpLink>,
}
