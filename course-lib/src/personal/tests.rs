use proptest::prelude::*;

use super::*;
use crate::lab::display::Render;
use crate::warmup::{Grade, GradesError, Student, Subject, generate_students};

fn student(name: &str, french: f64, maths: f64, philosophy: f64) -> Student {
    Student::new(name, french, maths, philosophy).unwrap()
}

#[test]
fn bootstrap_is_reproducible_and_parallel_matches_sequential() {
    let students = generate_students(400, 5);
    let parallel = bootstrap(&students, 400, 3);
    assert_eq!(parallel, bootstrap_sequential(&students, 400, 3));
    assert_eq!(parallel, bootstrap(&students, 400, 3));
    assert_ne!(parallel, bootstrap(&students, 400, 4));
    assert_eq!(parallel.students(), 400);
    assert_eq!(parallel.resamples(), 400);
}

#[test]
fn intervals_surround_the_mean_and_shrink_with_more_students() {
    let small = bootstrap(&generate_students(100, 1), 1000, 2);
    let large = bootstrap(&generate_students(3000, 1), 1000, 2);
    for subject in Subject::ALL {
        let s = small.interval(subject).unwrap();
        let l = large.interval(subject).unwrap();
        assert!(s.low < s.mean && s.mean < s.high, "{s:?}");
        assert!(l.low < l.mean && l.mean < l.high, "{l:?}");
        // The half width goes like 1/√n: 3000 students, about 5.5 times narrower.
        let ratio = (s.high - s.low) / (l.high - l.low);
        assert!((3.5..8.0).contains(&ratio), "{subject}: {ratio}");
        // About 1.96 standard errors each side (spread about 3.2 points).
        let half = (l.high - l.low) / 2.0;
        assert!((0.08..0.16).contains(&half), "{subject}: {half}");
    }
}

#[test]
fn resamples_draw_the_same_students_in_every_subject() {
    // Grades equal in French and maths: each resample gives equal means.
    let students: Vec<Student> = (0..40)
        .map(|i| {
            let grade = f64::from(i % 21);
            student(&format!("s{i}"), grade, grade, 10.0)
        })
        .collect();
    let result = bootstrap(&students, 200, 8);
    assert_eq!(result.means(Subject::French), result.means(Subject::Maths));
    assert!(result.means(Subject::Philosophy).iter().all(|&m| m == 10.0));
    let philosophy = result.interval(Subject::Philosophy).unwrap();
    assert_eq!((philosophy.low, philosophy.high), (10.0, 10.0));
}

#[test]
fn nothing_to_resample_gives_no_intervals() {
    assert!(bootstrap(&[], 100, 1).intervals().is_empty());
    assert!(
        bootstrap(&generate_students(10, 1), 0, 1)
            .intervals()
            .is_empty()
    );
    assert!(bootstrap_means(&[], 10, 1).is_empty());
    assert!(bootstrap_means_parallel(&[], 10, 1).is_empty());
    let empty = bootstrap(&[], 100, 1);
    assert!(empty.means(Subject::Maths).is_empty());
    assert!(empty.chart().to_svg().is_ok());
    assert!(empty.table().is_empty());
}

#[test]
fn bootstrap_renders_a_table_and_a_chart() {
    let result = bootstrap(&generate_students(200, 1), 300, 1);
    let bundle = result.mime_bundle();
    let html = bundle.get("text/html").unwrap();
    assert!(html.contains("<table") && html.contains("<svg"));
    assert!(bundle.plain_text().contains("philosophy"));
    let svg = result.chart().to_svg().unwrap();
    for name in ["french", "maths", "philosophy"] {
        assert!(svg.contains(name), "{name}");
    }
    assert_eq!(result.chart().summary().matches("3 series").count(), 1);
}

