//! kernel_info: the interpreter's description, with the protocol's version.

use crate::interpreter::{Interpreter, KernelInfo};
use jupyter_protocol::{KernelInfoReply, ReplyStatus};

/// The version of the Jupyter messaging protocol this kernel speaks.
pub const PROTOCOL_VERSION: &str = "5.3";

/// The kernel_info reply.
pub async fn reply(interpreter: &impl Interpreter) -> KernelInfoReply {
    let KernelInfo {
        implementation,
        implementation_version,
        language_info,
        banner,
        help_links,
    } = interpreter.kernel_info().await;
    KernelInfoReply {
        status: ReplyStatus::Ok,
        protocol_version: PROTOCOL_VERSION.into(),
        implementation,
        implementation_version,
        language_info,
        banner,
        help_links,
        debugger: false,
        error: None,
    }
}
