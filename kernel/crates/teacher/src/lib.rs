//! The teacher's tools of rcourse: `rcourse export`, `rcourse run` and
//! `rcourse grade`, exercises made from completed notebooks.
//!
//! Teachers write notebooks with their solutions in them, marked the way
//! nbgrader marks them; [`export`] turns those into student notebooks,
//! [`run`] executes any notebook headless on the kernel, and [`grade`]
//! scores what students hand back ([`GradeOptions`], with a report in a
//! [`Format`]). These tools are clients of the kernel, as JupyterLab is:
//! they start it and talk to it over the Jupyter protocol only.
//!
//! The main types, by module:
//! - [`Error`] and [`Place`] (`error`): the one error type, and where in a
//!   notebook a problem is (`notebook.ipynb: cell 4 (ex1), line 7`).
//! - `Notebook` (`notebook`): a notebook kept as JSON, so that nothing in
//!   it is lost, written back as Python's nbformat writes it.
//! - `CellMeta` (`nbgrader`): the one typed view of a cell's nbgrader
//!   metadata.
//! - `Region` (`regions`) and `Stubbed` (`stub`): the exercise markers in a
//!   cell, and solutions turned into stubs that keep the cell valid Rust.
//! - `Kernel` and `Restarting` (`client`): a kernel process driven over
//!   jupyter-zmq-client's typed connections (`sockets`), with the settings
//!   of the installed kernelspec (`kernelspec`); `Collector` (`outputs`)
//!   turns its messages into nbformat outputs.
//! - `Report` (`report`): the grades as text, HTML, JSON or CSV.
//! - `FeedbackCell` (`feedback`): a graded notebook as one student's
//!   feedback page, in HTML.
//!
//! Cells and lines in messages are counted from 1, as a person counts them.
//! The client's troubles are logged with `log::debug!`.

mod client;
mod error;
mod export;
mod feedback;
mod grade;
mod kernelspec;
mod nbgrader;
mod notebook;
mod outputs;
mod regions;
mod report;
mod run;
mod sandbox;
mod sockets;
mod stub;
mod verdict;

pub use error::{Error, Place, Result};
pub use export::export;
pub use grade::{GradeOptions, grade};
pub use kernelspec::KERNEL_NAME;
pub use report::Format;
pub use run::{RunOptions, run};
pub use sandbox::Limits;
