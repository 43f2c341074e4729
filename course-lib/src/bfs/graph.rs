//! The graph type and the course's random graph generator.

use std::collections::BTreeMap;

use crate::rng::Rng;

/// The node where the course's searches start.
///
/// ```
/// assert_eq!(course_lib::bfs::COURSE_START, 1);
/// ```
pub const COURSE_START: u32 = 1;

/// A directed graph stored as adjacency lists: each node maps to its children.
///
/// This is the shape of the course's Python `dict[int, list[int]]`. It uses a
/// [`BTreeMap`] rather than a `HashMap` so that nodes are always listed in
/// increasing order: printing, saving and iterating give the same result on
/// every run. A child may appear several times in a list, and a node that is
/// not a key of the map simply has no children.
///
/// ```
/// use course_lib::bfs::Graph;
///
/// let graph = Graph::from_iter([(1, vec![2, 3]), (2, vec![3]), (3, vec![])]);
/// assert_eq!(graph.children(1), &[2, 3]);
/// assert_eq!(graph.children(42), &[] as &[u32]);
/// assert_eq!(graph.edge_count(), 3);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Graph {
    children: BTreeMap<u32, Vec<u32>>,
}

impl Graph {
    /// Creates a graph with no nodes.
    ///
    /// ```
    /// assert_eq!(course_lib::bfs::Graph::new().node_count(), 0);
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Generates the course's random graph, reproducibly from `seed`.
    ///
    /// It mirrors the original generator, written with Python's inclusive
    /// `randint(a, b)`:
    ///
    /// - the nodes are `0, 1, …, n-1` (every one is a key, possibly with no children);
    /// - node `k` gets `randint(0, n // 3)` children, i.e. a count in `0..=n/3`;
    /// - each child is `randint(1, n - 1)`, i.e. a node in `1..=n-1`
    ///   (node 0 is never anybody's child), drawn independently, so repeats
    ///   and self-loops happen.
    ///
    /// On average a node has n/6 children, so the graph has about n²/6 edges:
    /// about 167,000 for the course's n = 1000.
    ///
    /// ```
    /// use course_lib::bfs::Graph;
    ///
    /// let graph = Graph::course(30, 7);
    /// assert_eq!(graph.node_count(), 30);
    /// assert!(graph.nodes().all(|node| graph.children(node).len() <= 10));
    /// assert!(graph.nodes().flat_map(|node| graph.children(node)).all(|&c| (1..30).contains(&c)));
    /// assert_eq!(graph, Graph::course(30, 7)); // same seed, same graph
    /// ```
    pub fn course(n: u32, seed: u64) -> Self {
        let mut rng = Rng::seeded(seed);
        let max_children = u64::from(n / 3);
        let children = (0..n)
            .map(|node| {
                let count = rng.range_inclusive(0..=max_children);
                let kids = (0..count)
                    .map(|_| rng.range_inclusive(1..=u64::from(n) - 1) as u32)
                    .collect();
                (node, kids)
            })
            .collect();
        Self { children }
    }

    /// Sets the children of `node`, adding the node if it is new.
    ///
    /// ```
    /// use course_lib::bfs::Graph;
    ///
    /// let mut graph = Graph::new();
    /// graph.insert(1, vec![2, 3]);
    /// assert_eq!(graph.children(1), &[2, 3]);
    /// ```
    pub fn insert(&mut self, node: u32, children: Vec<u32>) {
        self.children.insert(node, children);
    }

    /// The children of `node`, in order (empty if the node has none or is unknown).
    ///
    /// ```
    /// use course_lib::bfs::Graph;
    ///
    /// let graph = Graph::from_iter([(1, vec![5, 4])]);
    /// assert_eq!(graph.children(1), &[5, 4]);
    /// assert!(graph.children(5).is_empty());
    /// ```
    pub fn children(&self, node: u32) -> &[u32] {
        self.children.get(&node).map_or(&[], Vec::as_slice)
    }

