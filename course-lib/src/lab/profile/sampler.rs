//! `%prun`'s profiler: starts and stops sampling, through whichever
//! [`backend`](super::backend) this process has.

use std::fmt;

use super::backend::{self, Running};
use super::options::ProfileOptions;
use super::report::Profile;
use super::stacks::Stack;
use crate::lab::display::display;
use crate::lab::timing::Clock;

/// Samples asked for per CPU second. The kernel's timer tick caps what is
/// really obtained (often 250 Hz); [`Profile::sample_rate`] tells.
pub const FREQUENCY: i32 = 1000;

/// The profiler could not start or could not read its samples.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileError(pub(super) String);

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the profiler failed: {}", self.0)
    }
}

impl std::error::Error for ProfileError {}

/// A running profile: [`Profiler::start`], run the code, then
/// [`Profiler::finish`] shows the table and the flame graph.
///
/// ```
/// use course_lib::lab::profile::{Profiler, ProfileOptions};
///
/// let profiler = Profiler::start(ProfileOptions::default().limit(5));
/// let total: u64 = (0..2_000_000u64).map(|i| i % 7).sum();
/// let profile = profiler.stop().unwrap();
/// assert!(profile.wall_seconds() > 0.0);
/// assert!(total > 0);
/// ```
pub struct Profiler {
    running: Result<Running, ProfileError>,
    clock: Clock,
    options: ProfileOptions,
}

impl Profiler {
    /// Starts sampling every thread of the process.
    pub fn start(options: ProfileOptions) -> Profiler {
        Profiler {
            running: backend::start(FREQUENCY),
            clock: Clock::start(),
            options,
        }
    }

    /// Stops sampling and builds the profile.
    pub fn stop(self) -> Result<Profile, ProfileError> {
        let used = self.clock.report();
        let stacks = self
            .running?
            .stop()?
            .into_iter()
            .map(|stack| Stack::sampled(&stack.thread, stack.frames, stack.count))
            .collect();
        Ok(Profile::from_stacks(
            stacks,
            used.user + used.system,
            used.wall,
            &self.options,
        ))
    }

    /// Stops sampling and shows the profile (what `%prun` prints).
    pub fn finish(self) {
        match self.stop() {
            Ok(profile) => display(&profile),
            Err(error) => eprintln!("%prun: {error}"),
        }
    }

    /// Shows the profile, then gives back `value` (evaluated before it
    /// stopped, even when the caller drops it: the optimiser may not delete
    /// or delay the work profiled).
    pub fn finish_with<R>(self, value: R) -> R {
        let value = std::hint::black_box(value);
        self.finish();
        value
    }
}

/// Profiles `body`, returning its value and the profile.
///
/// ```
/// use course_lib::lab::profile::{profile, ProfileOptions};
///
/// let (sum, profile) = profile(&ProfileOptions::default(), || (0..1000u64).sum::<u64>());
/// assert_eq!(sum, 499_500);
/// assert!(profile.is_ok());
/// ```
pub fn profile<R>(
    options: &ProfileOptions,
    body: impl FnOnce() -> R,
) -> (R, Result<Profile, ProfileError>) {
    let profiler = Profiler::start(options.clone());
    let value = body();
    (value, profiler.stop())
}

// Sampling needs a backend: in tests, the linked profiler.
#[cfg(all(test, feature = "profile"))]
mod tests {
    use super::*;
    use std::hint::black_box;

    #[inline(never)]
    fn busy(n: u64) -> u64 {
        (0..n).fold(0u64, |acc, i| {
            black_box(acc.wrapping_mul(31).wrapping_add(i))
        })
    }

    #[test]
    fn a_busy_function_shows_up_in_the_samples() {
        let (_, profile) = profile(&ProfileOptions::default(), || busy(black_box(300_000_000)));
        let profile = profile.unwrap();
        assert!(profile.samples() > 20, "{profile}");
        let rate = profile.sample_rate();
        assert!(rate > 50.0 && rate < 2000.0, "rate {rate}");
        // Other tests run on other threads at the same time: look at this
        // test's stacks only.
        let mine: Vec<&Stack> = profile
            .stacks()
            .iter()
            .filter(|stack| stack.frames.iter().any(|f| f.contains("a_busy_function")))
            .collect();
        let total: u64 = mine.iter().map(|stack| stack.count).sum();
        let in_busy: u64 = mine
            .iter()
            .filter(|stack| stack.frames.iter().any(|f| f.ends_with("busy")))
            .map(|stack| stack.count)
            .sum();
        assert!(total > 20 && in_busy * 10 >= total * 9, "{profile}");
        // The stack starts at the test, not at the thread's start-up.
        assert!(
            !profile
                .rows()
                .iter()
                .any(|row| row.function.contains("thread_start")),
            "{profile}"
        );
    }
}
