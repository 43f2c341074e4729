//! The client's end of a kernel's sockets, [`Sockets`]: shell and control
//! to send requests on, and one queue of [`Incoming`] messages read from
//! shell, control and iopub with jupyter-zmq-client's typed
//! [`Connection::read`] (which checks each message's signature).
//!
//! Each socket is read by a task of its own for as long as the sockets
//! live: a message that fails to read or to verify is dropped and logged
//! (`log::debug!`), never the end of the reading.

use jupyter_protocol::{ConnectionInfo, JupyterMessage};
use jupyter_zmq_client::{
    Connection, DealerSendConnection, RuntimeError, create_client_control_connection,
    create_client_iopub_connection, create_client_shell_connection_with_identity,
    peer_identity_for_session,
};
use std::fmt;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use zeromq::SocketRecv;

/// The pause after a socket error before reading again.
const ERROR_PAUSE: Duration = Duration::from_millis(20);

/// Which socket a message came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// Replies to execute and kernel_info requests.
    Shell,
    /// Replies to interrupt and shutdown requests.
    Control,
    /// Status, outputs and errors, for every client.
    IoPub,
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Channel::Shell => "shell",
            Channel::Control => "control",
            Channel::IoPub => "iopub",
        })
    }
}

/// A verified message from the kernel, and the socket it came on.
#[derive(Debug)]
pub struct Incoming {
    /// The socket.
    pub channel: Channel,
    /// The message, its content typed.
    pub message: JupyterMessage,
}

impl Incoming {
    /// Whether the message is about the request with id `request_id` (its
    /// parent).
    pub fn answers(&self, request_id: &str) -> bool {
        self.message
            .parent_header
            .as_ref()
            .is_some_and(|parent| parent.msg_id == request_id)
    }
}

/// A client connected to a kernel's shell, control and iopub sockets.
/// Dropping it stops the reading tasks.
pub struct Sockets {
    shell: DealerSendConnection,
    control: DealerSendConnection,
    incoming: mpsc::UnboundedReceiver<Incoming>,
    readers: Vec<JoinHandle<()>>,
}

impl Drop for Sockets {
    fn drop(&mut self) {
        for reader in &self.readers {
            reader.abort();
        }
    }
}

impl Sockets {
    /// Connects to the kernel of `info`, waiting until it listens, and
    /// starts reading. Needs a tokio runtime.
    pub async fn connect(info: &ConnectionInfo) -> Result<Sockets, RuntimeError> {
        let session = uuid::Uuid::new_v4().to_string();
        let identity = peer_identity_for_session(&session)?;
        let (iopub, shell, control) = tokio::try_join!(
            create_client_iopub_connection(info, "", &session),
            create_client_shell_connection_with_identity(info, &session, identity),
            create_client_control_connection(info, &session),
        )?;
        let (tx, incoming) = mpsc::unbounded_channel();
        let (shell, shell_replies) = shell.split();
        let (control, control_replies) = control.split();
        let readers = vec![
            tokio::spawn(read_forever(Channel::IoPub, iopub, tx.clone())),
            tokio::spawn(read_forever(Channel::Shell, shell_replies, tx.clone())),
            tokio::spawn(read_forever(Channel::Control, control_replies, tx)),
        ];
        Ok(Sockets {
            shell,
            control,
            incoming,
            readers,
        })
    }

    /// Sends a request on shell.
    pub async fn send_shell(&mut self, request: JupyterMessage) -> Result<(), RuntimeError> {
        self.shell.send(request).await
    }

    /// Sends a request on control.
    pub async fn send_control(&mut self, request: JupyterMessage) -> Result<(), RuntimeError> {
        self.control.send(request).await
    }

    /// The next message from any of the sockets, in the order they were
    /// read; `None` once the reading has stopped.
    pub async fn next(&mut self) -> Option<Incoming> {
        self.incoming.recv().await
    }
}

/// Connection details for a kernel on free loopback ports, signed with
/// `key` (HMAC-SHA256), with the listeners that hold the ports until the
/// kernel binds them (drop them just before it starts).
pub async fn local_connection(
    key: String,
    kernel_name: Option<String>,
) -> Result<(ConnectionInfo, Vec<tokio::net::TcpListener>), RuntimeError> {
    let ip = std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);
    let (ports, listeners) = jupyter_zmq_client::peek_ports_with_listeners(ip, 5).await?;
    let info = ConnectionInfo {
        ip: ip.to_string(),
        transport: jupyter_protocol::Transport::TCP,
        shell_port: ports[0],
        iopub_port: ports[1],
        stdin_port: ports[2],
        control_port: ports[3],
        hb_port: ports[4],
        key,
        signature_scheme: "hmac-sha256".to_owned(),
        kernel_name,
    };
    Ok((info, listeners))
}

