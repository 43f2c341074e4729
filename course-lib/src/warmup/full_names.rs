//! Full names ("Bob-Alice Dupont"), produced three ways: an iterator
//! struct, a lazy iterator chain and an eager function.

use std::iter::FusedIterator;

use super::names::{FIRST_NAMES, LAST_NAMES, composed_names_loops};

/// The number of full names: 110 composed names × 10 last names.
///
/// ```
/// use course_lib::warmup::{FULL_COUNT, full_names_vec};
///
/// assert_eq!(FULL_COUNT, 1100);
/// assert_eq!(full_names_vec().len(), FULL_COUNT);
/// ```
pub const FULL_COUNT: usize = super::names::COMPOSED_COUNT * LAST_NAMES.len();

/// An iterator over full names that remembers only *where it is*.
///
/// This is the Rust form of a Python iterator class (one with `__iter__` and
/// `__next__`). It holds the two name lists and a position, and builds each
/// name when asked: position `p` is composed name `p / 10` with last name
/// `p % 10`, and composed name `c` is first name `c / 10` joined with the
/// `c % 10`-th of the *other* first names. Because the position says
/// everything, the iterator knows exactly how many names are left
/// ([`ExactSizeIterator`]), can jump ahead in one step ([`Iterator::nth`])
/// and can run backwards ([`DoubleEndedIterator`]).
///
/// The order is fixed: composed names in the order of
/// [`composed_names_loops`](super::composed_names_loops), and for each of them
/// every last name in the order of [`LAST_NAMES`].
///
/// ```
/// use course_lib::warmup::FullNames;
///
/// let mut names = FullNames::new();
/// assert_eq!(names.len(), 1100);
/// assert_eq!(names.next().as_deref(), Some("Bob-Alice Dupont"));
/// assert_eq!(names.next().as_deref(), Some("Bob-Alice Dupond"));
/// assert_eq!(names.len(), 1098);
/// assert_eq!(names.next_back().as_deref(), Some("Richard-Léa Sanzot"));
/// assert_eq!(names.nth(8).as_deref(), Some("Bob-Maria Dupont"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FullNames<'a> {
    first_names: &'a [&'a str],
    last_names: &'a [&'a str],
    /// The position of the next name from the front.
    front: usize,
    /// One past the position of the next name from the back.
    back: usize,
}

impl FullNames<'static> {
    /// Every full name of the course's [`FIRST_NAMES`] and [`LAST_NAMES`].
    ///
    /// ```
    /// let first = course_lib::warmup::FullNames::new().next();
    /// assert_eq!(first.as_deref(), Some("Bob-Alice Dupont"));
    /// ```
    pub fn new() -> Self {
        FullNames::from_lists(&FIRST_NAMES, &LAST_NAMES)
    }
}

impl Default for FullNames<'static> {
    fn default() -> Self {
        FullNames::new()
    }
}

impl<'a> FullNames<'a> {
    /// Every full name made of two different entries of `first_names` and
    /// one of `last_names`.
    ///
    /// With fewer than two first names or no last name there are none.
    ///
    /// ```
    /// use course_lib::warmup::FullNames;
    ///
    /// let names: Vec<String> = FullNames::from_lists(&["Ann", "Bo"], &["Li"]).collect();
    /// assert_eq!(names, ["Ann-Bo Li", "Bo-Ann Li"]);
    /// assert_eq!(FullNames::from_lists(&["Ann"], &["Li"]).count(), 0);
    /// ```
    pub fn from_lists(first_names: &'a [&'a str], last_names: &'a [&'a str]) -> Self {
        let n = first_names.len();
        let total = n
            .saturating_mul(n.saturating_sub(1))
            .saturating_mul(last_names.len());
        FullNames {
            first_names,
            last_names,
            front: 0,
            back: total,
        }
    }

    /// Builds the name at `position` (which must be below the total count).
    fn name_at(&self, position: usize) -> String {
        let others = self.first_names.len() - 1;
        let last_count = self.last_names.len();
        let (composed, last) = (position / last_count, position % last_count);
        let (first, other) = (composed / others, composed % others);
        // Skip the first name itself among the candidates for the second part.
        let second = if other >= first { other + 1 } else { other };
        [
            self.first_names[first],
            "-",
            self.first_names[second],
            " ",
            self.last_names[last],
        ]
        .concat()
    }
}

impl Iterator for FullNames<'_> {
    type Item = String;

    fn next(&mut self) -> Option<String> {
        if self.front >= self.back {
            return None;
        }
        let name = self.name_at(self.front);
        self.front += 1;
        Some(name)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.back - self.front;
        (left, Some(left))
    }

    fn nth(&mut self, n: usize) -> Option<String> {
        self.front = self.front.saturating_add(n).min(self.back);
        self.next()
    }

    fn count(self) -> usize {
        self.len()
    }

    fn last(mut self) -> Option<String> {
        self.next_back()
    }
}

impl DoubleEndedIterator for FullNames<'_> {
    fn next_back(&mut self) -> Option<String> {
        if self.front >= self.back {
            return None;
        }
        self.back -= 1;
        Some(self.name_at(self.back))
    }

    fn nth_back(&mut self, n: usize) -> Option<String> {
        self.back = self.back.saturating_sub(n).max(self.front);
        self.next_back()
    }
}

impl ExactSizeIterator for FullNames<'_> {}

impl FusedIterator for FullNames<'_> {}

/// Every full name as a lazy chain of iterator adapters, the Rust
/// counterpart of a Python generator with three nested `for` loops.
///
/// Nothing is built until the names are asked for, one at a time: `take(3)`
/// formats three strings and stops. Same names, same order as [`FullNames`].
///
/// ```
/// use course_lib::warmup::{FullNames, full_names_lazy};
///
/// let first_three: Vec<String> = full_names_lazy().take(3).collect();
/// assert_eq!(first_three, ["Bob-Alice Dupont", "Bob-Alice Dupond", "Bob-Alice Haddock"]);
/// assert!(full_names_lazy().eq(FullNames::new()));
/// ```
pub fn full_names_lazy() -> impl Iterator<Item = String> {
    FIRST_NAMES
        .iter()
        .enumerate()
        .flat_map(|(i, first)| {
            FIRST_NAMES
                .iter()
                .enumerate()
                .filter(move |&(j, _)| j != i)
                .map(move |(_, second)| (first, second))
        })
        .flat_map(|(first, second)| {
            LAST_NAMES
                .iter()
                .map(move |last| [*first, "-", *second, " ", *last].concat())
        })
}

/// Every full name, built at once and returned in a `Vec` (the eager way,
/// like a Python function that fills and returns a list).
///
/// All 1100 strings live in memory together; compare with
/// [`MemoryReport`](super::MemoryReport). Same names, same order as
/// [`FullNames`].
///
/// ```
/// use course_lib::warmup::{FullNames, full_names_vec};
///
/// let names = full_names_vec();
/// assert_eq!(names.len(), 1100);
/// assert_eq!(names[1099], "Richard-Léa Sanzot");
/// assert_eq!(names, FullNames::new().collect::<Vec<_>>());
/// ```
pub fn full_names_vec() -> Vec<String> {
    let composed = composed_names_loops();
    let mut names = Vec::with_capacity(composed.len() * LAST_NAMES.len());
    for first_part in &composed {
        for last in LAST_NAMES {
            names.push([first_part.as_str(), " ", last].concat());
        }
    }
    names
}
