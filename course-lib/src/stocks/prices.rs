//! Price series: the lazy random walk, one ticker's series, and a market of many.

use std::fmt;
use std::iter::FusedIterator;

use crate::rng::Rng;

/// The number of trading days in a year, used to turn yearly drift and
/// volatility into daily steps.
///
/// ```
/// assert_eq!(course_lib::stocks::TRADING_DAYS_PER_YEAR, 252.0);
/// ```
pub const TRADING_DAYS_PER_YEAR: f64 = 252.0;

/// The lowest price a [`PriceStream`] can reach: one cent.
///
/// ```
/// assert_eq!(course_lib::stocks::MIN_PRICE, 0.01);
/// ```
pub const MIN_PRICE: f64 = 0.01;

/// The highest price a [`PriceStream`] can reach.
///
/// ```
/// assert_eq!(course_lib::stocks::MAX_PRICE, 1_000_000.0);
/// ```
pub const MAX_PRICE: f64 = 1_000_000.0;

/// Why a [`PriceStream`] could not be created.
///
/// ```
/// use course_lib::stocks::{PriceStream, StreamError};
///
/// let error = PriceStream::new(-5.0, 0.05, 0.2, 1).unwrap_err();
/// assert_eq!(error, StreamError::Start(-5.0));
/// assert_eq!(error.to_string(), "the start price must be between 0.01 and 1000000, got -5");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StreamError {
    /// The start price is not between [`MIN_PRICE`] and [`MAX_PRICE`] (or is NaN).
    Start(f64),
    /// The drift is infinite or NaN.
    Drift(f64),
    /// The volatility is negative, infinite or NaN.
    Volatility(f64),
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::Start(value) => write!(
                f,
                "the start price must be between {MIN_PRICE} and {MAX_PRICE}, got {value}"
            ),
            StreamError::Drift(value) => {
                write!(f, "the drift must be a finite number, got {value}")
            }
            StreamError::Volatility(value) => {
                write!(f, "the volatility must be a finite number ≥ 0, got {value}")
            }
        }
    }
}

impl std::error::Error for StreamError {}

/// An endless, lazy stream of daily prices: a seeded geometric random walk.
///
/// The first item is the start price. Every later day multiplies the price
/// by `exp((μ − σ²/2)·Δt + σ·√Δt·Z)`, where `μ` is the yearly drift, `σ` the
/// yearly volatility, `Δt = 1/252` of a year and `Z` a standard normal number
/// drawn from [`Rng`]. Prices are quoted to the cent (the walk itself keeps
/// full precision) and stay between [`MIN_PRICE`] and [`MAX_PRICE`]: a step
/// that would leave that band bounces back off its edge, so even a stream of
/// millions of days never reaches zero or infinity.
///
/// Nothing is computed until asked for, and the stream never ends: take what
/// you need with [`Iterator::take`].
///
/// ```
/// use course_lib::stocks::PriceStream;
///
/// let week: Vec<f64> = PriceStream::new(100.0, 0.07, 0.2, 42)?.take(5).collect();
/// assert_eq!(week.len(), 5);
/// assert_eq!(week[0], 100.0);
/// assert!(week.iter().all(|&p| p > 0.0));
///
/// // Same seed, same prices.
/// let again: Vec<f64> = PriceStream::new(100.0, 0.07, 0.2, 42)?.take(5).collect();
/// assert_eq!(week, again);
/// # Ok::<(), course_lib::stocks::StreamError>(())
/// ```
#[derive(Debug, Clone)]
pub struct PriceStream {
    log_price: f64,
    step_drift: f64,
    step_volatility: f64,
    rng: Rng,
    started: bool,
}

impl PriceStream {
    /// A stream starting at `start` with a yearly `drift` (0.07 means +7% a
    /// year on average) and a yearly `volatility` (0.2 means 20%).
    ///
    /// ```
    /// use course_lib::stocks::{PriceStream, StreamError};
    ///
    /// assert!(PriceStream::new(50.0, -0.1, 0.4, 7).is_ok());
    /// assert_eq!(PriceStream::new(0.0, 0.1, 0.2, 7).unwrap_err(), StreamError::Start(0.0));
    /// assert!(matches!(
    ///     PriceStream::new(50.0, 0.0, f64::NAN, 7),
    ///     Err(StreamError::Volatility(_))
    /// ));
    /// ```
    pub fn new(start: f64, drift: f64, volatility: f64, seed: u64) -> Result<Self, StreamError> {
        if !(MIN_PRICE..=MAX_PRICE).contains(&start) {
            return Err(StreamError::Start(start));
        }
        if !drift.is_finite() {
            return Err(StreamError::Drift(drift));
        }
        if !(volatility.is_finite() && volatility >= 0.0) {
            return Err(StreamError::Volatility(volatility));
        }
        let dt = 1.0 / TRADING_DAYS_PER_YEAR;
        Ok(PriceStream {
            log_price: start.ln(),
            step_drift: (drift - volatility * volatility / 2.0) * dt,
            step_volatility: volatility * dt.sqrt(),
            rng: Rng::seeded(seed),
            started: false,
        })
    }

