//! The runtime of the kernel's measuring magics: `%timeit`, `%time`.
//!
//! The kernel turns `%timeit -n 1000 v.iter().sum::<u64>()` into a call to
//! [`timeit`] with the expression as a closure, compiled in the cell with
//! the cell's optimisation level. The same functions work from plain Rust:
//!
//! ```
//! use course_lib::lab::timing::{timeit, TimeitOptions};
//!
//! let v: Vec<u64> = (0..1000).collect();
//! let options = TimeitOptions { loops: Some(1000), runs: 3, quiet: true, ..Default::default() };
//! let result = timeit(&options, || || v.iter().sum::<u64>());
//! println!("{}", result.summary()); // 61.2 ns ± 1.3 ns per loop (mean ± std. dev. of 3 runs, 1,000 loops each)
//! ```

mod cpu;
mod format;
mod timeit;

pub use cpu::{Clock, TimeReport, cpu_times, measure, time};
pub(crate) use format::trim_zeros;
pub use format::{format_g, format_time, thousands};
pub use timeit::{AUTORANGE_TARGET, Runs, TimeitOptions, TimeitResult, time_loops, timeit};
