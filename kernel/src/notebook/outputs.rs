//! A cell's iopub messages turned into its outputs in nbformat form, as
//! nbclient does: streams of the same name coalesce, `update_display_data`
//! rewrites the earlier outputs with the same display id, and
//! `clear_output` empties the list (at once, or at the next output when it
//! says `wait`).

use serde_json::{Value, json};
use std::collections::HashMap;

/// The outputs of one cell, as they arrive.
#[derive(Debug, Default)]
pub struct Collector {
    outputs: Vec<Value>,
    /// Output indices by display id.
    displays: HashMap<String, Vec<usize>>,
    clear_at_next: bool,
}

impl Collector {
    /// Takes one iopub message of the cell (`msg_type` and content).
    pub fn add(&mut self, msg_type: &str, content: &Value) {
        match msg_type {
            "stream" => {
                self.clear_if_waiting();
                let name = content["name"].as_str().unwrap_or("stdout");
                let text = content["text"].as_str().unwrap_or_default();
                if let Some(last) = self.outputs.last_mut()
                    && last["output_type"] == "stream"
                    && last["name"] == name
                {
                    let joined = format!("{}{text}", last["text"].as_str().unwrap_or_default());
                    last["text"] = Value::String(joined);
                    return;
                }
                self.outputs
                    .push(json!({"output_type": "stream", "name": name, "text": text}));
            }
            "display_data" | "execute_result" => {
                self.clear_if_waiting();
                let mut output = json!({
                    "output_type": msg_type,
                    "data": object_or_empty(&content["data"]),
                    "metadata": object_or_empty(&content["metadata"]),
                });
                if msg_type == "execute_result" {
                    output["execution_count"] = content["execution_count"].clone();
                }
                if let Some(id) = content["transient"]["display_id"].as_str() {
                    self.displays
                        .entry(id.to_owned())
                        .or_default()
                        .push(self.outputs.len());
                }
                self.outputs.push(output);
            }
            "update_display_data" => {
                let Some(id) = content["transient"]["display_id"].as_str() else {
                    return;
                };
                for &index in self.displays.get(id).into_iter().flatten() {
                    if let Some(output) = self.outputs.get_mut(index) {
                        output["data"] = object_or_empty(&content["data"]);
                        output["metadata"] = object_or_empty(&content["metadata"]);
                    }
                }
            }
            "error" => {
                self.clear_if_waiting();
                self.outputs.push(json!({
                    "output_type": "error",
                    "ename": content["ename"].as_str().unwrap_or("Error"),
                    "evalue": content["evalue"].as_str().unwrap_or_default(),
                    "traceback": content["traceback"].as_array().cloned().unwrap_or_default(),
                }));
            }
            "clear_output" => {
                if content["wait"].as_bool().unwrap_or(false) {
                    self.clear_at_next = true;
                } else {
                    self.clear();
                }
            }
            _ => {}
        }
    }

    /// Adds an error of the runner's own (a timeout, a lost kernel).
    pub fn add_error(&mut self, ename: &str, evalue: &str) {
        self.add(
            "error",
            &json!({"ename": ename, "evalue": evalue, "traceback": [format!("{ename}: {evalue}")]}),
        );
    }

    /// The outputs, for the notebook.
    pub fn into_outputs(self) -> Vec<Value> {
        self.outputs
    }

    fn clear_if_waiting(&mut self) {
        if std::mem::take(&mut self.clear_at_next) {
            self.clear();
        }
    }

    fn clear(&mut self) {
        self.outputs.clear();
        self.displays.clear();
        self.clear_at_next = false;
    }
}

fn object_or_empty(value: &Value) -> Value {
    if value.is_object() {
        value.clone()
    } else {
        json!({})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_coalesce_by_name() {
        let mut outputs = Collector::default();
        outputs.add("stream", &json!({"name": "stdout", "text": "a\n"}));
        outputs.add("stream", &json!({"name": "stdout", "text": "b\n"}));
        outputs.add("stream", &json!({"name": "stderr", "text": "c\n"}));
        assert_eq!(
            outputs.into_outputs(),
            vec![
                json!({"output_type": "stream", "name": "stdout", "text": "a\nb\n"}),
                json!({"output_type": "stream", "name": "stderr", "text": "c\n"}),
            ]
        );
    }

    #[test]
    fn displays_update_in_place() {
        let mut outputs = Collector::default();
        let display = |text: &str| json!({"data": {"text/plain": text}, "metadata": {}, "transient": {"display_id": "bar"}});
        outputs.add("display_data", &display("0%"));
        outputs.add("stream", &json!({"name": "stdout", "text": "working\n"}));
        outputs.add("update_display_data", &display("100%"));
        outputs.add(
            "execute_result",
            &json!({"data": {"text/plain": "3"}, "metadata": {}, "execution_count": 4}),
        );
        let outputs = outputs.into_outputs();
        assert_eq!(outputs.len(), 3);
        assert_eq!(outputs[0]["data"]["text/plain"], "100%");
        assert!(outputs[0].get("transient").is_none());
        assert_eq!(outputs[2]["execution_count"], 4);
    }

    #[test]
    fn clear_output_waits_when_asked() {
        let mut outputs = Collector::default();
        outputs.add("stream", &json!({"name": "stdout", "text": "1"}));
        outputs.add("clear_output", &json!({"wait": true}));
        assert_eq!(outputs.outputs.len(), 1);
        outputs.add("stream", &json!({"name": "stdout", "text": "2"}));
        assert_eq!(outputs.outputs[0]["text"], "2");
        outputs.add("clear_output", &json!({"wait": false}));
        assert!(outputs.outputs.is_empty());
        outputs.add_error("Timeout", "too slow");
        assert_eq!(outputs.outputs[0]["ename"], "Timeout");
    }
}
