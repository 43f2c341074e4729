//! Part 1: measuring how the two best-trade searches grow with the number of days.

use std::time::{Duration, Instant};

use super::{PriceStream, best_trade, best_trade_naive};

/// The largest series [`complexity_table`] gives to the O(n²) search
/// (about half a second at this size).
///
/// ```
/// assert_eq!(course_lib::stocks::NAIVE_LIMIT, 32_768);
/// ```
pub const NAIVE_LIMIT: usize = 32_768;

/// The seed of the prices [`complexity_table`] times.
const SEED: u64 = 2024;

/// The time one call of `work` takes.
///
/// Short calls are repeated in batches that last at least 2 ms each, to get
/// above the clock's resolution; the result is the median of three
/// batches, divided by the batch size.
///
/// ```
/// use course_lib::stocks::time_per_call;
///
/// let time = time_per_call(|| (1..=1000u64).sum::<u64>());
/// assert!(time.as_secs() < 1);
/// ```
pub fn time_per_call<R>(mut work: impl FnMut() -> R) -> Duration {
    const BATCH: Duration = Duration::from_millis(2);
    let mut calls: u32 = 1;
    let once = |calls: u32, work: &mut dyn FnMut()| {
        let started = Instant::now();
        for _ in 0..calls {
            work();
        }
        started.elapsed()
    };
    let mut run = || {
        std::hint::black_box(work());
    };
    while once(calls, &mut run) < BATCH && calls < 1 << 20 {
        calls *= 2;
    }
    let mut times: Vec<Duration> = (0..3).map(|_| once(calls, &mut run) / calls).collect();
    times.sort_unstable();
    times[1]
}

/// Fits `time = c · n^p` through `(n, time)` points by least squares on
/// log-log axes, and returns the exponent `p` (the slope of the line).
///
/// Points with a size or time ≤ 0 are ignored; fewer than two distinct
/// sizes give `None`.
///
/// ```
/// use course_lib::stocks::fit_exponent;
///
/// let quadratic = (1..=5).map(|k| (k as f64 * 100.0, (k * k) as f64));
/// assert!((fit_exponent(quadratic).unwrap() - 2.0).abs() < 1e-12);
/// assert_eq!(fit_exponent([(10.0, 1.0)]), None);
/// ```
pub fn fit_exponent(points: impl IntoIterator<Item = (f64, f64)>) -> Option<f64> {
    let logs: Vec<(f64, f64)> = points
        .into_iter()
        .filter(|&(n, t)| n > 0.0 && t > 0.0 && n.is_finite() && t.is_finite())
        .map(|(n, t)| (n.ln(), t.ln()))
        .collect();
    let count = logs.len() as f64;
    let mean_x = logs.iter().map(|p| p.0).sum::<f64>() / count;
    let mean_y = logs.iter().map(|p| p.1).sum::<f64>() / count;
    let sxx: f64 = logs.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
    let sxy: f64 = logs.iter().map(|p| (p.0 - mean_x) * (p.1 - mean_y)).sum();
    (logs.len() >= 2 && sxx > 1e-12).then(|| sxy / sxx)
}

/// One row of a [`TradeComplexity`]: the time of each search on `n` days.
///
/// ```
/// let report = course_lib::stocks::complexity_table(&[1000]);
/// let row = &report.rows[0];
/// assert_eq!(row.n, 1000);
/// assert!(row.naive.is_some());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SizeTiming {
    /// The number of days.
    pub n: usize,
    /// The O(n²) search's time, or `None` above [`NAIVE_LIMIT`].
    pub naive: Option<Duration>,
    /// The single pass's time.
    pub linear: Duration,
}

/// How long both best-trade searches take as the number of days grows,
/// with the fitted exponents. End a notebook cell with it to see a table,
/// the log-log chart and the exponents.
///
/// ```
/// use course_lib::stocks::complexity_table;
///
/// let report = complexity_table(&[500, 1000, 2000]);
/// assert_eq!(report.rows.len(), 3);
/// println!("{}", report.verdict()); // naive ≈ n^2.0, single pass ≈ n^1.0
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TradeComplexity {
    /// One row per size, in the order given.
    pub rows: Vec<SizeTiming>,
}

impl TradeComplexity {
    /// The fitted exponent of the O(n²) search (about 2).
    ///
    /// ```
    /// let report = course_lib::stocks::complexity_table(&[1000, 4000]);
    /// let exponent = report.naive_exponent().unwrap();
    /// println!("naive ≈ n^{exponent:.2}");
    /// ```
    pub fn naive_exponent(&self) -> Option<f64> {
        fit_exponent(
            self.rows
                .iter()
                .filter_map(|row| Some((row.n as f64, row.naive?.as_secs_f64()))),
        )
    }

    /// The fitted exponent of the single pass (about 1).
    ///
    /// ```
    /// let report = course_lib::stocks::complexity_table(&[10_000, 100_000]);
    /// let exponent = report.linear_exponent().unwrap();
    /// println!("single pass ≈ n^{exponent:.2}");
    /// ```
    pub fn linear_exponent(&self) -> Option<f64> {
        fit_exponent(
            self.rows
                .iter()
                .map(|row| (row.n as f64, row.linear.as_secs_f64())),
        )
    }

    /// One line stating both exponents, such as `naive ≈ n^2.0, single pass ≈ n^1.0`.
    ///
    /// ```
    /// let report = course_lib::stocks::complexity_table(&[1000, 2000]);
    /// assert!(report.verdict().starts_with("naive ≈ n^"));
    /// ```
    pub fn verdict(&self) -> String {
        let show = |exponent: Option<f64>| exponent.map_or("?".to_string(), |p| format!("{p:.1}"));
        format!(
            "naive ≈ n^{}, single pass ≈ n^{}",
            show(self.naive_exponent()),
            show(self.linear_exponent())
        )
    }
}

/// Times [`best_trade_naive`] and [`best_trade`] on the first `n` days of
/// one seeded [`PriceStream`], for every `n` in `sizes`.
///
/// The naive search is skipped for sizes above [`NAIVE_LIMIT`]. Sizes of a
/// thousand days and more give the clearest exponents: on tiny inputs the
/// fixed cost of a call hides the growth.
///
/// ```
/// use course_lib::stocks::complexity_table;
///
/// let report = complexity_table(&[1_000, 2_000, 100_000]);
/// assert!(report.rows[2].naive.is_none());
/// println!("{}", report.verdict());
/// ```
pub fn complexity_table(sizes: &[usize]) -> TradeComplexity {
    let longest = sizes.iter().copied().max().unwrap_or(0);
    let prices: Vec<f64> = PriceStream::seeded(SEED).take(longest).collect();
    let rows = sizes
        .iter()
        .map(|&n| {
            let prices = &prices[..n];
            SizeTiming {
                n,
                naive: (n <= NAIVE_LIMIT).then(|| time_per_call(|| best_trade_naive(prices))),
                linear: time_per_call(|| best_trade(prices)),
            }
        })
        .collect();
    TradeComplexity { rows }
}
