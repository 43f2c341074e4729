"""The course's Nilakantha sums for pi in Python, timed.

Usage: python3 nilakantha.py [--workers W] [--terms-per-worker N]
                             [--decimal-workers W] [--decimal-terms-per-worker N]
                             [--decimals D] [--runs R] [--no-parallel]

pi = 3 + 4/(2*3*4) - 4/(4*5*6) + 4/(6*7*8) - ...

The sum is split as in the course: worker i adds N consecutive terms,
starting at k = 2*i*N + 2. Four versions are timed (median of R runs):

- the float loop, partial sums one after the other;
- the same partial sums in a multiprocessing.Pool of W processes;
- the decimal-module loop at D decimal places (plus guard digits), one
  after the other;
- the decimal partial sums in a multiprocessing.Pool.

Nothing is checked here: the caller compares the values with its own.

The last line of output is one JSON object; "seconds" is the sequential
float loop, the other times are "float_parallel_seconds",
"decimal_seconds" and "decimal_parallel_seconds" (null with --no-parallel),
with the values computed ("float_value", "decimal_value", a string cut to
D decimal places) and "processes" (the CPU count).
"""

import argparse
import json
import multiprocessing
import os
import statistics
import time
from decimal import ROUND_DOWN, Decimal, localcontext

# Extra significant digits carried by the decimal sums, dropped at the end.
GUARD_DIGITS = 20


def partial_sum_float(first_k, count):
    """Adds `count` terms in floats, from term k = first_k (even, >= 2)."""
    total = 0.0
    sign = 4.0 if (first_k // 2) % 2 == 1 else -4.0
    k = float(first_k)
    for _ in range(count):
        total += sign / (k * (k + 1.0) * (k + 2.0))
        sign = -sign
        k += 2.0
    return total


def partial_sum_decimal(first_k, count, precision):
    """Adds `count` terms with the decimal module at `precision` significant digits."""
    with localcontext() as context:
        context.prec = precision
        total = Decimal(0)
        four = Decimal(4)
        sign_added = (first_k // 2) % 2 == 1
        k = first_k
        for _ in range(count):
            term = four / (k * (k + 1) * (k + 2))
            if sign_added:
                total += term
            else:
                total -= term
            sign_added = not sign_added
            k += 2
        return total


def starts(workers, count):
    """The first k of every worker."""
    return [2 * worker * count + 2 for worker in range(workers)]


def pi_float(workers, count, pool=None):
    jobs = [(first_k, count) for first_k in starts(workers, count)]
    if pool is None:
        partials = [partial_sum_float(*job) for job in jobs]
    else:
        partials = pool.starmap(partial_sum_float, jobs)
    return 3.0 + sum(partials)


def pi_decimal(workers, count, decimals, pool=None):
    precision = decimals + 1 + GUARD_DIGITS
    jobs = [(first_k, count, precision) for first_k in starts(workers, count)]
    if pool is None:
        partials = [partial_sum_decimal(*job) for job in jobs]
    else:
        partials = pool.starmap(partial_sum_decimal, jobs)
    with localcontext() as context:
        context.prec = precision
        total = Decimal(3) + sum(partials, Decimal(0))
        return total.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_DOWN)


def with_pool(workers, work):
    """Runs work(pool) in a fresh pool of `workers` processes (its start-up counts)."""
    with multiprocessing.Pool(processes=workers) as pool:
        return work(pool)


def median_seconds(runs, work):
    """The median wall-clock time of `runs` calls of work(), and its last result."""
    times = []
    result = None
    for _ in range(max(1, runs)):
        began = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=6)
    parser.add_argument("--terms-per-worker", type=int, default=10_000_000)
    parser.add_argument("--decimal-workers", type=int, default=6)
    parser.add_argument("--decimal-terms-per-worker", type=int, default=500_000)
    parser.add_argument("--decimals", type=int, default=50)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--no-parallel", action="store_true")
    args = parser.parse_args()

    w, n = args.workers, args.terms_per_worker
    dw, dn, d = args.decimal_workers, args.decimal_terms_per_worker, args.decimals

    float_seconds, float_value = median_seconds(args.runs, lambda: pi_float(w, n))
    decimal_seconds, decimal_value = median_seconds(
        args.runs, lambda: pi_decimal(dw, dn, d))
    float_parallel = decimal_parallel = None
    if not args.no_parallel:
        float_parallel, _ = median_seconds(
            args.runs, lambda: with_pool(w, lambda pool: pi_float(w, n, pool)))
        decimal_parallel, _ = median_seconds(
            args.runs, lambda: with_pool(dw, lambda pool: pi_decimal(dw, dn, d, pool)))

    print(json.dumps({
        "seconds": float_seconds,
        "float_parallel_seconds": float_parallel,
        "decimal_seconds": decimal_seconds,
        "decimal_parallel_seconds": decimal_parallel,
        "float_value": float_value,
        "decimal_value": str(decimal_value),
        "float_terms": w * n,
        "decimal_terms": dw * dn,
        "decimals": d,
        "runs": max(1, args.runs),
        "processes": os.cpu_count(),
    }))


if __name__ == "__main__":
    main()
