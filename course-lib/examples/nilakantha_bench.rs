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

use std::time::{Duration, Instant};

use course_lib::nilakantha::{
    Split, matching_digits, matching_digits_f64, pi_accelerated, pi_decimal, pi_decimal_parallel,
    pi_f64_parallel, pi_f64_sequential,
};

const RUNS: usize = 7;

/// The median duration of `RUNS` runs of `work`, and its last result.
fn median<R>(mut work: impl FnMut() -> R) -> (Duration, R) {
    let mut times = Vec::with_capacity(RUNS);
    let mut result = None;
    for _ in 0..RUNS {
        let started = Instant::now();
        result = Some(std::hint::black_box(work()));
        times.push(started.elapsed());
    }
    times.sort_unstable();
    (times[RUNS / 2], result.expect("RUNS > 0"))
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

    let split = Split::COURSE;
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

    let split = Split::new(6, 500_000);
    let decimals = 50;
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

    let (time, pi) = median(|| pi_accelerated(100));
    println!(
        "\naccelerated series, 100 decimal places: {:.3} ms, {} digits match\n  {pi}",
        time.as_secs_f64() * 1e3,
        pi.matching_digits()
    );
}
