//! A Jupyter client for the protocol tests: a kernel serving the mock
//! interpreter on 127.0.0.1, and the four client sockets of
//! `jupyter-zmq-client` connected to it, as a frontend connects.

use jupyter_protocol::connection_info::Transport;
use jupyter_protocol::{
    ConnectionInfo, ExecuteReply, ExecuteRequest, ExecutionState, JupyterMessage,
    JupyterMessageContent, KernelInfoRequest, Media, MediaType,
};
use jupyter_zmq_client::{
    ClientControlConnection, ClientIoPubConnection, ClientShellConnection, ClientStdinConnection,
    create_client_control_connection, create_client_iopub_connection,
    create_client_shell_connection_with_identity, create_client_stdin_connection_with_identity,
    peek_ports_with_listeners, peer_identity_for_session,
};
use rcourse_protocol::mock::Mock;
use rcourse_protocol::{KernelOptions, RunningKernel};
use std::time::Duration;

/// The longest a test waits for any one message.
pub const WAIT: Duration = Duration::from_secs(10);

/// A kernel on the mock interpreter, and a frontend's connections to it.
pub struct Client {
    pub kernel: RunningKernel<Mock>,
    pub connection: ConnectionInfo,
    pub shell: ClientShellConnection,
    pub control: ClientControlConnection,
    pub stdin: ClientStdinConnection,
    pub iopub: ClientIoPubConnection,
    /// Holds the history file.
    pub history_dir: tempfile::TempDir,
}

/// Waits for `future`, failing the test after [`WAIT`].
pub async fn within<T>(what: &str, future: impl Future<Output = T>) -> T {
    match tokio::time::timeout(WAIT, future).await {
        Ok(value) => value,
        Err(_) => panic!("timed out waiting for {what}"),
    }
}

/// A connection on free ports of 127.0.0.1, with a fresh key.
pub async fn free_connection() -> ConnectionInfo {
    let ip = "127.0.0.1";
    let (ports, _listeners) = peek_ports_with_listeners(ip.parse().unwrap(), 5)
        .await
        .unwrap();
    ConnectionInfo {
        ip: ip.into(),
        transport: Transport::TCP,
        shell_port: ports[0],
        iopub_port: ports[1],
        stdin_port: ports[2],
        control_port: ports[3],
        hb_port: ports[4],
        key: uuid::Uuid::new_v4().to_string(),
        signature_scheme: "hmac-sha256".into(),
        kernel_name: None,
    }
}

impl Client {
    /// Starts a kernel on the mock and connects to it; returns once iopub
    /// delivers (a SUB socket misses what is published before it joins).
    pub async fn start() -> Client {
        let connection = free_connection().await;
        let history_dir = tempfile::tempdir().unwrap();
        let options = KernelOptions {
            history_file: Some(history_dir.path().join("history.jsonl")),
        };
        let kernel = rcourse_protocol::start(&connection, Mock::new(), options)
            .await
            .unwrap();
        let session = uuid::Uuid::new_v4().to_string();
        let identity = peer_identity_for_session(&session).unwrap();
        let shell =
            create_client_shell_connection_with_identity(&connection, &session, identity.clone())
                .await
                .unwrap();
        let stdin = create_client_stdin_connection_with_identity(&connection, &session, identity)
            .await
            .unwrap();
        let control = create_client_control_connection(&connection, &session)
            .await
            .unwrap();
        let iopub = create_client_iopub_connection(&connection, "", &session)
            .await
            .unwrap();
        let mut client = Client {
            kernel,
            connection,
            shell,
            control,
            stdin,
            iopub,
            history_dir,
        };
        within("iopub to deliver", client.join_iopub()).await;
        client
    }

    async fn join_iopub(&mut self) {
        loop {
            let request = self.send_shell(KernelInfoRequest {}).await;
            self.shell_reply(&request).await;
            let heard = tokio::time::timeout(Duration::from_millis(100), self.iopub.read()).await;
            if heard.is_ok() {
                break;
            }
        }
        // Start from a clean slate: everything up to this request's idle is read.
        let request = self.send_shell(KernelInfoRequest {}).await;
        self.shell_reply(&request).await;
        self.iopub_until_idle(&request).await;
    }

