//! Sequential against parallel Nilakantha sums (mini-project 5).
//!
//! Run with:
//!
//! ```text
//! cargo run -p course_lib --release --example nilakantha_bench
//! ```
//!
//! Workloads:
//!
//! - `f64`: the course's split, 6 workers × 10,000,000 terms (60 million terms);
//! - exact big-integer sum: 6 workers × 500,000 terms at 50 decimal places.
//!
//! Each is timed as the median of 7 runs, computed once with the partial sums
//! one after the other and once with one rayon task per partial sum. The
//! speed-up is bounded by the number of cores (rayon uses one thread per core).
//!
//! The same workloads run in the course's Python, in the same run
//! (`course-lib/python/nilakantha.py`, one run of each, which takes seconds): the
//! float loop and the `decimal` module at 50 places, each one after the other
//! and split over a `multiprocessing.Pool` of 6 processes (its start-up
//! included). The Python values are compared with the Rust ones (f64 to
//! within 1e-12, the decimal sum on all 50 places). Set `PYTHON` to choose
//! the interpreter (default `python3`); without one, the Rust figures still
//! print.

use course_lib::lab::python;
#[path = "common/median.rs"]
mod timings;

use std::time::Duration;

use serde_json::Value;

use course_lib::nilakantha::{
    Split, matching_digits, matching_digits_f64, pi_accelerated, pi_decimal, pi_decimal_parallel,
    pi_f64_parallel, pi_f64_sequential,
};

const RUNS: usize = 7;

/// The median duration of `RUNS` runs of `work`, and its last result.
fn median<R>(work: impl FnMut() -> R) -> (Duration, R) {
    timings::median(RUNS, work)
}

/// The number of Python runs (the median is kept): one, since a single
/// float run already adds 60 million terms twice, in 5 to 10 seconds.
const PYTHON_RUNS: &str = "1";

/// The course's Python on the same workloads as this benchmark.
fn python_reference(float: Split, exact: Split, decimals: u32) -> Option<Value> {
    let args = [
        "--workers".to_string(),
        float.workers.to_string(),
        "--terms-per-worker".to_string(),
        float.terms_per_worker.to_string(),
        "--decimal-workers".to_string(),
        exact.workers.to_string(),
        "--decimal-terms-per-worker".to_string(),
        exact.terms_per_worker.to_string(),
        "--decimals".to_string(),
        decimals.to_string(),
        "--runs".to_string(),
        PYTHON_RUNS.to_string(),
    ];
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    python::or_skip(python::run("nilakantha.py", &args))
}

/// A field of the Python result, in seconds.
fn field_seconds(result: &Value, name: &str) -> Option<Duration> {
    result
        .get(name)
        .and_then(Value::as_f64)
        .and_then(|seconds| Duration::try_from_secs_f64(seconds).ok())
}

/// Prints the Python times of one workload and how much faster Rust is.
fn report_python(
    label: &str,
    python: (Option<Duration>, Option<Duration>),
    rust: (Duration, Duration),
) {
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    if let (Some(sequential), Some(parallel)) = python {
        println!(
            "  {:<8} sequential {:>9.2} ms   parallel {:>9.2} ms   speed-up {:.2}×   (Python)",
            label,
            ms(sequential),
            ms(parallel),
            sequential.as_secs_f64() / parallel.as_secs_f64()
        );
    }
    if let Some(sequential) = python.0 {
        print!(
            "  Rust is {:.1}× faster one after the other",
            sequential.as_secs_f64() / rust.0.as_secs_f64()
        );
    }
    if let Some(parallel) = python.1 {
        print!(
            ", {:.1}× faster in parallel (rayon against multiprocessing)",
            parallel.as_secs_f64() / rust.1.as_secs_f64()
        );
    }
    println!();
}

fn report(label: &str, sequential: Duration, parallel: Duration) {
    println!(
        "  {label:<8} sequential {:>9.2} ms   parallel {:>9.2} ms   speed-up {:.2}×",
        sequential.as_secs_f64() * 1e3,
        parallel.as_secs_f64() * 1e3,
        sequential.as_secs_f64() / parallel.as_secs_f64()
    );
}

fn main() {
    println!(
        "Nilakantha π, median of {RUNS} runs, rayon threads: {}",
        rayon::current_num_threads()
    );

    let float_split = Split::COURSE;
    let exact_split = Split::new(6, 500_000);
    let decimals = 50;
    println!(
        "running the Python reference (course-lib/python/nilakantha.py, {PYTHON_RUNS} run(s))..."
    );
    let python = python_reference(float_split, exact_split, decimals);
    if python.is_none() {
        println!("Python reference: not available (see the message above)");
    }

    let split = float_split;
    println!(
        "\nf64, {} workers × {} terms:",
        split.workers, split.terms_per_worker
    );
    let (seq_time, seq) = median(|| pi_f64_sequential(split));
    let (par_time, par) = median(|| pi_f64_parallel(split));
    assert_eq!(seq.to_bits(), par.to_bits());
    report("f64", seq_time, par_time);
    println!(
        "  π ≈ {seq:.17} ({} digits match; identical bits in both runs)",
        matching_digits_f64(seq)
    );
    if let Some(python) = &python {
        report_python(
            "f64",
            (
                field_seconds(python, "seconds"),
                field_seconds(python, "float_parallel_seconds"),
            ),
            (seq_time, par_time),
        );
        match python.get("float_value").and_then(Value::as_f64) {
            Some(value) if value.to_bits() == seq.to_bits() => {
                println!("  Python's float sum: {value:.17}, the same bits as Rust's")
            }
            Some(value) if (value - seq).abs() < 1e-12 => println!(
                "  Python's float sum: {value:.17} (differs from Rust's by {:e})",
                (value - seq).abs()
            ),
            other => println!("  Python's float sum {other:?} does not match Rust's {seq}!"),
        }
    }

    let split = exact_split;
    println!(
        "\nexact, {} workers × {} terms, {decimals} decimal places:",
        split.workers, split.terms_per_worker
    );
    let (seq_time, seq) = median(|| pi_decimal(split.total_terms(), decimals));
    let (par_time, par) = median(|| pi_decimal_parallel(split, decimals));
    assert_eq!(seq, par);
    report("exact", seq_time, par_time);
    println!(
        "  π ≈ {seq} ({} digits match; identical in both runs)",
        matching_digits(&seq.to_string())
    );
    if let Some(python) = &python {
        report_python(
            "decimal",
            (
                field_seconds(python, "decimal_seconds"),
                field_seconds(python, "decimal_parallel_seconds"),
            ),
            (seq_time, par_time),
        );
        let rust = seq.to_string();
        match python.get("decimal_value").and_then(Value::as_str) {
            Some(value) if value == rust => {
                println!("  Python's decimal sum has the same {decimals} decimal places")
            }
            other => println!("  Python's decimal sum {other:?} differs from Rust's {rust}!"),
        }
    }

    let (time, pi) = median(|| pi_accelerated(100));
    println!(
        "\naccelerated series, 100 decimal places: {:.3} ms, {} digits match\n  {pi}",
        time.as_secs_f64() * 1e3,
        pi.matching_digits()
    );
}
