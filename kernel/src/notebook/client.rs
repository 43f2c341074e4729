//! Driving the real kernel as Jupyter does: a connection file with free
//! ports and a random key, the kernel process started on it, signed
//! messages on the shell and control sockets, and the cell's outputs read
//! from iopub.
//!
//! Nothing here trusts the kernel to behave: every wait has a deadline, a
//! socket that fails to read is read again, a cell that runs too long is
//! interrupted, and a kernel that does not come back is killed (the caller
//! starts a new one). Dropping a [`Kernel`] kills its process.

use super::kernelspec::Launch;
use super::outputs::Collector;
use anyhow::{Context, Result, anyhow};
use jupyter_protocol::{
    ConnectionInfo, ExecuteRequest, InterruptRequest, JupyterMessage, KernelInfoRequest,
    ShutdownRequest, Transport,
};
use jupyter_zmq_client::{
    Connection, RawMessage, create_client_control_connection, create_client_iopub_connection,
    create_client_shell_connection_with_identity, peek_ports_with_listeners,
    peer_identity_for_session,
};
use serde_json::Value;
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};
use std::process::Stdio;
use std::time::Duration;
use tokio::process::{Child, Command};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::{Instant, sleep, sleep_until, timeout};
use zeromq::SocketRecv;

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
/// The pause after a socket error before reading again.
const ERROR_PAUSE: Duration = Duration::from_millis(20);

/// Which socket a message came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Channel {
    Shell,
    Control,
    IoPub,
}

/// A verified message from the kernel, as JSON.
#[derive(Debug)]
struct Incoming {
    channel: Channel,
    msg_type: String,
    parent_id: String,
    content: Value,
}

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
    PortTaken(anyhow::Error),
    /// Anything else.
    Other(anyhow::Error),
}

impl From<anyhow::Error> for Failure {
    fn from(error: anyhow::Error) -> Failure {
        Failure::Other(error)
    }
}

