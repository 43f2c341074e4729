//! Mini-project 3: breadth-first search in a graph, made fast step by step.
//!
//! A [`Graph`] maps every node to the list of its children. Starting from one
//! node, a breadth-first search (BFS) visits that node, then all of its
//! children, then all of their not-yet-visited children, and so on; the result
//! is the order in which nodes were visited.
//!
//! The project writes the same search three times, each faster than the last:
//!
//! | function          | queue                    | "already visited?"            |
//! |-------------------|--------------------------|-------------------------------|
//! | [`bfs_naive`]     | `Vec`, `remove(0)` — O(n) | `Vec::contains` — O(n)        |
//! | [`bfs_improved`]  | `VecDeque` — O(1)         | `HashSet` — O(1) on average   |
//! | [`bfs_fast`]      | the output `Vec` itself   | `Vec<bool>` indexed directly  |
//!
//! [`bfs_fast`] runs on a [`CompactGraph`]: the same graph with nodes
//! renumbered `0..n` and all children stored in one contiguous array, so the
//! inner loop does no hashing and follows no pointers.
//!
//! All three return exactly the same order on every graph, and so does
//! [`bfs_fast_early_stop`], which adds an algorithmic shortcut to [`bfs_fast`].
//!
//! ```
//! use course_lib::bfs::{bfs_fast, bfs_improved, bfs_naive, CompactGraph, Graph};
//!
//! let graph = Graph::course(200, 42);
//! let order = bfs_naive(&graph, 1);
//! assert_eq!(order[0], 1);
//! assert_eq!(bfs_improved(&graph, 1), order);
//! assert_eq!(bfs_fast(&CompactGraph::from(&graph), 1), order);
//! ```
//!
//! To compare their speed in a notebook, see [`timing_table`] and [`scaling_chart`].

mod graph;
mod json;
mod search;
mod timing;

pub use graph::{COURSE_START, Graph};
pub use json::GraphError;
pub use search::{CompactGraph, bfs_fast, bfs_fast_early_stop, bfs_improved, bfs_naive};
pub use timing::{
    BfsVariant, NAIVE_EDGE_LIMIT, median_time, scaling_chart, time_variants, timing_table,
};
