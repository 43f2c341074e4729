//! The kernel's `log` backend: one line per record on stderr, which Jupyter
//! shows in the server's log.
//!
//! Lines read `[rcourse] message`. `RCOURSE_LOG` sets the level (`error`,
//! `warn`, `info`, `debug`, `trace`; `info` when unset). Records from the
//! kernel's own crates show from that level; those of libraries (ZeroMQ's
//! connection notices, rust-analyzer's type inference) only from `warn`,
//! unless the level is `trace`.

use log::{LevelFilter, Log, Metadata, Record};

/// The environment variable that sets the level.
const LEVEL_VAR: &str = "RCOURSE_LOG";
/// The level when `RCOURSE_LOG` is unset.
const DEFAULT_LEVEL: LevelFilter = LevelFilter::Info;
/// The prefix of every line.
const PREFIX: &str = "[rcourse]";

struct Logger {
    level: LevelFilter,
}

impl Logger {
    /// The most verbose level shown for records with this target.
    fn limit(&self, target: &str) -> LevelFilter {
        let own = target.starts_with("rcourse");
        if own || self.level == LevelFilter::Trace {
            self.level
        } else if target.starts_with("zeromq") && self.level < LevelFilter::Debug {
            // Its warnings are reconnection attempts to a kernel that has
            // just shut down: noise, unless debugging.
            LevelFilter::Error
        } else {
            self.level.min(LevelFilter::Warn)
        }
    }
}

impl Log for Logger {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.level() <= self.limit(metadata.target())
    }

    fn log(&self, record: &Record<'_>) {
        if self.enabled(record.metadata()) {
            eprintln!("{PREFIX} {}", record.args());
        }
    }

    fn flush(&self) {}
}

/// The level named by `RCOURSE_LOG`, or why it names none.
fn level_from(value: Option<&str>) -> Result<LevelFilter, String> {
    match value.map(str::trim) {
        None | Some("") => Ok(DEFAULT_LEVEL),
        Some(name) => name.parse().map_err(|_| {
            format!(
                "{LEVEL_VAR}={name} is not a level (error, warn, info, debug, trace); using {}",
                DEFAULT_LEVEL.as_str().to_ascii_lowercase()
            )
        }),
    }
}

/// Installs the logger, at the level `RCOURSE_LOG` sets. Call it once,
/// first thing; a second call changes nothing.
pub fn init() {
    let value = std::env::var(LEVEL_VAR).ok();
    let (level, problem) = match level_from(value.as_deref()) {
        Ok(level) => (level, None),
        Err(problem) => (DEFAULT_LEVEL, Some(problem)),
    };
    if log::set_boxed_logger(Box::new(Logger { level })).is_ok() {
        log::set_max_level(level);
    }
    if let Some(problem) = problem {
        log::warn!("{problem}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_read_from_the_variable() {
        assert_eq!(level_from(None), Ok(LevelFilter::Info));
        assert_eq!(level_from(Some("debug")), Ok(LevelFilter::Debug));
        assert_eq!(level_from(Some(" WARN ")), Ok(LevelFilter::Warn));
        assert!(
            level_from(Some("loud"))
                .unwrap_err()
                .contains("RCOURSE_LOG=loud")
        );
    }

    #[test]
    fn libraries_are_quieter_than_the_kernel() {
        let logger = Logger {
            level: LevelFilter::Info,
        };
        assert_eq!(logger.limit("rcourse_engine::session"), LevelFilter::Info);
        assert_eq!(logger.limit("ena::unify"), LevelFilter::Warn);
        // zeromq's warnings are reconnection attempts, shown only when debugging.
        assert_eq!(logger.limit("zeromq::pub"), LevelFilter::Error);
        let debugging = Logger {
            level: LevelFilter::Debug,
        };
        assert_eq!(debugging.limit("rcourse_teacher::run"), LevelFilter::Debug);
        assert_eq!(debugging.limit("ena::unify"), LevelFilter::Warn);
        assert_eq!(debugging.limit("zeromq::pub"), LevelFilter::Warn);
        let tracing = Logger {
            level: LevelFilter::Trace,
        };
        assert_eq!(tracing.limit("ena::unify"), LevelFilter::Trace);
        let quiet = Logger {
            level: LevelFilter::Error,
        };
        assert_eq!(quiet.limit("zeromq::pub"), LevelFilter::Error);
    }
}
