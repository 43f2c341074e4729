//! The iterators that run a scenario one day at a time.

use std::iter::FusedIterator;

use super::Scenario;

/// One simulated day, with the facts behind its number of cases.
///
/// ```
/// use course_lib::virus::Scenario;
///
/// let day = Scenario::default().records().nth(74).unwrap();
/// assert_eq!(day.day, 74);
/// assert!(day.celebration);
/// assert!(day.lockdown);
/// assert_eq!(day.r0, 0.9 * 2.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Day {
    /// The day number, from 0.
    pub day: usize,
    /// The reported number of cases of that day.
    pub cases: u64,
    /// The reproduction number of that day: tomorrow's expected cases are
    /// today's times `r0`.
    pub r0: f64,
    /// Whether a lockdown is in force that day.
    pub lockdown: bool,
    /// Whether that day is a celebration.
    pub celebration: bool,
}

/// The state of a running simulation: the next day to report and what it
/// depends on.
#[derive(Debug, Clone)]
pub(super) struct Engine {
    scenario: Scenario,
    day: usize,
    /// The unrounded expected cases of `day`.
    expected: f64,
    /// Lockdown days left, counting `day` itself.
    lockdown_left: usize,
}

impl Engine {
    pub(super) fn new(scenario: &Scenario) -> Self {
        Engine {
            scenario: scenario.clone(),
            day: 0,
            expected: 1.0,
            lockdown_left: 0,
        }
    }

    /// Reports the current day and moves to the next one.
    pub(super) fn step(&mut self) -> Day {
        let s = &self.scenario;
        // `as` saturates: +∞ becomes u64::MAX.
        let cases = self.expected.round() as u64;
        if self.lockdown_left == 0 && cases > s.critical {
            self.lockdown_left = s.lockdown_duration;
        }
        let lockdown = self.lockdown_left > 0;
        let celebration = s.is_celebration(self.day);
        let base = if lockdown {
            s.lockdown_r0
        } else {
            s.regular_r0
        };
        let r0 = if celebration {
            base * s.celebration_multiplier
        } else {
            base
        };
        let record = Day {
            day: self.day,
            cases,
            r0,
            lockdown,
            celebration,
        };
        self.expected *= r0;
        self.day = self.day.saturating_add(1);
        self.lockdown_left = self.lockdown_left.saturating_sub(1);
        record
    }

    /// Runs the simulation, without reporting, until `day` is the next day.
    pub(super) fn skip_to(&mut self, day: usize) {
        while self.day < day {
            self.step();
        }
    }
}

/// An iterator over daily cases: each [`next`](Iterator::next) simulates one
/// more day and returns its cases.
///
/// A bounded `Spread` (from [`Scenario::iter`] or [`Scenario::days`]) stops
/// after its last day; an endless one (from [`Scenario::endless`]) never
/// returns `None`.
///
/// ```
/// use course_lib::virus::Scenario;
///
/// let scenario = Scenario::default();
/// let mut spread = scenario.iter();
/// assert_eq!(spread.next_day(), 0);
/// assert_eq!(spread.next(), Some(1));
/// assert_eq!(spread.next_day(), 1);
/// assert_eq!(spread.len_left(), Some(949));
/// assert_eq!(scenario.endless().len_left(), None);
/// ```
#[derive(Debug, Clone)]
pub struct Spread {
    engine: Engine,
    remaining: Option<usize>,
}

impl Spread {
    pub(super) fn new(engine: Engine, remaining: Option<usize>) -> Self {
        Spread { engine, remaining }
    }

    /// The number of the day the next call to `next` reports.
    ///
    /// ```
    /// let scenario = course_lib::virus::Scenario::default();
    /// assert_eq!(scenario.days(300..600).next_day(), 300);
    /// ```
    pub fn next_day(&self) -> usize {
        self.engine.day
    }

    /// How many days are left, or `None` for an endless run.
    ///
    /// ```
    /// let scenario = course_lib::virus::Scenario::default();
    /// assert_eq!(scenario.days(300..600).len_left(), Some(300));
    /// ```
    pub fn len_left(&self) -> Option<usize> {
        self.remaining
    }

    /// Turns this iterator into one that yields the full [`Day`] records of
    /// the same days.
    ///
    /// ```
    /// let scenario = course_lib::virus::Scenario::default();
    /// let days: Vec<usize> = scenario.days(74..77).records().map(|d| d.day).collect();
    /// assert_eq!(days, [74, 75, 76]);
    /// ```
    pub fn records(self) -> Records {
        Records::new(self.engine, self.remaining)
    }
}

impl Iterator for Spread {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        next_record(&mut self.engine, &mut self.remaining).map(|day| day.cases)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        hint(self.remaining)
    }
}

impl FusedIterator for Spread {}

/// An iterator over [`Day`] records: like [`Spread`], with the details.
///
/// ```
/// use course_lib::virus::Scenario;
///
/// let lockdown_days = Scenario::default().records().filter(|day| day.lockdown).count();
/// assert_eq!(lockdown_days % 60, 0);
/// ```
#[derive(Debug, Clone)]
pub struct Records {
    engine: Engine,
    remaining: Option<usize>,
}

impl Records {
    pub(super) fn new(engine: Engine, remaining: Option<usize>) -> Self {
        Records { engine, remaining }
    }
}

impl Iterator for Records {
    type Item = Day;

    fn next(&mut self) -> Option<Day> {
        next_record(&mut self.engine, &mut self.remaining)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        hint(self.remaining)
    }
}

impl FusedIterator for Records {}

fn next_record(engine: &mut Engine, remaining: &mut Option<usize>) -> Option<Day> {
    match remaining {
        Some(0) => None,
        Some(left) => {
            *left -= 1;
            Some(engine.step())
        }
        None => Some(engine.step()),
    }
}

fn hint(remaining: Option<usize>) -> (usize, Option<usize>) {
    match remaining {
        Some(left) => (left, Some(left)),
        None => (usize::MAX, None),
    }
}
