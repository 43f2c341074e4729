//! Dates of transfers, counted in days and hours from day 0.

use std::fmt;

/// A moment of the simulation: a day number plus hours.
///
/// Dates are ordered, and [`days`](Date::days) gives the fractional day
/// number used for agios and charts.
///
/// ```
/// use course_lib::bank::Date;
///
/// let noon = Date::day(5).plus_hours(12);
/// assert_eq!(noon.days(), 5.5);
/// assert!(Date::day(5) < noon);
/// assert_eq!(noon.to_string(), "day 5, 12:00");
/// assert_eq!(Date::day(3).to_string(), "day 3");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Date {
    hours: u64,
}

impl Date {
    /// The start of day `day`.
    ///
    /// ```
    /// assert_eq!(course_lib::bank::Date::day(2).hours(), 48);
    /// ```
    pub const fn day(day: u32) -> Date {
        Date {
            hours: day as u64 * 24,
        }
    }

    /// This date, `hours` later.
    ///
    /// ```
    /// use course_lib::bank::Date;
    ///
    /// assert_eq!(Date::day(0).plus_hours(36), Date::day(1).plus_hours(12));
    /// ```
    pub const fn plus_hours(self, hours: u64) -> Date {
        Date {
            hours: self.hours.saturating_add(hours),
        }
    }

    /// This date, `days` later.
    ///
    /// ```
    /// use course_lib::bank::Date;
    ///
    /// assert_eq!(Date::day(3).plus_days(5), Date::day(8));
    /// ```
    pub const fn plus_days(self, days: u32) -> Date {
        self.plus_hours(days as u64 * 24)
    }

    /// Hours since the start of day 0.
    ///
    /// ```
    /// assert_eq!(course_lib::bank::Date::day(1).plus_hours(1).hours(), 25);
    /// ```
    pub const fn hours(self) -> u64 {
        self.hours
    }

    /// The day number with its fraction (`day 2, 06:00` is 2.25).
    ///
    /// ```
    /// assert_eq!(course_lib::bank::Date::day(2).plus_hours(6).days(), 2.25);
    /// ```
    pub fn days(self) -> f64 {
        self.hours as f64 / 24.0
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (day, hour) = (self.hours / 24, self.hours % 24);
        if hour == 0 {
            write!(f, "day {day}")
        } else {
            write!(f, "day {day}, {hour:02}:00")
        }
    }
}
