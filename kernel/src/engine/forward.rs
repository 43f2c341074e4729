//! The output thread: turns what the cell process prints into [`OutputEvent`]s.
//!
//! It reads evcxr's stdout and stderr channels and the session's "cell
//! finished" signal on one thread, so the events keep the order in which the
//! lines were printed and `Finished` always comes after the cell's output.
//! Lines that carry the course library's display protocol become display
//! events; the panic hook's line marks the cell as failed.

use super::preload::{DISPLAY_MARKER, PANIC_ESCAPED, PANIC_MARKER};
use super::{CellError, MimeBundle, OutputEvent};
use crossbeam_channel::{Receiver, Sender, never, select};
use evcxr::EvalContextOutputs;
use serde::Deserialize;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;

/// How long stderr may stay busy after a cell before `Finished` is sent.
const STDERR_GRACE: Duration = Duration::from_millis(10);

/// Signals from the session thread to the output thread.
pub enum Finish {
    /// A notice to print on stderr before the next cell's output.
    Note(String),
    /// Text the kernel prints on the cell's stdout (a magic's listing).
    Print(String),
    /// The running cell has ended like this.
    Cell(Result<Option<MimeBundle>, CellError>),
}

/// Starts the output thread; returns where to send [`Finish`] signals.
pub fn spawn(outputs: EvalContextOutputs, events: UnboundedSender<OutputEvent>) -> Sender<Finish> {
    let (finish, finished) = crossbeam_channel::unbounded();
    std::thread::Builder::new()
        .name("cell-output".into())
        .spawn(move || {
            Forwarder {
                events,
                panic: None,
                escaped: false,
            }
            .run(outputs.stdout, outputs.stderr, finished)
        })
        .expect("the output thread can be spawned");
    finish
}

struct Forwarder {
    events: UnboundedSender<OutputEvent>,
    /// The message of a panic on the cell's own thread.
    panic: Option<String>,
    /// Whether that panic escaped the cell's code (else the cell caught it).
    escaped: bool,
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
                    Ok(Finish::Note(note)) => self.stream(true, note),
                    Ok(Finish::Print(text)) => self.stream(false, text),
                    Ok(Finish::Cell(outcome)) => {
                        for line in stdout.try_iter().collect::<Vec<_>>() {
                            self.stdout_line(line);
                        }
                        while let Ok(line) = stderr.recv_timeout(STDERR_GRACE) {
                            self.stream(true, line);
                        }
                        let outcome = self.with_panic(outcome);
                        self.send(OutputEvent::Finished(outcome));
                    }
                    Err(_) => return,
                },
            }
        }
    }

    fn stdout_line(&mut self, line: String) {
        if let Some(json) = line.strip_prefix(DISPLAY_MARKER) {
            match parse_display(json) {
                Some(event) => self.send(event),
                None => self.stream(false, line),
            }
        } else if line == PANIC_ESCAPED {
            self.escaped = true;
        } else if let Some(panic) = line.strip_prefix(PANIC_MARKER) {
            let (thread, message) = panic.split_once('\t').unwrap_or(("cell", panic));
            let message = unescape(message);
            if thread == "cell" {
                self.panic = Some(message);
            } else {
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
        let _ = self.events.send(event);
    }

    fn with_panic(
        &mut self,
        outcome: Result<Option<MimeBundle>, CellError>,
    ) -> Result<Option<MimeBundle>, CellError> {
        let escaped = std::mem::take(&mut self.escaped);
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

/// One display line of the course library's protocol.
#[derive(Deserialize)]
struct DisplayLine {
    #[serde(default)]
    data: MimeBundle,
    #[serde(default)]
    display_id: Option<String>,
    #[serde(default)]
    update: bool,
    #[serde(default)]
    clear: bool,
    #[serde(default)]
    wait: bool,
}

fn parse_display(json: &str) -> Option<OutputEvent> {
    let line: DisplayLine = serde_json::from_str(json).ok()?;
    Some(if line.clear {
        OutputEvent::Clear { wait: line.wait }
    } else {
        OutputEvent::Display {
            data: line.data,
            display_id: line.display_id,
            update: line.update,
        }
    })
}

/// Reverses the panic hook's escaping of backslashes and newlines.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescape_reverses_the_hook() {
        assert_eq!(unescape(r"a\nb\\n"), "a\nb\\n");
    }

    #[test]
    fn display_lines_parse() {
        let event =
            parse_display(r#"{"data":{"text/html":"<b>x</b>"},"display_id":"p","update":true}"#);
        match event {
            Some(OutputEvent::Display {
                data,
                display_id,
                update,
            }) => {
                assert_eq!(data["text/html"], "<b>x</b>");
                assert_eq!(display_id.as_deref(), Some("p"));
                assert!(update);
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(matches!(
            parse_display(r#"{"clear":true}"#),
            Some(OutputEvent::Clear { wait: false })
        ));
        assert!(parse_display("not json").is_none());
    }
}
