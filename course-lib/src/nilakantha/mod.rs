//! Mini-project 5: π with the Nilakantha series — floats, exact decimals,
//! parallel sums.
//!
//! The Indian astronomer Nilakantha Somayaji (15th century) gave
//!
//! ```text
//! π = 3 + 4/(2·3·4) − 4/(4·5·6) + 4/(6·7·8) − 4/(8·9·10) + …
//! ```
//!
//! Each fraction is a *term*, named here by the even number `k` it starts
//! with: term `k` is `4/(k·(k+1)·(k+2))`, added when `k/2` is odd and
//! subtracted when `k/2` is even. With `n` terms (k = 2, 4, …, 2n) the error
//! is about 1/(4n³): every tenfold increase of `n` buys three more digits.
//!
//! The project computes the sum three ways:
//!
//! - in `f64` ([`pi_f64`]), which can never show more than about 16 correct
//!   digits, however many terms are added;
//! - with exact big-integer arithmetic ([`pi_decimal`], [`FixedDecimal`]),
//!   where the digits keep improving with the number of terms, and
//!   [`pi_accelerated`], which sums the same series cleverly to get 100
//!   correct digits from about 150 terms;
//! - in parallel ([`pi_f64_parallel`], [`pi_decimal_parallel`]), split into
//!   partial sums as in the course ([`Split`]).
//!
//! [`matching_digits`] compares a result digit by digit with [`PI_100`],
//! and [`digits_table`] puts it all in one notebook table.
//!
//! ```
//! use course_lib::nilakantha::{matching_digits, matching_digits_f64, pi_decimal, pi_f64};
//!
//! let float = pi_f64(1000);
//! let exact = pi_decimal(1000, 30);
//! assert_eq!(matching_digits_f64(float), 10);
//! assert_eq!(matching_digits(&exact.to_string()), 10);
//! ```

mod decimal;
mod digits;

pub use decimal::{FixedDecimal, pi_accelerated, pi_decimal, pi_decimal_parallel};
pub use digits::{PI_100, digits_table, matching_digits, matching_digits_f64};

use rayon::prelude::*;

/// How the series is cut into partial sums, one per worker.
///
/// Worker `i` (counting from 0) adds `terms_per_worker` consecutive terms,
/// starting at term `k = 2·i·terms_per_worker + 2`. Since every term moves
/// `k` on by 2, worker `i` ends just before the start of worker `i + 1`:
/// together the workers add the first `workers × terms_per_worker` terms,
/// exactly as one long sum would.
///
/// The course's Python version used [`Split::COURSE`]: 6 worker processes of
/// 10,000,000 terms each.
///
/// ```
/// use course_lib::nilakantha::Split;
///
/// let split = Split::new(3, 4);
/// assert_eq!(split.first_k(0), 2);   // terms k = 2, 4, 6, 8
/// assert_eq!(split.first_k(1), 10);  // terms k = 10, 12, 14, 16
/// assert_eq!(split.first_k(2), 18);
/// assert_eq!(split.total_terms(), 12);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Split {
    /// The number of partial sums (workers).
    pub workers: u64,
    /// How many consecutive terms each worker adds.
    pub terms_per_worker: u64,
}

impl Split {
    /// The course's split: 6 workers of 10,000,000 terms each.
    ///
    /// ```
    /// use course_lib::nilakantha::Split;
    ///
    /// assert_eq!(Split::COURSE.total_terms(), 60_000_000);
    /// ```
    pub const COURSE: Split = Split {
        workers: 6,
        terms_per_worker: 10_000_000,
    };

    /// A split into `workers` partial sums of `terms_per_worker` terms each.
    ///
    /// ```
    /// assert_eq!(course_lib::nilakantha::Split::new(2, 5).total_terms(), 10);
    /// ```
    pub fn new(workers: u64, terms_per_worker: u64) -> Self {
        Self {
            workers,
            terms_per_worker,
        }
    }

    /// The first term `k` of worker `worker`: `2·worker·terms_per_worker + 2`.
    ///
    /// ```
    /// use course_lib::nilakantha::Split;
    ///
    /// assert_eq!(Split::COURSE.first_k(5), 100_000_002);
    /// ```
    pub fn first_k(&self, worker: u64) -> u64 {
        2 * worker * self.terms_per_worker + 2
    }

    /// The number of terms added by all workers together.
    ///
    /// ```
    /// assert_eq!(course_lib::nilakantha::Split::new(6, 7).total_terms(), 42);
    /// ```
    pub fn total_terms(&self) -> u64 {
        self.workers * self.terms_per_worker
    }
}

/// Whether term `k` is added (`k/2` odd) or subtracted (`k/2` even).
fn is_added(k: u64) -> bool {
    (k / 2) % 2 == 1
}

