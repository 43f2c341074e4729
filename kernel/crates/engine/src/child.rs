//! In the process that runs cells: keeps rich outputs apart.
//!
//! evcxr reads the cell process's stdout and merges every
//! `EVCXR_BEGIN_CONTENT` block of a cell into one map, so a cell that shows
//! two HTML tables would show only the last. This filter sits between the
//! cell and evcxr, on the cell process's side of the pipe: a group of
//! content blocks that is followed by more output is turned into a display
//! line of the kernel's own protocol (shown at once, in order), and only the
//! group that ends the cell, the trailing expression's value, reaches evcxr
//! as it was.

use rcourse_cell::evcxr::{
    BEGIN_CONTENT, END_CONTENT, EXECUTION_COMPLETE, INPUT_REQUEST, MARKER_PREFIX,
    PANIC_NOTIFICATION, RUNTIME_ENV_VAR,
};
use rcourse_cell::{DISPLAY_PREFIX, DisplayMessage, MimeBundle, PANIC_ESCAPED, PANIC_PREFIX};
use std::io::{BufRead, BufReader, Write};
use std::os::fd::FromRawFd;

/// Stands in for `:` in input prompts on their way to evcxr, which keeps
/// only the text between the first and second colon of a request line.
pub const PROMPT_COLON: char = '\u{F03A}';

/// Whether evcxr started this process to run cells.
pub fn is_child_process() -> bool {
    std::env::var_os(RUNTIME_ENV_VAR).is_some()
}

/// Replaces this process's stdout with a pipe read by the filter thread,
/// which writes to the real stdout. Leaves stdout alone if that fails.
pub fn install_output_filter() {
    let mut fds = [0; 2];
    // SAFETY: plain descriptor calls on descriptors this function owns; the
    // process has one thread at this point.
    unsafe {
        if libc::pipe(fds.as_mut_ptr()) != 0 {
            return;
        }
        let real_stdout = libc::dup(1);
        if real_stdout < 0 || libc::dup2(fds[1], 1) < 0 {
            libc::close(fds[0]);
            libc::close(fds[1]);
            return;
        }
        libc::close(fds[1]);
        let from_cells = std::fs::File::from_raw_fd(fds[0]);
        let to_evcxr = std::fs::File::from_raw_fd(real_stdout);
        std::thread::spawn(move || {
            let _ = filter(BufReader::new(from_cells), to_evcxr);
        });
    }
}

/// Copies `input` to `output` line by line, regrouping content blocks.
/// Bytes that are not UTF-8 are replaced rather than stopping the copy.
fn filter(mut input: impl BufRead, mut output: impl Write) -> std::io::Result<()> {
    let mut grouper = Grouper::default();
    let mut buffer = Vec::new();
    loop {
        buffer.clear();
        if input.read_until(b'\n', &mut buffer)? == 0 {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&buffer);
        let line = text.strip_suffix('\n').unwrap_or(&text);
        for part in grouper.split(line) {
            if part == PANIC_NOTIFICATION {
                output.write_all(PANIC_ESCAPED.as_bytes())?;
                output.write_all(b"\n")?;
            }
            for out in grouper.line(part.to_owned()) {
                output.write_all(out.as_bytes())?;
                output.write_all(b"\n")?;
            }
        }
        output.flush()?;
    }
}

#[derive(Default)]
struct Grouper {
    /// Complete blocks since the last other output: (mime type, content).
    group: Vec<(String, String)>,
    /// The block being read: its mime type and lines so far.
    open: Option<(String, Vec<String>)>,
}

