//! Binding the five Jupyter sockets and the loops that serve them.
//!
//! With the TCP transport the ZeroMQ sockets listen on Unix sockets in a
//! private directory and the [`guard`](super::guard) owns the connection
//! file's ports; with the IPC transport (already reachable only through the
//! file system) they listen where the connection file says.

use super::codec::decode;
use super::guard::{Port, PrivateDir};
use super::replay::ReplayWindow;
use anyhow::Context;
use bytes::Bytes;
use jupyter_protocol::connection_info::Transport;
use jupyter_protocol::{ConnectionInfo, JupyterMessage};
use jupyter_zmq_client::{
    Connection, create_kernel_control_connection, create_kernel_heartbeat_connection,
    create_kernel_iopub_connection, create_kernel_shell_connection, create_kernel_stdin_connection,
};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use zeromq::{SocketRecv, SocketSend};

/// How long a loop rests after a socket error before it reads again.
const ERROR_PAUSE: Duration = Duration::from_millis(20);

/// The verified requests arriving on the three router sockets, and the
/// halves used to answer them.
pub struct Channels {
    /// Requests from the shell socket.
    pub shell: mpsc::UnboundedReceiver<JupyterMessage>,
    /// Sends replies on the shell socket.
    pub shell_reply: Replier,
    /// Requests from the control socket.
    pub control: mpsc::UnboundedReceiver<JupyterMessage>,
    /// Sends replies on the control socket.
    pub control_reply: Replier,
    /// Replies from the frontend on the stdin socket.
    pub stdin: mpsc::UnboundedReceiver<JupyterMessage>,
    /// Sends `input_request`s on the stdin socket.
    pub stdin_request: Replier,
    /// Publishes on iopub.
    pub iopub: Publisher,
}

/// Sends signed messages on one router socket, to the peer that a parent
/// message came from. Cloning shares the socket.
#[derive(Clone)]
pub struct Replier {
    queue: mpsc::UnboundedSender<JupyterMessage>,
}

impl Replier {
    /// Queues `message` for sending; it carries its parent's routing identities.
    pub fn send(&self, message: JupyterMessage) {
        if self.queue.send(message).is_err() {
            log::warn!("a reply was dropped: the socket's sender has stopped");
        }
    }
}

/// Publishes signed messages on iopub, each with a `kernel.<id>.<type>` topic.
#[derive(Clone)]
pub struct Publisher {
    queue: mpsc::UnboundedSender<JupyterMessage>,
    topic_prefix: String,
}

impl Publisher {
    /// Queues `message` for publishing.
    pub fn publish(&self, mut message: JupyterMessage) {
        let topic = format!("{}.{}", self.topic_prefix, message.header.msg_type);
        message.zmq_identities = vec![Bytes::from(topic)];
        if self.queue.send(message).is_err() {
            log::warn!("an iopub message was dropped: the publisher has stopped");
        }
    }
}

/// The warning logged when the connection file's key is empty.
const NO_KEY_WARNING: &str = "the connection file has no key: messages are not signed, \
    so any local user who reaches these ports can run code as you";

// The "port" numbers of the private Unix sockets (the IPC transport names a
// channel's socket `IP-PORT`), in Jupyter's order.
const SHELL: u16 = 1;
const IOPUB: u16 = 2;
const STDIN: u16 = 3;
const CONTROL: u16 = 4;
const HEARTBEAT: u16 = 5;

/// Binds every socket named in `info` and starts the loops serving them.
pub async fn bind(info: &ConnectionInfo, session: &str) -> anyhow::Result<Channels> {
    if info.key.is_empty() {
        log::warn!("{NO_KEY_WARNING}");
    }
    match info.transport {
        Transport::IPC => bind_sockets(info, session).await,
        Transport::TCP => bind_guarded(info, session).await,
    }
}

/// Binds the sockets on Unix sockets in a private directory, and the
/// connection file's TCP ports in front of them.
async fn bind_guarded(info: &ConnectionInfo, session: &str) -> anyhow::Result<Channels> {
    let dir = PrivateDir::create().context("cannot create a private directory for the sockets")?;
    let base = dir.path().join("k");
    let base = base
        .to_str()
        .context("the temporary directory's path is not UTF-8")?;
    let private = ConnectionInfo {
        transport: Transport::IPC,
        ip: base.to_owned(),
        shell_port: SHELL,
        iopub_port: IOPUB,
        stdin_port: STDIN,
        control_port: CONTROL,
        hb_port: HEARTBEAT,
        ..info.clone()
    };
    let mut ports = Vec::new();
    for (name, port, inner) in [
        ("shell", info.shell_port, SHELL),
        ("iopub", info.iopub_port, IOPUB),
        ("stdin", info.stdin_port, STDIN),
        ("control", info.control_port, CONTROL),
        ("heartbeat", info.hb_port, HEARTBEAT),
    ] {
        let bound = Port::bind(name, &info.ip, port, format!("{base}-{inner}").into()).await;
        let ip = &info.ip;
        ports.push(bound.with_context(|| format!("cannot bind the {name} port {ip}:{port}"))?);
    }
    let channels = bind_sockets(&private, session).await?;
    let dir = Arc::new(dir);
    for port in ports {
        tokio::spawn(port.serve(Arc::clone(&dir)));
    }
    Ok(channels)
}

