//! [`Notebook`]: a notebook file read and written as JSON, and the small
//! accessors for its cells (type, source, tags, outputs).
//!
//! Notebooks are handled as JSON values rather than through the typed
//! `nbformat` crate: its model drops what it does not know (attachments of
//! raw cells, outputs it cannot parse, which it also reports on stderr) and
//! adds what was not there (`"language": null` in a kernelspec), while a
//! teacher's notebook must come out with everything it had apart from what
//! the export removes on purpose. The JSON is written the way Python's
//! `nbformat` writes it: keys sorted, one-space indent, sources as lists of
//! lines.

use crate::error::{Error, Place, Result};
use serde::Serialize;
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A notebook read from disk, kept as JSON so that nothing in it is lost.
#[derive(Debug, Clone)]
pub struct Notebook {
    /// Where it was read from, as the user named it.
    pub path: PathBuf,
    /// The whole document.
    pub json: Value,
}

impl Notebook {
    /// Reads and checks a notebook: valid JSON, nbformat 4, well-formed cells.
    pub fn read(path: &Path) -> Result<Notebook> {
        let text = std::fs::read_to_string(path).map_err(|error| {
            Error::io(
                format!("{}: cannot read the notebook", Place::notebook(path)),
                error,
            )
        })?;
        Notebook::parse(path, &text)
    }

    /// Parses and checks the text of a notebook read from `path`.
    pub fn parse(path: &Path, text: &str) -> Result<Notebook> {
        let refuse = |message: String| Error::in_notebook(path, message);
        let json: Value = serde_json::from_str(text)
            .map_err(|e| refuse(format!("not a notebook: invalid JSON: {e}")))?;
        let Value::Object(top) = &json else {
            return Err(refuse(
                "not a notebook: the JSON document is not an object".into(),
            ));
        };
        let major = top.get("nbformat").and_then(Value::as_i64);
        let minor = top.get("nbformat_minor").and_then(Value::as_i64);
        match major {
            Some(4) => {}
            Some(major) => {
                return Err(refuse(format!(
                    "nbformat {major}.{} is not supported: rcourse reads nbformat 4 notebooks \
                     (convert this one with `jupyter nbconvert --to notebook --nbformat 4`)",
                    minor.unwrap_or(0)
                )));
            }
            None => {
                return Err(refuse(
                    "not a notebook: it has no `nbformat` version number".into(),
                ));
            }
        }
        if !top.get("metadata").is_some_and(Value::is_object) {
            return Err(refuse(
                "not a valid notebook: it has no `metadata` object".into(),
            ));
        }
        let Some(cells) = top.get("cells").and_then(Value::as_array) else {
            return Err(refuse(
                "not a valid notebook: it has no `cells` list".into(),
            ));
        };
        for (index, cell) in cells.iter().enumerate() {
            check_cell(cell).map_err(|problem| {
                Error::at(
                    Place::cell(path, index, None),
                    format!("not a valid cell: {problem}"),
                )
            })?;
        }
        let mut notebook = Notebook {
            path: path.to_owned(),
            json,
        };
        notebook.add_missing_cell_ids();
        Ok(notebook)
    }

    /// The cells, in order.
    pub fn cells(&self) -> &[Value] {
        self.json["cells"].as_array().map_or(&[], Vec::as_slice)
    }

    /// The cells, to change them.
    pub fn cells_mut(&mut self) -> &mut Vec<Value> {
        if !self.json["cells"].is_array() {
            self.json["cells"] = Value::Array(Vec::new());
        }
        match &mut self.json["cells"] {
            Value::Array(cells) => cells,
            _ => unreachable!("cells was just made an array"),
        }
    }

    /// Where a cell (counted from 0) of this notebook is, for messages.
    pub fn place(&self, cell: usize, grade_id: Option<&str>) -> Place {
        Place::cell(&self.path, cell, grade_id)
    }

    /// nbformat 4.5 requires an id on every cell; a few tools forget them.
    fn add_missing_cell_ids(&mut self) {
        if self.json["nbformat_minor"].as_i64().unwrap_or(0) < 5 {
            return;
        }
        for cell in self.cells_mut() {
            let has_id = cell
                .get("id")
                .and_then(Value::as_str)
                .is_some_and(|id| !id.is_empty());
            if !has_id {
                let id = uuid::Uuid::new_v4().simple().to_string();
                cell["id"] = Value::String(id[..8].to_owned());
            }
        }
    }

