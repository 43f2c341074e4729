//! A snapshot of a running search, for progress bars.

use std::fmt;
use std::time::Duration;

use super::result::{human_rate, rate};
use crate::lab::display::{MimeBundle, Render, impl_evcxr_display};
use crate::lab::timing::thousands;

/// How far a search has got: passed a few times per second to the callback
/// of [`crack_fast_with_progress`](super::crack_fast_with_progress).
///
/// In a notebook it shows as an HTML progress bar; as text it is one line,
/// handy after a carriage return (`\r`) on a terminal.
///
/// ```
/// use std::time::Duration;
/// use course_lib::codebreaker::Progress;
///
/// let progress = Progress {
///     tested: 100_000_000,
///     total: 400_000_000,
///     elapsed: Duration::from_millis(500),
/// };
/// assert_eq!(progress.fraction(), 0.25);
/// assert_eq!(progress.candidates_per_second(), 200_000_000.0);
/// assert_eq!(progress.remaining(), Some(Duration::from_millis(1500)));
/// assert_eq!(
///     progress.to_string(),
///     "25.0% (100,000,000 of 400,000,000 candidates) in 0.5 s, 200.0 million candidates/s"
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Candidates hashed so far.
    pub tested: u64,
    /// Candidates in the whole search space.
    pub total: u64,
    /// Time since the search started.
    pub elapsed: Duration,
}

impl Progress {
    /// The part of the search space done so far, from 0 to 1.
    ///
    /// ```
    /// use std::time::Duration;
    /// use course_lib::codebreaker::Progress;
    ///
    /// let empty = Progress { tested: 0, total: 0, elapsed: Duration::ZERO };
    /// assert_eq!(empty.fraction(), 1.0); // nothing to search: done
    /// ```
    pub fn fraction(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            (self.tested as f64 / self.total as f64).min(1.0)
        }
    }

    /// Candidates hashed per second so far.
    ///
    /// ```
    /// use std::time::Duration;
    /// use course_lib::codebreaker::Progress;
    ///
    /// let start = Progress { tested: 0, total: 10, elapsed: Duration::ZERO };
    /// assert_eq!(start.candidates_per_second(), 0.0);
    /// ```
    pub fn candidates_per_second(&self) -> f64 {
        rate(self.tested, self.elapsed)
    }

    /// The time left to search the whole space at the current rate (the
    /// password is usually found before); `None` while no rate is known.
    ///
    /// ```
    /// use std::time::Duration;
    /// use course_lib::codebreaker::Progress;
    ///
    /// let half = Progress { tested: 5, total: 10, elapsed: Duration::from_secs(2) };
    /// assert_eq!(half.remaining(), Some(Duration::from_secs(2)));
    /// ```
    pub fn remaining(&self) -> Option<Duration> {
        let per_second = self.candidates_per_second();
        if per_second > 0.0 {
            let left = self.total.saturating_sub(self.tested) as f64;
            Duration::try_from_secs_f64(left / per_second).ok()
        } else {
            None
        }
    }
}

impl fmt::Display for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:.1}% ({} of {} candidates) in {:.1} s, {} candidates/s",
            self.fraction() * 100.0,
            thousands(self.tested),
            thousands(self.total),
            self.elapsed.as_secs_f64(),
            human_rate(self.candidates_per_second())
        )
    }
}

impl Render for Progress {
    fn mime_bundle(&self) -> MimeBundle {
        let html = format!(
            "<div><progress value=\"{:.4}\" max=\"1\" style=\"width: 20em;\"></progress> {}</div>",
            self.fraction(),
            self
        );
        MimeBundle::new()
            .with("text/html", html)
            .with("text/plain", self.to_string())
    }
}

impl_evcxr_display!(
    Progress => "course_lib::codebreaker::Progress { tested: 1, total: 4, elapsed: std::time::Duration::from_secs(1) }"
);
