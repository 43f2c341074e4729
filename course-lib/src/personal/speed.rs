//! Timing the sequential and parallel versions side by side.

use std::time::{Duration, Instant};

use crate::lab::Table;
use crate::lab::display::{MimeBundle, Render, impl_evcxr_display};
use crate::warmup::Student;

use super::bootstrap::{bootstrap, bootstrap_sequential};
use super::ranking::{ranking, ranking_parallel};

/// The time of one task done on one thread and on every core.
///
/// ```
/// use course_lib::personal::SpeedUp;
/// use std::time::Duration;
///
/// let timing = SpeedUp {
///     task: "work".to_string(),
///     sequential: Duration::from_millis(90),
///     parallel: Duration::from_millis(30),
/// };
/// assert_eq!(timing.ratio(), 3.0);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpeedUp {
    /// What was timed.
    pub task: String,
    /// The time on one thread.
    pub sequential: Duration,
    /// The time with rayon.
    pub parallel: Duration,
}

impl SpeedUp {
    /// How many times faster the parallel version was.
    ///
    /// ```
    /// use course_lib::personal::SpeedUp;
    /// use std::time::Duration;
    ///
    /// let same = SpeedUp { task: String::new(), sequential: Duration::ZERO, parallel: Duration::ZERO };
    /// assert_eq!(same.ratio(), 1.0);
    /// ```
    pub fn ratio(&self) -> f64 {
        let parallel = self.parallel.as_secs_f64();
        if parallel == 0.0 {
            1.0
        } else {
            self.sequential.as_secs_f64() / parallel
        }
    }
}

/// Sequential against parallel timings of the project's two parallel tasks.
///
/// Each version runs three times and keeps its fastest time; the results of
/// the two versions are checked to be equal. The speed-up can be at most
/// the number of cores (shown in the caption).
///
/// ```
/// use course_lib::personal::SpeedComparison;
/// use course_lib::warmup::generate_students;
///
/// let comparison = SpeedComparison::measure(&generate_students(300, 1), 200, 1);
/// assert_eq!(comparison.rows().len(), 2);
/// println!("{}", comparison.table().to_text());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpeedComparison {
    threads: usize,
    rows: Vec<SpeedUp>,
}

/// The fastest of three runs of `work`, and its result.
fn fastest<R>(mut work: impl FnMut() -> R) -> (Duration, R) {
    let mut best = Duration::MAX;
    let mut result = None;
    for _ in 0..3 {
        let started = Instant::now();
        let value = work();
        best = best.min(started.elapsed());
        result = Some(value);
    }
    (best, result.expect("three runs"))
}

impl SpeedComparison {
    /// Times [`bootstrap`] against [`bootstrap_sequential`] (with
    /// `resamples` resamples) and [`ranking_parallel`] against [`ranking`].
    ///
    /// # Panics
    ///
    /// Panics if a parallel version does not give the sequential answer,
    /// which would be a bug in this module.
    ///
    /// ```
    /// use course_lib::personal::SpeedComparison;
    /// use course_lib::warmup::generate_students;
    ///
    /// let comparison = SpeedComparison::measure(&generate_students(100, 1), 50, 1);
    /// assert!(comparison.rows().iter().all(|row| row.ratio() > 0.0));
    /// ```
    pub fn measure(students: &[Student], resamples: usize, seed: u64) -> SpeedComparison {
        let (seq_time, seq) = fastest(|| bootstrap_sequential(students, resamples, seed));
        let (par_time, par) = fastest(|| bootstrap(students, resamples, seed));
        assert_eq!(seq, par, "parallel bootstrap differs from sequential");
        let boot = SpeedUp {
            task: format!("bootstrap, 3 subjects × {resamples} resamples"),
            sequential: seq_time,
            parallel: par_time,
        };
        let (seq_time, seq) = fastest(|| ranking(students));
        let (par_time, par) = fastest(|| ranking_parallel(students));
        assert_eq!(seq, par, "parallel ranking differs from sequential");
        let rank = SpeedUp {
            task: format!("ranking {} students", students.len()),
            sequential: seq_time,
            parallel: par_time,
        };
        SpeedComparison {
            threads: rayon::current_num_threads(),
            rows: vec![boot, rank],
        }
    }

    /// The timings, one row per task.
    ///
    /// ```
    /// use course_lib::{personal::SpeedComparison, warmup::generate_students};
    ///
    /// let comparison = SpeedComparison::measure(&generate_students(50, 1), 20, 1);
    /// assert!(comparison.rows()[0].task.starts_with("bootstrap"));
    /// ```
    pub fn rows(&self) -> &[SpeedUp] {
        &self.rows
    }

    /// The number of threads rayon used.
    ///
    /// ```
    /// use course_lib::{personal::SpeedComparison, warmup::generate_students};
    ///
    /// assert!(SpeedComparison::measure(&generate_students(50, 1), 20, 1).threads() >= 1);
    /// ```
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// The timings as a table, in milliseconds.
    ///
    /// ```
    /// use course_lib::{personal::SpeedComparison, warmup::generate_students};
    ///
    /// let table = SpeedComparison::measure(&generate_students(50, 1), 20, 1).table();
    /// assert_eq!(table.len(), 2);
    /// ```
    pub fn table(&self) -> Table {
        let ms = |d: Duration| format!("{:.3}", d.as_secs_f64() * 1e3);
        Table::new()
            .caption(format!(
                "Sequential against rayon ({} threads)",
                self.threads
            ))
            .headers(["task", "sequential ms", "parallel ms", "speed-up"])
            .rows(self.rows.iter().map(|row| {
                (
                    row.task.as_str(),
                    ms(row.sequential),
                    ms(row.parallel),
                    format!("{:.2}", row.ratio()),
                )
            }))
    }
}

impl Render for SpeedComparison {
    fn mime_bundle(&self) -> MimeBundle {
        self.table().mime_bundle()
    }
}

impl_evcxr_display!(SpeedComparison => "course_lib::personal::SpeedComparison::measure(&course_lib::warmup::generate_students(100, 1), 50, 1)");