/// Adds `count` consecutive terms in `f64`, starting at term `first_k`
/// (an even number, at least 2), in increasing order of `k`.
///
/// # Panics
///
/// Panics if `first_k` is odd or 0.
///
/// ```
/// use course_lib::nilakantha::partial_sum_f64;
///
/// assert_eq!(partial_sum_f64(2, 1), 4.0 / 24.0);
/// assert_eq!(partial_sum_f64(4, 1), -4.0 / 120.0);
/// assert_eq!(partial_sum_f64(2, 0), 0.0);
/// ```
pub fn partial_sum_f64(first_k: u64, count: u64) -> f64 {
    assert!(
        first_k >= 2 && first_k.is_multiple_of(2),
        "terms start at an even k ≥ 2, not {first_k}"
    );
    let mut sign = if is_added(first_k) { 4.0 } else { -4.0 };
    let mut k = first_k as f64;
    let mut sum = 0.0;
    for _ in 0..count {
        sum += sign / (k * (k + 1.0) * (k + 2.0));
        sign = -sign;
        k += 2.0;
    }
    sum
}

/// π from the first `terms` terms of the series, in `f64`.
///
/// ```
/// use course_lib::nilakantha::pi_f64;
///
/// assert_eq!(pi_f64(0), 3.0);
/// assert_eq!(pi_f64(1), 3.0 + 4.0 / 24.0);
/// assert!((pi_f64(100_000) - std::f64::consts::PI).abs() < 1e-14);
/// ```
pub fn pi_f64(terms: u64) -> f64 {
    3.0 + partial_sum_f64(2, terms)
}

/// Adds 3 and the partial sums, in worker order.
fn combine_f64(partials: &[f64]) -> f64 {
    3.0 + partials.iter().sum::<f64>()
}

/// π from the partial sums of `split`, computed one after the other in `f64`.
///
/// This is the reference for [`pi_f64_parallel`]: it adds the same partial
/// sums in the same order, so the two results are identical to the last bit.
/// (They can differ from [`pi_f64`] of the same number of terms in the last
/// bits: floating-point addition is not associative.)
///
/// ```
/// use course_lib::nilakantha::{pi_f64, pi_f64_sequential, Split};
///
/// let split = Split::new(6, 1000);
/// assert!((pi_f64_sequential(split) - pi_f64(6000)).abs() < 1e-14);
/// ```
pub fn pi_f64_sequential(split: Split) -> f64 {
    let partials: Vec<f64> = (0..split.workers)
        .map(|worker| partial_sum_f64(split.first_k(worker), split.terms_per_worker))
        .collect();
    combine_f64(&partials)
}

/// π from the partial sums of `split`, computed in parallel with rayon, in `f64`.
///
/// Each worker's partial sum is a rayon task; rayon runs them on as many
/// threads as the machine has cores. The results are then added in worker
/// order, so the answer equals [`pi_f64_sequential`] exactly.
///
/// ```
/// use course_lib::nilakantha::{pi_f64_parallel, pi_f64_sequential, Split};
///
/// let split = Split::new(6, 1000);
/// assert_eq!(pi_f64_parallel(split), pi_f64_sequential(split));
/// ```
pub fn pi_f64_parallel(split: Split) -> f64 {
    let partials: Vec<f64> = (0..split.workers)
        .into_par_iter()
        .map(|worker| partial_sum_f64(split.first_k(worker), split.terms_per_worker))
        .collect();
    combine_f64(&partials)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn first_terms_by_hand() {
        let by_hand = 3.0 + 4.0 / 24.0 - 4.0 / 120.0 + 4.0 / 336.0;
        assert_eq!(pi_f64(3), by_hand);
        assert!(pi_f64(3) > std::f64::consts::PI && pi_f64(4) < std::f64::consts::PI);
    }

    #[test]
    fn error_shrinks_like_one_over_four_n_cubed() {
        for n in [10u64, 100, 1000] {
            let error = (pi_f64(n) - std::f64::consts::PI).abs();
            let predicted = 1.0 / (4.0 * (n as f64).powi(3));
            assert!(
                error < 1.5 * predicted && error > 0.5 * predicted,
                "{n}: {error}"
            );
        }
    }

    #[test]
    fn course_split_mirrors_the_original() {
        let split = Split::COURSE;
        assert_eq!(split.workers, 6);
        assert_eq!(split.terms_per_worker, 10_000_000);
        let starts: Vec<u64> = (0..6).map(|i| split.first_k(i)).collect();
        assert_eq!(
            starts,
            [
                2,
                20_000_002,
                40_000_002,
                60_000_002,
                80_000_002,
                100_000_002
            ]
        );
    }

    #[test]
    #[should_panic(expected = "even k")]
    fn odd_first_k_panics() {
        partial_sum_f64(3, 1);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn parallel_equals_sequential_and_matches_one_long_sum(workers in 0u64..10, count in 0u64..3000) {
            let split = Split::new(workers, count);
            let sequential = pi_f64_sequential(split);
            prop_assert_eq!(pi_f64_parallel(split).to_bits(), sequential.to_bits());
            prop_assert!((sequential - pi_f64(split.total_terms())).abs() < 1e-14);
        }

        #[test]
        fn partial_sums_chain(first in 1u64..1000, a in 0u64..500, b in 0u64..500) {
            let k = 2 * first;
            let whole = partial_sum_f64(k, a + b);
            let parts = partial_sum_f64(k, a) + partial_sum_f64(k + 2 * a, b);
            prop_assert!((whole - parts).abs() < 1e-15);
        }
    }
}
