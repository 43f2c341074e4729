//! The output router: turns what running cells show into iopub messages.
//!
//! Stream text is coalesced: lines are gathered and published every
//! [`FLUSH_EVERY`] or when [`FLUSH_BYTES`] have piled up, so a cell that
//! prints 100,000 lines sends a few hundred messages, not 100,000, and
//! nothing waits for the cell to end. Anything that is not a stream first
//! flushes what is pending, so the notebook shows outputs in order; an
//! input request does too, so a prompt follows the text printed before it.

use crate::interpreter::OutputEvent;
use crate::media;
use crate::stdin::InputQuestion;
use crate::wire::Publisher;
use jupyter_protocol::{
    ClearOutput, DisplayData, JupyterMessage, JupyterMessageContent, Stdio, StreamContent,
    Transient, UpdateDisplayData,
};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

/// How often pending stream text is published while a cell runs.
const FLUSH_EVERY: Duration = Duration::from_millis(50);
/// Pending stream text above this size is published at once.
const FLUSH_BYTES: usize = 256 * 1024;

/// What [`crate::RunningCell`] hands to the router.
pub(crate) enum Routed {
    /// An output of the cell that `parent` asked to run.
    Output {
        parent: Arc<JupyterMessage>,
        event: OutputEvent,
    },
    /// A question for the stdin channel.
    Input(InputQuestion),
    /// Publish everything pending, then answer.
    Flush(oneshot::Sender<()>),
}

/// Starts the router task; questions go on to `questions`.
pub(crate) fn start(
    iopub: Publisher,
    questions: mpsc::UnboundedSender<InputQuestion>,
) -> mpsc::UnboundedSender<Routed> {
    let (sender, receiver) = mpsc::unbounded_channel();
    let router = Router {
        iopub,
        questions,
        pending: Pending::default(),
    };
    tokio::spawn(router.run(receiver));
    sender
}

struct Router {
    iopub: Publisher,
    questions: mpsc::UnboundedSender<InputQuestion>,
    pending: Pending,
}

/// Stream text not yet published.
#[derive(Default)]
struct Pending {
    parent: Option<Arc<JupyterMessage>>,
    stderr: bool,
    text: String,
}

impl Pending {
    /// Whether `text` for this stream of this parent may join what is pending.
    fn accepts(&self, parent: &Arc<JupyterMessage>, stderr: bool) -> bool {
        self.text.is_empty()
            || (self.stderr == stderr
                && self.parent.as_ref().is_some_and(|p| Arc::ptr_eq(p, parent)))
    }
}

impl Router {
    async fn run(mut self, mut incoming: mpsc::UnboundedReceiver<Routed>) {
        let mut tick = tokio::time::interval(FLUSH_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                routed = incoming.recv() => match routed {
                    Some(routed) => self.handle(routed),
                    None => {
                        self.flush();
                        return;
                    }
                },
                _ = tick.tick() => self.flush(),
            }
        }
    }

    fn handle(&mut self, routed: Routed) {
        match routed {
            Routed::Output { parent, event } => self.output(parent, event),
            Routed::Input(question) => {
                self.flush();
                if let Err(unsent) = self.questions.send(question) {
                    log::warn!("an input request was dropped: the stdin loop has stopped");
                    let _ = unsent.0.answer.send(String::new());
                }
            }
            Routed::Flush(done) => {
                self.flush();
                let _ = done.send(());
            }
        }
    }

    fn output(&mut self, parent: Arc<JupyterMessage>, event: OutputEvent) {
        let content: JupyterMessageContent = match event {
            OutputEvent::Stream { stderr, text } => {
                if !self.pending.accepts(&parent, stderr) {
                    self.flush();
                }
                self.pending.parent = Some(parent);
                self.pending.stderr = stderr;
                self.pending.text.push_str(&text);
                if self.pending.text.len() >= FLUSH_BYTES {
                    self.flush();
                }
                return;
            }
            OutputEvent::Display {
                data,
                display_id: Some(id),
                update: true,
            } => UpdateDisplayData::new(media(data), &id).into(),
            OutputEvent::Display {
                data, display_id, ..
            } => DisplayData {
                data: media(data),
                metadata: Default::default(),
                transient: display_id.map(|id| Transient {
                    display_id: Some(id),
                }),
            }
            .into(),
            OutputEvent::Clear { wait } => ClearOutput { wait }.into(),
        };
        self.flush();
        self.iopub
            .publish(JupyterMessage::new(content, Some(&parent)));
    }

    fn flush(&mut self) {
        if self.pending.text.is_empty() {
            return;
        }
        let text = std::mem::take(&mut self.pending.text);
        let name = if self.pending.stderr {
            Stdio::Stderr
        } else {
            Stdio::Stdout
        };
        let parent = self.pending.parent.as_deref();
        self.iopub
            .publish(JupyterMessage::new(StreamContent { name, text }, parent));
    }
}
