//! Without Python, the course's Python timings are skipped with a clear
//! message, and the Rust side is still shown.
//!
//! This binary holds one test only: it sets `PYTHON`, which no other test
//! may read at the same time.

use course_lib::lab::SpeedChart;
use course_lib::lab::python::{self, PythonError};

#[test]
fn a_missing_interpreter_skips_the_python_timing() {
    let nowhere = "/nonexistent/python3-for-course-tests";
    // SAFETY: this is the only test of this binary, so no other thread reads
    // the environment while it changes.
    unsafe { std::env::set_var("PYTHON", nowhere) };
    assert_eq!(python::interpreter(), nowhere);
    let timed = python::timeit("xs = []", "xs.append(1)");
    let ran = python::run("bfs.py", &["graph.json"]);
    let expected = PythonError::Missing {
        interpreter: nowhere.to_string(),
    };
    assert_eq!(timed, Err(expected.clone()));
    assert_eq!(ran.unwrap_err(), expected);
    assert_eq!(
        expected.to_string(),
        format!("{nowhere} is not installed: the Python timing is skipped")
    );

    let chart = SpeedChart::new("Append").row("push", 2e-9, &timed);
    assert!(
        chart
            .summary()
            .ends_with("push: Rust 2 ns, /nonexistent/python3-for-course-tests is not installed: the Python timing is skipped"),
        "{}",
        chart.summary()
    );
    let svg = chart.to_svg().unwrap();
    assert!(svg.contains("Rust 2 ns") && svg.contains("the Python timing is skipped"));
}
