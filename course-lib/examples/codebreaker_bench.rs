//! The code breaker's steps against the course's optimised Python
//! (mini-project 4).
//!
//! Run with:
//!
//! ```text
//! cargo run --release --locked -p course_lib --example codebreaker_bench
//! ```
//!
//! Measured in the same run:
//!
//! - Python: `course-lib/python/codebreaker.py`, `hashlib.md5` over
//!   `itertools.product(ascii_letters, repeat=4)` comparing raw digests, on
//!   the course's length-4 digest (single-threaded, as the course has it);
//! - a plain single-threaded Rust loop over the md5 crate, the same
//!   search;
//! - every step of the project on the length-4 digest, each with a time
//!   budget (the slow ones are stopped and their rate is what they reached);
//! - the fast SIMD search on 1 thread and on all threads, over the whole
//!   5-letter space (a digest that is not there), for each backend;
//! - the time to crack the course's 5- and 6-letter digests.
//!
//! Candidates per second are compared with the Python rate and with the
//! md5 loop. Set `CODEBREAKER_SKIP_6=1` to leave out the 6-letter search
//! (about 20 billion candidates in the worst case).

use course_lib::lab::python;

use std::time::{Duration, Instant};

use course_lib::codebreaker::{
    Backend, COURSE_DIGESTS, Cracked, FastSearch, Md5Digest, Step, crack_parallel, search_space,
    time_steps,
};

/// The time budget of each step in the step-by-step comparison.
const STEP_BUDGET: Duration = Duration::from_secs(3);

/// The course's digest of `length` letters.
fn course_digest(length: usize) -> Md5Digest {
    let (_, hex) = COURSE_DIGESTS
        .iter()
        .find(|(l, _)| *l == length)
        .expect("the course has digests of 3 to 6 letters");
    hex.parse().expect("the course's digests are valid")
}

/// The plain loop: every candidate in order, hashed with the md5 crate,
/// raw digests compared. Returns (password, candidates, time).
fn md5_crate_loop(digest: &Md5Digest, length: usize) -> (Option<String>, u64, Duration) {
    const NEXT: [u8; 256] = {
        let mut next = [0u8; 256];
        let mut b = b'a';
        while b < b'z' {
            next[b as usize] = b + 1;
            b += 1;
        }
        next[b'z' as usize] = b'A';
        let mut b = b'A';
        while b < b'Z' {
            next[b as usize] = b + 1;
            b += 1;
        }
        next
    };
    let started = Instant::now();
    let target = *digest.as_bytes();
    let mut letters = vec![b'a'; length];
    let mut tested = 0u64;
    loop {
        tested += 1;
        let hash: [u8; 16] = md5::compute(&letters).0;
        if hash == target {
            let password = String::from_utf8(letters).ok();
            return (password, tested, started.elapsed());
        }
        // Odometer: the last letter advances, 'Z' wraps to 'a' with a carry.
        let mut position = length;
        loop {
            if position == 0 {
                return (None, tested, started.elapsed());
            }
            position -= 1;
            if letters[position] == b'Z' {
                letters[position] = b'a';
            } else {
                letters[position] = NEXT[letters[position] as usize];
                break;
            }
        }
    }
}

fn millions(rate: f64) -> String {
    format!("{:>9.2} M/s", rate / 1e6)
}

fn ratios(rate: f64, python: Option<f64>, md5_loop: f64) -> String {
    let vs_python = python.map_or("     -".to_string(), |p| format!("{:>9.1}×", rate / p));
    format!(
        "{vs_python} vs Python {:>8.2}× vs md5 loop",
        rate / md5_loop
    )
}

fn show_crack(label: &str, cracked: &Cracked) {
    println!(
        "  {label:<34} {:>8} in {:>8.3} s  ({} of {} candidates, {})",
        cracked.password.as_deref().unwrap_or("NOT FOUND"),
        cracked.elapsed.as_secs_f64(),
        cracked.tested,
        cracked.total,
        millions(cracked.candidates_per_second()).trim()
    );
}

