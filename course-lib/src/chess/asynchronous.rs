//! The asynchronous exhibition: one tokio task per board, and a mutex for
//! the master's attention.

use std::sync::Arc;

use tokio::sync::Mutex;

use super::clock::Clock;
use super::sync::think;
use super::{Config, Mode, Move, Player, Simulation, Speed, Timeline, play};

/// Plays every board at once on tokio's clock, `speed` times faster than
/// real time: [`play`] in [`Mode::Async`]. It spawns one task per board, so
/// it must run inside a tokio runtime with timers.
///
/// ```
/// use course_lib::chess::{play_async, Config, Speed};
///
/// let config = Config::builder().opponents(3).rounds(1).build()?;
/// let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build()?;
/// let run = runtime.block_on(play_async(&config, Speed::scaled(1000)?)); // 8 ms
/// assert_eq!(run.timeline().len(), 6);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub async fn play_async(config: &Config, speed: Speed) -> Simulation {
    play(Mode::Async, config, speed).await
}

/// Plays every board at once, each in its own task.
///
/// The master's attention is a [`tokio::sync::Mutex`]: a board that wants
/// the master's move locks it, the master thinks, and the guard is dropped
/// as soon as the move is played, so the master walks on while the opponent
/// thinks. Tokio's mutex is fair: boards get the master in the order in
/// which they asked, which makes it a first-in, first-out queue of ready
/// boards, and the lock passes to the next board the moment it is released,
/// so the master never idles while a board is waiting.
pub(crate) async fn run_async<C: Clock>(config: Config, clock: C) -> Timeline {
    let attention = Arc::new(Mutex::new(()));
    let boards: Vec<_> = (1..=config.opponents())
        .map(|board| tokio::spawn(play_board(board, config, clock.clone(), attention.clone())))
        .collect();
    let mut moves = Vec::with_capacity(config.total_moves());
    for board in boards {
        match board.await {
            Ok(played) => moves.extend(played),
            // A board task never panics; if one did, pass the panic on.
            Err(error) => std::panic::resume_unwind(error.into_panic()),
        }
    }
    Timeline::new(moves)
}

/// One board's game: every round, wait for the master's move, then think
/// of the reply.
async fn play_board<C: Clock>(
    board: usize,
    config: Config,
    clock: C,
    attention: Arc<Mutex<()>>,
) -> Vec<Move> {
    let mut moves = Vec::with_capacity(config.moves_per_board());
    for _round in 0..config.rounds() {
        let master_here = attention.lock().await;
        moves.push(think(&clock, &config, Player::Master, board).await);
        drop(master_here); // the master walks on to the next board in line
        moves.push(think(&clock, &config, Player::Opponent, board).await);
    }
    moves
}
