//! Benchmark of mini-project 1 (stock investment).
//!
//! Run with:
//!
//! ```text
//! cargo run -p course_lib --release --example stocks_bench
//! ```
//!
//! 1. Best single trade: the O(n²) double loop on 1,000 to 32,000 days and
//!    the O(n) single pass on 1,000 to 10,000,000 days (one seeded
//!    `PriceStream`), with the exponents fitted on log-log axes.
//! 2. Back-test of the crossover over the default grid (174 window pairs) on
//!    64 generated tickers of 2,520 days: sequential against rayon.
//! 3. The Python approach (`course-lib/python/stocks.py`), measured in the same
//!    run on the same prices (passed through temporary CSV files): both
//!    best-trade searches on the smaller sizes, and the sequential back-test
//!    of the same grid on the first 4 tickers. Its results are checked
//!    against Rust's (same trades, same best windows, same final equity to
//!    the last bit).

use course_lib::lab::python;
#[path = "common/median.rs"]
mod timings;

use std::time::Duration;

use course_lib::stocks::{
    Grid, Market, PriceSeries, PriceStream, backtest_grid, backtest_grid_parallel, best_trade,
    best_trade_naive, fit_exponent, time_per_call,
};

const SEED: u64 = 2024;
const NAIVE_SIZES: [usize; 6] = [1_000, 2_000, 4_000, 8_000, 16_000, 32_000];
const LINEAR_SIZES: [usize; 9] = [
    1_000, 3_000, 10_000, 30_000, 100_000, 300_000, 1_000_000, 3_000_000, 10_000_000,
];
const PYTHON_NAIVE_SIZES: [usize; 3] = [1_000, 2_000, 4_000];
const PYTHON_LINEAR_SIZES: [usize; 4] = [1_000, 10_000, 100_000, 1_000_000];
const TICKERS: usize = 64;
const DAYS: usize = 2_520;
const PYTHON_TICKERS: usize = 4;
const RUNS: usize = 5;

/// One size of part 1: days, the naive time (small sizes only), the single pass's time.
type TradeRow = (usize, Option<Duration>, Duration);

fn ms(time: Duration) -> f64 {
    time.as_secs_f64() * 1e3
}

/// The median duration of `RUNS` runs of `work`, and its last result.
fn median<R>(work: impl FnMut() -> R) -> (Duration, R) {
    timings::median(RUNS, work)
}

