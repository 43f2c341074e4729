//! `course bfs`: the visit order of a graph file, or the timings of every
//! search on a generated course graph.
//!
//! ```text
//! course bfs --graph graph.json                 # one node per line, from node 1
//! course bfs --graph graph.json --variant naive
//! course bfs --nodes 1000 --seed 2024           # timing table
//! ```

use std::error::Error;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{ArgGroup, ValueEnum};
use course_lib::bfs::{
    BfsVariant, COURSE_START, CompactGraph, Graph, NAIVE_EDGE_LIMIT, bfs_fast, bfs_fast_early_stop,
    bfs_improved, bfs_naive, median_time,
};
use course_lib::lab::Table;

/// The largest generated graph: about n²/6 edges, so 20,000 nodes is about
/// 67 million edges (a quarter of a gigabyte of child lists).
const MAX_NODES: u32 = 20_000;

/// The arguments of `course bfs`.
#[derive(clap::Args, Debug)]
#[command(group(ArgGroup::new("input").required(true).args(["graph", "nodes"])))]
pub struct Args {
    /// Graph file in JSON: {"1": [2, 3], "2": [], ...} (node numbers as keys, lists of children)
    #[arg(long, value_name = "FILE.json")]
    graph: Option<PathBuf>,

    /// Which search to run on --graph (all three give the same order)
    #[arg(long, value_enum, default_value_t = Variant::Fast, requires = "graph")]
    variant: Variant,

    /// Generate the course's random graph with N nodes and time every search on it
    #[arg(long, value_name = "N", conflicts_with = "graph")]
    nodes: Option<u32>,

    /// Seed of the generated graph (same seed, same graph)
    #[arg(long, default_value_t = 2024, requires = "nodes")]
    seed: u64,

    /// Runs of each search on the generated graph; the median is shown
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=10_000), requires = "nodes")]
    runs: u32,

    /// The node the search starts from
    #[arg(long, value_name = "NODE", default_value_t = COURSE_START)]
    start: u32,
}

/// The searches that can print an order.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Variant {
    /// A Vec as the queue, a Vec as the visited set
    Naive,
    /// A VecDeque as the queue, a HashSet as the visited set
    Improved,
    /// A compact (CSR) copy of the graph and a Vec<bool> of visited nodes
    Fast,
}

/// Runs `course bfs`.
pub fn run(args: Args) -> Result<ExitCode, Box<dyn Error>> {
    match (&args.graph, args.nodes) {
        (Some(path), _) => print_order(path, args.variant, args.start),
        (None, Some(nodes)) => print_timings(nodes, args.seed, args.runs as usize, args.start),
        // clap requires one of the two.
        (None, None) => Err("give --graph FILE.json or --nodes N".into()),
    }
}

/// Prints the visit order of the graph in `path`, one node per line.
fn print_order(path: &Path, variant: Variant, start: u32) -> Result<ExitCode, Box<dyn Error>> {
    let graph = Graph::load(path)?;
    let order = match variant {
        Variant::Naive => bfs_naive(&graph, start),
        Variant::Improved => bfs_improved(&graph, start),
        Variant::Fast => bfs_fast(&CompactGraph::from(&graph), start),
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    for node in order {
        writeln!(out, "{node}")?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Generates the course graph and prints the median time of every search.
fn print_timings(
    nodes: u32,
    seed: u64,
    runs: usize,
    start: u32,
) -> Result<ExitCode, Box<dyn Error>> {
    if nodes > MAX_NODES {
        return Err(format!(
            "--nodes {nodes} is too large: at most {MAX_NODES} (a course graph has about n²/6 edges)"
        )
        .into());
    }
    let graph = Graph::course(nodes, seed);
    let edges = graph.edge_count();
    let compact = CompactGraph::from(&graph);
    let order_len = bfs_fast(&compact, start).len();

    let mut naive = None;
    let mut table = Table::new().headers(["variant", "median time (ms)", "speed-up vs naive"]);
    for variant in BfsVariant::ALL {
        let time = match variant {
            BfsVariant::Naive if edges > NAIVE_EDGE_LIMIT => {
                table.push_row([
                    variant.name().to_string(),
                    format!("skipped (more than {NAIVE_EDGE_LIMIT} edges)"),
                    String::new(),
                ]);
                continue;
            }
            BfsVariant::Naive => median_time(runs, || bfs_naive(&graph, start)),
            BfsVariant::Improved => median_time(runs, || bfs_improved(&graph, start)),
            BfsVariant::Fast => median_time(runs, || bfs_fast(&compact, start)),
            BfsVariant::FastEarlyStop => median_time(runs, || bfs_fast_early_stop(&compact, start)),
            BfsVariant::FastWithBuild => {
                median_time(runs, || bfs_fast(&CompactGraph::from(&graph), start))
            }
        };
        if variant == BfsVariant::Naive {
            naive = Some(time);
        }
        let speed_up = naive.map_or(String::new(), |naive| {
            format!("{:.1}×", millis(naive) / millis(time).max(1e-9))
        });
        table.push_row([
            variant.name().to_string(),
            format!("{:.4}", millis(time)),
            speed_up,
        ]);
    }

    let mut out = BufWriter::new(std::io::stdout().lock());
    writeln!(
        out,
        "course graph: {nodes} nodes, {edges} edges, seed {seed}; median of {runs} runs"
    )?;
    writeln!(out, "order length from node {start}: {order_len}")?;
    writeln!(out, "{}", table.to_text())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Milliseconds in a duration, as a float.
fn millis(time: Duration) -> f64 {
    time.as_secs_f64() * 1e3
}
