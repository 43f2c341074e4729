//! Histograms of grades and a table of students.

use crate::lab::{Chart, Table};

use super::grades::{Grade, Student, Subject};

/// How many grades fall in each one-point bin: bin `k` (0 to 20) counts the
/// grades from `k` included to `k + 1` excluded, so 12 and 12.5 share bin 12,
/// and bin 20 holds only 20.
///
/// ```
/// use course_lib::warmup::{Grade, grade_counts};
///
/// let grades = [12.0, 12.5, 13.0, 20.0].map(|g| Grade::new(g).unwrap());
/// let counts = grade_counts(grades);
/// assert_eq!((counts[12], counts[13], counts[20]), (2, 1, 1));
/// assert_eq!(counts.iter().sum::<usize>(), 4);
/// ```
pub fn grade_counts(grades: impl IntoIterator<Item = Grade>) -> [usize; 21] {
    let mut counts = [0; 21];
    for grade in grades {
        counts[usize::from(grade.halves() / 2)] += 1;
    }
    counts
}

fn bar_chart(title: String, counts: [usize; 21]) -> Chart {
    let bars = counts
        .iter()
        .enumerate()
        .map(|(points, &count)| (points.to_string(), count as f64));
    Chart::bars(title, bars)
        .x_label("grade (bar 12: from 12 to 12.5)")
        .y_label("grades")
        .size(800, 400)
}

/// A histogram of one subject's grades: one bar per point, 0 to 20.
///
/// End a notebook cell with it to see the chart.
///
/// ```
/// use course_lib::warmup::{Subject, generate_students, histogram};
///
/// let students = generate_students(1100, 7);
/// let chart = histogram(&students, Subject::Maths);
/// assert!(chart.to_svg()?.contains("Maths grades of 1100 students"));
/// # Ok::<(), course_lib::lab::ChartError>(())
/// ```
pub fn histogram(students: &[Student], subject: Subject) -> Chart {
    let counts = grade_counts(students.iter().map(|s| s.grade(subject)));
    let name = subject.name();
    let title = format!(
        "{}{} grades of {} students",
        name[..1].to_uppercase(),
        &name[1..],
        students.len()
    );
    bar_chart(title, counts)
}

/// A histogram of every grade of every subject together.
///
/// ```
/// use course_lib::warmup::{generate_students, histogram_all};
///
/// let chart = histogram_all(&generate_students(100, 7));
/// assert!(chart.summary().contains("21 points")); // 21 bars
/// ```
pub fn histogram_all(students: &[Student]) -> Chart {
    let counts = grade_counts(students.iter().flat_map(Student::grades));
    let title = format!("All grades of {} students", students.len());
    bar_chart(title, counts)
}

/// The students as a table (name, three grades and their average).
///
/// ```
/// use course_lib::warmup::{generate_students, students_table};
///
/// let students = generate_students(1100, 7);
/// let table = students_table(&students[..5]);
/// assert_eq!(table.len(), 5);
/// ```
pub fn students_table(students: &[Student]) -> Table {
    Table::new()
        .headers(["name", "french", "maths", "philosophy", "average"])
        .rows(students.iter().map(|s| {
            (
                s.name.as_str(),
                s.french,
                s.maths,
                s.philosophy,
                format!("{:.2}", s.average()),
            )
        }))
}
