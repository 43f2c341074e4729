//! The single-threaded steps, from the course's naive version to in-order
//! enumeration with raw digest comparison.
//!
//! Each public function is the previous one with one thing fixed. They all
//! use the md5 crate for hashing, so the differences come from the code
//! around the hash.

use std::collections::HashSet;
use std::io::Write;
use std::iter::repeat_n;
use std::time::{Duration, Instant};

use itertools::Itertools;

use super::alphabet::{LETTERS, check_length};
use super::{ALPHABET, CrackError, Cracked, Md5Digest, search_space};
use crate::rng::Rng;

/// The seed of the random guesses when none is given ([`Step::run`](super::Step::run)).
///
/// ```
/// assert_eq!(course_lib::codebreaker::DEFAULT_SEED, 2024);
/// ```
pub const DEFAULT_SEED: u64 = 2024;

/// The attempt limit of the random steps when none is given
/// ([`Step::run`](super::Step::run)): enough to find any 4-letter password
/// almost surely, and a bound on the memory the tried list can take.
///
/// ```
/// assert_eq!(course_lib::codebreaker::DEFAULT_MAX_ATTEMPTS, 30_000_000);
/// ```
pub const DEFAULT_MAX_ATTEMPTS: u64 = 30_000_000;

/// How many candidates the loops test between two looks at the clock.
const CLOCK_EVERY: u64 = 256;

/// An optional time limit for a search (used by [`compare_steps`](super::compare_steps)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Deadline(Option<Instant>);

impl Deadline {
    /// No time limit.
    pub(crate) const NONE: Deadline = Deadline(None);

    /// Stop `budget` from now.
    pub(crate) fn after(budget: Duration) -> Deadline {
        Deadline(Instant::now().checked_add(budget))
    }

    /// Whether the time is up.
    pub(crate) fn passed(self) -> bool {
        self.0.is_some_and(|deadline| Instant::now() >= deadline)
    }
}

/// A search's result, and whether its deadline stopped it early.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Run {
    pub cracked: Cracked,
    pub stopped: bool,
}

/// A random password of `length` letters, each drawn independently.
fn random_guess(rng: &mut Rng, length: usize) -> String {
    (0..length)
        .map(|_| char::from(LETTERS[rng.below(52) as usize]))
        .collect()
}

/// The MD5 digest of `password` as 32 lowercase hex digits, like Python's
/// `hashlib.md5(password.encode()).hexdigest()`.
fn hex_md5(password: &str) -> String {
    format!("{:x}", md5::compute(password.as_bytes()))
}

/// Step 0, the course's naive version: random guesses, a `Vec` of the
/// passwords already tried, digests compared as hex strings, and every
/// attempt printed to `out`.
///
/// A guess already in `tried` is skipped (it still counts as an attempt).
/// The search stops after `max_attempts` guesses, or when every password of
/// that length has been tried, so it always ends. `tested` counts the
/// passwords actually hashed. Errors writing to `out` are ignored: printing
/// never stops the search. Pass `&mut std::io::stdout()` to see every
/// attempt, or `&mut std::io::sink()` to throw them away.
///
/// Why it is slow: `tried.contains` compares the guess with every password
/// tried so far, so the search time grows with the *square* of the number
/// of attempts; random guesses repeat, more and more often as `tried`
/// fills up; and each attempt formats and writes a line.
///
/// ```
/// use course_lib::codebreaker::{crack_naive, Md5Digest};
///
/// let mut printed = Vec::new();
/// let cracked = crack_naive(&Md5Digest::of("Hi"), 2, 1, 100_000, &mut printed)?;
/// assert_eq!(cracked.password.as_deref(), Some("Hi"));
/// let lines = String::from_utf8(printed).unwrap();
/// assert_eq!(lines.lines().count() as u64, cracked.tested);
/// assert!(lines.lines().last().unwrap().ends_with("Hi"));
/// # Ok::<(), course_lib::codebreaker::CrackError>(())
/// ```
///
/// # Errors
///
/// [`CrackError::PasswordLength`] unless `length` is 1 to [`MAX_LENGTH`](super::MAX_LENGTH).
pub fn crack_naive(
    digest: &Md5Digest,
    length: usize,
    seed: u64,
    max_attempts: u64,
    out: &mut impl Write,
) -> Result<Cracked, CrackError> {
    naive(
        digest,
        length,
        seed,
        max_attempts,
        Some(out),
        Deadline::NONE,
    )
    .map(|run| run.cracked)
}

