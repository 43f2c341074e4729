//! Timing a body at every size: autorange per size, best of a few runs.

use std::time::Duration;

pub use rcourse_cell::{ComplexityOptions, parse_sizes};

use super::report::ComplexityReport;
use crate::lab::display::display;
use crate::lab::timing::time_loops;

/// Each size's run lasts at least this long (more loops when the body is fast).
pub const RUN_TARGET: Duration = Duration::from_millis(20);

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