impl Grouper {
    /// Splits a line where a marker follows text that a cell printed
    /// without a newline (`print!("x")` then a display, or the end of the
    /// cell): the marker must start its own line to be recognised. Lines
    /// inside a content block are content and stay whole.
    fn split<'a>(&self, line: &'a str) -> Vec<&'a str> {
        if self.open.is_some() {
            return vec![line];
        }
        let starts = [BEGIN_CONTENT, DISPLAY_PREFIX, PANIC_PREFIX, INPUT_REQUEST];
        if starts.iter().any(|marker| line.starts_with(marker)) || line == EXECUTION_COMPLETE {
            return vec![line];
        }
        let found = starts
            .iter()
            .filter_map(|marker| line.find(marker))
            .chain(line.strip_suffix(EXECUTION_COMPLETE).map(str::len))
            .filter(|&at| at > 0)
            .min();
        match found {
            Some(at) => {
                let mut parts = vec![&line[..at]];
                parts.extend(self.split(&line[at..]));
                parts
            }
            None => vec![line],
        }
    }

    /// The lines to pass on for one input line.
    fn line(&mut self, line: String) -> Vec<String> {
        if let Some((mime, mut lines)) = self.open.take() {
            if line == END_CONTENT {
                let mut out = Vec::new();
                if self.group.iter().any(|(m, _)| *m == mime) {
                    out.extend(self.display_group());
                }
                self.group.push((mime, lines.join("\n")));
                return out;
            }
            if line.starts_with(MARKER_PREFIX) && !line.starts_with(BEGIN_CONTENT) {
                // evcxr gives up on an unfinished block at its own markers; pass it as it came.
                let mut out = self.display_group().into_iter().collect::<Vec<_>>();
                out.push(format!("{BEGIN_CONTENT}{mime}"));
                out.extend(lines);
                out.push(line);
                return out;
            }
            lines.push(line);
            self.open = Some((mime, lines));
            return Vec::new();
        }
        if let Some(mime) = line.strip_prefix(BEGIN_CONTENT) {
            self.open = Some((mime.trim().to_owned(), Vec::new()));
            return Vec::new();
        }
        let mut out = Vec::new();
        if let Some((kind, prompt)) = line
            .strip_prefix(INPUT_REQUEST)
            .and_then(|request| request.split_once(':'))
        {
            out.extend(self.display_group());
            let prompt = prompt.replace(':', &PROMPT_COLON.to_string());
            out.push(format!("{INPUT_REQUEST}{kind}:{prompt}"));
            return out;
        }
        if line == EXECUTION_COMPLETE {
            for (mime, content) in self.group.drain(..) {
                out.push(format!("{BEGIN_CONTENT}{mime}"));
                out.push(content);
                out.push(END_CONTENT.to_owned());
            }
        } else {
            out.extend(self.display_group());
        }
        out.push(line);
        out
    }

    /// The pending group as one display line of the kernel's protocol.
    fn display_group(&mut self) -> Option<String> {
        if self.group.is_empty() {
            return None;
        }
        let data: MimeBundle = self.group.drain(..).collect();
        let line = DisplayMessage::show(data).to_line();
        Some(line.strip_suffix('\n').unwrap_or(&line).to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(lines: &[&str]) -> Vec<String> {
        let mut grouper = Grouper::default();
        lines
            .iter()
            .flat_map(|l| grouper.line(l.to_string()))
            .collect()
    }

    #[test]
    fn a_trailing_group_reaches_evcxr_unchanged() {
        let input = [
            BEGIN_CONTENT.to_owned() + "text/plain",
            "42".into(),
            END_CONTENT.into(),
            EXECUTION_COMPLETE.into(),
        ];
        let input: Vec<&str> = input.iter().map(String::as_str).collect();
        assert_eq!(run(&input), input);
    }

    #[test]
    fn blocks_followed_by_output_become_displays_in_order() {
        let b = |m: &str| BEGIN_CONTENT.to_owned() + m;
        let input = [
            b("text/html"),
            "<b>1</b>".into(),
            END_CONTENT.into(),
            b("text/html"),
            "<b>2</b>".into(),
            END_CONTENT.into(),
            "after".into(),
            EXECUTION_COMPLETE.into(),
        ];
        let input: Vec<&str> = input.iter().map(String::as_str).collect();
        let out = run(&input);
        assert_eq!(out.len(), 4, "{out:?}");
        assert!(out[0].starts_with(DISPLAY_PREFIX) && out[0].contains("<b>1</b>"));
        assert!(out[1].starts_with(DISPLAY_PREFIX) && out[1].contains("<b>2</b>"));
        assert_eq!(out[2], "after");
        assert_eq!(out[3], EXECUTION_COMPLETE);
    }

    #[test]
    fn markers_after_unfinished_lines_start_their_own_line() {
        let grouper = Grouper::default();
        let complete = format!("dots...{EXECUTION_COMPLETE}");
        assert_eq!(grouper.split(&complete), ["dots...", EXECUTION_COMPLETE]);
        let display = format!("x{DISPLAY_PREFIX}{{\"data\": {{}}}}");
        assert_eq!(grouper.split(&display), ["x", &display[1..]]);
        assert_eq!(grouper.split("plain text"), ["plain text"]);
        assert_eq!(grouper.split(EXECUTION_COMPLETE), [EXECUTION_COMPLETE]);
        let mut inside = Grouper::default();
        inside.line(format!("{BEGIN_CONTENT}text/html"));
        assert_eq!(inside.split(&complete), [complete.as_str()]);
    }

    #[test]
    fn colons_in_prompts_survive() {
        let out = run(&["EVCXR_INPUT_REQUEST_PASSWORD:Key: "]);
        assert_eq!(
            out,
            [format!("EVCXR_INPUT_REQUEST_PASSWORD:Key{PROMPT_COLON} ")]
        );
        let prompt = out[0].split(':').nth(1).unwrap();
        assert_eq!(prompt.replace(PROMPT_COLON, ":"), "Key: ");
    }

    #[test]
    fn multi_line_content_is_kept() {
        let input = [
            BEGIN_CONTENT.to_owned() + "text/html",
            "a".into(),
            "b".into(),
            END_CONTENT.into(),
            "x".into(),
        ];
        let input: Vec<&str> = input.iter().map(String::as_str).collect();
        let out = run(&input);
        let json: serde_json::Value =
            serde_json::from_str(out[0].strip_prefix(DISPLAY_PREFIX).unwrap()).unwrap();
        assert_eq!(json["data"]["text/html"], "a\nb");
    }
}
