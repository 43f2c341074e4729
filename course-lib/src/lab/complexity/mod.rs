//! The runtime of `%complexity`: time a piece of code over growing sizes n,
//! fit the best of O(1), O(log n), O(n), O(n log n), O(n²), O(n³), O(2ⁿ),
//! and draw time against n on log-log axes with the fitted curve.
//!
//! The kernel turns
//!
//! ```text
//! %%complexity -n 500..8000 let v: Vec<u64> = (0..n as u64).collect();
//! v.iter().sum::<u64>()
//! ```
//!
//! into a loop over the sizes that runs the setup (with `n` in scope)
//! outside the timed region. From plain Rust:
//!
//! ```
//! use course_lib::lab::complexity::{complexity, Class, ComplexityOptions};
//!
//! let options = ComplexityOptions { sizes: vec![20_000, 40_000, 80_000, 160_000], quiet: true, ..Default::default() };
//! let report = complexity(&options, |n| {
//!     let v: Vec<u64> = (0..n as u64).collect();
//!     move || v.iter().map(|x| x ^ (x >> 3)).sum::<u64>()
//! });
//! assert_eq!(report.points.len(), 4);
//! println!("{}", report.verdict()); // O(n): time ≈ 0.4 ns × n (log-log slope 1.00)
//! ```

mod fit;
mod report;
mod sweep;

pub use fit::{Class, Fit, fit};
pub use report::ComplexityReport;
pub use sweep::{ComplexityOptions, Sweep, complexity, parse_sizes};