fn list(sizes: &[usize]) -> String {
    sizes
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// Part 1: times both searches on every size and fits their exponents.
fn best_trade_part(prices: &[f64]) -> Vec<TradeRow> {
    println!("\n1. Best single trade (PriceStream::seeded({SEED}))");
    println!(
        "  {:>10}  {:>14}  {:>14}",
        "days", "naive (ms)", "one pass (ms)"
    );
    let mut sizes: Vec<usize> = NAIVE_SIZES.iter().chain(&LINEAR_SIZES).copied().collect();
    sizes.sort_unstable();
    sizes.dedup();
    let mut rows = Vec::new();
    for n in sizes {
        let prices = &prices[..n];
        let naive = NAIVE_SIZES.contains(&n).then(|| {
            assert_eq!(best_trade_naive(prices), best_trade(prices));
            time_per_call(|| best_trade_naive(prices))
        });
        let linear = time_per_call(|| best_trade(prices));
        let naive_text = naive.map_or("-".to_string(), |t| format!("{:.3}", ms(t)));
        println!("  {n:>10}  {naive_text:>14}  {:>14.4}", ms(linear));
        rows.push((n, naive, linear));
    }
    let naive_fit = fit_exponent(
        rows.iter()
            .filter_map(|&(n, naive, _)| Some((n as f64, naive?.as_secs_f64()))),
    );
    let linear_fit = fit_exponent(rows.iter().map(|&(n, _, t)| (n as f64, t.as_secs_f64())));
    let large_fit = fit_exponent(
        rows.iter()
            .filter(|&&(n, _, _)| n >= 30_000)
            .map(|&(n, _, t)| (n as f64, t.as_secs_f64())),
    );
    println!(
        "  fitted exponents: naive ≈ n^{:.2}, single pass ≈ n^{:.2} (n^{:.2} from 30,000 days up)",
        naive_fit.unwrap_or(f64::NAN),
        linear_fit.unwrap_or(f64::NAN),
        large_fit.unwrap_or(f64::NAN)
    );
    rows
}

/// Part 2: the whole grid on the whole market, sequential against rayon.
fn backtest_part(market: &Market, grid: &Grid) {
    println!(
        "\n2. Back-test: {} window pairs × {} tickers × {DAYS} days ({} runs), median of {RUNS}",
        grid.len(),
        market.len(),
        grid.len() * market.len()
    );
    let (sequential, expected) = median(|| backtest_grid(market, grid));
    let (parallel, result) = median(|| backtest_grid_parallel(market, grid));
    assert_eq!(result, expected, "parallel and sequential results differ");
    println!(
        "  sequential {:>8.1} ms   rayon ({} threads) {:>8.1} ms   speed-up {:.2}×   (identical results)",
        ms(sequential),
        rayon::current_num_threads(),
        ms(parallel),
        sequential.as_secs_f64() / parallel.as_secs_f64()
    );
    let steps = (grid.len() * market.len() * DAYS) as f64;
    println!(
        "  {:.1} ns per (run, day) sequentially",
        sequential.as_secs_f64() * 1e9 / steps
    );
}

/// Part 3: runs the Python reference on the same prices, checks its
/// results against Rust's and prints the ratios.
fn python_part(prices: &[f64], trade_rows: &[TradeRow], market: &Market, grid: &Grid) {
    let subset = market.clone().first(PYTHON_TICKERS);
    println!(
        "\n3. Python (course-lib/python/stocks.py) on the same prices; back-test on the first {PYTHON_TICKERS} tickers"
    );
    let (rust_subset, rust_result) = median(|| backtest_grid(&subset, grid));
    let (rust_subset_parallel, _) = median(|| backtest_grid_parallel(&subset, grid));

    let dir = std::env::temp_dir();
    let pid = std::process::id();
    let trades_path = dir.join(format!("stocks_bench_{pid}_trades.csv"));
    let market_path = dir.join(format!("stocks_bench_{pid}_market.csv"));
    let longest = PYTHON_LINEAR_SIZES
        .iter()
        .chain(&PYTHON_NAIVE_SIZES)
        .copied()
        .max()
        .unwrap_or(0);
    let walk = Market::new(vec![PriceSeries::new("WALK", prices[..longest].to_vec())]);
    walk.save_csv(&trades_path).expect("write the trade prices");
    subset.save_csv(&market_path).expect("write the market");
    let shorts: Vec<usize> = (5..=50).step_by(5).collect();
    let longs: Vec<usize> = (20..=200).step_by(10).collect();
    assert_eq!(grid, &Grid::new(shorts.clone(), longs.clone()));

    let outcome = python::run(
        "stocks.py",
        &[
            "--trades",
            &trades_path.to_string_lossy(),
            "--naive-sizes",
            &list(&PYTHON_NAIVE_SIZES),
            "--linear-sizes",
            &list(&PYTHON_LINEAR_SIZES),
            "--market",
            &market_path.to_string_lossy(),
            "--shorts",
            &list(&shorts),
            "--longs",
            &list(&longs),
        ],
    );
    let _ = std::fs::remove_file(&trades_path);
    let _ = std::fs::remove_file(&market_path);
    let Some(outcome) = python::or_skip(outcome) else {
        println!("  (Python reference unavailable)");
        return;
    };

    let rust_time = |n: usize, naive: bool| {
        trade_rows
            .iter()
            .find(|row| row.0 == n)
            .and_then(|&(_, naive_time, linear)| if naive { naive_time } else { Some(linear) })
    };
    for (key, naive) in [("naive", true), ("linear", false)] {
        let label = if naive { "naive" } else { "one pass" };
        for entry in outcome[key].as_array().into_iter().flatten() {
            let n = entry["n"].as_u64().unwrap_or(0) as usize;
            let seconds = entry["seconds"].as_f64().unwrap_or(f64::NAN);
            let trade = best_trade(&prices[..n]).expect("a random walk has a profitable trade");
            let same = entry["buy_day"].as_u64() == Some(trade.buy_day as u64)
                && entry["sell_day"].as_u64() == Some(trade.sell_day as u64);
            assert!(same, "Python found another trade for n = {n}: {entry}");
            if let Some(rust) = rust_time(n, naive) {
                println!(
                    "  {label:<8} n = {n:>9}: Python {:>10.3} ms   Rust {:>9.4} ms   Rust {:>6.0}× faster (same trade)",
                    seconds * 1e3,
                    ms(rust),
                    seconds / rust.as_secs_f64()
                );
            }
        }
    }

    let python_seconds = outcome["backtest"]["seconds"].as_f64().unwrap_or(f64::NAN);
    let python_best = outcome["backtest"]["best"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let agree = python_best.len() == rust_result.best().len()
        && python_best.iter().zip(rust_result.best()).all(|(p, r)| {
            let equity: Option<f64> = p[3].as_str().and_then(|s| s.parse().ok());
            p[0].as_str() == Some(r.ticker.as_str())
                && p[1].as_u64() == Some(r.strategy.short() as u64)
                && p[2].as_u64() == Some(r.strategy.long() as u64)
                && equity == Some(r.final_equity)
                && p[4].as_u64() == Some(r.trades as u64)
        });
    assert!(agree, "Python's best windows differ: {python_best:?}");
    println!(
        "  back-test, {} runs: Python {:.0} ms   Rust sequential {:.2} ms ({:.0}× faster)   Rust rayon {:.2} ms ({:.0}× faster)",
        grid.len() * subset.len(),
        python_seconds * 1e3,
        ms(rust_subset),
        python_seconds / rust_subset.as_secs_f64(),
        ms(rust_subset_parallel),
        python_seconds / rust_subset_parallel.as_secs_f64()
    );
    let best: Vec<String> = rust_result
        .best()
        .iter()
        .map(|b| format!("{} {} → {:.2}", b.ticker, b.strategy, b.final_equity))
        .collect();
    println!(
        "  same best windows and final equity, to the last bit: {}",
        best.join(", ")
    );
}

fn main() {
    println!(
        "Stock investment benchmark (seed {SEED}), rayon threads: {}",
        rayon::current_num_threads()
    );
    let longest = LINEAR_SIZES.iter().copied().max().unwrap_or(0);
    let prices: Vec<f64> = PriceStream::seeded(SEED).take(longest).collect();
    let trade_rows = best_trade_part(&prices);

    let market = Market::generate(TICKERS, DAYS, SEED);
    let grid = Grid::default();
    backtest_part(&market, &grid);

    python_part(&prices, &trade_rows, &market, &grid);
}
