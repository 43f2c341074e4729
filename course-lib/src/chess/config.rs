//! The parameters of an exhibition, checked once when they are built, and the
//! speed of a real-time run.

use std::fmt;
use std::time::Duration;

use super::{
    DEFAULT_MASTER_MOVE, DEFAULT_OPPONENT_MOVE, DEFAULT_OPPONENTS, DEFAULT_ROUNDS, Player,
};

/// The largest number of opponents a [`Config`] accepts.
///
/// ```
/// assert_eq!(course_lib::chess::MAX_OPPONENTS, 100);
/// ```
pub const MAX_OPPONENTS: usize = 100;

/// The largest number of rounds a [`Config`] accepts.
///
/// ```
/// assert_eq!(course_lib::chess::MAX_ROUNDS, 100);
/// ```
pub const MAX_ROUNDS: usize = 100;

/// The longest thinking time a [`Config`] accepts for one move: one hour.
///
/// ```
/// use std::time::Duration;
///
/// assert_eq!(course_lib::chess::MAX_MOVE_TIME, Duration::from_secs(3600));
/// ```
pub const MAX_MOVE_TIME: Duration = Duration::from_secs(3600);

/// The largest speed-up [`Speed::scaled`] accepts (1 s of the game in 1 ms).
///
/// ```
/// assert_eq!(course_lib::chess::MAX_SPEED_FACTOR, 1000);
/// ```
pub const MAX_SPEED_FACTOR: u32 = 1000;

/// Why a [`Config`] or a [`Speed`] could not be built.
///
/// ```
/// use course_lib::chess::{Config, ConfigError};
///
/// let error = Config::builder().opponents(0).build().unwrap_err();
/// assert_eq!(error, ConfigError::NoOpponents);
/// assert_eq!(error.to_string(), "the master needs at least one opponent");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigError {
    /// Zero opponents: nobody to play against.
    NoOpponents,
    /// More than [`MAX_OPPONENTS`] opponents (the number given).
    TooManyOpponents(usize),
    /// Zero rounds: no move at all.
    NoRounds,
    /// More than [`MAX_ROUNDS`] rounds (the number given).
    TooManyRounds(usize),
    /// A thinking time shorter than 1 ms or longer than [`MAX_MOVE_TIME`].
    MoveTimeOutOfRange {
        /// Whose thinking time.
        who: Player,
        /// The time that was given.
        time: Duration,
    },
    /// A thinking time that is not a whole number of milliseconds (timers
    /// tick in milliseconds, so such a move could not last exactly its time).
    MoveTimeNotWholeMilliseconds {
        /// Whose thinking time.
        who: Player,
        /// The time that was given.
        time: Duration,
    },
    /// A speed factor of 0 or above [`MAX_SPEED_FACTOR`] (the factor given).
    SpeedOutOfRange(u32),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::NoOpponents => write!(f, "the master needs at least one opponent"),
            ConfigError::TooManyOpponents(n) => write!(
                f,
                "{n} opponents is too many: the master plays at most {MAX_OPPONENTS}"
            ),
            ConfigError::NoRounds => write!(f, "a game needs at least one round"),
            ConfigError::TooManyRounds(n) => {
                write!(f, "{n} rounds is too many: at most {MAX_ROUNDS}")
            }
            ConfigError::MoveTimeOutOfRange { who, time } => write!(
                f,
                "the {who}'s move time must be between 1ms and {MAX_MOVE_TIME:?}, not {time:?}"
            ),
            ConfigError::MoveTimeNotWholeMilliseconds { who, time } => write!(
                f,
                "the {who}'s move time must be a whole number of milliseconds, not {time:?}"
            ),
            ConfigError::SpeedOutOfRange(factor) => write!(
                f,
                "a speed factor must be between 1 and {MAX_SPEED_FACTOR}, not {factor}"
            ),
        }
    }
}

impl std::error::Error for ConfigError {}

/// The parameters of a simultaneous exhibition, always valid once built.
///
/// `Config::default()` is the course's exhibition: 3 opponents, 2 rounds,
/// 1 s per master move, 5 s per opponent move. Other exhibitions come from
/// [`Config::builder`], which checks the numbers.
///
/// ```
/// use std::time::Duration;
/// use course_lib::chess::Config;
///
/// let config = Config::default();
/// assert_eq!(config.opponents(), 3);
/// assert_eq!(config.rounds(), 2);
/// assert_eq!(config.master_move(), Duration::from_secs(1));
/// assert_eq!(config.opponent_move(), Duration::from_secs(5));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Config {
    opponents: usize,
    rounds: usize,
    master_move: Duration,
    opponent_move: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            opponents: DEFAULT_OPPONENTS,
            rounds: DEFAULT_ROUNDS,
            master_move: DEFAULT_MASTER_MOVE,
            opponent_move: DEFAULT_OPPONENT_MOVE,
        }
    }
}

