//! Part 2: moving averages as iterator adapters, naive and running-sum.

use std::collections::VecDeque;
use std::iter::FusedIterator;

/// Moving averages of any iterator of prices, with method syntax.
///
/// The trait is implemented for every `Iterator<Item = f64>`; bring it into
/// scope (`use course_lib::stocks::MovingAverageExt;`) and both adapters
/// become methods, like the standard `map` or `filter`. Both yield one
/// average per full window: with `window = w`, item `k` is the average of
/// prices `k, k+1, ..., k+w−1`, so it belongs to day `k + w − 1`, and `n`
/// prices give `n − w + 1` averages (none when `w` is 0 or larger than `n`).
///
/// ```
/// use course_lib::stocks::MovingAverageExt;
///
/// let prices = [1.0, 2.0, 3.0, 4.0, 5.0];
/// let fast: Vec<f64> = prices.iter().copied().moving_average(2).collect();
/// let slow: Vec<f64> = prices.iter().copied().moving_average_naive(2).collect();
/// assert_eq!(fast, [1.5, 2.5, 3.5, 4.5]);
/// assert_eq!(slow, fast);
/// ```
pub trait MovingAverageExt: Iterator<Item = f64> + Sized {
    /// Averages over the last `window` prices, in O(1) per step (amortised):
    /// see [`MovingAverage`].
    ///
    /// ```
    /// use course_lib::stocks::{MovingAverageExt, PriceStream};
    ///
    /// // Lazy all the way: an endless stream, averaged, of which we take 3.
    /// let averages: Vec<f64> = PriceStream::seeded(1).moving_average(20).take(3).collect();
    /// assert_eq!(averages.len(), 3);
    /// ```
    fn moving_average(self, window: usize) -> MovingAverage<Self> {
        MovingAverage {
            prices: self,
            window,
            buffer: Vec::new(),
            oldest: 0,
            sum: 0.0,
        }
    }

    /// Averages over the last `window` prices by adding up the whole window
    /// every step, in O(window) per step: see [`NaiveMovingAverage`].
    ///
    /// ```
    /// use course_lib::stocks::MovingAverageExt;
    ///
    /// let averages: Vec<f64> = [2.0, 4.0, 9.0].into_iter().moving_average_naive(3).collect();
    /// assert_eq!(averages, [5.0]);
    /// ```
    fn moving_average_naive(self, window: usize) -> NaiveMovingAverage<Self> {
        NaiveMovingAverage {
            prices: self,
            window,
            recent: VecDeque::new(),
        }
    }
}

impl<I: Iterator<Item = f64>> MovingAverageExt for I {}

/// The running-sum moving average, created by
/// [`moving_average`](MovingAverageExt::moving_average).
///
/// It keeps the last `window` prices in a ring buffer and their sum. Each
/// step adds the new price to the sum and subtracts the one that leaves the
/// window: two operations, whatever the window size. Rounding errors of
/// those additions would pile up over an endless stream, so every `window`
/// steps the sum is recomputed from the buffer (oldest price first), which
/// costs O(window) once per `window` steps: still O(1) per step on average.
///
/// ```
/// use course_lib::stocks::MovingAverageExt;
///
/// let mut averages = (1..=4).map(f64::from).moving_average(3);
/// assert_eq!(averages.next(), Some(2.0)); // (1 + 2 + 3) / 3
/// assert_eq!(averages.next(), Some(3.0)); // (2 + 3 + 4) / 3
/// assert_eq!(averages.next(), None);
/// ```
#[derive(Debug, Clone)]
pub struct MovingAverage<I> {
    prices: I,
    window: usize,
    /// The last `window` prices; position `oldest` holds the oldest once full.
    buffer: Vec<f64>,
    oldest: usize,
    sum: f64,
}

impl<I: Iterator<Item = f64>> Iterator for MovingAverage<I> {
    type Item = f64;

    fn next(&mut self) -> Option<f64> {
        if self.window == 0 {
            return None;
        }
        let size = self.window as f64;
        if self.buffer.len() < self.window {
            while self.buffer.len() < self.window {
                let price = self.prices.next()?;
                self.buffer.push(price);
                self.sum += price;
            }
            return Some(self.sum / size);
        }
        let price = self.prices.next()?;
        let leaving = std::mem::replace(&mut self.buffer[self.oldest], price);
        self.sum += price - leaving;
        self.oldest += 1;
        if self.oldest == self.window {
            // The buffer is in chronological order again: refresh the sum.
            self.oldest = 0;
            self.sum = self.buffer.iter().fold(0.0, |sum, &p| sum + p);
        }
        Some(self.sum / size)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        averages_left(self.prices.size_hint(), self.buffer.len(), self.window)
    }
}

impl<I: FusedIterator<Item = f64>> FusedIterator for MovingAverage<I> {}

/// The moving average that adds up the whole window every step, created by
/// [`moving_average_naive`](MovingAverageExt::moving_average_naive).
///
/// Simple and obviously right, but each step costs O(window): a 200-day
/// average does 200 additions per day.
///
/// ```
/// use course_lib::stocks::MovingAverageExt;
///
/// let averages: Vec<f64> = [1.0, 3.0, 5.0, 7.0].into_iter().moving_average_naive(2).collect();
/// assert_eq!(averages, [2.0, 4.0, 6.0]);
/// ```
#[derive(Debug, Clone)]
pub struct NaiveMovingAverage<I> {
    prices: I,
    window: usize,
    recent: VecDeque<f64>,
}

impl<I: Iterator<Item = f64>> Iterator for NaiveMovingAverage<I> {
    type Item = f64;

    fn next(&mut self) -> Option<f64> {
        if self.window == 0 {
            return None;
        }
        loop {
            self.recent.push_back(self.prices.next()?);
            if self.recent.len() > self.window {
                self.recent.pop_front();
            }
            if self.recent.len() == self.window {
                let sum: f64 = self.recent.iter().fold(0.0, |sum, &p| sum + p);
                return Some(sum / self.window as f64);
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let held = self.recent.len().min(self.window.saturating_sub(1));
        averages_left(self.prices.size_hint(), held, self.window)
    }
}

impl<I: FusedIterator<Item = f64>> FusedIterator for NaiveMovingAverage<I> {}

/// How many averages are left, given the prices left and how many prices
/// of the first window are already held (all of them once it is full).
fn averages_left(
    (low, high): (usize, Option<usize>),
    held: usize,
    window: usize,
) -> (usize, Option<usize>) {
    if window == 0 {
        return (0, Some(0));
    }
    if held >= window {
        return (low, high);
    }
    let missing = window - held - 1;
    let count = |prices: usize| prices.saturating_sub(missing);
    (count(low), high.map(count))
}
