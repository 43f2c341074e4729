//! Bootstrap confidence intervals of each subject's mean, sequential and parallel.

use rayon::prelude::*;
use serde::Serialize;

use crate::lab::display::{MimeBundle, Render, impl_evcxr_display};
use crate::lab::{Chart, Rgb, Table};
use crate::rng::Rng;
use crate::warmup::{Student, Subject};

/// The confidence level of every interval: 95 %.
///
/// ```
/// assert_eq!(course_lib::personal::CONFIDENCE_LEVEL, 0.95);
/// ```
pub const CONFIDENCE_LEVEL: f64 = 0.95;

/// The mean of one resample: `values.len()` values drawn at random, with
/// replacement. Resample `index` of `seed` always draws the same values,
/// whichever thread computes it.
fn resample_mean(values: &[f64], seed: u64, index: usize) -> f64 {
    // A generator of its own per resample, seeded by hashing (seed, index):
    // the results do not depend on the order the resamples are computed in.
    let mut rng = Rng::seeded(Rng::seeded(seed.wrapping_add(index as u64)).next_u64());
    let n = values.len() as u64;
    let total: f64 = (0..n).map(|_| values[rng.below(n) as usize]).sum();
    total / n as f64
}

/// The means of `resamples` bootstrap resamples of `values`, one after the other.
///
/// A bootstrap resample draws as many values as there are, at random and
/// with replacement; the spread of the resampled means shows how much the
/// mean could move with another sample of the same size. Without values
/// there are no resamples.
///
/// ```
/// use course_lib::personal::{bootstrap_means, bootstrap_means_parallel};
///
/// let grades = [8.0, 10.0, 12.0, 14.0, 16.0];
/// let means = bootstrap_means(&grades, 1000, 42);
/// assert_eq!(means.len(), 1000);
/// assert!(means.iter().all(|m| (8.0..=16.0).contains(m)));
/// assert_eq!(means, bootstrap_means_parallel(&grades, 1000, 42));
/// ```
pub fn bootstrap_means(values: &[f64], resamples: usize, seed: u64) -> Vec<f64> {
    if values.is_empty() {
        return Vec::new();
    }
    (0..resamples)
        .map(|index| resample_mean(values, seed, index))
        .collect()
}

/// The same means as [`bootstrap_means`], computed on every core with rayon.
///
/// Only `iter` became `into_par_iter`: rayon splits the resamples between
/// its threads and `collect` puts the results back in order. The answer is
/// identical to the sequential one, bit for bit.
///
/// ```
/// use course_lib::personal::bootstrap_means_parallel;
///
/// let means = bootstrap_means_parallel(&[10.0, 12.0], 500, 1);
/// assert_eq!(means.len(), 500);
/// ```
pub fn bootstrap_means_parallel(values: &[f64], resamples: usize, seed: u64) -> Vec<f64> {
    if values.is_empty() {
        return Vec::new();
    }
    (0..resamples)
        .into_par_iter()
        .map(|index| resample_mean(values, seed, index))
        .collect()
}

/// The `q`-quantile (0 to 1) of sorted values, interpolating linearly between
/// neighbours, like NumPy's default `np.quantile`.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let position = q * (sorted.len() - 1) as f64;
    let below = position.floor() as usize;
    let above = position.ceil() as usize;
    let weight = position - below as f64;
    sorted[below] * (1.0 - weight) + sorted[above] * weight
}

/// A 95 % confidence interval of one subject's mean grade.
///
/// ```
/// use course_lib::personal::bootstrap;
/// use course_lib::warmup::{Subject, generate_students};
///
/// let result = bootstrap(&generate_students(200, 1), 500, 7);
/// let maths = result.interval(Subject::Maths).unwrap();
/// assert!(maths.low < maths.mean && maths.mean < maths.high);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ConfidenceInterval {
    /// The subject.
    pub subject: Subject,
    /// The mean grade of the sample.
    pub mean: f64,
    /// The lower bound: 2.5 % of the resampled means are below it.
    pub low: f64,
    /// The upper bound: 2.5 % of the resampled means are above it.
    pub high: f64,
}