/// Step 1: [`crack_naive`] without printing. Writing a line per attempt
/// costs more than hashing it, even to a fast terminal.
///
/// The same seed gives the same guesses as [`crack_naive`], so both test
/// the same candidates.
///
/// ```
/// use course_lib::codebreaker::{crack_naive, crack_no_print, Md5Digest};
///
/// let digest = Md5Digest::of("Hi");
/// let quiet = crack_no_print(&digest, 2, 7, 100_000)?;
/// let noisy = crack_naive(&digest, 2, 7, 100_000, &mut std::io::sink())?;
/// assert_eq!(quiet.tested, noisy.tested);
/// # Ok::<(), course_lib::codebreaker::CrackError>(())
/// ```
///
/// # Errors
///
/// [`CrackError::PasswordLength`] unless `length` is 1 to [`MAX_LENGTH`](super::MAX_LENGTH).
pub fn crack_no_print(
    digest: &Md5Digest,
    length: usize,
    seed: u64,
    max_attempts: u64,
) -> Result<Cracked, CrackError> {
    naive(
        digest,
        length,
        seed,
        max_attempts,
        None::<&mut std::io::Sink>,
        Deadline::NONE,
    )
    .map(|run| run.cracked)
}

/// Steps 0 and 1: the `Vec` of tried passwords, printing to `out` if given.
pub(crate) fn naive(
    digest: &Md5Digest,
    length: usize,
    seed: u64,
    max_attempts: u64,
    mut out: Option<&mut impl Write>,
    deadline: Deadline,
) -> Result<Run, CrackError> {
    check_length(length)?;
    let started = Instant::now();
    let target = digest.to_hex();
    let total = search_space(length);
    let mut rng = Rng::seeded(seed);
    let mut tried: Vec<String> = Vec::new();
    let mut password = None;
    let mut attempts = 0;
    let mut stopped = false;
    while attempts < max_attempts && (tried.len() as u64) < total {
        if attempts.is_multiple_of(CLOCK_EVERY) && deadline.passed() {
            stopped = true;
            break;
        }
        attempts += 1;
        let guess = random_guess(&mut rng, length);
        if tried.contains(&guess) {
            continue;
        }
        if let Some(out) = out.as_mut() {
            let _ = writeln!(out, "attempt {attempts}: {guess}");
        }
        let found = hex_md5(&guess) == target;
        tried.push(guess);
        if found {
            password = tried.pop();
            break;
        }
    }
    let tested = tried.len() as u64 + u64::from(password.is_some());
    Ok(Run {
        cracked: Cracked {
            password,
            tested,
            total,
            elapsed: started.elapsed(),
        },
        stopped,
    })
}

/// Step 2: [`crack_no_print`] with a [`HashSet`] of tried passwords.
/// Checking a guess now takes about the same time however many passwords
/// were tried, instead of time proportional to their number.
///
/// Random guesses still repeat: trying every one of `N` passwords takes
/// about `N × ln N` guesses. The same seed gives the same guesses as the
/// previous steps.
///
/// ```
/// use course_lib::codebreaker::{crack_hash_set, crack_no_print, Md5Digest};
///
/// let digest = Md5Digest::of("Hey");
/// let with_set = crack_hash_set(&digest, 3, 7, 10_000_000)?;
/// assert_eq!(with_set.password.as_deref(), Some("Hey"));
///
/// // Same guesses as the `Vec` version, found after the same number of tries.
/// let digest = Md5Digest::of("Yo");
/// let with_vec = crack_no_print(&digest, 2, 7, 100_000)?;
/// assert_eq!(crack_hash_set(&digest, 2, 7, 100_000)?.tested, with_vec.tested);
/// # Ok::<(), course_lib::codebreaker::CrackError>(())
/// ```
///
/// # Errors
///
/// [`CrackError::PasswordLength`] unless `length` is 1 to [`MAX_LENGTH`](super::MAX_LENGTH).
pub fn crack_hash_set(
    digest: &Md5Digest,
    length: usize,
    seed: u64,
    max_attempts: u64,
) -> Result<Cracked, CrackError> {
    hash_set(digest, length, seed, max_attempts, Deadline::NONE).map(|run| run.cracked)
}

