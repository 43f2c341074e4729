//! How precise is `%timeit`? The same bodies timed by `lab::timing` (the
//! code the magic expands to) and by criterion, in one run.
//!
//! ```text
//! cargo bench -p course_lib --bench timeit_precision
//! ```
//!
//! Prints, for each body, criterion's mean estimate, `%timeit`'s mean per
//! loop, and their ratio; the empty body gives the timing loop's overhead.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use course_lib::lab::timing::{Runs, TimeitOptions, format_time, time_loops};
use criterion::Criterion;

/// Criterion's mean estimate for `name`, in seconds, from the report it writes.
fn criterion_mean(name: &str) -> Option<f64> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let path = target
        .join("criterion")
        .join(name.replace(['(', ')'], "_"))
        .join("new/estimates.json");
    let text = std::fs::read_to_string(&path).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    Some(json["mean"]["point_estimate"].as_f64()? * 1e-9)
}

fn compare<R>(criterion: &mut Criterion, name: &str, mut body: impl FnMut() -> R) {
    criterion.bench_function(name, |b| b.iter(&mut body));
    let options = TimeitOptions {
        quiet: true,
        ..Default::default()
    };
    let mut runs = Runs::new(options);
    while let Some(loops) = runs.next_run() {
        runs.record(time_loops(loops, &mut body));
    }
    let result = runs.finish();
    let ours = result.average();
    match criterion_mean(name) {
        Some(theirs) => println!(
            "{name:<24} criterion {:>10}   %timeit {:>10} ± {:>9}   ratio {:.3}",
            format_time(theirs, 3),
            format_time(ours, 3),
            format_time(result.stdev(), 3),
            ours / theirs
        ),
        None => println!(
            "{name:<24} criterion: no estimate found   %timeit {}",
            result.summary()
        ),
    }
}

fn main() {
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .without_plots();
    let numbers: Vec<u64> = (0..1000).collect();
    let mut to_sort: Vec<u32> = (0..1000u32)
        .map(|n| n.wrapping_mul(2_654_435_761))
        .collect();
    println!("\n%timeit against criterion (same bodies, same build)\n");
    compare(&mut criterion, "empty body", || ());
    compare(&mut criterion, "one add", || black_box(7u64) + 1);
    compare(&mut criterion, "sum of 1000 u64", || {
        black_box(&numbers).iter().sum::<u64>()
    });
    compare(&mut criterion, "sort 1000 u32", || {
        to_sort.sort_unstable();
        to_sort[0]
    });
    compare(&mut criterion, "format an integer", || {
        format!("{}", black_box(123_456_789u64))
    });
}
