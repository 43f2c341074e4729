//! Mini-project 6: a chess master against many opponents (asynchronous
//! programming with tokio).
//!
//! # The exhibition
//!
//! One master plays `n` opponents at once (a *simultaneous exhibition*);
//! opponent `k` sits at board `k`, boards being numbered from 1. A move by
//! the master takes `m` of thinking (1 s by default), a move by an opponent
//! `p` (5 s). Every board plays `r` rounds (2 by default); a round is a
//! master move followed by the opponent's reply. The laws of the room:
//!
//! - nobody thinks about two boards at once (the master included);
//! - nobody moves before the other side on that board has finished.
//!
//! [`Timeline::check_laws`] checks them on a recorded [`Timeline`].
//!
//! # Two ways to play
//!
//! - **Synchronous** ([`simulate_sync`]): one move at a time in the whole
//!   room. The master moves on board 1 and waits for the reply, then board
//!   2, and so on. The total is `n·r·(m + p)`: 3 × 2 × (1 + 5) = 36 s.
//! - **Asynchronous** ([`simulate_async`]): one tokio task per board. The
//!   master's attention is a [`tokio::sync::Mutex`]: a board whose opponent
//!   has replied queues for it, and the master serves the boards in the
//!   order they became ready, never idling while a board waits. The total is
//!   14 s, the shortest the laws allow.
//!
//! ```
//! use course_lib::chess::{compare, simulate_async, simulate_sync, Config};
//!
//! let config = Config::default(); // 3 opponents × 2 rounds, 1 s and 5 s
//! let sync = simulate_sync(&config);
//! let fast = simulate_async(&config);
//! assert_eq!((sync.total().as_secs(), fast.total().as_secs()), (36, 14));
//! assert!(sync.check_laws().is_ok() && fast.check_laws().is_ok());
//! let side_by_side = compare(&config); // a table and both timelines
//! ```
//!
//! # The shortest total
//!
//! **Claim.** No schedule that obeys the laws finishes before
//! `T* = max((n − 1)·m + r·(m + p), n·r·m + p)`, and serving ready boards
//! first come, first served finishes exactly at `T*`
//! ([`Config::shortest_total`]).
//!
//! **Lower bound from the boards.** The `2r` moves of one board are played
//! one after the other, so a board whose first move starts at `s` finishes
//! no earlier than `s + r·(m + p)`. The master plays the `n` first moves one
//! at a time, so the last of them starts no earlier than `(n − 1)·m`.
//! Hence `T ≥ (n − 1)·m + r·(m + p)`.
//!
//! **Lower bound from the master.** The master plays `n·r` moves of `m`,
//! one at a time, so his last move ends no earlier than `n·r·m`, and the
//! reply to it takes `p` more. Hence `T ≥ n·r·m + p`.
//!
//! **The queue reaches the bound.** At time 0 every board is ready; the
//! master plays boards `1, 2, …, n` in turn, and each board rejoins the
//! queue `p` after its master move ends, so the queue keeps that cyclic
//! order.
//!
//! - If `p ≤ (n − 1)·m` (the master is the bottleneck), a board's reply
//!   arrives at the latest when the master finishes the `n − 1` other
//!   boards, so the master never waits: he works without a break until
//!   `n·r·m`, and the last reply ends at `n·r·m + p`.
//! - If `p > (n − 1)·m` (the boards are the bottleneck), the master has
//!   finished the other boards before any reply arrives, so after its first
//!   move no board ever waits: board `k` starts at `(k − 1)·m` and finishes
//!   at `(k − 1)·m + r·(m + p)`, the last one at `(n − 1)·m + r·(m + p)`.
//!
//! In each case the total is the larger of the two bounds (they differ by
//! `(r − 1)·((n − 1)·m − p)`), so it is `T*`. With the defaults,
//! `T* = max(2 + 2·6, 3·2·1 + 5) = max(14, 11) = 14 s`.
//!
//! # Virtual time and real time
//!
//! Waiting 36 real seconds in a notebook is no fun, so [`simulate`],
//! [`simulate_sync`], [`simulate_async`] and [`compare`] run on *virtual
//! time*: a current-thread tokio runtime whose clock jumps straight to the
//! next wake-up whenever every task is waiting. They take milliseconds and
//! record exact times. (tokio's own paused clock does the same; it needs
//! tokio's `test-util` feature, and this module's tests use it to check
//! that both clocks agree.)
//!
//! To *feel* the difference, [`simulate_real_time`] plays on the real clock,
//! faster by a [`Speed`] factor: with `Speed::scaled(100)` the defaults take
//! 0.36 s and 0.14 s. [`play`], [`play_sync`] and [`play_async`] are the
//! `async fn`s behind it all, to `.await` in your own runtime.
//!
//! # From Python to Rust
//!
//! | Python (`asyncio`)                     | Rust (`tokio`)                                        |
//! |----------------------------------------|-------------------------------------------------------|
//! | `async def f():` / `await f()`         | `async fn f()` / `f().await`                          |
//! | `asyncio.run(main())`                  | `runtime.block_on(main())` or `#[tokio::main]`        |
//! | `asyncio.create_task(coro)`            | `tokio::spawn(future)`, which returns a `JoinHandle`  |
//! | `await asyncio.wait(tasks)`            | `.await` on each `JoinHandle`                         |
//! | `await asyncio.sleep(5)`               | `tokio::time::sleep(Duration::from_secs(5)).await`    |
//! | `async with lock:` (`asyncio.Lock`)    | `let guard = mutex.lock().await;` freed when dropped  |
//! | `asyncio.Event`                        | `tokio::sync::Notify`                                 |
//! | `time.sleep()` in a coroutine (wrong!) | `std::thread::sleep` in a task: the same mistake      |
//! | `ValueError` for a bad setting         | [`ConfigError`], returned in a `Result`               |

mod asynchronous;
mod clock;
mod compare;
mod config;
mod laws;
mod plot;
mod simulation;
mod sync;
mod timeline;

#[cfg(test)]
mod tests;

use std::time::Duration;

pub use asynchronous::play_async;
pub use compare::{Comparison, compare};
pub use config::{
    Config, ConfigBuilder, ConfigError, MAX_MOVE_TIME, MAX_OPPONENTS, MAX_ROUNDS, MAX_SPEED_FACTOR,
    Speed,
};
pub use laws::LawViolation;
pub use plot::TimelineChart;
pub use simulation::{
    Mode, Simulation, play, simulate, simulate_async, simulate_real_time, simulate_sync,
};
pub use sync::play_sync;
pub use timeline::{Move, Player, Timeline};

/// The course's number of opponents.
///
/// ```
/// assert_eq!(course_lib::chess::DEFAULT_OPPONENTS, 3);
/// ```
pub const DEFAULT_OPPONENTS: usize = 3;

/// The course's number of rounds per board.
///
/// ```
/// assert_eq!(course_lib::chess::DEFAULT_ROUNDS, 2);
/// ```
pub const DEFAULT_ROUNDS: usize = 2;

/// The course's thinking time for one master move.
///
/// ```
/// assert_eq!(course_lib::chess::DEFAULT_MASTER_MOVE.as_secs(), 1);
/// ```
pub const DEFAULT_MASTER_MOVE: Duration = Duration::from_secs(1);

/// The course's thinking time for one opponent move.
///
/// ```
/// assert_eq!(course_lib::chess::DEFAULT_OPPONENT_MOVE.as_secs(), 5);
/// ```
pub const DEFAULT_OPPONENT_MOVE: Duration = Duration::from_secs(5);
