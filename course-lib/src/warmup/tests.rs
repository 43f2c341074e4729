use std::collections::HashSet;

use proptest::prelude::*;

use super::names::{compose_with_loops, compose_with_permutations};
use super::*;
use crate::lab::display::Render;

/// Full names written out with three plain loops, as the reference order.
fn reference_full_names(first: &[&str], last: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, a) in first.iter().enumerate() {
        for (j, b) in first.iter().enumerate() {
            if i != j {
                for l in last {
                    out.push(format!("{a}-{b} {l}"));
                }
            }
        }
    }
    out
}

fn temp_path(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("course_lib_warmup_{}_{name}", std::process::id()))
}

#[test]
fn composed_names_follow_the_course() {
    let loops = composed_names_loops();
    assert_eq!(loops.len(), 110);
    assert_eq!(loops, composed_names_itertools());
    let unique: HashSet<&String> = loops.iter().collect();
    assert_eq!(unique.len(), 110);
    assert!(loops.contains(&"Alice-Maria".to_string()));
    assert!(loops.contains(&"Maria-Alice".to_string()));
    assert!(loops.contains(&"Léa-Richard".to_string()));
    for name in FIRST_NAMES {
        assert!(!loops.contains(&format!("{name}-{name}")));
    }
    assert_eq!(loops[109], "Richard-Léa");
}

#[test]
fn the_three_full_name_ways_agree() {
    let eager = full_names_vec();
    assert_eq!(eager.len(), FULL_COUNT);
    assert_eq!(eager, reference_full_names(&FIRST_NAMES, &LAST_NAMES));
    assert_eq!(full_names_lazy().collect::<Vec<_>>(), eager);
    assert_eq!(FullNames::new().collect::<Vec<_>>(), eager);
    assert_eq!(FullNames::default().rev().collect::<Vec<_>>(), {
        let mut reversed = eager.clone();
        reversed.reverse();
        reversed
    });
    assert_eq!(eager.iter().collect::<HashSet<_>>().len(), 1100);
    assert_eq!(eager[0], "Bob-Alice Dupont");
    assert_eq!(eager[9], "Bob-Alice Sanzot");
    assert_eq!(eager[10], "Bob-Maria Dupont");
    assert_eq!(eager[1099], "Richard-Léa Sanzot");
    assert_eq!(full_names_lazy().size_hint().0, 0); // a chain cannot tell
    assert_eq!(FullNames::new().size_hint(), (1100, Some(1100)));
}

#[test]
fn full_names_iterator_is_fused_and_jumps() {
    let mut names = FullNames::new();
    assert_eq!(names.nth(1099).as_deref(), Some("Richard-Léa Sanzot"));
    assert_eq!(names.next(), None);
    assert_eq!(names.next_back(), None);
    assert_eq!(names.len(), 0);
    let mut names = FullNames::new();
    assert_eq!(names.nth(usize::MAX), None);
    assert_eq!(names.next(), None);
    let mut names = FullNames::new();
    assert_eq!(names.nth_back(1099).as_deref(), Some("Bob-Alice Dupont"));
    assert_eq!(names.next(), None);
    assert_eq!(
        FullNames::new().last().as_deref(),
        Some("Richard-Léa Sanzot")
    );
    assert_eq!(FullNames::new().count(), 1100);
    assert_eq!(FullNames::from_lists(&[], &["X"]).len(), 0);
    assert_eq!(FullNames::from_lists(&["A", "B"], &[]).next(), None);
}

#[test]
fn memory_report_compares_eager_and_lazy() {
    let report = MemoryReport::measure();
    assert_eq!(report.names, 1100);
    // 1100 strings of at least "Bob-Luc Lopez".len() bytes, plus 24 bytes each.
    assert!(report.vec_bytes >= 24 + 1100 * (24 + 13));
    assert!(report.composed_bytes < report.vec_bytes);
    assert_eq!(report.struct_bytes, std::mem::size_of::<FullNames>());
    assert!(report.struct_bytes <= 64);
    let bundle = report.mime_bundle();
    assert!(bundle.get("text/html").unwrap().contains("<table"));
    assert!(bundle.plain_text().contains("full_names_lazy"));
}

