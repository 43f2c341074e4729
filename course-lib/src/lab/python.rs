//! The course's Python, run from Rust: the reference programs of the
//! mini-projects and `timeit` on any snippet, so that a notebook can show a
//! Python timing next to a Rust one, measured on the same machine.
//!
//! Python runs as a subprocess: `python3`, or the program named by the
//! `PYTHON` environment variable. The reference programs are part of this
//! library (a kernel on a hub has no checkout of the course's repository):
//! each runs as `python3 -c PROGRAM ARGS`, from memory: no file is written
//! (a fixed name in a shared `/tmp` could be planted by another user of the
//! server). A program prints one JSON object on the last line of its output, which [`run`]
//! returns.
//!
//! Without Python every function returns [`PythonError::Missing`], whose
//! message is "python3 is not installed: the Python timing is skipped":
//! show the Rust timing alone ([`SpeedChart`](crate::lab::SpeedChart) does).
//!
//! ```
//! use course_lib::lab::python;
//! use course_lib::lab::SpeedChart;
//!
//! // Seconds per `x in s` in Python, or why there is no timing.
//! let python = python::timeit_with("s = set(range(1000))", "999 in s", 1000, 3);
//! let chart = SpeedChart::new("Set membership").row("x in s", 2e-9, python.map(|t| t.seconds));
//! println!("{}", chart.summary());
//! ```

use std::fmt;
use std::io::ErrorKind;
use std::process::Command;

use serde_json::Value;

/// The reference programs, by file name, with their source.
const SCRIPTS: [(&str, &str); 5] = [
    ("bfs.py", include_str!("../../python/bfs.py")),
    (
        "codebreaker.py",
        include_str!("../../python/codebreaker.py"),
    ),
    ("nilakantha.py", include_str!("../../python/nilakantha.py")),
    ("stocks.py", include_str!("../../python/stocks.py")),
    ("warmup.py", include_str!("../../python/warmup.py")),
];

/// The program behind [`timeit_with`]: IPython's `%timeit` loop on Python's
/// `timeit` module. Arguments: setup, statement, loops (0: automatic), runs.
const TIMEIT: &str = r#"
import json, sys, timeit
setup, stmt, loops, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
timer = timeit.Timer(stmt, setup)
if loops <= 0:
    loops, _ = timer.autorange()
times = timer.repeat(repeat=max(1, runs), number=loops)
print(json.dumps({"seconds": sum(times) / len(times) / loops,
                  "best": min(times) / loops, "loops": loops, "runs": len(times),
                  "python": sys.version.split()[0]}))
"#;

/// Why Python gave no result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PythonError {
    /// The interpreter could not be started: it is not installed (or
    /// `PYTHON` names a program that does not exist).
    Missing {
        /// The program that was tried (`python3`, or `PYTHON`'s value).
        interpreter: String,
    },
    /// There is no reference program of that name.
    UnknownScript(String),
    /// Python ran but failed (an exception, a wrong argument).
    Failed {
        /// What was run.
        what: String,
        /// The end of Python's error output.
        stderr: String,
    },
    /// Python's last line of output is not a JSON object.
    BadOutput {
        /// What was run.
        what: String,
        /// The last line of output.
        line: String,
    },
    /// The interpreter could not be started, or its output read.
    Io(String),
}

impl fmt::Display for PythonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PythonError::Missing { interpreter } => write!(
                f,
                "{interpreter} is not installed: the Python timing is skipped"
            ),
            PythonError::UnknownScript(name) => write!(
                f,
                "no Python reference program is called {name:?} (there are: {})",
                scripts().join(", ")
            ),
            PythonError::Failed { what, stderr } => {
                write!(f, "Python failed running {what}: {stderr}")
            }
            PythonError::BadOutput { what, line } => write!(
                f,
                "{what} did not end its output with a JSON object (last line: {line:?})"
            ),
            PythonError::Io(message) => write!(f, "cannot run Python: {message}"),
        }
    }
}

impl std::error::Error for PythonError {}

/// The Python interpreter that is run: `PYTHON` if set, else `python3`.
///
/// ```
/// let name = course_lib::lab::python::interpreter();
/// assert!(!name.is_empty());
/// ```
pub fn interpreter() -> String {
    std::env::var("PYTHON")
        .ok()
        .filter(|name| !name.trim().is_empty())
        .unwrap_or_else(|| "python3".to_string())
}

/// The names of the reference programs: `bfs.py`, `codebreaker.py`,
/// `nilakantha.py`, `stocks.py`, `warmup.py`.
///
/// ```
/// assert!(course_lib::lab::python::scripts().contains(&"bfs.py"));
/// ```
pub fn scripts() -> Vec<&'static str> {
    SCRIPTS.iter().map(|(name, _)| *name).collect()
}

/// The source of a reference program, to read it in a notebook.
///
/// ```
/// let source = course_lib::lab::python::source("bfs.py").unwrap();
/// assert!(source.contains("def bfs_improved"));
/// ```
pub fn source(name: &str) -> Option<&'static str> {
    SCRIPTS
        .iter()
        .find(|(script, _)| *script == name)
        .map(|(_, source)| *source)
}

