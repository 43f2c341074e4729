//! The outcome of a search: the password (if found), how many candidates
//! were hashed, and how long it took.

use std::fmt;
use std::time::Duration;

use crate::lab::Table;
use crate::lab::display::{MimeBundle, Render, impl_evcxr_display};
use crate::lab::timing::thousands;

/// What a search found and what it cost.
///
/// In a notebook, a cell ending with a `Cracked` shows it as a one-row
/// table; `println!("{cracked}")` prints one line.
///
/// ```
/// use course_lib::codebreaker::{crack_in_order, Md5Digest};
///
/// let cracked = crack_in_order(&Md5Digest::of("Hey"), 3)?;
/// assert_eq!(cracked.password.as_deref(), Some("Hey"));
/// assert_eq!(cracked.tested, 89_465); // "Hey" is candidate number 89,465
/// assert!(cracked.candidates_per_second() > 0.0);
/// println!("{cracked}");
/// # Ok::<(), course_lib::codebreaker::CrackError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Cracked {
    /// The password, or `None` if the search ended without finding it.
    pub password: Option<String>,
    /// How many different candidates were hashed.
    pub tested: u64,
    /// How many candidates there are for this length ([`search_space`](super::search_space)).
    pub total: u64,
    /// How long the search took.
    pub elapsed: Duration,
}

impl Cracked {
    /// Candidates hashed per second (0 if no time was measured).
    ///
    /// ```
    /// use std::time::Duration;
    /// use course_lib::codebreaker::Cracked;
    ///
    /// let cracked = Cracked {
    ///     password: None,
    ///     tested: 3_000_000,
    ///     total: 7_311_616,
    ///     elapsed: Duration::from_millis(1500),
    /// };
    /// assert_eq!(cracked.candidates_per_second(), 2_000_000.0);
    /// ```
    pub fn candidates_per_second(&self) -> f64 {
        rate(self.tested, self.elapsed)
    }

    /// Whether the password was found.
    ///
    /// ```
    /// use course_lib::codebreaker::{crack_fast, Md5Digest};
    ///
    /// assert!(crack_fast(&Md5Digest::of("ab"), 2, 1)?.found());
    /// // "ab" is not a 3-letter password
    /// assert!(!crack_fast(&Md5Digest::of("ab"), 3, 1)?.found());
    /// # Ok::<(), course_lib::codebreaker::CrackError>(())
    /// ```
    pub fn found(&self) -> bool {
        self.password.is_some()
    }

    /// A one-row table: password, candidates tested, time, candidates per
    /// second.
    ///
    /// ```
    /// use course_lib::codebreaker::{crack_fast, Md5Digest};
    ///
    /// let table = crack_fast(&Md5Digest::of("Hey"), 3, 1)?.to_table();
    /// assert!(table.to_text().contains("Hey"));
    /// # Ok::<(), course_lib::codebreaker::CrackError>(())
    /// ```
    pub fn to_table(&self) -> Table {
        Table::new()
            .headers(["password", "tested", "of", "time (s)", "candidates/s"])
            .row((
                self.password.as_deref().unwrap_or("(not found)"),
                thousands(self.tested),
                thousands(self.total),
                format!("{:.3}", self.elapsed.as_secs_f64()),
                human_rate(self.candidates_per_second()),
            ))
    }
}

impl fmt::Display for Cracked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.password {
            Some(password) => write!(f, "found {password:?} after ")?,
            None => write!(f, "not found after ")?,
        }
        write!(
            f,
            "{} of {} candidates in {:.3} s ({} candidates/s)",
            thousands(self.tested),
            thousands(self.total),
            self.elapsed.as_secs_f64(),
            human_rate(self.candidates_per_second())
        )
    }
}

impl Render for Cracked {
    fn mime_bundle(&self) -> MimeBundle {
        let table = self.to_table().mime_bundle();
        MimeBundle::new()
            .with("text/html", table.get("text/html").unwrap_or_default())
            .with("text/plain", self.to_string())
    }
}

impl_evcxr_display!(
    Cracked => "course_lib::codebreaker::crack_fast(&course_lib::codebreaker::Md5Digest::of(\"Hey\"), 3, 1).unwrap()"
);

/// `count` per `elapsed` second, 0 when no time passed.
pub(crate) fn rate(count: u64, elapsed: Duration) -> f64 {
    let seconds = elapsed.as_secs_f64();
    if seconds > 0.0 {
        count as f64 / seconds
    } else {
        0.0
    }
}

/// A rate in words: `"312.4 million"`, `"8.1 thousand"`, `"12"`.
pub(crate) fn human_rate(per_second: f64) -> String {
    if per_second >= 1e9 {
        format!("{:.2} billion", per_second / 1e9)
    } else if per_second >= 1e6 {
        format!("{:.1} million", per_second / 1e6)
    } else if per_second >= 1e3 {
        format!("{:.1} thousand", per_second / 1e3)
    } else {
        format!("{per_second:.0}")
    }
}