    /// The notebook as nbformat writes it.
    pub fn to_text(&self) -> String {
        let mut value = self.json.clone();
        split_multiline(&mut value);
        let mut bytes = Vec::new();
        let formatter = serde_json::ser::PrettyFormatter::with_indent(b" ");
        let mut serializer = serde_json::Serializer::with_formatter(&mut bytes, formatter);
        value
            .serialize(&mut serializer)
            .expect("a JSON value always serializes");
        bytes.push(b'\n');
        String::from_utf8(bytes).expect("serde_json writes UTF-8")
    }

    /// Writes the notebook to `destination` all at once: into a temporary
    /// file beside it, then renamed over it, so that a failure leaves no
    /// half-written notebook behind.
    pub fn write_to(&self, destination: &Path) -> Result<()> {
        write_atomically(destination, self.to_text().as_bytes())
    }
}

/// Checks the parts of a cell that the commands rely on; says what is
/// wrong otherwise.
fn check_cell(cell: &Value) -> Result<(), String> {
    let Value::Object(fields) = cell else {
        return Err("it is not a JSON object".into());
    };
    match fields.get("cell_type").and_then(Value::as_str) {
        Some("code" | "markdown" | "raw") => {}
        Some(other) => return Err(format!("unknown cell_type `{other}`")),
        None => return Err("it has no cell_type".into()),
    }
    match fields.get("source") {
        Some(Value::String(_)) => {}
        Some(Value::Array(lines)) if lines.iter().all(Value::is_string) => {}
        Some(_) => return Err("its source is neither a string nor a list of strings".into()),
        None => return Err("it has no source".into()),
    }
    if !fields.get("metadata").is_some_and(Value::is_object) {
        return Err("it has no metadata object".into());
    }
    if fields["cell_type"] == "code" && fields.get("outputs").is_some_and(|o| !o.is_array()) {
        return Err("its outputs are not a list".into());
    }
    Ok(())
}

/// The type of a cell: `code`, `markdown` or `raw`.
pub fn cell_type(cell: &Value) -> &str {
    cell["cell_type"].as_str().unwrap_or_default()
}

/// The source of a cell as one string.
pub fn cell_source(cell: &Value) -> String {
    match &cell["source"] {
        Value::String(text) => text.clone(),
        Value::Array(lines) => lines.iter().filter_map(Value::as_str).collect(),
        _ => String::new(),
    }
}

/// Replaces the source of a cell.
pub fn set_cell_source(cell: &mut Value, source: &str) {
    cell["source"] = Value::String(source.to_owned());
}

