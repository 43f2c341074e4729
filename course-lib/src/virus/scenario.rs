//! The parameters of a simulation, checked once when they are built.

use std::fmt;
use std::ops::{Bound, RangeBounds};

use super::spread::{Engine, Records, Spread};
use super::{
    CELEBRATION_DAYS, CELEBRATION_MULTIPLIER, CRITICAL_CASES, DURATION, LOCKDOWN_DURATION,
    LOCKDOWN_R0, REGULAR_R0,
};

/// Why a [`Scenario`] could not be built.
///
/// ```
/// use course_lib::virus::{Scenario, ScenarioError};
///
/// let error = Scenario::builder().regular_r0(0.0).build().unwrap_err();
/// assert_eq!(error, ScenarioError::InvalidFactor { name: "regular R0", value: 0.0 });
/// assert_eq!(error.to_string(), "regular R0 must be a finite number > 0, got 0");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ScenarioError {
    /// An R0 or the celebration multiplier is zero, negative, infinite or NaN.
    InvalidFactor {
        /// Which parameter: `"regular R0"`, `"lockdown R0"` or `"celebration multiplier"`.
        name: &'static str,
        /// The value that was given.
        value: f64,
    },
    /// The duration is zero days.
    ZeroDuration,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScenarioError::InvalidFactor { name, value } => {
                write!(f, "{name} must be a finite number > 0, got {value}")
            }
            ScenarioError::ZeroDuration => write!(f, "a scenario must last at least one day"),
        }
    }
}

impl std::error::Error for ScenarioError {}

/// The parameters of one epidemic, always valid once built.
///
/// `Scenario::default()` is the course's scenario: R0 1.2, lockdown R0 0.9,
/// celebration multiplier 2, critical 5000 cases, 60-day lockdowns, the
/// course's nine celebration days and 950 days. Other scenarios come from
/// [`Scenario::builder`], which checks the numbers. See the
/// [module documentation](super) for the exact model.
///
/// A scenario is a lazy sequence of daily cases: iterate it, ask its length,
/// slice it with [`days`](Scenario::days).
///
/// ```
/// use course_lib::virus::Scenario;
///
/// let scenario = Scenario::default();
/// let mut peak = 0;
/// for cases in &scenario {
///     peak = peak.max(cases);
/// }
/// assert!(peak > 5000);
/// assert_eq!((&scenario).into_iter().count(), scenario.len());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub(super) regular_r0: f64,
    pub(super) lockdown_r0: f64,
    pub(super) celebration_multiplier: f64,
    pub(super) critical: u64,
    pub(super) lockdown_duration: usize,
    /// Sorted, without duplicates.
    pub(super) celebration_days: Vec<usize>,
    pub(super) duration: usize,
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            regular_r0: REGULAR_R0,
            lockdown_r0: LOCKDOWN_R0,
            celebration_multiplier: CELEBRATION_MULTIPLIER,
            critical: CRITICAL_CASES,
            lockdown_duration: LOCKDOWN_DURATION,
            celebration_days: CELEBRATION_DAYS.to_vec(),
            duration: DURATION,
        }
    }
}

impl Scenario {
    /// Starts a builder from the course's numbers; change what you need, then
    /// call [`build`](ScenarioBuilder::build).
    ///
    /// ```
    /// use course_lib::virus::Scenario;
    ///
    /// let quiet = Scenario::builder().celebration_days([]).duration(400).build()?;
    /// assert_eq!(quiet.len(), 400);
    /// assert!(quiet.celebration_days().is_empty());
    /// # Ok::<(), course_lib::virus::ScenarioError>(())
    /// ```
    pub fn builder() -> ScenarioBuilder {
        ScenarioBuilder {
            scenario: Scenario::default(),
        }
    }

    /// Starts a builder from this scenario's numbers.
    ///
    /// ```
    /// use course_lib::virus::Scenario;
    ///
    /// let longer = Scenario::default().to_builder().duration(2000).build()?;
    /// assert_eq!(longer.len(), 2000);
    /// assert_eq!(longer.regular_r0(), 1.2);
    /// # Ok::<(), course_lib::virus::ScenarioError>(())
    /// ```
    pub fn to_builder(&self) -> ScenarioBuilder {
        ScenarioBuilder {
            scenario: self.clone(),
        }
    }

    /// The number of days of the scenario (days `0..len()`).
    ///
    /// ```
    /// assert_eq!(course_lib::virus::Scenario::default().len(), 950);
    /// ```
    pub fn len(&self) -> usize {
        self.duration
    }