/// The bootstrap of every subject's mean: the resampled means and the 95 %
/// confidence intervals they give (the percentile method).
///
/// End a notebook cell with it to see a table and a chart of the resampled
/// means, with the interval bounds as vertical lines.
///
/// ```
/// use course_lib::personal::bootstrap;
/// use course_lib::warmup::{Subject, generate_students};
///
/// let students = generate_students(1100, 7);
/// let result = bootstrap(&students, 1000, 1);
/// assert_eq!(result.intervals().len(), 3);
/// assert_eq!(result.means(Subject::French).len(), 1000);
/// println!("{}", result.table().to_text());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Bootstrap {
    students: usize,
    resamples: usize,
    /// Per subject present: the interval and the sorted resampled means.
    subjects: Vec<(ConfidenceInterval, Vec<f64>)>,
}

impl Bootstrap {
    /// Builds the result from each subject's resampled means.
    fn from_means(
        students: &[Student],
        resamples: usize,
        mut means_of: impl FnMut(&[f64]) -> Vec<f64>,
    ) -> Bootstrap {
        let subjects = Subject::ALL
            .iter()
            .filter_map(|&subject| {
                let grades: Vec<f64> = students.iter().map(|s| s.grade(subject).value()).collect();
                let mut means = means_of(&grades);
                if means.is_empty() {
                    return None;
                }
                means.sort_unstable_by(f64::total_cmp);
                let tail = (1.0 - CONFIDENCE_LEVEL) / 2.0;
                let interval = ConfidenceInterval {
                    subject,
                    mean: grades.iter().sum::<f64>() / grades.len() as f64,
                    low: quantile(&means, tail),
                    high: quantile(&means, 1.0 - tail),
                };
                Some((interval, means))
            })
            .collect();
        Bootstrap {
            students: students.len(),
            resamples,
            subjects,
        }
    }

    /// The number of students in the sample.
    ///
    /// ```
    /// use course_lib::{personal::bootstrap, warmup::generate_students};
    ///
    /// assert_eq!(bootstrap(&generate_students(30, 1), 10, 1).students(), 30);
    /// ```
    pub fn students(&self) -> usize {
        self.students
    }

    /// The number of resamples per subject.
    ///
    /// ```
    /// use course_lib::{personal::bootstrap, warmup::generate_students};
    ///
    /// assert_eq!(bootstrap(&generate_students(30, 1), 10, 1).resamples(), 10);
    /// ```
    pub fn resamples(&self) -> usize {
        self.resamples
    }

    /// The confidence intervals, in the order of [`Subject::ALL`]; empty
    /// without students or resamples.
    ///
    /// ```
    /// use course_lib::{personal::bootstrap, warmup::generate_students};
    ///
    /// assert_eq!(bootstrap(&generate_students(30, 1), 10, 1).intervals().len(), 3);
    /// assert!(bootstrap(&[], 10, 1).intervals().is_empty());
    /// ```
    pub fn intervals(&self) -> Vec<ConfidenceInterval> {
        self.subjects
            .iter()
            .map(|(interval, _)| *interval)
            .collect()
    }

    /// The confidence interval of one subject.
    ///
    /// ```
    /// use course_lib::{personal::bootstrap, warmup::{Subject, generate_students}};
    ///
    /// let result = bootstrap(&generate_students(30, 1), 100, 1);
    /// assert!(result.interval(Subject::Philosophy).is_some());
    /// ```
    pub fn interval(&self, subject: Subject) -> Option<ConfidenceInterval> {
        self.subjects
            .iter()
            .find(|(interval, _)| interval.subject == subject)
            .map(|(interval, _)| *interval)
    }

    /// The resampled means of one subject, sorted (empty if there are none).
    ///
    /// ```
    /// use course_lib::{personal::bootstrap, warmup::{Subject, generate_students}};
    ///
    /// let result = bootstrap(&generate_students(30, 1), 100, 1);
    /// let means = result.means(Subject::Maths);
    /// assert!(means.windows(2).all(|pair| pair[0] <= pair[1]));
    /// ```
    pub fn means(&self, subject: Subject) -> &[f64] {
        self.subjects
            .iter()
            .find(|(interval, _)| interval.subject == subject)
            .map_or(&[], |(_, means)| means.as_slice())
    }

