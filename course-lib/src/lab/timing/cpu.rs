//! `%time`: wall time and the process's CPU time, as IPython prints them.

use std::time::Instant;

use super::format::format_time;

/// CPU time the whole process has used so far, in seconds: `(user, system)`.
///
/// Threads count too (rayon workers included), as in IPython's `%time`.
///
/// ```
/// let (user, system) = course_lib::lab::timing::cpu_times();
/// assert!(user >= 0.0 && system >= 0.0);
/// ```
pub fn cpu_times() -> (f64, f64) {
    let (user, system) = cpu_micros();
    (user as f64 / 1e6, system as f64 / 1e6)
}

/// CPU time so far in whole microseconds, `(user, system)`: differences of
/// these are exact, where differences of seconds in `f64` turn 1 μs into
/// 0.99999 μs (shown as `1e+03 ns`).
fn cpu_micros() -> (u64, u64) {
    let Some(usage) = crate::lab::sys::resource_usage() else {
        return (0, 0);
    };
    (usage.user.total_micros(), usage.system.total_micros())
}

/// What `%time` measured.
///
/// ```
/// use course_lib::lab::timing::TimeReport;
///
/// let report = TimeReport { user: 0.00251, system: 0.0, wall: 0.00252 };
/// assert_eq!(
///     report.to_string(),
///     "CPU times: user 2.51 ms, sys: 0 ns, total: 2.51 ms\nWall time: 2.52 ms"
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeReport {
    /// User CPU seconds.
    pub user: f64,
    /// System CPU seconds.
    pub system: f64,
    /// Wall-clock seconds.
    pub wall: f64,
}

impl std::fmt::Display for TimeReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "CPU times: user {}, sys: {}, total: {}\nWall time: {}",
            format_time(self.user, 3),
            format_time(self.system, 3),
            format_time(self.user + self.system, 3),
            format_time(self.wall, 3)
        )
    }
}

/// Runs `body` once, prints IPython's `%time` report, and returns its value
/// (which becomes the cell's result when it is the last expression).
///
/// ```
/// let total = course_lib::lab::timing::time(|| (1..=100u64).sum::<u64>());
/// assert_eq!(total, 5050);
/// ```
pub fn time<R>(body: impl FnOnce() -> R) -> R {
    let (value, report) = measure(body);
    println!("{report}");
    value
}

/// Runs `body` once and returns its value with what it cost, printing nothing.
///
/// ```
/// let (value, report) = course_lib::lab::timing::measure(|| 6 * 7);
/// assert_eq!(value, 42);
/// assert!(report.wall >= 0.0);
/// ```
pub fn measure<R>(body: impl FnOnce() -> R) -> (R, TimeReport) {
    let clock = Clock::start();
    let value = body();
    (value, clock.report())
}

/// A started `%time` measurement: `finish` prints the report.
///
/// ```
/// use course_lib::lab::timing::Clock;
///
/// let clock = Clock::start();
/// let v: Vec<u64> = (0..1000).collect();
/// let total = clock.finish_with(v.iter().sum::<u64>());
/// assert_eq!(total, 499500);
/// ```
// Not `Copy`: `finish` consumes the clock, so that `%time` leaves no
// variable behind in the notebook session.
#[derive(Debug, Clone)]
pub struct Clock {
    user: u64,
    system: u64,
    start: Instant,
}

impl Clock {
    /// Starts measuring now.
    pub fn start() -> Clock {
        let (user, system) = cpu_micros();
        Clock {
            user,
            system,
            start: Instant::now(),
        }
    }

    /// What was used since the start.
    pub fn report(&self) -> TimeReport {
        let wall = self.start.elapsed().as_secs_f64();
        let (user, system) = cpu_micros();
        TimeReport {
            user: user.saturating_sub(self.user) as f64 / 1e6,
            system: system.saturating_sub(self.system) as f64 / 1e6,
            wall,
        }
    }

    /// Prints IPython's `%time` report.
    pub fn finish(self) {
        println!("{}", self.report());
    }

    /// Prints the report, then gives back `value` (evaluated before the
    /// report, even when the caller drops it: the optimiser may not delete
    /// or delay the work measured).
    pub fn finish_with<R>(self, value: R) -> R {
        let value = std::hint::black_box(value);
        self.finish();
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_microseconds_print_in_their_own_unit() {
        for micros in [1u64, 10, 1000, 100_000] {
            let report = TimeReport {
                user: micros as f64 / 1e6,
                system: 0.0,
                wall: 0.0,
            };
            assert!(!report.to_string().contains("e+"), "{report}");
        }
    }
}