    /// Always `false`: a scenario lasts at least one day.
    ///
    /// ```
    /// assert!(!course_lib::virus::Scenario::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.duration == 0
    }

    /// The regular reproduction number.
    ///
    /// ```
    /// assert_eq!(course_lib::virus::Scenario::default().regular_r0(), 1.2);
    /// ```
    pub fn regular_r0(&self) -> f64 {
        self.regular_r0
    }

    /// The reproduction number during a lockdown.
    ///
    /// ```
    /// assert_eq!(course_lib::virus::Scenario::default().lockdown_r0(), 0.9);
    /// ```
    pub fn lockdown_r0(&self) -> f64 {
        self.lockdown_r0
    }

    /// The factor applied to R0 on a celebration day.
    ///
    /// ```
    /// assert_eq!(course_lib::virus::Scenario::default().celebration_multiplier(), 2.0);
    /// ```
    pub fn celebration_multiplier(&self) -> f64 {
        self.celebration_multiplier
    }

    /// A lockdown starts when a day's cases are strictly greater than this.
    ///
    /// ```
    /// assert_eq!(course_lib::virus::Scenario::default().critical(), 5000);
    /// ```
    pub fn critical(&self) -> u64 {
        self.critical
    }

    /// How many days each lockdown lasts.
    ///
    /// ```
    /// assert_eq!(course_lib::virus::Scenario::default().lockdown_duration(), 60);
    /// ```
    pub fn lockdown_duration(&self) -> usize {
        self.lockdown_duration
    }

    /// The celebration days, sorted, without duplicates.
    ///
    /// ```
    /// let scenario = course_lib::virus::Scenario::default();
    /// assert_eq!(scenario.celebration_days()[..3], [74, 75, 76]);
    /// ```
    pub fn celebration_days(&self) -> &[usize] {
        &self.celebration_days
    }

    /// Whether `day` is a celebration day.
    ///
    /// ```
    /// let scenario = course_lib::virus::Scenario::default();
    /// assert!(scenario.is_celebration(920));
    /// assert!(!scenario.is_celebration(919));
    /// ```
    pub fn is_celebration(&self, day: usize) -> bool {
        self.celebration_days.binary_search(&day).is_ok()
    }

    /// The daily cases of days `0..len()`, one per [`next`](Iterator::next).
    ///
    /// ```
    /// let scenario = course_lib::virus::Scenario::default();
    /// let mut spread = scenario.iter();
    /// assert_eq!(spread.next(), Some(1)); // day 0
    /// assert_eq!(spread.count(), 949);    // days 1 to 949
    /// ```
    pub fn iter(&self) -> Spread {
        Spread::new(Engine::new(self), Some(self.duration))
    }

    /// The daily cases from day 0 on, forever: the same model without an end.
    ///
    /// ```
    /// let scenario = course_lib::virus::Scenario::default();
    /// let year_three: Vec<u64> = scenario.endless().skip(730).take(365).collect();
    /// assert_eq!(year_three.len(), 365);
    /// ```
    pub fn endless(&self) -> Spread {
        Spread::new(Engine::new(self), None)
    }

    /// The daily cases of a range of days, computed on demand (like
    /// `scenario[start:end]` in Python, but lazy).
    ///
    /// The model is defined for every day, so *past the end* (days at or
    /// after [`len`](Scenario::len)) nothing is lost: an explicit end beyond
    /// `len()` is honoured by running the same simulation further, so
    /// `days(900..1200)` yields 300 values. An open end (`days(900..)`) stops
    /// at `len()`. An empty or reversed range yields nothing.
    ///
    /// Days before the start must still be simulated (a lockdown depends on
    /// the past), so a slice costs as much as running up to its end.
    ///
    /// ```
    /// use course_lib::virus::Scenario;
    ///
    /// let scenario = Scenario::default();
    /// let middle: Vec<u64> = scenario.days(300..600).collect();
    /// let same: Vec<u64> = scenario.iter().skip(300).take(300).collect();
    /// assert_eq!(middle, same);
    ///
    /// assert_eq!(scenario.days(900..).count(), 50);
    /// assert_eq!(scenario.days(900..1200).count(), 300);
    /// assert_eq!(scenario.days(10..10).count(), 0);
    /// ```
    pub fn days(&self, range: impl RangeBounds<usize>) -> Spread {
        let start = match range.start_bound() {
            Bound::Included(&day) => day,
            Bound::Excluded(&day) => day.saturating_add(1),
            Bound::Unbounded => 0,
        };
        let end = match range.end_bound() {
            Bound::Included(&day) => day.saturating_add(1),
            Bound::Excluded(&day) => day,
            Bound::Unbounded => self.duration,
        };
        let mut engine = Engine::new(self);
        let count = end.saturating_sub(start);
        if count > 0 {
            engine.skip_to(start);
        }
        Spread::new(engine, Some(count))
    }

    /// The cases of one day (the scenario's `scenario[day]`), for any day.
    ///
    /// ```
    /// let scenario = course_lib::virus::Scenario::default();
    /// assert_eq!(scenario.cases_on(0), 1);
    /// assert_eq!(scenario.cases_on(10), 6); // 1.2¹⁰ ≈ 6.19
    /// ```
    pub fn cases_on(&self, day: usize) -> u64 {
        let mut engine = Engine::new(self);
        engine.skip_to(day);
        engine.step().cases
    }

    /// Every day of the scenario with its details: cases, R0, lockdown and
    /// celebration.
    ///
    /// ```
    /// let scenario = course_lib::virus::Scenario::default();
    /// let first_lockdown = scenario.records().find(|day| day.lockdown).unwrap();
    /// assert_eq!(first_lockdown.day, 47);
    /// assert!(first_lockdown.cases > 5000);
    /// ```
    pub fn records(&self) -> Records {
        Records::new(Engine::new(self), Some(self.duration))
    }
}

