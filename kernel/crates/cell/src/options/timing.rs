//! `%timeit`'s options.

use super::RustSpelling;

/// How `%timeit` measures: its options, with IPython's defaults.
///
/// ```
/// use rcourse_cell::TimeitOptions;
///
/// let options = TimeitOptions::default();
/// assert_eq!((options.loops, options.runs, options.precision), (None, 7, 3));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TimeitOptions {
    /// `-n`: loops per run; `None` picks it by autorange.
    pub loops: Option<u64>,
    /// `-r`: how many runs (7 by default).
    pub runs: usize,
    /// `-p`: significant digits of the times shown (3 by default).
    pub precision: usize,
    /// `-q`: print nothing.
    pub quiet: bool,
    /// The optimisation level the timed code was compiled with (`"2"`, `"0"`...).
    pub opt_level: String,
}

impl Default for TimeitOptions {
    fn default() -> Self {
        TimeitOptions {
            loops: None,
            runs: 7,
            precision: 3,
            quiet: false,
            opt_level: "2".to_string(),
        }
    }
}

/// A struct expression with every field.
///
/// ```
/// use rcourse_cell::{RustSpelling, TimeitOptions};
///
/// let options = TimeitOptions { loops: Some(10), ..TimeitOptions::default() };
/// assert_eq!(
///     options.rust_expr(),
///     "course_lib::lab::timing::TimeitOptions { loops: Some(10), runs: 7, precision: 3, \
///      quiet: false, opt_level: \"2\".to_string() }"
/// );
/// ```
impl RustSpelling for TimeitOptions {
    fn rust_expr(&self) -> String {
        let TimeitOptions {
            loops,
            runs,
            precision,
            quiet,
            opt_level,
        } = self;
        format!(
            "course_lib::lab::timing::TimeitOptions {{ loops: {loops:?}, runs: {runs}, \
             precision: {precision}, quiet: {quiet}, opt_level: {opt_level:?}.to_string() }}"
        )
    }
}
