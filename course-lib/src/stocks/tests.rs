use proptest::prelude::*;

use super::*;
use crate::lab::display::Render;

/// Prices with many ties (a few cent values) or arbitrary positive floats.
fn price_lists() -> impl Strategy<Value = Vec<f64>> {
    prop_oneof![
        prop::collection::vec((1u32..8).prop_map(f64::from), 0..40),
        prop::collection::vec(0.01f64..1e4, 0..60),
        prop::collection::vec(
            prop_oneof![Just(0.0), Just(-0.0), -1e3f64..1e3, Just(1e16)],
            0..30
        ),
    ]
}

/// The crossover written out with explicit averages over slices.
fn reference_signals(prices: &[f64], short: usize, long: usize) -> Vec<Signal> {
    let average = |day: usize, window: usize| {
        prices[day + 1 - window..=day].iter().sum::<f64>() / window as f64
    };
    let mut signals = Vec::new();
    let mut yesterday = None;
    for (day, &price) in prices.iter().enumerate().skip(long.saturating_sub(1)) {
        let above = average(day, short) > average(day, long);
        match (yesterday, above) {
            (Some(false), true) => signals.push(Signal::Buy { day, price }),
            (Some(true), false) => signals.push(Signal::Sell { day, price }),
            _ => {}
        }
        yesterday = Some(above);
    }
    signals
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn naive_and_linear_best_trades_agree_exactly(prices in price_lists()) {
        let naive = best_trade_naive(&prices);
        prop_assert_eq!(naive, best_trade(&prices));
        if let Some(trade) = naive {
            prop_assert!(trade.buy_day < trade.sell_day && trade.profit > 0.0);
            prop_assert_eq!(trade.profit, prices[trade.sell_day] - prices[trade.buy_day]);
        } else {
            let any_profit = (0..prices.len())
                .any(|b| (b + 1..prices.len()).any(|s| prices[s] - prices[b] > 0.0));
            prop_assert!(!any_profit);
        }
    }

    #[test]
    fn running_and_naive_averages_agree(
        prices in prop::collection::vec(0.01f64..1e4, 0..300),
        window in 0usize..40,
    ) {
        let fast: Vec<f64> = prices.iter().copied().moving_average(window).collect();
        let slow: Vec<f64> = prices.iter().copied().moving_average_naive(window).collect();
        let expected = if window == 0 { 0 } else { (prices.len() + 1).saturating_sub(window) };
        prop_assert_eq!(fast.len(), expected);
        prop_assert_eq!(slow.len(), expected);
        for (a, b) in fast.iter().zip(&slow) {
            prop_assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0), "{} vs {}", a, b);
        }
    }

    #[test]
    fn size_hints_are_exact_on_slices(len in 0usize..50, window in 0usize..10, taken in 0usize..50) {
        let prices = vec![1.0; len];
        let mut fast = prices.iter().copied().moving_average(window);
        let mut slow = prices.iter().copied().moving_average_naive(window);
        for _ in 0..taken {
            fast.next();
            slow.next();
        }
        let left = fast.clone().count();
        prop_assert_eq!(fast.size_hint(), (left, Some(left)));
        prop_assert_eq!(slow.size_hint(), (left, Some(left)));
    }

    #[test]
    fn signals_match_the_written_out_crossover(
        prices in prop::collection::vec((1u32..30).prop_map(f64::from), 0..120),
        short in 1usize..6,
        extra in 1usize..10,
    ) {
        // Whole-number prices and small windows: every sum is exact.
        let long = short + extra;
        let strategy = Crossover::new(short, long).unwrap();
        let signals: Vec<Signal> = strategy.signals(prices.iter().copied()).collect();
        prop_assert_eq!(&signals, &reference_signals(&prices, short, long));
        prop_assert!(signals.windows(2).all(|w| w[0].is_buy() != w[1].is_buy()));
    }

    #[test]
    fn sequential_and_parallel_grids_are_identical(
        tickers in 0usize..5, days in 0usize..200, seed in any::<u64>(),
    ) {
        let market = Market::generate(tickers, days, seed);
        let grid = Grid::new([2, 5, 10], [8, 20, 40]);
        let sequential = backtest_grid(&market, &grid);
        prop_assert_eq!(&backtest_grid_parallel(&market, &grid), &sequential);
        prop_assert_eq!(sequential.runs().len(), tickers * grid.len());
        prop_assert_eq!(sequential.best().len(), tickers);
    }

    #[test]
    fn csv_round_trip_is_exact(tickers in 0usize..4, days in 1usize..40, seed in any::<u64>()) {
        let market = Market::generate(tickers.max(1), days, seed);
        let mut bytes = Vec::new();
        market.write_csv(&mut bytes).unwrap();
        prop_assert_eq!(Market::read_csv(&bytes[..]).unwrap(), market);
    }
}

