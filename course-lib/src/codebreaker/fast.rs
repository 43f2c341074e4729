//! Step 6: the multi-lane MD5 search on several threads.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::alphabet::{LETTERS, check_length};
use super::md5x::{self, Backend, JobConstants};
use super::steps::{Deadline, Run};
use super::{CrackError, Cracked, Md5Digest, Progress, search_space};

/// How the search space of one password length is cut into jobs.
///
/// A candidate's MD5 block has its first four letters in message word 0
/// and the next two in word 1 (with the `0x80` padding byte right after the
/// last letter). A job fixes word 1 and the fourth letter, and tests every
/// combination of the first three letters: the lane table `lows`, shared by
/// all jobs, holds those combinations as the low bytes of word 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Plan {
    /// The password length.
    length: usize,
    /// How many leading letters the lane table varies: `min(length, 3)`.
    low_letters: usize,
    /// The lane table, padded to a multiple of [`Backend::SCAN_GROUP`] by
    /// repeating its last entry.
    pub lows: Vec<u32>,
    /// How many entries of `lows` are real candidates: `52^low_letters`.
    pub real_lows: usize,
    /// How many values the fourth letter takes per word 1 (52, or 1 for
    /// passwords of at most 3 letters).
    highs: u64,
    /// How many jobs there are.
    pub jobs: u64,
}

impl Plan {
    /// The plan for passwords of `length` letters (1 to 6).
    pub(crate) fn new(length: usize) -> Plan {
        let low_letters = length.min(3);
        let real_lows = 52usize.pow(low_letters as u32);
        let mut lows: Vec<u32> = (0..real_lows)
            .map(|index| {
                let mut rest = index;
                let mut word = 0u32;
                for position in (0..low_letters).rev() {
                    word |= u32::from(LETTERS[rest % 52]) << (8 * position);
                    rest /= 52;
                }
                word
            })
            .collect();
        let padded = real_lows.div_ceil(Backend::SCAN_GROUP) * Backend::SCAN_GROUP;
        let last = lows[real_lows - 1];
        lows.resize(padded, last);
        let highs = if length >= 4 { 52 } else { 1 };
        let words_1 = search_space(length.saturating_sub(4));
        Plan {
            length,
            low_letters,
            lows,
            real_lows,
            highs,
            jobs: highs * words_1,
        }
    }

    /// The constants of job `job` (below `self.jobs`) for `digest`.
    pub(crate) fn job(&self, job: u64, digest: &Md5Digest) -> JobConstants {
        let high = (job % self.highs) as usize;
        let word_1 = (job / self.highs) as usize;
        let pad = 0x80u32;
        let m0_high = match self.length {
            1..=3 => pad << (8 * self.length),
            _ => u32::from(LETTERS[high]) << 24,
        };
        let m1 = match self.length {
            4 => pad,
            5 => u32::from(LETTERS[word_1]) | pad << 8,
            6 => u32::from(LETTERS[word_1 / 52]) | u32::from(LETTERS[word_1 % 52]) << 8 | pad << 16,
            _ => 0,
        };
        JobConstants::new(digest, m0_high, m1, 8 * self.length as u32)
    }

    /// The password in lane `lane` of job `job`.
    pub(crate) fn password(&self, job: u64, lane: usize) -> Vec<u8> {
        let lane = lane.min(self.real_lows - 1);
        let mut letters = Vec::with_capacity(self.length);
        let mut rest = lane;
        let mut low = vec![0u8; self.low_letters];
        for letter in low.iter_mut().rev() {
            *letter = LETTERS[rest % 52];
            rest /= 52;
        }
        letters.extend_from_slice(&low);
        if self.length >= 4 {
            letters.push(LETTERS[(job % self.highs) as usize]);
            let word_1 = (job / self.highs) as usize;
            match self.length {
                5 => letters.push(LETTERS[word_1]),
                6 => letters.extend_from_slice(&[LETTERS[word_1 / 52], LETTERS[word_1 % 52]]),
                _ => {}
            }
        }
        letters
    }
}

/// The settings of the fast search: threads, backend, and how often to
/// report progress. [`crack_fast`] and [`crack_fast_with_progress`] are
/// shortcuts for the common cases.
///
/// ```
/// use std::time::Duration;
/// use course_lib::codebreaker::{Backend, FastSearch, Md5Digest};
///
/// let search = FastSearch::new()
///     .threads(2)
///     .backend(Backend::Portable)
///     .progress_every(Duration::from_millis(100));
/// let cracked = search.run(&Md5Digest::of("PyPI"), 4)?;
/// assert_eq!(cracked.password.as_deref(), Some("PyPI"));
/// # Ok::<(), course_lib::codebreaker::CrackError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FastSearch {
    threads: usize,
    backend: Backend,
    progress_every: Duration,
}

impl Default for FastSearch {
    fn default() -> Self {
        FastSearch {
            threads: std::thread::available_parallelism().map_or(1, usize::from),
            backend: Backend::detect(),
            progress_every: Duration::from_millis(250),
        }
    }
}

