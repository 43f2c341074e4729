//! Loading and saving graphs as JSON: `{"node": [children, ...], ...}`.

use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::Graph;

/// Why a graph could not be loaded or saved.
///
/// Every variant says what was wrong and where, so the message is useful as is:
///
/// ```
/// use course_lib::bfs::{Graph, GraphError};
///
/// let error = Graph::from_json(r#"{"1": [2, "three"]}"#).unwrap_err();
/// assert!(matches!(error, GraphError::BadChild { node: 1, position: 1, .. }));
/// assert_eq!(
///     error.to_string(),
///     "child number 1 of node 1 must be a node number (0 to 4294967295), found \"three\""
/// );
/// ```
#[derive(Debug)]
pub enum GraphError {
    /// The file could not be read or written.
    Io {
        /// The file concerned.
        path: PathBuf,
        /// What the operating system reported.
        source: std::io::Error,
    },
    /// The text is not valid JSON.
    Syntax(serde_json::Error),
    /// The JSON is valid but is not an object (`{...}`).
    NotAnObject {
        /// The kind of JSON value found instead, such as `"an array"`.
        found: &'static str,
    },
    /// A key of the object is not a node number.
    BadNode {
        /// The key as written in the file.
        key: String,
    },
    /// The value of a node is not a list of children.
    NotAList {
        /// The node whose value is wrong.
        node: u32,
        /// The kind of JSON value found instead, such as `"a string"`.
        found: &'static str,
    },
    /// An entry of a child list is not a node number.
    BadChild {
        /// The node whose child list is wrong.
        node: u32,
        /// The position of the bad entry in the list, counting from 0.
        position: usize,
        /// The bad entry, as JSON.
        found: String,
    },
}

impl fmt::Display for GraphError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GraphError::Io { path, source } => {
                write!(f, "cannot access graph file {}: {source}", path.display())
            }
            GraphError::Syntax(error) => write!(f, "the graph is not valid JSON: {error}"),
            GraphError::NotAnObject { found } => write!(
                f,
                "a graph must be a JSON object {{\"node\": [children...]}}, found {found}"
            ),
            GraphError::BadNode { key } => write!(
                f,
                "node {key:?} is not a node number (0 to {}) written in decimal",
                u32::MAX
            ),
            GraphError::NotAList { node, found } => write!(
                f,
                "the children of node {node} must be a list, found {found}"
            ),
            GraphError::BadChild {
                node,
                position,
                found,
            } => write!(
                f,
                "child number {position} of node {node} must be a node number (0 to {}), found {found}",
                u32::MAX
            ),
        }
    }
}

impl std::error::Error for GraphError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            GraphError::Io { source, .. } => Some(source),
            GraphError::Syntax(error) => Some(error),
            _ => None,
        }
    }
}

/// Names the kind of a JSON value, for error messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Parses a node number written in decimal digits only (no sign, no spaces).
fn parse_node(key: &str) -> Option<u32> {
    if key.is_empty() || !key.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    key.parse().ok()
}

impl Graph {
    /// Reads a graph from JSON text of the form `{"1": [2, 3], "2": []}`.
    ///
    /// Keys are node numbers written as strings (JSON keys are always
    /// strings); values are lists of node numbers. Anything else is a
    /// [`GraphError`] naming the problem — this never panics.
    ///
    /// ```
    /// use course_lib::bfs::Graph;
    ///
    /// let graph = Graph::from_json(r#"{"1": [2, 3], "2": [3], "3": []}"#)?;
    /// assert_eq!(graph.children(1), &[2, 3]);
    ///
    /// assert!(Graph::from_json("[1, 2]").is_err());
    /// assert!(Graph::from_json(r#"{"one": [2]}"#).is_err());
    /// # Ok::<(), course_lib::bfs::GraphError>(())
    /// ```
    pub fn from_json(text: &str) -> Result<Self, GraphError> {
        let value: Value = serde_json::from_str(text).map_err(GraphError::Syntax)?;
        let Value::Object(object) = value else {
            return Err(GraphError::NotAnObject {
                found: kind(&value),
            });
        };
        let mut graph = Graph::new();
        for (key, value) in object {
            let node = parse_node(&key).ok_or_else(|| GraphError::BadNode { key: key.clone() })?;
            let Value::Array(entries) = value else {
                return Err(GraphError::NotAList {
                    node,
                    found: kind(&value),
                });
            };
            let children = entries
                .iter()
                .enumerate()
                .map(|(position, entry)| {
                    entry
                        .as_u64()
                        .and_then(|child| u32::try_from(child).ok())
                        .ok_or_else(|| GraphError::BadChild {
                            node,
                            position,
                            found: entry.to_string(),
                        })
                })
                .collect::<Result<Vec<u32>, GraphError>>()?;
            graph.insert(node, children);
        }
        Ok(graph)
    }

