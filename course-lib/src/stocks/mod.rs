//! Mini-project 1: stock investment (complexity, iterators, parallelism).
//!
//! # The data
//!
//! A [`PriceSeries`] is one ticker's daily closing prices; a [`Market`] holds
//! many. [`Market::generate`] makes them up, deterministically from a seed:
//! each ticker follows a geometric random walk (a [`PriceStream`], lazy and
//! endless) with its own drift and volatility. [`Market::read_csv`] and
//! [`Market::load_csv`] read real prices in long format
//! (`date,ticker,close`, one row per ticker and day), and report bad rows as
//! a [`LoadError`] naming the line.
//!
//! # Part 1 — complexity
//!
//! The best single trade (buy one day, sell a later day) can be found by
//! trying every pair of days, [`best_trade_naive`], in O(n²), or in one
//! pass that remembers the lowest price so far, [`best_trade`], in O(n).
//! Both return the same [`Trade`], ties included. [`complexity_table`] times
//! them over growing sizes and fits the exponent `p` of `time ∝ n^p`.
//!
//! # Part 2 — iterators
//!
//! [`MovingAverageExt`] adds two adapters to every iterator of prices:
//! `moving_average(w)`, O(1) per step with a running sum, and
//! `moving_average_naive(w)`, O(w) per step. The [`Crossover`] strategy chains
//! them into a lazy iterator of buy and sell [`Signal`]s.
//!
//! # Part 3 — parallelism
//!
//! [`backtest`] plays a strategy over a series, starting with
//! [`STARTING_CASH`]. [`backtest_grid`] tries every window pair of a [`Grid`]
//! on every ticker, one run after the other; [`backtest_grid_parallel`] does
//! the same runs with rayon and returns the identical [`GridResult`].
//!
//! # From Python to Rust
//!
//! | Python                                      | Rust                                                  |
//! |---------------------------------------------|-------------------------------------------------------|
//! | `random.gauss` in a `while True` generator  | [`PriceStream`], an endless [`Iterator`]               |
//! | `itertools.islice(stream, n)`               | `stream.take(n)`                                      |
//! | a generator function `moving_average(it, w)`| the adapter `it.moving_average(w)` ([`MovingAverageExt`]) |
//! | `collections.deque(maxlen=w)`               | a ring buffer in [`MovingAverage`]                    |
//! | `csv.DictReader` + `float(row["close"])`    | [`Market::read_csv`], errors as [`LoadError`]         |
//! | `multiprocessing.Pool().map(run, jobs)`     | `jobs.into_par_iter().map(run).collect()` (rayon)      |
//! | `%timeit` over sizes, `numpy.polyfit` on logs | [`complexity_table`], [`fit_exponent`]               |
//!
//! ```
//! use course_lib::stocks::*;
//!
//! let market = Market::generate(4, 500, 42);
//! let acme = &market.series()[0];
//!
//! // Part 1: the same trade, found in O(n²) and in O(n).
//! assert_eq!(best_trade_naive(&acme.prices), best_trade(&acme.prices));
//!
//! // Part 2: a lazy chain of iterators.
//! let averages: Vec<f64> = acme.prices.iter().copied().moving_average(20).collect();
//! assert_eq!(averages.len(), 500 - 19);
//! let signals: Vec<Signal> = Crossover::new(10, 50)?.signals(acme.prices.iter().copied()).collect();
//! assert!(signals.iter().all(|s| s.day() >= 50));
//!
//! // Part 3: the same grid, sequential and parallel.
//! let grid = Grid::default();
//! let result = backtest_grid_parallel(&market, &grid);
//! assert_eq!(result, backtest_grid(&market, &grid));
//! assert_eq!(result.best().len(), 4);
//! # Ok::<(), StrategyError>(())
//! ```

mod average;
mod backtest;
mod complexity;
mod csv;
mod plot;
mod prices;
mod strategy;
mod trade;

#[cfg(test)]
mod tests;

pub use average::{MovingAverage, MovingAverageExt, NaiveMovingAverage};
pub use backtest::{
    BestRun, Grid, GridResult, Outcome, Run, STARTING_CASH, backtest, backtest_grid,
    backtest_grid_parallel, equity_curve,
};
pub use complexity::{
    NAIVE_LIMIT, SizeTiming, TradeComplexity, complexity_table, fit_exponent, time_per_call,
};
pub use csv::LoadError;
pub use plot::{MAX_LINES, equity_chart};
pub use prices::{
    MAX_PRICE, MIN_PRICE, Market, PriceSeries, PriceStream, StreamError, TRADING_DAYS_PER_YEAR,
};
pub use strategy::{Crossover, Signal, StrategyError};
pub use trade::{Trade, best_trade, best_trade_naive};