#[test]
fn grades_accept_halves_only() {
    for halves in 0..=40u8 {
        let value = f64::from(halves) / 2.0;
        let grade = Grade::new(value).unwrap();
        assert_eq!(grade.halves(), halves);
        assert_eq!(grade.to_string().parse::<Grade>(), Ok(grade));
        assert_eq!(Grade::from_halves(halves), Ok(grade));
    }
    assert_eq!(Grade::new(12.3), Err(GradeError::NotAHalf { value: 12.3 }));
    assert_eq!(
        Grade::new(21.0),
        Err(GradeError::OutOfRange { value: 21.0 })
    );
    assert_eq!(
        Grade::new(20.5),
        Err(GradeError::OutOfRange { value: 20.5 })
    );
    assert!(matches!(
        Grade::new(f64::INFINITY),
        Err(GradeError::OutOfRange { .. })
    ));
    assert!(matches!(
        Grade::new(f64::NAN),
        Err(GradeError::NotANumber { .. })
    ));
    assert!(matches!(
        "".parse::<Grade>(),
        Err(GradeError::NotANumber { .. })
    ));
    assert_eq!(Grade::new(-0.0).unwrap(), Grade::MIN);
    assert_eq!(format!("[{:>4}]", Grade::new(9.5).unwrap()), "[ 9.5]");
    let error: Box<dyn std::error::Error> = Box::new(Grade::new(21.0).unwrap_err());
    assert!(error.to_string().contains("from 0 to 20"));
}

#[test]
fn grades_serialise_as_plain_numbers() {
    let ann = Student::new("Ann", 12.5, 16.0, 0.0).unwrap();
    let json = serde_json::to_string(&ann).unwrap();
    assert_eq!(
        json,
        r#"{"name":"Ann","french":12.5,"maths":16,"philosophy":0}"#
    );
    assert_eq!(serde_json::from_str::<Student>(&json).unwrap(), ann);
    let bad = r#"{"name":"Ann","french":12.5,"maths":"16","philosophy":0}"#;
    assert!(serde_json::from_str::<Student>(bad).is_err());
    assert_eq!(serde_json::to_string(&Subject::Maths).unwrap(), "\"maths\"");
}

#[test]
fn students_go_through_csv_and_json_unchanged() {
    let students = generate_students(300, 11);
    let mut csv = Vec::new();
    write_csv(&students, &mut csv).unwrap();
    let text = String::from_utf8(csv).unwrap();
    assert!(text.starts_with("name,french,maths,philosophy\n"));
    assert_eq!(text.lines().count(), 301);
    assert_eq!(read_csv(text.as_bytes()).unwrap(), students);

    let mut json = Vec::new();
    write_json(&students, &mut json).unwrap();
    assert_eq!(read_json(json.as_slice()).unwrap(), students);

    let mut empty = Vec::new();
    write_csv(&[], &mut empty).unwrap();
    assert_eq!(empty, b"name,french,maths,philosophy\n");
    assert_eq!(read_csv(empty.as_slice()).unwrap(), []);
    assert_eq!(read_csv(&b""[..]).unwrap(), []);
    assert_eq!(read_json(&b"[]"[..]).unwrap(), []);
}

#[test]
fn csv_columns_may_come_in_any_order_and_with_quotes() {
    let text = "maths,name,philosophy,french\n16,\"Dupont, Bob\",9,12.5\n";
    let students = read_csv(text.as_bytes()).unwrap();
    assert_eq!(
        students,
        [Student::new("Dupont, Bob", 12.5, 16.0, 9.0).unwrap()]
    );
    let mut out = Vec::new();
    write_csv(&students, &mut out).unwrap();
    assert!(
        String::from_utf8(out)
            .unwrap()
            .contains("\"Dupont, Bob\",12.5,16,9")
    );
}

