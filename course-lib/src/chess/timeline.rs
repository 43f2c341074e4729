//! Who thought when: the record that a simulation leaves behind.

use std::fmt;
use std::time::Duration;

use crate::lab::Table;

/// Who is thinking: the master or the opponent of a board.
///
/// ```
/// use course_lib::chess::Player;
///
/// assert_eq!(Player::Master.to_string(), "master");
/// assert_eq!(Player::Opponent.other(), Player::Master);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Player {
    /// The master, who walks from board to board.
    Master,
    /// The opponent sitting at the board.
    Opponent,
}

impl Player {
    /// `"master"` or `"opponent"`.
    ///
    /// ```
    /// assert_eq!(course_lib::chess::Player::Opponent.name(), "opponent");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Player::Master => "master",
            Player::Opponent => "opponent",
        }
    }

    /// The player on the other side of the board.
    ///
    /// ```
    /// use course_lib::chess::Player;
    ///
    /// assert_eq!(Player::Master.other(), Player::Opponent);
    /// ```
    pub fn other(self) -> Player {
        match self {
            Player::Master => Player::Opponent,
            Player::Opponent => Player::Master,
        }
    }
}

impl fmt::Display for Player {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One move: `who` thought on `board` from `start` to `end`.
///
/// Boards are numbered from 1; opponent `k` sits at board `k`. Times are
/// measured from the start of the simulation.
///
/// ```
/// use std::time::Duration;
/// use course_lib::chess::{Move, Player};
///
/// let first = Move::new(Player::Master, 1, Duration::ZERO, Duration::from_secs(1));
/// assert_eq!(first.duration(), Duration::from_secs(1));
/// assert_eq!(first.to_string(), "master on board 1 from 0ns to 1s");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Move {
    /// Who thought.
    pub who: Player,
    /// On which board (from 1).
    pub board: usize,
    /// When the thinking started.
    pub start: Duration,
    /// When the move was played.
    pub end: Duration,
}

impl Move {
    /// A move by `who` on `board`, thought from `start` to `end`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use course_lib::chess::{Move, Player};
    ///
    /// let reply = Move::new(Player::Opponent, 2, Duration::from_secs(2), Duration::from_secs(7));
    /// assert_eq!(reply.board, 2);
    /// ```
    pub fn new(who: Player, board: usize, start: Duration, end: Duration) -> Self {
        Move {
            who,
            board,
            start,
            end,
        }
    }

    /// How long the thinking took (zero if `end` comes before `start`).
    ///
    /// ```
    /// use std::time::Duration;
    /// use course_lib::chess::{Move, Player};
    ///
    /// let m = Move::new(Player::Master, 1, Duration::from_secs(3), Duration::from_secs(4));
    /// assert_eq!(m.duration(), Duration::from_secs(1));
    /// ```
    pub fn duration(&self) -> Duration {
        self.end.saturating_sub(self.start)
    }

    /// Whether this move and `other` share some time (touching ends do not count).
    ///
    /// ```
    /// use std::time::Duration;
    /// use course_lib::chess::{Move, Player};
    ///
    /// let s = Duration::from_secs;
    /// let a = Move::new(Player::Master, 1, s(0), s(1));
    /// let b = Move::new(Player::Master, 2, s(1), s(2));
    /// let c = Move::new(Player::Opponent, 1, s(0), s(5));
    /// assert!(!a.overlaps(&b));
    /// assert!(c.overlaps(&b));
    /// ```
    pub fn overlaps(&self, other: &Move) -> bool {
        self.start < other.end && other.start < self.end
    }
}

impl fmt::Display for Move {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} on board {} from {:?} to {:?}",
            self.who, self.board, self.start, self.end
        )
    }
}

/// Every move of a simulation, sorted by start time.
///
/// Ties are broken by player (master first) and then by board, so two equal
/// timelines always list their moves in the same order. A cell that ends
/// with a timeline shows it as a table; [`plot`](Timeline::plot) draws it.
///
/// ```
/// use course_lib::chess::{simulate_async, Config, Player};
///
/// let timeline = simulate_async(&Config::default()).into_timeline();
/// assert_eq!(timeline.len(), 12);
/// assert_eq!(timeline.moves()[0].who, Player::Master);
/// assert_eq!(timeline.end().as_secs(), 14);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Timeline {
    moves: Vec<Move>,
}