impl FastSearch {
    /// All cores, the fastest backend of this processor, progress every
    /// 250 ms.
    ///
    /// ```
    /// use course_lib::codebreaker::{Backend, FastSearch};
    ///
    /// let search = FastSearch::new();
    /// assert_eq!(search.get_backend(), Backend::detect());
    /// assert!(search.get_threads() >= 1);
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Uses `threads` worker threads (at least 1: 0 counts as 1).
    ///
    /// ```
    /// use course_lib::codebreaker::FastSearch;
    ///
    /// assert_eq!(FastSearch::new().threads(0).get_threads(), 1);
    /// ```
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = threads.max(1);
        self
    }

    /// Uses `backend` (the search fails with
    /// [`CrackError::BackendUnavailable`] if the processor lacks it).
    ///
    /// ```
    /// use course_lib::codebreaker::{Backend, FastSearch};
    ///
    /// let search = FastSearch::new().backend(Backend::Portable);
    /// assert_eq!(search.get_backend(), Backend::Portable);
    /// ```
    pub fn backend(mut self, backend: Backend) -> Self {
        self.backend = backend;
        self
    }

    /// Calls the progress callback about every `interval` (at least every
    /// millisecond).
    ///
    /// ```
    /// use std::time::Duration;
    /// use course_lib::codebreaker::FastSearch;
    ///
    /// let search = FastSearch::new().progress_every(Duration::from_secs(1));
    /// assert_eq!(search.get_progress_every(), Duration::from_secs(1));
    /// ```
    pub fn progress_every(mut self, interval: Duration) -> Self {
        self.progress_every = interval.max(Duration::from_millis(1));
        self
    }

    /// The number of worker threads.
    ///
    /// ```
    /// assert_eq!(course_lib::codebreaker::FastSearch::new().threads(3).get_threads(), 3);
    /// ```
    pub fn get_threads(&self) -> usize {
        self.threads
    }

    /// The backend.
    ///
    /// ```
    /// use course_lib::codebreaker::{Backend, FastSearch};
    ///
    /// assert!(FastSearch::new().get_backend().is_available());
    /// ```
    pub fn get_backend(&self) -> Backend {
        self.backend
    }

    /// The interval between two progress reports.
    ///
    /// ```
    /// use std::time::Duration;
    /// use course_lib::codebreaker::FastSearch;
    ///
    /// assert_eq!(FastSearch::new().get_progress_every(), Duration::from_millis(250));
    /// ```
    pub fn get_progress_every(&self) -> Duration {
        self.progress_every
    }

    /// Searches the passwords of `length` letters for one whose MD5 digest
    /// is `digest`.
    ///
    /// ```
    /// use course_lib::codebreaker::{FastSearch, Md5Digest};
    ///
    /// let cracked = FastSearch::new().run(&Md5Digest::of("Hey"), 3)?;
    /// assert_eq!(cracked.password.as_deref(), Some("Hey"));
    /// # Ok::<(), course_lib::codebreaker::CrackError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`CrackError::PasswordLength`] unless `length` is 1 to
    /// [`MAX_LENGTH`](super::MAX_LENGTH); [`CrackError::BackendUnavailable`].
    pub fn run(&self, digest: &Md5Digest, length: usize) -> Result<Cracked, CrackError> {
        self.search(digest, length, Deadline::NONE, |_| {})
            .map(|run| run.cracked)
    }

    /// Like [`run`](Self::run), calling `progress` from the calling thread
    /// about every [`progress_every`](Self::progress_every) while the
    /// workers search, and once more at the end.
    ///
    /// ```
    /// use course_lib::codebreaker::{FastSearch, Md5Digest};
    ///
    /// let mut reports = Vec::new();
    /// let cracked = FastSearch::new().run_with_progress(&Md5Digest::of("Hey"), 3, |p| reports.push(p))?;
    /// let last = reports.last().unwrap();
    /// assert_eq!(last.tested, cracked.tested);
    /// # Ok::<(), course_lib::codebreaker::CrackError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`run`](Self::run).
    pub fn run_with_progress(
        &self,
        digest: &Md5Digest,
        length: usize,
        progress: impl FnMut(Progress),
    ) -> Result<Cracked, CrackError> {
        self.search(digest, length, Deadline::NONE, progress)
            .map(|run| run.cracked)
    }

    /// The search itself: `self.threads` workers take jobs from a shared
    /// counter until one finds the password, the jobs run out or the
    /// deadline passes; the calling thread reports progress meanwhile.
    pub(crate) fn search(
        &self,
        digest: &Md5Digest,
        length: usize,
        deadline: Deadline,
        mut progress: impl FnMut(Progress),
    ) -> Result<Run, CrackError> {
        check_length(length)?;
        let backend = self.backend.checked()?;
        let started = Instant::now();
        let plan = Plan::new(length);
        let total = search_space(length);
        let next_job = AtomicU64::new(0);
        let tested = AtomicU64::new(0);
        let stop = AtomicBool::new(false);
        let stopped_by_clock = AtomicBool::new(false);
        let answer: OnceLock<String> = OnceLock::new();

        std::thread::scope(|scope| {
            // Each worker holds a sender; when all have finished, the
            // channel disconnects and the progress loop below ends.
            let (finished, all_finished) = mpsc::channel::<()>();
            // More workers than jobs would have nothing to do.
            let workers = self
                .threads
                .min(usize::try_from(plan.jobs).unwrap_or(usize::MAX));
            for _ in 0..workers.max(1) {
                let finished = finished.clone();
                let (plan, next_job, tested, stop, stopped_by_clock, answer) =
                    (&plan, &next_job, &tested, &stop, &stopped_by_clock, &answer);
                scope.spawn(move || {
                    let _finished = finished;
                    let mut hits = Vec::new();
                    while !stop.load(Ordering::Relaxed) {
                        if deadline.passed() {
                            stopped_by_clock.store(true, Ordering::Relaxed);
                            stop.store(true, Ordering::Relaxed);
                            break;
                        }
                        let job = next_job.fetch_add(1, Ordering::Relaxed);
                        if job >= plan.jobs {
                            break;
                        }
                        hits.clear();
                        md5x::scan(backend, &plan.lows, &plan.job(job, digest), &mut hits);
                        tested.fetch_add(plan.real_lows as u64, Ordering::Relaxed);
                        // A lane passes the 32-bit check by chance about once
                        // in 4 billion candidates: confirm with the md5 crate.
                        for &lane in &hits {
                            let password = plan.password(job, lane);
                            if Md5Digest::of(&password) == *digest {
                                let _ = answer.set(password.into_iter().map(char::from).collect());
                                stop.store(true, Ordering::Relaxed);
                                break;
                            }
                        }
                    }
                });
            }
            drop(finished);
            while let Err(mpsc::RecvTimeoutError::Timeout) =
                all_finished.recv_timeout(self.progress_every)
            {
                progress(Progress {
                    tested: tested.load(Ordering::Relaxed),
                    total,
                    elapsed: started.elapsed(),
                });
            }
        });

        let cracked = Cracked {
            password: answer.into_inner(),
            tested: tested.into_inner(),
            total,
            elapsed: started.elapsed(),
        };
        progress(Progress {
            tested: cracked.tested,
            total,
            elapsed: cracked.elapsed,
        });
        Ok(Run {
            cracked,
            stopped: stopped_by_clock.into_inner(),
        })
    }
}

