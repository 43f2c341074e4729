use std::time::{Duration, Instant};

use proptest::prelude::*;

use super::alphabet::{LETTERS, advance};
use super::fast::Plan;
use super::md5x::{self, IV, JobConstants, K, S, message_index, padded_block, round_function};
use super::steps::Deadline;
use super::*;
use crate::lab::display::Render;

const HEY: &str = "d0eedb799584d850fdd802fd3c27ae34";
const PYPI: &str = "9fcce10c03dc2eaada4c361c508c4ebe";
const HELLO: &str = "8b1a9953c4611296a827abf8c47804d7";

fn digest(hex: &str) -> Md5Digest {
    hex.parse().unwrap()
}

/// Passwords of 1 to 6 letters.
fn password() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(LETTERS.as_slice()), 1..=MAX_LENGTH)
        .prop_map(|letters| letters.into_iter().map(char::from).collect())
}

/// Every value `v[-4..64]` of a plain scalar MD5 compression, `v[i + 4]`
/// being the value produced by step `i`.
fn forward(block: &[u32; 16]) -> [u32; 68] {
    let mut v = [0u32; 68];
    v[..4].copy_from_slice(&[IV[0], IV[3], IV[2], IV[1]]);
    for i in 0..64 {
        let (a, b, c, d) = (v[i], v[i + 3], v[i + 2], v[i + 1]);
        let sum = a
            .wrapping_add(round_function(i, b, c, d))
            .wrapping_add(K[i])
            .wrapping_add(block[message_index(i)]);
        v[i + 4] = b.wrapping_add(sum.rotate_left(S[i]));
    }
    v
}

/// The job and lane of `password` in the fast search's plan.
fn job_and_lane(password: &str) -> (u64, usize) {
    let index = |byte: u8| LETTERS.iter().position(|&l| l == byte).unwrap();
    let bytes = password.as_bytes();
    let low = bytes.len().min(3);
    let lane = bytes[..low].iter().fold(0, |acc, &b| acc * 52 + index(b));
    let job = if bytes.len() >= 4 {
        let word_1 = bytes[4..].iter().fold(0, |acc, &b| acc * 52 + index(b));
        (index(bytes[3]) + 52 * word_1) as u64
    } else {
        0
    };
    (job, lane)
}

// ---- MD5 constants and the multi-lane hash ----

#[test]
fn constants_are_the_sine_table() {
    for (i, &k) in K.iter().enumerate() {
        let expected = (((i + 1) as f64).sin().abs() * 4_294_967_296.0).floor() as u32;
        assert_eq!(k, expected, "K[{i}]");
    }
    assert_eq!(S[0..4], [7, 12, 17, 22]);
    assert_eq!(S[60..64], [6, 10, 15, 21]);
}

#[test]
fn scalar_forward_is_md5() {
    for message in ["", "a", "Hey", "PyPI", "Hello"] {
        let v = forward(&padded_block(message.as_bytes()).unwrap());
        let words = Md5Digest::of(message).words();
        assert_eq!(words[0], IV[0].wrapping_add(v[64]));
        assert_eq!(words[1], IV[1].wrapping_add(v[67]));
        assert_eq!(words[2], IV[2].wrapping_add(v[66]));
        assert_eq!(words[3], IV[3].wrapping_add(v[65]));
    }
}

#[test]
fn every_backend_hashes_the_course_passwords() {
    for backend in Backend::available() {
        let messages: [&[u8]; 4] = [b"Hey", b"PyPI", b"Hello", b""];
        let digests = backend.md5_many(&messages).unwrap();
        assert_eq!(digests[0], digest(HEY), "{backend}");
        assert_eq!(digests[1], digest(PYPI), "{backend}");
        assert_eq!(digests[2], digest(HELLO), "{backend}");
        assert_eq!(digests[3], Md5Digest::of(""), "{backend}");
    }
}

#[test]
fn this_machine_runs_the_simd_backends() {
    // The course machine has AVX-512; elsewhere this only checks detection.
    let available = Backend::available();
    assert_eq!(Backend::detect(), available[0]);
    if std::arch::is_x86_feature_detected!("avx512f") {
        assert_eq!(available[0], Backend::Avx512);
    }
}

