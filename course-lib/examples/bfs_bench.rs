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
//! The reference is the course's improved Python BFS (a `deque` and a `set`),
//! which took 6.3 ms on the n = 1000 graph on the machine the course was
//! written on. That figure was not measured here, so the ratio is only
//! indicative: it compares this machine's Rust with that machine's Python.

use std::time::Duration;

use course_lib::bfs::{
    BfsVariant, COURSE_START, CompactGraph, Graph, NAIVE_EDGE_LIMIT, bfs_fast, bfs_fast_early_stop,
    bfs_improved, bfs_naive, median_time,
};

/// The improved Python BFS on the n = 1000 course graph, as measured for the course.
const PYTHON_IMPROVED_MS: f64 = 6.3;

/// The seed of every graph in this benchmark.
const SEED: u64 = 2024;

fn ms(time: Duration) -> f64 {
    time.as_secs_f64() * 1e3
}

fn bench(n: u32, runs: usize) {
    let graph = Graph::course(n, SEED);
    let edges = graph.edge_count();
    println!(
        "\ncourse graph n = {n} ({edges} edges, seed {SEED}), median of {runs} runs (naive: fewer)"
    );

    let compact = CompactGraph::from(&graph);
    let reference = bfs_fast(&compact, COURSE_START);
    assert_eq!(bfs_improved(&graph, COURSE_START), reference);

    let mut naive_ms = None;
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
        let vs_python = if n == 1000 {
            format!(
                "   {:>8.1}× vs Python improved (6.3 ms)",
                PYTHON_IMPROVED_MS / t
            )
        } else {
            String::new()
        };
        println!("  {:<32} {t:>10.4} ms{vs_naive}{vs_python}", variant.name());
    }
}

fn main() {
    println!("BFS from node {COURSE_START} on course graphs (Graph::course)");
    println!(
        "Python reference: improved BFS (deque + set) on n = 1000 took {PYTHON_IMPROVED_MS} ms \
         on the course's machine (not measured here)."
    );
    bench(1000, 101);
    bench(2000, 21);
    bench(4000, 7);
    bench(7750, 5);
}