/// Runs the reference program `name` with `args` and returns the JSON
/// object on the last line of its output.
///
/// Every program documents its arguments and fields at its top (see
/// [`source`]); each has a `seconds` field (see [`seconds`]).
///
/// ```no_run
/// use course_lib::lab::python;
///
/// match python::run("warmup.py", &[]) {
///     Ok(result) => println!("{:?} s per call", python::seconds(&result)),
///     Err(error) => println!("{error}"), // python3 is not installed: ...
/// }
/// ```
pub fn run(name: &str, args: &[&str]) -> Result<Value, PythonError> {
    run_with(&interpreter(), name, args)
}

/// [`run`] with the given interpreter.
fn run_with(python: &str, name: &str, args: &[&str]) -> Result<Value, PythonError> {
    let source = source(name).ok_or_else(|| PythonError::UnknownScript(name.to_string()))?;
    let mut command = Command::new(python);
    command.arg("-c").arg(source).args(args);
    output_json(python, command, name)
}

/// Times a Python statement with Python's `timeit` module, as IPython's
/// `%timeit` does: `setup` runs once before each run, untimed; the number
/// of loops is chosen automatically (at least 0.2 s per run), and the mean
/// of 3 runs is returned, in seconds per loop.
///
/// ```no_run
/// use course_lib::lab::python;
///
/// match python::timeit("xs = list(range(10_000))", "9_999 in xs") {
///     Ok(seconds) => println!("{:.1} μs per loop", seconds * 1e6),
///     Err(error) => println!("{error}"),
/// }
/// ```
pub fn timeit(setup: &str, statement: &str) -> Result<f64, PythonError> {
    timeit_with(setup, statement, 0, 3).map(|timing| timing.seconds)
}

/// A Python timing from [`timeit_with`].
#[derive(Debug, Clone, PartialEq)]
pub struct PythonTiming {
    /// The mean time per loop over the runs, in seconds.
    pub seconds: f64,
    /// The best run's time per loop, in seconds.
    pub best: f64,
    /// Loops per run.
    pub loops: u64,
    /// Runs.
    pub runs: u64,
    /// Python's version, such as `3.12.3`.
    pub version: String,
}

/// [`timeit`] with a chosen number of `loops` per run (0: automatic, at
/// least 0.2 s per run) and of `runs`; setup runs before each run.
///
/// ```no_run
/// use course_lib::lab::python;
///
/// let timing = python::timeit_with("from decimal import Decimal", "Decimal('0.1') + Decimal('0.2')", 10_000, 3);
/// if let Ok(timing) = timing {
///     println!("{:.0} ns per loop, Python {}", timing.seconds * 1e9, timing.version);
/// }
/// ```
pub fn timeit_with(
    setup: &str,
    statement: &str,
    loops: u64,
    runs: usize,
) -> Result<PythonTiming, PythonError> {
    timeit_in(&interpreter(), setup, statement, loops, runs)
}

/// [`timeit_with`] with the given interpreter.
fn timeit_in(
    python: &str,
    setup: &str,
    statement: &str,
    loops: u64,
    runs: usize,
) -> Result<PythonTiming, PythonError> {
    let mut command = Command::new(python);
    command
        .arg("-c")
        .arg(TIMEIT)
        .args([setup, statement, &loops.to_string(), &runs.to_string()]);
    let value = output_json(python, command, &format!("timeit of {statement:?}"))?;
    parse_timing(&value).ok_or_else(|| PythonError::BadOutput {
        what: format!("timeit of {statement:?}"),
        line: value.to_string(),
    })
}

/// Reads [`timeit_with`]'s JSON object.
fn parse_timing(value: &Value) -> Option<PythonTiming> {
    Some(PythonTiming {
        seconds: seconds(value)?,
        best: value.get("best")?.as_f64()?,
        loops: value.get("loops")?.as_u64()?,
        runs: value.get("runs")?.as_u64()?,
        version: value.get("python")?.as_str()?.to_string(),
    })
}

/// The value of `result`, or `None` after printing why there is none (on
/// stdout, where a notebook shows it): a cell goes on with the Rust timing.
///
/// ```
/// use course_lib::lab::python::{self, PythonError};
///
/// let missing: Result<f64, _> = Err(PythonError::Missing { interpreter: "python3".into() });
/// assert_eq!(python::or_skip(missing), None); // prints: python3 is not installed: ...
/// assert_eq!(python::or_skip(Ok::<_, PythonError>(0.5)), Some(0.5));
/// ```
pub fn or_skip<T>(result: Result<T, PythonError>) -> Option<T> {
    result.map_err(|error| println!("{error}")).ok()
}

/// The `seconds` field of a result of [`run`].
///
/// ```
/// let result = serde_json::json!({"seconds": 0.25, "runs": 3});
/// assert_eq!(course_lib::lab::python::seconds(&result), Some(0.25));
/// ```
pub fn seconds(result: &Value) -> Option<f64> {
    field(result, "seconds")
}

