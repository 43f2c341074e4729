//! Decoding of signed multipart messages into typed Jupyter messages.
//!
//! Signature checking and framing come from `jupyter-zmq-client`. The typed
//! content structs of `jupyter-protocol` require every field, while real
//! clients omit optional ones (a history `search` without `unique`, say), so
//! the documented defaults are filled in before the content is parsed.

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

/// Verifies the signature of `multipart` and decodes it.
pub fn decode(
    multipart: zeromq::ZmqMessage,
    key: &Option<ring::hmac::Key>,
) -> Result<JupyterMessage, DecodeError> {
    let raw = RawMessage::from_multipart(multipart, key)
        .map_err(|e| DecodeError(format!("rejected frames: {e}")))?;
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
