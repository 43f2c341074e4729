//! Benchmark of the three breadth-first searches of mini-project 3.
//!
//! Run with:
//!
//! ```text
//! cargo run -p course_lib --release --example bfs_bench
//! ```
//!
//! It prints the median time of each variant (see `BfsVariant`) on the course's graph
//! (n = 1000 nodes, about 167,000 edges, seed fixed) and on larger course
//! graphs of 2000, 4000 and 7750 nodes (about 0.67, 2.7 and 10 million
//! edges). The naive variant is skipped above 2 million edges, where it would
//! take seconds per run.
//!
//! The reference is the course's Python, measured in the same run: the
//! benchmark saves the n = 1000 graph as JSON in a temporary file and runs
//! `course-lib/python/bfs.py` on it, which times the improved search (a `deque`
//! and a `set`) and the naive one (two lists) from node 1. The Python visit
//! order must have the same length as the Rust one; each Rust variant on
//! that graph is then shown as a speed-up over the improved Python search.
//! Set `PYTHON` to choose the interpreter (default `python3`); without one,
//! the Rust figures still print.

use course_lib::lab::python;

use std::time::Duration;

use course_lib::bfs::{
    BfsVariant, COURSE_START, CompactGraph, Graph, NAIVE_EDGE_LIMIT, bfs_fast, bfs_fast_early_stop,
    bfs_improved, bfs_naive, median_time,
};

/// The seed of every graph in this benchmark.
const SEED: u64 = 2024;

/// The size of the course's graph, the one the Python reference runs on.
const COURSE_N: u32 = 1000;

/// Median times of the Python searches on the course graph, in milliseconds.
struct PythonTimes {
    improved_ms: f64,
    naive_ms: Option<f64>,
}

/// Saves the course graph to a temporary file and times the Python searches
/// on it; `None` (after a message) if Python is unavailable or disagrees.
fn python_reference(graph: &Graph, expected_len: usize) -> Option<PythonTimes> {
    let path = std::env::temp_dir().join(format!("bfs_bench_graph_{}.json", std::process::id()));
    if let Err(error) = graph.save(&path) {
        eprintln!("python reference: {error}");
        return None;
    }
    let path_arg = path.to_string_lossy().into_owned();
    let result = python::or_skip(python::run(
        "bfs.py",
        &[&path_arg, "--runs", "51", "--naive-runs", "3"],
    ));
    let _ = std::fs::remove_file(&path);
    let result = result?;
    let order_len = result.get("order_len").and_then(|v| v.as_u64());
    if order_len != Some(expected_len as u64) {
        eprintln!(
            "python reference: visit order of length {order_len:?}, expected {expected_len}; ignored"
        );
        return None;
    }
    Some(PythonTimes {
        improved_ms: python::seconds(&result)? * 1e3,
        naive_ms: result
            .get("naive_seconds")
            .and_then(|v| v.as_f64())
            .map(|s| s * 1e3),
    })
}

fn ms(time: Duration) -> f64 {
    time.as_secs_f64() * 1e3
}

/// Times every variant on the course graph of `n` nodes, prints one line
/// each, and returns the median times in milliseconds.
fn bench(n: u32, runs: usize, python: Option<&PythonTimes>) -> Vec<(BfsVariant, f64)> {
    let graph = Graph::course(n, SEED);
    let edges = graph.edge_count();
    println!(
        "\ncourse graph n = {n} ({edges} edges, seed {SEED}), median of {runs} runs (naive: fewer)"
    );

    let compact = CompactGraph::from(&graph);
    let reference = bfs_fast(&compact, COURSE_START);
    assert_eq!(bfs_improved(&graph, COURSE_START), reference);

    let mut naive_ms = None;
    let mut times = Vec::new();
    for variant in BfsVariant::ALL {
        let time = match variant {
            BfsVariant::Naive if edges > NAIVE_EDGE_LIMIT => {
                println!(
                    "  {:<32} skipped (more than {NAIVE_EDGE_LIMIT} edges)",
                    variant.name()
                );
                continue;
            }
            BfsVariant::Naive => {
                assert_eq!(bfs_naive(&graph, COURSE_START), reference);
                median_time(runs.min(5), || bfs_naive(&graph, COURSE_START))
            }
            BfsVariant::Improved => median_time(runs, || bfs_improved(&graph, COURSE_START)),
            BfsVariant::Fast => median_time(runs, || bfs_fast(&compact, COURSE_START)),
            BfsVariant::FastEarlyStop => {
                assert_eq!(bfs_fast_early_stop(&compact, COURSE_START), reference);
                median_time(runs, || bfs_fast_early_stop(&compact, COURSE_START))
            }
            BfsVariant::FastWithBuild => {
                median_time(runs, || bfs_fast(&CompactGraph::from(&graph), COURSE_START))
            }
        };
        let t = ms(time);
        if variant == BfsVariant::Naive {
            naive_ms = Some(t);
        }
        let vs_naive = naive_ms.map_or(String::new(), |naive| {
            format!("{:>8.1}× vs naive", naive / t)
        });
        let vs_python = python.map_or(String::new(), |python| {
            format!("   {:>8.1}× vs Python improved", python.improved_ms / t)
        });
        println!("  {:<32} {t:>10.4} ms{vs_naive}{vs_python}", variant.name());
        times.push((variant, t));
    }
    times
}

fn main() {
    println!("BFS from node {COURSE_START} on course graphs (Graph::course)");

    let course = Graph::course(COURSE_N, SEED);
    let expected_len = bfs_fast(&CompactGraph::from(&course), COURSE_START).len();
    let python = python_reference(&course, expected_len);
    match &python {
        Some(python) => {
            println!(
                "Python reference on n = {COURSE_N} (course-lib/python/bfs.py, same graph, \
                 order of length {expected_len}):"
            );
            println!(
                "  improved (deque + set)   {:>10.4} ms (median of 51 runs)",
                python.improved_ms
            );
            if let Some(naive) = python.naive_ms {
                println!("  naive (list + in)        {naive:>10.4} ms (median of 3 runs)");
            }
        }
        None => println!("Python reference: not available (see the message above)"),
    }

    let times = bench(COURSE_N, 101, python.as_ref());
    if let Some(python) = &python {
        let time_of = |wanted| times.iter().find(|(v, _)| *v == wanted).map(|&(_, t)| t);
        if let Some(fast) = time_of(BfsVariant::Fast) {
            println!(
                "  ratio fast (Rust) / improved (Python) = {:.4}: Rust is {:.1}× faster",
                fast / python.improved_ms,
                python.improved_ms / fast
            );
        }
        if let (Some(naive), Some(rust_naive)) = (python.naive_ms, time_of(BfsVariant::Naive)) {
            println!(
                "  naive against naive: Rust is {:.1}× faster than Python",
                naive / rust_naive
            );
        }
    }
    for (n, runs) in [(2000, 21), (4000, 7), (7750, 5)] {
        bench(n, runs, None);
    }
}
