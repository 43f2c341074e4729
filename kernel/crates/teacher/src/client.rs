//! Driving the real kernel as Jupyter does: a connection file with free
//! ports and a random key, the kernel process started on it, requests sent
//! on its shell and control sockets, and the cell's outputs read from iopub
//! ([`Sockets`], jupyter-zmq-client's typed connections).
//!
//! Nothing here trusts the kernel to behave: every wait has a deadline, a
//! cell that runs too long is interrupted, and a kernel that does not come
//! back is killed (the caller starts a new one). Dropping a [`Kernel`] kills
//! its process. With `log` at the debug level, the kernel's stderr goes to
//! this process's stderr, and the client's troubles are logged.

use crate::error::{Error, Result};
use crate::kernelspec::{KERNEL_NAME, Launch};
use crate::outputs::Collector;
use crate::sandbox::Plan;
use crate::sockets::{Channel, Sockets, local_connection};
use jupyter_protocol::{
    ConnectionInfo, ExecuteReply, ExecuteRequest, ExecutionState, InterruptRequest, JupyterMessage,
    JupyterMessageContent, KernelInfoRequest, ReplyStatus, ShutdownRequest, Transport,
};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;
use tokio::process::{Child, Command};
use tokio::time::{Instant, sleep_until, timeout};

/// How many times a kernel whose ports were taken is started again.
const START_ATTEMPTS: usize = 3;
/// How long a kernel may take to answer its first request.
const STARTUP: Duration = Duration::from_secs(120);
/// How long the first cell may wait for the session to start (copying the
/// warm build, loading the course library).
const SESSION_START: Duration = Duration::from_secs(600);
/// How long an interrupted cell has to come back before its kernel is killed.
const INTERRUPT_GRACE: Duration = Duration::from_secs(15);
/// How long a kernel has to exit after a shutdown request.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);
/// How long to wait for the idle status after a reply (iopub and shell are
/// separate sockets, so the reply may come first).
const IDLE_AFTER_REPLY: Duration = Duration::from_secs(5);
/// How often a running cell checks that the kernel process is alive.
const LIVENESS_CHECK: Duration = Duration::from_millis(500);
/// The kernel's stderr, in its directory.
const LOG_FILE: &str = "kernel.log";

/// How a cell ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// It ran without error.
    Ok,
    /// It failed: a compile error, a panic...
    Failed {
        /// Short name (`panic`, `E0308`...).
        ename: String,
        /// One line.
        evalue: String,
    },
    /// It ran longer than the timeout; `recovered` tells whether the kernel
    /// came back after the interrupt (if not, it has been killed).
    TimedOut {
        /// Whether the kernel answered after the interrupt.
        recovered: bool,
    },
    /// The kernel died or stopped answering; it has been killed.
    Lost(String),
}

impl Outcome {
    /// One line for people (a message of several lines is joined with `; `).
    pub fn describe(&self, limit: Duration) -> String {
        let text = match self {
            Outcome::Ok => "ok".to_owned(),
            Outcome::Failed { ename, evalue } if evalue.is_empty() => ename.clone(),
            Outcome::Failed { ename, evalue } => format!("{ename}: {evalue}"),
            Outcome::TimedOut { .. } => format!("timed out after {} s", limit.as_secs_f64()),
            Outcome::Lost(why) => format!("the kernel was lost: {why}"),
        };
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .collect();
        lines.join("; ")
    }
}

/// A cell's run: its outputs in nbformat form, its execution count, and
/// how it ended.
#[derive(Debug)]
pub struct Execution {
    /// The outputs, in nbformat form.
    pub outputs: Vec<Value>,
    /// The execution count the kernel gave it.
    pub execution_count: Option<i64>,
    /// How it ended.
    pub outcome: Outcome,
    /// The error's traceback lines, if it failed.
    pub traceback: Vec<String>,
}

/// Why a kernel did not start.
enum Failure {
    /// Another process took one of its ports: worth another try.
    PortTaken(Error),
    /// Anything else.
    Other(Error),
}

impl Failure {
    /// A kernel that stopped or could not be reached: a port taken if its
    /// log says so.
    fn stopped(error: Error, log_tail: &str) -> Failure {
        if log_tail.contains("in use") {
            Failure::PortTaken(error)
        } else {
            Failure::Other(error)
        }
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        Failure::Other(error)
    }
}

