//! Display lines: how a running cell asks the kernel to show, update or
//! clear an output.
//!
//! Inside the kernel (when [`KERNEL_ENV_VAR`] is set), a cell prints one
//! stdout line per request: [`DISPLAY_PREFIX`], compact JSON, a newline. The
//! kernel reads these lines back into [`DisplayMessage`]s and turns them into
//! Jupyter `display_data`, `update_display_data` and `clear_output` messages.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::MimeBundle;

/// The environment variable whose presence means "running inside the kernel".
///
/// ```
/// assert_eq!(rcourse_cell::KERNEL_ENV_VAR, "RCOURSE_KERNEL");
/// ```
pub const KERNEL_ENV_VAR: &str = "RCOURSE_KERNEL";

/// The prefix (including its trailing space) of every display line.
///
/// ```
/// assert_eq!(rcourse_cell::DISPLAY_PREFIX, "RCOURSE_DISPLAY ");
/// ```
pub const DISPLAY_PREFIX: &str = "RCOURSE_DISPLAY ";

/// One request of a display line: show (or update) `data`, or clear the output.
///
/// A display is written as
/// `{"data":{MIME:CONTENT,...},"metadata":{},"display_id":null|"ID","update":false|true}`,
/// a clear as `{"clear":true,"wait":false|true}`. Reading is lenient: every
/// field may be missing and takes its default.
///
/// ```
/// use rcourse_cell::{DisplayMessage, MimeBundle};
///
/// let shown = DisplayMessage::show(MimeBundle::new().with("text/plain", "hi")).with_id("p1");
/// let line = shown.to_line();
/// assert_eq!(DisplayMessage::parse_line(line.trim_end()), Some(shown));
///
/// let clear = DisplayMessage::clear_output(true);
/// assert_eq!(clear.to_line(), "RCOURSE_DISPLAY {\"clear\":true,\"wait\":true}\n");
/// assert_eq!(DisplayMessage::parse_line("not a display line"), None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct DisplayMessage {
    /// The content to show, in every format the cell offers.
    pub data: MimeBundle,
    /// Jupyter's per-format metadata (always empty when written by a cell).
    pub metadata: Map<String, Value>,
    /// The name of the output, so a later update can replace it.
    pub display_id: Option<String>,
    /// Replace the output named `display_id` instead of adding one.
    pub update: bool,
    /// Clear the cell's output instead of showing anything.
    pub clear: bool,
    /// With `clear`: wait for the next output before clearing.
    pub wait: bool,
}

impl DisplayMessage {
    /// A new output showing `data`.
    pub fn show(data: MimeBundle) -> Self {
        DisplayMessage {
            data,
            ..Self::default()
        }
    }

    /// Names the output `id`.
    pub fn with_id(mut self, id: impl Into<String>) -> Self {
        self.display_id = Some(id.into());
        self
    }

    /// Makes this an update of the output with the same id.
    pub fn updating(mut self) -> Self {
        self.update = true;
        self
    }

    /// Clears the cell's output, now or (`wait`) when the next output arrives.
    pub fn clear_output(wait: bool) -> Self {
        DisplayMessage {
            clear: true,
            wait,
            ..Self::default()
        }
    }

    /// The display line: [`DISPLAY_PREFIX`], compact JSON, a newline.
    pub fn to_line(&self) -> String {
        let json = serde_json::to_string(self).expect("display messages always serialize to JSON");
        format!("{DISPLAY_PREFIX}{json}\n")
    }

    /// Reads a display line (without its newline); `None` when the line does
    /// not start with [`DISPLAY_PREFIX`] or its JSON is not a display message.
    pub fn parse_line(line: &str) -> Option<Self> {
        let json = line.strip_prefix(DISPLAY_PREFIX)?;
        serde_json::from_str(json).ok()
    }
}

/// Written with only the fields its kind uses, in the protocol's order.
impl Serialize for DisplayMessage {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.clear {
            Cleared {
                clear: true,
                wait: self.wait,
            }
            .serialize(serializer)
        } else {
            Shown {
                data: &self.data,
                metadata: &self.metadata,
                display_id: self.display_id.as_deref(),
                update: self.update,
            }
            .serialize(serializer)
        }
    }
}

/// The JSON of a display or an update.
#[derive(Serialize)]
struct Shown<'a> {
    data: &'a MimeBundle,
    metadata: &'a Map<String, Value>,
    display_id: Option<&'a str>,
    update: bool,
}

/// The JSON of a clear.
#[derive(Serialize)]
struct Cleared {
    clear: bool,
    wait: bool,
}