    /// A stream with typical parameters: start 100, drift +5% a year,
    /// volatility 20% a year.
    ///
    /// ```
    /// use course_lib::stocks::PriceStream;
    ///
    /// let mut stream = PriceStream::seeded(1);
    /// assert_eq!(stream.next(), Some(100.0));
    /// let million: f64 = stream.take(1_000_000).last().unwrap();
    /// assert!(million > 0.0);
    /// ```
    pub fn seeded(seed: u64) -> Self {
        Self::new(100.0, 0.05, 0.2, seed).expect("the default parameters are valid")
    }
}

/// A standard normal number (Box–Muller transform of two uniform numbers).
fn standard_normal(rng: &mut Rng) -> f64 {
    let u1 = 1.0 - rng.next_f64(); // in (0, 1], so ln(u1) is finite
    let u2 = rng.next_f64();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// Folds a log price back inside the band `[ln MIN_PRICE, ln MAX_PRICE]`.
fn reflect(log_price: f64) -> f64 {
    let (low, high) = (MIN_PRICE.ln(), MAX_PRICE.ln());
    let bounced = if log_price > high {
        2.0 * high - log_price
    } else if log_price < low {
        2.0 * low - log_price
    } else {
        log_price
    };
    // A step wider than the whole band could bounce past the other edge.
    bounced.clamp(low, high)
}

/// Rounds a price to the cent.
fn to_cents(price: f64) -> f64 {
    (price * 100.0).round() / 100.0
}

impl Iterator for PriceStream {
    type Item = f64;

    fn next(&mut self) -> Option<f64> {
        if self.started {
            let z = standard_normal(&mut self.rng);
            self.log_price = reflect(self.log_price + self.step_drift + self.step_volatility * z);
        } else {
            self.started = true;
        }
        Some(to_cents(self.log_price.exp()))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (usize::MAX, None)
    }
}

impl FusedIterator for PriceStream {}

/// The daily closing prices of one ticker, oldest first.
///
/// `dates` holds one date per price (`"2024-01-02"`), or is empty when the
/// days are only numbered. Most functions of this module work on the plain
/// `prices` slice, so any `&[f64]` works too.
///
/// ```
/// use course_lib::stocks::PriceSeries;
///
/// let series = PriceSeries::new("DEMO", vec![10.0, 8.0, 12.0, 11.0]);
/// assert_eq!(series.len(), 4);
/// assert_eq!(series.date(2), "day 2");
/// let trade = series.best_trade().unwrap();
/// assert_eq!((trade.buy_day, trade.sell_day, trade.profit), (1, 2, 4.0));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PriceSeries {
    /// The ticker symbol, such as `"ACME"`.
    pub ticker: String,
    /// One date per price, or empty when days are only numbered.
    pub dates: Vec<String>,
    /// The closing prices, oldest first.
    pub prices: Vec<f64>,
}

impl PriceSeries {
    /// A series of numbered days (no dates).
    ///
    /// ```
    /// let series = course_lib::stocks::PriceSeries::new("X", vec![1.0, 2.0]);
    /// assert!(series.dates.is_empty());
    /// ```
    pub fn new(ticker: impl Into<String>, prices: Vec<f64>) -> Self {
        PriceSeries {
            ticker: ticker.into(),
            dates: Vec::new(),
            prices,
        }
    }

    /// The number of days.
    ///
    /// ```
    /// assert_eq!(course_lib::stocks::PriceSeries::new("X", vec![1.0; 3]).len(), 3);
    /// ```
    pub fn len(&self) -> usize {
        self.prices.len()
    }

