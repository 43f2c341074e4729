//! A cell's value, told apart from the other rich output of the cell.
//!
//! evcxr takes every content block that a cell prints (see [`crate::evcxr`])
//! as part of the cell's value, so the blocks that other crates print while
//! the cell runs (`evcxr_image`, plotters' evcxr feature, or a `println!` of
//! the convention) would merge with the value. Inside the kernel, the code
//! that shows a cell's value prints [`VALUE_MARKER`] on a line of its own
//! first ([`value_content`]): the kernel shows every block printed before the
//! marker as a display of its own, in order, and the blocks after it as the
//! cell's value. A cell without a value prints the marker alone.

use crate::{MimeBundle, evcxr};

/// The line printed just before a cell's value.
///
/// ```
/// assert_eq!(rcourse_cell::VALUE_MARKER, "RCOURSE_VALUE");
/// ```
pub const VALUE_MARKER: &str = "RCOURSE_VALUE";

/// Formats `bundle` as the cell's value: [`VALUE_MARKER`] on its own line,
/// then the bundle in evcxr's convention ([`evcxr::content`]). An empty
/// bundle is the marker alone: the cell has no value.
///
/// ```
/// use rcourse_cell::{value_content, MimeBundle};
///
/// let bundle = MimeBundle::new().with("text/plain", "1");
/// assert_eq!(
///     value_content(&bundle),
///     "RCOURSE_VALUE\nEVCXR_BEGIN_CONTENT text/plain\n1\nEVCXR_END_CONTENT\n"
/// );
/// assert_eq!(value_content(&MimeBundle::new()), "RCOURSE_VALUE\n");
/// ```
pub fn value_content(bundle: &MimeBundle) -> String {
    format!("{VALUE_MARKER}\n{}", evcxr::content(bundle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_marker_is_not_an_evcxr_marker() {
        // evcxr acts on lines that hold its prefix; the marker must
        // never be mistaken for one of them.
        assert!(!VALUE_MARKER.contains(evcxr::MARKER_PREFIX));
        assert!(!VALUE_MARKER.contains(char::is_whitespace));
    }
}