#[test]
fn bad_csv_gives_clear_errors() {
    let header = "name,french,maths,philosophy\n";
    let read = |rows: &str| read_csv(format!("{header}{rows}").as_bytes()).unwrap_err();

    let error = read("Ann,12,13,14\nBo,12,13,21\n");
    assert!(matches!(
        &error,
        GradesError::BadGrade { line: 3, subject: Subject::Philosophy, text, reason: GradeError::OutOfRange { .. } } if text == "21"
    ));
    assert_eq!(
        error.to_string(),
        "line 3: bad philosophy grade \"21\": grade 21 is out of range: grades go from 0 to 20"
    );
    assert!(std::error::Error::source(&error).is_some());

    let error = read("Ann,twelve,13,14\n");
    assert!(matches!(
        error,
        GradesError::BadGrade {
            line: 2,
            subject: Subject::French,
            reason: GradeError::NotANumber { .. },
            ..
        }
    ));
    let error = read("Ann,,13,14\n");
    assert!(matches!(error, GradesError::BadGrade { line: 2, .. }));

    let error = read("Ann,12,13\n");
    assert!(matches!(error, GradesError::BadRow { line: Some(2), .. }));
    assert_eq!(
        error.to_string(),
        "line 2: expected 4 fields like the header line, found 3"
    );

    let error = read_csv("name,french,philosophy\nAnn,12,13\n".as_bytes()).unwrap_err();
    assert!(matches!(error, GradesError::BadRow { line: Some(2), .. }));
    assert!(
        error.to_string().contains("missing field `maths`"),
        "{error}"
    );

    let error = read_csv(&b"name,french,maths,philosophy\nAnn\xff,1,2,3\n"[..]).unwrap_err();
    assert!(error.to_string().contains("UTF-8"), "{error}");
}

#[test]
fn bad_json_gives_clear_errors() {
    let error = read_json(
        &b"[{\"name\": \"Ann\",\n \"french\": 1, \"maths\": 2.3, \"philosophy\": 1}]"[..],
    )
    .unwrap_err();
    assert!(matches!(error, GradesError::Json { line: 2, .. }));
    assert!(
        error.to_string().starts_with("JSON line 2, column"),
        "{error}"
    );
    assert!(
        error
            .to_string()
            .contains("grade 2.3 is not a whole or half point")
    );
    assert!(!error.to_string().contains(" at line "));

    let error = read_json(&b"{\"name\": \"Ann\"}"[..]).unwrap_err();
    assert!(error.to_string().contains("expected a sequence"), "{error}");
    let error = read_json(&b"[{\"name\": \"Ann\", \"french\": 1}]"[..]).unwrap_err();
    assert!(error.to_string().contains("missing field"), "{error}");
    let error = read_json(&b"[{"[..]).unwrap_err();
    assert!(matches!(error, GradesError::Json { line: 1, .. }));
}

#[test]
fn files_round_trip_and_name_their_path() {
    let students = generate_students(20, 5);
    for name in ["grades.csv", "grades.JSON"] {
        let path = temp_path(name);
        save_students(&students, &path).unwrap();
        assert_eq!(load_students(&path).unwrap(), students);
        std::fs::remove_file(&path).unwrap();
        let error = load_students(&path).unwrap_err();
        assert!(matches!(&error, GradesError::Io { path: Some(p), .. } if *p == path));
        assert!(error.to_string().contains(&path.display().to_string()));
    }
    let path = temp_path("explicit.csv");
    save_csv(&students, &path).unwrap();
    assert_eq!(load_csv(&path).unwrap(), students);
    // A CSV file read as JSON is a JSON error at line 1.
    assert!(matches!(
        load_json(&path).unwrap_err(),
        GradesError::Json { line: 1, .. }
    ));
    std::fs::remove_file(&path).unwrap();
    assert!(matches!(
        save_students(&students, temp_path("grades")),
        Err(GradesError::UnknownFormat { .. })
    ));
    let error = save_json(&students, "/no/such/dir/grades.json").unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("cannot access /no/such/dir/grades.json")
    );
}

