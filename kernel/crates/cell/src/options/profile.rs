//! `%prun`'s sort key (`-s`).

use std::fmt;
use std::str::FromStr;

use super::RustSpelling;

/// The column `%prun -s KEY` sorts by, with IPython's (pstats') names.
///
/// ```
/// use rcourse_cell::SortKey;
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
    ///
    /// ```
    /// assert_eq!(rcourse_cell::SortKey::Total.description(), "cumulative time");
    /// ```
    pub fn description(self) -> &'static str {
        match self {
            SortKey::SelfTime => "internal time",
            SortKey::Total => "cumulative time",
            SortKey::Name => "function name",
        }
    }

    /// The variant's name in Rust.
    fn variant(self) -> &'static str {
        match self {
            SortKey::SelfTime => "SelfTime",
            SortKey::Total => "Total",
            SortKey::Name => "Name",
        }
    }
}

/// `course_lib::lab::profile::SortKey::Total` and so on.
///
/// ```
/// use rcourse_cell::{RustSpelling, SortKey};
///
/// assert_eq!(SortKey::Total.rust_expr(), "course_lib::lab::profile::SortKey::Total");
/// ```
impl RustSpelling for SortKey {
    fn rust_expr(&self) -> String {
        format!("course_lib::lab::profile::SortKey::{}", self.variant())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_reads_back_from_its_display_name() {
        for key in [SortKey::SelfTime, SortKey::Total, SortKey::Name] {
            assert_eq!(key.to_string().parse::<SortKey>(), Ok(key));
        }
    }

    #[test]
    fn spellings_name_each_variant() {
        assert_eq!(
            SortKey::SelfTime.rust_expr(),
            "course_lib::lab::profile::SortKey::SelfTime"
        );
        assert_eq!(
            SortKey::Name.rust_expr(),
            "course_lib::lab::profile::SortKey::Name"
        );
    }
}
