//! evcxr's output markers, and writing a bundle in its convention.
//!
//! evcxr reads the cell process's stdout: a cell's rich trailing value comes
//! as content blocks (`EVCXR_BEGIN_CONTENT <mime>`, the content,
//! `EVCXR_END_CONTENT`), and evcxr's own code around a cell prints the other
//! markers. The course library writes content blocks ([`content`]); the
//! kernel's output filter reads all of them.

use crate::MimeBundle;

/// Starts a content block; the MIME type follows the space.
pub const BEGIN_CONTENT: &str = "EVCXR_BEGIN_CONTENT ";

/// Ends a content block.
pub const END_CONTENT: &str = "EVCXR_END_CONTENT";

/// Printed when a cell has finished running.
pub const EXECUTION_COMPLETE: &str = "EVCXR_EXECUTION_COMPLETE";

/// Starts a request for input (`EVCXR_INPUT_REQUEST<kind>:<prompt>:`).
pub const INPUT_REQUEST: &str = "EVCXR_INPUT_REQUEST";

/// Printed by evcxr's code around a cell when the cell panicked.
pub const PANIC_NOTIFICATION: &str = "EVCXR_PANIC_NOTIFICATION";

/// Printed by evcxr's code around a cell when `?` returned an error from
/// the cell's code.
pub const USER_ERROR_OCCURRED: &str = "EVCXR_ERROR_OCCURRED";

/// The prefix every evcxr marker starts with.
pub const MARKER_PREFIX: &str = "EVCXR_";

/// Set in the process evcxr starts to run cells.
pub const RUNTIME_ENV_VAR: &str = "EVCXR_IS_RUNTIME";

/// Formats a bundle in evcxr's convention for rich cell results.
///
/// Each format becomes `EVCXR_BEGIN_CONTENT <mime>`, the content, and
/// `EVCXR_END_CONTENT`, each on its own line. A content line that equals the
/// end marker gets a trailing space so that it cannot end the content early.
///
/// ```
/// use rcourse_cell::{evcxr_content, MimeBundle};
///
/// let bundle = MimeBundle::new().with("text/plain", "hi");
/// assert_eq!(
///     evcxr_content(&bundle),
///     "EVCXR_BEGIN_CONTENT text/plain\nhi\nEVCXR_END_CONTENT\n"
/// );
/// ```
pub fn content(bundle: &MimeBundle) -> String {
    let mut out = String::new();
    for (mime, content) in bundle.iter() {
        out.push_str(BEGIN_CONTENT);
        out.push_str(mime);
        out.push('\n');
        for line in content.lines() {
            out.push_str(line);
            if line == END_CONTENT {
                out.push(' ');
            }
            out.push('\n');
        }
        out.push_str(END_CONTENT);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_lists_every_format_and_guards_the_end_marker() {
        let bundle = MimeBundle::new()
            .with("text/html", "<p>\nEVCXR_END_CONTENT\n</p>")
            .with("text/plain", "x");
        assert_eq!(
            content(&bundle),
            "EVCXR_BEGIN_CONTENT text/html\n<p>\nEVCXR_END_CONTENT \n</p>\nEVCXR_END_CONTENT\n\
             EVCXR_BEGIN_CONTENT text/plain\nx\nEVCXR_END_CONTENT\n"
        );
    }

    #[test]
    fn markers_share_the_prefix() {
        for marker in [
            BEGIN_CONTENT,
            END_CONTENT,
            EXECUTION_COMPLETE,
            INPUT_REQUEST,
            PANIC_NOTIFICATION,
        ] {
            assert!(marker.starts_with(MARKER_PREFIX), "{marker}");
        }
    }
}
