//! Timing the search variants against each other, for notebooks and benchmarks.

use std::time::{Duration, Instant};

use super::{
    COURSE_START, CompactGraph, Graph, bfs_fast, bfs_fast_early_stop, bfs_improved, bfs_naive,
};
use crate::lab::{Chart, Table};

/// One way of running the breadth-first search, for timing comparisons.
///
/// ```
/// use course_lib::bfs::{BfsVariant, Graph};
///
/// let graph = Graph::course(50, 1);
/// let orders: Vec<Vec<u32>> = BfsVariant::ALL.iter().map(|v| v.run(&graph, 1)).collect();
/// assert!(orders.windows(2).all(|pair| pair[0] == pair[1]));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BfsVariant {
    /// [`bfs_naive`]: `Vec` queue and `Vec` visited list.
    Naive,
    /// [`bfs_improved`]: `VecDeque` queue and `HashSet` visited set.
    Improved,
    /// [`bfs_fast`] on a [`CompactGraph`] built beforehand (search time only).
    Fast,
    /// [`bfs_fast_early_stop`] on a [`CompactGraph`] built beforehand (search time only).
    FastEarlyStop,
    /// [`bfs_fast`] including the time to build the [`CompactGraph`].
    FastWithBuild,
}

impl BfsVariant {
    /// Every variant, slowest first.
    ///
    /// ```
    /// assert_eq!(course_lib::bfs::BfsVariant::ALL.len(), 5);
    /// ```
    pub const ALL: [BfsVariant; 5] = [
        BfsVariant::Naive,
        BfsVariant::Improved,
        BfsVariant::Fast,
        BfsVariant::FastEarlyStop,
        BfsVariant::FastWithBuild,
    ];

    /// A short name for tables and charts.
    ///
    /// ```
    /// assert_eq!(course_lib::bfs::BfsVariant::Fast.name(), "fast (CSR)");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            BfsVariant::Naive => "naive (Vec + contains)",
            BfsVariant::Improved => "improved (VecDeque + HashSet)",
            BfsVariant::Fast => "fast (CSR)",
            BfsVariant::FastEarlyStop => "fast (CSR) + early stop",
            BfsVariant::FastWithBuild => "fast (CSR) + building the CSR",
        }
    }

    /// Runs this variant from `start` and returns the visit order.
    ///
    /// For the fast variants this builds the [`CompactGraph`] too; to time
    /// the search alone, [`time_variants`] builds it outside the timed part.
    ///
    /// ```
    /// use course_lib::bfs::{BfsVariant, Graph};
    ///
    /// let graph = Graph::from_iter([(1, vec![2]), (2, vec![3])]);
    /// assert_eq!(BfsVariant::Improved.run(&graph, 1), [1, 2, 3]);
    /// ```
    pub fn run(self, graph: &Graph, start: u32) -> Vec<u32> {
        match self {
            BfsVariant::Naive => bfs_naive(graph, start),
            BfsVariant::Improved => bfs_improved(graph, start),
            BfsVariant::Fast | BfsVariant::FastWithBuild => {
                bfs_fast(&CompactGraph::from(graph), start)
            }
            BfsVariant::FastEarlyStop => bfs_fast_early_stop(&CompactGraph::from(graph), start),
        }
    }
}

/// Runs `work` `runs` times (at least once) and returns the median duration.
///
/// The median ignores the occasional slow run (another program was busy, the
/// cache was cold) better than the mean does.
///
/// ```
/// use course_lib::bfs::median_time;
///
/// let time = median_time(5, || (1..=1000u64).sum::<u64>());
/// assert!(time.as_secs() < 1);
/// ```
pub fn median_time<R>(runs: usize, mut work: impl FnMut() -> R) -> Duration {
    let mut times: Vec<Duration> = (0..runs.max(1))
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(work());
            started.elapsed()
        })
        .collect();
    times.sort_unstable();
    times[times.len() / 2]
}

/// Times every variant on `graph`, searching from node 1, and returns the
/// median of `runs` runs for each, in the order of [`BfsVariant::ALL`].
///
/// ```
/// use course_lib::bfs::{time_variants, BfsVariant, Graph};
///
/// let times = time_variants(&Graph::course(60, 1), 3);
/// assert_eq!(times.len(), 5);
/// assert_eq!(times[0].0, BfsVariant::Naive);
/// ```
pub fn time_variants(graph: &Graph, runs: usize) -> Vec<(BfsVariant, Duration)> {
    time_selected(graph, runs, &BfsVariant::ALL)
}

