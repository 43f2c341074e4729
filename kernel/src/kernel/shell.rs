//! The shell loop: requests are handled one at a time, in order, each
//! bracketed by busy and idle on iopub.

use super::{Kernel, control, execute, inspect, is_complete};
use crate::wire::{Replier, log};
use jupyter_protocol::{
    CommInfoReply, ExecutionState, JupyterMessage, JupyterMessageContent, ReplyStatus,
};
use std::sync::Arc;
use tokio::sync::mpsc;

/// Serves the shell socket for the kernel's lifetime.
pub async fn serve(
    kernel: Arc<Kernel>,
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
async fn handle(kernel: &Kernel, message: &JupyterMessage, replies: &Replier) -> bool {
    kernel.status(ExecutionState::Busy, Some(message));
    let mut failed = false;
    let reply: Option<JupyterMessageContent> = match &message.content {
        JupyterMessageContent::ExecuteRequest(request) => {
            let reply = execute::execute(kernel, message, request).await;
            failed = request.stop_on_error && matches!(reply.status, ReplyStatus::Error);
            Some(reply.into())
        }
        JupyterMessageContent::KernelInfoRequest(_) => Some(kernel.info.reply().await.into()),
        JupyterMessageContent::CompleteRequest(request) => {
            Some(inspect::complete(kernel, request).await.into())
        }
        JupyterMessageContent::InspectRequest(request) => {
            Some(inspect::inspect(kernel, request).await.into())
        }
        JupyterMessageContent::IsCompleteRequest(request) => {
            Some(is_complete::judge(&request.code).into())
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
            log(format!("shell: no handler for {}", message.header.msg_type));
            None
        }
    };
    if let Some(content) = reply {
        replies.send(JupyterMessage::new(content, Some(message)));
    }
    kernel.status(ExecutionState::Idle, Some(message));
    failed
}

/// After a failed cell, answers the execute requests that were already
/// queued behind it with "aborted" (as IPython does); other requests are
/// served as usual. Requests sent after the failure was reported run.
async fn abort_queued(
    kernel: &Kernel,
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