/// A running kernel and the client connected to it.
pub struct Kernel {
    /// The kernel's process (killed when dropped).
    child: Child,
    /// Holds the connection file and the kernel's log; removed on drop.
    dir: tempfile::TempDir,
    sockets: Sockets,
    launch: Launch,
    /// Whether the session behind the kernel has started (the first cell
    /// waits for it).
    session_started: bool,
    /// Set once the kernel has been given up (killed).
    given_up: bool,
    /// The kernel's `language_info`, for the notebook's metadata.
    pub language_info: Option<Value>,
}

impl Drop for Kernel {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

impl Kernel {
    /// Starts a kernel (this executable, `kernel --connection-file F`) and
    /// waits until it answers on every socket.
    ///
    /// The ports are free when chosen but another process may take one
    /// before the kernel binds it (jupyter_client has the same race); a
    /// kernel that cannot bind its ports is started again on new ones.
    pub async fn start(launch: &Launch) -> Result<Kernel> {
        let mut attempt = 1;
        loop {
            match Kernel::try_start(launch).await {
                Err(Failure::PortTaken(error)) if attempt < START_ATTEMPTS => {
                    log::debug!("starting the kernel again on other ports: {error}");
                    attempt += 1;
                }
                Err(Failure::PortTaken(error) | Failure::Other(error)) => return Err(error),
                Ok(kernel) => return Ok(kernel),
            }
        }
    }

    async fn try_start(launch: &Launch) -> Result<Kernel, Failure> {
        let dir = tempfile::Builder::new()
            .prefix("rcourse-kernel-")
            .tempdir()
            .map_err(|e| Error::io("cannot create a directory for the connection file", e))?;
        let key = uuid::Uuid::new_v4().simple().to_string();
        // A sandboxed kernel has no network: its sockets are Unix sockets
        // in the directory shared with the sandbox.
        let wire = dir.path().join("wire");
        let (info, listeners) = match &launch.sandbox {
            None => local_connection(key, Some(KERNEL_NAME.to_owned()))
                .await
                .map_err(|e| {
                    Error::Kernel(format!("cannot find free ports for the kernel: {e}"))
                })?,
            Some(_) => {
                std::fs::create_dir(&wire)
                    .map_err(|e| Error::io("cannot create the sockets' directory", e))?;
                (ipc_connection(&wire, key)?, Vec::new())
            }
        };
        let connection_file = match &launch.sandbox {
            None => dir.path().join("kernel.json"),
            Some(_) => wire.join("kernel.json"),
        };
        let json = serde_json::to_vec_pretty(&info)
            .map_err(|e| Error::Kernel(format!("cannot write the connection file: {e}")))?;
        write_private(&connection_file, &json)
            .map_err(|e| Error::io("cannot write the connection file", e))?;
        let log_file = dir.path().join(LOG_FILE);
        let log = std::fs::File::create(&log_file)
            .map_err(|e| Error::io("cannot create the kernel's log", e))?;
        let exe = std::env::current_exe()
            .map_err(|e| Error::io("cannot find the rcourse executable", e))?;
        let mut args: Vec<std::ffi::OsString> = vec![
            "kernel".into(),
            "--no-history".into(),
            "--connection-file".into(),
            connection_file.clone().into(),
        ];
        if let Some(warm) = &launch.warm_dir {
            args.extend(["--warm-dir".into(), warm.clone().into()]);
        }
        let mut command = match &launch.sandbox {
            None => {
                let mut command = Command::new(exe);
                command
                    .args(&args)
                    .envs(launch.env.iter().map(|(k, v)| (k, v)));
                if let Some(dir) = launch.notebook.as_deref().and_then(Path::parent) {
                    command.current_dir(if dir.as_os_str().is_empty() {
                        Path::new(".")
                    } else {
                        dir
                    });
                }
                command
            }
            Some(sandbox) => {
                let plan = Plan {
                    launch,
                    dir: dir.path(),
                    notebook: launch.notebook.as_deref(),
                };
                Command::from(
                    sandbox
                        .command(&plan, &exe, &args)
                        .map_err(|e| Error::io("cannot prepare the sandbox", e))?,
                )
            }
        };
        command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(if log::log_enabled!(log::Level::Debug) {
                Stdio::inherit()
            } else {
                Stdio::from(log)
            })
            .kill_on_drop(true);
        stop_with_parent(&mut command);
        let mut child = command
            .spawn()
            .map_err(|e| Error::io("cannot start the kernel", e))?;
        // Held until the kernel exists, so that no other process takes the
        // ports meanwhile; the kernel binds them as soon as it starts.
        drop(listeners);

        let deadline = Instant::now() + STARTUP;
        let connected = tokio::select! {
            connected = timeout(STARTUP, connect_when_listening(&info)) => connected,
            status = child.wait() => {
                let status = status.map_or_else(|e| e.to_string(), |s| s.to_string());
                let tail = log_tail(&log_file);
                let error = Error::Kernel(format!("the kernel stopped as it started ({status}){tail}"));
                return Err(Failure::stopped(error, &tail));
            }
        };
        let sockets = match connected {
            Ok(Ok(sockets)) => sockets,
            failed => {
                // The kernel may have lost a port race as the client
                // connected: its log says so, as when it stops first.
                let tail = log_tail(&log_file);
                let error = match failed {
                    Ok(Err(error)) => format!("cannot connect to the kernel: {error}{tail}"),
                    _ => format!(
                        "the kernel did not open its sockets within {} s{tail}",
                        STARTUP.as_secs()
                    ),
                };
                return Err(Failure::stopped(Error::Kernel(error), &tail));
            }
        };
        let mut kernel = Kernel::attach(child, dir, sockets, launch.clone());
        kernel.wait_until_ready(deadline).await?;
        if launch.sandbox.is_some() {
            // Read by now: the cells must not learn the key.
            let _ = std::fs::remove_file(&connection_file);
        }
        Ok(kernel)
    }

