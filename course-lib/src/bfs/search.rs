//! Three breadth-first searches, from the textbook version to the fast one.

use std::collections::{HashMap, HashSet, VecDeque};

use super::Graph;

/// Breadth-first search written the simple way: a `Vec` as the queue and a
/// `Vec` as the set of visited nodes. Returns the nodes in visit order.
///
/// Both data structures are slow for their job. `queue.remove(0)` shifts every
/// remaining element one place to the left, and `visited.contains(&child)`
/// compares `child` with every node seen so far: each edge costs time
/// proportional to the number of nodes.
///
/// A node is marked visited when it is first discovered, so it enters the
/// queue only once; the visited list is therefore also the visit order.
///
/// ```
/// use course_lib::bfs::{bfs_naive, Graph};
///
/// //     1
/// //    / \
/// //   2   3
/// //   |   |
/// //   4 ← +
/// let graph = Graph::from_iter([(1, vec![2, 3]), (2, vec![4]), (3, vec![4, 1])]);
/// assert_eq!(bfs_naive(&graph, 1), [1, 2, 3, 4]);
/// ```
pub fn bfs_naive(graph: &Graph, start: u32) -> Vec<u32> {
    let mut queue = vec![start];
    let mut visited = vec![start];
    while !queue.is_empty() {
        let node = queue.remove(0);
        for &child in graph.children(node) {
            if !visited.contains(&child) {
                visited.push(child);
                queue.push(child);
            }
        }
    }
    visited
}

/// Breadth-first search with the right standard collections: a [`VecDeque`]
/// as the queue (`pop_front` in constant time) and a [`HashSet`] of visited
/// nodes (membership in constant time on average).
///
/// Returns exactly the same order as [`bfs_naive`].
///
/// ```
/// use course_lib::bfs::{bfs_improved, bfs_naive, Graph};
///
/// let graph = Graph::course(100, 3);
/// assert_eq!(bfs_improved(&graph, 1), bfs_naive(&graph, 1));
/// ```
pub fn bfs_improved(graph: &Graph, start: u32) -> Vec<u32> {
    let mut queue = VecDeque::from([start]);
    let mut visited = HashSet::from([start]);
    let mut order = Vec::new();
    while let Some(node) = queue.pop_front() {
        order.push(node);
        for &child in graph.children(node) {
            if visited.insert(child) {
                queue.push_back(child);
            }
        }
    }
    order
}

/// A graph laid out for fast searching ("compressed sparse row" form).
///
/// Every node is renumbered with a dense index `0..n` (in increasing order of
/// node number), and all child lists are stored one after another in a single
/// array; the children of the node with index `i` are
/// `targets[offsets[i]..offsets[i + 1]]`, already converted to indices.
/// Searching then needs no hashing and no pointer chasing: a visited flag is
/// just `visited[index]`.
///
/// Build it once with `CompactGraph::from(&graph)`, then search it many times
/// with [`bfs_fast`].
///
/// ```
/// use course_lib::bfs::{CompactGraph, Graph};
///
/// let graph = Graph::from_iter([(10, vec![20, 30]), (20, vec![10])]);
/// let compact = CompactGraph::from(&graph);
/// assert_eq!(compact.node_count(), 3); // 10, 20, and the child 30
/// assert_eq!(compact.edge_count(), 3);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompactGraph {
    /// The node number of each dense index, in increasing order.
    ids: Vec<u32>,
    /// Where the children of each index start in `targets` (one extra entry at the end).
    offsets: Vec<usize>,
    /// All children, as dense indices, list after list.
    targets: Vec<u32>,
    /// How many distinct nodes are someone's child.
    with_parent: usize,
    /// Whether each index is someone's child.
    has_parent: Vec<bool>,
}

impl CompactGraph {
    /// The number of distinct nodes, counting nodes that appear only as children.
    ///
    /// ```
    /// use course_lib::bfs::{CompactGraph, Graph};
    ///
    /// let compact = CompactGraph::from(&Graph::course(50, 2));
    /// assert_eq!(compact.node_count(), 50);
    /// ```
    pub fn node_count(&self) -> usize {
        self.ids.len()
    }

    /// The number of edges (the same as [`Graph::edge_count`]).
    ///
    /// ```
    /// use course_lib::bfs::{CompactGraph, Graph};
    ///
    /// let graph = Graph::course(50, 2);
    /// assert_eq!(CompactGraph::from(&graph).edge_count(), graph.edge_count());
    /// ```
    pub fn edge_count(&self) -> usize {
        self.targets.len()
    }

