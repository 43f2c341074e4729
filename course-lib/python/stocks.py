"""The Python approach to mini-project 1 (stock investment), for comparison.

Reads prices in long CSV format (date,ticker,close), as written by the Rust
benchmark, and measures:

- the best single trade: the naive double loop and the single pass, on the
  first n prices of the --trades file, for each n given;
- the back-test of the moving-average crossover over a grid of windows on
  every ticker of the --market file, one run after the other, with the same
  generators (running-sum moving average, crossover signals) as the Rust code,
  so the results are identical to the last bit.

Prints a few readable lines, then one JSON line with every figure.
"""

import argparse
import csv
import json
import math
import time
from itertools import islice

STARTING_CASH = 1000.0


def read_market(path):
    """Ticker -> list of closing prices, in the order of the file."""
    market = {}
    with open(path, newline="") as file:
        for row in csv.DictReader(file):
            market.setdefault(row["ticker"], []).append(float(row["close"]))
    return market


def better(profit, sell_day, buy, buy_day, best):
    """Larger profit, then earlier sale, then cheaper purchase, then earlier purchase."""
    if best is None:
        return True
    if profit != best[0]:
        return profit > best[0]
    return (sell_day, buy, buy_day) < (best[1], best[2], best[3])


def best_trade_naive(prices):
    """Every (buy, sell) pair: O(n^2). Returns (profit, sell_day, buy, buy_day) or None."""
    best = None
    for sell_day in range(1, len(prices)):
        sell = prices[sell_day]
        for buy_day in range(sell_day):
            buy = prices[buy_day]
            profit = sell - buy
            if profit > 0.0 and better(profit, sell_day, buy, buy_day, best):
                best = (profit, sell_day, buy, buy_day)
    return best


def best_trade(prices):
    """One pass keeping the cheapest price so far: O(n)."""
    best = None
    cheapest = None
    for day, price in enumerate(prices):
        if cheapest is not None:
            buy = prices[cheapest]
            profit = price - buy
            if profit > 0.0 and better(profit, day, buy, cheapest, best):
                best = (profit, day, buy, cheapest)
        if (cheapest is None or price < prices[cheapest]) and price == price:
            cheapest = day
    return best


def moving_average(prices, window):
    """Running-sum moving average; the sum is recomputed every `window` steps."""
    it = iter(prices)
    buffer = []
    total = 0.0
    for price in it:
        buffer.append(price)
        total += price
        if len(buffer) == window:
            break
    else:
        return
    yield total / window
    oldest = 0
    for price in it:
        leaving = buffer[oldest]
        buffer[oldest] = price
        total += price - leaving
        oldest += 1
        if oldest == window:
            oldest = 0
            total = 0.0
            for value in buffer:
                total += value
        yield total / window


def signals(prices, short, long):
    """("buy" | "sell", day, price) each time the short average crosses the long one."""
    short_averages = islice(moving_average(prices, short), long - short, None)
    long_averages = moving_average(prices, long)
    days = islice(enumerate(prices), long - 1, None)
    yesterday = None
    for (day, price), s, l in zip(days, short_averages, long_averages):
        above = s > l
        if yesterday is False and above:
            yield ("buy", day, price)
        elif yesterday is True and not above:
            yield ("sell", day, price)
        yesterday = above


def backtest(prices, short, long):
    """All in on a buy, all out on a sell; returns (final equity, buys)."""
    cash, shares, trades, equity = STARTING_CASH, 0.0, 0, STARTING_CASH
    pending = signals(prices, short, long)
    upcoming = next(pending, None)
    for day, price in enumerate(prices):
        if upcoming is not None and upcoming[1] == day:
            kind = upcoming[0]
            upcoming = next(pending, None)
            if kind == "buy" and shares == 0.0 and price > 0.0 and math.isfinite(price):
                shares = cash / price
                cash = 0.0
                trades += 1
            elif kind == "sell" and shares > 0.0:
                cash = shares * price
                shares = 0.0
        equity = cash + shares * price
    return equity, trades


def grid(shorts, longs):
    return [(s, l) for s in shorts for l in longs if 0 < s < l]


def backtest_grid(market, pairs):
    """Ticker -> (short, long, final equity, buys) of its best pair (first on ties)."""
    best = {}
    for ticker, prices in market.items():
        top = None
        for short, long in pairs:
            equity, trades = backtest(prices, short, long)
            if top is None or equity > top[2]:
                top = (short, long, equity, trades)
        best[ticker] = top
    return best


def time_per_call(work, *args):
    """Seconds per call: batches of at least 20 ms, median of three (one run if slow)."""
    calls = 1
    while True:
        started = time.perf_counter()
        for _ in range(calls):
            work(*args)
        elapsed = time.perf_counter() - started
        if elapsed >= 0.02:
            break
        calls *= 2
    if elapsed > 0.5:
        return elapsed / calls
    times = [elapsed]
    for _ in range(2):
        started = time.perf_counter()
        for _ in range(calls):
            work(*args)
        times.append(time.perf_counter() - started)
    return sorted(times)[1] / calls


def sizes(text):
    return [int(part) for part in text.split(",") if part]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trades", required=True, help="CSV with one long series")
    parser.add_argument("--naive-sizes", type=sizes, default=[1000, 2000, 4000])
    parser.add_argument("--linear-sizes", type=sizes, default=[1000, 10000, 100000])
    parser.add_argument("--market", required=True, help="CSV of the back-tested tickers")
    parser.add_argument("--shorts", type=sizes, required=True)
    parser.add_argument("--longs", type=sizes, required=True)
    args = parser.parse_args()

    prices = next(iter(read_market(args.trades).values()))
    naive = []
    for n in args.naive_sizes:
        seconds = time_per_call(best_trade_naive, prices[:n])
        trade = best_trade_naive(prices[:n])
        naive.append({"n": n, "seconds": seconds, "buy_day": trade[3], "sell_day": trade[1]})
        print(f"naive double loop, n = {n}: {seconds * 1e3:.2f} ms")
    linear = []
    for n in args.linear_sizes:
        seconds = time_per_call(best_trade, prices[:n])
        trade = best_trade(prices[:n])
        linear.append({"n": n, "seconds": seconds, "buy_day": trade[3], "sell_day": trade[1]})
        print(f"single pass, n = {n}: {seconds * 1e3:.3f} ms")

    market = read_market(args.market)
    pairs = grid(args.shorts, args.longs)
    started = time.perf_counter()
    best = backtest_grid(market, pairs)
    backtest_seconds = time.perf_counter() - started
    days = sum(len(p) for p in market.values())
    print(
        f"back-test of {len(pairs)} pairs on {len(market)} tickers ({days} prices): "
        f"{backtest_seconds:.2f} s"
    )

    result = {
        "seconds": backtest_seconds,
        "naive": naive,
        "linear": linear,
        "backtest": {
            "seconds": backtest_seconds,
            "runs": len(pairs) * len(market),
            "best": [
                [ticker, short, long, repr(equity), trades]
                for ticker, (short, long, equity, trades) in best.items()
            ],
        },
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
