//! Part 3: back-testing the crossover strategy over a grid of windows × tickers,
//! one run after the other and with rayon.

use rayon::prelude::*;

use super::{Crossover, Market, PriceSeries, Signal};

/// The cash a back-test starts with.
///
/// ```
/// assert_eq!(course_lib::stocks::STARTING_CASH, 1000.0);
/// ```
pub const STARTING_CASH: f64 = 1000.0;

/// How one back-test ended.
///
/// ```
/// use course_lib::stocks::{backtest, Crossover};
///
/// let outcome = backtest(&[1.0; 10], Crossover::new(2, 5)?);
/// assert_eq!(outcome.final_equity, 1000.0); // a flat price never crosses
/// assert_eq!(outcome.trades, 0);
/// # Ok::<(), course_lib::stocks::StrategyError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome {
    /// Cash plus shares at the last day's price.
    pub final_equity: f64,
    /// How many times the strategy bought.
    pub trades: usize,
}

/// Plays the strategy over the prices and reports each day's equity to `each_day`.
fn simulate(prices: &[f64], strategy: Crossover, mut each_day: impl FnMut(f64)) -> Outcome {
    let mut cash = STARTING_CASH;
    let mut shares = 0.0;
    let mut trades = 0;
    // The first day whose equity has not been reported yet.
    let mut unmarked = 0;
    for signal in strategy.signals(prices.iter().copied()) {
        let day = signal.day();
        for &price in &prices[unmarked..day] {
            each_day(cash + shares * price);
        }
        let price = prices[day];
        match signal {
            Signal::Buy { .. } if shares == 0.0 && price > 0.0 && price.is_finite() => {
                shares = cash / price;
                cash = 0.0;
                trades += 1;
            }
            Signal::Sell { .. } if shares > 0.0 => {
                cash = shares * price;
                shares = 0.0;
            }
            _ => {}
        }
        each_day(cash + shares * price);
        unmarked = day + 1;
    }
    for &price in &prices[unmarked..] {
        each_day(cash + shares * price);
    }
    let final_equity = prices.last().map_or(cash, |&last| cash + shares * last);
    Outcome {
        final_equity,
        trades,
    }
}

/// Back-tests the crossover strategy on one series of prices.
///
/// The account starts with [`STARTING_CASH`] and no shares. On a buy signal
/// it spends all its cash on shares at that day's price (fractions of a
/// share allowed, no fees); on a sell signal it sells them all at that
/// day's price. Its equity (cash plus shares at the day's price) is marked
/// every day; the outcome holds the last day's equity.
///
/// ```
/// use course_lib::stocks::{backtest, Crossover};
///
/// let prices = [5.0, 4.0, 3.0, 2.0, 3.0, 6.0, 7.0, 4.0, 2.0, 1.0];
/// let outcome = backtest(&prices, Crossover::new(2, 4)?);
/// // Bought at 6 on day 5, sold at 2 on day 8: a third of the money is left.
/// assert_eq!(outcome.trades, 1);
/// assert!((outcome.final_equity - 1000.0 / 3.0).abs() < 1e-9);
/// # Ok::<(), course_lib::stocks::StrategyError>(())
/// ```
pub fn backtest(prices: &[f64], strategy: Crossover) -> Outcome {
    simulate(prices, strategy, |_| {})
}

/// The equity of the back-test (see [`backtest`]) on every day, marked to
/// market: one value per price, starting at [`STARTING_CASH`].
///
/// ```
/// use course_lib::stocks::{equity_curve, backtest, Crossover};
///
/// let prices = [5.0, 4.0, 3.0, 2.0, 3.0, 6.0, 7.0, 4.0, 2.0, 1.0];
/// let strategy = Crossover::new(2, 4)?;
/// let equity = equity_curve(&prices, strategy);
/// assert_eq!(equity.len(), prices.len());
/// assert_eq!(equity[0], 1000.0);
/// assert!(equity[6] > 1000.0); // holding shares bought at 6 when the price is 7
/// assert_eq!(equity.last(), Some(&backtest(&prices, strategy).final_equity));
/// # Ok::<(), course_lib::stocks::StrategyError>(())
/// ```
pub fn equity_curve(prices: &[f64], strategy: Crossover) -> Vec<f64> {
    let mut curve = Vec::with_capacity(prices.len());
    simulate(prices, strategy, |equity| curve.push(equity));
    curve
}

/// The window pairs to try: every `(short, long)` with `short < long`.
///
/// ```
/// use course_lib::stocks::Grid;
///
/// let grid = Grid::new([5, 10, 50], [20, 50]);
/// let pairs: Vec<String> = grid.strategies().iter().map(|s| s.to_string()).collect();
/// assert_eq!(pairs, ["5/20", "5/50", "10/20", "10/50"]); // 50/20 and 50/50 are left out
/// assert_eq!(Grid::default().len(), 174);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid {
    strategies: Vec<Crossover>,
}

