//! The two clocks a simulation can run on: tokio's clock, and a virtual
//! clock that jumps ahead whenever every task is waiting.

use std::collections::BTreeMap;
use std::future::{Future, poll_fn};
use std::pin::pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Poll, Waker};
use std::time::Duration;

use super::Speed;

/// What a simulation needs from time: reading it and sleeping.
///
/// Both methods work in game time, measured from the start of the simulation.
pub(crate) trait Clock: Clone + Send + Sync + 'static {
    /// The game time since the simulation started.
    fn now(&self) -> Duration;

    /// Waits for `time` of game time.
    fn sleep(&self, time: Duration) -> impl Future<Output = ()> + Send;
}

/// Tokio's clock (`tokio::time`), running `speed` times faster than real
/// time. Under a paused tokio runtime this is tokio's virtual time.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TokioClock {
    origin: tokio::time::Instant,
    speed: Speed,
}

impl TokioClock {
    /// A clock whose game time starts now.
    pub(crate) fn start(speed: Speed) -> Self {
        TokioClock {
            origin: tokio::time::Instant::now(),
            speed,
        }
    }
}

impl Clock for TokioClock {
    fn now(&self) -> Duration {
        self.speed.to_game(self.origin.elapsed())
    }

    fn sleep(&self, time: Duration) -> impl Future<Output = ()> + Send {
        tokio::time::sleep(self.speed.to_wall(time))
    }
}

/// A clock that only moves when nobody can do anything else.
///
/// [`run_virtual`] hands it to a current-thread runtime: whenever the
/// runtime runs out of work, the clock jumps to the earliest wake-up and
/// wakes the tasks sleeping until then. This is how tokio's own paused clock
/// behaves, built here from stable parts so that it works in every build.
#[derive(Debug, Clone, Default)]
pub(crate) struct VirtualClock {
    state: Arc<Mutex<State>>,
}

#[derive(Debug, Default)]
struct State {
    now: Duration,
    /// Sleepers by (deadline, arrival number), so equal deadlines wake in order.
    sleepers: BTreeMap<(Duration, u64), Waker>,
    arrivals: u64,
    /// Set when the runtime ran out of work with nobody asleep.
    stalled: bool,
    /// Woken when the clock finds itself stalled.
    driver: Option<Waker>,
}

impl VirtualClock {
    fn state(&self) -> MutexGuard<'_, State> {
        // The state stays consistent even if a holder panicked.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Called when the runtime has nothing to run: jumps to the earliest
    /// deadline and wakes everyone sleeping until then.
    fn advance(&self) {
        let mut state = self.state();
        let Some(&(deadline, _)) = state.sleepers.keys().next() else {
            state.stalled = true;
            if let Some(driver) = state.driver.take() {
                driver.wake();
            }
            return;
        };
        state.now = state.now.max(deadline);
        let mut wakers = Vec::new();
        while let Some(entry) = state.sleepers.first_entry() {
            if entry.key().0 > deadline {
                break;
            }
            wakers.push(entry.remove());
        }
        drop(state);
        for waker in wakers {
            waker.wake();
        }
    }
}

impl Clock for VirtualClock {
    fn now(&self) -> Duration {
        self.state().now
    }

    fn sleep(&self, time: Duration) -> impl Future<Output = ()> + Send {
        let clock = self.clone();
        let deadline = self.now().saturating_add(time);
        poll_fn(move |cx| {
            let mut state = clock.state();
            if state.now >= deadline {
                return Poll::Ready(());
            }
            // A second poll before the deadline registers again: an extra
            // wake-up at the deadline is harmless.
            state.arrivals += 1;
            let key = (deadline, state.arrivals);
            state.sleepers.insert(key, cx.waker().clone());
            Poll::Pending
        })
    }
}

/// Why a virtual run could not finish: every task waited and nobody slept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stalled;

/// Runs the future made by `start` on a fresh current-thread runtime driven
/// by a [`VirtualClock`], so simulated hours pass in milliseconds.
///
/// Must not be called from inside a tokio runtime (tokio cannot block a
/// thread that drives a runtime).
pub(crate) fn run_virtual<F, Fut>(start: F) -> Result<Fut::Output, Stalled>
where
    F: FnOnce(VirtualClock) -> Fut,
    Fut: Future,
{
    let clock = VirtualClock::default();
    let on_idle = clock.clone();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .on_thread_park(move || on_idle.advance())
        .build()
        .expect("a current-thread runtime without drivers can always be built");
    let watch = clock.clone();
    let game = start(clock);
    runtime.block_on(async move {
        let mut game = pin!(game);
        poll_fn(|cx| {
            if let Poll::Ready(output) = game.as_mut().poll(cx) {
                return Poll::Ready(Ok(output));
            }
            let mut state = watch.state();
            if state.stalled {
                return Poll::Ready(Err(Stalled));
            }
            state.driver = Some(cx.waker().clone());
            Poll::Pending
        })
        .await
    })
}

/// Runs the future made by `start` on a fresh current-thread runtime with
/// tokio's real clock running at `speed`.
///
/// Must not be called from inside a tokio runtime, as [`run_virtual`].
pub(crate) fn run_real_time<F, Fut>(speed: Speed, start: F) -> Fut::Output
where
    F: FnOnce(TokioClock) -> Fut,
    Fut: Future,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a current-thread runtime with a timer can always be built");
    runtime.block_on(async move { start(TokioClock::start(speed)).await })
}
