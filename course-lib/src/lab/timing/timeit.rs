//! `%timeit`: IPython's timing loop, compiled with the code it times.

use std::fmt;
use std::hint::black_box;
use std::time::{Duration, Instant};

pub use rcourse_cell::TimeitOptions;

use super::format::{format_time, plural, thousands};
use crate::lab::Chart;
use crate::lab::display::{MimeBundle, Render, display, impl_evcxr_display};
use crate::lab::table::Table;

/// IPython's autorange: the first power of ten of loops whose run takes at least this long.
pub const AUTORANGE_TARGET: Duration = Duration::from_millis(200);

/// What `%timeit -o` gives back: every run, and IPython's summary of them.
///
/// Times are per loop, in seconds, as in IPython's `TimeitResult`.
///
/// ```
/// use course_lib::lab::timing::{timeit, TimeitOptions};
///
/// let options = TimeitOptions { loops: Some(100), runs: 3, quiet: true, ..Default::default() };
/// let result = timeit(&options, || || (1..100u64).sum::<u64>());
/// assert_eq!((result.runs, result.loops, result.all_runs.len()), (3, 100, 3));
/// assert!(result.best <= result.average() && result.average() <= result.worst);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TimeitResult {
    /// Loops per run.
    pub loops: u64,
    /// Number of runs.
    pub runs: usize,
    /// Total seconds of each run (all its loops).
    pub all_runs: Vec<f64>,
    /// Fastest time per loop, in seconds.
    pub best: f64,
    /// Slowest time per loop, in seconds.
    pub worst: f64,
    /// Significant digits shown.
    pub precision: usize,
    /// The optimisation level the timed code was compiled with.
    pub opt_level: String,
}

impl TimeitResult {
    /// Builds the summary of runs of `loops` loops each (`all_runs` in seconds per run).
    ///
    /// ```
    /// use course_lib::lab::timing::TimeitResult;
    ///
    /// let result = TimeitResult::new(vec![2.0, 4.0], 1000, 3, "2");
    /// assert_eq!(result.best, 0.002);
    /// assert_eq!(result.average(), 0.003);
    /// assert_eq!(result.stdev(), 0.001);
    /// ```
    pub fn new(all_runs: Vec<f64>, loops: u64, precision: usize, opt_level: &str) -> Self {
        let per_loop = |run: &f64| run / loops.max(1) as f64;
        let best = all_runs.iter().map(per_loop).fold(f64::INFINITY, f64::min);
        let worst = all_runs.iter().map(per_loop).fold(0.0, f64::max);
        TimeitResult {
            loops,
            runs: all_runs.len(),
            best: if all_runs.is_empty() { 0.0 } else { best },
            worst,
            all_runs,
            precision,
            opt_level: opt_level.to_string(),
        }
    }

    /// The time per loop of each run, in seconds.
    pub fn timings(&self) -> Vec<f64> {
        let loops = self.loops.max(1) as f64;
        self.all_runs.iter().map(|run| run / loops).collect()
    }

    /// Mean time per loop, in seconds.
    pub fn average(&self) -> f64 {
        let timings = self.timings();
        if timings.is_empty() {
            return 0.0;
        }
        timings.iter().sum::<f64>() / timings.len() as f64
    }

    /// Population standard deviation of the time per loop, in seconds.
    pub fn stdev(&self) -> f64 {
        let timings = self.timings();
        if timings.is_empty() {
            return 0.0;
        }
        let mean = self.average();
        let variance =
            timings.iter().map(|t| (t - mean).powi(2)).sum::<f64>() / timings.len() as f64;
        variance.sqrt()
    }