#[test]
fn generated_cohorts_are_reproducible_and_realistic() {
    let students = generate_students(3000, 2024);
    assert_eq!(students, generate_students(3000, 2024));
    assert_eq!(students[..10], generate_students(10, 2024)[..]);
    let names: HashSet<&str> = students.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names.len(), 3000);
    assert!(names.contains("Bob-Alice Dupont (3)"));
    assert!(names.contains("Bob-Alice Dupont (2)"));
    assert!(names.contains("Bob-Alice Dupont"));
    let stats = statistics(&students);
    for (subject, target) in Subject::ALL.into_iter().zip([11.5, 10.5, 10.0]) {
        let s = stats.get(subject).unwrap();
        assert!((s.mean - target).abs() < 0.3, "{subject}: {}", s.mean);
        assert!((2.5..4.0).contains(&s.std_dev), "{subject}: {}", s.std_dev);
        assert!(s.min < 4.0 && s.max > 17.0, "{subject}: {s:?}");
    }
    assert!(generate_students(0, 1).is_empty());
}

#[test]
fn statistics_of_a_small_class() {
    let students = [
        Student::new("A", 10.0, 0.0, 20.0).unwrap(),
        Student::new("B", 12.0, 20.0, 20.0).unwrap(),
        Student::new("C", 17.0, 10.0, 20.0).unwrap(),
    ];
    let stats = statistics(&students);
    let french = stats.get(Subject::French).unwrap();
    assert_eq!((french.mean, french.median), (13.0, 12.0));
    let maths = stats.get(Subject::Maths).unwrap();
    assert!((maths.std_dev - (200.0f64 / 3.0).sqrt()).abs() < 1e-12);
    let philosophy = stats.get(Subject::Philosophy).unwrap();
    assert_eq!(philosophy.std_dev, 0.0);
    let text = stats.table().to_text();
    assert!(text.contains("french") && text.contains("13.00"), "{text}");
    let json = serde_json::to_value(&stats).unwrap();
    assert_eq!(json[1]["subject"], "maths");
    assert!(statistics(&[]).table().to_text().contains("0 students"));
    assert!(stats.mime_bundle().get("text/html").is_some());
}

#[test]
fn histograms_count_every_grade() {
    let students = generate_students(500, 3);
    let chart = histogram(&students, Subject::French);
    assert!(
        chart
            .to_svg()
            .unwrap()
            .contains("French grades of 500 students")
    );
    assert!(chart.summary().contains("21 points"));
    let all = grade_counts(students.iter().flat_map(Student::grades));
    assert_eq!(all.iter().sum::<usize>(), 1500);
    assert!(histogram_all(&students).to_svg().is_ok());
    assert!(histogram(&[], Subject::Maths).to_svg().is_ok());
    let table = students_table(&students[..3]);
    assert_eq!(table.len(), 3);
}

fn grades() -> impl Strategy<Value = Grade> {
    (0u8..=40).prop_map(|h| Grade::from_halves(h).unwrap())
}

fn students() -> impl Strategy<Value = Vec<Student>> {
    proptest::collection::vec(
        ("[a-zA-Zé ,\"-]{0,12}", grades(), grades(), grades()).prop_map(
            |(name, french, maths, philosophy)| Student {
                name,
                french,
                maths,
                philosophy,
            },
        ),
        0..20,
    )
}