/// A running kernel and the client connected to it.
pub struct Kernel {
    child: Child,
    /// Holds the connection file and the kernel's log; removed on drop.
    dir: tempfile::TempDir,
    shell: Connection<zeromq::DealerSendHalf>,
    control: Connection<zeromq::DealerSendHalf>,
    incoming: mpsc::UnboundedReceiver<Incoming>,
    readers: Vec<JoinHandle<()>>,
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
        for reader in &self.readers {
            reader.abort();
        }
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
                Err(Failure::PortTaken(_)) if attempt < START_ATTEMPTS => attempt += 1,
                Err(Failure::PortTaken(error) | Failure::Other(error)) => return Err(error),
                Ok(kernel) => return Ok(kernel),
            }
        }
    }

    async fn try_start(launch: &Launch) -> Result<Kernel, Failure> {
        let dir = tempfile::Builder::new()
            .prefix("rcourse-kernel-")
            .tempdir()
            .context("cannot create a directory for the connection file")?;
        let ip = IpAddr::V4(Ipv4Addr::LOCALHOST);
        let (ports, listeners) = peek_ports_with_listeners(ip, 5)
            .await
            .map_err(|e| anyhow!("cannot find free ports for the kernel: {e}"))?;
        let info = ConnectionInfo {
            ip: ip.to_string(),
            transport: Transport::TCP,
            shell_port: ports[0],
            iopub_port: ports[1],
            stdin_port: ports[2],
            control_port: ports[3],
            hb_port: ports[4],
            key: uuid::Uuid::new_v4().simple().to_string(),
            signature_scheme: "hmac-sha256".to_owned(),
            kernel_name: Some(crate::install::KERNEL_NAME.to_owned()),
        };
        let connection_file = dir.path().join("kernel.json");
        write_private(
            &connection_file,
            &serde_json::to_vec_pretty(&info).map_err(anyhow::Error::from)?,
        )
        .context("cannot write the connection file")?;
        let log_file = dir.path().join("kernel.log");
        let log = std::fs::File::create(&log_file).context("cannot create the kernel's log")?;
        let exe = std::env::current_exe().context("cannot find the rcourse executable")?;
        let mut command = Command::new(exe);
        command
            .arg("kernel")
            .arg("--connection-file")
            .arg(&connection_file)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(if debugging() {
                Stdio::inherit()
            } else {
                Stdio::from(log)
            })
            .envs(launch.env.iter().map(|(k, v)| (k, v)))
            .kill_on_drop(true);
        if let Some(warm) = &launch.warm_dir {
            command.arg("--warm-dir").arg(warm);
        }
        stop_with_parent(&mut command);
        let mut child = command.spawn().context("cannot start the kernel")?;
        // Held until the kernel exists, so that no other process takes the
        // ports meanwhile; the kernel binds them as soon as it starts.
        drop(listeners);

        let session = uuid::Uuid::new_v4().to_string();
        let deadline = Instant::now() + STARTUP;
        let connect = async {
            let identity = peer_identity_for_session(&session)?;
            tokio::try_join!(
                create_client_iopub_connection(&info, "", &session),
                create_client_shell_connection_with_identity(&info, &session, identity),
                create_client_control_connection(&info, &session),
            )
        };
        let connected = tokio::select! {
            connected = timeout(STARTUP, connect) => connected,
            status = child.wait() => {
                let status = status.map_or_else(|e| e.to_string(), |s| s.to_string());
                let tail = log_tail(&log_file);
                let error = anyhow!("the kernel stopped as it started ({status}){tail}");
                return Err(if tail.contains("in use") {
                    Failure::PortTaken(error)
                } else {
                    Failure::Other(error)
                });
            }
        };
        let (iopub, shell, control) = match connected {
            Ok(Ok(sockets)) => sockets,
            Ok(Err(error)) => {
                return Err(Failure::Other(anyhow!(
                    "cannot connect to the kernel: {error}{}",
                    log_tail(&log_file)
                )));
            }
            Err(_) => {
                return Err(Failure::Other(anyhow!(
                    "the kernel did not open its sockets within {} s{}",
                    STARTUP.as_secs(),
                    log_tail(&log_file)
                )));
            }
        };
        let (tx, incoming) = mpsc::unbounded_channel();
        let (shell_send, shell_recv) = shell.split();
        let (control_send, control_recv) = control.split();
        let readers = vec![
            tokio::spawn(read_forever(
                Channel::IoPub,
                iopub.socket,
                iopub.mac,
                tx.clone(),
            )),
            tokio::spawn(read_forever(
                Channel::Shell,
                shell_recv.socket,
                shell_recv.mac,
                tx.clone(),
            )),
            tokio::spawn(read_forever(
                Channel::Control,
                control_recv.socket,
                control_recv.mac,
                tx,
            )),
        ];
        let mut kernel = Kernel {
            child,
            dir,
            shell: shell_send,
            control: control_send,
            incoming,
            readers,
            launch: launch.clone(),
            session_started: false,
            given_up: false,
            language_info: None,
        };
        kernel.wait_until_ready(deadline).await?;
        Ok(kernel)
    }

    /// Sends `kernel_info_request`s until one is answered on shell and its
    /// status arrives on iopub, which proves that iopub is subscribed.
    async fn wait_until_ready(&mut self, deadline: Instant) -> Result<(), Failure> {
        loop {
            let request = JupyterMessage::new(KernelInfoRequest {}, None);
            let id = request.header.msg_id.clone();
            if let Err(error) = self.shell.send(request).await {
                self.log(format!("cannot send kernel_info_request: {error}"));
            }
            let attempt_end = (Instant::now() + Duration::from_millis(500)).min(deadline);
            let (mut replied, mut published) = (false, false);
            while !(replied && published) {
                let message = tokio::select! {
                    message = self.incoming.recv() => message,
                    () = sleep_until(attempt_end) => break,
                };
                let Some(message) = message else {
                    return Err(anyhow!("the kernel's sockets closed").into());
                };
                if message.parent_id != id {
                    continue;
                }
                match message.channel {
                    Channel::Shell if message.msg_type == "kernel_info_reply" => {
                        replied = true;
                        self.language_info = message.content.get("language_info").cloned();
                    }
                    Channel::IoPub => published = true,
                    _ => {}
                }
            }
            if replied && published {
                return Ok(());
            }
            if let Some(status) = self.exited() {
                let tail = self.log_tail();
                let error = anyhow!("the kernel stopped before it answered ({status}){tail}");
                return Err(if tail.contains("in use") {
                    Failure::PortTaken(error)
                } else {
                    Failure::Other(error)
                });
            }
            if Instant::now() >= deadline {
                return Err(anyhow!(
                    "the kernel did not answer within {} s{}",
                    STARTUP.as_secs(),
                    self.log_tail()
                )
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
        if let Err(error) = self.shell.send(request).await {
            return self.lost(collector, format!("cannot send the cell: {error}"));
        }
        let mut reply: Option<Value> = None;
        let mut idle = false;
        let mut deadline = Instant::now() + limit;
        let mut timed_out = false;
        let mut idle_deadline: Option<Instant> = None;
        let mut check = tokio::time::interval(Duration::from_millis(500));
        loop {
            if reply.is_some() && idle {
                break;
            }
            let wake = idle_deadline.map_or(deadline, |at| at.min(deadline));
            tokio::select! {
                message = self.incoming.recv() => {
                    let Some(message) = message else {
                        return self.lost(collector, "its sockets closed".into());
                    };
                    if message.parent_id != id {
                        continue;
                    }
                    match (message.channel, message.msg_type.as_str()) {
                        (Channel::IoPub, "status") => {
                            idle |= message.content["execution_state"] == "idle";
                        }
                        (Channel::IoPub, msg_type) => collector.add(msg_type, &message.content),
                        (Channel::Shell, "execute_reply") => {
                            reply = Some(message.content);
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
        let reply = reply.unwrap_or_default();
        let execution_count = reply["execution_count"].as_i64();
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
        let (outcome, traceback) = match reply["status"].as_str() {
            Some("ok") => (Outcome::Ok, Vec::new()),
            _ => {
                let traceback = reply["traceback"]
                    .as_array()
                    .map(|lines| {
                        lines
                            .iter()
                            .filter_map(Value::as_str)
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default();
                let outcome = Outcome::Failed {
                    ename: reply["ename"].as_str().unwrap_or("Error").to_owned(),
                    evalue: reply["evalue"].as_str().unwrap_or_default().to_owned(),
                };
                (outcome, traceback)
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
            if self.control.send(request).await.is_ok()
                && timeout(SHUTDOWN_GRACE, self.child.wait()).await.is_ok()
            {
                return;
            }
        }
        self.kill().await;
    }

    async fn interrupt(&mut self) {
        if self.launch.signal_interrupt {
            if let Some(pid) = self.child.id() {
                // SAFETY: sending a signal to our own child process.
                unsafe { libc::kill(pid as libc::pid_t, libc::SIGINT) };
            }
            return;
        }
        let request = JupyterMessage::new(InterruptRequest {}, None);
        if let Err(error) = self.control.send(request).await {
            self.log(format!("cannot send interrupt_request: {error}"));
        }
    }

    async fn kill(&mut self) {
        self.given_up = true;
        let _ = self.child.start_kill();
        let _ = timeout(SHUTDOWN_GRACE, self.child.wait()).await;
    }

    fn lost(&mut self, collector: Collector, why: String) -> Execution {
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

    fn log(&self, what: String) {
        if debugging() {
            eprintln!("[rcourse client] {what}");
        }
    }

    fn log_tail(&self) -> String {
        log_tail(&self.dir.path().join("kernel.log"))
    }
}

/// Whether `RCOURSE_DEBUG` asks for the kernel's log and the client's
/// troubles on stderr.
fn debugging() -> bool {
    std::env::var_os("RCOURSE_DEBUG").is_some()
}

/// The last lines of the kernel's log, to explain a failure.
fn log_tail(file: &std::path::Path) -> String {
    let text = std::fs::read_to_string(file).unwrap_or_default();
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    if lines.is_empty() {
        return String::new();
    }
    let tail = &lines[lines.len().saturating_sub(5)..];
    format!("; the kernel's last words: {}", tail.join(" | "))
}

/// Reads one socket for good: each verified message goes to `sink`; a read
/// error or a bad message is skipped, never the end of the loop.
async fn read_forever<S: SocketRecv>(
    channel: Channel,
    mut socket: S,
    key: Option<ring::hmac::Key>,
    sink: mpsc::UnboundedSender<Incoming>,
) {
    loop {
        match socket.recv().await {
            Ok(multipart) => {
                if let Some(message) = decode(channel, multipart, &key)
                    && sink.send(message).is_err()
                {
                    return;
                }
            }
            Err(_) => sleep(ERROR_PAUSE).await,
        }
    }
}

/// Verifies and parses a multipart message; `None` when it is not valid.
fn decode(
    channel: Channel,
    multipart: zeromq::ZmqMessage,
    key: &Option<ring::hmac::Key>,
) -> Option<Incoming> {
    let raw = RawMessage::from_multipart(multipart, key).ok()?;
    let part = |i: usize| serde_json::from_slice::<Value>(raw.jparts.get(i)?).ok();
    let header = part(0)?;
    let parent = part(1).unwrap_or_default();
    Some(Incoming {
        channel,
        msg_type: header["msg_type"].as_str()?.to_owned(),
        parent_id: parent["msg_id"].as_str().unwrap_or_default().to_owned(),
        content: part(3).unwrap_or_default(),
    })
}

/// Writes a file only its owner can read (the connection file holds the key).
fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
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

    #[test]
    fn decodes_signed_messages_and_drops_the_rest() {
        let key = Some(ring::hmac::Key::new(ring::hmac::HMAC_SHA256, b"secret"));
        let parent = JupyterMessage::new(KernelInfoRequest {}, None);
        let reply = JupyterMessage::new(jupyter_protocol::Status::idle(), Some(&parent));
        let frames = |message: JupyterMessage, key: &Option<ring::hmac::Key>| {
            let raw = RawMessage {
                zmq_identities: Vec::new(),
                jparts: vec![
                    serde_json::to_vec(&message.header).unwrap().into(),
                    serde_json::to_vec(&message.parent_header).unwrap().into(),
                    b"{}".to_vec().into(),
                    serde_json::to_vec(&message.content).unwrap().into(),
                ],
            };
            sign(raw, key)
        };
        let message = decode(Channel::IoPub, frames(reply.clone(), &key), &key).unwrap();
        assert_eq!(message.msg_type, "status");
        assert_eq!(message.parent_id, parent.header.msg_id);
        assert_eq!(message.content["execution_state"], "idle");
        let forged = Some(ring::hmac::Key::new(ring::hmac::HMAC_SHA256, b"other"));
        assert!(decode(Channel::IoPub, frames(reply, &forged), &key).is_none());
    }

    /// Frames a raw message as a kernel sends it: delimiter, signature, parts.
    fn sign(raw: RawMessage, key: &Option<ring::hmac::Key>) -> zeromq::ZmqMessage {
        let signature = key.as_ref().map_or_else(String::new, |key| {
            let mut context = ring::hmac::Context::with_key(key);
            for part in &raw.jparts {
                context.update(part);
            }
            context
                .sign()
                .as_ref()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect()
        });
        let mut frames: Vec<bytes::Bytes> =
            vec![b"<IDS|MSG>".to_vec().into(), signature.into_bytes().into()];
        frames.extend(raw.jparts);
        zeromq::ZmqMessage::try_from(frames).unwrap()
    }
}