    /// The dense index of node `node`, if the graph contains it.
    ///
    /// ```
    /// use course_lib::bfs::{CompactGraph, Graph};
    ///
    /// let compact = CompactGraph::from(&Graph::from_iter([(10, vec![5])]));
    /// assert_eq!(compact.index_of(5), Some(0));
    /// assert_eq!(compact.index_of(10), Some(1));
    /// assert_eq!(compact.index_of(7), None);
    /// ```
    pub fn index_of(&self, node: u32) -> Option<usize> {
        self.ids.binary_search(&node).ok()
    }
}

impl From<&Graph> for CompactGraph {
    /// Lays a [`Graph`] out for [`bfs_fast`]: time and memory proportional to
    /// its size (plus sorting its distinct node numbers).
    ///
    /// ```
    /// use course_lib::bfs::{CompactGraph, Graph};
    ///
    /// let compact = CompactGraph::from(&Graph::course(10, 1));
    /// assert_eq!(compact.node_count(), 10);
    /// ```
    fn from(graph: &Graph) -> Self {
        let adjacency = graph.adjacency();
        let all_nodes = || {
            adjacency
                .keys()
                .chain(adjacency.values().flatten())
                .copied()
        };
        let max_id = all_nodes().max().map_or(0, |id| id as usize);
        let mentions = adjacency.len() + graph.edge_count();

        // Node number → dense index: a direct table when node numbers are
        // small (the usual case), a hash map otherwise. Only used while building.
        let (ids, table) = if max_id <= 4 * mentions + 1024 {
            let mut table = vec![u32::MAX; max_id + 1];
            for id in all_nodes() {
                table[id as usize] = 0;
            }
            let mut ids = Vec::new();
            for (id, slot) in table.iter_mut().enumerate() {
                if *slot == 0 {
                    *slot = ids.len() as u32;
                    ids.push(id as u32);
                }
            }
            (ids, Some(table))
        } else {
            let mut ids: Vec<u32> = all_nodes().collect();
            ids.sort_unstable();
            ids.dedup();
            (ids, None)
        };
        let map: HashMap<u32, u32> = if table.is_some() {
            HashMap::new()
        } else {
            ids.iter()
                .enumerate()
                .map(|(i, &id)| (id, i as u32))
                .collect()
        };
        let index = |id: u32| match &table {
            Some(table) => table[id as usize],
            None => map[&id],
        };

        let mut offsets = Vec::with_capacity(ids.len() + 1);
        let mut targets = Vec::with_capacity(graph.edge_count());
        offsets.push(0);
        for &id in &ids {
            targets.extend(graph.children(id).iter().map(|&child| index(child)));
            offsets.push(targets.len());
        }

        let mut has_parent = vec![false; ids.len()];
        for &target in &targets {
            has_parent[target as usize] = true;
        }
        let with_parent = has_parent.iter().filter(|&&flag| flag).count();
        Self {
            ids,
            offsets,
            targets,
            with_parent,
            has_parent,
        }
    }
}

/// The fast breadth-first search, on a [`CompactGraph`].
///
/// It does the same work as [`bfs_improved`] — every edge of every visited
/// node is looked at once — but with data laid out for the processor:
///
/// - the queue is the output vector itself: nodes are appended when
///   discovered, and a read position walks behind the write position;
/// - visited flags are a `Vec<bool>` indexed by dense node index: no hashing;
/// - children are read from one contiguous array, which the processor
///   prefetches well.
///
/// Returns exactly the same order as [`bfs_naive`] and [`bfs_improved`].
///
/// ```
/// use course_lib::bfs::{bfs_fast, bfs_naive, CompactGraph, Graph};
///
/// let graph = Graph::course(300, 9);
/// let compact = CompactGraph::from(&graph); // build once, search many times
/// assert_eq!(bfs_fast(&compact, 1), bfs_naive(&graph, 1));
/// assert_eq!(bfs_fast(&compact, 12345), [12345]); // unknown start: just itself
/// ```
pub fn bfs_fast(graph: &CompactGraph, start: u32) -> Vec<u32> {
    compact_bfs(graph, start, false)
}

/// [`bfs_fast`] plus an algorithmic shortcut: stop as soon as every node
/// that *can* be reached has been reached.
///
/// Only the start node and nodes that are someone's child can ever be
/// visited; [`CompactGraph`] counts them when it is built. Once that many
/// nodes are in the visit order, the edges not yet looked at cannot add
/// anything, so the search ends. In the course's dense graphs every node but
/// 0 is reached within a few levels, so this skips most of the edges — a
/// better algorithm beats a faster loop.
///
/// ```
/// use course_lib::bfs::{bfs_fast, bfs_fast_early_stop, CompactGraph, Graph};
///
/// let compact = CompactGraph::from(&Graph::course(300, 9));
/// assert_eq!(bfs_fast_early_stop(&compact, 1), bfs_fast(&compact, 1));
/// ```
pub fn bfs_fast_early_stop(graph: &CompactGraph, start: u32) -> Vec<u32> {
    compact_bfs(graph, start, true)
}

