//! The median of repeated timings, shared by the benchmarks.

use std::time::{Duration, Instant};

/// The median duration of `runs` runs of `work` (at least one), and its last result.
pub fn median<R>(runs: usize, mut work: impl FnMut() -> R) -> (Duration, R) {
    let runs = runs.max(1);
    let mut times = Vec::with_capacity(runs);
    let mut result = None;
    for _ in 0..runs {
        let started = Instant::now();
        result = Some(std::hint::black_box(work()));
        times.push(started.elapsed());
    }
    times.sort_unstable();
    (times[runs / 2], result.expect("at least one run"))
}