/// Reads one socket for good: each verified message goes to `sink`; a read
/// error or a bad message is logged and skipped.
async fn read_forever<S: SocketRecv>(
    channel: Channel,
    mut connection: Connection<S>,
    sink: mpsc::UnboundedSender<Incoming>,
) {
    loop {
        match connection.read().await {
            Ok(message) => {
                if sink.send(Incoming { channel, message }).is_err() {
                    return;
                }
            }
            Err(RuntimeError::ZmqError(error)) => {
                log::debug!("cannot read the kernel's {channel} socket: {error}");
                tokio::time::sleep(ERROR_PAUSE).await;
            }
            Err(error) => log::debug!("a message on the {channel} socket was dropped: {error}"),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use jupyter_protocol::{ExecutionState, JupyterMessageContent, KernelInfoRequest, Status};
    use jupyter_zmq_client::{
        TestKernel, create_kernel_control_connection, create_kernel_iopub_connection,
        create_kernel_shell_connection,
    };
    use tokio::time::timeout;

    const PATIENCE: Duration = Duration::from_secs(10);

    /// Connects to `info` once its kernel listens: a kernel started in the
    /// test's own runtime binds its sockets only when the test awaits.
    pub(crate) async fn connect_when_listening(info: &ConnectionInfo) -> Sockets {
        let connect = async {
            loop {
                match Sockets::connect(info).await {
                    Ok(sockets) => return sockets,
                    Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
                }
            }
        };
        timeout(PATIENCE, connect).await.unwrap()
    }

    #[tokio::test]
    async fn replies_and_statuses_arrive_typed() {
        let (kernel, info) = TestKernel::start_ephemeral(Default::default())
            .await
            .unwrap();
        let mut sockets = connect_when_listening(&info).await;
        // The test kernel welcomes each subscriber on iopub (JEP 65).
        let welcome = timeout(PATIENCE, sockets.next()).await.unwrap().unwrap();
        assert_eq!(welcome.channel, Channel::IoPub);
        assert!(matches!(
            welcome.message.content,
            JupyterMessageContent::IoPubWelcome(_)
        ));
        let request = JupyterMessage::new(KernelInfoRequest {}, None);
        let id = request.header.msg_id.clone();
        sockets.send_shell(request).await.unwrap();
        // The reply on shell, and the statuses on iopub, in either order.
        let (mut language, mut states) = (None, Vec::new());
        while language.is_none() || states.len() < 2 {
            let incoming = timeout(PATIENCE, sockets.next()).await.unwrap().unwrap();
            assert!(incoming.answers(&id), "{:?}", incoming.message);
            match (incoming.channel, incoming.message.content) {
                (Channel::Shell, JupyterMessageContent::KernelInfoReply(reply)) => {
                    language = Some(reply.language_info.name);
                }
                (Channel::IoPub, JupyterMessageContent::Status(status)) => {
                    states.push(status.execution_state);
                }
                (channel, content) => panic!("unexpected on {channel}: {content:?}"),
            }
        }
        assert_eq!(language.as_deref(), Some("test"));
        assert_eq!(states, [ExecutionState::Busy, ExecutionState::Idle]);
        kernel.abort();
    }

    #[tokio::test]
    async fn messages_signed_with_another_key_are_dropped() {
        let (info, listeners) = local_connection("the key".into(), None).await.unwrap();
        // Only iopub is needed; shell and control get listeners that accept
        // the connection and say nothing.
        drop(listeners);
        let mut iopub = create_kernel_iopub_connection(&info, "kernel")
            .await
            .unwrap();
        let _shell = create_kernel_shell_connection(&info, "kernel")
            .await
            .unwrap();
        let _control = create_kernel_control_connection(&info, "kernel")
            .await
            .unwrap();
        let mut sockets = connect_when_listening(&info).await;
        let parent = JupyterMessage::new(KernelInfoRequest {}, None);
        // Until the subscription is up, messages are lost anyway.
        loop {
            iopub
                .send(Status::starting().as_child_of(&parent))
                .await
                .unwrap();
            if let Ok(Some(_)) = timeout(Duration::from_millis(100), sockets.next()).await {
                break;
            }
        }
        // Forged `busy` statuses between genuine `idle` ones, then `dead`.
        let right = iopub.mac.clone();
        let wrong = Some(ring::hmac::Key::new(
            ring::hmac::HMAC_SHA256,
            b"another key",
        ));
        for _ in 0..3 {
            iopub.mac = wrong.clone();
            iopub
                .send(Status::busy().as_child_of(&parent))
                .await
                .unwrap();
            iopub.mac = right.clone();
            iopub
                .send(Status::idle().as_child_of(&parent))
                .await
                .unwrap();
        }
        let last = Status {
            execution_state: ExecutionState::Dead,
        };
        iopub.send(last.as_child_of(&parent)).await.unwrap();
        let mut states = Vec::new();
        while states.last() != Some(&ExecutionState::Dead) {
            let incoming = timeout(PATIENCE, sockets.next()).await.unwrap().unwrap();
            if let JupyterMessageContent::Status(status) = incoming.message.content {
                states.push(status.execution_state);
            }
        }
        assert!(!states.contains(&ExecutionState::Busy), "{states:?}");
        assert_eq!(
            states
                .iter()
                .filter(|s| **s == ExecutionState::Idle)
                .count(),
            3
        );
    }
}