pub(crate) fn hash_set(
    digest: &Md5Digest,
    length: usize,
    seed: u64,
    max_attempts: u64,
    deadline: Deadline,
) -> Result<Run, CrackError> {
    check_length(length)?;
    let started = Instant::now();
    let target = digest.to_hex();
    let total = search_space(length);
    let mut rng = Rng::seeded(seed);
    let mut tried: HashSet<String> = HashSet::new();
    let mut password = None;
    let mut attempts = 0;
    let mut stopped = false;
    while attempts < max_attempts && (tried.len() as u64) < total {
        if attempts.is_multiple_of(CLOCK_EVERY) && deadline.passed() {
            stopped = true;
            break;
        }
        attempts += 1;
        let guess = random_guess(&mut rng, length);
        if tried.contains(&guess) {
            continue;
        }
        if hex_md5(&guess) == target {
            password = Some(guess);
            break;
        }
        tried.insert(guess);
    }
    let tested = tried.len() as u64 + u64::from(password.is_some());
    Ok(Run {
        cracked: Cracked {
            password,
            tested,
            total,
            elapsed: started.elapsed(),
        },
        stopped,
    })
}

/// Step 3: every candidate exactly once, in the order of Python's
/// `itertools.product(string.ascii_letters, repeat=length)` (the last
/// letter changes fastest). No candidate repeats, so there is no set of
/// tried passwords to keep at all, and the search is deterministic:
/// `tested` is the password's position in that order, plus one.
///
/// ```
/// use course_lib::codebreaker::{crack_in_order, index_of, Md5Digest};
///
/// let cracked = crack_in_order(&Md5Digest::of("Hey"), 3)?;
/// assert_eq!(cracked.password.as_deref(), Some("Hey"));
/// assert_eq!(cracked.tested, index_of("Hey").unwrap() + 1);
/// # Ok::<(), course_lib::codebreaker::CrackError>(())
/// ```
///
/// # Errors
///
/// [`CrackError::PasswordLength`] unless `length` is 1 to [`MAX_LENGTH`](super::MAX_LENGTH).
pub fn crack_in_order(digest: &Md5Digest, length: usize) -> Result<Cracked, CrackError> {
    in_order(digest, length, Deadline::NONE).map(|run| run.cracked)
}

pub(crate) fn in_order(
    digest: &Md5Digest,
    length: usize,
    deadline: Deadline,
) -> Result<Run, CrackError> {
    check_length(length)?;
    let started = Instant::now();
    let target = digest.to_hex();
    let mut password = None;
    let mut tested = 0u64;
    let mut stopped = false;
    for letters in repeat_n(ALPHABET.chars(), length).multi_cartesian_product() {
        if tested.is_multiple_of(CLOCK_EVERY) && deadline.passed() {
            stopped = true;
            break;
        }
        tested += 1;
        let guess: String = letters.into_iter().collect();
        if hex_md5(&guess) == target {
            password = Some(guess);
            break;
        }
    }
    Ok(Run {
        cracked: Cracked {
            password,
            tested,
            total: search_space(length),
            elapsed: started.elapsed(),
        },
        stopped,
    })
}

/// Step 4: [`crack_in_order`] comparing the 16 raw bytes of each digest
/// with the target's, instead of formatting 32 hex digits per candidate
/// and comparing strings. The candidates are bytes, not `String`s, too.
///
/// ```
/// use course_lib::codebreaker::{crack_in_order, crack_raw_digest, Md5Digest};
///
/// let digest: Md5Digest = "d0eedb799584d850fdd802fd3c27ae34".parse()?;
/// assert_eq!(crack_raw_digest(&digest, 3)?.password.as_deref(), Some("Hey"));
/// assert_eq!(crack_raw_digest(&digest, 3)?.tested, crack_in_order(&digest, 3)?.tested);
/// # Ok::<(), course_lib::codebreaker::CrackError>(())
/// ```
///
/// # Errors
///
/// [`CrackError::PasswordLength`] unless `length` is 1 to [`MAX_LENGTH`](super::MAX_LENGTH).
pub fn crack_raw_digest(digest: &Md5Digest, length: usize) -> Result<Cracked, CrackError> {
    raw_digest(digest, length, Deadline::NONE).map(|run| run.cracked)
}

pub(crate) fn raw_digest(
    digest: &Md5Digest,
    length: usize,
    deadline: Deadline,
) -> Result<Run, CrackError> {
    check_length(length)?;
    let started = Instant::now();
    let target: [u8; 16] = *digest.as_bytes();
    let mut password = None;
    let mut tested = 0u64;
    let mut stopped = false;
    for letters in repeat_n(LETTERS.iter().copied(), length).multi_cartesian_product() {
        if tested.is_multiple_of(CLOCK_EVERY) && deadline.passed() {
            stopped = true;
            break;
        }
        tested += 1;
        let hash: [u8; 16] = md5::compute(&letters).0;
        if hash == target {
            password = Some(letters.into_iter().map(char::from).collect());
            break;
        }
    }
    Ok(Run {
        cracked: Cracked {
            password,
            tested,
            total: search_space(length),
            elapsed: started.elapsed(),
        },
        stopped,
    })
}
