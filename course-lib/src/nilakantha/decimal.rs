//! The series summed exactly, with big integers as fixed-point decimals.
//!
//! Why big integers rather than a decimal crate: a number with `d` decimal
//! places is stored as the integer `value × 10^d`. Adding such numbers is
//! integer addition — exact and associative, so partial sums can be added in
//! any order and give the same bits. Each term `4/(k(k+1)(k+2))` becomes one
//! integer division. This needs only a big-integer type: `num-bigint` is the
//! long-standing, pure-Rust one of the `num` project, small to compile, with
//! no dependencies beyond `num-integer` and `num-traits`. (`rust_decimal`
//! stops at 28 digits; `bigdecimal` and `dashu-float` would work too but add
//! a decimal layer this project does not need.)

use std::fmt;

use num_bigint::{BigInt, BigUint};
use rayon::prelude::*;

use super::{Split, digits::matching_digits, is_added};

/// Extra decimal places carried during a sum and dropped at the end.
///
/// Each term is rounded down to the working precision, so `n` terms can be
/// off by at most `n` units of the last working place; 20 guard digits keep
/// that far below the digits returned for any feasible `n` (< 10¹⁸).
const GUARD_DIGITS: u32 = 20;

/// A non-negative decimal number with a fixed number of decimal places,
/// stored exactly as a big integer (`value × 10^decimals`).
///
/// Its [`Display`](fmt::Display) shows every decimal place:
///
/// ```
/// use course_lib::nilakantha::pi_decimal;
///
/// let pi = pi_decimal(2, 10);
/// assert_eq!(pi.to_string(), "3.1333333333"); // 3 + 4/24 − 4/120
/// assert_eq!(pi.decimals(), 10);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FixedDecimal {
    scaled: BigUint,
    decimals: u32,
}

impl FixedDecimal {
    /// The number of decimal places.
    ///
    /// ```
    /// assert_eq!(course_lib::nilakantha::pi_decimal(10, 60).decimals(), 60);
    /// ```
    pub fn decimals(&self) -> u32 {
        self.decimals
    }

    /// The nearest `f64` (which keeps only about 16 significant digits).
    ///
    /// ```
    /// let pi = course_lib::nilakantha::pi_accelerated(50);
    /// assert_eq!(pi.to_f64(), std::f64::consts::PI);
    /// ```
    pub fn to_f64(&self) -> f64 {
        self.to_string()
            .parse()
            .expect("a FixedDecimal always prints as a valid number")
    }

    /// How many leading digits agree with π (see [`matching_digits`]).
    ///
    /// ```
    /// let pi = course_lib::nilakantha::pi_accelerated(60);
    /// assert_eq!(pi.matching_digits(), 61); // "3" and 60 decimals
    /// ```
    pub fn matching_digits(&self) -> usize {
        matching_digits(&self.to_string())
    }
}

impl fmt::Display for FixedDecimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.scaled.to_string();
        let places = self.decimals as usize;
        if places == 0 {
            return f.write_str(&digits);
        }
        let padded = format!("{digits:0>width$}", width = places + 1);
        let (whole, fraction) = padded.split_at(padded.len() - places);
        write!(f, "{whole}.{fraction}")
    }
}

/// `10^exponent` as a big integer.
fn power_of_ten(exponent: u32) -> BigUint {
    BigUint::from(10u32).pow(exponent)
}

/// The exact sum of `count` terms from `first_k`, each rounded down to a
/// multiple of `1/scale` — times `scale` — as a signed big integer.
///
/// `four_scaled` is `4 × scale`. Because every term is rounded on its own,
/// the value does not depend on how the terms are grouped.
fn partial_sum_scaled(first_k: u64, count: u64, four_scaled: &BigUint) -> BigInt {
    let mut added = BigUint::ZERO;
    let mut subtracted = BigUint::ZERO;
    let mut k = u128::from(first_k);
    for _ in 0..count {
        let term = four_scaled / (k * (k + 1) * (k + 2));
        if is_added(k as u64) {
            added += term;
        } else {
            subtracted += term;
        }
        k += 2;
    }
    BigInt::from(added) - BigInt::from(subtracted)
}

/// Turns `3 + sum` (at `decimals + GUARD_DIGITS` places) into a [`FixedDecimal`].
fn finish(sum_scaled: BigInt, decimals: u32) -> FixedDecimal {
    let three = BigInt::from(3u32) * BigInt::from(power_of_ten(decimals + GUARD_DIGITS));
    let total = (three + sum_scaled)
        .to_biguint()
        .expect("3 plus the Nilakantha terms is positive");
    FixedDecimal {
        scaled: total / power_of_ten(GUARD_DIGITS),
        decimals,
    }
}

/// π from the first `terms` terms of the series, computed exactly and
/// shown with `decimals` decimal places.
///
/// The digits are those of the partial sum `3 + 4/(2·3·4) − … ± 4/(2n(2n+1)(2n+2))`
/// (rounded down, to within one unit in the last place): the arithmetic
/// loses nothing, so how many digits agree with π depends only on the
/// number of terms — about `3·log10(terms) + 0.6`.
///
/// ```
/// use course_lib::nilakantha::pi_decimal;
///
/// assert_eq!(pi_decimal(1, 5).to_string(), "3.16666");
/// let pi = pi_decimal(10_000, 40);
/// assert!(pi.to_string().starts_with("3.141592653589"));
/// assert_eq!(pi.matching_digits(), 13);
/// ```
pub fn pi_decimal(terms: u64, decimals: u32) -> FixedDecimal {
    let four_scaled = BigUint::from(4u32) * power_of_ten(decimals + GUARD_DIGITS);
    finish(partial_sum_scaled(2, terms, &four_scaled), decimals)
}

