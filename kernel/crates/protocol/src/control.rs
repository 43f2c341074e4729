//! The control loop: kernel_info, interrupt and shutdown, answered at once
//! even while a cell runs on the shell.

use crate::interpreter::Interpreter;
use crate::kernel::Kernel;
use crate::{info, wire::Replier};
use jupyter_protocol::{
    ExecutionState, InterruptReply, JupyterMessage, JupyterMessageContent, ReplyStatus,
    ShutdownReply,
};
use std::sync::Arc;
use tokio::sync::mpsc;

/// Serves the control socket for the kernel's lifetime.
pub async fn serve<I: Interpreter>(
    kernel: Arc<Kernel<I>>,
    mut requests: mpsc::UnboundedReceiver<JupyterMessage>,
    replies: Replier,
) {
    while let Some(message) = requests.recv().await {
        kernel.status(ExecutionState::Busy, Some(&message));
        handle(&kernel, &message, &replies).await;
        kernel.status(ExecutionState::Idle, Some(&message));
    }
}

/// Handles one control request (shell forwards its interrupts and shutdowns here).
pub async fn handle<I: Interpreter>(
    kernel: &Kernel<I>,
    message: &JupyterMessage,
    replies: &Replier,
) {
    let reply: JupyterMessageContent = match &message.content {
        JupyterMessageContent::KernelInfoRequest(_) => {
            info::reply(&kernel.interpreter).await.into()
        }
        JupyterMessageContent::InterruptRequest(_) => {
            kernel.interpreter.interrupt();
            InterruptReply::new().into()
        }
        JupyterMessageContent::ShutdownRequest(request) => {
            let reply = ShutdownReply {
                restart: request.restart,
                status: ReplyStatus::Ok,
                error: None,
            };
            replies.send(JupyterMessage::new(reply, Some(message)));
            kernel.shutdown.notify_one();
            return;
        }
        _ => {
            log::warn!("control: no handler for {}", message.header.msg_type);
            return;
        }
    };
    replies.send(JupyterMessage::new(reply, Some(message)));
}
