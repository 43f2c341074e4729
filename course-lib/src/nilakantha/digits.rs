//! Comparing results with π, digit by digit.

use super::{pi_decimal, pi_f64};
use crate::lab::Table;

/// π with 100 decimal places (truncated, not rounded), the reference for
/// [`matching_digits`].
///
/// ```
/// use course_lib::nilakantha::PI_100;
///
/// assert_eq!(PI_100.len(), 102); // "3", ".", and 100 decimals
/// assert!(PI_100.starts_with("3.14159265358979"));
/// assert_eq!(PI_100[..17].parse::<f64>().unwrap(), std::f64::consts::PI);
/// ```
pub const PI_100: &str = "3.\
    1415926535897932384626433832795028841971693993751\
    0582097494459230781640628620899862803482534211706\
    79";

/// How many leading significant digits of `number` agree with π.
///
/// The decimal point is skipped and the leading `3` counts, so `"3.14"`
/// matches 3 digits. Comparison stops at the first difference, at the end of
/// `number`, or after the 101 digits of [`PI_100`]. Digits are compared as
/// written: `3.1416` (π rounded) matches only 4.
///
/// ```
/// use course_lib::nilakantha::matching_digits;
///
/// assert_eq!(matching_digits("3.14"), 3);
/// assert_eq!(matching_digits("3.1416"), 4);
/// assert_eq!(matching_digits("22"), 0);
/// assert_eq!(matching_digits(course_lib::nilakantha::PI_100), 101);
/// ```
pub fn matching_digits(number: &str) -> usize {
    let digits = |text: &str| -> Vec<u8> {
        let mut seen_point = false;
        text.trim()
            .bytes()
            .take_while(|&b| {
                if b == b'.' && !seen_point {
                    seen_point = true;
                    true
                } else {
                    b.is_ascii_digit()
                }
            })
            .filter(u8::is_ascii_digit)
            .collect()
    };
    digits(number)
        .iter()
        .zip(digits(PI_100).iter())
        .take_while(|(a, b)| a == b)
        .count()
}

/// How many leading significant digits of an `f64` agree with π.
///
/// The float is written out with its exact binary value (60 decimals) before
/// comparing, so no rounding in printing hides or adds a digit. An `f64`
/// never matches more than 16 or 17 digits.
///
/// ```
/// use course_lib::nilakantha::matching_digits_f64;
///
/// assert_eq!(matching_digits_f64(3.14), 3);
/// assert_eq!(matching_digits_f64(std::f64::consts::PI), 16);
/// ```
pub fn matching_digits_f64(x: f64) -> usize {
    matching_digits(&format!("{x:.60}"))
}

/// A table of how many digits of π the `f64` and the exact sum get right,
/// for each number of terms in `term_counts`; the exact sum is computed with
/// `decimals` decimal places.
///
/// Expect the exact column to gain about three digits per tenfold more
/// terms, and the `f64` column to stop at about 16.
///
/// ```
/// use course_lib::prelude::*;
/// use course_lib::nilakantha::digits_table;
///
/// let table = digits_table(&[1, 10, 100, 1000], 30);
/// assert_eq!(table.len(), 4);
/// display(&table);
/// ```
pub fn digits_table(term_counts: &[u64], decimals: u32) -> Table {
    Table::new()
        .caption(format!(
            "Nilakantha: digits of π matched (exact sum with {decimals} decimal places)"
        ))
        .headers([
            "terms",
            "f64 value",
            "f64 digits",
            "exact value (first 30 places)",
            "exact digits",
        ])
        .rows(term_counts.iter().map(|&terms| {
            let float = pi_f64(terms);
            let exact = pi_decimal(terms, decimals);
            let exact_text = exact.to_string();
            let shown: String = exact_text.chars().take(32).collect();
            (
                terms,
                format!("{float:.17}"),
                matching_digits_f64(float),
                shown,
                matching_digits(&exact_text),
            )
        }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_has_the_known_digits() {
        assert_eq!(PI_100.len(), 102);
        assert!(PI_100.ends_with("3421170679"));
        assert!(PI_100.starts_with("3.14159265358979323846264338327950288419716939937510"));
    }

    #[test]
    fn matching_stops_at_non_digits_and_differences() {
        assert_eq!(matching_digits("3.1x4"), 2);
        assert_eq!(matching_digits("3..14"), 1);
        assert_eq!(matching_digits("  3.141 "), 4);
        assert_eq!(matching_digits(""), 0);
        assert_eq!(matching_digits("-3.14"), 0);
        assert_eq!(matching_digits(&format!("{PI_100}999")), 101);
    }

    #[test]
    fn table_shows_f64_saturating_and_exact_improving() {
        let table = digits_table(&[10, 1_000_000], 40);
        let text = table.to_text();
        assert!(text.contains("1000000"), "{text}");
        // f64 is stuck at 15 digits; the exact sum of a million terms has 19.
        assert!(text.contains(" 15 ") && text.contains(" 19"), "{text}");
    }
}