/// Formats the line that tells the kernel to show (or update) a display.
///
/// The line is [`DISPLAY_PREFIX`] followed by compact JSON and a newline:
///
/// ```text
/// RCOURSE_DISPLAY {"data":{MIME:CONTENT,...},"metadata":{},"display_id":null|"ID","update":false|true}
/// ```
///
/// JSON escaping guarantees that the content's own newlines never break the line.
///
/// ```
/// use rcourse_cell::{display_line, MimeBundle};
///
/// let bundle = MimeBundle::new().with("text/plain", "a\nb");
/// assert_eq!(
///     display_line(&bundle, Some("p1"), true),
///     "RCOURSE_DISPLAY {\"data\":{\"text/plain\":\"a\\nb\"},\"metadata\":{},\"display_id\":\"p1\",\"update\":true}\n"
/// );
/// ```
pub fn display_line(bundle: &MimeBundle, display_id: Option<&str>, update: bool) -> String {
    let shown = Shown {
        data: bundle,
        metadata: &Map::new(),
        display_id,
        update,
    };
    let json = serde_json::to_string(&shown).expect("string maps always serialize to JSON");
    format!("{DISPLAY_PREFIX}{json}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_line_has_prefix_compact_json_and_one_newline() {
        let bundle = MimeBundle::new().with("text/plain", "hello");
        let line = display_line(&bundle, None, false);
        assert_eq!(
            line,
            "RCOURSE_DISPLAY {\"data\":{\"text/plain\":\"hello\"},\"metadata\":{},\"display_id\":null,\"update\":false}\n"
        );
    }

    #[test]
    fn display_line_escapes_newlines_quotes_and_backslashes() {
        let content = "line one\nline \"two\"\r\n\\ end\t";
        let bundle = MimeBundle::new()
            .with("text/plain", content)
            .with("text/html", "<p class=\"x\">a\nb</p>");
        let line = display_line(&bundle, Some("id \"7\""), true);

        let body = line.strip_prefix(DISPLAY_PREFIX).unwrap();
        let body = body.strip_suffix('\n').unwrap();
        assert!(!body.contains('\n') && !body.contains('\r'));

        let parsed: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(parsed["data"]["text/plain"], content);
        assert_eq!(parsed["data"]["text/html"], "<p class=\"x\">a\nb</p>");
        assert_eq!(parsed["display_id"], "id \"7\"");
        assert_eq!(parsed["update"], true);
        assert_eq!(parsed["metadata"], serde_json::json!({}));
    }

    #[test]
    fn display_line_keys_come_in_protocol_order() {
        let line = display_line(&MimeBundle::new(), Some("a"), false);
        let keys = ["\"data\"", "\"metadata\"", "\"display_id\"", "\"update\""];
        let positions: Vec<usize> = keys.iter().map(|k| line.find(k).unwrap()).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn what_a_cell_writes_the_kernel_reads() {
        let bundle = MimeBundle::new()
            .with("text/plain", "a\nb \"c\" \\")
            .with("image/svg+xml", "<svg/>");
        for (id, update) in [(None, false), (Some("bar"), false), (Some("bar"), true)] {
            let line = display_line(&bundle, id, update);
            let read = DisplayMessage::parse_line(line.strip_suffix('\n').unwrap()).unwrap();
            assert_eq!(read.data, bundle);
            assert_eq!(read.display_id.as_deref(), id);
            assert_eq!(read.update, update);
            assert!(!read.clear);
            assert_eq!(read.to_line(), line, "the message writes the same line");
        }
    }

    #[test]
    fn clears_round_trip_and_keep_their_shape() {
        for wait in [false, true] {
            let line = DisplayMessage::clear_output(wait).to_line();
            assert_eq!(
                line,
                format!("RCOURSE_DISPLAY {{\"clear\":true,\"wait\":{wait}}}\n")
            );
            let read = DisplayMessage::parse_line(line.trim_end()).unwrap();
            assert_eq!(read, DisplayMessage::clear_output(wait));
        }
    }

    #[test]
    fn missing_fields_take_their_defaults() {
        let read =
            DisplayMessage::parse_line(r#"RCOURSE_DISPLAY {"data":{"text/html":"<b>x</b>"}}"#)
                .unwrap();
        assert_eq!(
            read,
            DisplayMessage::show(MimeBundle::new().with("text/html", "<b>x</b>"))
        );
        let read = DisplayMessage::parse_line(r#"RCOURSE_DISPLAY {"clear":true}"#).unwrap();
        assert!(read.clear && !read.wait);
    }

    #[test]
    fn other_lines_are_not_displays() {
        assert_eq!(DisplayMessage::parse_line("RCOURSE_DISPLAY not json"), None);
        assert_eq!(DisplayMessage::parse_line("{\"data\":{}}"), None);
        assert_eq!(DisplayMessage::parse_line("RCOURSE_DISPLAY [1, 2]"), None);
    }

    #[test]
    fn builders_set_id_and_update() {
        let message = DisplayMessage::show(MimeBundle::new())
            .with_id("p")
            .updating();
        assert_eq!(message.display_id.as_deref(), Some("p"));
        assert!(message.update);
        assert_eq!(
            message.to_line(),
            display_line(&MimeBundle::new(), Some("p"), true)
        );
    }
}