/// [`pi_decimal`] with the terms split into partial sums computed in
/// parallel with rayon, as in the course (see [`Split`]).
///
/// Big-integer addition is exact, so the result is identical to
/// `pi_decimal(split.total_terms(), decimals)` whatever the split.
///
/// ```
/// use course_lib::nilakantha::{pi_decimal, pi_decimal_parallel, Split};
///
/// let split = Split::new(6, 500);
/// assert_eq!(pi_decimal_parallel(split, 50), pi_decimal(3000, 50));
/// ```
pub fn pi_decimal_parallel(split: Split, decimals: u32) -> FixedDecimal {
    let four_scaled = BigUint::from(4u32) * power_of_ten(decimals + GUARD_DIGITS);
    let sum: BigInt = (0..split.workers)
        .into_par_iter()
        .map(|worker| {
            partial_sum_scaled(split.first_k(worker), split.terms_per_worker, &four_scaled)
        })
        .sum();
    finish(sum, decimals)
}

/// π to `decimals` correct decimal places from the same series, summed with
/// convergence acceleration.
///
/// Adding terms one by one gains only three digits per tenfold more terms.
/// The algorithm of Cohen, Rodriguez Villegas and Zagier ("Convergence
/// acceleration of alternating series", *Experimental Mathematics*, 2000)
/// instead weights the first `n` terms with the coefficients of a Chebyshev
/// polynomial, and the error falls like `5.83^−n`: about 1.3 terms per
/// correct digit, so 100 digits need about 150 terms. It applies because
/// the Nilakantha terms are moments of a positive weight:
/// `4/((2j+2)(2j+3)(2j+4)) = ∫₀¹ uʲ w(u) du` with `w(u) = (1 − √u)²`.
///
/// Every coefficient is an integer, so the computation is exact big-integer
/// arithmetic plus one rounding per term.
///
/// ```
/// use course_lib::nilakantha::{pi_accelerated, PI_100};
///
/// let pi = pi_accelerated(100);
/// assert_eq!(pi.to_string(), PI_100);
/// ```
pub fn pi_accelerated(decimals: u32) -> FixedDecimal {
    let work = decimals + GUARD_DIGITS;
    // Terms needed for an error below 10^-work: 5.83^-n < 10^-work.
    let n = (f64::from(work) * 10f64.ln() / (3.0 + 8f64.sqrt()).ln()).ceil() as u64 + 2;

    // d = T_n(3), the Chebyshev polynomial: T_0 = 1, T_1 = 3, T_{k+1} = 6 T_k − T_{k−1}.
    let (mut before, mut d) = (BigInt::from(1), BigInt::from(3));
    for _ in 1..n {
        let next = BigInt::from(6) * &d - &before;
        before = std::mem::replace(&mut d, next);
    }

    let four_scaled = BigInt::from(4u32) * BigInt::from(power_of_ten(work));
    let (mut b, mut c, mut sum) = (BigInt::from(-1), -d.clone(), BigInt::ZERO);
    let n_signed = i128::from(n);
    for j in 0..n_signed {
        c = &b - &c;
        // Term j of π − 3 = Σ (−1)^j a_j, with a_j = 4/((2j+2)(2j+3)(2j+4)).
        let denominator = (2 * j + 2) * (2 * j + 3) * (2 * j + 4);
        sum += &c * &four_scaled / denominator;
        // b ← b·(j+n)(j−n) / ((j+½)(j+1)), always an integer.
        b = b * (2 * (j + n_signed) * (j - n_signed)) / ((2 * j + 1) * (j + 1));
    }
    finish(sum / d, decimals)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nilakantha::{PI_100, pi_f64};
    use proptest::prelude::*;

    #[test]
    fn small_sums_are_exact() {
        // 3 + 1/6 − 1/30 + 1/84 = 3.1452380952380952...
        assert_eq!(pi_decimal(3, 16).to_string(), "3.1452380952380952");
        assert_eq!(pi_decimal(0, 3).to_string(), "3.000");
        assert_eq!(pi_decimal(0, 0).to_string(), "3");
        assert_eq!(pi_decimal(1, 0).to_string(), "3");
    }

    #[test]
    fn decimal_agrees_with_f64_where_f64_is_accurate() {
        for terms in [1, 7, 100, 5000] {
            let exact = pi_decimal(terms, 30).to_f64();
            assert!((exact - pi_f64(terms)).abs() < 1e-14, "{terms}");
        }
    }

    #[test]
    fn digits_grow_with_terms_beyond_what_f64_can_hold() {
        assert_eq!(pi_decimal(100_000, 40).matching_digits(), 15);
        assert_eq!(pi_decimal(1_000_000, 40).matching_digits(), 19);
    }

    #[test]
    fn accelerated_reaches_the_whole_reference() {
        assert_eq!(pi_accelerated(100).to_string(), PI_100);
        assert_eq!(pi_accelerated(100).matching_digits(), 101);
        assert_eq!(pi_accelerated(5).to_string(), "3.14159");
        assert_eq!(pi_accelerated(0).to_string(), "3");
        let long = pi_accelerated(150).to_string();
        assert!(long.starts_with(PI_100) && long.len() == 152);
    }

    #[test]
    fn course_style_split_is_exact() {
        let split = Split::new(6, 2000);
        assert_eq!(pi_decimal_parallel(split, 60), pi_decimal(12_000, 60));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn any_split_gives_exactly_the_sequential_sum(workers in 0u64..8, count in 0u64..300, decimals in 0u32..70) {
            let split = Split::new(workers, count);
            prop_assert_eq!(
                pi_decimal_parallel(split, decimals),
                pi_decimal(split.total_terms(), decimals)
            );
        }
    }
}
