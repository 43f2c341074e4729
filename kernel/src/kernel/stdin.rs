//! Input requests: a running cell asks, the frontend answers on stdin.

use super::Kernel;
use crate::engine::InputQuestion;
use crate::wire::Replier;
use jupyter_protocol::{InputRequest, JupyterMessage, JupyterMessageContent};
use std::sync::Arc;
use tokio::sync::mpsc;

/// Serves questions from cells for the kernel's lifetime.
pub async fn serve(
    kernel: Arc<Kernel>,
    mut questions: mpsc::UnboundedReceiver<InputQuestion>,
    mut replies: mpsc::UnboundedReceiver<JupyterMessage>,
    requests: Replier,
) {
    while let Some(question) = questions.recv().await {
        let parent = kernel
            .current
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        // Answers to earlier, abandoned questions must not answer this one.
        while replies.try_recv().is_ok() {}
        let request = InputRequest {
            prompt: question.prompt,
            password: question.password,
        };
        requests.send(JupyterMessage::new(request, parent.as_ref()));
        let answer = loop {
            match replies.recv().await {
                Some(message) => {
                    if let JupyterMessageContent::InputReply(reply) = message.content {
                        break reply.value;
                    }
                    crate::wire::log(format!("stdin: ignored a {}", message.header.msg_type));
                }
                None => break String::new(),
            }
        };
        let _ = question.answer.send(answer);
    }
}
