//! How to build your own project: a template, with this module as the example.
//!
//! The personal project is yours: pick a dataset you care about (sports
//! results, weather records, a game's statistics, your music library...) and
//! a few questions about it. What follows is a layout that keeps such a
//! project easy to test, to show in a notebook and to put online. The worked
//! example, [`personal`](super), follows it on the warm-up's students.
//!
//! # 1. Data: types first, then files
//!
//! Describe one record as a struct, validate what can be validated with
//! small types, and let serde read and write it.
//!
//! | step                        | in the example                                        |
//! |-----------------------------|-------------------------------------------------------|
//! | one record                  | [`Student`](crate::warmup::Student), `#[derive(Serialize, Deserialize)]` |
//! | a value with rules          | [`Grade`](crate::warmup::Grade): 0 to 20 by halves, refused otherwise |
//! | a reproducible sample       | [`generate_students`](crate::warmup::generate_students)`(count, seed)` |
//! | files                       | [`load_students`](crate::warmup::load_students) / [`save_students`](crate::warmup::save_students) (CSV and JSON) |
//! | errors                      | [`GradesError`](crate::warmup::GradesError): which line, which field, why |
//! | the data step as a whole    | [`prepare_dataset`](super::prepare_dataset)           |
//!
//! Write the loaders once and reuse them everywhere (notebook, tests, web
//! server) instead of copying them.
//!
//! # 2. Analysis: plain functions of the data
//!
//! An analysis function takes the records (`&[Student]`) and returns a
//! value; it reads no file, prints nothing and draws nothing, so it is easy
//! to test and to time. When it is slow, write the parallel version next to
//! the sequential one and check that both answer the same:
//! [`bootstrap_sequential`](super::bootstrap_sequential) and
//! [`bootstrap`](super::bootstrap), [`ranking`](super::ranking) and
//! [`ranking_parallel`](super::ranking_parallel). With rayon the change is
//! often one word: `iter()` becomes `par_iter()`.
//! [`SpeedComparison`](super::SpeedComparison) measures the gain.
//!
//! # 3. Display: values that show themselves
//!
//! Give each result a `table()` and a `chart()` and implement
//! [`Render`](crate::lab::Render) for it, so that a notebook cell ending
//! with the value shows it. Charts are [`Chart`](crate::lab::Chart)s (SVG),
//! tables are [`Table`](crate::lab::Table)s. See
//! [`Bootstrap`](super::Bootstrap), which renders as a table and a chart.
//!
//! # 4. API: the same functions behind URLs
//!
//! A web API is one more way to display results: each route calls the
//! analysis and answers JSON. Keep it behind a cargo feature so that the
//! rest of the project builds without a web server:
//!
//! ```toml
//! [features]
//! web = ["dep:axum", "tokio/net"]
//! ```
//!
//! and `#[cfg(feature = "web")]` on the module. The example's `router` and
//! `serve` (feature `web`) answer `/students`, `/students/{name}`, `/stats`
//! and `/histogram.svg`. Test the router by starting it on port 0 (any free
//! port) and sending it a real request.
//!
//! # 5. Files and tests
//!
//! ```text
//! src/my_project/
//!     mod.rs        what the project does, with an example; `pub use` of the API
//!     data.rs       record types, validation, loading and saving
//!     analysis.rs   the questions, as functions (sequential and parallel)
//!     plot.rs       tables and charts
//!     web.rs        the API (behind a feature)
//!     tests.rs      unit tests and property tests (proptest)
//! ```
//!
//! Test each layer on its own: a round trip through every file format, the
//! error for each kind of bad input, the analysis on a case computed by
//! hand, the parallel version against the sequential one on random inputs,
//! and one request per route.
//!
//! # 6. The notebook
//!
//! Tell the story in this order: the question; a look at the data (a table
//! of the first rows, a histogram); the analysis with its result displayed;
//! the timings, sequential against parallel; how to run the API. Keep the
//! heavy code in the library, and in the notebook only calls and results.
//!
//! # The worked example end to end
//!
//! ```
//! use course_lib::personal::{SpeedComparison, bootstrap, prepare_dataset, ranking, ranking_table};
//! use course_lib::warmup::{Subject, histogram, statistics};
//!
//! // 1. Data
//! let path = std::env::temp_dir().join("template_example_grades.csv");
//! # let _ = std::fs::remove_file(&path);
//! let students = prepare_dataset(&path, 1100, 7)?;
//!
//! // 2. Analysis
//! let stats = statistics(&students);
//! let intervals = bootstrap(&students, 1000, 1);
//! let top = ranking(&students);
//!
//! // 3. Display (each of these shows itself at the end of a notebook cell)
//! let _ = (&stats, &intervals, histogram(&students, Subject::Maths));
//! let _ = ranking_table(&top, 10);
//! let _ = SpeedComparison::measure(&students, 200, 1);
//! assert!(intervals.interval(Subject::Maths).unwrap().low < stats.get(Subject::Maths).unwrap().mean);
//! # std::fs::remove_file(&path).unwrap();
//! # Ok::<(), course_lib::warmup::GradesError>(())
//! ```
