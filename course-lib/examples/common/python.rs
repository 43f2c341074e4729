//! Runs the course's Python reference programs (in `bench/python/`) so that
//! every benchmark compares Rust with Python measured in the same run, on
//! the same machine and the same input.
//!
//! A reference script prints one JSON object on its last line of stdout,
//! for example `{"seconds": 0.0063, "runs": 50}`. Include this file in a
//! benchmark with `#[path = "common/python.rs"] mod python;`.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

/// The path of a reference script in `bench/python/`.
pub fn script(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../bench/python")
        .join(name)
}

/// Runs `python3 bench/python/<name> <args...>` and returns the JSON object
/// on the last line of its output, or `None` (with a message on stderr)
/// when Python is missing or the script fails, so the Rust figures still
/// print.
pub fn run(name: &str, args: &[&str]) -> Option<Value> {
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_string());
    let output = match Command::new(&python).arg(script(name)).args(args).output() {
        Ok(output) => output,
        Err(error) => {
            eprintln!("python reference {name}: cannot run {python}: {error}");
            return None;
        }
    };
    if !output.status.success() {
        eprintln!(
            "python reference {name} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
        return None;
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let last = stdout.lines().rev().find(|line| !line.trim().is_empty())?;
    match serde_json::from_str(last) {
        Ok(value) => Some(value),
        Err(error) => {
            eprintln!("python reference {name}: bad output {last:?}: {error}");
            None
        }
    }
}

/// The `seconds` field of a reference's result.
pub fn seconds(result: &Value) -> Option<f64> {
    result.get("seconds").and_then(Value::as_f64)
}
