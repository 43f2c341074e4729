//! Mini-project 7: a virus spread simulator (operators, iterators, protocols).
//!
//! # The model
//!
//! Every day `d` has a reproduction number `R0(d)`. The simulation keeps the
//! *expected* number of cases `x(d)` as an `f64`:
//!
//! - `x(0) = 1` (one case on day 0);
//! - `x(d + 1) = x(d) × R0(d)`.
//!
//! The number reported for day `d` is `x(d)` rounded to the nearest whole
//! number (halves away from zero, [`f64::round`]), saturating at `u64::MAX`.
//! Rounding only affects what is reported: the model keeps running on the
//! unrounded value, so one case with `R0 = 1.2` still grows (1, 1, 1, 2, 2, 2,
//! 3, ...) instead of staying at `round(1.2) = 1` forever.
//!
//! `R0(d)` is the *lockdown* value ([`LOCKDOWN_R0`], 0.9) on lockdown days and
//! the *regular* value ([`REGULAR_R0`], 1.2) otherwise; on a celebration day
//! ([`CELEBRATION_DAYS`]) it is further multiplied by the celebration
//! multiplier ([`CELEBRATION_MULTIPLIER`], 2).
//!
//! A lockdown is declared on the first day `d` whose reported cases exceed
//! (are strictly greater than) the critical number ([`CRITICAL_CASES`],
//! 5000) while no lockdown is in force. It applies to days
//! `d, d + 1, ..., d + lockdown_duration − 1` ([`LOCKDOWN_DURATION`], 60
//! days), so it first lowers the cases of day `d + 1`. It always runs its full
//! length, and if the cases are still critical on the day after it ends a new
//! one starts at once.
//!
//! # From Python to Rust
//!
//! | Python                              | Rust                                        |
//! |-------------------------------------|---------------------------------------------|
//! | `__next__` on an iterator class     | [`Iterator`] for [`Spread`]                 |
//! | `__iter__` on the scenario          | [`IntoIterator`] for `&Scenario`            |
//! | `__len__`                           | [`Scenario::len`]                           |
//! | `scenario[300:600]`                 | [`Scenario::days`]`(300..600)`              |
//! | `typing.Protocol` `Plotable`        | the [`Plotable`] trait                      |
//! | `ValueError("R0 must be positive")` | [`ScenarioError`], returned in a `Result`   |
//!
//! ```
//! use course_lib::virus::Scenario;
//!
//! let scenario = Scenario::default(); // the course's numbers, 950 days
//! assert_eq!(scenario.len(), 950);
//! let first_week: Vec<u64> = scenario.days(0..7).collect();
//! assert_eq!(first_week, [1, 1, 1, 2, 2, 2, 3]);
//! let charts = scenario.plot(); // four windows of 300 days
//! assert_eq!(charts.len(), 4);
//! ```

mod plot;
mod scenario;
mod spread;

#[cfg(test)]
mod tests;

pub use plot::{Plot, PlotError, Plotable, plot};
pub use scenario::{Scenario, ScenarioBuilder, ScenarioError};
pub use spread::{Day, Records, Spread};

/// The regular reproduction number: each case causes 1.2 cases the next day.
///
/// ```
/// assert_eq!(course_lib::virus::REGULAR_R0, 1.2);
/// ```
pub const REGULAR_R0: f64 = 1.2;

/// The reproduction number during a lockdown.
///
/// ```
/// assert_eq!(course_lib::virus::LOCKDOWN_R0, 0.9);
/// ```
pub const LOCKDOWN_R0: f64 = 0.9;

/// The factor applied to a celebration day's reproduction number.
///
/// ```
/// assert_eq!(course_lib::virus::CELEBRATION_MULTIPLIER, 2.0);
/// ```
pub const CELEBRATION_MULTIPLIER: f64 = 2.0;

/// A lockdown starts when the day's cases are strictly greater than this.
///
/// ```
/// assert_eq!(course_lib::virus::CRITICAL_CASES, 5000);
/// ```
pub const CRITICAL_CASES: u64 = 5000;

/// How many days a lockdown lasts.
///
/// ```
/// assert_eq!(course_lib::virus::LOCKDOWN_DURATION, 60);
/// ```
pub const LOCKDOWN_DURATION: usize = 60;

/// The days of the course's celebrations.
///
/// ```
/// assert_eq!(course_lib::virus::CELEBRATION_DAYS.len(), 9);
/// ```
pub const CELEBRATION_DAYS: [usize; 9] = [74, 75, 76, 210, 211, 450, 680, 710, 920];

/// How many days the course's scenario lasts (days 0 to 949).
///
/// ```
/// assert_eq!(course_lib::virus::DURATION, 950);
/// ```
pub const DURATION: usize = 950;

/// How many days one chart of [`Scenario::plot`] shows.
///
/// ```
/// assert_eq!(course_lib::virus::PLOT_WINDOW, 300);
/// ```
pub const PLOT_WINDOW: usize = 300;