#[test]
fn too_long_messages_and_missing_backends_are_errors() {
    let long = [0u8; 56];
    assert_eq!(
        Backend::Portable.md5_many(&[b"ok", &long]),
        Err(CrackError::MessageTooLong { length: 56 })
    );
    assert!(Backend::Portable.md5_many(&[&long[..55]]).is_ok());
    for backend in Backend::ALL {
        if !backend.is_available() {
            assert_eq!(
                backend.md5_many(&[b"x"]),
                Err(CrackError::BackendUnavailable { backend })
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Every lane of every backend agrees with the md5 crate on batches of
    /// letter passwords (batch sizes that fill registers partly and fully).
    #[test]
    fn md5_many_matches_the_md5_crate_on_passwords(
        passwords in proptest::collection::vec(password(), 1..40)
    ) {
        let messages: Vec<&[u8]> = passwords.iter().map(|p| p.as_bytes()).collect();
        for backend in Backend::available() {
            let digests = backend.md5_many(&messages).unwrap();
            for (password, digest) in passwords.iter().zip(&digests) {
                prop_assert_eq!(*digest, Md5Digest::of(password), "{} {:?}", backend, password);
            }
        }
    }

    /// ... and on any bytes that fit in one block.
    #[test]
    fn md5_many_matches_the_md5_crate_on_short_bytes(
        messages in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..=55), 1..20)
    ) {
        let slices: Vec<&[u8]> = messages.iter().map(Vec::as_slice).collect();
        for backend in Backend::available() {
            let digests = backend.md5_many(&slices).unwrap();
            for (message, digest) in messages.iter().zip(&digests) {
                prop_assert_eq!(*digest, Md5Digest::of(message), "{}", backend);
            }
        }
    }

    /// Running MD5 backwards from the digest gives the values that the
    /// forward computation produces.
    #[test]
    fn undoing_the_last_steps_meets_the_forward_values(password in password()) {
        let block = padded_block(password.as_bytes()).unwrap();
        let v = forward(&block);
        let job = JobConstants::new(&Md5Digest::of(&password), 0, block[1], block[14]);
        let v44 = job.t44.wrapping_sub(block[0]);
        prop_assert_eq!(v44, v[48]);
        prop_assert_eq!(job.v45, v[49]);
        prop_assert_eq!(job.v46, v[50]);
        let v43 = job.c47.wrapping_sub(job.v46 ^ job.v45 ^ v44);
        prop_assert_eq!(v43, v[47]);
        let v42 = job.c46.wrapping_sub(job.v45 ^ v44 ^ v43);
        prop_assert_eq!(v42, v[46]);
    }

    /// The search kernel of every backend flags the password's lane in its
    /// job, and the plan turns that lane back into the password.
    #[test]
    fn every_scan_kernel_finds_the_password_in_its_job(password in password()) {
        let plan = Plan::new(password.len());
        let (job, lane) = job_and_lane(&password);
        prop_assert!(job < plan.jobs);
        prop_assert_eq!(plan.password(job, lane), password.as_bytes());
        let constants = plan.job(job, &Md5Digest::of(&password));
        for backend in Backend::available() {
            let mut hits = Vec::new();
            md5x::scan(backend, &plan.lows, &constants, &mut hits);
            prop_assert!(hits.contains(&lane), "{} {:?} {:?}", backend, password, hits);
        }
    }

    #[test]
    fn digests_print_and_parse_back(bytes in any::<[u8; 16]>()) {
        let digest = Md5Digest::from_bytes(bytes);
        let hex = digest.to_string();
        prop_assert_eq!(hex.len(), 32);
        prop_assert_eq!(hex.parse::<Md5Digest>(), Ok(digest));
        prop_assert_eq!(hex.to_uppercase().parse::<Md5Digest>(), Ok(digest));
    }

    #[test]
    fn parsing_any_text_never_panics(text in ".{0,40}") {
        match text.parse::<Md5Digest>() {
            Ok(digest) => prop_assert_eq!(digest.to_string(), text.to_lowercase()),
            Err(CrackError::DigestLength { found }) => {
                prop_assert_eq!(found, text.chars().count());
                prop_assert_ne!(found, 32);
            }
            Err(CrackError::NotHex { position, found }) => {
                prop_assert_eq!(text.chars().nth(position), Some(found));
                prop_assert!(!found.is_ascii_hexdigit());
            }
            Err(other) => prop_assert!(false, "unexpected {other:?}"),
        }
    }

    #[test]
    fn positions_and_passwords_correspond(password in password()) {
        let index = index_of(&password).unwrap();
        prop_assert!(index < search_space(password.len()));
        prop_assert_eq!(password_at(index, password.len()), Some(password.clone()));
        let mut letters = password.clone().into_bytes();
        if advance(&mut letters) {
            let next = String::from_utf8(letters).unwrap();
            prop_assert_eq!(index_of(&next), Some(index + 1));
        } else {
            prop_assert_eq!(index + 1, search_space(password.len()));
        }
    }
}

// ---- digests and errors ----

#[test]
fn bad_digests_say_what_is_wrong() {
    assert_eq!(
        "".parse::<Md5Digest>(),
        Err(CrackError::DigestLength { found: 0 })
    );
    let long = format!("{HEY}0");
    assert_eq!(
        long.parse::<Md5Digest>(),
        Err(CrackError::DigestLength { found: 33 })
    );
    let accented = format!("é{}", &HEY[1..]);
    assert_eq!(
        accented.parse::<Md5Digest>(),
        Err(CrackError::NotHex {
            position: 0,
            found: 'é'
        })
    );
    let spaced = format!("{} {}", &HEY[..10], &HEY[11..]);
    assert_eq!(
        spaced.parse::<Md5Digest>(),
        Err(CrackError::NotHex {
            position: 10,
            found: ' '
        })
    );
    assert_eq!(
        CrackError::DigestLength { found: 1 }.to_string(),
        "an MD5 digest is 32 hexadecimal digits, found 1 character"
    );
    assert_eq!(
        CrackError::PasswordLength { length: 0 }.to_string(),
        "cannot search passwords of 0 letters: supported lengths are 1 to 6"
    );
    assert!(format!("{:?}", digest(HEY)).contains(HEY));
}

#[test]
fn every_step_rejects_unsupported_lengths() {
    let d = digest(HEY);
    for length in [0, MAX_LENGTH + 1, usize::MAX] {
        let expected = Err(CrackError::PasswordLength { length });
        for step in Step::ALL {
            assert_eq!(step.run(&d, length), expected, "{}", step.name());
        }
        assert_eq!(crack_naive(&d, length, 1, 10, &mut Vec::new()), expected);
        assert_eq!(crack_no_print(&d, length, 1, 10), expected);
        assert_eq!(crack_hash_set(&d, length, 1, 10), expected);
        assert_eq!(crack_fast(&d, length, 2), expected);
        assert!(compare_steps(&d, length, Duration::from_millis(1)).is_err());
    }
}

// ---- the steps ----

#[test]
fn every_step_cracks_a_two_letter_password() {
    let d = Md5Digest::of("Hi");
    for step in Step::ALL {
        let cracked = step.run(&d, 2).unwrap();
        assert_eq!(cracked.password.as_deref(), Some("Hi"), "{}", step.name());
        assert!(cracked.tested >= 1 && cracked.tested <= 2704, "{cracked:?}");
        assert_eq!(cracked.total, 2704);
    }
}

#[test]
fn the_length_3_digest_is_hey() {
    let d = digest(HEY);
    let expected = index_of("Hey").unwrap() + 1;
    for cracked in [
        crack_in_order(&d, 3).unwrap(),
        crack_raw_digest(&d, 3).unwrap(),
    ] {
        assert_eq!(cracked.password.as_deref(), Some("Hey"));
        assert_eq!(cracked.tested, expected);
    }
    assert_eq!(
        crack_parallel(&d, 3).unwrap().password.as_deref(),
        Some("Hey")
    );
    assert_eq!(
        crack_hash_set(&d, 3, DEFAULT_SEED, DEFAULT_MAX_ATTEMPTS)
            .unwrap()
            .password
            .as_deref(),
        Some("Hey")
    );
    for backend in Backend::available() {
        let cracked = FastSearch::new().backend(backend).run(&d, 3).unwrap();
        assert_eq!(cracked.password.as_deref(), Some("Hey"), "{backend}");
    }
}

#[test]
fn the_length_4_digest_is_pypi() {
    let d = digest(PYPI);
    assert_eq!(
        crack_parallel(&d, 4).unwrap().password.as_deref(),
        Some("PyPI")
    );
    for backend in Backend::available() {
        for threads in [1, 2] {
            let cracked = FastSearch::new()
                .backend(backend)
                .threads(threads)
                .run(&d, 4)
                .unwrap();
            assert_eq!(cracked.password.as_deref(), Some("PyPI"), "{backend}");
            assert!(cracked.tested <= cracked.total);
        }
    }
}

#[test]
#[ignore = "takes a few seconds; run with --ignored"]
fn the_length_5_digest_is_hello() {
    let cracked = crack_fast(&digest(HELLO), 5, 2).unwrap();
    assert_eq!(cracked.password.as_deref(), Some("Hello"));
}

#[test]
fn random_steps_share_their_guesses_and_respect_the_limit() {
    let d = Md5Digest::of("Hey");
    let mut printed = Vec::new();
    let naive = crack_naive(&d, 2, 5, 50_000, &mut printed).unwrap();
    // "Hey" has 3 letters: every 2-letter password is tried, none matches.
    assert_eq!(naive.password, None);
    assert_eq!(naive.tested, 2704);
    assert_eq!(
        String::from_utf8(printed).unwrap().lines().count() as u64,
        naive.tested
    );
    assert_eq!(crack_no_print(&d, 2, 5, 50_000).unwrap().tested, 2704);
    assert_eq!(crack_hash_set(&d, 2, 5, 50_000).unwrap().tested, 2704);

    let limited = crack_no_print(&d, 4, 5, 100).unwrap();
    assert_eq!(limited.password, None);
    assert!(limited.tested <= 100);
    assert_eq!(crack_hash_set(&d, 4, 5, 0).unwrap().tested, 0);

    let a = crack_no_print(&Md5Digest::of("Yo"), 2, 9, 100_000).unwrap();
    let b = crack_hash_set(&Md5Digest::of("Yo"), 2, 9, 100_000).unwrap();
    assert_eq!(a.tested, b.tested);
    assert_eq!(a.password, b.password);
}

#[test]
fn absent_passwords_exhaust_the_space() {
    let d = Md5Digest::of("Hey");
    for length in [1, 2] {
        for step in Step::ALL {
            let cracked = step.run(&d, length).unwrap();
            assert_eq!(cracked.password, None, "{}", step.name());
            assert_eq!(cracked.tested, search_space(length), "{}", step.name());
        }
    }
    for backend in Backend::available() {
        let cracked = FastSearch::new().backend(backend).run(&d, 4).unwrap();
        assert_eq!(cracked.password, None);
        assert_eq!(cracked.tested, search_space(4));
    }
}

#[test]
fn single_letters_are_found_by_every_backend() {
    for letter in ALPHABET.chars() {
        let d = Md5Digest::of(letter.to_string());
        for backend in Backend::available() {
            let cracked = FastSearch::new().backend(backend).run(&d, 1).unwrap();
            assert_eq!(cracked.password, Some(letter.to_string()), "{backend}");
            assert_eq!(cracked.tested, 52);
        }
    }
}

#[test]
#[ignore = "up to a minute on 2 cores; run with --ignored"]
fn the_length_6_digest_is_python_in_mixed_case() {
    let cracked = crack_fast(&digest(COURSE_DIGESTS[3].1), 6, 2).unwrap();
    assert_eq!(cracked.password.as_deref(), Some("PyThOn"));
}

// ---- stopping ----

#[test]
fn the_fast_search_stops_all_threads_at_the_first_hit() {
    // "aaaaaa" is in the very first job of almost 20 billion candidates.
    let started = Instant::now();
    let cracked = crack_fast(&Md5Digest::of("aaaaaa"), 6, 2).unwrap();
    assert_eq!(cracked.password.as_deref(), Some("aaaaaa"));
    assert!(started.elapsed() < Duration::from_secs(2));
    // The threads stop within a few jobs of 140,608 candidates (how many
    // depends on the scheduler when other tests share the cores), out of
    // almost 20 billion.
    assert!(cracked.tested <= 64 * 140_608, "{}", cracked.tested);
}

#[test]
fn the_parallel_search_stops_all_workers_at_the_first_hit() {
    let started = Instant::now();
    let cracked = crack_parallel(&Md5Digest::of("aaaab"), 5).unwrap();
    assert_eq!(cracked.password.as_deref(), Some("aaaab"));
    assert!(started.elapsed() < Duration::from_secs(2));
    // The other workers stop within 1024 candidates of noticing.
    let threads = rayon::current_num_threads() as u64;
    assert!(cracked.tested <= 2 + threads * 2048, "{}", cracked.tested);
}

#[test]
fn deadlines_stop_every_step() {
    let d = Md5Digest::of("ZZZZZ");
    for step in Step::ALL {
        let started = Instant::now();
        let run = step
            .run_until(&d, 5, Deadline::after(Duration::from_millis(50)))
            .unwrap();
        assert!(run.stopped, "{}", step.name());
        assert_eq!(run.cracked.password, None);
        assert!(
            started.elapsed() < Duration::from_millis(500),
            "{}",
            step.name()
        );
    }
}

// ---- progress and display ----

#[test]
fn progress_is_reported_while_the_search_runs() {
    let d = Md5Digest::of("Hey"); // not a 4-letter password: a full search
    let mut reports = Vec::new();
    let cracked = FastSearch::new()
        .backend(Backend::Portable)
        .threads(2)
        .progress_every(Duration::from_millis(2))
        .run_with_progress(&d, 4, |progress| reports.push(progress))
        .unwrap();
    assert!(reports.len() >= 2, "{reports:?}");
    assert!(reports.windows(2).all(|w| w[0].tested <= w[1].tested));
    assert!(reports.iter().all(|p| p.total == search_space(4)));
    let last = reports.last().unwrap();
    assert_eq!(last.tested, cracked.tested);
    assert_eq!(last.fraction(), 1.0);
    assert!(last.to_string().starts_with("100.0%"));
    assert!(
        last.mime_bundle()
            .get("text/html")
            .unwrap()
            .contains("<progress")
    );
}

#[test]
fn results_show_as_text_and_as_a_table() {
    let cracked = Cracked {
        password: Some("Hey".to_string()),
        tested: 89_465,
        total: 140_608,
        elapsed: Duration::from_millis(10),
    };
    assert_eq!(
        cracked.to_string(),
        "found \"Hey\" after 89,465 of 140,608 candidates in 0.010 s (8.9 million candidates/s)"
    );
    let bundle = cracked.mime_bundle();
    assert!(bundle.get("text/html").unwrap().contains("<td"));
    assert_eq!(bundle.get("text/plain"), Some(cracked.to_string().as_str()));
    let missing = Cracked {
        password: None,
        ..cracked
    };
    assert!(missing.to_string().starts_with("not found after 89,465"));
}

#[test]
fn the_comparison_lists_every_step() {
    let table = compare_steps(&Md5Digest::of("Hi"), 2, Duration::from_secs(2)).unwrap();
    let text = table.to_text();
    assert_eq!(table.len(), Step::ALL.len());
    for step in Step::ALL {
        assert!(text.contains(step.name()), "{text}");
    }
    assert!(text.contains("1.0×"), "{text}");
}

#[test]
fn slow_steps_are_stopped_and_estimated() {
    let timings = time_steps(&digest(HELLO), 5, Duration::from_millis(100)).unwrap();
    let naive = &timings[0];
    assert_eq!(naive.step, Step::Naive);
    assert!(!naive.finished);
    assert!(naive.estimated.unwrap() > Duration::from_secs(60));
    let fast = timings.last().unwrap();
    assert_eq!(fast.step, Step::Fast);
}