    /// Sends a request on shell.
    pub async fn send_shell(
        &mut self,
        content: impl Into<JupyterMessageContent>,
    ) -> JupyterMessage {
        let message = JupyterMessage::new(content, None);
        self.shell.send(message.clone()).await.unwrap();
        message
    }

    /// Sends a request on control.
    pub async fn send_control(
        &mut self,
        content: impl Into<JupyterMessageContent>,
    ) -> JupyterMessage {
        let message = JupyterMessage::new(content, None);
        self.control.send(message.clone()).await.unwrap();
        message
    }

    /// The next shell reply, which must answer `request`.
    pub async fn shell_reply(&mut self, request: &JupyterMessage) -> JupyterMessage {
        let reply = within("a shell reply", self.shell.read()).await.unwrap();
        assert_eq!(parent_id(&reply), Some(request.header.msg_id.as_str()));
        reply
    }

    /// The next control reply, which must answer `request`.
    pub async fn control_reply(&mut self, request: &JupyterMessage) -> JupyterMessage {
        let reply = within("a control reply", self.control.read())
            .await
            .unwrap();
        assert_eq!(parent_id(&reply), Some(request.header.msg_id.as_str()));
        reply
    }

    /// The next iopub message that is a child of `request`.
    pub async fn next_iopub(&mut self, request: &JupyterMessage) -> JupyterMessage {
        loop {
            let message = within("an iopub message", self.iopub.read()).await.unwrap();
            if parent_id(&message) == Some(request.header.msg_id.as_str()) {
                return message;
            }
        }
    }

    /// Every iopub message that is a child of `request`, up to and including
    /// its idle status.
    pub async fn iopub_until_idle(&mut self, request: &JupyterMessage) -> Vec<JupyterMessage> {
        let mut messages = Vec::new();
        loop {
            let message = self.next_iopub(request).await;
            let idle = matches!(
                &message.content,
                JupyterMessageContent::Status(status)
                    if status.execution_state == ExecutionState::Idle
            );
            messages.push(message);
            if idle {
                return messages;
            }
        }
    }

    /// Runs `request`; returns its reply and its iopub messages.
    pub async fn execute_request(
        &mut self,
        request: ExecuteRequest,
    ) -> (ExecuteReply, Vec<JupyterMessage>) {
        let message = self.send_shell(request).await;
        let reply = self.shell_reply(&message).await;
        let published = self.iopub_until_idle(&message).await;
        match reply.content {
            JupyterMessageContent::ExecuteReply(reply) => (reply, published),
            other => panic!("expected an execute_reply, got {other:?}"),
        }
    }

    /// Runs `code` with the default options.
    pub async fn execute(&mut self, code: &str) -> (ExecuteReply, Vec<JupyterMessage>) {
        self.execute_request(ExecuteRequest::new(code.into())).await
    }
}

/// The id of the message `message` answers.
pub fn parent_id(message: &JupyterMessage) -> Option<&str> {
    message.parent_header.as_ref().map(|h| h.msg_id.as_str())
}

/// The message types, in order.
pub fn types(messages: &[JupyterMessage]) -> Vec<&str> {
    messages
        .iter()
        .map(|m| m.header.msg_type.as_str())
        .collect()
}

/// The text of every stream message on `name` ("stdout" or "stderr"), joined.
pub fn stream_text(messages: &[JupyterMessage], name: &str) -> String {
    messages
        .iter()
        .filter_map(|m| match &m.content {
            JupyterMessageContent::StreamContent(stream)
                if serde_json::to_value(&stream.name).unwrap() == name =>
            {
                Some(stream.text.as_str())
            }
            _ => None,
        })
        .collect()
}

/// The content of `media` for `mime`.
pub fn media_text(media: &Media, mime: &str) -> Option<String> {
    media.content.iter().find_map(|content| match content {
        MediaType::Plain(text) if mime == "text/plain" => Some(text.clone()),
        MediaType::Html(text) if mime == "text/html" => Some(text.clone()),
        _ => None,
    })
}