    /// The intervals as a table.
    ///
    /// ```
    /// use course_lib::{personal::bootstrap, warmup::generate_students};
    ///
    /// let table = bootstrap(&generate_students(30, 1), 100, 1).table();
    /// assert_eq!(table.len(), 3);
    /// ```
    pub fn table(&self) -> Table {
        let level = CONFIDENCE_LEVEL * 100.0;
        let mut table = Table::new()
            .caption(format!(
                "Mean grades of {} students, {level:.0} % bootstrap intervals ({} resamples)",
                self.students, self.resamples
            ))
            .headers(["subject", "mean", "low", "high", "± half width"]);
        for (i, _) in &self.subjects {
            table.push_row((
                i.subject,
                format!("{:.2}", i.mean),
                format!("{:.2}", i.low),
                format!("{:.2}", i.high),
                format!("{:.2}", (i.high - i.low) / 2.0),
            ));
        }
        table
    }

    /// The distribution of each subject's resampled means (a line per
    /// subject), with vertical lines at the bounds of its interval.
    ///
    /// ```
    /// use course_lib::{personal::bootstrap, warmup::generate_students};
    ///
    /// let chart = bootstrap(&generate_students(300, 1), 500, 1).chart();
    /// assert!(chart.to_svg()?.contains("maths"));
    /// # Ok::<(), course_lib::lab::ChartError>(())
    /// ```
    pub fn chart(&self) -> Chart {
        // The chart's first three series colours, so bounds match their line.
        const COLORS: [Rgb; 3] = [Rgb::BLUE, Rgb::ORANGE, Rgb::GREEN];
        let mut chart = Chart::new(format!(
            "Resampled mean grades ({} students, {} resamples)",
            self.students, self.resamples
        ))
        .x_label("mean grade")
        .y_label("resamples")
        .size(800, 400);
        for ((interval, means), color) in self.subjects.iter().zip(COLORS) {
            chart = chart
                .line(interval.subject.name(), density(means, 30))
                .marker(interval.low, color)
                .marker(interval.high, color);
        }
        chart
    }
}

/// Counts of sorted values in `bins` equal bins, as (bin centre, count).
fn density(sorted: &[f64], bins: usize) -> Vec<(f64, f64)> {
    let (Some(&min), Some(&max)) = (sorted.first(), sorted.last()) else {
        return Vec::new();
    };
    let width = if max > min {
        (max - min) / bins as f64
    } else {
        1.0
    };
    let mut counts = vec![0u32; bins];
    for &value in sorted {
        let bin = ((value - min) / width) as usize;
        counts[bin.min(bins - 1)] += 1;
    }
    counts
        .iter()
        .enumerate()
        .map(|(i, &count)| (min + width * (i as f64 + 0.5), f64::from(count)))
        .collect()
}

impl Render for Bootstrap {
    fn mime_bundle(&self) -> MimeBundle {
        let table = self.table().mime_bundle();
        let chart = self.chart().mime_bundle();
        let html = format!(
            "<div>{}<div>{}</div></div>",
            table.get("text/html").unwrap_or_default(),
            chart.get("image/svg+xml").unwrap_or_default()
        );
        MimeBundle::new()
            .with("text/html", html)
            .with("text/plain", table.plain_text())
    }
}

impl_evcxr_display!(Bootstrap => "course_lib::personal::bootstrap(&course_lib::warmup::generate_students(100, 1), 200, 1)");

/// Bootstraps every subject's mean with rayon: `resamples` resamples per
/// subject, reproducible from `seed`.
///
/// ```
/// use course_lib::personal::{bootstrap, bootstrap_sequential};
/// use course_lib::warmup::generate_students;
///
/// let students = generate_students(500, 3);
/// assert_eq!(bootstrap(&students, 300, 9), bootstrap_sequential(&students, 300, 9));
/// ```
pub fn bootstrap(students: &[Student], resamples: usize, seed: u64) -> Bootstrap {
    Bootstrap::from_means(students, resamples, |grades| {
        bootstrap_means_parallel(grades, resamples, seed)
    })
}

/// The same as [`bootstrap`], on one thread.
///
/// ```
/// use course_lib::personal::bootstrap_sequential;
/// use course_lib::warmup::generate_students;
///
/// let result = bootstrap_sequential(&generate_students(100, 3), 200, 9);
/// assert_eq!(result.resamples(), 200);
/// ```
pub fn bootstrap_sequential(students: &[Student], resamples: usize, seed: u64) -> Bootstrap {
    Bootstrap::from_means(students, resamples, |grades| {
        bootstrap_means(grades, resamples, seed)
    })
}
