//! Running the steps side by side, for notebooks and benchmarks.

use std::time::Duration;

use super::fast::FastSearch;
use super::result::human_rate;
use super::steps::{self, DEFAULT_MAX_ATTEMPTS, DEFAULT_SEED, Deadline, Run};
use super::{CrackError, Cracked, Md5Digest, index_of, parallel};
use crate::lab::Table;
use crate::lab::timing::thousands;

/// One step of the project, from the course's naive version to the fastest.
///
/// ```
/// use course_lib::codebreaker::{Md5Digest, Step};
///
/// let digest = Md5Digest::of("Hi");
/// for step in Step::ALL {
///     let cracked = step.run(&digest, 2)?;
///     assert_eq!(cracked.password.as_deref(), Some("Hi"), "{}", step.name());
/// }
/// # Ok::<(), course_lib::codebreaker::CrackError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    /// [`crack_naive`](super::crack_naive): random guesses, `Vec`, hex, printing.
    Naive,
    /// [`crack_no_print`](super::crack_no_print): no I/O in the loop.
    NoPrint,
    /// [`crack_hash_set`](super::crack_hash_set): a `HashSet` of tried passwords.
    HashSet,
    /// [`crack_in_order`](super::crack_in_order): every candidate once, in order.
    InOrder,
    /// [`crack_raw_digest`](super::crack_raw_digest): raw 16-byte digests compared.
    RawDigest,
    /// [`crack_parallel`](super::crack_parallel): all cores with rayon.
    Parallel,
    /// [`crack_fast`](super::crack_fast): multi-lane MD5 on all cores.
    Fast,
}

impl Step {
    /// Every step, slowest first.
    ///
    /// ```
    /// use course_lib::codebreaker::Step;
    ///
    /// assert_eq!(Step::ALL.len(), 7);
    /// assert_eq!(Step::ALL[0], Step::Naive);
    /// ```
    pub const ALL: [Step; 7] = [
        Step::Naive,
        Step::NoPrint,
        Step::HashSet,
        Step::InOrder,
        Step::RawDigest,
        Step::Parallel,
        Step::Fast,
    ];

    /// A short name for tables and charts.
    ///
    /// ```
    /// assert_eq!(course_lib::codebreaker::Step::HashSet.name(), "HashSet of tried");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Step::Naive => "naive (random, Vec, hex, print)",
            Step::NoPrint => "no printing",
            Step::HashSet => "HashSet of tried",
            Step::InOrder => "in order (product)",
            Step::RawDigest => "raw digest bytes",
            Step::Parallel => "parallel (rayon)",
            Step::Fast => "fast (SIMD MD5, threads)",
        }
    }

    /// Runs this step to the end, with the default seed and attempt limit
    /// for the random steps ([`DEFAULT_SEED`], [`DEFAULT_MAX_ATTEMPTS`]).
    /// The naive step prints its attempts to [`std::io::sink`] (nowhere);
    /// call [`crack_naive`](super::crack_naive) to choose where they go.
    ///
    /// The two `Vec` steps take seconds on 3 letters and hours on 4, and
    /// the random steps keep every tried password in memory: use
    /// [`compare_steps`] with a time budget to compare them on longer
    /// passwords.
    ///
    /// ```
    /// use course_lib::codebreaker::{Md5Digest, Step};
    ///
    /// let cracked = Step::InOrder.run(&Md5Digest::of("Hey"), 3)?;
    /// assert_eq!(cracked.password.as_deref(), Some("Hey"));
    /// # Ok::<(), course_lib::codebreaker::CrackError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`CrackError::PasswordLength`] unless `length` is 1 to [`MAX_LENGTH`](super::MAX_LENGTH).
    pub fn run(self, digest: &Md5Digest, length: usize) -> Result<Cracked, CrackError> {
        self.run_until(digest, length, Deadline::NONE)
            .map(|run| run.cracked)
    }

    /// Runs this step until it ends or `deadline` passes.
    pub(crate) fn run_until(
        self,
        digest: &Md5Digest,
        length: usize,
        deadline: Deadline,
    ) -> Result<Run, CrackError> {
        let (seed, attempts) = (DEFAULT_SEED, DEFAULT_MAX_ATTEMPTS);
        match self {
            Step::Naive => steps::naive(
                digest,
                length,
                seed,
                attempts,
                Some(&mut std::io::sink()),
                deadline,
            ),
            Step::NoPrint => steps::naive(
                digest,
                length,
                seed,
                attempts,
                None::<&mut std::io::Sink>,
                deadline,
            ),
            Step::HashSet => steps::hash_set(digest, length, seed, attempts, deadline),
            Step::InOrder => steps::in_order(digest, length, deadline),
            Step::RawDigest => steps::raw_digest(digest, length, deadline),
            Step::Parallel => parallel::parallel(digest, length, deadline),
            Step::Fast => FastSearch::new().search(digest, length, deadline, |_| {}),
        }
    }

    /// Whether the step draws random guesses (steps 0 to 2).
    fn is_random(self) -> bool {
        matches!(self, Step::Naive | Step::NoPrint | Step::HashSet)
    }

    /// Whether the step scans a `Vec` for every guess, so that its time grows
    /// with the square of the number of guesses.
    fn is_quadratic(self) -> bool {
        matches!(self, Step::Naive | Step::NoPrint)
    }
}

