//! The kernel: its shared state, starting it on a connection, and running
//! it until it is told to stop.

use crate::interpreter::Interpreter;
use crate::wire::{self, Publisher};
use crate::{RunningCell, control, history, outputs, shell, stdin};
use anyhow::{Context, Result};
use jupyter_protocol::{ConnectionInfo, ExecutionState, JupyterMessage, Status};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::time::Duration;
use tokio::sync::{Notify, mpsc};

/// How long the sockets get to deliver the last replies before the kernel exits.
const LINGER: Duration = Duration::from_millis(100);

/// What every handler shares.
pub(crate) struct Kernel<I> {
    pub interpreter: I,
    iopub: Publisher,
    /// Where running cells send their outputs ([`outputs`]).
    outputs: mpsc::UnboundedSender<outputs::Routed>,
    pub execution_count: AtomicUsize,
    pub history: history::History,
    /// Notified when a shutdown request has been answered.
    pub shutdown: Notify,
}

impl<I> Kernel<I> {
    /// Publishes `content` on iopub as a child of `parent`.
    pub fn publish(
        &self,
        content: impl Into<jupyter_protocol::JupyterMessageContent>,
        parent: Option<&JupyterMessage>,
    ) {
        self.iopub
            .publish(JupyterMessage::new(content.into(), parent));
    }

    /// Publishes the kernel's execution state.
    pub fn status(&self, state: ExecutionState, parent: Option<&JupyterMessage>) {
        self.publish(
            Status {
                execution_state: state,
            },
            parent,
        );
    }

    /// The publish helpers for the cell that `request` asks to run.
    pub fn running_cell(
        &self,
        request: &JupyterMessage,
        silent: bool,
        allow_stdin: bool,
    ) -> RunningCell {
        RunningCell::new(request, silent, allow_stdin, self.outputs.clone())
    }
}

/// Choices a kernel is started with.
#[derive(Debug, Clone)]
pub struct KernelOptions {
    /// The file that keeps the history of executed cells across kernels (JSON
    /// lines); `None` keeps this kernel's history in memory only.
    pub history_file: Option<PathBuf>,
}

impl Default for KernelOptions {
    /// The history in `rcourse/history.jsonl` in the user's Jupyter data directory.
    fn default() -> KernelOptions {
        KernelOptions {
            history_file: history::History::default_file(),
        }
    }
}

/// A kernel whose sockets are bound and whose loops are serving requests.
pub struct RunningKernel<I> {
    kernel: Arc<Kernel<I>>,
}

impl<I: Interpreter> RunningKernel<I> {
    /// The interpreter the kernel runs cells with.
    pub fn interpreter(&self) -> &I {
        &self.kernel.interpreter
    }

    /// Waits for a shutdown request (answered by then), then shuts the
    /// interpreter down.
    pub async fn until_shutdown(&self) {
        self.kernel.shutdown.notified().await;
        self.kernel.interpreter.shutdown();
    }
}

/// Binds the sockets of `connection` and starts serving with `interpreter`.
///
/// The kernel serves until the runtime stops; [`RunningKernel::until_shutdown`]
/// tells when a frontend asked it to stop.
pub async fn start<I: Interpreter>(
    connection: &ConnectionInfo,
    interpreter: I,
    options: KernelOptions,
) -> Result<RunningKernel<I>> {
    let session = uuid::Uuid::new_v4().to_string();
    let channels = wire::bind(connection, &session).await?;
    let (questions_tx, questions) = mpsc::unbounded_channel();
    let kernel = Arc::new(Kernel {
        interpreter,
        iopub: channels.iopub.clone(),
        outputs: outputs::start(channels.iopub, questions_tx),
        execution_count: AtomicUsize::new(0),
        history: history::History::open(options.history_file),
        shutdown: Notify::new(),
    });
    kernel.status(ExecutionState::Starting, None);
    tokio::spawn(stdin::serve(
        questions,
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
    Ok(RunningKernel { kernel })
}

/// Reads a Jupyter connection file.
pub fn read_connection_file(path: &Path) -> Result<ConnectionInfo> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the connection file {}", path.display()))?;
    serde_json::from_str(&text)
        .with_context(|| format!("the connection file {} is not valid", path.display()))
}

/// Runs a kernel on `connection` until a shutdown request or SIGTERM, on a
/// runtime of its own. SIGINT (a terminal's Ctrl-C, or a frontend using
/// signal interrupts) interrupts the running cell rather than ending the
/// kernel.
pub fn run<I: Interpreter>(
    connection: &ConnectionInfo,
    interpreter: I,
    options: KernelOptions,
) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let result = runtime.block_on(async {
        let kernel = start(connection, interpreter, options).await?;
        serve_until_stopped(kernel).await
    });
    runtime.shutdown_timeout(Duration::from_millis(200));
    result
}

async fn serve_until_stopped<I: Interpreter>(running: RunningKernel<I>) -> Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut terminate = signal(SignalKind::terminate()).context("cannot listen for SIGTERM")?;
    let mut interrupt = signal(SignalKind::interrupt()).context("cannot listen for SIGINT")?;
    let kernel = Arc::clone(&running.kernel);
    tokio::spawn(async move {
        while interrupt.recv().await.is_some() {
            log::debug!("SIGINT: interrupting the running cell");
            kernel.interpreter.interrupt();
        }
    });
    tokio::select! {
        _ = running.until_shutdown() => {}
        _ = terminate.recv() => {
            log::info!("SIGTERM: shutting down");
            running.interpreter().shutdown();
        }
    }
    tokio::time::sleep(LINGER).await;
    Ok(())
}
