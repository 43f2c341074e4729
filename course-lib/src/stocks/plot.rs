//! Tables and charts: how prices, strategies and results show in a notebook.

use super::{
    Crossover, GridResult, Market, MovingAverageExt, PriceSeries, STARTING_CASH, Trade,
    TradeComplexity, equity_curve,
};
use crate::lab::display::{Html, MimeBundle, Render, escape_html, impl_evcxr_display};
use crate::lab::{Chart, Rgb, Table};

/// The most lines [`Market::plot`] and [`GridResult::plot`] draw in one chart.
///
/// ```
/// assert_eq!(course_lib::stocks::MAX_LINES, 8);
/// ```
pub const MAX_LINES: usize = 8;

/// A chart as an HTML fragment: the SVG, or its error message.
fn chart_html(chart: &Chart) -> String {
    match chart.to_svg() {
        Ok(svg) => format!("<div>{svg}</div>"),
        Err(error) => format!("<pre>{}</pre>", escape_html(&error.to_string())),
    }
}

/// `(day, value)` points of a series of values.
fn by_day(values: impl IntoIterator<Item = f64>) -> impl Iterator<Item = (f64, f64)> {
    values
        .into_iter()
        .enumerate()
        .map(|(day, value)| (day as f64, value))
}

impl PriceSeries {
    /// The daily closing prices as a line chart.
    ///
    /// ```
    /// let market = course_lib::stocks::Market::generate(1, 250, 3);
    /// assert!(market.series()[0].plot().to_svg().unwrap().contains("ACME"));
    /// ```
    pub fn plot(&self) -> Chart {
        Chart::new(format!("{}: daily close", self.ticker))
            .x_label("day")
            .y_label("price")
            .size(800, 400)
            .line(&self.ticker, by_day(self.prices.iter().copied()))
    }

    /// A one-line description: ticker, days, first and last prices.
    ///
    /// ```
    /// let series = course_lib::stocks::PriceSeries::new("X", vec![10.0, 12.5]);
    /// assert_eq!(series.summary(), "X: 2 days, from 10 (day 0) to 12.5 (day 1)");
    /// ```
    pub fn summary(&self) -> String {
        match (self.prices.first(), self.prices.last()) {
            (Some(first), Some(last)) => format!(
                "{}: {} days, from {first} ({}) to {last} ({})",
                self.ticker,
                self.len(),
                self.date(0),
                self.date(self.len() - 1)
            ),
            _ => format!("{}: no prices", self.ticker),
        }
    }
}

impl Render for PriceSeries {
    fn mime_bundle(&self) -> MimeBundle {
        let chart = self.plot().mime_bundle();
        chart.with("text/plain", self.summary())
    }
}

impl Market {
    /// What 100 invested on the first day in each of the first [`MAX_LINES`]
    /// tickers is worth day after day (prices rescaled to start at 100, so
    /// that tickers of any price compare on one chart).
    ///
    /// ```
    /// let chart = course_lib::stocks::Market::generate(3, 250, 3).plot();
    /// assert!(chart.to_svg().unwrap().contains("BOLT"));
    /// ```
    pub fn plot(&self) -> Chart {
        let mut chart = Chart::new("Value of 100 invested on day 0")
            .x_label("day")
            .y_label("value")
            .size(800, 400);
        for series in self.iter().take(MAX_LINES) {
            let first = series.prices.first().copied().unwrap_or(1.0);
            let scaled = series.prices.iter().map(|&p| 100.0 * p / first);
            chart = chart.line(&series.ticker, by_day(scaled));
        }
        chart
    }

    /// One row per ticker: days, first and last dates and prices, lowest and
    /// highest price, and the buy-and-hold ratio (last / first).
    ///
    /// ```
    /// let table = course_lib::stocks::Market::generate(3, 20, 3).table();
    /// assert_eq!(table.len(), 3);
    /// ```
    pub fn table(&self) -> Table {
        let rows = self.iter().map(|series| {
            let low = series.prices.iter().copied().fold(f64::INFINITY, f64::min);
            let high = series
                .prices
                .iter()
                .copied()
                .fold(f64::NEG_INFINITY, f64::max);
            let last_day = series.len().saturating_sub(1);
            let price = |day: usize| series.prices.get(day).copied().unwrap_or(f64::NAN);
            vec![
                series.ticker.clone(),
                series.len().to_string(),
                series.date(0),
                series.date(last_day),
                format!("{:.2}", price(0)),
                format!("{:.2}", price(last_day)),
                format!("{low:.2}"),
                format!("{high:.2}"),
                format!("{:.3}", series.buy_and_hold()),
            ]
        });
        Table::new()
            .caption(format!("Market of {} tickers", self.len()))
            .headers([
                "ticker",
                "days",
                "first date",
                "last date",
                "first",
                "last",
                "low",
                "high",
                "last / first",
            ])
            .rows(rows)
    }
}

