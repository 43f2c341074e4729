//! The course library that is preloaded into every rcourse notebook.
//!
//! Every notebook cell starts with `use course_lib::prelude::*;` already in
//! effect, so the helpers below can be used without any imports:
//!
//! - [`display`], [`display_with_id`] and [`update_display`] show values as
//!   rich Jupyter output while a cell is running;
//! - [`Table`] renders rows of values as an HTML table;
//! - [`Chart`] draws line, scatter and bar charts as SVG.
//!
//! Outside Jupyter (in `cargo test` or a command-line program) the same calls
//! print a plain-text version instead, so course code works everywhere.
//!
//! ```
//! use course_lib::prelude::*;
//!
//! let table = Table::new()
//!     .headers(["n", "n squared"])
//!     .rows((1..=3).map(|n| (n, n * n)));
//! display(&table);
//! ```
//!
//! [`display`]: lab::display()
//! [`display_with_id`]: lab::display_with_id
//! [`update_display`]: lab::update_display
//! [`Table`]: lab::Table
//! [`Chart`]: lab::Chart
#![warn(missing_docs)]

pub mod bank;
pub mod bfs;
pub mod chess;
pub mod codebreaker;
pub mod lab;
pub mod nilakantha;
pub mod personal;
pub mod prelude;
pub mod rng;
pub mod stocks;
pub mod virus;
pub mod warmup;
