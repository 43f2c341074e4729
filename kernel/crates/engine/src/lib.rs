//! The engine: an evcxr session with the course library preloaded, behind
//! the kernel's [`Interpreter`] interface.
//!
//! - [`Engine`]: the handle the protocol handlers drive; it implements
//!   [`Interpreter`]. evcxr's context is not `Send` and blocks while it
//!   compiles and runs a cell, so it lives on a thread of its own
//!   (`session`): requests go in as jobs, and what a cell prints is read on
//!   another thread (`forward`) and published, in order, through the cell's
//!   [`RunningCell`](rcourse_protocol::RunningCell).
//! - [`KernelSetup`]: what the kernel process sets up before any thread
//!   starts (cargo on PATH, the session directory, evcxr's environment, the
//!   warm build), and the [`EngineConfig`] it yields.
//! - [`warm`]: the warm build of the course library, made by
//!   `rcourse install` and copied into each session; [`slot`]: session
//!   directories kept between kernels.
//! - [`child`]: what the process that runs cells sets up: its process
//!   group and its output filter.
//! - `interrupt`: interrupt, restart and shutdown, which end the process
//!   groups of what cells started; `shell`: evcxr's `!` shell escapes, run
//!   where an interrupt reaches them.
//! - [`rustc`]: the rustc wrapper that evcxr's builds go through, which
//!   keeps line tables and warnings for a cell's crate; `warnings`: those
//!   warnings, rendered for the cell that caused them.
//! - `analysis`: the standard library's sources as rust-analyzer reads
//!   them, prepared with the warm build (without `core::arch`'s intrinsics).
//! - `memory`: returns what rust-analyzer's start-up and each job freed
//!   to the system, and caps the allocator's arenas.

mod analysis;
pub mod child;
mod dep_paths;
mod diagnostics;
mod forward;
mod info;
mod interrupt;
mod memory;
mod preload;
pub mod private;
pub mod rustc;
mod session;
mod setup;
mod shell;
pub mod slot;
pub mod warm;
mod warnings;

pub use setup::{KernelSetup, require_cargo};

use rcourse_protocol::{
    CellError, CellOutcome, Completeness, Completions, Documentation, Interpreter, KernelInfo,
    MimeBundle, OutputEvent, RunningCell,
};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;

/// What the engine needs to start a session.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// The prepared build of the course library to start from, if any.
    pub warm_dir: Option<PathBuf>,
    /// The directory evcxr compiles in for this session (empty at start).
    pub session_dir: PathBuf,
    /// The notebook's directory, where cells and shell escapes run.
    pub notebook_dir: PathBuf,
    /// The kernel's binary, as found at start: it runs cells and wraps
    /// rustc. (Once an installation replaces the file, the running
    /// process's own link to it names a deleted file.)
    pub kernel_exe: PathBuf,
}

enum Job {
    Execute {
        code: String,
        cell: RunningCell,
        done: oneshot::Sender<CellOutcome>,
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
    interrupter: Arc<interrupt::Interrupter>,
    info: info::Info,
}

impl Engine {
    /// Starts the session thread. The session starts (warm build copied,
    /// course library loaded) in the background; jobs wait for it.
    pub fn start(config: EngineConfig) -> Engine {
        let (jobs, job_rx) = std::sync::mpsc::channel();
        let interrupter = Arc::new(interrupt::Interrupter::default());
        let thread_interrupter = Arc::clone(&interrupter);
        std::thread::Builder::new()
            .name("evcxr-session".into())
            .spawn(move || session::run(config, job_rx, thread_interrupter))
            .expect("the session thread can be spawned");
        Engine {
            jobs,
            interrupter,
            info: info::Info::start(),
        }
    }

    /// An engine that could not be set up (see [`KernelSetup::prepare`]):
    /// the kernel still answers, and every cell fails with `reason`, which
    /// says what to do, rather than the kernel dying and restarting in a loop.
    pub fn unavailable(reason: String) -> Engine {
        let (jobs, job_rx) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("evcxr-session".into())
            .spawn(move || session::drain_with_error(&job_rx, &reason))
            .expect("the session thread can be spawned");
        Engine {
            jobs,
            interrupter: Arc::default(),
            info: info::Info::start(),
        }
    }

    fn send(&self, job: Job) {
        if self.jobs.send(job).is_err() {
            log::error!("the session thread has stopped");
        }
    }
}

impl Interpreter for Engine {
    async fn execute(&self, code: &str, cell: RunningCell) -> CellOutcome {
        let (done, outcome) = oneshot::channel();
        self.send(Job::Execute {
            code: code.to_owned(),
            cell,
            done,
        });
        outcome.await.unwrap_or_else(|_| {
            Err(CellError::message(
                "EngineStopped",
                "The Rust engine stopped before the cell ended.",
            ))
        })
    }

    async fn complete(&self, code: &str, position: usize) -> Completions {
        let (reply, answer) = oneshot::channel();
        self.send(Job::Complete {
            code: code.to_owned(),
            position,
            reply,
        });
        answer.await.unwrap_or_default()
    }

    async fn inspect(&self, code: &str, position: usize) -> Option<Documentation> {
        let (reply, answer) = oneshot::channel();
        self.send(Job::Inspect {
            code: code.to_owned(),
            position,
            reply,
        });
        answer.await.ok().flatten()
    }

    fn is_complete(&self, code: &str) -> Completeness {
        completeness(code)
    }

    /// Stops the running cell, if any (its process is restarted).
    fn interrupt(&self) {
        self.interrupter.interrupt();
    }

    /// Stops the cell's process for good, before the kernel exits.
    fn shutdown(&self) {
        self.interrupter.shut_down();
    }

    async fn kernel_info(&self) -> KernelInfo {
        self.info.get().await
    }
}

/// Whether `code` is ready to run, as the cell syntax judges it.
fn completeness(code: &str) -> Completeness {
    use rcourse_syntax::is_complete::{Completeness as Judged, judge};
    match judge(code) {
        Judged::Complete => Completeness::Complete,
        Judged::Incomplete(indent) => Completeness::Incomplete(indent),
        Judged::Invalid => Completeness::Invalid,
    }
}

/// Shared slot for the running child process, so that an interrupt can reach it.
type ChildSlot = Mutex<Option<Arc<Mutex<std::process::Child>>>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cell_syntax_answers_is_complete() {
        assert_eq!(completeness("let a = 1;"), Completeness::Complete);
        assert!(matches!(
            completeness("fn f() {"),
            Completeness::Incomplete(_)
        ));
        assert_eq!(completeness("let a = 1;)"), Completeness::Invalid);
    }

    #[tokio::test]
    async fn kernel_info_names_the_kernel_and_rust() {
        let info = info::Info::start().get().await;
        assert_eq!(info.implementation, "rcourse");
        assert_eq!(info.language_info.name, "rust");
        assert!(!info.language_info.version.is_empty());
        assert!(info.banner.contains(&info.language_info.version));
    }
}
