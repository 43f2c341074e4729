//! In the process that runs cells: leads its own process group, and keeps
//! rich outputs apart.
//!
//! [`lead_process_group`] puts the cell process, and every process a cell
//! starts, in a group that the kernel can end as one.
//!
//! evcxr reads the cell process's stdout and merges every
//! `EVCXR_BEGIN_CONTENT` block of a cell into one result, so HTML that a
//! crate prints while the cell runs would take the place of the cell's value,
//! and a cell that shows two HTML tables would show only the last. This
//! filter sits between the cell and evcxr, on the cell process's side of the
//! pipe. The code that shows the cell's value prints
//! [`VALUE_MARKER`](rcourse_cell::VALUE_MARKER) first (the course library's
//! `evcxr_display`, or the line the kernel adds to a cell without a value):
//!
//! - a group of content blocks before the marker, or followed by other
//!   output, becomes a display line of the kernel's own protocol (shown at
//!   once, in order);
//! - the blocks after the marker reach evcxr as they were, at the end of the
//!   cell: the cell's value;
//! - blocks that end a cell that printed no marker (evcxr's own display of a
//!   value, or a type's own `evcxr_display`) are its value, as in evcxr.

use rcourse_cell::evcxr::{
    BEGIN_CONTENT, END_CONTENT, EXECUTION_COMPLETE, INPUT_REQUEST, MARKER_PREFIX,
    PANIC_NOTIFICATION, RUNTIME_ENV_VAR, USER_ERROR_OCCURRED,
};
use rcourse_cell::{
    DISPLAY_PREFIX, DisplayMessage, ERROR_RETURNED, MimeBundle, PANIC_ESCAPED, PANIC_PREFIX,
    VALUE_MARKER,
};
use std::io::{BufRead, BufReader, Write};
use std::os::fd::FromRawFd;

/// Stands in for `:` in input prompts on their way to evcxr, which keeps
/// only the text between the first and second colon of a request line.
pub const PROMPT_COLON: char = '\u{F03A}';

/// Whether evcxr started this process to run cells.
pub fn is_child_process() -> bool {
    std::env::var_os(RUNTIME_ENV_VAR).is_some()
}

/// Makes this process the leader of a process group of its own, which every
/// process a cell starts joins: the kernel kills the whole group to stop a
/// cell (on interrupt, restart and shutdown), so nothing a cell started
/// outlives it. On Linux, the group also ends when the kernel dies without
/// stopping it (SIGKILL), through the parent-death signal.
pub fn lead_process_group() {
    // SAFETY: setpgid has no memory effects.
    if unsafe { libc::setpgid(0, 0) } == 0 {
        #[cfg(target_os = "linux")]
        end_group_with_kernel();
    }
}

/// The signal this process gets when the kernel dies: it kills the group.
#[cfg(target_os = "linux")]
const KERNEL_DIED: libc::c_int = libc::SIGHUP;