    /// A kernel from its parts: its process, its directory (for the log)
    /// and the sockets connected to it.
    fn attach(child: Child, dir: tempfile::TempDir, sockets: Sockets, launch: Launch) -> Kernel {
        Kernel {
            child,
            dir,
            sockets,
            launch,
            session_started: false,
            given_up: false,
            language_info: None,
        }
    }

    /// Sends `kernel_info_request`s until one is answered on shell and its
    /// status arrives on iopub, which proves that iopub is subscribed.
    async fn wait_until_ready(&mut self, deadline: Instant) -> Result<(), Failure> {
        loop {
            let request = JupyterMessage::new(KernelInfoRequest {}, None);
            let id = request.header.msg_id.clone();
            if let Err(error) = self.sockets.send_shell(request).await {
                log::debug!("cannot send kernel_info_request: {error}");
            }
            let attempt_end = (Instant::now() + Duration::from_millis(500)).min(deadline);
            let (mut replied, mut published) = (false, false);
            while !(replied && published) {
                let incoming = tokio::select! {
                    incoming = self.sockets.next() => incoming,
                    () = sleep_until(attempt_end) => break,
                };
                let Some(incoming) = incoming else {
                    return Err(Error::Kernel("the kernel's sockets closed".into()).into());
                };
                if !incoming.answers(&id) {
                    continue;
                }
                match (incoming.channel, incoming.message.content) {
                    (Channel::Shell, JupyterMessageContent::KernelInfoReply(reply)) => {
                        replied = true;
                        self.language_info = serde_json::to_value(&reply.language_info).ok();
                    }
                    (Channel::IoPub, _) => published = true,
                    _ => {}
                }
            }
            if replied && published {
                return Ok(());
            }
            if let Some(status) = self.exited() {
                let tail = self.log_tail();
                let error = Error::Kernel(format!(
                    "the kernel stopped before it answered ({status}){tail}"
                ));
                return Err(Failure::stopped(error, &tail));
            }
            if Instant::now() >= deadline {
                return Err(Error::Kernel(format!(
                    "the kernel did not answer within {} s{}",
                    STARTUP.as_secs(),
                    self.log_tail()
                ))
                .into());
            }
        }
    }

    /// Runs `code` as a cell and collects what it shows. On a timeout the
    /// cell is interrupted; if the kernel does not come back, or it dies,
    /// it is killed and [`Kernel::is_alive`] turns false.
    pub async fn execute(&mut self, code: &str, limit: Duration) -> Execution {
        if !self.session_started {
            // The first cell waits for the session; that wait is not the cell's.
            let warm_up = self.run(String::new(), true, SESSION_START).await;
            if let Outcome::Ok = warm_up.outcome {
                self.session_started = true;
            } else if !self.is_alive() {
                return warm_up;
            }
        }
        self.run(code.to_owned(), false, limit).await
    }

