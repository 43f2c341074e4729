//! The output thread: turns what the cell process prints into [`OutputEvent`]s
//! published through the running cell.
//!
//! It reads evcxr's stdout and stderr channels and the session's "cell
//! finished" signal on one thread, so the events keep the order in which the
//! lines were printed and the cell's end is reported after its output.
//! Lines that carry the course library's display protocol become display
//! events; the panic hook's line marks the cell as failed.
//!
//! A cell's output is capped ([`OUTPUT_LIMIT_ENV`], 8 MiB by default): what
//! comes after the cap is dropped, and one note at the cell's end says how
//! much, so a cell that prints without end fills neither the kernel's
//! memory nor the notebook.

use super::{CellError, MimeBundle, OutputEvent};
use crossbeam_channel::{Receiver, Sender, never, select};
use evcxr::EvalContextOutputs;
use rcourse_cell::{DisplayMessage, ERROR_RETURNED, OUTPUT_LIMIT_ENV, PANIC_ESCAPED, PanicLine};
use rcourse_protocol::{CellOutcome, RunningCell};
use std::time::Duration;
use tokio::sync::oneshot;

/// How long stderr may stay busy after a cell before its end is reported.
const STDERR_GRACE: Duration = Duration::from_millis(10);

/// The most output a cell may publish when [`OUTPUT_LIMIT_ENV`] is unset.
const DEFAULT_OUTPUT_LIMIT: usize = 8 << 20;

/// The output limit of this kernel, in bytes.
fn output_limit() -> usize {
    std::env::var(OUTPUT_LIMIT_ENV)
        .ok()
        .and_then(|kb| kb.trim().parse::<usize>().ok())
        .filter(|&kb| kb > 0)
        .map_or(DEFAULT_OUTPUT_LIMIT, |kb| kb.saturating_mul(1024))
}

/// Signals from the session thread to the output thread.
pub enum Finish {
    /// A cell starts: its output goes to `cell`, its end to `done`.
    Begin {
        cell: RunningCell,
        done: oneshot::Sender<CellOutcome>,
    },
    /// A notice to print on stderr before the next cell's output.
    Note(String),
    /// Text the kernel prints on the cell's stdout (a magic's listing).
    Print(String),
    /// Text the kernel prints on the cell's stderr after everything the
    /// cell printed (rustc's warnings).
    After(String),
    /// The running cell has ended like this.
    Cell(Result<Option<MimeBundle>, CellError>),
}

/// Starts the output thread; returns where to send [`Finish`] signals.
pub fn spawn(outputs: EvalContextOutputs) -> Sender<Finish> {
    let (finish, finished) = crossbeam_channel::unbounded();
    std::thread::Builder::new()
        .name("cell-output".into())
        .spawn(move || {
            Forwarder {
                cell: None,
                done: None,
                panic: None,
                escaped: false,
                returned_error: false,
                budget: Budget::new(output_limit()),
            }
            .run(outputs.stdout, outputs.stderr, finished)
        })
        .expect("the output thread can be spawned");
    finish
}

struct Forwarder {
    /// The cell whose output this is (the last one to start; output that
    /// arrives after its end still belongs to it).
    cell: Option<RunningCell>,
    /// Where the running cell's end goes.
    done: Option<oneshot::Sender<CellOutcome>>,
    /// The message of a panic on the cell's own thread.
    panic: Option<String>,
    /// Whether that panic escaped the cell's code (else the cell caught it).
    escaped: bool,
    /// Whether the cell's code returned an error through `?`.
    returned_error: bool,
    /// How much more output the running cell may publish.
    budget: Budget,
}

/// The output a cell has published and dropped, against the limit.
struct Budget {
    limit: usize,
    published: usize,
    dropped: usize,
}

impl Budget {
    fn new(limit: usize) -> Budget {
        Budget {
            limit,
            published: 0,
            dropped: 0,
        }
    }