/// One step's run in [`time_steps`].
///
/// ```
/// use std::time::Duration;
/// use course_lib::codebreaker::{time_steps, Md5Digest, Step};
///
/// let timings = time_steps(&Md5Digest::of("Hi"), 2, Duration::from_secs(2))?;
/// let fast = timings.iter().find(|t| t.step == Step::Fast).unwrap();
/// assert!(fast.finished);
/// assert_eq!(fast.cracked.password.as_deref(), Some("Hi"));
/// # Ok::<(), course_lib::codebreaker::CrackError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct StepTiming {
    /// The step.
    pub step: Step,
    /// What it found in the time it had.
    pub cracked: Cracked,
    /// `false` if the time budget ran out first.
    pub finished: bool,
    /// For a step stopped by the budget: about how long the whole search
    /// would have taken, from its rate so far (growing with the square of
    /// the candidates for the two `Vec` steps) and the number of candidates
    /// it would need — the password's position for the in-order steps, half
    /// the search space on average for the random ones.
    pub estimated: Option<Duration>,
}

/// Runs every step of [`Step::ALL`] on `digest`, each for at most `budget`,
/// slowest first.
///
/// The fast step runs first (to learn the password's position, for the
/// estimates), but is listed last. Steps that need more than `budget` are
/// stopped when it runs out and get an estimated total time instead, so
/// the whole comparison takes at most about 7 × `budget`.
///
/// # Errors
///
/// [`CrackError::PasswordLength`] unless `length` is 1 to [`MAX_LENGTH`](super::MAX_LENGTH).
///
/// ```
/// use std::time::Duration;
/// use course_lib::codebreaker::{time_steps, Md5Digest, Step};
///
/// let timings = time_steps(&Md5Digest::of("Hey"), 3, Duration::from_millis(300))?;
/// assert_eq!(timings.len(), 7);
/// assert_eq!(timings[0].step, Step::Naive);
/// # Ok::<(), course_lib::codebreaker::CrackError>(())
/// ```
pub fn time_steps(
    digest: &Md5Digest,
    length: usize,
    budget: Duration,
) -> Result<Vec<StepTiming>, CrackError> {
    let fast = Step::Fast.run_until(digest, length, Deadline::after(budget))?;
    let total = fast.cracked.total;
    // Candidates an in-order search needs; half the space if unknown.
    let in_order_needed = fast
        .cracked
        .password
        .as_deref()
        .and_then(index_of)
        .map_or(total / 2, |index| index + 1);
    let mut timings = Vec::with_capacity(Step::ALL.len());
    for step in Step::ALL {
        let run = if step == Step::Fast {
            fast.clone()
        } else {
            step.run_until(digest, length, Deadline::after(budget))?
        };
        let finished = !run.stopped || run.cracked.found();
        let estimated = if finished || run.cracked.tested == 0 {
            None
        } else {
            let needed = if step.is_random() {
                total.div_ceil(2)
            } else if step == Step::Fast {
                total / 2
            } else {
                in_order_needed
            };
            let ratio = needed as f64 / run.cracked.tested as f64;
            let scale = if step.is_quadratic() {
                ratio * ratio
            } else {
                ratio
            };
            Duration::try_from_secs_f64(run.cracked.elapsed.as_secs_f64() * scale.max(1.0)).ok()
        };
        timings.push(StepTiming {
            step,
            cracked: run.cracked,
            finished,
            estimated,
        });
    }
    Ok(timings)
}