    /// IPython's line: `16.7 ns ± 2.58 ns per loop (mean ± std. dev. of 7 runs, 10,000,000 loops each)`.
    ///
    /// ```
    /// use course_lib::lab::timing::TimeitResult;
    ///
    /// let result = TimeitResult::new(vec![0.5], 1, 3, "2");
    /// assert_eq!(
    ///     result.summary(),
    ///     "500 ms ± 0 ns per loop (mean ± std. dev. of 1 run, 1 loop each)"
    /// );
    /// ```
    pub fn summary(&self) -> String {
        format!(
            "{} ± {} per loop (mean ± std. dev. of {} run{}, {} loop{} each)",
            format_time(self.average(), self.precision),
            format_time(self.stdev(), self.precision),
            self.runs,
            plural(self.runs as u64),
            thousands(self.loops),
            plural(self.loops),
        )
    }

    /// IPython's caching warning, when the slowest run took over 4 times the fastest.
    ///
    /// ```
    /// use course_lib::lab::timing::TimeitResult;
    ///
    /// let steady = TimeitResult::new(vec![1.0, 1.1], 1, 3, "2");
    /// assert_eq!(steady.caching_warning(), None);
    /// let cached = TimeitResult::new(vec![1.0, 5.0], 1, 3, "2");
    /// assert!(cached.caching_warning().unwrap().starts_with("The slowest run took 5.00 times"));
    /// ```
    pub fn caching_warning(&self) -> Option<String> {
        (self.worst > 4.0 * self.best && self.best > 0.0 && self.worst > 1e-6).then(|| {
            format!(
                "The slowest run took {:.2} times longer than the fastest. \
                 This could mean that an intermediate result is being cached.",
                self.worst / self.best
            )
        })
    }

    /// The build the code was timed in, as a student should read it.
    pub fn build(&self) -> String {
        match self.opt_level.as_str() {
            "0" => "debug (opt-level 0): slow; use :opt 2 to time optimised code".to_string(),
            level => format!("optimised (opt-level {level})"),
        }
    }

    /// The table shown under the line: mean, std, best, worst, runs, loops, build.
    pub fn table(&self) -> Table {
        let time = |seconds| format_time(seconds, self.precision);
        Table::new().headers(["", "per loop"]).rows([
            ("mean".to_string(), time(self.average())),
            ("std. dev.".to_string(), time(self.stdev())),
            ("best".to_string(), time(self.best)),
            ("worst".to_string(), time(self.worst)),
            ("runs".to_string(), thousands(self.runs as u64)),
            ("loops per run".to_string(), thousands(self.loops)),
            ("build".to_string(), self.build()),
        ])
    }

    /// The time per loop of every run, as a chart.
    pub fn chart(&self) -> Chart {
        let (scale, unit) = unit_for(self.worst);
        let points: Vec<(f64, f64)> = self
            .timings()
            .iter()
            .enumerate()
            .map(|(run, t)| ((run + 1) as f64, t * scale))
            .collect();
        Chart::new("Time per loop of each run")
            .x_label("run")
            .y_label(unit)
            .points("per loop", points)
            .size(420, 260)
    }
}

/// The unit that makes `seconds` read as at least 1.
fn unit_for(seconds: f64) -> (f64, &'static str) {
    match seconds {
        s if s >= 1.0 => (1.0, "s"),
        s if s >= 1e-3 => (1e3, "ms"),
        s if s >= 1e-6 => (1e6, "μs"),
        _ => (1e9, "ns"),
    }
}

impl fmt::Display for TimeitResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.summary())
    }
}

impl Render for TimeitResult {
    fn mime_bundle(&self) -> MimeBundle {
        let mut text = self.summary();
        let mut html = format!("<p><code>{}</code></p>", self.summary());
        if let Some(warning) = self.caching_warning() {
            text = format!("{warning}\n{text}");
            html = format!("<p>{warning}</p>{html}");
        }
        let chart = self.chart().to_svg().unwrap_or_default();
        let html = format!(
            "<div style=\"display:flex;gap:1.5em;align-items:flex-start;flex-wrap:wrap\">\
             <div>{html}{}</div><div>{chart}</div></div>",
            self.table().to_html()
        );
        MimeBundle::new()
            .with("text/plain", text)
            .with("text/html", html)
    }
}

