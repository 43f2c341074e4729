//! A cell's iopub messages turned into its outputs in nbformat form, as
//! nbclient does: streams of the same name coalesce, `update_display_data`
//! rewrites the earlier outputs with the same display id, and
//! `clear_output` empties the list (at once, or at the next output when it
//! says `wait`). A cell's outputs are capped at [`OUTPUT_LIMIT`] bytes, the
//! kernel's own cap being the kernel's to keep: what comes after is
//! dropped, and one note at the end says how much.

use jupyter_protocol::{ErrorOutput, JupyterMessageContent, Media, Stdio, Transient};
use serde_json::{Map, Value, json};
use std::collections::HashMap;

/// The most output kept for one cell, in bytes.
pub const OUTPUT_LIMIT: usize = 4 << 20;

/// The outputs of one cell, as they arrive.
#[derive(Debug, Default)]
pub struct Collector {
    /// Bytes of output received, and dropped past the limit.
    received: usize,
    dropped: usize,
    outputs: Vec<Value>,
    /// Output indices by display id.
    displays: HashMap<String, Vec<usize>>,
    clear_at_next: bool,
}

impl Collector {
    /// Takes one iopub message of the cell; messages that are not outputs
    /// (`execute_input`, comms...) are ignored, and outputs past the limit
    /// are counted and dropped.
    pub fn add(&mut self, content: &JupyterMessageContent) {
        let size = match content {
            JupyterMessageContent::StreamContent(stream) => stream.text.len(),
            JupyterMessageContent::DisplayData(display) => media_size(&display.data),
            JupyterMessageContent::ExecuteResult(result) => media_size(&result.data),
            JupyterMessageContent::UpdateDisplayData(update) => media_size(&update.data),
            JupyterMessageContent::ErrorOutput(error) => {
                error.evalue.len() + error.traceback.iter().map(String::len).sum::<usize>()
            }
            _ => 0,
        };
        if self.dropped > 0 || self.received.saturating_add(size) > OUTPUT_LIMIT {
            self.dropped = self.dropped.saturating_add(size);
            return;
        }
        self.received += size;
        self.keep(content);
    }

    fn keep(&mut self, content: &JupyterMessageContent) {
        match content {
            JupyterMessageContent::StreamContent(stream) => {
                self.clear_if_waiting();
                let name = match stream.name {
                    Stdio::Stdout => "stdout",
                    Stdio::Stderr => "stderr",
                };
                if let Some(last) = self.outputs.last_mut()
                    && last["output_type"] == "stream"
                    && last["name"] == name
                {
                    let joined = format!(
                        "{}{}",
                        last["text"].as_str().unwrap_or_default(),
                        stream.text
                    );
                    last["text"] = Value::String(joined);
                    return;
                }
                self.outputs
                    .push(json!({"output_type": "stream", "name": name, "text": stream.text}));
            }
            JupyterMessageContent::DisplayData(display) => {
                let output = rich_output("display_data", &display.data, &display.metadata);
                self.push_rich(output, display.transient.as_ref());
            }
            JupyterMessageContent::ExecuteResult(result) => {
                let mut output = rich_output("execute_result", &result.data, &result.metadata);
                output["execution_count"] = json!(result.execution_count);
                self.push_rich(output, result.transient.as_ref());
            }
            JupyterMessageContent::UpdateDisplayData(update) => {
                let Some(id) = update.transient.display_id.as_deref() else {
                    return;
                };
                for &index in self.displays.get(id).into_iter().flatten() {
                    if let Some(output) = self.outputs.get_mut(index) {
                        output["data"] = media_json(&update.data);
                        output["metadata"] = Value::Object(update.metadata.clone());
                    }
                }
            }
            JupyterMessageContent::ErrorOutput(error) => {
                self.clear_if_waiting();
                self.outputs.push(json!({
                    "output_type": "error",
                    "ename": error.ename,
                    "evalue": error.evalue,
                    "traceback": error.traceback,
                }));
            }
            JupyterMessageContent::ClearOutput(clear) => {
                if clear.wait {
                    self.clear_at_next = true;
                } else {
                    self.clear();
                }
            }
            _ => {}
        }
    }

    /// Adds an error of the runner's own (a timeout, a lost kernel), past
    /// any limit.
    pub fn add_error(&mut self, ename: &str, evalue: &str) {
        self.keep(&JupyterMessageContent::ErrorOutput(ErrorOutput {
            ename: ename.to_owned(),
            evalue: evalue.to_owned(),
            traceback: vec![format!("{ename}: {evalue}")],
        }));
    }

