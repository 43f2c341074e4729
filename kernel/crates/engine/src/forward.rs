//! The output thread: turns what the cell process prints into [`OutputEvent`]s
//! published through the running cell.
//!
//! It reads evcxr's stdout and stderr channels and the session's "cell
//! finished" signal on one thread, so the events keep the order in which the
//! lines were printed and the cell's end is reported after its output.
//! Lines that carry the course library's display protocol become display
//! events; the panic hook's line marks the cell as failed.

use super::{CellError, MimeBundle, OutputEvent};
use crossbeam_channel::{Receiver, Sender, never, select};
use evcxr::EvalContextOutputs;
use rcourse_cell::{DisplayMessage, ERROR_RETURNED, PANIC_ESCAPED, PanicLine};
use rcourse_protocol::{CellOutcome, RunningCell};
use std::time::Duration;
use tokio::sync::oneshot;

/// How long stderr may stay busy after a cell before its end is reported.
const STDERR_GRACE: Duration = Duration::from_millis(10);

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
                    }
                    Ok(Finish::Note(note)) => self.stream(true, note),
                    Ok(Finish::Print(text)) => self.stream(false, text),
                    Ok(Finish::After(text)) => {
                        self.catch_up(&stdout, &stderr);
                        self.stream(true, text);
                    }
                    Ok(Finish::Cell(outcome)) => {
                        self.catch_up(&stdout, &stderr);
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

    fn stream(&self, stderr: bool, mut text: String) {
        text.push('\n');
        self.send(OutputEvent::Stream { stderr, text });
    }

    fn send(&self, event: OutputEvent) {
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