#[test]
fn generation_is_deterministic_and_positive() {
    let a = Market::generate(30, 300, 5);
    assert_eq!(a, Market::generate(30, 300, 5));
    assert_ne!(a, Market::generate(30, 300, 6));
    assert_eq!(a.len(), 30);
    assert_eq!(a.tickers()[26], "ACME2");
    for series in &a {
        assert_eq!(series.len(), 300);
        assert_eq!(series.dates.len(), 300);
        assert!(
            series
                .prices
                .iter()
                .all(|p| (MIN_PRICE..=MAX_PRICE).contains(p))
        );
        assert!((20.0..=200.0).contains(&series.prices[0]));
    }
}

#[test]
fn stream_is_endless_and_stays_in_its_band() {
    let wild = PriceStream::new(1.0, 5.0, 3.0, 9).unwrap();
    let prices: Vec<f64> = wild.take(200_000).collect();
    assert!(prices.iter().all(|&p| (MIN_PRICE..=MAX_PRICE).contains(&p)));
    assert!(prices.iter().any(|&p| p > 100_000.0));
    let cents = |p: f64| ((p * 100.0).round() / 100.0 - p).abs() < 1e-9;
    assert!(prices.iter().all(|&p| cents(p)));
    assert_eq!(PriceStream::seeded(1).size_hint(), (usize::MAX, None));
    assert_eq!(
        PriceStream::new(10.0, f64::INFINITY, 0.2, 1).unwrap_err(),
        StreamError::Drift(f64::INFINITY)
    );
}

#[test]
fn flat_stream_without_volatility_follows_its_drift() {
    let prices: Vec<f64> = PriceStream::new(100.0, 0.0, 0.0, 1)
        .unwrap()
        .take(10)
        .collect();
    assert_eq!(prices, [100.0; 10]);
}

#[test]
fn running_average_stays_accurate_over_a_long_stream() {
    let window = 7;
    let fast: Vec<f64> = PriceStream::seeded(4)
        .take(300_000)
        .moving_average(window)
        .collect();
    let slow: Vec<f64> = PriceStream::seeded(4)
        .take(300_000)
        .moving_average_naive(window)
        .collect();
    let worst = fast
        .iter()
        .zip(&slow)
        .map(|(a, b)| (a - b).abs() / b)
        .fold(0.0, f64::max);
    assert!(worst < 1e-12, "relative error {worst}");
}

#[test]
fn best_trade_edge_cases() {
    assert_eq!(best_trade(&[]), None);
    assert_eq!(best_trade(&[3.0]), None);
    assert_eq!(best_trade(&[3.0, 3.0]), None);
    assert_eq!(best_trade(&[f64::NAN, 1.0, 2.0]).unwrap().buy_day, 1);
    assert_eq!(best_trade_naive(&[f64::NAN, 1.0, 2.0]).unwrap().buy_day, 1);
    // Equal profits: the earliest sale, then the cheapest, then the earliest purchase.
    let t = best_trade(&[2.0, 1.0, 1.0, 2.0, 1.0, 2.0]).unwrap();
    assert_eq!((t.buy_day, t.sell_day), (1, 3));
}

