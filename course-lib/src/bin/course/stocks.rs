//! `course stocks`: back-test the moving-average crossover over a grid of
//! windows on every ticker, and find each ticker's best single trade.
//!
//! ```text
//! course stocks                                  # 8 generated tickers, 2520 days
//! course stocks --tickers 50 --days 5000 --seed 7
//! course stocks --csv prices.csv --format csv    # real prices: date,ticker,close
//! course stocks --shorts 5,10,20 --longs 50,100,200 --sequential
//! ```
//!
//! Standard output gets one row per ticker (aligned text or CSV); the time
//! the back-test took goes to standard error.

use std::error::Error;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::ValueEnum;
use course_lib::lab::Table;
use course_lib::stocks::{Grid, GridResult, Market, backtest_grid, backtest_grid_parallel};

/// The most prices a generated market may hold (tickers × days).
const MAX_PRICES: usize = 50_000_000;

/// The arguments of `course stocks`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Number of generated tickers
    #[arg(long, value_name = "N", default_value_t = 8, conflicts_with = "csv")]
    tickers: usize,

    /// Number of generated trading days per ticker (2520 is about ten years)
    #[arg(long, value_name = "N", default_value_t = 2520, conflicts_with = "csv")]
    days: usize,

    /// Seed of the generated prices (same seed, same prices)
    #[arg(long, value_name = "S", default_value_t = 2024, conflicts_with = "csv")]
    seed: u64,

    /// Read prices from a CSV file with columns date,ticker,close instead of generating them
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,

    /// Short moving-average windows to try, in days [default: 5,10,...,50]
    #[arg(long, value_name = "DAYS,...", value_delimiter = ',')]
    shorts: Option<Vec<usize>>,

    /// Long moving-average windows to try, in days [default: 20,30,...,200]
    #[arg(long, value_name = "DAYS,...", value_delimiter = ',')]
    longs: Option<Vec<usize>>,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,

    /// Run the back-tests one after the other instead of on every core
    #[arg(long)]
    sequential: bool,
}

/// How the summary is printed.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    /// Aligned columns
    Text,
    /// Comma-separated values with a header
    Csv,
}

/// Runs `course stocks`.
pub fn run(args: Args) -> Result<ExitCode, Box<dyn Error>> {
    let market = match &args.csv {
        Some(path) => Market::load_csv(path)?,
        None => {
            if args.tickers.saturating_mul(args.days) > MAX_PRICES {
                return Err(format!(
                    "{} tickers × {} days is too much; keep it under {MAX_PRICES} prices",
                    args.tickers, args.days
                )
                .into());
            }
            Market::generate(args.tickers, args.days, args.seed)
        }
    };
    let grid = match (args.shorts, args.longs) {
        (None, None) => Grid::default(),
        // The same lists as `Grid::default()`, for the one that is not given.
        (shorts, longs) => Grid::new(
            shorts.unwrap_or_else(|| (5..=50).step_by(5).collect()),
            longs.unwrap_or_else(|| (20..=200).step_by(10).collect()),
        ),
    };
    if grid.is_empty() {
        return Err("no window pair has a short window (≥ 1 day) shorter than a long one".into());
    }

    let started = Instant::now();
    let result = if args.sequential {
        backtest_grid(&market, &grid)
    } else {
        backtest_grid_parallel(&market, &grid)
    };
    let elapsed = started.elapsed();
    eprintln!(
        "back-tested {} window pairs on {} ticker(s) ({} runs) in {:.1} ms, {}",
        grid.len(),
        market.len(),
        result.runs().len(),
        elapsed.as_secs_f64() * 1e3,
        if args.sequential {
            "sequentially".to_string()
        } else {
            format!("with rayon on {} threads", rayon::current_num_threads())
        }
    );

    let rows = summary_rows(&market, &result);
    let mut out = io::stdout().lock();
    match args.format {
        Format::Text => {
            let table = Table::new().headers(HEADERS).rows(rows);
            writeln!(out, "{}", table.to_text())?;
        }
        Format::Csv => {
            let mut csv = csv::Writer::from_writer(&mut out);
            csv.write_record(HEADERS)?;
            for row in rows {
                csv.write_record(row)?;
            }
            csv.flush()?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The columns of the summary.
const HEADERS: [&str; 13] = [
    "ticker",
    "days",
    "best_short",
    "best_long",
    "final_equity",
    "buys",
    "buy_and_hold",
    "trade_buy_date",
    "trade_buy",
    "trade_sell_date",
    "trade_sell",
    "trade_profit",
    "trade_ratio",
];

/// One row per ticker: its best windows and its best single trade (empty
/// trade columns when no trade makes a profit).
fn summary_rows(market: &Market, result: &GridResult) -> Vec<Vec<String>> {
    result
        .best()
        .iter()
        .zip(market.iter())
        .map(|(best, series)| {
            let mut row = vec![
                best.ticker.clone(),
                series.len().to_string(),
                best.strategy.short().to_string(),
                best.strategy.long().to_string(),
                format!("{:.2}", best.final_equity),
                best.trades.to_string(),
                format!("{:.2}", best.buy_and_hold),
            ];
            match series.best_trade() {
                Some(trade) => row.extend([
                    series.date(trade.buy_day),
                    trade.buy.to_string(),
                    series.date(trade.sell_day),
                    trade.sell.to_string(),
                    format!("{:.2}", trade.profit),
                    format!("{:.3}", trade.ratio()),
                ]),
                None => row.extend(std::iter::repeat_n(String::new(), 6)),
            }
            row
        })
        .collect()
}
