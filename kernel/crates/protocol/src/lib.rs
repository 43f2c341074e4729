//! The Jupyter side of the rcourse kernel: the wire and the protocol
//! handlers, behind an interpreter interface.
//!
//! - [`Interpreter`]: what a language engine implements (xeus's
//!   `xinterpreter` shape): [`execute`](Interpreter::execute),
//!   [`complete`](Interpreter::complete), [`inspect`](Interpreter::inspect),
//!   [`is_complete`](Interpreter::is_complete),
//!   [`interrupt`](Interpreter::interrupt), [`shutdown`](Interpreter::shutdown)
//!   and [`kernel_info`](Interpreter::kernel_info).
//! - [`RunningCell`]: the publish helpers an interpreter uses while a cell
//!   runs (streams, displays, display updates, clear_output, input
//!   requests); [`InputAnswer`] is the answer to an input request.
//! - The types that cross the interface: [`CellOutcome`] and [`CellError`],
//!   [`OutputEvent`], [`Completions`], [`Documentation`], [`Completeness`],
//!   [`KernelInfo`], and [`MimeBundle`] (from `rcourse-cell`).
//! - [`run`] serves a connection until shutdown, the way `rcourse kernel`
//!   does; [`start`] returns a [`RunningKernel`] for tests and embedding.
//! - [`mock::Mock`]: an interpreter scripted by the cell's text, to test the
//!   protocol (and clients of the kernel) without a language behind it.
//!
//! The protocol owns every chore of the Jupyter messaging protocol: busy
//! and idle around each request, `execute_input`, execution counts,
//! `silent`, `store_history`, user expressions, aborting the execute
//! requests queued behind a failed cell, coalescing stream output, history,
//! `kernel_info`, the `name?` pager, and signals. Internally, the wire
//! (`wire`: ZeroMQ sockets, HMAC signing, framing) hands verified messages
//! to one loop per channel (`shell`, `control`, `stdin`), and running cells'
//! outputs reach iopub through the output router (`outputs`).

mod cell;
mod control;
mod execute;
mod history;
mod info;
mod inspect;
mod interpreter;
mod kernel;
pub mod mock;
mod outputs;
mod shell;
mod stdin;
mod wire;

pub use cell::{InputAnswer, RunningCell};
pub use history::jupyter_data_dir;
pub use info::PROTOCOL_VERSION;
pub use interpreter::{
    CellError, CellOutcome, CodeMirrorMode, Completeness, Completions, Documentation, HelpLink,
    Interpreter, KernelInfo, LanguageInfo, OutputEvent,
};
pub use jupyter_protocol::ConnectionInfo;
pub use kernel::{KernelOptions, RunningKernel, read_connection_file, run, start};
pub use rcourse_cell::MimeBundle;

use jupyter_protocol::Media;

/// Converts a MIME bundle into the protocol's media type.
fn media(bundle: MimeBundle) -> Media {
    serde_json::from_value(serde_json::json!(bundle)).unwrap_or_default()
}
