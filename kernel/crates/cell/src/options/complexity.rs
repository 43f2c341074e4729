//! `%complexity`'s options, and the sizes of `-n`.

use super::RustSpelling;

/// How `%complexity` measures.
///
/// ```
/// let options = rcourse_cell::ComplexityOptions::default();
/// assert_eq!(options.sizes, [1000, 2000, 4000, 8000, 16000, 32000, 64000]);
/// assert_eq!(options.runs, 3);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ComplexityOptions {
    /// The sizes n to time, in increasing order.
    pub sizes: Vec<usize>,
    /// Runs per size; the fastest counts.
    pub runs: usize,
    /// Print nothing.
    pub quiet: bool,
    /// The optimisation level the code was compiled with.
    pub opt_level: String,
}

impl Default for ComplexityOptions {
    fn default() -> Self {
        ComplexityOptions {
            sizes: parse_sizes("1000..64000").unwrap_or_default(),
            runs: 3,
            quiet: false,
            opt_level: "2".to_string(),
        }
    }
}

/// A struct expression with every field.
///
/// ```
/// use rcourse_cell::{ComplexityOptions, RustSpelling};
///
/// let options = ComplexityOptions { sizes: vec![10, 20], ..ComplexityOptions::default() };
/// assert_eq!(
///     options.rust_expr(),
///     "course_lib::lab::complexity::ComplexityOptions { sizes: vec![10, 20], runs: 3, \
///      quiet: false, opt_level: \"2\".to_string() }"
/// );
/// ```
impl RustSpelling for ComplexityOptions {
    fn rust_expr(&self) -> String {
        let ComplexityOptions {
            sizes,
            runs,
            quiet,
            opt_level,
        } = self;
        format!(
            "course_lib::lab::complexity::ComplexityOptions {{ sizes: vec!{sizes:?}, runs: {runs}, \
             quiet: {quiet}, opt_level: {opt_level:?}.to_string() }}"
        )
    }
}

/// Reads a list of sizes: `100,200,400` as written, or `A..B` for A, 2A,
/// 4A... up to B (and B itself when it is not on the way).
///
/// ```
/// use rcourse_cell::parse_sizes;
///
/// assert_eq!(parse_sizes("100..800").unwrap(), [100, 200, 400, 800]);
/// assert_eq!(parse_sizes("1_000..3_000").unwrap(), [1000, 2000, 3000]);
/// assert_eq!(parse_sizes("5,10,20").unwrap(), [5, 10, 20]);
/// assert!(parse_sizes("10..5").is_err());
/// assert!(parse_sizes("ten").is_err());
/// ```
pub fn parse_sizes(text: &str) -> Result<Vec<usize>, String> {
    let number = |word: &str| {
        word.trim()
            .replace('_', "")
            .parse::<usize>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| format!("`{}` is not a positive whole number", word.trim()))
    };
    let sizes = if let Some((start, end)) = text.split_once("..") {
        let (start, end) = (number(start)?, number(end.trim_start_matches('='))?);
        if end <= start {
            return Err(format!("the range {start}..{end} must grow"));
        }
        let mut sizes: Vec<usize> = std::iter::successors(Some(start), |n| n.checked_mul(2))
            .take_while(|n| *n <= end)
            .collect();
        if sizes.last() != Some(&end) {
            sizes.push(end);
        }
        sizes
    } else {
        text.split(',').map(number).collect::<Result<Vec<_>, _>>()?
    };
    if sizes.len() < 2 {
        return Err("at least two sizes are needed to fit a curve".to_string());
    }
    if sizes.windows(2).any(|w| w[1] <= w[0]) {
        return Err("sizes must be given in increasing order".to_string());
    }
    Ok(sizes)
}
