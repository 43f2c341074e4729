//! Mini-project 4: the code breaker — recovering a password from its MD5
//! digest by brute force, made fast one step at a time.
//!
//! The passwords are made of ASCII letters only, in the order of Python's
//! `string.ascii_letters` ([`ALPHABET`]: `a`–`z` then `A`–`Z`), and their
//! length is known. A length-`n` password is one of 52ⁿ candidates
//! ([`search_space`]): 140,608 for 3 letters, 380 million for 5, almost 20
//! billion for 6. The only way back from a digest is to hash candidates
//! until one matches.
//!
//! # The steps
//!
//! | step | function               | what changes                                              |
//! |------|------------------------|-----------------------------------------------------------|
//! | 0    | [`crack_naive`]        | random guesses, a `Vec` of tried passwords, hex strings, printing every attempt |
//! | 1    | [`crack_no_print`]     | no I/O in the loop                                        |
//! | 2    | [`crack_hash_set`]     | a `HashSet` of tried passwords instead of `Vec::contains` |
//! | 3    | [`crack_in_order`]     | every candidate once, in order (no randomness, no set)    |
//! | 4    | [`crack_raw_digest`]   | compare the 16 raw digest bytes, not 32-digit hex strings |
//! | 5    | [`crack_parallel`]     | all cores (rayon), stopping all workers at the first hit  |
//! | 6    | [`crack_fast`]         | an MD5 specialised for short passwords, 16 at a time (SIMD) |
//!
//! [`Step`] lists them for side-by-side runs, and [`compare_steps`] times
//! them all on one digest within a time budget.
//!
//! # From Python to Rust
//!
//! | Python                                          | Rust                                              |
//! |-------------------------------------------------|---------------------------------------------------|
//! | `hashlib.md5(word.encode()).hexdigest()`        | `format!("{:x}", md5::compute(word))` (md5 crate) |
//! | `bytes.fromhex(digest)`                         | `"d0ee...".parse::<`[`Md5Digest`]`>()`            |
//! | `random.choice(string.ascii_letters)`           | [`Rng::below`](crate::rng::Rng::below)`(52)` on [`ALPHABET`] |
//! | `guess in tried` on a list / on a set           | `Vec::contains` / `HashSet::contains`             |
//! | `itertools.product(ascii_letters, repeat=n)`    | `repeat_n(letters, n).multi_cartesian_product()`  |
//! | `multiprocessing.Pool` + an `Event` to stop     | rayon + an [`AtomicBool`](std::sync::atomic::AtomicBool) |
//! | `ValueError` on a bad digest                    | [`CrackError`], returned in a `Result`            |
//!
//! ```
//! use course_lib::codebreaker::{crack_fast, crack_in_order, Md5Digest};
//!
//! let digest: Md5Digest = "d0eedb799584d850fdd802fd3c27ae34".parse()?;
//! let slow = crack_in_order(&digest, 3)?;
//! let fast = crack_fast(&digest, 3, 2)?;
//! assert_eq!(slow.password.as_deref(), Some("Hey"));
//! assert_eq!(fast.password, slow.password);
//! println!("{fast}"); // found "Hey" after ... candidates in ... s (...)
//! # Ok::<(), course_lib::codebreaker::CrackError>(())
//! ```
//!
//! # The fast version
//!
//! [`crack_fast`] hashes 16 candidates per instruction with AVX-512 (8 with
//! AVX2, or plain Rust elsewhere: see [`Backend`]). It does not compute
//! whole digests: a candidate's MD5 input is a single block in which only
//! the first two of sixteen words hold letters, so most of the arithmetic is
//! the same for every candidate. Instead of computing the last 21 of the 64
//! MD5 steps, the search runs steps 63 down to 46 *backwards* from the
//! target digest (15 of them once per batch, 3 cheap ones per candidate),
//! so each candidate costs 43 steps and one 32-bit comparison. The rare
//! candidates that pass are checked with the md5 crate. Threads take batches from a shared
//! counter and all stop as soon as one of them has the answer.
//! [`crack_fast_with_progress`] reports progress a few times per second
//! while it runs.

mod alphabet;
mod compare;
mod digest;
mod error;
mod fast;
mod md5x;
mod parallel;
mod progress;
mod result;
mod steps;

#[cfg(test)]
mod tests;

pub use alphabet::{ALPHABET, MAX_LENGTH, index_of, password_at, search_space};
pub use compare::{Step, StepTiming, compare_steps, time_steps};
pub use digest::Md5Digest;
pub use error::CrackError;
pub use fast::{FastSearch, crack_fast, crack_fast_with_progress};
pub use md5x::Backend;
pub use parallel::crack_parallel;
pub use progress::Progress;
pub use result::Cracked;
pub use steps::{
    DEFAULT_MAX_ATTEMPTS, DEFAULT_SEED, crack_hash_set, crack_in_order, crack_naive,
    crack_no_print, crack_raw_digest,
};

/// The course's four digests, as `(password length, MD5 digest in hex)`.
///
/// The course asks for the length-3 one in under 0.1 s of Python, the
/// length-4 one in under 10 s, the length-5 one in under 1000 s, and the
/// length-6 one "for more".
///
/// ```
/// use course_lib::codebreaker::{crack_fast, Md5Digest, COURSE_DIGESTS};
///
/// let (length, hex) = COURSE_DIGESTS[0];
/// let digest: Md5Digest = hex.parse()?;
/// assert_eq!(crack_fast(&digest, length, 1)?.password.as_deref(), Some("Hey"));
/// # Ok::<(), course_lib::codebreaker::CrackError>(())
/// ```
pub const COURSE_DIGESTS: [(usize, &str); 4] = [
    (3, "d0eedb799584d850fdd802fd3c27ae34"),
    (4, "9fcce10c03dc2eaada4c361c508c4ebe"),
    (5, "8b1a9953c4611296a827abf8c47804d7"),
    (6, "4d546c773867b86b4a233a7428c46c19"),
];