    /// Whether the series has no days.
    ///
    /// ```
    /// assert!(course_lib::stocks::PriceSeries::new("X", vec![]).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.prices.is_empty()
    }

    /// The date of day `day` (counted from 0), or `"day N"` when the series
    /// has no dates for it.
    ///
    /// ```
    /// use course_lib::stocks::Market;
    ///
    /// let market = Market::generate(1, 5, 3);
    /// assert_eq!(market.series()[0].date(0), "2024-01-01");
    /// assert_eq!(market.series()[0].date(4), "2024-01-05");
    /// assert_eq!(market.series()[0].date(9), "day 9");
    /// ```
    pub fn date(&self, day: usize) -> String {
        self.dates
            .get(day)
            .cloned()
            .unwrap_or_else(|| format!("day {day}"))
    }

    /// The best single buy-then-sell trade (see [`best_trade`](super::best_trade)).
    ///
    /// ```
    /// let series = course_lib::stocks::PriceSeries::new("X", vec![5.0, 4.0, 3.0]);
    /// assert_eq!(series.best_trade(), None); // the price only falls
    /// ```
    pub fn best_trade(&self) -> Option<super::Trade> {
        super::best_trade(&self.prices)
    }

    /// What 1 invested on the first day is worth on the last (1.5 means +50%),
    /// or 1 when the series is empty or starts at a price ≤ 0.
    ///
    /// ```
    /// let series = course_lib::stocks::PriceSeries::new("X", vec![10.0, 9.0, 15.0]);
    /// assert_eq!(series.buy_and_hold(), 1.5);
    /// ```
    pub fn buy_and_hold(&self) -> f64 {
        match (self.prices.first(), self.prices.last()) {
            (Some(&first), Some(&last)) if first > 0.0 => last / first,
            _ => 1.0,
        }
    }
}

/// Invented ticker symbols for generated markets, one per letter.
const TICKER_NAMES: [&str; 26] = [
    "ACME", "BOLT", "CRUX", "DYNA", "ECHO", "FLUX", "GRID", "HELX", "IONA", "JOLT", "KELP", "LUMA",
    "MINT", "NOVA", "ORCA", "PIXL", "QUIL", "RUNE", "SOLR", "TIDE", "UMBR", "VOLT", "WAVE", "XENO",
    "YARN", "ZEST",
];

/// The name of generated ticker `index`: the 26 names, then the same names
/// followed by 2, 3, ...
fn ticker_name(index: usize) -> String {
    let name = TICKER_NAMES[index % TICKER_NAMES.len()];
    match index / TICKER_NAMES.len() {
        0 => name.to_string(),
        round => format!("{name}{}", round + 1),
    }
}

/// The calendar date `days` days after 1970-01-01, as `YYYY-MM-DD`
/// (Howard Hinnant's `civil_from_days`).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The dates of the first `days` trading days (Monday to Friday) from
/// Monday 2024-01-01 on.
fn trading_dates(days: usize) -> Vec<String> {
    const FIRST_MONDAY: i64 = 19_723; // 2024-01-01, in days since 1970-01-01
    (0..days as i64)
        .map(|day| civil_date(FIRST_MONDAY + day / 5 * 7 + day % 5))
        .collect()
}

/// Many tickers' price series.
///
/// Build one with [`Market::generate`] (deterministic random walks) or load
/// real prices with [`Market::read_csv`] / [`Market::load_csv`].
///
/// ```
/// use course_lib::stocks::Market;
///
/// let market = Market::generate(3, 250, 42);
/// assert_eq!(market.tickers(), ["ACME", "BOLT", "CRUX"]);
/// assert_eq!(market.get("BOLT").unwrap().len(), 250);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Market {
    series: Vec<PriceSeries>,
}

impl Market {
    /// A market of series given one by one.
    ///
    /// ```
    /// use course_lib::stocks::{Market, PriceSeries};
    ///
    /// let market = Market::new(vec![PriceSeries::new("A", vec![1.0, 2.0])]);
    /// assert_eq!(market.len(), 1);
    /// ```
    pub fn new(series: Vec<PriceSeries>) -> Self {
        Market { series }
    }

    /// Generates `tickers` series of `days` trading days each, fully
    /// determined by `seed`.
    ///
    /// Ticker `i` gets its own start price (20 to 200), yearly drift (−5% to
    /// +20%) and volatility (10% to 50%), all drawn from the seed, and its
    /// prices come from a [`PriceStream`] with those parameters. Dates are
    /// weekdays from Monday 2024-01-01 on. A ticker's prices do not depend on
    /// how many tickers or days are asked for: a longer market starts with
    /// the same prices.
    ///
    /// ```
    /// use course_lib::stocks::Market;
    ///
    /// let small = Market::generate(2, 100, 7);
    /// let large = Market::generate(5, 300, 7);
    /// assert_eq!(small.series()[1].prices[..], large.series()[1].prices[..100]);
    /// assert_eq!(large.series()[0].dates[5], "2024-01-08"); // the next Monday
    /// ```
    pub fn generate(tickers: usize, days: usize, seed: u64) -> Self {
        let mut rng = Rng::seeded(seed);
        let dates = trading_dates(days);
        let series = (0..tickers)
            .map(|index| {
                let start = to_cents(20.0 + 180.0 * rng.next_f64());
                let drift = -0.05 + 0.25 * rng.next_f64();
                let volatility = 0.10 + 0.40 * rng.next_f64();
                let stream = PriceStream::new(start, drift, volatility, rng.next_u64())
                    .expect("generated parameters are in range");
                PriceSeries {
                    ticker: ticker_name(index),
                    dates: dates.clone(),
                    prices: stream.take(days).collect(),
                }
            })
            .collect();
        Market { series }
    }