/// Binds the five ZeroMQ sockets where `info` says and starts serving them.
async fn bind_sockets(info: &ConnectionInfo, session: &str) -> anyhow::Result<Channels> {
    let failed = |what: &'static str| {
        let ip = info.ip.clone();
        move |e| anyhow::anyhow!("cannot bind the {what} socket on {ip}: {e}")
    };
    let shell = create_kernel_shell_connection(info, session).await;
    let shell = shell.map_err(failed("shell"))?;
    let control = create_kernel_control_connection(info, session).await;
    let control = control.map_err(failed("control"))?;
    let stdin = create_kernel_stdin_connection(info, session).await;
    let stdin = stdin.map_err(failed("stdin"))?;
    let iopub = create_kernel_iopub_connection(info, session).await;
    let iopub = iopub.map_err(failed("iopub"))?;
    let heartbeat = create_kernel_heartbeat_connection(info).await;
    let heartbeat = heartbeat.map_err(failed("heartbeat"))?;

    // One window for the three sockets: a message replayed on another
    // socket than its own is refused too.
    let replays = Arc::new(ReplayWindow::default());
    tokio::spawn(echo_heartbeats(heartbeat.socket));
    let (shell, shell_reply) = serve_router("shell", shell, Arc::clone(&replays));
    let (control, control_reply) = serve_router("control", control, Arc::clone(&replays));
    let (stdin, stdin_request) = serve_router("stdin", stdin, replays);
    let (queue, outgoing) = mpsc::unbounded_channel();
    tokio::spawn(send_all("iopub", iopub, outgoing));
    Ok(Channels {
        shell,
        shell_reply,
        control,
        control_reply,
        stdin,
        stdin_request,
        iopub: Publisher {
            queue,
            topic_prefix: format!("kernel.{session}"),
        },
    })
}

/// Answers every heartbeat with the bytes it carried.
async fn echo_heartbeats(mut socket: zeromq::RepSocket) {
    loop {
        match socket.recv().await {
            Ok(ping) => {
                if let Err(error) = socket.send(ping).await {
                    log::warn!("heartbeat: cannot answer: {error}");
                }
            }
            Err(error) => {
                log::warn!("heartbeat: {error}");
                tokio::time::sleep(ERROR_PAUSE).await;
            }
        }
    }
}

/// Splits a router connection into a reading loop that forwards verified
/// messages not seen before, and a [`Replier`] whose queue a sending loop drains.
fn serve_router(
    name: &'static str,
    connection: Connection<zeromq::RouterSocket>,
    replays: Arc<ReplayWindow>,
) -> (mpsc::UnboundedReceiver<JupyterMessage>, Replier) {
    let (sender, mut receiver) = connection.split();
    let (incoming_tx, incoming) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            match receiver.socket.recv().await {
                Ok(multipart) => match decode(multipart, &receiver.mac, &replays) {
                    Ok(message) => {
                        if incoming_tx.send(message).is_err() {
                            return;
                        }
                    }
                    Err(error) => log::warn!("{name}: dropped a message: {error}"),
                },
                Err(error) => {
                    log::warn!("{name}: {error}");
                    tokio::time::sleep(ERROR_PAUSE).await;
                }
            }
        }
    });
    let (queue, outgoing) = mpsc::unbounded_channel();
    tokio::spawn(send_all(name, sender, outgoing));
    (incoming, Replier { queue })
}

/// How many times a message is sent before it is given up, [`ERROR_PAUSE`]
/// apart.
const SEND_TRIES: u32 = 25;

/// Signs and sends every queued message; a failed send is tried again for
/// half a second, then logged, never fatal.
async fn send_all<S: zeromq::SocketSend>(
    name: &'static str,
    mut connection: Connection<S>,
    mut outgoing: mpsc::UnboundedReceiver<JupyterMessage>,
) {
    while let Some(message) = outgoing.recv().await {
        let mut tries = 0;
        while let Err(error) = connection.send(message.clone()).await {
            // A router knows a peer only once its handshake has passed the
            // guard, which can come just after the peer's first request on
            // another socket (an input request right after connecting).
            tries += 1;
            if tries == SEND_TRIES {
                log::warn!("{name}: cannot send: {error}");
                break;
            }
            tokio::time::sleep(ERROR_PAUSE).await;
        }
    }
}