/// Step 6: the fastest search here, on `threads` threads (0 counts as 1)
/// with the fastest backend of this processor ([`Backend::detect`]).
///
/// See the [module documentation](super#the-fast-version) for how it works,
/// and [`FastSearch`] to choose the backend.
///
/// ```
/// use course_lib::codebreaker::{crack_fast, Md5Digest};
///
/// let digest: Md5Digest = "9fcce10c03dc2eaada4c361c508c4ebe".parse()?;
/// let cracked = crack_fast(&digest, 4, 2)?;
/// assert_eq!(cracked.password.as_deref(), Some("PyPI"));
/// # Ok::<(), course_lib::codebreaker::CrackError>(())
/// ```
///
/// # Errors
///
/// [`CrackError::PasswordLength`] unless `length` is 1 to [`MAX_LENGTH`](super::MAX_LENGTH).
pub fn crack_fast(
    digest: &Md5Digest,
    length: usize,
    threads: usize,
) -> Result<Cracked, CrackError> {
    FastSearch::new().threads(threads).run(digest, length)
}

/// [`crack_fast`], calling `progress` a few times per second (every 250 ms)
/// from the calling thread while the search runs, and once at the end.
///
/// On a terminal, print the [`Progress`] after a carriage return:
///
/// ```
/// use course_lib::codebreaker::{crack_fast_with_progress, Md5Digest};
///
/// let digest = Md5Digest::of("PyPI");
/// let cracked = crack_fast_with_progress(&digest, 4, 2, |progress| {
///     eprint!("\r{progress}");
/// })?;
/// eprintln!();
/// assert!(cracked.found());
/// # Ok::<(), course_lib::codebreaker::CrackError>(())
/// ```
///
/// In a notebook, drive a live [`ProgressBar`](crate::lab::ProgressBar):
///
/// ```
/// use course_lib::prelude::*;
/// use course_lib::codebreaker::{crack_fast_with_progress, search_space, Md5Digest};
///
/// let digest: Md5Digest = "9fcce10c03dc2eaada4c361c508c4ebe".parse()?;
/// let bar = ProgressBar::new(Some(search_space(4))).title("Cracking");
/// let cracked = crack_fast_with_progress(&digest, 4, 2, |progress| bar.set(progress.tested))?;
/// bar.finish();
/// assert_eq!(cracked.password.as_deref(), Some("PyPI"));
/// # Ok::<(), course_lib::codebreaker::CrackError>(())
/// ```
///
/// # Errors
///
/// As [`crack_fast`].
pub fn crack_fast_with_progress(
    digest: &Md5Digest,
    length: usize,
    threads: usize,
    progress: impl FnMut(Progress),
) -> Result<Cracked, CrackError> {
    FastSearch::new()
        .threads(threads)
        .run_with_progress(digest, length, progress)
}
