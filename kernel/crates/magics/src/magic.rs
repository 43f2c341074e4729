//! `%magic`: the overview of every magic, or the help of one.

use super::registry::{Form, Magic};
use super::{Expansion, help};

/// `%magic [NAME]`.
pub const MAGIC: Magic = Magic {
    name: "magic",
    help: "Explain the magics, or one magic (same as `%NAME?`).",
    options: &[],
    line: Some(Form {
        args: "[NAME]",
        value: false,
        expand: |call| {
            let topic = call.rest.trim_start_matches('%').trim_end_matches('?');
            let text = if topic.is_empty() {
                help::overview()
            } else {
                help::help(topic, false)?
            };
            Ok(Expansion::print(text))
        },
    }),
    cell: None,
};
