//! Mini-project 8, the personal project: specialised crates on one dataset.
//!
//! This is the worked example of a personal project. Its data is the
//! warm-up's cohort of students and their grades in French, maths and
//! philosophy ([`crate::warmup`]), and it puts four specialised crates to
//! work on it:
//!
//! - **serde** (with csv and serde_json): the dataset is written to a file
//!   and read back ([`prepare_dataset`]), through the warm-up's own loaders;
//! - **plotters** (through [`Chart`](crate::lab::Chart)): histograms of the
//!   grades, and the distribution of each subject's resampled mean
//!   ([`Bootstrap::chart`]);
//! - **rayon**: bootstrap confidence intervals of each subject's mean
//!   ([`bootstrap`]) and a ranking of a large cohort ([`ranking_parallel`]),
//!   each next to its sequential twin, with [`SpeedComparison`] to time them;
//! - **axum** (cargo feature `web`): a small JSON API, `router` and `serve`,
//!   with `/students`, `/students/{name}`, `/stats` and `/histogram.svg`.
//!
//! To start a project of your own, read [`template`]: it explains the layout
//! (data, analysis, display, API) with this module as the example.
//!
//! # From Python to Rust
//!
//! | Python                                   | Rust                                          |
//! |------------------------------------------|-----------------------------------------------|
//! | `pandas.read_csv`, `json.load`           | serde with csv / serde_json ([`prepare_dataset`]) |
//! | `matplotlib.pyplot.hist`                 | [`Chart`](crate::lab::Chart) (plotters, SVG)  |
//! | `multiprocessing.Pool.map`               | rayon's `into_par_iter().map(...)`            |
//! | `sorted(..., key=...)`                   | `sort_by`, and rayon's `par_sort_by`          |
//! | Flask / FastAPI app and routes           | axum `Router` and `async fn` handlers         |
//! | `uvicorn app:app`                        | `serve("127.0.0.1:3000", students).await`     |
//! | optional extras in `pyproject.toml`      | cargo features (`--features web`)             |
//!
//! ```
//! use course_lib::personal::{bootstrap, ranking, ranking_table};
//! use course_lib::warmup::{Subject, generate_students};
//!
//! let students = generate_students(1100, 7);
//! let result = bootstrap(&students, 1000, 1);
//! let maths = result.interval(Subject::Maths).unwrap();
//! println!("maths mean {:.2}, 95 % between {:.2} and {:.2}", maths.mean, maths.low, maths.high);
//! let top = ranking(&students);
//! assert_eq!(top[0].rank, 1);
//! println!("{}", ranking_table(&top, 5).to_text());
//! ```

mod bootstrap;
mod data;
mod ranking;
mod speed;
pub mod template;
#[cfg(feature = "web")]
mod web;

#[cfg(test)]
mod tests;

pub use bootstrap::{
    Bootstrap, CONFIDENCE_LEVEL, ConfidenceInterval, bootstrap, bootstrap_means,
    bootstrap_means_parallel, bootstrap_sequential,
};
pub use data::prepare_dataset;
pub use ranking::{Ranked, ranking, ranking_parallel, ranking_table};
pub use speed::{SpeedComparison, SpeedUp};
#[cfg(feature = "web")]
pub use web::{router, serve};
