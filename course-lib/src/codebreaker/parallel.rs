//! Step 5: the in-order search on every core with rayon.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

use rayon::prelude::*;

use super::alphabet::{LETTERS, advance, check_length};
use super::steps::{Deadline, Run};
use super::{CrackError, Cracked, Md5Digest, search_space};

/// How many candidates a worker tests between two looks at the stop flag
/// (well under a millisecond of work).
const CHECK_EVERY: u64 = 1024;

/// Step 5: the search split by first letter into 52 tasks that rayon runs
/// on all cores (its global thread pool, or the pool of the enclosing
/// `ThreadPool::install`).
///
/// Each task walks its share in order with the letters in a byte buffer
/// (no allocation per candidate) and compares raw digests. The first
/// worker to find the password sets a shared [`AtomicBool`]; every worker
/// looks at it every 1024 candidates and stops, and rayon starts no new
/// task, so the whole search ends within a fraction of a millisecond.
///
/// ```
/// use course_lib::codebreaker::{crack_parallel, Md5Digest};
///
/// let digest: Md5Digest = "9fcce10c03dc2eaada4c361c508c4ebe".parse()?;
/// let cracked = crack_parallel(&digest, 4)?;
/// assert_eq!(cracked.password.as_deref(), Some("PyPI"));
/// # Ok::<(), course_lib::codebreaker::CrackError>(())
/// ```
///
/// # Errors
///
/// [`CrackError::PasswordLength`] unless `length` is 1 to [`MAX_LENGTH`](super::MAX_LENGTH).
pub fn crack_parallel(digest: &Md5Digest, length: usize) -> Result<Cracked, CrackError> {
    parallel(digest, length, Deadline::NONE).map(|run| run.cracked)
}

pub(crate) fn parallel(
    digest: &Md5Digest,
    length: usize,
    deadline: Deadline,
) -> Result<Run, CrackError> {
    check_length(length)?;
    let started = Instant::now();
    let target: [u8; 16] = *digest.as_bytes();
    let stop = AtomicBool::new(false);
    let tested = AtomicU64::new(0);
    let stopped_by_clock = AtomicBool::new(false);

    let password = LETTERS.par_iter().find_map_any(|&first| {
        let mut letters = vec![b'a'; length];
        letters[0] = first;
        let mut count = 0u64;
        let mut found = None;
        loop {
            if count.is_multiple_of(CHECK_EVERY) {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                if deadline.passed() {
                    stopped_by_clock.store(true, Ordering::Relaxed);
                    stop.store(true, Ordering::Relaxed);
                    break;
                }
            }
            count += 1;
            let hash: [u8; 16] = md5::compute(&letters).0;
            if hash == target {
                stop.store(true, Ordering::Relaxed);
                found = Some(letters.iter().copied().map(char::from).collect::<String>());
                break;
            }
            // Only the letters after the first one belong to this task.
            if !advance(&mut letters[1..]) {
                break;
            }
        }
        tested.fetch_add(count, Ordering::Relaxed);
        found
    });

    Ok(Run {
        cracked: Cracked {
            password,
            tested: tested.into_inner(),
            total: search_space(length),
            elapsed: started.elapsed(),
        },
        stopped: stopped_by_clock.into_inner(),
    })
}