    async fn run(&mut self, code: String, silent: bool, limit: Duration) -> Execution {
        let mut collector = Collector::default();
        let request = JupyterMessage::new(
            ExecuteRequest {
                code,
                silent,
                store_history: !silent,
                user_expressions: Some(HashMap::new()),
                allow_stdin: false,
                stop_on_error: false,
            },
            None,
        );
        let id = request.header.msg_id.clone();
        if let Err(error) = self.sockets.send_shell(request).await {
            return self.lost(collector, format!("cannot send the cell: {error}"));
        }
        let mut reply: Option<ExecuteReply> = None;
        let mut idle = false;
        let mut deadline = Instant::now() + limit;
        let mut timed_out = false;
        let mut idle_deadline: Option<Instant> = None;
        let mut check = tokio::time::interval(LIVENESS_CHECK);
        loop {
            if reply.is_some() && idle {
                break;
            }
            let wake = idle_deadline.map_or(deadline, |at| at.min(deadline));
            tokio::select! {
                incoming = self.sockets.next() => {
                    let Some(incoming) = incoming else {
                        return self.lost(collector, "its sockets closed".into());
                    };
                    if !incoming.answers(&id) {
                        continue;
                    }
                    match (incoming.channel, incoming.message.content) {
                        (Channel::IoPub, JupyterMessageContent::Status(status)) => {
                            idle |= status.execution_state == ExecutionState::Idle;
                        }
                        (Channel::IoPub, content) => collector.add(&content),
                        (Channel::Shell, JupyterMessageContent::ExecuteReply(content)) => {
                            reply = Some(content);
                            idle_deadline = Some(Instant::now() + IDLE_AFTER_REPLY);
                        }
                        _ => {}
                    }
                }
                () = sleep_until(wake) => {
                    if idle_deadline.is_some_and(|at| Instant::now() >= at) {
                        // The reply came but the idle status did not: go on.
                        break;
                    }
                    if timed_out {
                        self.kill().await;
                        collector.add_error("Timeout", &format!(
                            "the cell ran longer than {} s and the kernel did not come back \
                             after an interrupt",
                            limit.as_secs_f64()
                        ));
                        return Execution {
                            outputs: collector.into_outputs(),
                            execution_count: None,
                            outcome: Outcome::TimedOut { recovered: false },
                            traceback: Vec::new(),
                        };
                    }
                    timed_out = true;
                    self.interrupt().await;
                    deadline = Instant::now() + INTERRUPT_GRACE;
                }
                _ = check.tick() => {
                    if let Some(status) = self.exited() {
                        return self.lost(collector, format!("it exited ({status}){}", self.log_tail()));
                    }
                }
            }
        }
        let execution_count = reply
            .as_ref()
            .and_then(|reply| i64::try_from(reply.execution_count.value()).ok());
        if timed_out {
            collector.add_error(
                "Timeout",
                &format!(
                    "the cell ran longer than {} s and was interrupted",
                    limit.as_secs_f64()
                ),
            );
            return Execution {
                outputs: collector.into_outputs(),
                execution_count,
                outcome: Outcome::TimedOut { recovered: true },
                traceback: Vec::new(),
            };
        }
        let (outcome, traceback) = match reply {
            Some(ExecuteReply {
                status: ReplyStatus::Ok,
                ..
            }) => (Outcome::Ok, Vec::new()),
            reply => {
                let error = reply.and_then(|reply| reply.error);
                let outcome = Outcome::Failed {
                    ename: error.as_ref().map_or("Error", |e| &e.ename).to_owned(),
                    evalue: error.as_ref().map_or("", |e| &e.evalue).to_owned(),
                };
                (outcome, error.map(|e| e.traceback).unwrap_or_default())
            }
        };
        Execution {
            outputs: collector.into_outputs(),
            execution_count,
            outcome,
            traceback,
        }
    }

    /// Whether the kernel is still running and not given up.
    pub fn is_alive(&mut self) -> bool {
        !self.given_up && self.exited().is_none()
    }

    /// Asks for a clean shutdown, and kills the kernel if it does not exit
    /// in time.
    pub async fn shut_down(mut self) {
        if self.is_alive() {
            let request = JupyterMessage::new(ShutdownRequest { restart: false }, None);
            if self.sockets.send_control(request).await.is_ok()
                && timeout(SHUTDOWN_GRACE, self.child.wait()).await.is_ok()
            {
                return;
            }
        }
        self.kill().await;
    }