impl Timeline {
    /// A timeline of the given moves (in any order; they get sorted).
    ///
    /// ```
    /// use std::time::Duration;
    /// use course_lib::chess::{Move, Player, Timeline};
    ///
    /// let s = Duration::from_secs;
    /// let timeline = Timeline::new(vec![
    ///     Move::new(Player::Opponent, 1, s(1), s(6)),
    ///     Move::new(Player::Master, 1, s(0), s(1)),
    /// ]);
    /// assert_eq!(timeline.moves()[0].who, Player::Master);
    /// ```
    pub fn new(moves: Vec<Move>) -> Self {
        let mut moves = moves;
        moves.sort_by_key(|m| (m.start, m.who, m.board, m.end));
        Timeline { moves }
    }

    /// The moves, sorted by start time.
    ///
    /// ```
    /// let timeline = course_lib::chess::simulate_sync(&Default::default()).into_timeline();
    /// assert!(timeline.moves().windows(2).all(|w| w[0].start <= w[1].start));
    /// ```
    pub fn moves(&self) -> &[Move] {
        &self.moves
    }

    /// The number of moves.
    ///
    /// ```
    /// let timeline = course_lib::chess::simulate_sync(&Default::default()).into_timeline();
    /// assert_eq!(timeline.len(), 12);
    /// ```
    pub fn len(&self) -> usize {
        self.moves.len()
    }

    /// Whether there are no moves.
    ///
    /// ```
    /// assert!(course_lib::chess::Timeline::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.moves.is_empty()
    }

    /// When the last move ended (zero for an empty timeline).
    ///
    /// ```
    /// let timeline = course_lib::chess::simulate_sync(&Default::default()).into_timeline();
    /// assert_eq!(timeline.end().as_secs(), 36);
    /// ```
    pub fn end(&self) -> Duration {
        self.moves
            .iter()
            .map(|m| m.end)
            .max()
            .unwrap_or(Duration::ZERO)
    }

    /// The highest board number that appears (0 for an empty timeline).
    ///
    /// ```
    /// let timeline = course_lib::chess::simulate_async(&Default::default()).into_timeline();
    /// assert_eq!(timeline.boards(), 3);
    /// ```
    pub fn boards(&self) -> usize {
        self.moves.iter().map(|m| m.board).max().unwrap_or(0)
    }

    /// The moves played on one board, in order.
    ///
    /// ```
    /// use course_lib::chess::Player;
    ///
    /// let timeline = course_lib::chess::simulate_async(&Default::default()).into_timeline();
    /// let players: Vec<Player> = timeline.on_board(2).map(|m| m.who).collect();
    /// assert_eq!(players, [Player::Master, Player::Opponent, Player::Master, Player::Opponent]);
    /// ```
    pub fn on_board(&self, board: usize) -> impl Iterator<Item = &Move> + '_ {
        self.moves.iter().filter(move |m| m.board == board)
    }

    /// The moves of one player (all boards), in order.
    ///
    /// ```
    /// use course_lib::chess::Player;
    ///
    /// let timeline = course_lib::chess::simulate_async(&Default::default()).into_timeline();
    /// let boards: Vec<usize> = timeline.by(Player::Master).map(|m| m.board).collect();
    /// assert_eq!(boards, [1, 2, 3, 1, 2, 3]);
    /// ```
    pub fn by(&self, who: Player) -> impl Iterator<Item = &Move> + '_ {
        self.moves.iter().filter(move |m| m.who == who)
    }

    /// The moves as a table: who, board, start and end in seconds.
    ///
    /// ```
    /// let timeline = course_lib::chess::simulate_async(&Default::default()).into_timeline();
    /// let table = timeline.table();
    /// assert_eq!(table.len(), 12);
    /// assert!(table.to_text().starts_with("who"));
    /// ```
    pub fn table(&self) -> Table {
        Table::new()
            .headers(["who", "board", "start (s)", "end (s)"])
            .rows(
                self.moves
                    .iter()
                    .map(|m| (m.who, m.board, m.start.as_secs_f64(), m.end.as_secs_f64())),
            )
    }

    /// Takes the moves out.
    ///
    /// ```
    /// let timeline = course_lib::chess::simulate_sync(&Default::default()).into_timeline();
    /// assert_eq!(timeline.into_moves().len(), 12);
    /// ```
    pub fn into_moves(self) -> Vec<Move> {
        self.moves
    }
}

impl FromIterator<Move> for Timeline {
    fn from_iter<I: IntoIterator<Item = Move>>(moves: I) -> Self {
        Timeline::new(moves.into_iter().collect())
    }
}

impl<'a> IntoIterator for &'a Timeline {
    type Item = &'a Move;
    type IntoIter = std::slice::Iter<'a, Move>;

    fn into_iter(self) -> Self::IntoIter {
        self.moves.iter()
    }
}