/// The search behind [`bfs_fast`] and [`bfs_fast_early_stop`].
fn compact_bfs(graph: &CompactGraph, start: u32, stop_early: bool) -> Vec<u32> {
    let Some(start_index) = graph.index_of(start) else {
        return vec![start];
    };
    let reachable_at_most = graph.with_parent + usize::from(!graph.has_parent[start_index]);

    let mut visited = vec![false; graph.ids.len()];
    let mut order: Vec<u32> = Vec::with_capacity(reachable_at_most);
    visited[start_index] = true;
    order.push(start_index as u32);

    let mut head = 0;
    'search: while head < order.len() {
        let node = order[head] as usize;
        head += 1;
        let children = &graph.targets[graph.offsets[node]..graph.offsets[node + 1]];
        for &child in children {
            let seen = &mut visited[child as usize];
            if !*seen {
                *seen = true;
                order.push(child);
                if stop_early && order.len() == reachable_at_most {
                    break 'search;
                }
            }
        }
    }
    order
        .iter()
        .map(|&index| graph.ids[index as usize])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn all_variants(graph: &Graph, start: u32) -> [Vec<u32>; 4] {
        [
            bfs_naive(graph, start),
            bfs_improved(graph, start),
            bfs_fast(&CompactGraph::from(graph), start),
            bfs_fast_early_stop(&CompactGraph::from(graph), start),
        ]
    }

    #[test]
    fn known_order_on_a_small_graph() {
        // Level 0: 1; level 1: 5, 2; level 2: 7 (from 5), 3 (from 2); 9 unreachable.
        let graph = Graph::from_iter([
            (1, vec![5, 2, 5]),
            (2, vec![1, 3]),
            (5, vec![7, 2]),
            (7, vec![3]),
            (9, vec![1]),
        ]);
        for order in all_variants(&graph, 1) {
            assert_eq!(order, [1, 5, 2, 7, 3]);
        }
    }

    #[test]
    fn start_without_children_or_unknown() {
        let graph = Graph::from_iter([(2, vec![3])]);
        for order in all_variants(&graph, 1) {
            assert_eq!(order, [1]);
        }
        for order in all_variants(&graph, 3) {
            assert_eq!(order, [3]);
        }
        for order in all_variants(&Graph::new(), 1) {
            assert_eq!(order, [1]);
        }
    }

    #[test]
    fn course_graph_reaches_every_node_but_zero() {
        let graph = Graph::course(1000, 2024);
        let [naive, improved, fast, early] = all_variants(&graph, 1);
        assert_eq!(naive.len(), 999);
        assert!(!naive.contains(&0));
        assert_eq!(naive, improved);
        assert_eq!(naive, fast);
        assert_eq!(naive, early);
    }

    #[test]
    fn sparse_large_node_numbers_use_the_hash_map_path() {
        let graph = Graph::from_iter([
            (1, vec![4_000_000_000, 7]),
            (4_000_000_000, vec![u32::MAX, 1]),
            (u32::MAX, vec![7, 0]),
        ]);
        for order in all_variants(&graph, 1) {
            assert_eq!(order, [1, 4_000_000_000, 7, u32::MAX, 0]);
        }
    }

    fn arbitrary_graph() -> impl Strategy<Value = Graph> {
        prop::collection::btree_map(0u32..40, prop::collection::vec(0u32..45, 0..8), 0..40)
            .prop_map(Graph::from)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn all_variants_agree_on_arbitrary_graphs(graph in arbitrary_graph(), start in 0u32..45) {
            let [naive, improved, fast, early] = all_variants(&graph, start);
            prop_assert_eq!(&naive, &improved);
            prop_assert_eq!(&naive, &fast);
            prop_assert_eq!(&naive, &early);
            // A BFS order starts at the start node and never repeats a node.
            prop_assert_eq!(naive[0], start);
            let distinct: HashSet<u32> = naive.iter().copied().collect();
            prop_assert_eq!(distinct.len(), naive.len());
        }

        #[test]
        fn all_variants_agree_on_course_graphs(n in 0u32..120, seed in any::<u64>(), start in 0u32..4) {
            let graph = Graph::course(n, seed);
            let [naive, improved, fast, early] = all_variants(&graph, start);
            prop_assert_eq!(&naive, &improved);
            prop_assert_eq!(&naive, &fast);
            prop_assert_eq!(&naive, &early);
        }
    }
}
