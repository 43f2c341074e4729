//! A small, deterministic pseudo-random number generator.
//!
//! [`Rng`] is **SplitMix64**, the generator of Guy L. Steele, Doug Lea and
//! Christine H. Flood ("Fast Splittable Pseudorandom Number Generators",
//! OOPSLA 2014), in the form of Sebastiano Vigna's public-domain reference
//! code `splitmix64.c`: a 64-bit counter advanced by the golden-ratio
//! constant, then scrambled by two xor-shift-multiply rounds.
//!
//! It is fast, passes the usual statistical test batteries, and — most useful
//! in a course — the same seed always gives the same sequence, on every
//! machine. It is **not** suitable for cryptography.
//!
//! ```
//! use course_lib::rng::Rng;
//!
//! let mut rng = Rng::seeded(42);
//! let die = rng.range_inclusive(1..=6);
//! assert!((1..=6).contains(&die));
//!
//! // Same seed, same numbers.
//! assert_eq!(Rng::seeded(7).next_u64(), Rng::seeded(7).next_u64());
//! ```

use std::ops::{Range, RangeInclusive};

/// The SplitMix64 generator (see the [module documentation](self)).
///
/// ```
/// use course_lib::rng::Rng;
///
/// let mut rng = Rng::seeded(2024);
/// let mut cards: Vec<u32> = (1..=10).collect();
/// rng.shuffle(&mut cards);
/// assert_eq!(cards.len(), 10);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rng {
    state: u64,
}

/// The increment of the SplitMix64 counter: 2⁶⁴ divided by the golden ratio, made odd.
const GOLDEN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

impl Rng {
    /// Creates a generator whose sequence is fully determined by `seed`.
    ///
    /// ```
    /// use course_lib::rng::Rng;
    ///
    /// let a: Vec<u64> = { let mut r = Rng::seeded(1); (0..3).map(|_| r.next_u64()).collect() };
    /// let b: Vec<u64> = { let mut r = Rng::seeded(1); (0..3).map(|_| r.next_u64()).collect() };
    /// assert_eq!(a, b);
    /// ```
    pub fn seeded(seed: u64) -> Self {
        Self { state: seed }
    }

