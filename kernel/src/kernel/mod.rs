//! The kernel: one handler per request type, the busy/idle bracket,
//! execution counts, history and control.
//!
//! It sees verified messages from [`crate::wire`] and talks to the Rust
//! session only through [`crate::engine::Engine`].

mod control;
mod execute;
mod history;
mod info;
mod inspect;
mod is_complete;
mod outputs;
mod shell;
mod stdin;

use crate::engine::{Engine, EngineConfig, MimeBundle, slot, warm};
use crate::wire::{self, Publisher};
use anyhow::{Context, Result};
use jupyter_protocol::{ConnectionInfo, ExecutionState, JupyterMessage, Media, Status};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::AtomicUsize;
use tokio::sync::Notify;

/// What every handler shares.
pub struct Kernel {
    engine: Engine,
    iopub: Publisher,
    /// The execute request whose cell is running (outputs and input
    /// requests are children of it).
    current: Mutex<Option<JupyterMessage>>,
    execution_count: AtomicUsize,
    history: history::History,
    info: info::Info,
    outputs: outputs::Router,
    /// Notified when a shutdown request has been answered.
    shutdown: Notify,
}

impl Kernel {
    /// Publishes `content` on iopub as a child of `parent`.
    fn publish(
        &self,
        content: impl Into<jupyter_protocol::JupyterMessageContent>,
        parent: Option<&JupyterMessage>,
    ) {
        self.iopub
            .publish(JupyterMessage::new(content.into(), parent));
    }

    /// Publishes the kernel's execution state.
    fn status(&self, state: ExecutionState, parent: Option<&JupyterMessage>) {
        self.publish(
            Status {
                execution_state: state,
            },
            parent,
        );
    }
}

/// Converts a MIME bundle into the protocol's media type.
pub fn media(bundle: MimeBundle) -> Media {
    serde_json::from_value(serde_json::json!(bundle)).unwrap_or_default()
}

/// Runs the kernel until a shutdown request or SIGTERM.
pub fn run(connection_file: &Path, warm_dir: Option<PathBuf>) -> Result<()> {
    crate::install::require_cargo()?;
    let text = std::fs::read_to_string(connection_file).with_context(|| {
        format!(
            "cannot read the connection file {}",
            connection_file.display()
        )
    })?;
    let info: ConnectionInfo = serde_json::from_str(&text).with_context(|| {
        format!(
            "the connection file {} is not valid",
            connection_file.display()
        )
    })?;
    let session_dir = SessionDir::acquire()?;
    warm::isolate_evcxr(session_dir.path());
    // SAFETY: no other thread exists yet. Cells inherit this variable and so
    // know that a kernel is reading their display lines.
    unsafe { std::env::set_var("RCOURSE_KERNEL", "1") };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let config = EngineConfig {
        warm_dir,
        session_dir: session_dir.path().to_owned(),
    };
    let result = runtime.block_on(serve(info, config));
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    drop(session_dir);
    result
}

/// Where this kernel's cells are compiled: a kept slot when one is free,
/// else a directory removed at exit.
enum SessionDir {
    Kept(slot::Slot),
    Throwaway(tempfile::TempDir),
}

impl SessionDir {
    fn acquire() -> Result<SessionDir> {
        let kept = slot::acquire(&slot::default_root());
        match kept {
            Ok(slot) => Ok(SessionDir::Kept(slot)),
            Err(error) => {
                wire::log(format!("using a throwaway session directory: {error:#}"));
                let dir = tempfile::Builder::new()
                    .prefix("rcourse-session-")
                    .tempdir()
                    .context("cannot create a session directory")?;
                Ok(SessionDir::Throwaway(dir))
            }
        }
    }

    fn path(&self) -> &Path {
        match self {
            SessionDir::Kept(slot) => &slot.dir,
            SessionDir::Throwaway(dir) => dir.path(),
        }
    }
}

async fn serve(info: ConnectionInfo, config: EngineConfig) -> Result<()> {
    let session = uuid::Uuid::new_v4().to_string();
    let channels = wire::bind(&info, &session).await?;
    let (engine, engine_outputs) = Engine::start(config);
    let kernel = Arc::new(Kernel {
        engine,
        iopub: channels.iopub.clone(),
        current: Mutex::new(None),
        execution_count: AtomicUsize::new(0),
        history: history::History::open(),
        info: info::Info::start(),
        outputs: outputs::Router::default(),
        shutdown: Notify::new(),
    });
    kernel.status(ExecutionState::Starting, None);
    tokio::spawn(outputs::route(Arc::clone(&kernel), engine_outputs.events));
    tokio::spawn(stdin::serve(
        Arc::clone(&kernel),
        engine_outputs.questions,
        channels.stdin,
        channels.stdin_request,
    ));
    tokio::spawn(control::serve(
        Arc::clone(&kernel),
        channels.control,
        channels.control_reply,
    ));
    tokio::spawn(shell::serve(
        Arc::clone(&kernel),
        channels.shell,
        channels.shell_reply,
    ));
    tokio::spawn(interrupt_on_sigint(Arc::clone(&kernel)));
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .context("cannot listen for SIGTERM")?;
    tokio::select! {
        _ = kernel.shutdown.notified() => {}
        _ = terminate.recv() => wire::log("SIGTERM: shutting down"),
    }
    kernel.engine.shut_down();
    // Give the sockets a moment to deliver the last replies.
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    Ok(())
}

/// SIGINT (a terminal's Ctrl-C, or a frontend using signal interrupts)
/// interrupts the running cell rather than ending the kernel.
async fn interrupt_on_sigint(kernel: Arc<Kernel>) {
    let Ok(mut signals) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
    else {
        return;
    };
    while signals.recv().await.is_some() {
        kernel.engine.interrupt();
    }
}
