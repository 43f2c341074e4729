//! Running a simulation, on virtual time or in real time, and what it returns.

use std::fmt;
use std::time::Duration;

use super::asynchronous::run_async;
use super::clock::{Clock, Stalled, TokioClock, run_real_time, run_virtual};
use super::sync::run_sync;
use super::{Config, LawViolation, Speed, Timeline};

/// How the exhibition is played.
///
/// ```
/// use course_lib::chess::Mode;
///
/// assert_eq!(Mode::Async.to_string(), "async");
/// assert_eq!(Mode::ALL, [Mode::Sync, Mode::Async]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mode {
    /// One move at a time in the whole room.
    Sync,
    /// One task per board; the master serves the boards as they become ready.
    Async,
}

impl Mode {
    /// Both modes, synchronous first.
    ///
    /// ```
    /// assert_eq!(course_lib::chess::Mode::ALL.len(), 2);
    /// ```
    pub const ALL: [Mode; 2] = [Mode::Sync, Mode::Async];

    /// `"sync"` or `"async"`.
    ///
    /// ```
    /// assert_eq!(course_lib::chess::Mode::Sync.name(), "sync");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Mode::Sync => "sync",
            Mode::Async => "async",
        }
    }

    /// The total this mode reaches for `config`: [`Config::sync_total`] or
    /// [`Config::shortest_total`].
    ///
    /// ```
    /// use course_lib::chess::{Config, Mode};
    ///
    /// assert_eq!(Mode::Async.expected_total(&Config::default()).as_secs(), 14);
    /// ```
    pub fn expected_total(self, config: &Config) -> Duration {
        match self {
            Mode::Sync => config.sync_total(),
            Mode::Async => config.shortest_total(),
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The result of one simulation: its timeline and how long it took.
///
/// Ending a notebook cell with a simulation draws its timeline.
///
/// ```
/// use course_lib::chess::{simulate_async, Config, Mode};
///
/// let run = simulate_async(&Config::default());
/// assert_eq!(run.mode(), Mode::Async);
/// assert_eq!(run.total().as_secs(), 14);
/// assert_eq!(run.check_laws(), Ok(()));
/// assert!(run.wall_clock().as_secs() < 1); // virtual time
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Simulation {
    mode: Mode,
    config: Config,
    timeline: Timeline,
    total: Duration,
    wall_clock: Duration,
}

impl Simulation {
    /// How the exhibition was played.
    ///
    /// ```
    /// use course_lib::chess::{simulate_sync, Mode};
    ///
    /// assert_eq!(simulate_sync(&Default::default()).mode(), Mode::Sync);
    /// ```
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The exhibition that was played.
    ///
    /// ```
    /// use course_lib::chess::{simulate_sync, Config};
    ///
    /// assert_eq!(*simulate_sync(&Config::default()).config(), Config::default());
    /// ```
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Every move, in order.
    ///
    /// ```
    /// let run = course_lib::chess::simulate_sync(&Default::default());
    /// assert_eq!(run.timeline().len(), 12);
    /// ```
    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    /// Takes the timeline out.
    ///
    /// ```
    /// let timeline = course_lib::chess::simulate_sync(&Default::default()).into_timeline();
    /// assert_eq!(timeline.len(), 12);
    /// ```
    pub fn into_timeline(self) -> Timeline {
        self.timeline
    }

    /// The game time from the start until every board had finished.
    ///
    /// ```
    /// let run = course_lib::chess::simulate_sync(&Default::default());
    /// assert_eq!(run.total().as_secs(), 36);
    /// ```
    pub fn total(&self) -> Duration {
        self.total
    }

    /// The wall-clock time the simulation took: milliseconds on virtual
    /// time, about `total / factor` in real time.
    ///
    /// ```
    /// let run = course_lib::chess::simulate_sync(&Default::default());
    /// assert!(run.wall_clock() < run.total());
    /// ```
    pub fn wall_clock(&self) -> Duration {
        self.wall_clock
    }

    /// Checks the recorded timeline against the laws of its exhibition
    /// (see [`Timeline::check_laws`]).
    ///
    /// ```
    /// let run = course_lib::chess::simulate_async(&Default::default());
    /// assert!(run.check_laws().is_ok());
    /// ```
    pub fn check_laws(&self) -> Result<(), LawViolation> {
        self.timeline.check_laws(&self.config)
    }

    /// A one-line description, used as the plain-text version.
    ///
    /// ```
    /// let run = course_lib::chess::simulate_async(&Default::default());
    /// assert_eq!(run.summary(), "async: 3 opponents × 2 rounds in 14s");
    /// ```
    pub fn summary(&self) -> String {
        format!(
            "{}: {} opponents × {} rounds in {:?}",
            self.mode,
            self.config.opponents(),
            self.config.rounds(),
            self.total
        )
    }
}

/// Plays `config` in `mode` on tokio's clock: the asynchronous function
/// behind every other way of running a simulation.
///
/// Await it in your own runtime. In a normal runtime it runs in real time
/// (divided by `speed`); under a paused runtime (tokio's `test-util`
/// feature, e.g. `#[tokio::test(start_paused = true)]`) it runs on tokio's
/// virtual time and takes milliseconds. The asynchronous mode spawns one
/// task per board, so it must run inside a tokio runtime with timers.
///
/// ```
/// use course_lib::chess::{play, Config, Mode, Speed};
///
/// let config = Config::builder().opponents(2).rounds(1).build()?;
/// let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build()?;
/// // In an async function this is just `play(...).await`.
/// let run = runtime.block_on(play(Mode::Async, &config, Speed::scaled(1000)?));
/// assert_eq!(run.timeline().len(), 4);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub async fn play(mode: Mode, config: &Config, speed: Speed) -> Simulation {
    run(mode, *config, TokioClock::start(speed)).await
}

/// Plays `config` in `mode` on `clock`.
pub(crate) async fn run<C: Clock>(mode: Mode, config: Config, clock: C) -> Simulation {
    let started = std::time::Instant::now();
    let timeline = match mode {
        Mode::Sync => run_sync(config, clock.clone()).await,
        Mode::Async => run_async(config, clock.clone()).await,
    };
    Simulation {
        mode,
        config,
        timeline,
        total: clock.now(),
        wall_clock: started.elapsed(),
    }
}

/// Plays `config` in `mode` on virtual time: the clock jumps ahead whenever
/// every player is thinking, so the game's seconds pass in microseconds and
/// the recorded times are exact.
///
/// It blocks until the run is over; inside asynchronous code (where it
/// would block a runtime) it runs on a thread of its own, but [`play`] is
/// the natural choice there.
///
/// ```
/// use course_lib::chess::{simulate, Config, Mode};
///
/// for mode in Mode::ALL {
///     let run = simulate(mode, &Config::default());
///     assert_eq!(run.total(), mode.expected_total(&Config::default()));
/// }
/// ```
pub fn simulate(mode: Mode, config: &Config) -> Simulation {
    let config = *config;
    let run_virtually = move || match run_virtual(|clock| run(mode, config, clock)) {
        Ok(simulation) => simulation,
        Err(Stalled) => panic!("the {mode} simulation stalled: every task waits and nobody thinks"),
    };
    outside_any_runtime(run_virtually)
}

/// The synchronous simulation on virtual time (see [`simulate`]).
///
/// ```
/// let run = course_lib::chess::simulate_sync(&Default::default());
/// assert_eq!(run.total().as_secs(), 36);
/// ```
pub fn simulate_sync(config: &Config) -> Simulation {
    simulate(Mode::Sync, config)
}

/// The asynchronous simulation on virtual time (see [`simulate`]).
///
/// ```
/// let run = course_lib::chess::simulate_async(&Default::default());
/// assert_eq!(run.total().as_secs(), 14);
/// ```
pub fn simulate_async(config: &Config) -> Simulation {
    simulate(Mode::Async, config)
}

/// Plays `config` in `mode` in real time, `speed` times faster, and blocks
/// until it is over: with `Speed::scaled(100)` the default exhibition takes
/// 0.36 s synchronously and 0.14 s asynchronously.
///
/// Times are reported in game time. Real clocks oversleep a little, so
/// check such a run with [`Timeline::check_laws_within`].
///
/// Called from asynchronous code, it runs on a thread of its own so as not
/// to block the runtime; there, prefer [`play`].
///
/// ```
/// use std::time::Duration;
/// use course_lib::chess::{simulate_real_time, Config, Mode, Speed};
///
/// let config = Config::builder().opponents(2).rounds(1).build()?;
/// let run = simulate_real_time(Mode::Async, &config, Speed::scaled(1000)?);
/// assert!(run.wall_clock() >= Duration::from_millis(7)); // 7 s of game time
/// assert!(run.timeline().check_laws_within(&config, Duration::MAX).is_ok());
/// # Ok::<(), course_lib::chess::ConfigError>(())
/// ```
pub fn simulate_real_time(mode: Mode, config: &Config, speed: Speed) -> Simulation {
    let config = *config;
    outside_any_runtime(move || run_real_time(speed, |clock| run(mode, config, clock)))
}

/// Runs `job`, which builds and blocks on a runtime of its own, on a new
/// thread if the current one is already inside a tokio runtime (which
/// cannot be blocked on).
fn outside_any_runtime<T: Send>(job: impl FnOnce() -> T + Send) -> T {
    if tokio::runtime::Handle::try_current().is_err() {
        return job();
    }
    std::thread::scope(|scope| match scope.spawn(job).join() {
        Ok(output) => output,
        Err(panic) => std::panic::resume_unwind(panic),
    })
}