    /// The nodes that are keys of the graph, in increasing order.
    ///
    /// ```
    /// use course_lib::bfs::Graph;
    ///
    /// let graph = Graph::from_iter([(3, vec![1]), (1, vec![])]);
    /// assert_eq!(graph.nodes().collect::<Vec<_>>(), [1, 3]);
    /// ```
    pub fn nodes(&self) -> impl Iterator<Item = u32> + '_ {
        self.children.keys().copied()
    }

    /// The number of nodes that are keys of the graph.
    ///
    /// ```
    /// assert_eq!(course_lib::bfs::Graph::course(10, 1).node_count(), 10);
    /// ```
    pub fn node_count(&self) -> usize {
        self.children.len()
    }

    /// The total number of edges (the lengths of all child lists added up).
    ///
    /// ```
    /// use course_lib::bfs::Graph;
    ///
    /// assert_eq!(Graph::from_iter([(1, vec![2, 2]), (2, vec![1])]).edge_count(), 3);
    /// ```
    pub fn edge_count(&self) -> usize {
        self.children.values().map(Vec::len).sum()
    }

    /// The underlying map from each node to its children.
    ///
    /// ```
    /// use course_lib::bfs::Graph;
    ///
    /// let graph = Graph::from_iter([(1, vec![2])]);
    /// assert_eq!(graph.adjacency()[&1], vec![2]);
    /// ```
    pub fn adjacency(&self) -> &BTreeMap<u32, Vec<u32>> {
        &self.children
    }
}

impl FromIterator<(u32, Vec<u32>)> for Graph {
    /// Builds a graph from `(node, children)` pairs; a repeated node keeps its last list.
    ///
    /// ```
    /// use course_lib::bfs::Graph;
    ///
    /// let graph: Graph = [(1, vec![2]), (2, vec![])].into_iter().collect();
    /// assert_eq!(graph.node_count(), 2);
    /// ```
    fn from_iter<I: IntoIterator<Item = (u32, Vec<u32>)>>(pairs: I) -> Self {
        Self {
            children: pairs.into_iter().collect(),
        }
    }
}

impl From<BTreeMap<u32, Vec<u32>>> for Graph {
    /// Wraps an existing adjacency map.
    ///
    /// ```
    /// use std::collections::BTreeMap;
    /// use course_lib::bfs::Graph;
    ///
    /// let graph = Graph::from(BTreeMap::from([(1, vec![2])]));
    /// assert_eq!(graph.children(1), &[2]);
    /// ```
    fn from(children: BTreeMap<u32, Vec<u32>>) -> Self {
        Self { children }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn course_graph_respects_the_original_ranges() {
        let n = 90;
        let graph = Graph::course(n, 3);
        assert_eq!(
            graph.nodes().collect::<Vec<_>>(),
            (0..n).collect::<Vec<_>>()
        );
        let counts: Vec<usize> = graph.nodes().map(|k| graph.children(k).len()).collect();
        assert!(counts.iter().all(|&c| c <= 30));
        assert!(counts.contains(&0) || counts.iter().any(|&c| c <= 2));
        assert!(counts.iter().any(|&c| c >= 25));
        let all_children: Vec<u32> = graph.adjacency().values().flatten().copied().collect();
        assert!(all_children.iter().all(|&c| (1..n).contains(&c)));
        assert!(all_children.contains(&1) && all_children.contains(&(n - 1)));
    }

    #[test]
    fn course_graph_has_about_n_squared_over_six_edges() {
        let graph = Graph::course(1000, 1);
        let edges = graph.edge_count() as f64;
        assert!((150_000.0..185_000.0).contains(&edges), "{edges}");
    }

    #[test]
    fn tiny_course_graphs_have_no_edges() {
        for n in 0..3 {
            assert_eq!(Graph::course(n, 5).edge_count(), 0);
            assert_eq!(Graph::course(n, 5).node_count(), n as usize);
        }
    }
}
