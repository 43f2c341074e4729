//! `%prun`'s options: the sort key (`-s`, shared with the kernel) and the row
//! limit (`-l`).

pub use rcourse_cell::SortKey;

/// How a profile is shown: sorted by `sort`, at most `limit` rows.
///
/// ```
/// use course_lib::lab::profile::{ProfileOptions, SortKey};
///
/// let options = ProfileOptions::default().sort(SortKey::Total).limit(5);
/// assert_eq!((options.sort, options.limit), (SortKey::Total, Some(5)));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileOptions {
    /// `-s KEY`: the column to sort by.
    pub sort: SortKey,
    /// `-l N`: at most this many rows (all by default).
    pub limit: Option<usize>,
    /// The optimisation level the profiled code was compiled with.
    pub opt_level: Option<String>,
}

impl ProfileOptions {
    /// Sorts by `key`.
    pub fn sort(mut self, key: SortKey) -> Self {
        self.sort = key;
        self
    }

    /// Shows at most `rows` rows.
    pub fn limit(mut self, rows: usize) -> Self {
        self.limit = Some(rows);
        self
    }

    /// Records the optimisation level the code was built with (shown in the header).
    pub fn opt_level(mut self, level: impl Into<String>) -> Self {
        self.opt_level = Some(level.into());
        self
    }
}
