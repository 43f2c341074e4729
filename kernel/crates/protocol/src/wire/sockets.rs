//! Binding the five Jupyter sockets and the loops that serve them.

use super::codec::decode;
use bytes::Bytes;
use jupyter_protocol::{ConnectionInfo, JupyterMessage};
use jupyter_zmq_client::{
    Connection, create_kernel_control_connection, create_kernel_heartbeat_connection,
    create_kernel_iopub_connection, create_kernel_shell_connection, create_kernel_stdin_connection,
};
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

/// Binds every socket named in `info` and starts the loops serving them.
pub async fn bind(info: &ConnectionInfo, session: &str) -> anyhow::Result<Channels> {
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

    tokio::spawn(echo_heartbeats(heartbeat.socket));
    let (shell, shell_reply) = serve_router("shell", shell);
    let (control, control_reply) = serve_router("control", control);
    let (stdin, stdin_request) = serve_router("stdin", stdin);
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
/// messages, and a [`Replier`] whose queue a sending loop drains.
fn serve_router(
    name: &'static str,
    connection: Connection<zeromq::RouterSocket>,
) -> (mpsc::UnboundedReceiver<JupyterMessage>, Replier) {
    let (sender, mut receiver) = connection.split();
    let (incoming_tx, incoming) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            match receiver.socket.recv().await {
                Ok(multipart) => match decode(multipart, &receiver.mac) {
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

/// Signs and sends every queued message; a failed send is logged, not fatal.
async fn send_all<S: zeromq::SocketSend>(
    name: &'static str,
    mut connection: Connection<S>,
    mut outgoing: mpsc::UnboundedReceiver<JupyterMessage>,
) {
    while let Some(message) = outgoing.recv().await {
        if let Err(error) = connection.send(message).await {
            log::warn!("{name}: cannot send: {error}");
        }
    }
}