    /// Interrupts the running cell, as the kernelspec's `interrupt_mode`
    /// says: with SIGINT, or with an `interrupt_request` on control.
    async fn interrupt(&mut self) {
        if self.launch.signal_interrupt {
            if let Some(pid) = self.child.id() {
                // SAFETY: sending a signal to our own child process.
                unsafe { libc::kill(pid as libc::pid_t, libc::SIGINT) };
            }
            return;
        }
        let request = JupyterMessage::new(InterruptRequest {}, None);
        if let Err(error) = self.sockets.send_control(request).await {
            log::debug!("cannot send interrupt_request: {error}");
        }
    }

    async fn kill(&mut self) {
        self.given_up = true;
        let _ = self.child.start_kill();
        let _ = timeout(SHUTDOWN_GRACE, self.child.wait()).await;
    }

    fn lost(&mut self, collector: Collector, why: String) -> Execution {
        log::debug!("the kernel was lost: {why}");
        self.given_up = true;
        let _ = self.child.start_kill();
        let mut collector = collector;
        collector.add_error("KernelLost", &why);
        Execution {
            outputs: collector.into_outputs(),
            execution_count: None,
            outcome: Outcome::Lost(why),
            traceback: Vec::new(),
        }
    }

    fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    fn log_tail(&self) -> String {
        log_tail(&self.dir.path().join(LOG_FILE))
    }
}

/// Connects to the kernel of `info` once it listens: Unix sockets exist
/// only once the kernel has bound them.
async fn connect_when_listening(
    info: &ConnectionInfo,
) -> Result<Sockets, jupyter_zmq_client::RuntimeError> {
    loop {
        match Sockets::connect(info).await {
            Ok(sockets) => return Ok(sockets),
            Err(error) if info.transport == Transport::IPC => {
                log::debug!("the kernel does not listen yet: {error}");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(error) => return Err(error),
        }
    }
}

/// Connection details for a kernel on Unix sockets in `dir`, signed with
/// `key`.
fn ipc_connection(dir: &Path, key: String) -> Result<ConnectionInfo> {
    let base = dir.join("k");
    let ip = base
        .to_str()
        .ok_or_else(|| Error::Kernel("the temporary directory's path is not UTF-8".into()))?;
    Ok(ConnectionInfo {
        ip: ip.to_owned(),
        transport: Transport::IPC,
        shell_port: 1,
        iopub_port: 2,
        stdin_port: 3,
        control_port: 4,
        hb_port: 5,
        key,
        signature_scheme: "hmac-sha256".to_owned(),
        kernel_name: Some(KERNEL_NAME.to_owned()),
    })
}

/// The last lines of the kernel's log, to explain a failure.
fn log_tail(file: &Path) -> String {
    let text = std::fs::read_to_string(file).unwrap_or_default();
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    if lines.is_empty() {
        return String::new();
    }
    let tail = &lines[lines.len().saturating_sub(5)..];
    format!("; the kernel's last words: {}", tail.join(" | "))
}

/// Writes a file only its owner can read (the connection file holds the key).
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)
}

/// On Linux, the kernel gets SIGTERM (a clean shutdown) if this process
/// dies without stopping it.
fn stop_with_parent(command: &mut Command) {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl is async-signal-safe, as pre_exec requires.
    unsafe {
        command.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM);
            Ok(())
        });
    }
    #[cfg(not(target_os = "linux"))]
    let _ = command;
}

/// A kernel that is restarted when it is lost, for running many cells.
pub struct Restarting {
    launch: Launch,
    kernel: Option<Kernel>,
    /// How many kernels were started.
    pub starts: usize,
}

impl Restarting {
    /// No kernel yet; the first cell starts one.
    pub fn new(launch: Launch) -> Restarting {
        Restarting {
            launch,
            kernel: None,
            starts: 0,
        }
    }

    /// Starts the kernel now (to report a failure to start early).
    pub async fn ensure_started(&mut self) -> Result<&mut Kernel> {
        let alive = match &mut self.kernel {
            Some(kernel) => kernel.is_alive(),
            None => false,
        };
        if !alive {
            if let Some(dead) = self.kernel.take() {
                dead.shut_down().await;
            }
            self.starts += 1;
            self.kernel = Some(Kernel::start(&self.launch).await?);
        }
        Ok(self.kernel.as_mut().expect("the kernel was just started"))
    }