    /// The outputs, for the notebook, with a note if some were dropped.
    pub fn into_outputs(mut self) -> Vec<Value> {
        if self.dropped > 0 {
            let note = format!(
                "[rcourse] {} bytes of this cell's output were left out: the grader keeps {} MiB per cell\n",
                self.dropped,
                OUTPUT_LIMIT >> 20
            );
            self.outputs
                .push(json!({"output_type": "stream", "name": "stderr", "text": note}));
        }
        self.outputs
    }

    /// Adds a display or a result, remembering its display id for updates.
    fn push_rich(&mut self, output: Value, transient: Option<&Transient>) {
        self.clear_if_waiting();
        if let Some(id) = transient.and_then(|t| t.display_id.as_deref()) {
            self.displays
                .entry(id.to_owned())
                .or_default()
                .push(self.outputs.len());
        }
        self.outputs.push(output);
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

/// A `display_data` or `execute_result` output, without its count.
fn rich_output(output_type: &str, data: &Media, metadata: &Map<String, Value>) -> Value {
    json!({
        "output_type": output_type,
        "data": media_json(data),
        "metadata": metadata,
    })
}

/// The bytes a MIME bundle carries, about.
fn media_size(data: &Media) -> usize {
    serde_json::to_string(data).map_or(0, |text| text.len())
}

/// A MIME bundle as nbformat keeps it: MIME type to data.
fn media_json(data: &Media) -> Value {
    match serde_json::to_value(data) {
        Ok(value @ Value::Object(_)) => value,
        _ => json!({}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jupyter_protocol::{
        ClearOutput, DisplayData, ExecuteResult, ExecutionCount, MediaType, StreamContent,
        UpdateDisplayData,
    };

    fn stream(name: Stdio, text: &str) -> JupyterMessageContent {
        JupyterMessageContent::StreamContent(StreamContent {
            name,
            text: text.to_owned(),
        })
    }

    #[test]
    fn output_past_the_limit_is_dropped_with_a_note() {
        let mut collector = Collector::default();
        let line = "x".repeat(1 << 20);
        for _ in 0..6 {
            collector.add(&stream(Stdio::Stdout, &line));
        }
        collector.add_error("Timeout", "the cell ran too long");
        let outputs = collector.into_outputs();
        assert_eq!(outputs[0]["text"].as_str().unwrap().len(), OUTPUT_LIMIT);
        assert_eq!(
            outputs[1]["ename"], "Timeout",
            "the runner's own error is kept"
        );
        let note = outputs[2]["text"].as_str().unwrap();
        assert!(note.contains(&format!("{} bytes", 2 << 20)), "{note}");
    }

    fn clear(wait: bool) -> JupyterMessageContent {
        JupyterMessageContent::ClearOutput(ClearOutput { wait })
    }

    #[test]
    fn streams_coalesce_by_name() {
        let mut outputs = Collector::default();
        outputs.add(&stream(Stdio::Stdout, "a\n"));
        outputs.add(&stream(Stdio::Stdout, "b\n"));
        outputs.add(&stream(Stdio::Stderr, "c\n"));
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
        let text = |text: &str| Media::from(MediaType::Plain(text.to_owned()));
        let mut display = DisplayData::new(text("0%"));
        display.transient = Some(Transient {
            display_id: Some("bar".into()),
        });
        outputs.add(&display.into());
        outputs.add(&stream(Stdio::Stdout, "working\n"));
        outputs.add(&UpdateDisplayData::new(text("100%"), "bar").into());
        let result = ExecuteResult {
            execution_count: ExecutionCount::new(4),
            data: text("3"),
            ..ExecuteResult::default()
        };
        outputs.add(&result.into());
        let outputs = outputs.into_outputs();
        assert_eq!(outputs.len(), 3);
        assert_eq!(outputs[0]["data"]["text/plain"], "100%");
        assert!(outputs[0].get("transient").is_none());
        assert_eq!(outputs[2]["execution_count"], 4);
    }

    #[test]
    fn clear_output_waits_when_asked() {
        let mut outputs = Collector::default();
        outputs.add(&stream(Stdio::Stdout, "1"));
        outputs.add(&clear(true));
        assert_eq!(outputs.outputs.len(), 1);
        outputs.add(&stream(Stdio::Stdout, "2"));
        assert_eq!(outputs.outputs[0]["text"], "2");
        outputs.add(&clear(false));
        assert!(outputs.outputs.is_empty());
        outputs.add_error("Timeout", "too slow");
        assert_eq!(outputs.outputs[0]["ename"], "Timeout");
    }
}