impl IntoIterator for &Scenario {
    type Item = u64;
    type IntoIter = Spread;

    fn into_iter(self) -> Spread {
        self.iter()
    }
}

/// Builds a [`Scenario`] step by step; [`build`](ScenarioBuilder::build)
/// checks the numbers.
///
/// ```
/// use course_lib::virus::Scenario;
///
/// let scenario = Scenario::builder()
///     .regular_r0(1.5)
///     .lockdown_r0(0.7)
///     .celebration_multiplier(3.0)
///     .critical(10_000)
///     .lockdown_duration(30)
///     .celebration_days([100, 50, 100])
///     .duration(365)
///     .build()?;
/// assert_eq!(scenario.celebration_days(), [50, 100]);
/// # Ok::<(), course_lib::virus::ScenarioError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioBuilder {
    scenario: Scenario,
}

impl ScenarioBuilder {
    /// Sets the regular R0 (must be finite and > 0).
    ///
    /// ```
    /// let s = course_lib::virus::Scenario::builder().regular_r0(1.1).build().unwrap();
    /// assert_eq!(s.regular_r0(), 1.1);
    /// ```
    pub fn regular_r0(mut self, r0: f64) -> Self {
        self.scenario.regular_r0 = r0;
        self
    }

    /// Sets the lockdown R0 (must be finite and > 0).
    ///
    /// ```
    /// let s = course_lib::virus::Scenario::builder().lockdown_r0(0.5).build().unwrap();
    /// assert_eq!(s.lockdown_r0(), 0.5);
    /// ```
    pub fn lockdown_r0(mut self, r0: f64) -> Self {
        self.scenario.lockdown_r0 = r0;
        self
    }

    /// Sets the celebration multiplier (must be finite and > 0).
    ///
    /// ```
    /// let s = course_lib::virus::Scenario::builder().celebration_multiplier(1.0).build().unwrap();
    /// assert_eq!(s.celebration_multiplier(), 1.0);
    /// ```
    pub fn celebration_multiplier(mut self, multiplier: f64) -> Self {
        self.scenario.celebration_multiplier = multiplier;
        self
    }

    /// Sets the number of cases above which a lockdown starts.
    ///
    /// ```
    /// let s = course_lib::virus::Scenario::builder().critical(100).build().unwrap();
    /// assert_eq!(s.critical(), 100);
    /// ```
    pub fn critical(mut self, cases: u64) -> Self {
        self.scenario.critical = cases;
        self
    }

    /// Sets how many days a lockdown lasts (0 means lockdowns never happen).
    ///
    /// ```
    /// let s = course_lib::virus::Scenario::builder().lockdown_duration(0).build().unwrap();
    /// assert!(s.records().all(|day| !day.lockdown));
    /// ```
    pub fn lockdown_duration(mut self, days: usize) -> Self {
        self.scenario.lockdown_duration = days;
        self
    }

    /// Replaces the celebration days (any order; duplicates are dropped).
    ///
    /// ```
    /// let s = course_lib::virus::Scenario::builder().celebration_days([7, 3, 7]).build().unwrap();
    /// assert_eq!(s.celebration_days(), [3, 7]);
    /// ```
    pub fn celebration_days(mut self, days: impl IntoIterator<Item = usize>) -> Self {
        let mut days: Vec<usize> = days.into_iter().collect();
        days.sort_unstable();
        days.dedup();
        self.scenario.celebration_days = days;
        self
    }

    /// Sets the number of days (at least 1).
    ///
    /// ```
    /// let s = course_lib::virus::Scenario::builder().duration(10).build().unwrap();
    /// assert_eq!(s.len(), 10);
    /// ```
    pub fn duration(mut self, days: usize) -> Self {
        self.scenario.duration = days;
        self
    }

    /// Checks the numbers and returns the scenario.
    ///
    /// ```
    /// use course_lib::virus::{Scenario, ScenarioError};
    ///
    /// assert!(Scenario::builder().build().is_ok());
    /// assert_eq!(Scenario::builder().duration(0).build(), Err(ScenarioError::ZeroDuration));
    /// let error = Scenario::builder().lockdown_r0(f64::NAN).build().unwrap_err();
    /// assert!(error.to_string().starts_with("lockdown R0 must be"));
    /// ```
    pub fn build(self) -> Result<Scenario, ScenarioError> {
        let scenario = self.scenario;
        for (name, value) in [
            ("regular R0", scenario.regular_r0),
            ("lockdown R0", scenario.lockdown_r0),
            ("celebration multiplier", scenario.celebration_multiplier),
        ] {
            if !(value.is_finite() && value > 0.0) {
                return Err(ScenarioError::InvalidFactor { name, value });
            }
        }
        if scenario.duration == 0 {
            return Err(ScenarioError::ZeroDuration);
        }
        Ok(scenario)
    }
}