impl Render for Market {
    fn mime_bundle(&self) -> MimeBundle {
        self.table().mime_bundle()
    }
}

impl Render for Trade {
    fn mime_bundle(&self) -> MimeBundle {
        Html(format!(
            "<p>Buy on day <b>{}</b> at <b>{}</b>, sell on day <b>{}</b> at <b>{}</b>: profit <b>{}</b></p>",
            self.buy_day, self.buy, self.sell_day, self.sell, self.profit
        ))
        .mime_bundle()
        .with("text/plain", self.to_string())
    }
}

impl Crossover {
    /// The prices of `series` with both moving averages, a green line on
    /// each buy signal and a red line on each sell signal.
    ///
    /// ```
    /// use course_lib::stocks::{Crossover, Market};
    ///
    /// let market = Market::generate(1, 500, 6);
    /// let chart = Crossover::new(20, 50)?.chart(&market.series()[0]);
    /// assert!(chart.to_svg().unwrap().contains("50-day average"));
    /// # Ok::<(), course_lib::stocks::StrategyError>(())
    /// ```
    pub fn chart(&self, series: &PriceSeries) -> Chart {
        let prices = || series.prices.iter().copied();
        let averages = |window: usize| {
            prices()
                .moving_average(window)
                .enumerate()
                .map(move |(k, average)| ((k + window - 1) as f64, average))
        };
        let mut chart = Chart::new(format!("{}: crossover {self}", series.ticker))
            .x_label("day")
            .y_label("price")
            .size(900, 400)
            .line("price", by_day(prices()))
            .line(
                format!("{}-day average", self.short()),
                averages(self.short()),
            )
            .line(
                format!("{}-day average", self.long()),
                averages(self.long()),
            );
        for signal in self.signals(prices()) {
            let color = if signal.is_buy() {
                Rgb::GREEN
            } else {
                Rgb::RED
            };
            chart = chart.marker(signal.day() as f64, color);
        }
        chart
    }
}

/// The equity curves of several strategies on one series, with buying and
/// holding for comparison: one line per strategy.
///
/// ```
/// use course_lib::stocks::{equity_chart, Crossover, Market};
///
/// let market = Market::generate(1, 500, 6);
/// let strategies = [Crossover::new(5, 20)?, Crossover::new(20, 100)?];
/// let chart = equity_chart(&market.series()[0], &strategies);
/// assert!(chart.to_svg().unwrap().contains("20/100"));
/// # Ok::<(), course_lib::stocks::StrategyError>(())
/// ```
pub fn equity_chart(series: &PriceSeries, strategies: &[Crossover]) -> Chart {
    let first = series.prices.first().copied().unwrap_or(1.0);
    let hold = series.prices.iter().map(|&p| STARTING_CASH * p / first);
    let mut chart = Chart::new(format!("{}: equity of each strategy", series.ticker))
        .x_label("day")
        .y_label("equity")
        .size(900, 400)
        .line("buy and hold", by_day(hold));
    for &strategy in strategies {
        let curve = equity_curve(&series.prices, strategy);
        chart = chart.line(strategy.to_string(), by_day(curve));
    }
    chart
}

impl GridResult {
    /// One row per ticker: its best windows, their final equity and number
    /// of buys, and the final equity of buying and holding instead.
    ///
    /// ```
    /// use course_lib::stocks::{backtest_grid, Grid, Market};
    ///
    /// let result = backtest_grid(&Market::generate(3, 300, 1), &Grid::default());
    /// let text = result.table().to_text();
    /// assert!(text.contains("best short") && text.contains("CRUX"));
    /// ```
    pub fn table(&self) -> Table {
        let per_ticker = self.runs().len() / self.best().len().max(1);
        Table::new()
            .caption(format!(
                "Best crossover per ticker ({} window pairs each, starting cash {STARTING_CASH})",
                per_ticker
            ))
            .headers([
                "ticker",
                "best short",
                "best long",
                "final equity",
                "buys",
                "buy and hold",
            ])
            .rows(self.best().iter().map(|best| {
                (
                    best.ticker.clone(),
                    best.strategy.short(),
                    best.strategy.long(),
                    format!("{:.2}", best.final_equity),
                    best.trades,
                    format!("{:.2}", best.buy_and_hold),
                )
            }))
    }

