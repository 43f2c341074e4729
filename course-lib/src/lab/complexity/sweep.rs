//! Timing a body at every size: autorange per size, best of a few runs.

use std::time::Duration;

use super::report::ComplexityReport;
use crate::lab::display::display;
use crate::lab::timing::time_loops;

/// Each size's run lasts at least this long (more loops when the body is fast).
pub const RUN_TARGET: Duration = Duration::from_millis(20);

/// How `%complexity` measures.
///
/// ```
/// let options = course_lib::lab::complexity::ComplexityOptions::default();
/// assert_eq!(options.sizes, [1000, 2000, 4000, 8000, 16000, 32000, 64000]);
/// assert_eq!(options.runs, 3);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ComplexityOptions {
    /// The sizes n to time, in increasing order.
    pub sizes: Vec<usize>,
    /// Runs per size; the fastest counts.
    pub runs: usize,
    /// Print nothing.
    pub quiet: bool,
    /// The optimisation level the code was compiled with.
    pub opt_level: String,
}

impl Default for ComplexityOptions {
    fn default() -> Self {
        ComplexityOptions {
            sizes: parse_sizes("1000..64000").unwrap_or_default(),
            runs: 3,
            quiet: false,
            opt_level: "2".to_string(),
        }
    }
}

/// Reads a list of sizes: `100,200,400` as written, or `A..B` for A, 2A,
/// 4A... up to B (and B itself when it is not on the way).
///
/// ```
/// use course_lib::lab::complexity::parse_sizes;
///
/// assert_eq!(parse_sizes("100..800").unwrap(), [100, 200, 400, 800]);
/// assert_eq!(parse_sizes("1_000..3_000").unwrap(), [1000, 2000, 3000]);
/// assert_eq!(parse_sizes("5,10,20").unwrap(), [5, 10, 20]);
/// assert!(parse_sizes("10..5").is_err());
/// assert!(parse_sizes("ten").is_err());
/// ```
pub fn parse_sizes(text: &str) -> Result<Vec<usize>, String> {
    let number = |word: &str| {
        word.trim()
            .replace('_', "")
            .parse::<usize>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| format!("`{}` is not a positive whole number", word.trim()))
    };
    let sizes = if let Some((start, end)) = text.split_once("..") {
        let (start, end) = (number(start)?, number(end.trim_start_matches('='))?);
        if end <= start {
            return Err(format!("the range {start}..{end} must grow"));
        }
        let mut sizes: Vec<usize> = std::iter::successors(Some(start), |n| n.checked_mul(2))
            .take_while(|n| *n <= end)
            .collect();
        if sizes.last() != Some(&end) {
            sizes.push(end);
        }
        sizes
    } else {
        text.split(',').map(number).collect::<Result<Vec<_>, _>>()?
    };
    if sizes.len() < 2 {
        return Err("at least two sizes are needed to fit a curve".to_string());
    }
    if sizes.windows(2).any(|w| w[1] <= w[0]) {
        return Err("sizes must be given in increasing order".to_string());
    }
    Ok(sizes)
}

/// The sizes of one `%complexity`, driven by the loop compiled into the
/// cell: for each size, autorange to [`RUN_TARGET`], then the runs.
///
/// ```
/// use course_lib::lab::complexity::{ComplexityOptions, Sweep};
/// use course_lib::lab::timing::time_loops;
///
/// let options = ComplexityOptions { sizes: vec![100, 200], quiet: true, ..Default::default() };
/// let mut sweep = Sweep::new(options);
/// while let Some((n, loops)) = sweep.next_run() {
///     let v: Vec<u32> = (0..n as u32).collect(); // setup, not timed
///     sweep.record(time_loops(loops, &mut || v.iter().sum::<u32>()));
/// }
/// assert_eq!(sweep.finish().points.len(), 2);
/// ```
#[derive(Debug)]
pub struct Sweep {
    options: ComplexityOptions,
    index: usize,
    loops: u64,
    calibrated: bool,
    runs: Vec<f64>,
    points: Vec<(usize, f64)>,
}

impl Sweep {
    /// Starts timing the sizes of `options`.
    pub fn new(options: ComplexityOptions) -> Sweep {
        Sweep {
            options,
            index: 0,
            loops: 1,
            calibrated: false,
            runs: Vec::new(),
            points: Vec::new(),
        }
    }

    /// The size and number of loops of the next run, or `None` when done.
    pub fn next_run(&self) -> Option<(usize, u64)> {
        self.options.sizes.get(self.index).map(|&n| (n, self.loops))
    }

    /// Records how many seconds the run just made took.
    pub fn record(&mut self, seconds: f64) {
        let Some(&n) = self.options.sizes.get(self.index) else {
            return;
        };
        if !self.calibrated {
            if seconds >= RUN_TARGET.as_secs_f64() || self.loops >= 1_000_000_000 {
                self.calibrated = true;
                self.runs.push(seconds);
            } else {
                self.loops *= 10;
                return;
            }
        } else {
            self.runs.push(seconds);
        }
        if self.runs.len() >= self.options.runs.max(1) {
            let best = self.runs.iter().copied().fold(f64::INFINITY, f64::min);
            self.points.push((n, best / self.loops as f64));
            self.runs.clear();
            self.index += 1;
            self.loops = 1;
            self.calibrated = false;
        }
    }

    /// Fits the measurements, and shows the report unless quiet.
    pub fn finish(self) -> ComplexityReport {
        let report = ComplexityReport::new(self.points, &self.options.opt_level);
        if !self.options.quiet {
            display(&report);
        }
        report
    }
}

/// Times `setup(n)`'s body at every size of `options` (the setup is not
/// timed) and fits the result.
pub fn complexity<S, F, R>(options: &ComplexityOptions, mut setup: S) -> ComplexityReport
where
    S: FnMut(usize) -> F,
    F: FnMut() -> R,
{
    let mut sweep = Sweep::new(options.clone());
    while let Some((n, loops)) = sweep.next_run() {
        let mut body = setup(n);
        sweep.record(time_loops(loops, &mut body));
    }
    sweep.finish()
}
