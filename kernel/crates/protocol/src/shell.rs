//! The shell loop: requests are handled one at a time, in order, each
//! bracketed by busy and idle on iopub.

use crate::interpreter::{Completeness, Interpreter};
use crate::kernel::Kernel;
use crate::wire::Replier;
use crate::{control, execute, info, inspect};
use jupyter_protocol::{
    CommInfoReply, ExecutionState, IsCompleteReply, IsCompleteReplyStatus, JupyterMessage,
    JupyterMessageContent, ReplyStatus,
};
use std::sync::Arc;
use tokio::sync::mpsc;

/// Serves the shell socket for the kernel's lifetime.
pub async fn serve<I: Interpreter>(
    kernel: Arc<Kernel<I>>,
    mut requests: mpsc::UnboundedReceiver<JupyterMessage>,
    replies: Replier,
) {
    while let Some(message) = requests.recv().await {
        let failed = handle(&kernel, &message, &replies).await;
        if failed {
            abort_queued(&kernel, &mut requests, &replies).await;
        }
    }
}

/// Handles one request; tells whether it was a cell that failed with
/// `stop_on_error`.
async fn handle<I: Interpreter>(
    kernel: &Kernel<I>,
    message: &JupyterMessage,
    replies: &Replier,
) -> bool {
    kernel.status(ExecutionState::Busy, Some(message));
    let mut failed = false;
    let reply: Option<JupyterMessageContent> = match &message.content {
        JupyterMessageContent::ExecuteRequest(request) => {
            let reply = execute::execute(kernel, message, request).await;
            failed = request.stop_on_error && matches!(reply.status, ReplyStatus::Error);
            Some(reply.into())
        }
        JupyterMessageContent::KernelInfoRequest(_) => {
            Some(info::reply(&kernel.interpreter).await.into())
        }
        JupyterMessageContent::CompleteRequest(request) => {
            Some(inspect::complete(&kernel.interpreter, request).await.into())
        }
        JupyterMessageContent::InspectRequest(request) => {
            Some(inspect::inspect(&kernel.interpreter, request).await.into())
        }
        JupyterMessageContent::IsCompleteRequest(request) => {
            Some(is_complete_reply(kernel.interpreter.is_complete(&request.code)).into())
        }
        JupyterMessageContent::HistoryRequest(request) => {
            Some(kernel.history.reply(request).into())
        }
        JupyterMessageContent::CommInfoRequest(_) => Some(
            CommInfoReply {
                status: ReplyStatus::Ok,
                comms: Default::default(),
                error: None,
            }
            .into(),
        ),
        JupyterMessageContent::ShutdownRequest(_) | JupyterMessageContent::InterruptRequest(_) => {
            control::handle(kernel, message, replies).await;
            None
        }
        _ => {
            log::warn!("shell: no handler for {}", message.header.msg_type);
            None
        }
    };
    if let Some(content) = reply {
        replies.send(JupyterMessage::new(content, Some(message)));
    }
    kernel.status(ExecutionState::Idle, Some(message));
    failed
}

/// The is_complete reply for the interpreter's answer.
fn is_complete_reply(completeness: Completeness) -> IsCompleteReply {
    let (status, indent) = match completeness {
        Completeness::Complete => (IsCompleteReplyStatus::Complete, String::new()),
        Completeness::Incomplete(indent) => (IsCompleteReplyStatus::Incomplete, indent),
        Completeness::Invalid => (IsCompleteReplyStatus::Invalid, String::new()),
        Completeness::Unknown => (IsCompleteReplyStatus::Unknown, String::new()),
    };
    IsCompleteReply::new(status, indent)
}

/// After a failed cell, answers the execute requests that were already
/// queued behind it with "aborted" (as IPython does); other requests are
/// served as usual. Requests sent after the failure was reported run.
async fn abort_queued<I: Interpreter>(
    kernel: &Kernel<I>,
    requests: &mut mpsc::UnboundedReceiver<JupyterMessage>,
    replies: &Replier,
) {
    while let Ok(message) = requests.try_recv() {
        if let JupyterMessageContent::ExecuteRequest(_) = message.content {
            kernel.status(ExecutionState::Busy, Some(&message));
            replies.send(JupyterMessage::new(
                execute::aborted(kernel),
                Some(&message),
            ));
            kernel.status(ExecutionState::Idle, Some(&message));
        } else {
            Box::pin(handle(kernel, &message, replies)).await;
        }
    }
}