    /// The equity curve of the best strategy of each of the first
    /// [`MAX_LINES`] tickers.
    ///
    /// ```
    /// use course_lib::stocks::{backtest_grid, Grid, Market};
    ///
    /// let result = backtest_grid(&Market::generate(2, 300, 1), &Grid::default());
    /// assert!(result.plot().to_svg().unwrap().contains("ACME"));
    /// ```
    pub fn plot(&self) -> Chart {
        let mut chart = Chart::new("Equity of the best crossover per ticker")
            .x_label("day")
            .y_label("equity")
            .size(900, 400);
        for best in self.best().iter().take(MAX_LINES) {
            let name = format!("{} {}", best.ticker, best.strategy);
            chart = chart.line(name, by_day(best.equity.iter().copied()));
        }
        chart
    }
}

impl Render for GridResult {
    fn mime_bundle(&self) -> MimeBundle {
        let table = self.table();
        let html = format!("<div>{}{}</div>", table.to_html(), chart_html(&self.plot()));
        MimeBundle::new()
            .with("text/html", html)
            .with("text/plain", table.to_text())
    }
}

impl TradeComplexity {
    /// One row per size: the time of each search in milliseconds.
    ///
    /// ```
    /// let report = course_lib::stocks::complexity_table(&[1000, 2000]);
    /// assert_eq!(report.table().len(), 2);
    /// ```
    pub fn table(&self) -> Table {
        let ms = |time: std::time::Duration| format!("{:.4}", time.as_secs_f64() * 1e3);
        Table::new()
            .caption(format!("Best trade: {}", self.verdict()))
            .headers(["days", "naive O(n²) (ms)", "single pass O(n) (ms)"])
            .rows(self.rows.iter().map(|row| {
                let naive = row.naive.map_or("skipped".to_string(), ms);
                (row.n, naive, ms(row.linear))
            }))
    }

    /// Both searches' times against the number of days on log-log axes,
    /// where `time ∝ n^p` is a straight line of slope `p`.
    ///
    /// ```
    /// let report = course_lib::stocks::complexity_table(&[1000, 2000]);
    /// assert!(report.chart().to_svg().unwrap().contains("naive"));
    /// ```
    pub fn chart(&self) -> Chart {
        let exponent = |p: Option<f64>| p.map_or(String::new(), |p| format!(" ≈ n^{p:.2}"));
        let naive = self
            .rows
            .iter()
            .filter_map(|row| Some((row.n as f64, row.naive?.as_secs_f64() * 1e3)));
        let linear = self
            .rows
            .iter()
            .map(|row| (row.n as f64, row.linear.as_secs_f64() * 1e3));
        Chart::new("Best trade: time against days")
            .x_label("days")
            .y_label("time (ms)")
            .size(800, 450)
            .line(format!("naive{}", exponent(self.naive_exponent())), naive)
            .line(
                format!("single pass{}", exponent(self.linear_exponent())),
                linear,
            )
            .log_log()
    }
}

impl Render for TradeComplexity {
    fn mime_bundle(&self) -> MimeBundle {
        let table = self.table();
        let html = format!(
            "<div><p><b>{}</b></p>{}{}</div>",
            escape_html(&self.verdict()),
            table.to_html(),
            chart_html(&self.chart())
        );
        MimeBundle::new()
            .with("text/html", html)
            .with("text/plain", table.to_text())
    }
}

impl_evcxr_display!(
    PriceSeries => "course_lib::stocks::PriceSeries::new(\"X\", vec![1.0, 2.0, 1.5])",
    Market => "course_lib::stocks::Market::generate(3, 100, 1)",
    Trade => "course_lib::stocks::best_trade(&[1.0, 3.0]).unwrap()",
    GridResult => "course_lib::stocks::backtest_grid(&course_lib::stocks::Market::generate(2, 200, 1), &course_lib::stocks::Grid::default())",
    TradeComplexity => "course_lib::stocks::complexity_table(&[500, 1000])",
);