    /// Writes the graph as JSON, one node per line, nodes in increasing order.
    ///
    /// ```
    /// use course_lib::bfs::Graph;
    ///
    /// let graph = Graph::from_iter([(1, vec![2, 3]), (2, vec![])]);
    /// assert_eq!(graph.to_json(), "{\n  \"1\": [2, 3],\n  \"2\": []\n}\n");
    /// assert_eq!(Graph::from_json(&graph.to_json()).unwrap(), graph);
    /// ```
    pub fn to_json(&self) -> String {
        let mut out = String::from("{");
        for (index, (node, children)) in self.adjacency().iter().enumerate() {
            out.push_str(if index == 0 { "\n" } else { ",\n" });
            let _ = write!(out, "  \"{node}\": [");
            for (position, child) in children.iter().enumerate() {
                if position > 0 {
                    out.push_str(", ");
                }
                let _ = write!(out, "{child}");
            }
            out.push(']');
        }
        if !self.adjacency().is_empty() {
            out.push('\n');
        }
        out.push_str("}\n");
        out
    }

    /// Loads a graph from a JSON file (see [`Graph::from_json`] for the format).
    ///
    /// ```
    /// use course_lib::bfs::{Graph, GraphError};
    ///
    /// let error = Graph::load("no/such/graph.json").unwrap_err();
    /// assert!(matches!(error, GraphError::Io { .. }));
    /// assert!(error.to_string().contains("no/such/graph.json"));
    /// ```
    pub fn load(path: impl AsRef<Path>) -> Result<Self, GraphError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| GraphError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_json(&text)
    }

    /// Saves the graph to a JSON file (see [`Graph::to_json`] for the format).
    ///
    /// ```
    /// use course_lib::bfs::Graph;
    ///
    /// let path = std::env::temp_dir().join("course_lib_doc_graph.json");
    /// let graph = Graph::course(20, 1);
    /// graph.save(&path)?;
    /// assert_eq!(Graph::load(&path)?, graph);
    /// # std::fs::remove_file(&path).ok();
    /// # Ok::<(), course_lib::bfs::GraphError>(())
    /// ```
    pub fn save(&self, path: impl AsRef<Path>) -> Result<(), GraphError> {
        let path = path.as_ref();
        std::fs::write(path, self.to_json()).map_err(|source| GraphError::Io {
            path: path.to_path_buf(),
            source,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(text: &str) -> GraphError {
        Graph::from_json(text).expect_err(text)
    }

    #[test]
    fn round_trips_course_graphs() {
        for n in [0, 1, 5, 60] {
            let graph = Graph::course(n, 11);
            assert_eq!(Graph::from_json(&graph.to_json()).unwrap(), graph);
        }
        assert_eq!(Graph::new().to_json(), "{}\n");
    }

    #[test]
    fn accepts_compact_and_spaced_json() {
        let graph = Graph::from_json(" {\"0\":[],\"7\":[0,7,4294967295]} ").unwrap();
        assert_eq!(graph.children(7), &[0, 7, u32::MAX]);
        assert_eq!(graph.node_count(), 2);
    }

    #[test]
    fn every_malformation_is_a_named_error() {
        assert!(matches!(error_of("{\"1\": [2,"), GraphError::Syntax(_)));
        assert!(matches!(error_of(""), GraphError::Syntax(_)));
        assert!(matches!(
            error_of("[[1]]"),
            GraphError::NotAnObject { found: "an array" }
        ));
        assert!(matches!(
            error_of("null"),
            GraphError::NotAnObject { found: "null" }
        ));
        for key in ["x", "-1", "+1", "1.5", "", " 1", "4294967296"] {
            let text = format!("{{{key:?}: []}}");
            assert!(
                matches!(error_of(&text), GraphError::BadNode { key: ref k } if k == key),
                "{text}"
            );
        }
        assert!(matches!(
            error_of("{\"3\": {\"4\": 1}}"),
            GraphError::NotAList {
                node: 3,
                found: "an object"
            }
        ));
        for (child, found) in [
            ("-1", "-1"),
            ("1.5", "1.5"),
            ("4294967296", "4294967296"),
            ("null", "null"),
        ] {
            let text = format!("{{\"2\": [0, {child}]}}");
            match error_of(&text) {
                GraphError::BadChild {
                    node: 2,
                    position: 1,
                    found: f,
                } => assert_eq!(f, found),
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn messages_name_the_problem() {
        let message = error_of("{\"5\": \"children\"}").to_string();
        assert_eq!(
            message,
            "the children of node 5 must be a list, found a string"
        );
        let message = error_of("{\"five\": []}").to_string();
        assert!(message.contains("\"five\""), "{message}");
        let message = error_of("{").to_string();
        assert!(
            message.starts_with("the graph is not valid JSON"),
            "{message}"
        );
    }

    #[test]
    fn io_errors_carry_the_path_and_source() {
        use std::error::Error;
        let error = Graph::load("/definitely/missing/graph.json").unwrap_err();
        assert!(error.source().is_some());
        assert!(error.to_string().contains("/definitely/missing/graph.json"));
    }
}
