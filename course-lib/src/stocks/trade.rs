//! Part 1: the best single buy-then-sell trade, in O(n²) and in O(n).

use std::fmt;

/// One buy followed by one sell of the same stock.
///
/// ```
/// use course_lib::stocks::best_trade;
///
/// let trade = best_trade(&[7.0, 1.0, 5.0, 3.0, 6.0, 4.0]).unwrap();
/// assert_eq!((trade.buy_day, trade.sell_day), (1, 4));
/// assert_eq!((trade.buy, trade.sell, trade.profit), (1.0, 6.0, 5.0));
/// assert_eq!(trade.to_string(), "buy on day 1 at 1, sell on day 4 at 6: profit 5");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Trade {
    /// The day of the purchase (index into the prices).
    pub buy_day: usize,
    /// The day of the sale, always after `buy_day`.
    pub sell_day: usize,
    /// The price paid.
    pub buy: f64,
    /// The price received.
    pub sell: f64,
    /// `sell - buy`, always above zero.
    pub profit: f64,
}

impl Trade {
    /// The trade buying on `buy_day` and selling on `sell_day`.
    fn between(prices: &[f64], buy_day: usize, sell_day: usize) -> Trade {
        let (buy, sell) = (prices[buy_day], prices[sell_day]);
        Trade {
            buy_day,
            sell_day,
            buy,
            sell,
            profit: sell - buy,
        }
    }

    /// Whether this trade is preferred to `other`: a larger profit; for equal
    /// profits an earlier sell day; then a lower buy price; then an earlier
    /// buy day. This is the rule both [`best_trade_naive`] and
    /// [`best_trade`] follow, so they always return the same trade.
    ///
    /// ```
    /// use course_lib::stocks::best_trade;
    ///
    /// // Two trades earn 2: (day 0 → day 1) and (day 2 → day 3). The earlier sale wins.
    /// let trade = best_trade(&[1.0, 3.0, 1.0, 3.0]).unwrap();
    /// assert_eq!((trade.buy_day, trade.sell_day), (0, 1));
    /// ```
    pub fn beats(&self, other: &Trade) -> bool {
        if self.profit != other.profit {
            return self.profit > other.profit;
        }
        (self.sell_day, self.buy, self.buy_day) < (other.sell_day, other.buy, other.buy_day)
    }

    /// What the trade returns per unit invested (1.25 means +25%).
    ///
    /// ```
    /// let trade = course_lib::stocks::best_trade(&[4.0, 5.0]).unwrap();
    /// assert_eq!(trade.ratio(), 1.25);
    /// ```
    pub fn ratio(&self) -> f64 {
        self.sell / self.buy
    }
}

impl fmt::Display for Trade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "buy on day {} at {}, sell on day {} at {}: profit {}",
            self.buy_day, self.buy, self.sell_day, self.sell, self.profit
        )
    }
}

/// Keeps `candidate` if it is profitable and preferred to the current best.
fn keep_better(best: &mut Option<Trade>, candidate: Trade) {
    // `profit > 0.0` is false for NaN, so days with NaN prices never trade.
    if candidate.profit > 0.0 && best.as_ref().is_none_or(|best| candidate.beats(best)) {
        *best = Some(candidate);
    }
}

/// The best trade by trying every (buy day, sell day) pair: O(n²).
///
/// For n days there are n·(n−1)/2 pairs, so doubling the days makes this
/// four times slower. Returns `None` when there are fewer than two days or
/// no pair makes a profit; ties are broken as [`Trade::beats`] says.
///
/// ```
/// use course_lib::stocks::{best_trade, best_trade_naive};
///
/// let prices = [3.0, 8.0, 2.0, 9.0, 1.0];
/// let trade = best_trade_naive(&prices).unwrap();
/// assert_eq!((trade.buy_day, trade.sell_day, trade.profit), (2, 3, 7.0));
/// assert_eq!(best_trade(&prices), Some(trade));
/// assert_eq!(best_trade_naive(&[5.0]), None);
/// assert_eq!(best_trade_naive(&[5.0, 5.0, 4.0]), None);
/// ```
pub fn best_trade_naive(prices: &[f64]) -> Option<Trade> {
    let mut best = None;
    for sell_day in 1..prices.len() {
        for buy_day in 0..sell_day {
            keep_better(&mut best, Trade::between(prices, buy_day, sell_day));
        }
    }
    best
}

/// The best trade in one pass over the prices: O(n).
///
/// The best sale on day `d` buys at the lowest price seen before `d`. So one
/// pass keeps the lowest price so far (and its first day) and, on each day,
/// compares selling today with the best trade found so far. Returns exactly
/// what [`best_trade_naive`] returns, ties included (see [`Trade::beats`]).
///
/// ```
/// use course_lib::stocks::{best_trade, PriceStream};
///
/// let prices: Vec<f64> = PriceStream::seeded(3).take(1_000_000).collect();
/// let trade = best_trade(&prices).unwrap();
/// assert!(trade.buy_day < trade.sell_day);
/// assert_eq!(trade.profit, prices[trade.sell_day] - prices[trade.buy_day]);
/// ```
pub fn best_trade(prices: &[f64]) -> Option<Trade> {
    let mut best = None;
    let mut cheapest: Option<usize> = None;
    for (day, &price) in prices.iter().enumerate() {
        if let Some(buy_day) = cheapest {
            keep_better(&mut best, Trade::between(prices, buy_day, day));
        }
        // Strictly lower: among equal prices the first day stays (a NaN never enters).
        if cheapest.is_none_or(|buy_day| price < prices[buy_day]) && !price.is_nan() {
            cheapest = Some(day);
        }
    }
    best
}