impl_evcxr_display!(TimeitResult => "course_lib::lab::timing::TimeitResult::new(vec![0.01], 10, 3, \"2\")");

/// Times one run of `loops` calls of `body`, in seconds.
///
/// The loop is generic, so the compiler inlines `body` into it, and
/// `black_box` keeps it from discarding the result or hoisting the work.
#[inline(never)]
pub fn time_loops<R>(loops: u64, body: &mut impl FnMut() -> R) -> f64 {
    let start = Instant::now();
    for _ in 0..loops {
        black_box(body());
    }
    start.elapsed().as_secs_f64()
}

/// Runs `%timeit`: `setup` is called once per run, outside the timed
/// region, and returns the body to time; each run calls the body `loops`
/// times. Prints IPython's line (and table and chart) unless `quiet`.
///
/// ```
/// use course_lib::lab::timing::{timeit, TimeitOptions};
///
/// let options = TimeitOptions { loops: Some(10), runs: 2, quiet: true, ..Default::default() };
/// // The setup builds a fresh vector for each run; the body sorts it.
/// let result = timeit(&options, || {
///     let mut v: Vec<u32> = (0..1000).rev().collect();
///     move || v.sort()
/// });
/// assert_eq!(result.runs, 2);
/// ```
pub fn timeit<S, F, R>(options: &TimeitOptions, mut setup: S) -> TimeitResult
where
    S: FnMut() -> F,
    F: FnMut() -> R,
{
    let mut runs = Runs::new(options.clone());
    while let Some(loops) = runs.next_run() {
        let mut body = setup();
        runs.record(time_loops(loops, &mut body));
    }
    runs.finish()
}

/// The runs of one `%timeit`, driven by the loop the kernel compiles into
/// the cell: autorange first (unless `-n` was given), then the runs.
///
/// ```
/// use course_lib::lab::timing::{Runs, TimeitOptions, time_loops};
///
/// let options = TimeitOptions { loops: Some(5), runs: 3, quiet: true, ..Default::default() };
/// let mut runs = Runs::new(options);
/// while let Some(loops) = runs.next_run() {
///     let data: Vec<u32> = (0..100).collect(); // setup, outside the timed region
///     runs.record(time_loops(loops, &mut || data.iter().sum::<u32>()));
/// }
/// let result = runs.finish();
/// assert_eq!((result.runs, result.loops), (3, 5));
/// ```
#[derive(Debug)]
pub struct Runs {
    options: TimeitOptions,
    loops: u64,
    calibrated: bool,
    all_runs: Vec<f64>,
}

impl Runs {
    /// Starts the runs of one `%timeit`.
    pub fn new(options: TimeitOptions) -> Self {
        Runs {
            loops: options.loops.unwrap_or(1).max(1),
            calibrated: options.loops.is_some(),
            options,
            all_runs: Vec::new(),
        }
    }

    /// The number of loops the next run must make, or `None` when done.
    pub fn next_run(&self) -> Option<u64> {
        (!self.calibrated || self.all_runs.len() < self.options.runs.max(1)).then_some(self.loops)
    }

    /// Records the seconds the run just made took.
    pub fn record(&mut self, seconds: f64) {
        if self.calibrated {
            self.all_runs.push(seconds);
        } else if seconds >= AUTORANGE_TARGET.as_secs_f64() || self.loops >= MAX_AUTORANGE_LOOPS {
            self.calibrated = true;
        } else {
            self.loops *= 10;
        }
    }

    /// Summarises the runs, and shows them unless quiet.
    pub fn finish(self) -> TimeitResult {
        let result = TimeitResult::new(
            self.all_runs,
            self.loops,
            self.options.precision,
            &self.options.opt_level,
        );
        if !self.options.quiet {
            display(&result);
        }
        result
    }
}

/// IPython's autorange stops at 10⁹ loops.
const MAX_AUTORANGE_LOOPS: u64 = 1_000_000_000;