#[test]
fn backtest_follows_the_signals_by_hand() {
    let prices = [
        5.0, 4.0, 3.0, 2.0, 3.0, 6.0, 7.0, 4.0, 2.0, 1.0, 3.0, 5.0, 6.0,
    ];
    let strategy = Crossover::new(2, 4).unwrap();
    let signals: Vec<Signal> = strategy.signals(prices).collect();
    assert_eq!(signals, reference_signals(&prices, 2, 4));
    let curve = equity_curve(&prices, strategy);
    // Buy at 6 on day 5, sell at 2 on day 8, buy again on day 11 at 5.
    let shares = 1000.0 / 6.0;
    assert_eq!(curve[5], shares * 6.0);
    assert_eq!(curve[7], shares * 4.0);
    let cash = shares * 2.0;
    assert_eq!(curve[9], cash);
    assert_eq!(curve[12], cash / 5.0 * 6.0);
    let outcome = backtest(&prices, strategy);
    assert_eq!(outcome.trades, 2);
    assert_eq!(outcome.final_equity, curve[12]);
    assert_eq!(backtest(&[], strategy).final_equity, STARTING_CASH);
}

#[test]
fn default_grid_and_best_runs() {
    let grid = Grid::default();
    assert_eq!(grid.len(), 174);
    assert!(grid.strategies().iter().all(|s| s.short() < s.long()));
    let market = Market::generate(3, 600, 12);
    let result = backtest_grid(&market, &grid);
    for (best, runs) in result.best().iter().zip(result.runs().chunks(grid.len())) {
        let top = runs.iter().map(|r| r.final_equity).fold(f64::MIN, f64::max);
        assert_eq!(best.final_equity, top);
        let first_top = runs.iter().find(|r| r.final_equity == top).unwrap();
        assert_eq!(best.strategy, first_top.strategy);
        assert_eq!(best.equity.last(), Some(&best.final_equity));
        let series = market.get(&best.ticker).unwrap();
        assert_eq!(best.buy_and_hold, 1000.0 * series.buy_and_hold());
    }
    let empty = backtest_grid(&market, &Grid::new([9], [3]));
    assert!(empty.runs().is_empty() && empty.best().is_empty());
    assert_eq!(backtest_grid_parallel(&market, &Grid::new([9], [3])), empty);
}

#[test]
fn csv_reads_other_column_orders_and_extra_columns() {
    let text = "Ticker, Close ,volume,DATE\nA,1.5,100,2024-01-02\nB,2,5,2024-01-02\n\nA,1.75,7,2024-01-03\n";
    let market = Market::read_csv(text.as_bytes()).unwrap();
    assert_eq!(market.tickers(), ["A", "B"]);
    assert_eq!(market.get("A").unwrap().prices, [1.5, 1.75]);
    // Numbered days compare as numbers.
    let days = "date,ticker,close\n9,X,1\n10,X,2\n";
    assert_eq!(
        Market::read_csv(days.as_bytes()).unwrap().series()[0].dates,
        ["9", "10"]
    );
    let unnamed = Market::new(vec![PriceSeries::new("X", vec![1.0, 2.0])]);
    let mut bytes = Vec::new();
    unnamed.write_csv(&mut bytes).unwrap();
    assert_eq!(
        String::from_utf8(bytes).unwrap(),
        "date,ticker,close\n0,X,1\n1,X,2\n"
    );
}

