//! complete_request, inspect_request and `name?` help, answered by the
//! interpreter.
//!
//! Jupyter counts cursor positions in Unicode code points; the interpreter
//! interface in bytes.

use crate::interpreter::Interpreter;
use jupyter_protocol::{
    CompleteReply, CompleteRequest, InspectReply, InspectRequest, Media, MediaType, Payload,
    ReplyStatus,
};

/// Byte offset of code point `position` in `code` (clamped to the end).
fn byte_offset(code: &str, position: usize) -> usize {
    code.char_indices()
        .nth(position)
        .map_or(code.len(), |(byte, _)| byte)
}

/// Code point index of byte offset `byte` in `code`.
fn char_offset(code: &str, byte: usize) -> usize {
    code.get(..byte.min(code.len()))
        .map_or(0, |prefix| prefix.chars().count())
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Completions for the code before the cursor.
pub async fn complete(interpreter: &impl Interpreter, request: &CompleteRequest) -> CompleteReply {
    let position = byte_offset(&request.code, request.cursor_pos);
    let found = interpreter.complete(&request.code, position).await;
    let mut matches = found.matches;
    matches.dedup();
    CompleteReply {
        matches,
        cursor_start: char_offset(&request.code, found.start),
        cursor_end: char_offset(&request.code, found.end),
        metadata: Default::default(),
        status: ReplyStatus::Ok,
        error: None,
    }
}

/// Documentation of the name under (or just before) the cursor.
pub async fn inspect(interpreter: &impl Interpreter, request: &InspectRequest) -> InspectReply {
    let code = &request.code;
    let mut end = byte_offset(code, request.cursor_pos);
    end += code[end..]
        .find(|c: char| !is_word(c))
        .unwrap_or(code.len() - end);
    match interpreter.inspect(code, end).await {
        Some(docs) => InspectReply {
            found: true,
            data: Media::new(vec![
                MediaType::Plain(docs.plain),
                MediaType::Html(docs.html),
            ]),
            ..InspectReply::default()
        },
        None => InspectReply::default(),
    }
}

/// The path in a cell that is just `path?` (IPython's help syntax), if it is one.
pub fn help_target(code: &str) -> Option<&str> {
    let target = code.trim().strip_suffix('?')?.trim_end();
    let is_path = !target.is_empty()
        && target
            .split("::")
            .all(|part| !part.is_empty() && part.chars().all(is_word))
        && !target.starts_with(|c: char| c.is_ascii_digit());
    is_path.then_some(target)
}

/// A pager payload with the documentation of `target`.
pub async fn page(interpreter: &impl Interpreter, target: &str) -> Payload {
    let text = match interpreter.inspect(target, target.len()).await {
        Some(docs) => docs.plain,
        None => format!("No documentation found for `{target}`."),
    };
    Payload::Page {
        data: Media::new(vec![MediaType::Plain(text)]),
        start: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_round_trip_through_unicode() {
        let code = "let é = 1; é";
        let byte = byte_offset(code, 12);
        assert_eq!(&code[byte..], "");
        assert_eq!(char_offset(code, byte_offset(code, 5)), 5);
    }

    #[test]
    fn help_targets_are_paths_only() {
        assert_eq!(help_target("Vec?"), Some("Vec"));
        assert_eq!(help_target(" std::vec::Vec? \n"), Some("std::vec::Vec"));
        assert_eq!(help_target("foo()?"), None);
        assert_eq!(help_target("?"), None);
        assert_eq!(help_target("let x = y?"), None);
    }
}
