//! The warm-up's ways of building names, against the course's Python (mini-project 0).
//!
//! Run with:
//!
//! ```text
//! cargo run --release --locked -p course_lib --example warmup_bench
//! ```
//!
//! It times the 110 composed names (hand-written loops against itertools
//! `permutations`) and the 1100 full names (iterator struct, lazy chain,
//! eager `Vec`), then compares their memory. The Python reference,
//! `course-lib/python/warmup.py`, runs the course's versions in the same run on
//! the same machine.
//!
//! Every time is measured like Python's `timeit`: the number of calls grows
//! (1, 2, 5, 10, 20, 50, ...) until one batch lasts 0.2 s, then 7 batches
//! are timed and the median batch time is divided by the number of calls.
//! The lazy ways are timed producing every name (each `String` is built and
//! dropped); the eager way builds and drops the whole `Vec`.

use course_lib::lab::python;

use std::hint::black_box;
use std::time::{Duration, Instant};

use course_lib::warmup::{
    FullNames, MemoryReport, composed_names_itertools, composed_names_loops, full_names_lazy,
    full_names_vec,
};

const REPEATS: usize = 7;

/// Seconds per call of `work`, the way `timeit` measures it.
fn per_call(mut work: impl FnMut()) -> f64 {
    let mut batch = |number: u64| {
        let started = Instant::now();
        for _ in 0..number {
            work();
        }
        started.elapsed()
    };
    let mut number = 1;
    'calibrate: for scale in [1u64, 10, 100, 1_000, 10_000, 100_000, 1_000_000] {
        for step in [1, 2, 5] {
            number = step * scale;
            if batch(number) >= Duration::from_millis(200) {
                break 'calibrate;
            }
        }
    }
    let mut times: Vec<Duration> = (0..REPEATS).map(|_| batch(number)).collect();
    times.sort_unstable();
    times[REPEATS / 2].as_secs_f64() / number as f64
}

fn micros(seconds: f64) -> String {
    format!("{:>9.2} µs", seconds * 1e6)
}

fn row(label: &str, rust: f64, python: Option<f64>) {
    match python {
        Some(python) => println!(
            "  {label:<32} Rust {}   Python {}   Python / Rust {:>6.1}×",
            micros(rust),
            micros(python),
            python / rust
        ),
        None => println!("  {label:<32} Rust {}", micros(rust)),
    }
}

fn main() {
    println!("Warm-up dataset: composed names and full names, time per call (timeit style)");
    assert_eq!(composed_names_loops(), composed_names_itertools());
    assert!(full_names_lazy().eq(full_names_vec()));
    assert!(FullNames::new().eq(full_names_vec()));

    let reference = python::or_skip(python::run("warmup.py", &[]));
    let py = |key: &str| {
        reference
            .as_ref()
            .and_then(|r| r.get(key))
            .and_then(|v| v.as_f64())
    };
    if let Some(version) = reference
        .as_ref()
        .and_then(|r| r.get("python"))
        .and_then(|v| v.as_str())
    {
        println!("Python {version}, measured in this run (course-lib/python/warmup.py)");
    }

    println!("\n110 composed names:");
    let loops = per_call(|| {
        black_box(composed_names_loops());
    });
    let itertools = per_call(|| {
        black_box(composed_names_itertools());
    });
    row("nested loops", loops, py("composed_loops"));
    row(
        "itertools permutations(2)",
        itertools,
        py("composed_itertools"),
    );
    println!(
        "  in Rust, itertools / loops = {:.2} (each permutation is a small Vec)",
        itertools / loops
    );

    println!("\n1100 full names, every name produced:");
    let structure = per_call(|| {
        for name in FullNames::new() {
            black_box(name);
        }
    });
    let lazy = per_call(|| {
        for name in full_names_lazy() {
            black_box(name);
        }
    });
    let eager = per_call(|| {
        black_box(full_names_vec());
    });
    row("iterator struct / class", structure, py("full_class"));
    row("lazy chain / generator", lazy, py("full_generator"));
    row("eager Vec / list", eager, py("full_list"));

    println!("\nMemory:");
    let report = MemoryReport::measure();
    println!("{}", report.table().to_text());
    let bytes = |key: &str| py(key).map_or("?".to_string(), |b| format!("{b:.0}"));
    println!(
        "Python (sys.getsizeof): list of 1100 names {} bytes, generator {} bytes, \
         iterator object with its __dict__ {} bytes",
        bytes("list_bytes"),
        bytes("generator_bytes"),
        bytes("class_bytes"),
    );
    println!(
        "110 composed names: Rust Vec<String> {} bytes, Python list {} bytes",
        report.composed_bytes,
        bytes("composed_bytes")
    );
}