impl Grid {
    /// Every valid pair of a short window from `shorts` and a long one from
    /// `longs` (short first, then long, in the order given). Pairs with
    /// `short ≥ long` or a zero window are left out.
    ///
    /// ```
    /// let grid = course_lib::stocks::Grid::new(1..=3, [2, 3]);
    /// assert_eq!(grid.len(), 3); // 1/2, 1/3, 2/3
    /// ```
    pub fn new(
        shorts: impl IntoIterator<Item = usize>,
        longs: impl IntoIterator<Item = usize>,
    ) -> Self {
        let longs: Vec<usize> = longs.into_iter().collect();
        let strategies = shorts
            .into_iter()
            .flat_map(|short| {
                longs
                    .iter()
                    .filter_map(move |&long| Crossover::new(short, long).ok())
            })
            .collect();
        Grid { strategies }
    }

    /// The strategies of the grid, in order.
    ///
    /// ```
    /// let grid = course_lib::stocks::Grid::new([3], [10]);
    /// assert_eq!(grid.strategies()[0].long(), 10);
    /// ```
    pub fn strategies(&self) -> &[Crossover] {
        &self.strategies
    }

    /// The number of window pairs.
    ///
    /// ```
    /// assert_eq!(course_lib::stocks::Grid::new([3], [10, 20]).len(), 2);
    /// ```
    pub fn len(&self) -> usize {
        self.strategies.len()
    }

    /// Whether the grid has no window pairs.
    ///
    /// ```
    /// assert!(course_lib::stocks::Grid::new([30], [10, 20]).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.strategies.is_empty()
    }
}

impl Default for Grid {
    /// Short windows 5, 10, ..., 50 days and long windows 20, 30, ..., 200
    /// days: 174 pairs.
    fn default() -> Self {
        Grid::new((5..=50).step_by(5), (20..=200).step_by(10))
    }
}

/// One back-test of the grid: a ticker, a strategy, and how it ended.
///
/// ```
/// use course_lib::stocks::{backtest_grid, Grid, Market};
///
/// let result = backtest_grid(&Market::generate(2, 300, 1), &Grid::new([5], [20, 40]));
/// let run = &result.runs()[0];
/// assert_eq!((run.ticker.as_str(), run.strategy.to_string()), ("ACME", "5/20".to_string()));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// The ticker back-tested.
    pub ticker: String,
    /// The strategy played.
    pub strategy: Crossover,
    /// The last day's equity.
    pub final_equity: f64,
    /// How many times the strategy bought.
    pub trades: usize,
}

/// The best strategy of the grid for one ticker.
///
/// ```
/// use course_lib::stocks::{backtest_grid, Grid, Market};
///
/// let market = Market::generate(1, 500, 4);
/// let result = backtest_grid(&market, &Grid::default());
/// let best = &result.best()[0];
/// assert!(result.runs().iter().all(|run| run.final_equity <= best.final_equity));
/// assert_eq!(best.equity.len(), 500);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct BestRun {
    /// The ticker.
    pub ticker: String,
    /// The strategy with the highest final equity (the first in grid order on ties).
    pub strategy: Crossover,
    /// Its final equity.
    pub final_equity: f64,
    /// How many times it bought.
    pub trades: usize,
    /// The final equity of buying on the first day and holding to the last.
    pub buy_and_hold: f64,
    /// Its equity on every day (see [`equity_curve`]).
    pub equity: Vec<f64>,
}

/// Every run of a grid back-test, and the best strategy per ticker.
///
/// End a notebook cell with it to see the table of best strategies and
/// their equity curves; [`GridResult::table`] and [`GridResult::plot`] give
/// each part alone.
///
/// ```
/// use course_lib::stocks::{backtest_grid, Grid, Market};
///
/// let result = backtest_grid(&Market::generate(3, 400, 5), &Grid::default());
/// assert_eq!(result.runs().len(), 3 * 174);
/// assert_eq!(result.best().len(), 3);
/// assert_eq!(result.best_for("CRUX").unwrap().ticker, "CRUX");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct GridResult {
    runs: Vec<Run>,
    best: Vec<BestRun>,
}

impl GridResult {
    /// Every run: ticker after ticker, and for each ticker the strategies in grid order.
    ///
    /// ```
    /// use course_lib::stocks::{backtest_grid, Grid, Market};
    ///
    /// let result = backtest_grid(&Market::generate(2, 100, 1), &Grid::new([5], [10, 20]));
    /// let names: Vec<String> = result.runs().iter().map(|r| format!("{} {}", r.ticker, r.strategy)).collect();
    /// assert_eq!(names, ["ACME 5/10", "ACME 5/20", "BOLT 5/10", "BOLT 5/20"]);
    /// ```
    pub fn runs(&self) -> &[Run] {
        &self.runs
    }

