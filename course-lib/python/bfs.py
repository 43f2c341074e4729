"""The course's breadth-first searches in Python, timed on a graph file.

Usage: python3 bfs.py GRAPH.json [--runs N] [--naive-runs N] [--start NODE]

The graph is a JSON object {"node": [children, ...], ...} (node numbers as
string keys), as written by the Rust `Graph::save`. Both searches run from
the start node (1 by default); each is timed as the median of several runs.
Nothing is checked here: the caller compares `order_len` with its own.

The last line of output is one JSON object:
{"seconds": <improved, median>, "naive_seconds": <naive, median>,
 "order_len": <nodes visited>, "runs": N, "naive_runs": N}
"""

import argparse
import json
import statistics
import time
from collections import deque


def bfs_naive(graph, start):
    """A list as the queue (pop(0) shifts everything) and a list as the visited set."""
    queue = [start]
    visited = [start]
    while queue:
        node = queue.pop(0)
        for child in graph.get(node, ()):
            if child not in visited:
                visited.append(child)
                queue.append(child)
    return visited


def bfs_improved(graph, start):
    """A deque as the queue and a set of visited nodes."""
    queue = deque([start])
    visited = {start}
    order = []
    while queue:
        node = queue.popleft()
        order.append(node)
        for child in graph.get(node, ()):
            if child not in visited:
                visited.add(child)
                queue.append(child)
    return order


def median_seconds(runs, search, graph, start):
    """The median wall-clock time of `runs` calls, and the last result."""
    times = []
    result = None
    for _ in range(max(1, runs)):
        began = time.perf_counter()
        result = search(graph, start)
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph", help="graph file in JSON")
    parser.add_argument("--runs", type=int, default=51, help="runs of the improved search")
    parser.add_argument("--naive-runs", type=int, default=3, help="runs of the naive search")
    parser.add_argument("--start", type=int, default=1, help="the node to start from")
    args = parser.parse_args()

    with open(args.graph, encoding="utf-8") as file:
        graph = {int(node): children for node, children in json.load(file).items()}

    seconds, order = median_seconds(args.runs, bfs_improved, graph, args.start)
    naive_seconds, _ = median_seconds(args.naive_runs, bfs_naive, graph, args.start)
    print(json.dumps({
        "seconds": seconds,
        "naive_seconds": naive_seconds,
        "order_len": len(order),
        "runs": max(1, args.runs),
        "naive_runs": max(1, args.naive_runs),
    }))


if __name__ == "__main__":
    main()
