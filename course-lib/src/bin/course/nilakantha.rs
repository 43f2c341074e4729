//! `course nilakantha`: π from the Nilakantha series, in `f64` and exactly,
//! with how many digits of each are right.
//!
//! Both sums are printed with `--digits` decimal places (the exact one is
//! rounded down, the `f64` one shows the float's exact binary value, rounded
//! to that many places), then π itself; "correct digits" counts the leading
//! digits, the `3` included, that agree with π, at most the digits printed.
//!
//! ```text
//! course nilakantha --terms 1000000 --digits 30
//! course nilakantha --terms 60000000 --digits 50 --threads 6
//! ```

use std::error::Error;
use std::io::{BufWriter, Write};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use course_lib::nilakantha::{
    FixedDecimal, PI_100, Split, matching_digits_f64, pi_decimal, pi_decimal_parallel, pi_f64,
    pi_f64_parallel,
};

/// The most decimal places accepted: the exact sum costs time proportional
/// to terms × places.
const MAX_DIGITS: u32 = 10_000;

/// The arguments of `course nilakantha`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// How many terms of the series to add
    #[arg(long, value_name = "N", default_value_t = 1_000_000)]
    terms: u64,

    /// How many decimal places to print (and to compute the exact sum with)
    #[arg(long, value_name = "D", default_value_t = 30,
          value_parser = clap::value_parser!(u32).range(0..=i64::from(MAX_DIGITS)))]
    digits: u32,

    /// Split the sum into T partial sums added on T threads (T must divide N)
    #[arg(long, value_name = "T", value_parser = clap::value_parser!(u64).range(1..=1024))]
    threads: Option<u64>,
}

/// Runs `course nilakantha`.
pub fn run(args: Args) -> Result<ExitCode, Box<dyn Error>> {
    let Args {
        terms,
        digits,
        threads,
    } = args;

    let (how, (float, float_time), (exact, exact_time)) = match threads {
        None => (
            "one after the other".to_string(),
            timed(|| pi_f64(terms)),
            timed(|| pi_decimal(terms, digits)),
        ),
        Some(threads) => {
            if !terms.is_multiple_of(threads) {
                return Err(format!(
                    "--terms {terms} must be a multiple of --threads {threads}, \
                     so that every thread adds the same number of terms"
                )
                .into());
            }
            let split = Split::new(threads, terms / threads);
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads as usize)
                .build()?;
            let (float, exact) = pool.install(|| {
                (
                    timed(|| pi_f64_parallel(split)),
                    timed(|| pi_decimal_parallel(split, digits)),
                )
            });
            (
                format!(
                    "{threads} partial sums of {} terms on {threads} threads",
                    split.terms_per_worker
                ),
                float,
                exact,
            )
        }
    };

    let places = digits as usize;
    // "3" alone, or "3." and up to 100 decimal places.
    let reference = match places {
        0 => "3",
        _ => &PI_100[..PI_100.len().min(places + 2)],
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    writeln!(
        out,
        "Nilakantha series: {terms} terms, {digits} decimal places, {how}"
    )?;
    writeln!(
        out,
        "f64    {float:.places$}  correct digits: {:<4} ({:.3} ms)",
        // Counted on the float itself, but no more than the digits printed.
        matching_digits_f64(float).min(places + 1),
        millis(float_time)
    )?;
    writeln!(
        out,
        "exact  {exact}  correct digits: {:<4} ({:.3} ms)",
        FixedDecimal::matching_digits(&exact),
        millis(exact_time)
    )?;
    writeln!(out, "π      {reference}")?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Runs `work` once and returns its result with the time it took.
fn timed<R>(work: impl FnOnce() -> R) -> (R, Duration) {
    let started = Instant::now();
    let result = work();
    (result, started.elapsed())
}

/// Milliseconds in a duration, as a float.
fn millis(time: Duration) -> f64 {
    time.as_secs_f64() * 1e3
}