impl Config {
    /// Starts from the course's exhibition; change what you need, then
    /// [`build`](ConfigBuilder::build).
    ///
    /// ```
    /// use course_lib::chess::Config;
    ///
    /// let config = Config::builder().opponents(5).rounds(3).build()?;
    /// assert_eq!((config.opponents(), config.rounds()), (5, 3));
    /// # Ok::<(), course_lib::chess::ConfigError>(())
    /// ```
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder {
            config: Config::default(),
        }
    }

    /// How many opponents (and boards: opponent `k` sits at board `k`).
    ///
    /// ```
    /// assert_eq!(course_lib::chess::Config::default().opponents(), 3);
    /// ```
    pub fn opponents(&self) -> usize {
        self.opponents
    }

    /// How many rounds each board plays; a round is a master move and the reply.
    ///
    /// ```
    /// assert_eq!(course_lib::chess::Config::default().rounds(), 2);
    /// ```
    pub fn rounds(&self) -> usize {
        self.rounds
    }

    /// How long the master thinks for one move.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// assert_eq!(course_lib::chess::Config::default().master_move(), Duration::from_secs(1));
    /// ```
    pub fn master_move(&self) -> Duration {
        self.master_move
    }

    /// How long an opponent thinks for one move.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// assert_eq!(course_lib::chess::Config::default().opponent_move(), Duration::from_secs(5));
    /// ```
    pub fn opponent_move(&self) -> Duration {
        self.opponent_move
    }

    /// How long `who` thinks for one move.
    ///
    /// ```
    /// use std::time::Duration;
    /// use course_lib::chess::{Config, Player};
    ///
    /// let config = Config::default();
    /// assert_eq!(config.move_time(Player::Opponent), Duration::from_secs(5));
    /// ```
    pub fn move_time(&self, who: Player) -> Duration {
        match who {
            Player::Master => self.master_move,
            Player::Opponent => self.opponent_move,
        }
    }

    /// How many moves are played on one board: two per round.
    ///
    /// ```
    /// assert_eq!(course_lib::chess::Config::default().moves_per_board(), 4);
    /// ```
    pub fn moves_per_board(&self) -> usize {
        2 * self.rounds
    }

    /// How many moves are played in the whole room.
    ///
    /// ```
    /// assert_eq!(course_lib::chess::Config::default().total_moves(), 12);
    /// ```
    pub fn total_moves(&self) -> usize {
        self.opponents * self.moves_per_board()
    }
}

/// Builds a [`Config`] step by step; [`build`](ConfigBuilder::build) checks it.
///
/// ```
/// use std::time::Duration;
/// use course_lib::chess::Config;
///
/// let blitz = Config::builder()
///     .opponents(4)
///     .master_move(Duration::from_millis(500))
///     .opponent_seconds(2)
///     .build()?;
/// assert_eq!(blitz.opponent_move(), Duration::from_secs(2));
/// # Ok::<(), course_lib::chess::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConfigBuilder {
    config: Config,
}

impl ConfigBuilder {
    /// Sets the number of opponents (1 to [`MAX_OPPONENTS`]).
    ///
    /// ```
    /// let config = course_lib::chess::Config::builder().opponents(10).build()?;
    /// assert_eq!(config.opponents(), 10);
    /// # Ok::<(), course_lib::chess::ConfigError>(())
    /// ```
    pub fn opponents(mut self, opponents: usize) -> Self {
        self.config.opponents = opponents;
        self
    }

    /// Sets the number of rounds (1 to [`MAX_ROUNDS`]).
    ///
    /// ```
    /// let config = course_lib::chess::Config::builder().rounds(30).build()?;
    /// assert_eq!(config.moves_per_board(), 60);
    /// # Ok::<(), course_lib::chess::ConfigError>(())
    /// ```
    pub fn rounds(mut self, rounds: usize) -> Self {
        self.config.rounds = rounds;
        self
    }

    /// Sets the master's thinking time per move (whole milliseconds, 1 ms to
    /// [`MAX_MOVE_TIME`]).
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let config = course_lib::chess::Config::builder()
    ///     .master_move(Duration::from_millis(250))
    ///     .build()?;
    /// assert_eq!(config.master_move().as_millis(), 250);
    /// # Ok::<(), course_lib::chess::ConfigError>(())
    /// ```
    pub fn master_move(mut self, time: Duration) -> Self {
        self.config.master_move = time;
        self
    }

    /// Sets the opponents' thinking time per move (whole milliseconds, 1 ms
    /// to [`MAX_MOVE_TIME`]).
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let config = course_lib::chess::Config::builder()
    ///     .opponent_move(Duration::from_secs(2))
    ///     .build()?;
    /// assert_eq!(config.opponent_move(), Duration::from_secs(2));
    /// # Ok::<(), course_lib::chess::ConfigError>(())
    /// ```
    pub fn opponent_move(mut self, time: Duration) -> Self {
        self.config.opponent_move = time;
        self
    }

    /// Sets the master's thinking time per move in whole seconds.
    ///
    /// ```
    /// let config = course_lib::chess::Config::builder().master_seconds(2).build()?;
    /// assert_eq!(config.master_move().as_secs(), 2);
    /// # Ok::<(), course_lib::chess::ConfigError>(())
    /// ```
    pub fn master_seconds(self, seconds: u64) -> Self {
        self.master_move(Duration::from_secs(seconds))
    }