    /// Counts an event of `size` bytes; whether it may be published.
    fn spend(&mut self, size: usize) -> bool {
        if self.dropped == 0 && self.published.saturating_add(size) <= self.limit {
            self.published += size;
            true
        } else {
            self.dropped = self.dropped.saturating_add(size);
            false
        }
    }

    /// The note for a cell whose output was cut, and a fresh budget.
    fn settle(&mut self) -> Option<String> {
        let dropped = std::mem::take(&mut self.dropped);
        self.published = 0;
        (dropped > 0).then(|| {
            format!(
                "[rcourse] {} of this cell's output were left out: a cell shows at most {}",
                human_bytes(dropped),
                human_bytes(self.limit)
            )
        })
    }
}

/// `1.5 MiB`, `300 KiB`, `12 bytes`.
fn human_bytes(bytes: usize) -> String {
    match bytes {
        0..1024 => format!("{bytes} bytes"),
        1024..1_048_576 => format!("{:.0} KiB", bytes as f64 / 1024.0),
        _ => format!("{:.1} MiB", bytes as f64 / 1_048_576.0),
    }
}

/// The bytes an event carries.
fn event_size(event: &OutputEvent) -> usize {
    match event {
        OutputEvent::Stream { text, .. } => text.len(),
        OutputEvent::Display { data, .. } => data.iter().map(|(m, c)| m.len() + c.len()).sum(),
        OutputEvent::Clear { .. } => 0,
    }
}

impl Forwarder {
    fn run(
        mut self,
        stdout: Receiver<String>,
        stderr: Receiver<String>,
        finished: Receiver<Finish>,
    ) {
        let (mut stdout, mut stderr) = (stdout, stderr);
        loop {
            select! {
                recv(stdout) -> line => match line {
                    Ok(line) => self.stdout_line(line),
                    Err(_) => stdout = never(),
                },
                recv(stderr) -> line => match line {
                    Ok(line) => self.stream(true, line),
                    Err(_) => stderr = never(),
                },
                recv(finished) -> signal => match signal {
                    Ok(Finish::Begin { cell, done }) => {
                        self.cell = Some(cell);
                        self.done = Some(done);
                        self.budget.settle();
                    }
                    Ok(Finish::Note(note)) => self.stream(true, note),
                    Ok(Finish::Print(text)) => self.stream(false, text),
                    Ok(Finish::After(text)) => {
                        self.catch_up(&stdout, &stderr);
                        self.stream(true, text);
                    }
                    Ok(Finish::Cell(outcome)) => {
                        self.catch_up(&stdout, &stderr);
                        if let Some(note) = self.budget.settle() {
                            self.publish(OutputEvent::Stream { stderr: true, text: note + "\n" });
                        }
                        let outcome = self.with_failure(outcome);
                        match self.done.take() {
                            Some(done) => {
                                let _ = done.send(outcome);
                            }
                            None => log::warn!("a cell ended that nobody was waiting for"),
                        }
                    }
                    Err(_) => return,
                },
            }
        }
    }

    /// Forwards what the cell printed and is still waiting to be read.
    fn catch_up(&mut self, stdout: &Receiver<String>, stderr: &Receiver<String>) {
        for line in stdout.try_iter().collect::<Vec<_>>() {
            self.stdout_line(line);
        }
        while let Ok(line) = stderr.recv_timeout(STDERR_GRACE) {
            self.stream(true, line);
        }
    }

    fn stdout_line(&mut self, line: String) {
        if let Some(message) = DisplayMessage::parse_line(&line) {
            self.send(display_event(message));
        } else if line == PANIC_ESCAPED {
            self.escaped = true;
        } else if line == ERROR_RETURNED {
            self.returned_error = true;
        } else if let Some(panic) = PanicLine::parse(&line) {
            if panic.on_cell_thread() {
                self.panic = Some(panic.message);
            } else {
                let PanicLine { thread, message } = panic;
                self.stream(true, format!("thread '{thread}' panicked: {message}"));
            }
        } else {
            self.stream(false, line);
        }
    }