/// Times the given variants (see [`time_variants`]).
fn time_selected(
    graph: &Graph,
    runs: usize,
    variants: &[BfsVariant],
) -> Vec<(BfsVariant, Duration)> {
    let compact = CompactGraph::from(graph);
    variants
        .iter()
        .map(|&variant| {
            let time = match variant {
                BfsVariant::Fast => median_time(runs, || bfs_fast(&compact, COURSE_START)),
                BfsVariant::FastEarlyStop => {
                    median_time(runs, || bfs_fast_early_stop(&compact, COURSE_START))
                }
                other => median_time(runs, || other.run(graph, COURSE_START)),
            };
            (variant, time)
        })
        .collect()
}

/// Milliseconds in a duration, as a float.
fn millis(time: Duration) -> f64 {
    time.as_secs_f64() * 1e3
}

/// Times every variant on `graph` and returns a table: variant, median time
/// in milliseconds, and speed-up compared with the naive version.
///
/// ```
/// use course_lib::prelude::*;
/// use course_lib::bfs::{timing_table, Graph};
///
/// let table = timing_table(&Graph::course(100, 42), 3);
/// assert_eq!(table.len(), 5);
/// assert!(table.to_text().contains("speed-up"));
/// display(&table);
/// ```
pub fn timing_table(graph: &Graph, runs: usize) -> Table {
    let times = time_variants(graph, runs);
    let naive = millis(times[0].1);
    Table::new()
        .caption(format!(
            "BFS from node {COURSE_START}: {} nodes, {} edges, median of {} runs",
            graph.node_count(),
            graph.edge_count(),
            runs.max(1)
        ))
        .headers(["variant", "median time (ms)", "speed-up vs naive"])
        .rows(times.iter().map(|&(variant, time)| {
            let ms = millis(time);
            (
                variant.name(),
                format!("{ms:.4}"),
                format!("{:.1}×", naive / ms.max(1e-9)),
            )
        }))
}

/// Above this many edges [`scaling_chart`] leaves out the naive variant,
/// whose time grows like edges × nodes.
///
/// ```
/// assert_eq!(course_lib::bfs::NAIVE_EDGE_LIMIT, 2_000_000);
/// ```
pub const NAIVE_EDGE_LIMIT: usize = 2_000_000;

/// Draws how the median search time of each variant grows with the size of
/// the course graph, on log-log axes (x: edges, y: milliseconds).
///
/// One course graph is generated per entry of `sizes` (its number of nodes,
/// with `seed`). On log-log axes a time proportional to edges^p is a straight
/// line of slope p. The naive variant is left out on graphs with more than
/// [`NAIVE_EDGE_LIMIT`] edges.
///
/// ```
/// use course_lib::prelude::*;
/// use course_lib::bfs::scaling_chart;
///
/// let chart = scaling_chart(&[30, 60, 120], 1, 3);
/// assert!(chart.to_svg().unwrap().contains("naive"));
/// display(&chart);
/// ```
pub fn scaling_chart(sizes: &[u32], seed: u64, runs: usize) -> Chart {
    let mut series: Vec<Vec<(f64, f64)>> = vec![Vec::new(); BfsVariant::ALL.len()];
    for &n in sizes {
        let graph = Graph::course(n, seed);
        let edges = graph.edge_count();
        let variants: Vec<BfsVariant> = BfsVariant::ALL
            .into_iter()
            .filter(|&v| v != BfsVariant::Naive || edges <= NAIVE_EDGE_LIMIT)
            .collect();
        for (variant, time) in time_selected(&graph, runs, &variants) {
            let slot = BfsVariant::ALL.iter().position(|&v| v == variant);
            if let Some(slot) = slot {
                series[slot].push((edges.max(1) as f64, millis(time).max(1e-6)));
            }
        }
    }
    let mut chart = Chart::new("BFS time against graph size")
        .x_label("edges")
        .y_label("median time")
        .y_time(Duration::from_millis(1));
    for (variant, points) in BfsVariant::ALL.iter().zip(series) {
        chart = chart.line(variant.name(), points);
    }
    chart.log_log()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_picks_the_middle_run() {
        let mut calls = 0;
        let time = median_time(0, || calls += 1);
        assert_eq!(calls, 1);
        assert!(time < Duration::from_secs(1));
    }

    #[test]
    fn table_lists_every_variant_with_naive_at_one() {
        let table = timing_table(&Graph::course(80, 5), 1);
        let text = table.to_text();
        for variant in BfsVariant::ALL {
            assert!(text.contains(variant.name()), "{text}");
        }
        assert!(text.contains("1.0×"), "{text}");
    }

    #[test]
    fn fast_beats_naive_on_the_course_graph() {
        let times = time_variants(&Graph::course(1000, 7), 3);
        let naive = times[0].1;
        let fast = times[2].1;
        assert!(fast * 5 < naive, "naive {naive:?}, fast {fast:?}");
    }
}
