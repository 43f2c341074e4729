//! The engine: an evcxr session with the course library preloaded.
//!
//! evcxr's context is not `Send` and blocks while it compiles and runs a
//! cell, so it lives on a thread of its own ([`session`]). The kernel talks
//! to it through [`Engine`]: requests go in as jobs, and everything a cell
//! prints comes back, in order, as [`OutputEvent`]s ending with
//! [`OutputEvent::Finished`].

pub mod child;
mod diagnostics;
mod forward;
mod preload;
mod session;
pub mod slot;
pub mod warm;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, oneshot};

/// Rich content keyed by MIME type (`text/plain`, `text/html`, `image/svg+xml`...).
pub type MimeBundle = BTreeMap<String, String>;

/// What a cell produced, in the order it produced it.
#[derive(Debug)]
pub enum OutputEvent {
    /// Text the cell wrote to stdout (`stderr == false`) or stderr, one line
    /// with its newline.
    Stream { stderr: bool, text: String },
    /// A display requested by the running cell (through `course_lib::lab`).
    Display {
        data: MimeBundle,
        display_id: Option<String>,
        update: bool,
    },
    /// Clear the cell's output (`wait`: when the next output arrives).
    Clear { wait: bool },
    /// The cell has finished: its trailing value, or why it failed.
    Finished(Result<Option<MimeBundle>, CellError>),
}

/// A failed cell, as Jupyter shows it: a name, a value and a traceback.
#[derive(Debug, Clone)]
pub struct CellError {
    /// Short name: a rustc code such as `E0308`, `panic`, `Interrupted`.
    pub ename: String,
    /// One line saying what went wrong.
    pub evalue: String,
    /// The lines shown to the student.
    pub traceback: Vec<String>,
}

impl CellError {
    /// An error whose traceback is its message, one entry per line.
    pub fn message(ename: &str, evalue: &str) -> CellError {
        CellError {
            ename: ename.to_owned(),
            evalue: evalue.lines().next().unwrap_or_default().to_owned(),
            traceback: evalue.lines().map(str::to_owned).collect(),
        }
    }
}

/// Completions for the code before a cursor.
#[derive(Debug, Default)]
pub struct Completions {
    /// The candidate texts.
    pub matches: Vec<String>,
    /// Byte range of the code that a match replaces.
    pub start: usize,
    /// End of that range.
    pub end: usize,
}

/// Documentation for the item at a cursor.
#[derive(Debug)]
pub struct Documentation {
    /// Plain text (Markdown source).
    pub plain: String,
    /// The same, rendered as HTML.
    pub html: String,
}

/// A question from a running cell for the person at the notebook.
#[derive(Debug)]
pub struct InputQuestion {
    /// The prompt to show.
    pub prompt: String,
    /// Whether to hide what is typed.
    pub password: bool,
    /// Where the answer goes.
    pub answer: std::sync::mpsc::Sender<String>,
}

/// What the engine needs to start a session.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// The prepared build of the course library to start from, if any.
    pub warm_dir: Option<PathBuf>,
    /// The directory evcxr compiles in for this session (empty at start).
    pub session_dir: PathBuf,
}

enum Job {
    Execute {
        code: String,
        allow_stdin: bool,
    },
    Complete {
        code: String,
        position: usize,
        reply: oneshot::Sender<Completions>,
    },
    Inspect {
        code: String,
        position: usize,
        reply: oneshot::Sender<Option<Documentation>>,
    },
}

/// The kernel's handle on the session thread.
pub struct Engine {
    jobs: std::sync::mpsc::Sender<Job>,
    interrupter: Arc<session::Interrupter>,
}

/// The receiving ends the kernel listens on.
pub struct EngineOutputs {
    /// Everything cells print, and the end of each cell.
    pub events: mpsc::UnboundedReceiver<OutputEvent>,
    /// Questions from cells that read input.
    pub questions: mpsc::UnboundedReceiver<InputQuestion>,
}

impl Engine {
    /// Starts the session thread. The session starts (warm build copied,
    /// course library loaded) in the background; jobs wait for it.
    pub fn start(config: EngineConfig) -> (Engine, EngineOutputs) {
        let (jobs, job_rx) = std::sync::mpsc::channel();
        let (events_tx, events) = mpsc::unbounded_channel();
        let (questions_tx, questions) = mpsc::unbounded_channel();
        let interrupter = Arc::new(session::Interrupter::default());
        let thread_interrupter = Arc::clone(&interrupter);
        std::thread::Builder::new()
            .name("evcxr-session".into())
            .spawn(move || {
                session::run(config, job_rx, events_tx, questions_tx, thread_interrupter)
            })
            .expect("the session thread can be spawned");
        (
            Engine { jobs, interrupter },
            EngineOutputs { events, questions },
        )
    }

    /// Runs a cell; its outputs arrive as events, ending with `Finished`.
    pub fn execute(&self, code: &str, allow_stdin: bool) {
        self.send(Job::Execute {
            code: code.to_owned(),
            allow_stdin,
        });
    }

    /// Completions at byte `position` of `code`.
    pub async fn complete(&self, code: &str, position: usize) -> Completions {
        let (reply, answer) = oneshot::channel();
        self.send(Job::Complete {
            code: code.to_owned(),
            position,
            reply,
        });
        answer.await.unwrap_or_default()
    }

    /// Documentation of the item ending at byte `position` of `code`.
    pub async fn inspect(&self, code: &str, position: usize) -> Option<Documentation> {
        let (reply, answer) = oneshot::channel();
        self.send(Job::Inspect {
            code: code.to_owned(),
            position,
            reply,
        });
        answer.await.ok().flatten()
    }

    /// Stops the running cell, if any (its process is restarted).
    pub fn interrupt(&self) {
        self.interrupter.interrupt();
    }

    /// Stops the cell's process for good, before the kernel exits.
    pub fn shut_down(&self) {
        self.interrupter.shut_down();
    }

    fn send(&self, job: Job) {
        if self.jobs.send(job).is_err() {
            crate::wire::log("the session thread has stopped");
        }
    }
}

/// Shared slot for the running child process, so that an interrupt can reach it.
type ChildSlot = Mutex<Option<Arc<Mutex<std::process::Child>>>>;
