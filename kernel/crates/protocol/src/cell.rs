//! [`RunningCell`]: the publish helpers an interpreter uses while a cell runs.

use crate::interpreter::OutputEvent;
use crate::outputs::Routed;
use crate::stdin::InputQuestion;
use jupyter_protocol::JupyterMessage;
use rcourse_cell::MimeBundle;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// The cell being run, as its interpreter sees it: where its outputs and
/// input requests go.
///
/// Cloning is cheap, and a clone may be moved to any thread. Outputs are
/// published as children of the cell's `execute_request`, stream text is
/// coalesced, and nothing is published for a silent cell.
#[derive(Clone)]
pub struct RunningCell {
    parent: Arc<JupyterMessage>,
    silent: bool,
    allow_stdin: bool,
    outputs: mpsc::UnboundedSender<Routed>,
}

impl RunningCell {
    pub(crate) fn new(
        parent: &JupyterMessage,
        silent: bool,
        allow_stdin: bool,
        outputs: mpsc::UnboundedSender<Routed>,
    ) -> RunningCell {
        RunningCell {
            parent: Arc::new(parent.clone()),
            silent,
            allow_stdin,
            outputs,
        }
    }

    /// Publishes one output of the cell.
    pub fn publish(&self, event: OutputEvent) {
        if self.silent {
            return;
        }
        self.route(Routed::Output {
            parent: Arc::clone(&self.parent),
            event,
        });
    }

    /// Publishes text written to stdout (`stderr == false`) or stderr.
    pub fn stream(&self, stderr: bool, text: impl Into<String>) {
        self.publish(OutputEvent::Stream {
            stderr,
            text: text.into(),
        });
    }

    /// Shows a rich output, named `display_id` if it may be updated later.
    pub fn display(&self, data: MimeBundle, display_id: Option<String>) {
        self.publish(OutputEvent::Display {
            data,
            display_id,
            update: false,
        });
    }

    /// Replaces the output named `display_id`, wherever it is shown.
    pub fn update_display(&self, data: MimeBundle, display_id: impl Into<String>) {
        self.publish(OutputEvent::Display {
            data,
            display_id: Some(display_id.into()),
            update: true,
        });
    }

    /// Clears the cell's output (with `wait`, when the next output arrives).
    pub fn clear_output(&self, wait: bool) {
        self.publish(OutputEvent::Clear { wait });
    }

    /// Asks the person at the notebook for a line of input.
    ///
    /// Output published before is shown first. When the request did not
    /// allow input (`allow_stdin: false`), the answer is an empty line at
    /// once.
    pub fn input(&self, prompt: &str, password: bool) -> InputAnswer {
        let (answer, receiver) = oneshot::channel();
        if self.allow_stdin {
            self.route(Routed::Input(InputQuestion {
                parent: Arc::clone(&self.parent),
                prompt: prompt.to_owned(),
                password,
                answer,
            }));
        } else {
            let _ = answer.send(String::new());
        }
        InputAnswer(receiver)
    }

    /// Whether the cell runs silently (its outputs are not published).
    pub fn is_silent(&self) -> bool {
        self.silent
    }

    /// Waits until everything published so far has been handed to iopub.
    pub(crate) async fn flush(&self) {
        let (done, flushed) = oneshot::channel();
        self.route(Routed::Flush(done));
        let _ = flushed.await;
    }

    fn route(&self, routed: Routed) {
        if self.outputs.send(routed).is_err() {
            log::warn!("an output was dropped: the output router has stopped");
        }
    }
}

/// The answer to [`RunningCell::input`], once the frontend sends it.
pub struct InputAnswer(oneshot::Receiver<String>);

impl InputAnswer {
    /// Blocks the calling thread until the answer arrives (for an
    /// interpreter's own threads; async code uses [`InputAnswer::recv`]).
    /// Empty if the kernel stops first.
    pub fn wait(self) -> String {
        self.0.blocking_recv().unwrap_or_default()
    }

    /// Waits for the answer; empty if the kernel stops first.
    pub async fn recv(self) -> String {
        self.0.await.unwrap_or_default()
    }
}
