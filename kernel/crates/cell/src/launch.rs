//! The environment variables through which `rcourse grade` and `run` set up
//! the kernel they start: the grader sets them, the kernel reads them.

/// The most output a cell may publish, in KiB; the kernel drops the rest
/// with one note.
pub const OUTPUT_LIMIT_ENV: &str = "RCOURSE_CELL_OUTPUT_KB";

/// Set in the grading sandbox: the kernel protects itself from the cells
/// it runs.
pub const SANDBOXED_ENV: &str = "RCOURSE_SANDBOXED";