/// Runs every step on `digest` with a time budget each (see
/// [`time_steps`]) and returns a table: step, password, candidates tested,
/// time, candidates per second, and speed-up in candidates per second
/// compared with the naive step. A step stopped by the budget shows its
/// estimated total time instead of a password.
///
/// ```
/// use std::time::Duration;
/// use course_lib::prelude::*;
/// use course_lib::codebreaker::{compare_steps, Md5Digest};
///
/// let digest: Md5Digest = "d0eedb799584d850fdd802fd3c27ae34".parse()?;
/// let table = compare_steps(&digest, 3, Duration::from_millis(300))?;
/// assert_eq!(table.len(), 7);
/// assert!(table.to_text().contains("Hey"));
/// display(&table);
/// # Ok::<(), course_lib::codebreaker::CrackError>(())
/// ```
///
/// # Errors
///
/// [`CrackError::PasswordLength`] unless `length` is 1 to [`MAX_LENGTH`](super::MAX_LENGTH).
pub fn compare_steps(
    digest: &Md5Digest,
    length: usize,
    budget: Duration,
) -> Result<Table, CrackError> {
    let timings = time_steps(digest, length, budget)?;
    let naive_rate = timings[0].cracked.candidates_per_second();
    let table = Table::new()
        .caption(format!(
            "Cracking {digest} ({length} letters), at most {:.1} s per step",
            budget.as_secs_f64()
        ))
        .headers([
            "step",
            "password",
            "tested",
            "time (s)",
            "candidates/s",
            "speed-up",
        ])
        .rows(timings.iter().map(|timing| {
            let cracked = &timing.cracked;
            let password = match (&cracked.password, timing.estimated) {
                (Some(password), _) => password.clone(),
                (None, Some(estimate)) => {
                    format!("stopped; about {} in all", human_duration(estimate))
                }
                (None, None) if timing.finished => "(not found)".to_string(),
                (None, None) => "stopped".to_string(),
            };
            let rate = cracked.candidates_per_second();
            let speed_up = if naive_rate > 0.0 {
                format!("{:.1}×", rate / naive_rate)
            } else {
                "-".to_string()
            };
            (
                timing.step.name(),
                password,
                thousands(cracked.tested),
                format!("{:.3}", cracked.elapsed.as_secs_f64()),
                human_rate(rate),
                speed_up,
            )
        }));
    Ok(table)
}

/// `"42 ms"`, `"3.5 s"`, `"12 min"`, `"5.1 h"`, `"3.2 days"`.
fn human_duration(duration: Duration) -> String {
    let seconds = duration.as_secs_f64();
    if seconds < 1.0 {
        format!("{:.0} ms", seconds * 1e3)
    } else if seconds < 120.0 {
        format!("{seconds:.1} s")
    } else if seconds < 7200.0 {
        format!("{:.0} min", seconds / 60.0)
    } else if seconds < 172_800.0 {
        format!("{:.1} h", seconds / 3600.0)
    } else {
        format!("{:.1} days", seconds / 86_400.0)
    }
}