#[test]
fn csv_errors_name_the_line_and_the_problem() {
    let error = |text: &str| Market::read_csv(text.as_bytes()).unwrap_err();
    let header = "date,ticker,close\n";
    let cases = [
        (
            "date,close\n2024-01-01,3\n".to_string(),
            "the header has no \"ticker\" column (it needs date, ticker and close; found: date, close)",
        ),
        (
            format!("{header}2024-01-01,A,3\n2024-01-02,A\n"),
            "line 3: the close value is missing",
        ),
        (
            format!("{header}2024-01-01,,3\n"),
            "line 2: the ticker value is missing",
        ),
        (
            format!("{header}2024-01-01,A,3\n2024-01-02,A,abc\n"),
            "line 3: the close price \"abc\" is not a number",
        ),
        (
            format!("{header}2024-01-01,A,NaN\n"),
            "line 2: the close price \"NaN\" is not a number",
        ),
        (
            format!("{header}2024-01-01,A,-4.5\n"),
            "line 2: the close price -4.5 is not positive",
        ),
        (
            format!("{header}2024-01-01,A,0\n"),
            "line 2: the close price 0 is not positive",
        ),
        (
            format!("{header}2024-01-02,A,3\n2024-01-02,B,3\n2024-01-01,A,3\n"),
            "line 4: A on 2024-01-01 does not come after 2024-01-02 \
             (each ticker's rows must be in date order)",
        ),
        (
            header.to_string(),
            "there are no price rows after the header",
        ),
        (
            String::new(),
            "the header has no \"date\" column (it needs date, ticker and close; found: )",
        ),
    ];
    for (text, message) in cases {
        assert_eq!(error(&text).to_string(), message, "{text:?}");
    }
    let bad_utf8 = b"date,ticker,close\n2024-01-01,\xff\xfe,3\n";
    let error = Market::read_csv(&bad_utf8[..]).unwrap_err();
    assert!(
        matches!(error, LoadError::Malformed { line: 2, .. }),
        "{error}"
    );
    assert_eq!(error.to_string(), "line 2: field 2 is not valid UTF-8 text");
}

#[test]
fn csv_file_errors_name_the_file() {
    let error = Market::load_csv("/definitely/missing/prices.csv").unwrap_err();
    assert!(error.to_string().contains("/definitely/missing/prices.csv"));
    assert!(std::error::Error::source(&error).is_some());
}

#[test]
fn exponent_fit_recovers_power_laws() {
    let cubic = [1.0, 2.0, 4.0, 8.0].map(|n: f64| (n, 3.0 * n.powi(3)));
    assert!((fit_exponent(cubic).unwrap() - 3.0).abs() < 1e-12);
    assert_eq!(fit_exponent([(5.0, 1.0), (5.0, 2.0)]), None);
    assert_eq!(fit_exponent([(0.0, 1.0), (-1.0, 2.0)]), None);
}

#[test]
fn complexity_report_shows_two_growth_rates() {
    let report = complexity_table(&[1000, 2000, 4000]);
    let naive = report.naive_exponent().unwrap();
    let linear = report.linear_exponent().unwrap();
    assert!(naive > linear + 0.4, "naive {naive}, linear {linear}");
    assert!(report.verdict().contains("naive ≈ n^"));
}

#[test]
fn everything_renders() {
    let market = Market::generate(3, 300, 2);
    let result = backtest_grid(&market, &Grid::new([5, 10], [20, 50]));
    let bundle = result.mime_bundle();
    assert!(bundle.get("text/html").unwrap().contains("<svg"));
    assert!(bundle.get("text/plain").unwrap().contains("best short"));
    assert!(
        market
            .mime_bundle()
            .get("text/html")
            .unwrap()
            .contains("BOLT")
    );
    let series = market.series()[0].mime_bundle();
    assert!(series.get("image/svg+xml").is_some());
    assert!(
        series
            .get("text/plain")
            .unwrap()
            .starts_with("ACME: 300 days, from ")
    );
    let trade = market.series()[0].best_trade().unwrap().mime_bundle();
    assert!(trade.get("text/html").unwrap().contains("Buy on day"));
    let chart = Crossover::new(5, 20).unwrap().chart(&market.series()[1]);
    assert!(chart.to_svg().unwrap().contains("#2CA02C")); // a green buy line
    let report = TradeComplexity {
        rows: vec![SizeTiming {
            n: 10,
            naive: None,
            linear: std::time::Duration::from_micros(3),
        }],
    };
    let text = report.mime_bundle().plain_text();
    assert!(text.contains("skipped") && text.contains("n^?"), "{text}");
}