#[test]
fn ranking_puts_the_best_first_and_shares_ties() {
    let students = [
        student("Eve", 10.0, 10.0, 10.0),
        student("Ann", 20.0, 20.0, 20.0),
        student("Cy", 12.0, 9.0, 9.0),
        student("Bo", 10.0, 10.0, 10.0),
        student("Dan", 0.0, 0.0, 0.5),
    ];
    let ranked = ranking(&students);
    let lines: Vec<(usize, &str)> = ranked.iter().map(|r| (r.rank, r.name.as_str())).collect();
    assert_eq!(
        lines,
        [(1, "Ann"), (2, "Bo"), (2, "Cy"), (2, "Eve"), (5, "Dan")]
    );
    assert_eq!(ranked[0].average, 20.0);
    assert!((ranked[4].average - 0.5 / 3.0).abs() < 1e-12);
    assert_eq!(ranking_parallel(&students), ranked);
    let table = ranking_table(&ranked, 3);
    assert_eq!(table.len(), 3);
    assert!(table.to_text().starts_with("Top 3 of 5 students"));
    assert_eq!(ranking_table(&ranked, 99).len(), 5);
    assert!(ranking(&[]).is_empty());
}

#[test]
fn speed_comparison_times_both_tasks() {
    let comparison = SpeedComparison::measure(&generate_students(200, 1), 100, 1);
    assert_eq!(comparison.rows().len(), 2);
    assert!(comparison.threads() >= 1);
    let text = comparison.table().to_text();
    assert!(text.contains("bootstrap") && text.contains("ranking 200 students"));
    assert!(comparison.mime_bundle().get("text/html").is_some());
}

