//! The laws of the exhibition, checked on a recorded timeline, and the
//! totals they allow.

use std::fmt;
use std::time::Duration;

use super::{Config, Move, Player, Timeline};

/// The first law a timeline breaks, found by [`Timeline::check_laws`].
///
/// ```
/// use std::time::Duration;
/// use course_lib::chess::{Config, LawViolation, Move, Player, Timeline};
///
/// let s = Duration::from_secs;
/// // The master thinks on boards 1 and 2 at the same time.
/// let timeline = Timeline::new(vec![
///     Move::new(Player::Master, 1, s(0), s(1)),
///     Move::new(Player::Master, 2, s(0), s(1)),
/// ]);
/// let config = Config::builder().opponents(2).rounds(1).build()?;
/// let error = timeline.check_laws(&config).unwrap_err();
/// assert!(matches!(error, LawViolation::MasterOnTwoBoards { .. }));
/// assert!(error.to_string().starts_with("the master thinks on two boards at once"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LawViolation {
    /// A move on a board that does not exist.
    UnknownBoard {
        /// The move.
        found: Move,
        /// How many boards there are.
        boards: usize,
    },
    /// A move that does not last its configured time.
    WrongDuration {
        /// The move.
        found: Move,
        /// How long it should last.
        expected: Duration,
    },
    /// The master thinks on two boards at once.
    MasterOnTwoBoards {
        /// The move that starts first.
        first: Move,
        /// The move that starts before the first one ends.
        second: Move,
    },
    /// An opponent thinks on two moves at once.
    OpponentOnTwoMoves {
        /// The move that starts first.
        first: Move,
        /// The move that starts before the first one ends.
        second: Move,
    },
    /// A board has too few or too many moves.
    WrongMoveCount {
        /// The board.
        board: usize,
        /// How many moves it should have.
        expected: usize,
        /// How many it has.
        found: usize,
    },
    /// Someone moves out of turn (the master must play first, then the sides alternate).
    OutOfTurn {
        /// The move played out of turn.
        found: Move,
        /// Who should have moved.
        expected: Player,
    },
    /// A move starts before the other side's previous move on that board ended.
    MovedTooEarly {
        /// The previous move on the board.
        previous: Move,
        /// The move that started too early.
        next: Move,
    },
}

impl fmt::Display for LawViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LawViolation::UnknownBoard { found, boards } => {
                write!(
                    f,
                    "there is no board {} (boards 1 to {boards}): {found}",
                    found.board
                )
            }
            LawViolation::WrongDuration { found, expected } => write!(
                f,
                "a move should take {expected:?} but took {:?}: {found}",
                found.duration()
            ),
            LawViolation::MasterOnTwoBoards { first, second } => write!(
                f,
                "the master thinks on two boards at once: {first}, and {second}"
            ),
            LawViolation::OpponentOnTwoMoves { first, second } => write!(
                f,
                "the opponent at board {} thinks on two moves at once: {first}, and {second}",
                first.board
            ),
            LawViolation::WrongMoveCount {
                board,
                expected,
                found,
            } => write!(
                f,
                "board {board} should have {expected} moves but has {found}"
            ),
            LawViolation::OutOfTurn { found, expected } => write!(
                f,
                "the {expected} should move next on board {}, but the {} does: {found}",
                found.board, found.who
            ),
            LawViolation::MovedTooEarly { previous, next } => write!(
                f,
                "a move starts before the previous one on its board ended: {previous}, then {next}"
            ),
        }
    }
}

impl std::error::Error for LawViolation {}

impl Timeline {
    /// Checks that the timeline obeys every law of the exhibition described by
    /// `config`, and returns the first broken law otherwise:
    ///
    /// 1. every move is on a board `1..=config.opponents()` and lasts exactly
    ///    its configured time;
    /// 2. the master never thinks on two boards at once;
    /// 3. no opponent ever thinks on two moves at once;
    /// 4. every board has all its moves (two per round);
    /// 5. on every board the master moves first, then the sides alternate;
    /// 6. on every board a move starts no earlier than the previous one ended.
    ///
    /// ```
    /// use course_lib::chess::{simulate_async, simulate_sync, Config};
    ///
    /// let config = Config::default();
    /// assert_eq!(simulate_sync(&config).timeline().check_laws(&config), Ok(()));
    /// assert_eq!(simulate_async(&config).timeline().check_laws(&config), Ok(()));
    /// ```
    pub fn check_laws(&self, config: &Config) -> Result<(), LawViolation> {
        self.check_laws_within(config, Duration::ZERO)
    }

