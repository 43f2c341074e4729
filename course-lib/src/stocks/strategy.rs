//! Part 2: the moving-average crossover strategy, as a chain of iterators.

use std::fmt;

use super::MovingAverageExt;

/// What the strategy says to do on a day, at that day's price.
///
/// ```
/// use course_lib::stocks::Signal;
///
/// let signal = Signal::Buy { day: 12, price: 101.5 };
/// assert_eq!((signal.day(), signal.price(), signal.is_buy()), (12, 101.5, true));
/// assert_eq!(signal.to_string(), "buy on day 12 at 101.5");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Signal {
    /// The short average has just risen above the long one.
    Buy {
        /// The day of the signal.
        day: usize,
        /// That day's price.
        price: f64,
    },
    /// The short average has just fallen back to or below the long one.
    Sell {
        /// The day of the signal.
        day: usize,
        /// That day's price.
        price: f64,
    },
}

impl Signal {
    /// The day of the signal.
    ///
    /// ```
    /// assert_eq!(course_lib::stocks::Signal::Sell { day: 3, price: 1.0 }.day(), 3);
    /// ```
    pub fn day(&self) -> usize {
        match *self {
            Signal::Buy { day, .. } | Signal::Sell { day, .. } => day,
        }
    }

    /// The price on the day of the signal.
    ///
    /// ```
    /// assert_eq!(course_lib::stocks::Signal::Sell { day: 3, price: 9.5 }.price(), 9.5);
    /// ```
    pub fn price(&self) -> f64 {
        match *self {
            Signal::Buy { price, .. } | Signal::Sell { price, .. } => price,
        }
    }

    /// Whether this is a buy signal.
    ///
    /// ```
    /// assert!(!course_lib::stocks::Signal::Sell { day: 3, price: 9.5 }.is_buy());
    /// ```
    pub fn is_buy(&self) -> bool {
        matches!(self, Signal::Buy { .. })
    }
}

impl fmt::Display for Signal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let action = if self.is_buy() { "buy" } else { "sell" };
        write!(f, "{action} on day {} at {}", self.day(), self.price())
    }
}

/// Why a [`Crossover`] could not be made.
///
/// ```
/// use course_lib::stocks::{Crossover, StrategyError};
///
/// let error = Crossover::new(50, 20).unwrap_err();
/// assert_eq!(error, StrategyError::NotShorter { short: 50, long: 20 });
/// assert_eq!(error.to_string(), "the short window (50 days) must be shorter than the long one (20 days)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrategyError {
    /// The short window is 0 days.
    ZeroWindow,
    /// The short window is not shorter than the long one.
    NotShorter {
        /// The short window given.
        short: usize,
        /// The long window given.
        long: usize,
    },
}

impl fmt::Display for StrategyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StrategyError::ZeroWindow => {
                write!(f, "a moving-average window must be at least 1 day")
            }
            StrategyError::NotShorter { short, long } => write!(
                f,
                "the short window ({short} days) must be shorter than the long one ({long} days)"
            ),
        }
    }
}

impl std::error::Error for StrategyError {}

/// The moving-average crossover strategy: buy when the `short`-day average
/// of the price rises above the `long`-day average, sell when it falls back.
///
/// From day `long − 1` on (the first day both averages exist) the strategy
/// knows, each day, whether the short average is strictly above the long
/// one. A change from "not above" to "above" is a [`Signal::Buy`], a change
/// back is a [`Signal::Sell`]; the first day only sets the starting state,
/// so signals alternate and never fall on day `long − 1`.
///
/// ```
/// use course_lib::stocks::{Crossover, Signal};
///
/// let strategy = Crossover::new(2, 4)?;
/// let prices = [5.0, 4.0, 3.0, 2.0, 3.0, 6.0, 7.0, 4.0, 2.0, 1.0];
/// let signals: Vec<Signal> = strategy.signals(prices).collect();
/// assert_eq!(
///     signals,
///     [Signal::Buy { day: 5, price: 6.0 }, Signal::Sell { day: 8, price: 2.0 }]
/// );
/// # Ok::<(), course_lib::stocks::StrategyError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Crossover {
    short: usize,
    long: usize,
}

impl Crossover {
    /// A crossover of a `short`-day and a `long`-day average; needs
    /// `1 ≤ short < long`.
    ///
    /// ```
    /// use course_lib::stocks::{Crossover, StrategyError};
    ///
    /// assert!(Crossover::new(20, 50).is_ok());
    /// assert_eq!(Crossover::new(0, 50), Err(StrategyError::ZeroWindow));
    /// ```
    pub fn new(short: usize, long: usize) -> Result<Self, StrategyError> {
        if short == 0 {
            Err(StrategyError::ZeroWindow)
        } else if short >= long {
            Err(StrategyError::NotShorter { short, long })
        } else {
            Ok(Crossover { short, long })
        }
    }

    /// The short window, in days.
    ///
    /// ```
    /// assert_eq!(course_lib::stocks::Crossover::new(5, 20).unwrap().short(), 5);
    /// ```
    pub fn short(&self) -> usize {
        self.short
    }

    /// The long window, in days.
    ///
    /// ```
    /// assert_eq!(course_lib::stocks::Crossover::new(5, 20).unwrap().long(), 20);
    /// ```
    pub fn long(&self) -> usize {
        self.long
    }

    /// The buy and sell signals over `prices`, lazily.
    ///
    /// The signals come from a chain of adapters over three copies of the
    /// price iterator (hence `Clone`; a slice, a `Vec`, a range or a
    /// [`PriceStream`](super::PriceStream) all qualify): the short average
    /// (skipping its first `long − short` values so that both averages line
    /// up on the same day), the long average, and the days with their
    /// prices, zipped together; `scan` remembers yesterday's "short above
    /// long" and emits a signal when it changes. Over an endless stream it
    /// is endless too.
    ///
    /// ```
    /// use course_lib::stocks::{Crossover, PriceStream};
    ///
    /// let strategy = Crossover::new(10, 50)?;
    /// let first_five: Vec<_> = strategy.signals(PriceStream::seeded(8)).take(5).collect();
    /// assert_eq!(first_five.len(), 5);
    /// assert!(first_five.windows(2).all(|pair| pair[0].is_buy() != pair[1].is_buy()));
    /// # Ok::<(), course_lib::stocks::StrategyError>(())
    /// ```
    pub fn signals<P>(self, prices: P) -> impl Iterator<Item = Signal>
    where
        P: IntoIterator<Item = f64>,
        P::IntoIter: Clone,
    {
        let prices = prices.into_iter();
        let short = prices
            .clone()
            .moving_average(self.short)
            .skip(self.long - self.short);
        let long = prices.clone().moving_average(self.long);
        prices
            .enumerate()
            .skip(self.long - 1)
            .zip(short.zip(long))
            .map(|((day, price), (short, long))| (day, price, short > long))
            .scan(None, |yesterday: &mut Option<bool>, (day, price, above)| {
                let signal = match yesterday.replace(above) {
                    Some(false) if above => Some(Signal::Buy { day, price }),
                    Some(true) if !above => Some(Signal::Sell { day, price }),
                    _ => None,
                };
                Some(signal)
            })
            .flatten()
    }
}

impl fmt::Display for Crossover {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.short, self.long)
    }
}
