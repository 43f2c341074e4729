//! The synchronous exhibition: one move at a time in the whole room.

use super::clock::Clock;
use super::{Config, Mode, Move, Player, Simulation, Speed, Timeline, play};

/// Plays the exhibition one move at a time on tokio's clock, `speed` times
/// faster than real time: [`play`] in [`Mode::Sync`].
///
/// ```
/// use course_lib::chess::{play_sync, Config, Speed};
///
/// let config = Config::builder().opponents(1).rounds(1).build()?;
/// let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build()?;
/// let run = runtime.block_on(play_sync(&config, Speed::scaled(1000)?)); // 6 ms
/// assert_eq!(run.timeline().len(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub async fn play_sync(config: &Config, speed: Speed) -> Simulation {
    play(Mode::Sync, config, speed).await
}

/// Plays the exhibition one move at a time: round by round, the master
/// moves on board 1 and waits for the reply, then moves on board 2, and so
/// on. Nobody else thinks while a move is being thought.
pub(crate) async fn run_sync<C: Clock>(config: Config, clock: C) -> Timeline {
    let mut moves = Vec::with_capacity(config.total_moves());
    for _round in 0..config.rounds() {
        for board in 1..=config.opponents() {
            for who in [Player::Master, Player::Opponent] {
                moves.push(think(&clock, &config, who, board).await);
            }
        }
    }
    Timeline::new(moves)
}

/// `who` thinks for one move on `board`; returns the recorded move.
pub(crate) async fn think<C: Clock>(clock: &C, config: &Config, who: Player, board: usize) -> Move {
    let start = clock.now();
    clock.sleep(config.move_time(who)).await;
    Move::new(who, board, start, clock.now())
}
