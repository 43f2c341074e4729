//! Decoding of signed multipart messages into typed Jupyter messages.
//!
//! Signature checking and framing come from `jupyter-zmq-client`; a message
//! whose signature verifies but was seen before is a replay and is dropped
//! ([`ReplayWindow`]). The typed content structs of `jupyter-protocol`
//! require every field, while real clients omit optional ones (a history
//! `search` without `unique`, say), so the documented defaults are filled in
//! before the content is parsed.

use super::replay::ReplayWindow;
use jupyter_protocol::{Header, JupyterMessage, JupyterMessageContent};
use jupyter_zmq_client::RawMessage;
use serde_json::{Map, Value, json};

/// Why an incoming message was dropped.
#[derive(Debug)]
pub struct DecodeError(pub String);

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The frame that separates routing identities from the message.
const DELIMITER: &[u8] = b"<IDS|MSG>";

/// Verifies the signature of `multipart`, refuses it if `replays` has seen
/// that signature (when messages are signed at all), and decodes it.
pub fn decode(
    multipart: zeromq::ZmqMessage,
    key: &Option<ring::hmac::Key>,
    replays: &ReplayWindow,
) -> Result<JupyterMessage, DecodeError> {
    let signature = multipart
        .iter()
        .skip_while(|frame| frame.as_ref() != DELIMITER)
        .nth(1)
        .cloned();
    let raw = RawMessage::from_multipart(multipart, key)
        .map_err(|e| DecodeError(format!("rejected frames: {e}")))?;
    if key.is_some() {
        // Verified, so the frame exists.
        let signature = signature.unwrap_or_default();
        if !replays.admit(&signature) {
            return Err(DecodeError(
                "replayed: a message with this signature was already received".into(),
            ));
        }
    }
    let part = |i: usize| -> Result<Value, DecodeError> {
        serde_json::from_slice(&raw.jparts[i])
            .map_err(|e| DecodeError(format!("frame {i} is not JSON: {e}")))
    };
    let header: Header =
        serde_json::from_value(part(0)?).map_err(|e| DecodeError(format!("bad header: {e}")))?;
    let parent_header = serde_json::from_value(part(1)?).ok();
    let metadata = part(2)?;
    let mut content = part(3)?;
    fill_defaults(&header.msg_type, &mut content);
    let content = JupyterMessageContent::from_type_and_content(&header.msg_type, content)
        .map_err(|e| DecodeError(format!("bad {} content: {e}", header.msg_type)))?;
    Ok(JupyterMessage {
        zmq_identities: raw.zmq_identities,
        header,
        parent_header,
        metadata,
        content,
        buffers: raw.jparts.get(4..).map(<[_]>::to_vec).unwrap_or_default(),
        channel: None,
    })
}

/// Adds the fields that the messaging spec lets a client leave out.
fn fill_defaults(msg_type: &str, content: &mut Value) {
    let Value::Object(fields) = content else {
        return;
    };
    let defaults = match msg_type {
        "execute_request" => json!({
            "silent": false, "store_history": true, "user_expressions": {},
            "allow_stdin": false, "stop_on_error": true
        }),
        "history_request" => json!({
            "output": false, "raw": true, "n": 0, "unique": false,
            "start": 0, "stop": 0, "pattern": "*"
        }),
        "inspect_request" => json!({ "detail_level": 0 }),
        "shutdown_request" => json!({ "restart": false }),
        "comm_info_request" => json!({}),
        _ => return,
    };
    if let Value::Object(defaults) = defaults {
        merge_missing(fields, defaults);
    }
}

fn merge_missing(fields: &mut Map<String, Value>, defaults: Map<String, Value>) {
    for (key, value) in defaults {
        fields.entry(key).or_insert(value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    /// The frames of a signed `kernel_info_request` from `sender`.
    fn signed(key: &Option<ring::hmac::Key>, sender: &str, msg_id: &str) -> zeromq::ZmqMessage {
        let header = json!({
            "msg_id": msg_id, "session": "s", "username": "u",
            "date": "2026-01-01T00:00:00Z", "msg_type": "kernel_info_request", "version": "5.3"
        });
        let parts: Vec<Vec<u8>> = [header, json!({}), json!({}), json!({})]
            .iter()
            .map(|part| serde_json::to_vec(part).unwrap())
            .collect();
        let signature = match key {
            Some(key) => {
                let mut context = ring::hmac::Context::with_key(key);
                parts.iter().for_each(|part| context.update(part));
                let tag = context.sign();
                tag.as_ref().iter().map(|b| format!("{b:02x}")).collect()
            }
            None => String::new(),
        };
        let mut frames = vec![
            Bytes::from(sender.to_owned()),
            Bytes::from_static(b"<IDS|MSG>"),
        ];
        frames.push(Bytes::from(signature));
        frames.extend(parts.into_iter().map(Bytes::from));
        zeromq::ZmqMessage::try_from(frames).unwrap()
    }

    #[test]
    fn a_replayed_message_is_refused_even_from_another_peer() {
        let key = Some(ring::hmac::Key::new(ring::hmac::HMAC_SHA256, b"secret"));
        let replays = ReplayWindow::default();
        assert!(decode(signed(&key, "peer-1", "m1"), &key, &replays).is_ok());
        let again = decode(signed(&key, "peer-2", "m1"), &key, &replays);
        assert!(again.unwrap_err().0.starts_with("replayed"));
        assert!(decode(signed(&key, "peer-1", "m2"), &key, &replays).is_ok());
    }

    #[test]
    fn a_forged_message_does_not_enter_the_window() {
        let key = Some(ring::hmac::Key::new(ring::hmac::HMAC_SHA256, b"secret"));
        let wrong = Some(ring::hmac::Key::new(ring::hmac::HMAC_SHA256, b"guess"));
        let replays = ReplayWindow::default();
        let forged = decode(signed(&wrong, "peer", "m1"), &key, &replays);
        assert!(forged.unwrap_err().0.starts_with("rejected"));
        assert!(decode(signed(&key, "peer", "m1"), &key, &replays).is_ok());
    }

    #[test]
    fn without_a_key_nothing_counts_as_a_replay() {
        let replays = ReplayWindow::default();
        for _ in 0..3 {
            assert!(decode(signed(&None, "peer", "m1"), &None, &replays).is_ok());
        }
    }

    #[test]
    fn search_without_unique_gets_defaults() {
        let mut content = json!({"hist_access_type": "search", "pattern": "a*"});
        fill_defaults("history_request", &mut content);
        let parsed = JupyterMessageContent::from_type_and_content("history_request", content);
        assert!(parsed.is_ok(), "{parsed:?}");
    }

    #[test]
    fn given_fields_win_over_defaults() {
        let mut content = json!({"code": "1", "silent": true, "store_history": false});
        fill_defaults("execute_request", &mut content);
        assert_eq!(content["silent"], json!(true));
        assert_eq!(content["stop_on_error"], json!(true));
    }
}
