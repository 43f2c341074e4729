//! Input requests: a running cell asks, the frontend answers on stdin.

use crate::wire::Replier;
use jupyter_protocol::{InputRequest, JupyterMessage, JupyterMessageContent};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// A question from a running cell for the person at the notebook.
pub(crate) struct InputQuestion {
    /// The `execute_request` of the cell that asks.
    pub parent: Arc<JupyterMessage>,
    /// The prompt to show.
    pub prompt: String,
    /// Whether to hide what is typed.
    pub password: bool,
    /// Where the answer goes.
    pub answer: oneshot::Sender<String>,
}

/// Serves questions from cells for the kernel's lifetime, one at a time.
pub(crate) async fn serve(
    mut questions: mpsc::UnboundedReceiver<InputQuestion>,
    mut replies: mpsc::UnboundedReceiver<JupyterMessage>,
    requests: Replier,
) {
    while let Some(question) = questions.recv().await {
        // Answers to earlier, abandoned questions must not answer this one.
        while replies.try_recv().is_ok() {}
        let request = InputRequest {
            prompt: question.prompt,
            password: question.password,
        };
        requests.send(JupyterMessage::new(request, Some(&question.parent)));
        let answer = loop {
            match replies.recv().await {
                Some(message) => {
                    if let JupyterMessageContent::InputReply(reply) = message.content {
                        break reply.value;
                    }
                    log::warn!("stdin: ignored a {}", message.header.msg_type);
                }
                None => break String::new(),
            }
        };
        let _ = question.answer.send(answer);
    }
}