fn main() {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let backend = Backend::detect();
    println!(
        "Code breaker: {threads} threads, backends available: {}",
        Backend::available()
            .iter()
            .map(|b| b.name())
            .collect::<Vec<_>>()
            .join(", ")
    );

    let digest_4 = course_digest(4);
    let digest_5 = course_digest(5);

    // Python, measured now.
    let python = python::or_skip(python::run("codebreaker.py", &[&digest_4.to_string(), "4"]));
    let python_rate = python.as_ref().and_then(|r| r.get("rate")?.as_f64());
    if let (Some(result), Some(rate)) = (&python, python_rate) {
        println!(
            "\nPython (hashlib.md5 over itertools.product), length-4 digest: {} ({} after {} candidates in {:.2} s)",
            millions(rate).trim(),
            result
                .get("password")
                .and_then(|p| p.as_str())
                .unwrap_or("?"),
            result.get("tested").and_then(|t| t.as_u64()).unwrap_or(0),
            python::seconds(result).unwrap_or(0.0)
        );
    }

    // The plain md5 crate loop.
    let (password, tested, time) = md5_crate_loop(&digest_4, 4);
    let md5_rate = tested as f64 / time.as_secs_f64();
    println!(
        "md5 crate loop, 1 thread, length-4 digest: {} ({} after {tested} candidates in {:.2} s){}",
        millions(md5_rate).trim(),
        password.as_deref().unwrap_or("NOT FOUND"),
        time.as_secs_f64(),
        python_rate.map_or(String::new(), |p| format!(", {:.1}× Python", md5_rate / p))
    );

    // Every step, with a budget.
    println!(
        "\nSteps on the length-4 digest (at most {} s each; rayon and fast: {threads} threads):",
        STEP_BUDGET.as_secs()
    );
    let timings = time_steps(&digest_4, 4, STEP_BUDGET).expect("4 letters is supported");
    for timing in &timings {
        let cracked = &timing.cracked;
        let outcome = match (&cracked.password, timing.estimated) {
            (Some(password), _) => format!("{password} in {:.3} s", cracked.elapsed.as_secs_f64()),
            (None, Some(estimate)) => format!("stopped, ~{:.0} s in all", estimate.as_secs_f64()),
            (None, None) => "not found".to_string(),
        };
        let rate = cracked.candidates_per_second();
        println!(
            "  {:<32} {} {}  {outcome}",
            timing.step.name(),
            millions(rate),
            ratios(rate, python_rate, md5_rate)
        );
    }

    // Rayon on 5 letters.
    println!("\nParallel (rayon, {threads} threads), length-5 digest:");
    let cracked = crack_parallel(&digest_5, 5).expect("5 letters is supported");
    show_crack("crack_parallel", &cracked);

    // Throughput of the fast search: the whole 5-letter space.
    let absent = Md5Digest::of("absent");
    println!(
        "\nFast search throughput: all {} candidates of 5 letters (digest not among them):",
        search_space(5)
    );
    let mut best = 0.0f64;
    for candidate_backend in Backend::available() {
        for t in [1, threads] {
            let cracked = FastSearch::new()
                .backend(candidate_backend)
                .threads(t)
                .run(&absent, 5)
                .expect("5 letters is supported");
            assert!(cracked.password.is_none());
            let rate = cracked.candidates_per_second();
            if candidate_backend == backend {
                best = best.max(rate);
            }
            println!(
                "  {:<9} {t} thread{} {} {}  ({:.2} s)",
                candidate_backend.name(),
                if t == 1 { " " } else { "s" },
                millions(rate),
                ratios(rate, python_rate, md5_rate),
                cracked.elapsed.as_secs_f64()
            );
            if threads == 1 {
                break;
            }
        }
    }

    // Cracking the course's digests.
    println!("\nCracking the course's digests with crack_fast ({backend}, {threads} threads):");
    for (length, _) in COURSE_DIGESTS {
        if length == 6 && std::env::var_os("CODEBREAKER_SKIP_6").is_some() {
            println!("  length 6 skipped (CODEBREAKER_SKIP_6)");
            continue;
        }
        let cracked = FastSearch::new()
            .threads(threads)
            .run(&course_digest(length), length)
            .expect("3 to 6 letters are supported");
        show_crack(&format!("length {length}"), &cracked);
    }
    if let Some(python_rate) = python_rate {
        let worst_6 = search_space(6) as f64;
        println!(
            "\nThe whole 6-letter space would take Python {:.1} h on one core; the fast search {:.0} s.",
            worst_6 / python_rate / 3600.0,
            worst_6 / best.max(1.0)
        );
    }
    let fast_step = timings.iter().find(|t| t.step == Step::Fast);
    if let Some(fast) = fast_step {
        println!(
            "(fast step on the length-4 digest: {:.1} ms)",
            fast.cracked.elapsed.as_secs_f64() * 1e3
        );
    }
}
