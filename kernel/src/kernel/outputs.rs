//! Turns the engine's output events into iopub messages for the running cell.
//!
//! Stream text is coalesced: lines are gathered and published every
//! [`FLUSH_EVERY`] or when [`FLUSH_BYTES`] have piled up, so a cell that
//! prints 100,000 lines sends a few hundred messages, not 100,000, and
//! nothing waits for the cell to end. Anything that is not a stream first
//! flushes what is pending, so the notebook shows outputs in order.

use super::{Kernel, media};
use crate::engine::{CellError, MimeBundle, OutputEvent};
use jupyter_protocol::{
    ClearOutput, DisplayData, Stdio, StreamContent, Transient, UpdateDisplayData,
};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

/// How often pending stream text is published while a cell runs.
const FLUSH_EVERY: Duration = Duration::from_millis(50);
/// Pending stream text above this size is published at once.
const FLUSH_BYTES: usize = 256 * 1024;

/// How a cell ended, as the engine reported it.
pub type CellOutcome = Result<Option<MimeBundle>, CellError>;

/// Who gets the end of the running cell, and whether its output is shown.
#[derive(Default)]
pub struct Router {
    waiting: Mutex<Option<Waiting>>,
}

struct Waiting {
    silent: bool,
    done: oneshot::Sender<CellOutcome>,
}

impl Router {
    /// Registers the cell about to run; its end arrives on the returned channel.
    pub fn expect_cell(&self, silent: bool) -> oneshot::Receiver<CellOutcome> {
        let (done, outcome) = oneshot::channel();
        *self.waiting.lock().unwrap_or_else(|e| e.into_inner()) = Some(Waiting { silent, done });
        outcome
    }

    fn silent(&self) -> bool {
        self.waiting
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .is_some_and(|w| w.silent)
    }

    fn finish(&self, outcome: CellOutcome) {
        let waiting = self
            .waiting
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        match waiting {
            Some(waiting) => {
                let _ = waiting.done.send(outcome);
            }
            None => crate::wire::log("a cell ended that nobody was waiting for"),
        }
    }
}

/// Stream text not yet published.
#[derive(Default)]
struct Pending {
    stderr: bool,
    text: String,
}

/// The router task: runs for the kernel's lifetime.
pub async fn route(kernel: Arc<Kernel>, mut events: mpsc::UnboundedReceiver<OutputEvent>) {
    let mut pending = Pending::default();
    let mut tick = tokio::time::interval(FLUSH_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            event = events.recv() => {
                let Some(event) = event else { return };
                handle(&kernel, &mut pending, event);
            }
            _ = tick.tick() => flush(&kernel, &mut pending),
        }
    }
}

fn handle(kernel: &Kernel, pending: &mut Pending, event: OutputEvent) {
    match event {
        OutputEvent::Stream { stderr, text } => {
            if pending.stderr != stderr {
                flush(kernel, pending);
                pending.stderr = stderr;
            }
            pending.text.push_str(&text);
            if pending.text.len() >= FLUSH_BYTES {
                flush(kernel, pending);
            }
        }
        OutputEvent::Display {
            data,
            display_id,
            update,
        } => {
            flush(kernel, pending);
            let transient = display_id.clone().map(|id| Transient {
                display_id: Some(id),
            });
            match (update, display_id) {
                (true, Some(id)) => publish(kernel, UpdateDisplayData::new(media(data), &id)),
                _ => publish(
                    kernel,
                    DisplayData {
                        data: media(data),
                        metadata: Default::default(),
                        transient,
                    },
                ),
            }
        }
        OutputEvent::Clear { wait } => {
            flush(kernel, pending);
            publish(kernel, ClearOutput { wait });
        }
        OutputEvent::Finished(outcome) => {
            flush(kernel, pending);
            kernel.outputs.finish(outcome);
        }
    }
}

fn flush(kernel: &Kernel, pending: &mut Pending) {
    if pending.text.is_empty() {
        return;
    }
    let text = std::mem::take(&mut pending.text);
    let name = if pending.stderr {
        Stdio::Stderr
    } else {
        Stdio::Stdout
    };
    publish(kernel, StreamContent { name, text });
}

/// Publishes an output as a child of the running cell, unless it is silent.
fn publish(kernel: &Kernel, content: impl Into<jupyter_protocol::JupyterMessageContent>) {
    if kernel.outputs.silent() {
        return;
    }
    let parent = kernel
        .current
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    kernel.publish(content, parent.as_ref());
}
