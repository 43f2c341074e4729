//! `%prun`'s options: the sort key (`-s`) and the row limit (`-l`).

use std::fmt;
use std::str::FromStr;

/// The column `%prun -s KEY` sorts by, with IPython's (pstats') names.
///
/// ```
/// use course_lib::lab::profile::SortKey;
///
/// assert_eq!("cumulative".parse::<SortKey>(), Ok(SortKey::Total));
/// assert_eq!("tottime".parse::<SortKey>(), Ok(SortKey::SelfTime));
/// assert!("ncalls".parse::<SortKey>().unwrap_err().contains("cannot be sampled"));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortKey {
    /// `time` / `tottime` / `self`: time in the function's own code (the default).
    #[default]
    SelfTime,
    /// `cumulative` / `cumtime` / `total`: time with everything it called.
    Total,
    /// `name`: the function's name, alphabetically.
    Name,
}

impl SortKey {
    /// What `Ordered by:` says for this key, as pstats prints it.
    pub fn description(self) -> &'static str {
        match self {
            SortKey::SelfTime => "internal time",
            SortKey::Total => "cumulative time",
            SortKey::Name => "function name",
        }
    }
}

impl FromStr for SortKey {
    type Err = String;

    fn from_str(key: &str) -> Result<SortKey, String> {
        match key {
            "time" | "tottime" | "self" | "samples" => Ok(SortKey::SelfTime),
            "cumulative" | "cumtime" | "total" => Ok(SortKey::Total),
            "name" | "stdname" => Ok(SortKey::Name),
            "calls" | "ncalls" | "pcalls" => Err(format!(
                "sort key '{key}': call counts cannot be sampled; \
                 use time, cumulative or name"
            )),
            _ => Err(format!(
                "unknown sort key '{key}'; use time (tottime), cumulative (cumtime) or name"
            )),
        }
    }
}

impl fmt::Display for SortKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SortKey::SelfTime => "time",
            SortKey::Total => "cumulative",
            SortKey::Name => "name",
        })
    }
}

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