    /// Sets the opponents' thinking time per move in whole seconds.
    ///
    /// ```
    /// let config = course_lib::chess::Config::builder().opponent_seconds(10).build()?;
    /// assert_eq!(config.opponent_move().as_secs(), 10);
    /// # Ok::<(), course_lib::chess::ConfigError>(())
    /// ```
    pub fn opponent_seconds(self, seconds: u64) -> Self {
        self.opponent_move(Duration::from_secs(seconds))
    }

    /// Checks the numbers and returns the configuration.
    ///
    /// ```
    /// use std::time::Duration;
    /// use course_lib::chess::{Config, ConfigError, Player};
    ///
    /// assert_eq!(Config::builder().rounds(0).build(), Err(ConfigError::NoRounds));
    /// assert_eq!(
    ///     Config::builder().master_move(Duration::ZERO).build(),
    ///     Err(ConfigError::MoveTimeOutOfRange { who: Player::Master, time: Duration::ZERO })
    /// );
    /// ```
    pub fn build(self) -> Result<Config, ConfigError> {
        let config = self.config;
        match config.opponents {
            0 => return Err(ConfigError::NoOpponents),
            n if n > MAX_OPPONENTS => return Err(ConfigError::TooManyOpponents(n)),
            _ => {}
        }
        match config.rounds {
            0 => return Err(ConfigError::NoRounds),
            n if n > MAX_ROUNDS => return Err(ConfigError::TooManyRounds(n)),
            _ => {}
        }
        for who in [Player::Master, Player::Opponent] {
            let time = config.move_time(who);
            if time < Duration::from_millis(1) || time > MAX_MOVE_TIME {
                return Err(ConfigError::MoveTimeOutOfRange { who, time });
            }
            if !time.subsec_nanos().is_multiple_of(1_000_000) {
                return Err(ConfigError::MoveTimeNotWholeMilliseconds { who, time });
            }
        }
        Ok(config)
    }
}

/// How fast a real-time run goes: `Speed::scaled(100)` plays one second of
/// the game in 10 ms of wall-clock time.
///
/// Timelines and totals are always reported in game time (wall-clock time
/// multiplied by the factor), so runs at different speeds can be compared.
///
/// ```
/// use std::time::Duration;
/// use course_lib::chess::Speed;
///
/// let fast = Speed::scaled(100)?;
/// assert_eq!(fast.to_wall(Duration::from_secs(1)), Duration::from_millis(10));
/// assert_eq!(fast.to_game(Duration::from_millis(10)), Duration::from_secs(1));
/// assert_eq!(Speed::REAL.factor(), 1);
/// # Ok::<(), course_lib::chess::ConfigError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Speed {
    factor: u32,
}

impl Default for Speed {
    fn default() -> Self {
        Speed::REAL
    }
}

impl Speed {
    /// Real time: one second of the game takes one second.
    ///
    /// ```
    /// use std::time::Duration;
    /// use course_lib::chess::Speed;
    ///
    /// assert_eq!(Speed::REAL.to_wall(Duration::from_secs(5)), Duration::from_secs(5));
    /// ```
    pub const REAL: Speed = Speed { factor: 1 };

    /// Runs `factor` times faster than real time (1 to [`MAX_SPEED_FACTOR`]).
    ///
    /// ```
    /// use course_lib::chess::{ConfigError, Speed};
    ///
    /// assert_eq!(Speed::scaled(10)?.factor(), 10);
    /// assert_eq!(Speed::scaled(0), Err(ConfigError::SpeedOutOfRange(0)));
    /// # Ok::<(), ConfigError>(())
    /// ```
    pub fn scaled(factor: u32) -> Result<Speed, ConfigError> {
        if (1..=MAX_SPEED_FACTOR).contains(&factor) {
            Ok(Speed { factor })
        } else {
            Err(ConfigError::SpeedOutOfRange(factor))
        }
    }

    /// How many times faster than real time.
    ///
    /// ```
    /// assert_eq!(course_lib::chess::Speed::scaled(50)?.factor(), 50);
    /// # Ok::<(), course_lib::chess::ConfigError>(())
    /// ```
    pub fn factor(&self) -> u32 {
        self.factor
    }

    /// The wall-clock time that `game` time takes at this speed.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let speed = course_lib::chess::Speed::scaled(1000)?;
    /// assert_eq!(speed.to_wall(Duration::from_secs(14)), Duration::from_millis(14));
    /// # Ok::<(), course_lib::chess::ConfigError>(())
    /// ```
    pub fn to_wall(&self, game: Duration) -> Duration {
        game / self.factor
    }

    /// The game time that `wall` (wall-clock) time stands for at this speed.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let speed = course_lib::chess::Speed::scaled(100)?;
    /// assert_eq!(speed.to_game(Duration::from_millis(140)), Duration::from_secs(14));
    /// # Ok::<(), course_lib::chess::ConfigError>(())
    /// ```
    pub fn to_game(&self, wall: Duration) -> Duration {
        wall.checked_mul(self.factor).unwrap_or(Duration::MAX)
    }
}
