//! `%prun`: where a statement spends its time, from a sampling profiler.
//!
//! IPython's `%prun` runs a statement under cProfile, which counts every
//! call of every Python function. Compiled Rust has no such hook, so
//! [`Profiler`] samples the call stacks of every thread a few hundred times
//! per CPU second and turns the samples into a table in cProfile's spirit
//! and a flame graph:
//!
//! - *self* time (cProfile's `tottime`): samples in which the function was
//!   running its own code;
//! - *total* time (`cumtime`): samples in which it was anywhere on the stack.
//!
//! Both are estimates: the samples are spread over the CPU time the process
//! really used. Call counts cannot be seen by sampling and are not shown.
//!
//! ```
//! use course_lib::lab::profile::{Profile, ProfileOptions, Stack};
//!
//! // Three samples in `slow`, called by the cell, and one in the cell itself.
//! let stacks = vec![
//!     Stack::new("cell", ["<cell>", "slow"], 3),
//!     Stack::new("cell", ["<cell>"], 1),
//! ];
//! let profile = Profile::from_stacks(stacks, 0.04, 0.05, &ProfileOptions::default());
//! let slow = &profile.rows()[0];
//! assert_eq!((slow.function.as_str(), slow.self_samples, slow.total_samples), ("slow", 3, 3));
//! assert!((slow.self_seconds - 0.03).abs() < 1e-12);
//! ```

mod backend;
mod flame;
mod options;
mod report;
mod sampler;
mod stacks;

pub use options::{ProfileOptions, SortKey};
pub use report::{Profile, ProfileRow};
pub use sampler::{ProfileError, Profiler, profile};
pub use stacks::{Stack, clean_name};