    /// The best strategy of each ticker, in market order (none when the grid is empty).
    ///
    /// ```
    /// use course_lib::stocks::{backtest_grid, Grid, Market};
    ///
    /// let result = backtest_grid(&Market::generate(2, 100, 1), &Grid::new([50], [10]));
    /// assert!(result.best().is_empty());
    /// ```
    pub fn best(&self) -> &[BestRun] {
        &self.best
    }

    /// The best strategy of one ticker.
    ///
    /// ```
    /// use course_lib::stocks::{backtest_grid, Grid, Market};
    ///
    /// let result = backtest_grid(&Market::generate(2, 100, 1), &Grid::new([5], [10]));
    /// assert!(result.best_for("BOLT").is_some());
    /// assert!(result.best_for("NOPE").is_none());
    /// ```
    pub fn best_for(&self, ticker: &str) -> Option<&BestRun> {
        self.best.iter().find(|best| best.ticker == ticker)
    }
}

/// Whether `a` is a strictly better final equity than `b` (a NaN never is,
/// and anything beats a NaN).
fn better(a: f64, b: f64) -> bool {
    a > b || (b.is_nan() && !a.is_nan())
}

/// The best run among one ticker's runs (they are in grid order).
fn best_of(series: &PriceSeries, runs: &[Run]) -> Option<BestRun> {
    let best = runs.iter().reduce(|best, run| {
        if better(run.final_equity, best.final_equity) {
            run
        } else {
            best
        }
    })?;
    Some(BestRun {
        ticker: series.ticker.clone(),
        strategy: best.strategy,
        final_equity: best.final_equity,
        trades: best.trades,
        buy_and_hold: STARTING_CASH * series.buy_and_hold(),
        equity: equity_curve(&series.prices, best.strategy),
    })
}

/// Back-tests one strategy on one series.
fn run(series: &PriceSeries, strategy: Crossover) -> Run {
    let outcome = backtest(&series.prices, strategy);
    Run {
        ticker: series.ticker.clone(),
        strategy,
        final_equity: outcome.final_equity,
        trades: outcome.trades,
    }
}

/// Every (series, strategy) job of the grid, ticker after ticker.
fn jobs<'a>(market: &'a Market, grid: &'a Grid) -> Vec<(&'a PriceSeries, Crossover)> {
    market
        .iter()
        .flat_map(|series| grid.strategies().iter().map(move |&s| (series, s)))
        .collect()
}

/// Back-tests every strategy of `grid` on every ticker of `market`, one run
/// after the other, and picks each ticker's best strategy.
///
/// ```
/// use course_lib::stocks::{backtest_grid, Grid, Market};
///
/// let market = Market::generate(4, 250, 11);
/// let result = backtest_grid(&market, &Grid::default());
/// assert_eq!(result.best().len(), 4);
/// ```
pub fn backtest_grid(market: &Market, grid: &Grid) -> GridResult {
    let runs: Vec<Run> = jobs(market, grid)
        .into_iter()
        .map(|(series, strategy)| run(series, strategy))
        .collect();
    with_best(market, grid, runs)
}

/// The same as [`backtest_grid`], with the runs spread over every core by rayon.
///
/// Each (ticker, strategy) run is an independent task, and rayon's indexed
/// `collect` keeps them in grid order, so the result is identical to the
/// sequential one, bit for bit; only the time changes.
///
/// ```
/// use course_lib::stocks::{backtest_grid, backtest_grid_parallel, Grid, Market};
///
/// let market = Market::generate(6, 300, 2);
/// let grid = Grid::default();
/// assert_eq!(backtest_grid_parallel(&market, &grid), backtest_grid(&market, &grid));
/// ```
pub fn backtest_grid_parallel(market: &Market, grid: &Grid) -> GridResult {
    let runs: Vec<Run> = jobs(market, grid)
        .into_par_iter()
        .map(|(series, strategy)| run(series, strategy))
        .collect();
    with_best(market, grid, runs)
}

/// The runs (in grid order, ticker by ticker) with each ticker's best run.
/// A quick pass over the results, so it needs no threads.
fn with_best(market: &Market, grid: &Grid, runs: Vec<Run>) -> GridResult {
    let best = if grid.is_empty() {
        Vec::new()
    } else {
        market
            .iter()
            .zip(runs.chunks(grid.len()))
            .filter_map(|(series, runs)| best_of(series, runs))
            .collect()
    };
    GridResult { runs, best }
}