    /// Returns the next 64 random bits.
    ///
    /// ```
    /// use course_lib::rng::Rng;
    ///
    /// // The first output for seed 0 in the reference implementation.
    /// assert_eq!(Rng::seeded(0).next_u64(), 0xE220_A839_7B1D_CDAF);
    /// ```
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GOLDEN_GAMMA);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Returns a float uniformly distributed in `[0, 1)`, with 53 random bits.
    ///
    /// ```
    /// let x = course_lib::rng::Rng::seeded(3).next_f64();
    /// assert!((0.0..1.0).contains(&x));
    /// ```
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Returns a number uniformly distributed in `0..n`, without modulo bias.
    ///
    /// `next_u64() % n` would favour small numbers whenever `n` does not
    /// divide 2⁶⁴. This uses Daniel Lemire's multiply-and-reject method
    /// ("Fast Random Integer Generation in an Interval", 2019): the high half
    /// of `random × n` is the answer, and the rare random values that would
    /// make some answers more likely are drawn again.
    ///
    /// # Panics
    ///
    /// Panics if `n` is 0 (the range `0..0` is empty).
    ///
    /// ```
    /// use course_lib::rng::Rng;
    ///
    /// let mut rng = Rng::seeded(5);
    /// assert!((0..100).all(|_| rng.below(3) < 3));
    /// ```
    pub fn below(&mut self, n: u64) -> u64 {
        assert!(n > 0, "Rng::below(0): cannot pick from an empty range");
        let mut product = u128::from(self.next_u64()) * u128::from(n);
        let mut low = product as u64;
        if low < n {
            // 2⁶⁴ mod n: the number of "surplus" values to reject.
            let threshold = n.wrapping_neg() % n;
            while low < threshold {
                product = u128::from(self.next_u64()) * u128::from(n);
                low = product as u64;
            }
        }
        (product >> 64) as u64
    }

    /// Returns a number uniformly distributed in `range` (`a..b`, `b` excluded).
    ///
    /// # Panics
    ///
    /// Panics if the range is empty.
    ///
    /// ```
    /// use course_lib::rng::Rng;
    ///
    /// let mut rng = Rng::seeded(9);
    /// let x = rng.range(10..20);
    /// assert!((10..20).contains(&x));
    /// ```
    pub fn range(&mut self, range: Range<u64>) -> u64 {
        assert!(
            range.start < range.end,
            "Rng::range({}..{}): the range is empty",
            range.start,
            range.end
        );
        range.start + self.below(range.end - range.start)
    }

    /// Returns a number uniformly distributed in `range` (`a..=b`, both ends
    /// included), like Python's `random.randint(a, b)`.
    ///
    /// # Panics
    ///
    /// Panics if the range is empty.
    ///
    /// ```
    /// use course_lib::rng::Rng;
    ///
    /// let mut rng = Rng::seeded(11);
    /// let rolls: Vec<u64> = (0..1000).map(|_| rng.range_inclusive(1..=6)).collect();
    /// assert!(rolls.contains(&1) && rolls.contains(&6));
    /// assert!(rolls.iter().all(|r| (1..=6).contains(r)));
    /// ```
    pub fn range_inclusive(&mut self, range: RangeInclusive<u64>) -> u64 {
        let (start, end) = range.into_inner();
        assert!(
            start <= end,
            "Rng::range_inclusive({start}..={end}): the range is empty"
        );
        match (end - start).checked_add(1) {
            Some(width) => start + self.below(width),
            None => self.next_u64(), // the whole u64 range
        }
    }

    /// Shuffles a slice in place, every order being equally likely
    /// (the Fisher–Yates shuffle).
    ///
    /// ```
    /// use course_lib::rng::Rng;
    ///
    /// let mut deck: Vec<u32> = (0..52).collect();
    /// Rng::seeded(1).shuffle(&mut deck);
    /// let mut sorted = deck.clone();
    /// sorted.sort();
    /// assert_eq!(sorted, (0..52).collect::<Vec<u32>>());
    /// ```
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_reference_sequence_for_seed_zero() {
        let mut rng = Rng::seeded(0);
        let first: Vec<u64> = (0..3).map(|_| rng.next_u64()).collect();
        assert_eq!(
            first,
            [
                0xE220_A839_7B1D_CDAF,
                0x6E78_9E6A_A1B9_65F4,
                0x06C4_5D18_8009_454F
            ]
        );
    }

    #[test]
    fn same_seed_same_sequence_different_seed_different_sequence() {
        let take = |seed| {
            let mut rng = Rng::seeded(seed);
            (0..100).map(|_| rng.next_u64()).collect::<Vec<_>>()
        };
        assert_eq!(take(123), take(123));
        assert_ne!(take(123), take(124));
    }

    #[test]
    fn below_is_roughly_uniform() {
        let mut rng = Rng::seeded(99);
        let mut counts = [0u32; 6];
        for _ in 0..60_000 {
            counts[rng.below(6) as usize] += 1;
        }
        assert!(
            counts.iter().all(|&c| (9_500..10_500).contains(&c)),
            "{counts:?}"
        );
    }

    #[test]
    fn below_handles_huge_bounds() {
        let mut rng = Rng::seeded(4);
        let n = u64::MAX / 3 * 2 + 1;
        assert!((0..1000).all(|_| rng.below(n) < n));
        assert!((0..10).all(|_| rng.below(1) == 0));
    }

    #[test]
    fn ranges_stay_inside_their_bounds() {
        let mut rng = Rng::seeded(8);
        for _ in 0..1000 {
            assert!((5..9).contains(&rng.range(5..9)));
            assert!((5..=9).contains(&rng.range_inclusive(5..=9)));
        }
        assert_eq!(rng.range_inclusive(7..=7), 7);
        let _ = rng.range_inclusive(0..=u64::MAX);
    }

    #[test]
    #[should_panic(expected = "empty")]
    fn empty_range_panics() {
        Rng::seeded(0).range(3..3);
    }

    #[test]
    fn shuffle_is_deterministic_and_a_permutation() {
        let mut a: Vec<u32> = (0..100).collect();
        let mut b = a.clone();
        Rng::seeded(17).shuffle(&mut a);
        Rng::seeded(17).shuffle(&mut b);
        assert_eq!(a, b);
        assert_ne!(a, (0..100).collect::<Vec<u32>>());
        a.sort();
        assert_eq!(a, (0..100).collect::<Vec<u32>>());
    }
}