    fn stream(&mut self, stderr: bool, mut text: String) {
        text.push('\n');
        self.send(OutputEvent::Stream { stderr, text });
    }

    /// Publishes an event of the cell, within its budget.
    fn send(&mut self, event: OutputEvent) {
        if self.budget.spend(event_size(&event)) {
            self.publish(event);
        }
    }

    fn publish(&self, event: OutputEvent) {
        match &self.cell {
            Some(cell) => cell.publish(event),
            None => log::debug!("output before the first cell was dropped: {event:?}"),
        }
    }

    /// The cell's outcome, failed when its code panicked or returned an
    /// error through `?`, which evcxr counts as a success.
    fn with_failure(
        &mut self,
        outcome: Result<Option<MimeBundle>, CellError>,
    ) -> Result<Option<MimeBundle>, CellError> {
        let escaped = std::mem::take(&mut self.escaped);
        if std::mem::take(&mut self.returned_error) && outcome.is_ok() && self.panic.is_none() {
            let headline = "the cell's `?` returned an error (its message is printed above)";
            return Err(CellError {
                ename: "Error".into(),
                evalue: headline.into(),
                traceback: vec![
                    format!("\x1b[1;31mError\x1b[0m: {headline}"),
                    "Variables from earlier cells are kept; the ones this cell defined are not."
                        .into(),
                ],
            });
        }
        match (self.panic.take(), outcome) {
            (Some(message), Ok(value)) if !escaped => {
                // Caught by the cell (`catch_unwind`): reported as Rust's
                // default hook would, and the cell goes on.
                self.stream(true, format!("thread 'cell' panicked: {message}"));
                Ok(value)
            }
            (Some(message), Ok(_)) => Err(CellError {
                ename: "panic".into(),
                evalue: message.clone(),
                traceback: vec![
                    format!("\x1b[1;31mpanicked\x1b[0m: {message}"),
                    "Variables from earlier cells are kept; the ones this cell defined are not."
                        .into(),
                ],
            }),
            (_, outcome) => outcome,
        }
    }
}

/// The event for one display line of the cell.
fn display_event(message: DisplayMessage) -> OutputEvent {
    if message.clear {
        OutputEvent::Clear { wait: message.wait }
    } else {
        OutputEvent::Display {
            data: message.data,
            display_id: message.display_id,
            update: message.update,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_past_the_limit_is_dropped_and_noted_once() {
        let mut budget = Budget::new(10);
        assert!(budget.spend(6));
        assert!(!budget.spend(6), "over the limit");
        assert!(
            !budget.spend(1),
            "nothing after the first drop, to keep the order"
        );
        let note = budget.settle().unwrap();
        assert!(
            note.contains("7 bytes") && note.contains("10 bytes"),
            "{note}"
        );
        assert!(budget.spend(10), "a new cell has the whole budget");
        assert_eq!(budget.settle(), None);
        assert_eq!(human_bytes(3 << 20), "3.0 MiB");
    }

    fn parse_display(line: &str) -> Option<OutputEvent> {
        DisplayMessage::parse_line(line).map(display_event)
    }

    #[test]
    fn display_lines_parse() {
        let event = parse_display(
            r#"RCOURSE_DISPLAY {"data":{"text/html":"<b>x</b>"},"display_id":"p","update":true}"#,
        );
        match event {
            Some(OutputEvent::Display {
                data,
                display_id,
                update,
            }) => {
                assert_eq!(data.get("text/html"), Some("<b>x</b>"));
                assert_eq!(display_id.as_deref(), Some("p"));
                assert!(update);
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(matches!(
            parse_display(r#"RCOURSE_DISPLAY {"clear":true}"#),
            Some(OutputEvent::Clear { wait: false })
        ));
        assert!(parse_display("RCOURSE_DISPLAY not json").is_none());
    }
}