/// The tags of a cell (`metadata.tags`).
pub fn cell_tags(cell: &Value) -> Vec<&str> {
    cell["metadata"]["tags"]
        .as_array()
        .map(|tags| tags.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// Removes the outputs and the execution count of a code cell.
pub fn clear_outputs(cell: &mut Value) {
    if cell_type(cell) == "code" {
        cell["outputs"] = Value::Array(Vec::new());
        cell["execution_count"] = Value::Null;
    }
}

/// The first line of code worth showing to name a cell (cut to 60 characters).
pub fn first_code_line(source: &str) -> String {
    let line = source
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .unwrap_or_default();
    if line.chars().count() > 60 {
        format!("{}...", line.chars().take(57).collect::<String>())
    } else {
        line.to_owned()
    }
}

/// Writes `bytes` to a temporary file in `destination`'s directory, then
/// renames it to `destination`.
pub fn write_atomically(destination: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match destination.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_owned(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir)
        .map_err(|e| Error::io(format!("cannot create the directory {}", dir.display()), e))?;
    let mut file = tempfile::Builder::new()
        .prefix(".rcourse-")
        .suffix(".ipynb.part")
        .tempfile_in(&dir)
        .map_err(|e| Error::io(format!("cannot write in {}", dir.display()), e))?;
    let cannot_write = |e| Error::io(format!("cannot write {}", destination.display()), e);
    file.write_all(bytes)
        .and_then(|()| file.as_file().sync_all())
        .map_err(cannot_write)?;
    file.persist(destination)
        .map_err(|e| cannot_write(e.error))?;
    Ok(())
}

/// Whether two paths name the same file (the second may not exist yet).
pub fn same_file(a: &Path, b: &Path) -> bool {
    fn canonical(path: &Path) -> Option<PathBuf> {
        if let Ok(path) = path.canonicalize() {
            return Some(path);
        }
        let parent = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        Some(parent.canonicalize().ok()?.join(path.file_name()?))
    }
    match (canonical(a), canonical(b)) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

/// Splits sources, stream texts and text outputs into lists of lines, as
/// Python's nbformat writes them.
fn split_multiline(notebook: &mut Value) {
    let Some(cells) = notebook.get_mut("cells").and_then(Value::as_array_mut) else {
        return;
    };
    for cell in cells {
        split_field(cell, "source");
        let Some(outputs) = cell.get_mut("outputs").and_then(Value::as_array_mut) else {
            continue;
        };
        for output in outputs {
            split_field(output, "text");
            if let Some(Value::Object(data)) = output.get_mut("data") {
                for (mime, value) in data.iter_mut() {
                    let textual = mime.starts_with("text/")
                        || mime == "image/svg+xml"
                        || mime == "application/javascript";
                    if textual && let Value::String(text) = value {
                        *value = lines_value(text);
                    }
                }
            }
        }
    }
}

fn split_field(object: &mut Value, key: &str) {
    if let Some(Value::String(text)) = object.get(key) {
        let lines = lines_value(text);
        object[key] = lines;
    }
}

fn lines_value(text: &str) -> Value {
    Value::Array(
        text.split_inclusive('\n')
            .map(|line| Value::String(line.to_owned()))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Notebook> {
        Notebook::parse(Path::new("nb.ipynb"), text)
    }

    const MINIMAL: &str = r#"{"nbformat": 4, "nbformat_minor": 5, "metadata": {"x": {"kept": [1, 2]}},
        "cells": [{"cell_type": "raw", "id": "a1", "metadata": {"custom": true}, "source": "r",
                   "attachments": {"f.png": {"image/png": "AAAA"}}},
                  {"cell_type": "code", "metadata": {}, "source": ["a\n", "b"],
                   "outputs": [], "execution_count": null}]}"#;

    #[test]
    fn everything_unknown_is_kept() {
        let notebook = parse(MINIMAL).unwrap();
        let text = notebook.to_text();
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["metadata"]["x"]["kept"], serde_json::json!([1, 2]));
        assert_eq!(
            back["cells"][0]["attachments"]["f.png"]["image/png"],
            "AAAA"
        );
        assert_eq!(back["cells"][0]["metadata"]["custom"], true);
        assert_eq!(back["cells"][1]["source"], serde_json::json!(["a\n", "b"]));
        assert!(
            back["cells"][1]["id"]
                .as_str()
                .is_some_and(|id| !id.is_empty())
        );
        assert!(text.ends_with("}\n") && text.starts_with("{\n \"cells\""));
    }

    #[test]
    fn bad_documents_are_named() {
        let error = parse("{\"nbformat\": 4,").unwrap_err().to_string();
        assert!(
            error.starts_with("nb.ipynb: not a notebook: invalid JSON"),
            "{error}"
        );
        let error =
            parse(r#"{"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": []}"#)
                .unwrap_err()
                .to_string();
        assert!(error.contains("nbformat 3.0 is not supported"), "{error}");
        let error = parse(
            r#"{"nbformat": 4, "nbformat_minor": 5, "metadata": {},
            "cells": [{"cell_type": "code", "metadata": {}}]}"#,
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            error,
            "nb.ipynb: cell 1: not a valid cell: it has no source"
        );
    }

    #[test]
    fn unreadable_files_say_why() {
        let error = Notebook::read(Path::new("/nonexistent/nb.ipynb"))
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("/nonexistent/nb.ipynb: cannot read the notebook: "),
            "{error}"
        );
    }

    #[test]
    fn writing_replaces_the_file_whole() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.ipynb");
        write_atomically(&target, b"first").unwrap();
        write_atomically(&target, b"second").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "second");
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1);
        assert!(same_file(&target, &dir.path().join("./out.ipynb")));
        assert!(!same_file(&target, &dir.path().join("other.ipynb")));
    }
}