/// A number field of a result of [`run`] (`None` if absent or not a number).
///
/// ```
/// let result = serde_json::json!({"naive_seconds": 1.5});
/// assert_eq!(course_lib::lab::python::field(&result, "naive_seconds"), Some(1.5));
/// ```
pub fn field(result: &Value, name: &str) -> Option<f64> {
    result.get(name).and_then(Value::as_f64)
}

/// The JSON object on the last non-empty line of `stdout`.
///
/// ```
/// use course_lib::lab::python::last_json_line;
///
/// let value = last_json_line("working...\n{\"seconds\": 2.0}\n\n").unwrap();
/// assert_eq!(value["seconds"], 2.0);
/// assert_eq!(last_json_line("no json here"), None);
/// ```
pub fn last_json_line(stdout: &str) -> Option<Value> {
    let last = stdout.lines().rev().find(|line| !line.trim().is_empty())?;
    serde_json::from_str::<Value>(last.trim())
        .ok()
        .filter(Value::is_object)
}

/// Runs `command` and reads the JSON object that ends its output.
fn output_json(python: &str, mut command: Command, what: &str) -> Result<Value, PythonError> {
    let output = command.output().map_err(|error| match error.kind() {
        ErrorKind::NotFound | ErrorKind::PermissionDenied => PythonError::Missing {
            interpreter: python.to_string(),
        },
        _ => PythonError::Io(format!("{python}: {error}")),
    })?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let lines: Vec<&str> = stderr.trim().lines().collect();
        let tail = lines[lines.len().saturating_sub(5)..].join("\n");
        return Err(PythonError::Failed {
            what: what.to_string(),
            stderr: format!("{tail} ({})", output.status),
        });
    }
    last_json_line(&stdout).ok_or_else(|| PythonError::BadOutput {
        what: what.to_string(),
        line: stdout
            .lines()
            .rev()
            .find(|line| !line.trim().is_empty())
            .unwrap_or("")
            .to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn python_available() -> bool {
        Command::new(interpreter())
            .arg("--version")
            .output()
            .is_ok()
    }

    #[test]
    fn last_line_json_is_parsed() {
        let value = last_json_line("a: 1\nb: 2\n{\"seconds\": 0.5, \"runs\": 3}\n").unwrap();
        assert_eq!(seconds(&value), Some(0.5));
        assert_eq!(field(&value, "runs"), Some(3.0));
        assert_eq!(field(&value, "missing"), None);
        assert_eq!(last_json_line(""), None);
        assert_eq!(last_json_line("{\"seconds\": 1}\ndone"), None);
        assert_eq!(last_json_line("[1, 2]"), None);
        let timing = parse_timing(&serde_json::json!({
            "seconds": 2e-8, "best": 1e-8, "loops": 1000, "runs": 3, "python": "3.12.1"
        }))
        .unwrap();
        assert_eq!((timing.seconds, timing.loops, timing.runs), (2e-8, 1000, 3));
        assert_eq!(parse_timing(&serde_json::json!({"seconds": 1.0})), None);
    }

    #[test]
    fn every_script_is_embedded() {
        assert_eq!(scripts().len(), 5);
        for name in scripts() {
            assert!(source(name).unwrap().contains("json"), "{name}");
        }
        assert_eq!(source("nope.py"), None);
        let error = run("nope.py", &[]).unwrap_err();
        assert!(error.to_string().contains("bfs.py"), "{error}");
    }

    #[test]
    fn missing_python_is_a_clear_error() {
        // `PYTHON` itself is set in tests/python_missing.rs, a test binary of its own.
        let nowhere = "/nonexistent/python3-for-course-tests";
        let timed = timeit_in(nowhere, "", "pass", 0, 3);
        let ran = run_with(nowhere, "warmup.py", &[]);
        for error in [timed.unwrap_err(), ran.unwrap_err()] {
            let expected = PythonError::Missing {
                interpreter: nowhere.to_string(),
            };
            assert_eq!(error, expected);
            assert_eq!(
                error.to_string(),
                format!("{nowhere} is not installed: the Python timing is skipped")
            );
        }
    }

    #[test]
    fn python_timeit_and_a_reference_run() {
        if !python_available() {
            eprintln!("python3 missing: skipped");
            return;
        }
        let timing = timeit_with("xs = list(range(100))", "99 in xs", 1000, 2).unwrap();
        assert_eq!((timing.loops, timing.runs), (1000, 2));
        assert!(timing.seconds > 0.0 && timing.best <= timing.seconds);
        let error = timeit_with("", "1/0", 1, 1).unwrap_err();
        assert!(error.to_string().contains("ZeroDivisionError"), "{error}");
        let result = run(
            "nilakantha.py",
            &[
                "--workers",
                "2",
                "--terms-per-worker",
                "1000",
                "--decimal-workers",
                "1",
                "--decimal-terms-per-worker",
                "100",
                "--no-parallel",
            ],
        )
        .unwrap();
        let pi = result["float_value"].as_f64().unwrap();
        assert!((pi - std::f64::consts::PI).abs() < 1e-9, "{pi}");
        assert!(seconds(&result).unwrap() > 0.0);
    }
}