    /// Like [`check_laws`](Timeline::check_laws), but a move may last up to
    /// `slack` longer than its configured time (never shorter).
    ///
    /// Real clocks oversleep a little, so a run in real time needs some
    /// slack; the order of the moves is still checked exactly.
    ///
    /// ```
    /// use std::time::Duration;
    /// use course_lib::chess::{Config, Move, Player, Timeline};
    ///
    /// let ms = Duration::from_millis;
    /// let config = Config::builder().opponents(1).rounds(1).build()?;
    /// let timeline = Timeline::new(vec![
    ///     Move::new(Player::Master, 1, ms(0), ms(1_002)),
    ///     Move::new(Player::Opponent, 1, ms(1_003), ms(6_004)),
    /// ]);
    /// assert!(timeline.check_laws(&config).is_err());
    /// assert_eq!(timeline.check_laws_within(&config, ms(5)), Ok(()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check_laws_within(&self, config: &Config, slack: Duration) -> Result<(), LawViolation> {
        let boards = config.opponents();
        for &found in self.moves() {
            if !(1..=boards).contains(&found.board) {
                return Err(LawViolation::UnknownBoard { found, boards });
            }
            let expected = config.move_time(found.who);
            let took = found.duration();
            if found.end < found.start || took < expected || took - expected > slack {
                return Err(LawViolation::WrongDuration { found, expected });
            }
        }
        if let Some((first, second)) = first_overlap(self.by(Player::Master)) {
            return Err(LawViolation::MasterOnTwoBoards { first, second });
        }
        for board in 1..=boards {
            let replies = self.by(Player::Opponent).filter(|m| m.board == board);
            if let Some((first, second)) = first_overlap(replies) {
                return Err(LawViolation::OpponentOnTwoMoves { first, second });
            }
        }
        for board in 1..=boards {
            check_board(self, config, board)?;
        }
        Ok(())
    }
}

/// The first two moves (in start order) that share some time.
fn first_overlap<'a>(moves: impl Iterator<Item = &'a Move>) -> Option<(Move, Move)> {
    // Sorted by start, two moves overlap only if some move overlaps the next one.
    let mut previous: Option<Move> = None;
    for &next in moves {
        if let Some(first) = previous {
            if first.overlaps(&next) {
                return Some((first, next));
            }
            if next.end <= first.end {
                continue; // keep the move that reaches further
            }
        }
        previous = Some(next);
    }
    None
}

/// Laws 4 to 6 on one board.
fn check_board(timeline: &Timeline, config: &Config, board: usize) -> Result<(), LawViolation> {
    let moves: Vec<Move> = timeline.on_board(board).copied().collect();
    let expected = config.moves_per_board();
    if moves.len() != expected {
        return Err(LawViolation::WrongMoveCount {
            board,
            expected,
            found: moves.len(),
        });
    }
    let mut turn = Player::Master;
    let mut previous: Option<Move> = None;
    for next in moves {
        if next.who != turn {
            return Err(LawViolation::OutOfTurn {
                found: next,
                expected: turn,
            });
        }
        if let Some(previous) = previous
            && next.start < previous.end
        {
            return Err(LawViolation::MovedTooEarly { previous, next });
        }
        previous = Some(next);
        turn = turn.other();
    }
    Ok(())
}

impl Config {
    /// The total of the synchronous simulation, where one move at a time is
    /// played in the whole room: `opponents × rounds × (master + opponent)`.
    ///
    /// ```
    /// use course_lib::chess::Config;
    ///
    /// assert_eq!(Config::default().sync_total().as_secs(), 3 * 2 * (1 + 5));
    /// ```
    pub fn sync_total(&self) -> Duration {
        (self.master_move() + self.opponent_move()) * self.total_rounds()
    }

    /// The shortest total the laws allow, which the asynchronous simulation
    /// reaches: with `n` opponents, `r` rounds, master time `m` and opponent
    /// time `p`, it is `max((n − 1)·m + r·(m + p), n·r·m + p)`.
    ///
    /// The first term is the longest board (the master reaches the last board
    /// after `(n − 1)·m`, and a board then needs `r·(m + p)`); the second is
    /// the master's own work plus the last reply. See the
    /// [module documentation](super) for the proof.
    ///
    /// ```
    /// use course_lib::chess::Config;
    ///
    /// // Boards are the bottleneck: 2·1 + 2·(1 + 5) = 14 s.
    /// assert_eq!(Config::default().shortest_total().as_secs(), 14);
    /// // The master is the bottleneck: 10 boards, 10·2·1 + 5 = 25 s.
    /// let crowd = Config::builder().opponents(10).build()?;
    /// assert_eq!(crowd.shortest_total().as_secs(), 25);
    /// # Ok::<(), course_lib::chess::ConfigError>(())
    /// ```
    pub fn shortest_total(&self) -> Duration {
        let (m, p) = (self.master_move(), self.opponent_move());
        let n = self.opponents() as u32;
        let r = self.rounds() as u32;
        let longest_board = m * (n - 1) + (m + p) * r;
        let busiest_master = m * self.total_rounds() + p;
        longest_board.max(busiest_master)
    }

    /// `opponents × rounds`, as a multiplier for durations.
    fn total_rounds(&self) -> u32 {
        // Both are at most 100, so the product fits.
        (self.opponents() * self.rounds()) as u32
    }
}