    /// Runs a cell, starting a kernel first if there is none or it was lost.
    pub async fn execute(&mut self, code: &str, limit: Duration) -> Result<Execution> {
        let kernel = self.ensure_started().await?;
        Ok(kernel.execute(code, limit).await)
    }

    /// The running kernel's `language_info`.
    pub fn language_info(&self) -> Option<Value> {
        self.kernel.as_ref()?.language_info.clone()
    }

    /// Shuts the kernel down, if one is running.
    pub async fn shut_down(&mut self) {
        if let Some(kernel) = self.kernel.take() {
            kernel.shut_down().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jupyter_protocol::{ConnectionInfo, DisplayData, MediaType};
    use jupyter_zmq_client::{
        CannedResponse, TestKernel, TestKernelConfig, create_kernel_control_connection,
        create_kernel_iopub_connection, create_kernel_shell_connection,
    };
    use serde_json::json;

    const PATIENCE: Duration = Duration::from_secs(10);

    /// A kernel whose sockets are `info`'s and whose process is `program`.
    async fn attached(info: &ConnectionInfo, program: &str) -> Kernel {
        let sockets = crate::sockets::tests::connect_when_listening(info).await;
        let child = Command::new(program)
            .arg("60")
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        Kernel::attach(child, dir, sockets, Launch::default())
    }

    #[test]
    fn outcomes_read_as_one_line() {
        let failed = Outcome::Failed {
            ename: "panic".into(),
            evalue: "assertion `left == right` failed\n  left: 0\n right: 385".into(),
        };
        let limit = Duration::from_secs(5);
        assert_eq!(
            failed.describe(limit),
            "panic: assertion `left == right` failed; left: 0; right: 385"
        );
        let timed_out = Outcome::TimedOut { recovered: true };
        assert_eq!(timed_out.describe(limit), "timed out after 5 s");
    }

    #[tokio::test]
    async fn cells_run_and_their_outputs_are_collected() {
        let html = DisplayData::from(MediaType::Html("<b>hi</b>".into()));
        let config = TestKernelConfig::new().with_response(
            "show()",
            CannedResponse {
                outputs: vec![html.into()],
            },
        );
        let (test_kernel, info) = TestKernel::start_ephemeral(config).await.unwrap();
        let mut kernel = attached(&info, "sleep").await;
        let ready = kernel.wait_until_ready(Instant::now() + PATIENCE).await;
        assert!(ready.is_ok(), "the test kernel did not answer");
        assert_eq!(kernel.language_info.as_ref().unwrap()["name"], "test");

        let echo = kernel.execute("hello", PATIENCE).await;
        assert_eq!(echo.outcome, Outcome::Ok);
        assert_eq!(
            echo.outputs,
            [json!({"output_type": "stream", "name": "stdout", "text": "hello"})]
        );
        // The first cell waited for the session with a silent cell of its own.
        assert_eq!(echo.execution_count, Some(2));

        let shown = kernel.execute("show()", PATIENCE).await;
        assert_eq!(shown.outputs.len(), 1, "{:?}", shown.outputs);
        assert_eq!(shown.outputs[0]["output_type"], "display_data");
        assert_eq!(shown.outputs[0]["data"]["text/html"], "<b>hi</b>");
        assert!(kernel.is_alive());
        test_kernel.abort();
    }

    #[tokio::test]
    async fn a_kernel_whose_process_exits_is_lost() {
        // Sockets that accept the client and never answer.
        let (info, listeners) = local_connection("key".into(), None).await.unwrap();
        drop(listeners);
        let _iopub = create_kernel_iopub_connection(&info, "k").await.unwrap();
        let _shell = create_kernel_shell_connection(&info, "k").await.unwrap();
        let _control = create_kernel_control_connection(&info, "k").await.unwrap();
        let mut kernel = attached(&info, "true").await;
        let _ = kernel.child.wait().await;

        let execution = kernel.execute("1", PATIENCE).await;
        let Outcome::Lost(why) = &execution.outcome else {
            panic!("not lost: {execution:?}");
        };
        assert!(why.starts_with("it exited"), "{why}");
        assert_eq!(execution.outputs[0]["ename"], "KernelLost");
        assert!(!kernel.is_alive());
    }
}