#[test]
fn prepare_dataset_generates_once_then_reads_the_file() {
    for name in ["dataset.csv", "dataset.json"] {
        let path = std::env::temp_dir().join(format!("personal_{}_{name}", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let made = prepare_dataset(&path, 30, 4).unwrap();
        assert_eq!(made, generate_students(30, 4));
        std::fs::write(&path, std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(prepare_dataset(&path, 5, 99).unwrap(), made);
        std::fs::remove_file(&path).unwrap();
    }
    assert!(matches!(
        prepare_dataset("dataset.parquet", 3, 1),
        Err(GradesError::UnknownFormat { .. })
    ));
    let path = std::env::temp_dir().join(format!("personal_{}_bad.csv", std::process::id()));
    std::fs::write(&path, "name,french,maths,philosophy\nAnn,1,2,33\n").unwrap();
    let error = prepare_dataset(&path, 3, 1).unwrap_err();
    assert!(matches!(
        error,
        GradesError::BadGrade {
            line: 2,
            subject: Subject::Philosophy,
            ..
        }
    ));
    std::fs::remove_file(&path).unwrap();
}

fn grade() -> impl Strategy<Value = Grade> {
    (0u8..=40).prop_map(|h| Grade::from_halves(h).unwrap())
}

fn cohort() -> impl Strategy<Value = Vec<Student>> {
    proptest::collection::vec(
        ("[a-d]{1,2}", grade(), grade(), grade()).prop_map(|(name, french, maths, philosophy)| {
            Student {
                name,
                french,
                maths,
                philosophy,
            }
        }),
        0..40,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn parallel_bootstrap_means_equal_sequential(
        values in proptest::collection::vec(0.0f64..20.0, 0..30),
        resamples in 0usize..60,
        seed in any::<u64>(),
    ) {
        let sequential = bootstrap_means(&values, resamples, seed);
        prop_assert_eq!(&sequential, &bootstrap_means_parallel(&values, resamples, seed));
        if !values.is_empty() {
            prop_assert_eq!(sequential.len(), resamples);
            let min = values.iter().copied().fold(f64::INFINITY, f64::min);
            let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            for mean in sequential {
                prop_assert!(mean >= min - 1e-9 && mean <= max + 1e-9);
            }
        }
    }

    #[test]
    fn intervals_lie_within_the_grades(students in cohort(), seed in any::<u64>()) {
        let result = bootstrap(&students, 50, seed);
        prop_assert_eq!(result.intervals().len(), if students.is_empty() { 0 } else { 3 });
        for interval in result.intervals() {
            let grades: Vec<f64> = students.iter().map(|s| s.grade(interval.subject).value()).collect();
            let min = grades.iter().copied().fold(f64::INFINITY, f64::min);
            let max = grades.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            prop_assert!(min - 1e-9 <= interval.low && interval.low <= interval.high);
            prop_assert!(interval.high <= max + 1e-9);
        }
    }

    #[test]
    fn parallel_ranking_equals_sequential_and_ranks_are_consistent(students in cohort()) {
        let ranked = ranking(&students);
        prop_assert_eq!(&ranked, &ranking_parallel(&students));
        prop_assert_eq!(ranked.len(), students.len());
        for line in &ranked {
            // Rank = 1 + the number of students with a strictly better average.
            let better = students.iter().filter(|s| s.average() > line.average + 1e-9).count();
            prop_assert_eq!(line.rank, better + 1);
        }
        prop_assert!(ranked.windows(2).all(|w| w[0].average >= w[1].average));
    }
}

#[cfg(feature = "web")]
mod web {
    use std::net::SocketAddr;

    use tokio::net::{TcpListener, TcpStream};

    use super::*;

    /// One raw HTTP/1.1 request; returns the status, the headers and the body.
    async fn get(addr: SocketAddr, path: &str) -> (u16, String, String) {
        let stream = TcpStream::connect(addr).await.unwrap();
        let request =
            format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        let mut bytes = request.as_bytes();
        while !bytes.is_empty() {
            stream.writable().await.unwrap();
            match stream.try_write(bytes) {
                Ok(n) => bytes = &bytes[n..],
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(e) => panic!("cannot send the request: {e}"),
            }
        }
        let mut response = Vec::new();
        let mut buffer = [0u8; 16 * 1024];
        loop {
            stream.readable().await.unwrap();
            match stream.try_read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => response.extend_from_slice(&buffer[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(e) => panic!("cannot read the response: {e}"),
            }
        }
        let response = String::from_utf8(response).unwrap();
        let (head, body) = response.split_once("\r\n\r\n").unwrap();
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        (status, head.to_ascii_lowercase(), body.to_string())
    }

    async fn start(students: Vec<Student>) -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router(students)).await });
        addr
    }

    #[tokio::test]
    async fn routes_answer_json_and_svg() {
        let students = generate_students(50, 3);
        let addr = start(students.clone()).await;

        let (status, head, body) = get(addr, "/students").await;
        assert_eq!(status, 200);
        assert!(head.contains("content-type: application/json"));
        let listed: Vec<Student> = serde_json::from_str(&body).unwrap();
        assert_eq!(listed, students);

        let name = &students[7].name;
        let (status, _, body) = get(addr, &format!("/students/{}", name.replace(' ', "%20"))).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(serde_json::from_str::<Student>(&body).unwrap(), students[7]);

        let (status, head, body) = get(addr, "/students/Nobody").await;
        assert_eq!(status, 404);
        assert!(head.contains("application/json"));
        let error: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(error["error"], "no student named \"Nobody\"");

        let (status, _, body) = get(addr, "/stats").await;
        assert_eq!(status, 200);
        let stats: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(stats.as_array().unwrap().len(), 3);
        assert_eq!(stats[1]["subject"], "maths");
        assert_eq!(stats[1]["count"], 50);
        let expected = crate::warmup::statistics(&students);
        assert_eq!(
            stats[0]["mean"].as_f64().unwrap(),
            expected.get(Subject::French).unwrap().mean
        );

        let (status, head, body) = get(addr, "/histogram.svg").await;
        assert_eq!(status, 200);
        assert!(head.contains("content-type: image/svg+xml"));
        assert!(body.starts_with("<svg") && body.contains("All grades of 50 students"));
        let (status, _, body) = get(addr, "/histogram.svg?subject=maths").await;
        assert_eq!(status, 200);
        assert!(body.contains("Maths grades of 50 students"));

        let (status, _, body) = get(addr, "/histogram.svg?subject=art").await;
        assert_eq!(status, 400);
        assert!(body.contains("unknown subject"), "{body}");

        let (status, _, body) = get(addr, "/nowhere").await;
        assert_eq!(status, 404);
        assert!(body.contains("/students"), "{body}");
        let (status, _, body) = get(addr, "/").await;
        assert_eq!(status, 200);
        assert!(body.contains("GET /stats"));
    }

    #[tokio::test]
    async fn an_empty_cohort_is_served_too() {
        let addr = start(Vec::new()).await;
        assert_eq!(get(addr, "/students").await.2, "[]");
        assert_eq!(get(addr, "/stats").await.2, "[]");
        assert_eq!(get(addr, "/histogram.svg").await.0, 200);
    }

    #[tokio::test]
    async fn serve_reports_a_bad_address() {
        let error = serve("256.0.0.1:80", Vec::new()).await.unwrap_err();
        assert!(!error.to_string().is_empty());
    }
}