    /// Every series, in order.
    ///
    /// ```
    /// let market = course_lib::stocks::Market::generate(4, 10, 1);
    /// assert_eq!(market.series().len(), 4);
    /// ```
    pub fn series(&self) -> &[PriceSeries] {
        &self.series
    }

    /// Takes the series out of the market.
    ///
    /// ```
    /// let series = course_lib::stocks::Market::generate(2, 10, 1).into_series();
    /// assert_eq!(series[1].ticker, "BOLT");
    /// ```
    pub fn into_series(self) -> Vec<PriceSeries> {
        self.series
    }

    /// The series of one ticker, if the market has it.
    ///
    /// ```
    /// let market = course_lib::stocks::Market::generate(2, 10, 1);
    /// assert!(market.get("ACME").is_some());
    /// assert!(market.get("NOPE").is_none());
    /// ```
    pub fn get(&self, ticker: &str) -> Option<&PriceSeries> {
        self.series.iter().find(|series| series.ticker == ticker)
    }

    /// The ticker symbols, in order.
    ///
    /// ```
    /// let market = course_lib::stocks::Market::generate(28, 1, 1);
    /// assert_eq!(market.tickers()[26..], ["ACME2", "BOLT2"]);
    /// ```
    pub fn tickers(&self) -> Vec<&str> {
        self.series.iter().map(|s| s.ticker.as_str()).collect()
    }

    /// The number of tickers.
    ///
    /// ```
    /// assert_eq!(course_lib::stocks::Market::generate(3, 10, 1).len(), 3);
    /// ```
    pub fn len(&self) -> usize {
        self.series.len()
    }

    /// Whether the market has no tickers.
    ///
    /// ```
    /// assert!(course_lib::stocks::Market::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.series.is_empty()
    }

    /// Iterates over the series.
    ///
    /// ```
    /// let market = course_lib::stocks::Market::generate(3, 20, 1);
    /// let days: usize = market.iter().map(|s| s.len()).sum();
    /// assert_eq!(days, 60);
    /// ```
    pub fn iter(&self) -> std::slice::Iter<'_, PriceSeries> {
        self.series.iter()
    }

    /// Keeps only the first `tickers` series.
    ///
    /// ```
    /// let market = course_lib::stocks::Market::generate(10, 20, 1).first(2);
    /// assert_eq!(market.tickers(), ["ACME", "BOLT"]);
    /// ```
    pub fn first(mut self, tickers: usize) -> Self {
        self.series.truncate(tickers);
        self
    }
}

impl From<Vec<PriceSeries>> for Market {
    fn from(series: Vec<PriceSeries>) -> Self {
        Market::new(series)
    }
}

impl<'a> IntoIterator for &'a Market {
    type Item = &'a PriceSeries;
    type IntoIter = std::slice::Iter<'a, PriceSeries>;

    fn into_iter(self) -> Self::IntoIter {
        self.series.iter()
    }
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn civil_dates_match_known_days() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(19_723), "2024-01-01");
        assert_eq!(civil_date(19_723 + 59), "2024-02-29");
        assert_eq!(civil_date(-1), "1969-12-31");
    }

    #[test]
    fn trading_dates_skip_weekends() {
        let dates = trading_dates(7);
        assert_eq!(
            dates,
            [
                "2024-01-01",
                "2024-01-02",
                "2024-01-03",
                "2024-01-04",
                "2024-01-05",
                "2024-01-08",
                "2024-01-09"
            ]
        );
    }

    #[test]
    fn reflection_keeps_prices_in_the_band() {
        let (low, high) = (MIN_PRICE.ln(), MAX_PRICE.ln());
        assert_eq!(reflect(high + 1.0), high - 1.0);
        assert_eq!(reflect(low - 1.0), low + 1.0);
        assert_eq!(reflect(1e9), low);
        assert_eq!(reflect(-1e9), high);
    }
}