#[cfg(target_os = "linux")]
fn end_group_with_kernel() {
    extern "C" fn end_group(_: libc::c_int) {
        // SAFETY: kill is async-signal-safe; 0 names this process's own
        // group, which this process leads.
        unsafe { libc::kill(0, libc::SIGKILL) };
    }
    // SAFETY: a handler that only calls an async-signal-safe function, and
    // calls without memory effects; the process has one thread at this point.
    unsafe {
        let kernel = libc::getppid();
        libc::signal(
            KERNEL_DIED,
            end_group as extern "C" fn(libc::c_int) as libc::sighandler_t,
        );
        libc::prctl(libc::PR_SET_PDEATHSIG, KERNEL_DIED);
        if libc::getppid() != kernel {
            end_group(KERNEL_DIED);
        }
    }
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
            let failure = match part {
                PANIC_NOTIFICATION => Some(PANIC_ESCAPED),
                USER_ERROR_OCCURRED => Some(ERROR_RETURNED),
                _ => None,
            };
            if let Some(failure) = failure {
                output.write_all(failure.as_bytes())?;
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

/// A content block: its MIME type and content.
type Block = (String, String);

#[derive(Default)]
struct Grouper {
    /// Complete blocks since the last other output, not yet shown.
    group: Vec<Block>,
    /// The block being read: its mime type and lines so far.
    open: Option<(String, Vec<String>)>,
    /// The cell's value once its marker has been read: its blocks so far,
    /// passed to evcxr when the cell ends.
    value: Option<Vec<Block>>,
}

impl Grouper {
    /// Splits a line where a marker follows text that a cell printed
    /// without a newline (`print!("x")` then a display, or the end of the
    /// cell): the marker must start its own line to be recognised. Lines
    /// inside a content block are content and stay whole, except for a
    /// block's end followed by the end of the cell or the value marker (a
    /// block printed with `print!`).
    fn split<'a>(&self, line: &'a str) -> Vec<&'a str> {
        let whole_lines = [EXECUTION_COMPLETE, VALUE_MARKER];
        if self.open.is_some() {
            return match line.strip_prefix(END_CONTENT) {
                Some(rest) if whole_lines.contains(&rest) => vec![END_CONTENT, rest],
                _ => vec![line],
            };
        }
        let starts = [BEGIN_CONTENT, DISPLAY_PREFIX, PANIC_PREFIX, INPUT_REQUEST];
        if starts.iter().any(|marker| line.starts_with(marker)) || whole_lines.contains(&line) {
            return vec![line];
        }
        let found = starts
            .iter()
            .filter_map(|marker| line.find(marker))
            .chain(
                whole_lines
                    .iter()
                    .filter_map(|marker| line.strip_suffix(marker).map(str::len)),
            )
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
                return self.block_ended((mime, lines.join("\n")));
            }
            if line.starts_with(MARKER_PREFIX) && !line.starts_with(BEGIN_CONTENT) {
                // evcxr gives up on an unfinished block at its own markers; pass it as it came.
                let mut out = self.display_group().into_iter().collect::<Vec<_>>();
                out.push(format!("{BEGIN_CONTENT}{mime}"));
                out.extend(lines);
                out.extend(self.line(line));
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
        if line == EXECUTION_COMPLETE {
            return self.end_cell();
        }
        let mut out: Vec<String> = self.display_group().into_iter().collect();
        if line == VALUE_MARKER {
            self.value.get_or_insert_with(Vec::new);
            return out;
        }
        if let Some((kind, prompt)) = line
            .strip_prefix(INPUT_REQUEST)
            .and_then(|request| request.split_once(':'))
        {
            let prompt = prompt.replace(':', &PROMPT_COLON.to_string());
            out.push(format!("{INPUT_REQUEST}{kind}:{prompt}"));
            return out;
        }
        out.push(line);
        out
    }

    /// The lines that end a cell: the pending group as a display, the
    /// value's blocks for evcxr, and evcxr's end marker. In a cell that
    /// printed no value marker, the pending group is the value, as evcxr
    /// would show it.
    fn end_cell(&mut self) -> Vec<String> {
        let value = match self.value.take() {
            Some(value) => value,
            None => std::mem::take(&mut self.group),
        };
        let mut out: Vec<String> = self.display_group().into_iter().collect();
        for (mime, content) in value {
            out.push(format!("{BEGIN_CONTENT}{mime}"));
            out.push(content);
            out.push(END_CONTENT.to_owned());
        }
        out.push(EXECUTION_COMPLETE.to_owned());
        out
    }

    /// Files a complete block: with the value once its marker has been read,
    /// else in the pending group (shown first if it already has this format:
    /// a new display has started).
    fn block_ended(&mut self, block: Block) -> Vec<String> {
        if let Some(value) = &mut self.value {
            value.push(block);
            return Vec::new();
        }
        let mut out = Vec::new();
        if self.group.iter().any(|(mime, _)| *mime == block.0) {
            out.extend(self.display_group());
        }
        self.group.push(block);
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

    /// A content block of `mime`, as lines.
    fn block(mime: &str, content: &str) -> [String; 3] {
        [
            format!("{BEGIN_CONTENT}{mime}"),
            content.to_owned(),
            END_CONTENT.to_owned(),
        ]
    }

    /// Runs `input`; checks that the displays shown hold `displays` (one
    /// text/html each), in order, and returns the other lines.
    fn run_with_displays(input: &[String], displays: &[&str]) -> Vec<String> {
        let input: Vec<&str> = input.iter().map(String::as_str).collect();
        let (shown, rest): (Vec<String>, Vec<String>) = run(&input)
            .into_iter()
            .partition(|line| line.starts_with(DISPLAY_PREFIX));
        let htmls: Vec<String> = shown
            .iter()
            .map(|line| {
                let message = DisplayMessage::parse_line(line).unwrap();
                message.data.get("text/html").unwrap().to_owned()
            })
            .collect();
        assert_eq!(htmls, displays);
        rest
    }

    #[test]
    fn blocks_before_the_value_marker_are_displays_and_the_value_stays() {
        let input: Vec<String> = [
            block("text/html", "<b>bold</b>").to_vec(),
            vec![VALUE_MARKER.to_owned()],
            block("text/plain", "1").to_vec(),
            vec![EXECUTION_COMPLETE.to_owned()],
        ]
        .concat();
        let out = run_with_displays(&input, &["<b>bold</b>"]);
        let value = block("text/plain", "1");
        assert_eq!(out, [&value[..], &[EXECUTION_COMPLETE.to_owned()]].concat());
    }

    #[test]
    fn a_cell_without_a_value_shows_every_block() {
        let input: Vec<String> = [
            block("text/html", "<p>1</p>").to_vec(),
            block("text/html", "<p>2</p>").to_vec(),
            vec![VALUE_MARKER.to_owned(), EXECUTION_COMPLETE.to_owned()],
        ]
        .concat();
        let out = run_with_displays(&input, &["<p>1</p>", "<p>2</p>"]);
        assert_eq!(out, [EXECUTION_COMPLETE]);
    }

    #[test]
    fn the_value_waits_for_the_end_of_the_cell() {
        let input: Vec<String> = [
            vec![VALUE_MARKER.to_owned()],
            block("text/plain", "v").to_vec(),
            vec!["from a thread".to_owned(), EXECUTION_COMPLETE.to_owned()],
        ]
        .concat();
        let out = run_with_displays(&input, &[]);
        let value = block("text/plain", "v");
        let expected = [
            &["from a thread".to_owned()][..],
            &value[..],
            &[EXECUTION_COMPLETE.to_owned()],
        ]
        .concat();
        assert_eq!(out, expected);
    }

    #[test]
    fn the_value_marker_holds_for_one_cell() {
        let mut grouper = Grouper::default();
        for line in [VALUE_MARKER, EXECUTION_COMPLETE] {
            grouper.line(line.to_owned());
        }
        let mut out = Vec::new();
        for line in block("text/plain", "2") {
            out.extend(grouper.line(line));
        }
        out.extend(grouper.line(EXECUTION_COMPLETE.to_owned()));
        let value = block("text/plain", "2");
        assert_eq!(out, [&value[..], &[EXECUTION_COMPLETE.to_owned()]].concat());
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
        let value = format!("dots...{VALUE_MARKER}");
        assert_eq!(grouper.split(&value), ["dots...", VALUE_MARKER]);
        let mut inside = Grouper::default();
        inside.line(format!("{BEGIN_CONTENT}text/html"));
        assert_eq!(inside.split(&complete), [complete.as_str()]);
        let printed = format!("{END_CONTENT}{VALUE_MARKER}");
        assert_eq!(inside.split(&printed), [END_CONTENT, VALUE_MARKER]);
        let content = format!("{END_CONTENT}text");
        assert_eq!(inside.split(&content), [content.as_str()]);
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