proptest! {
    #[test]
    fn loops_and_permutations_agree(names in proptest::collection::vec("[a-c]{0,2}", 0..7)) {
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let loops = compose_with_loops(&names);
        prop_assert_eq!(loops.len(), names.len() * names.len().saturating_sub(1));
        prop_assert_eq!(loops, compose_with_permutations(&names));
    }

    #[test]
    fn full_names_struct_matches_loops_at_every_step(
        first in proptest::collection::vec("[a-z]{1,3}", 0..6),
        last in proptest::collection::vec("[A-Z]{1,3}", 0..4),
        jump in 0usize..200,
    ) {
        let first: Vec<&str> = first.iter().map(String::as_str).collect();
        let last: Vec<&str> = last.iter().map(String::as_str).collect();
        let expected = reference_full_names(&first, &last);
        let mut names = FullNames::from_lists(&first, &last);
        prop_assert_eq!(names.len(), expected.len());
        prop_assert_eq!(names.clone().collect::<Vec<_>>(), expected.clone());
        prop_assert_eq!(names.clone().nth(jump), expected.get(jump).cloned());
        prop_assert_eq!(
            names.clone().nth_back(jump),
            expected.len().checked_sub(jump + 1).map(|i| expected[i].clone())
        );
        // Alternate ends; the length stays exact.
        let mut front = Vec::new();
        let mut back = Vec::new();
        while names.len() > 0 {
            let left = names.len();
            if left.is_multiple_of(2) { front.push(names.next().unwrap()) } else { back.push(names.next_back().unwrap()) }
            prop_assert_eq!(names.len(), left - 1);
        }
        back.reverse();
        front.extend(back);
        prop_assert_eq!(front, expected);
    }

    #[test]
    fn any_grade_survives_text_and_json(grade in grades()) {
        prop_assert_eq!(grade.to_string().parse::<Grade>(), Ok(grade));
        let json = serde_json::to_string(&grade).unwrap();
        prop_assert_eq!(serde_json::from_str::<Grade>(&json).unwrap(), grade);
        prop_assert_eq!(Grade::nearest(grade.value()), grade);
    }

    #[test]
    fn numbers_off_the_half_grid_are_refused(value in -100.0f64..100.0) {
        let result = Grade::new(value);
        let valid = (0.0..=20.0).contains(&value) && (value * 2.0).fract() == 0.0;
        prop_assert_eq!(result.is_ok(), valid);
        let nearest = Grade::nearest(value).value();
        prop_assert!((0.0..=20.0).contains(&nearest));
        if (0.0..=20.0).contains(&value) {
            prop_assert!((nearest - value).abs() <= 0.25);
        }
    }

    #[test]
    fn any_students_survive_csv_and_json(students in students()) {
        let mut csv = Vec::new();
        write_csv(&students, &mut csv).unwrap();
        // Reading trims spaces around fields, so compare trimmed names.
        let trimmed: Vec<Student> = students
            .iter()
            .map(|s| Student { name: s.name.trim().to_string(), ..s.clone() })
            .collect();
        prop_assert_eq!(read_csv(csv.as_slice()).unwrap(), trimmed);
        let mut json = Vec::new();
        write_json(&students, &mut json).unwrap();
        prop_assert_eq!(read_json(json.as_slice()).unwrap(), students);
    }

    #[test]
    fn statistics_stay_within_the_grades(students in students()) {
        let stats = statistics(&students);
        prop_assert_eq!(stats.subjects().len(), if students.is_empty() { 0 } else { 3 });
        for s in stats.subjects() {
            prop_assert_eq!(s.count, students.len());
            prop_assert!(s.min <= s.median && s.median <= s.max);
            prop_assert!(s.min <= s.mean + 1e-9 && s.mean <= s.max + 1e-9);
            prop_assert!(s.std_dev >= 0.0 && s.std_dev <= (s.max - s.min) / 2.0 + 1e-9);
        }
        let counts = grade_counts(students.iter().map(|s| s.maths));
        prop_assert_eq!(counts.iter().sum::<usize>(), students.len());
    }
}
