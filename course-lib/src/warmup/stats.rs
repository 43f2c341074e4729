//! Statistics of the grades, per subject.

use serde::Serialize;

use crate::lab::Table;
use crate::lab::display::{MimeBundle, Render, impl_evcxr_display};

use super::grades::{Grade, Student, Subject};

/// Mean, median, extremes and spread of one subject's grades.
///
/// The standard deviation is the *population* one (divide by the number of
/// grades), like Python's `statistics.pstdev` and NumPy's `np.std`.
///
/// ```
/// use course_lib::warmup::{Student, Subject, SubjectStats};
///
/// let students = [
///     Student::new("Ann", 10.0, 12.0, 8.0)?,
///     Student::new("Bo", 14.0, 16.5, 9.0)?,
/// ];
/// let maths = SubjectStats::of(&students, Subject::Maths).unwrap();
/// assert_eq!(maths.count, 2);
/// assert_eq!(maths.mean, 14.25);
/// assert_eq!(maths.median, 14.25);
/// assert_eq!((maths.min, maths.max), (12.0, 16.5));
/// assert_eq!(maths.std_dev, 2.25);
/// # Ok::<(), course_lib::warmup::GradeError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubjectStats {
    /// The subject.
    pub subject: Subject,
    /// How many grades.
    pub count: usize,
    /// The average grade.
    pub mean: f64,
    /// The middle grade (the mean of the two middle ones for an even count).
    pub median: f64,
    /// The lowest grade.
    pub min: f64,
    /// The highest grade.
    pub max: f64,
    /// The population standard deviation.
    pub std_dev: f64,
}

impl SubjectStats {
    /// The statistics of `subject` over `students`, or `None` without students.
    ///
    /// ```
    /// use course_lib::warmup::{SubjectStats, Subject, generate_students};
    ///
    /// let stats = SubjectStats::of(&generate_students(1000, 1), Subject::French).unwrap();
    /// assert!(stats.min <= stats.median && stats.median <= stats.max);
    /// assert!(SubjectStats::of(&[], Subject::French).is_none());
    /// ```
    pub fn of(students: &[Student], subject: Subject) -> Option<SubjectStats> {
        let grades: Vec<Grade> = students.iter().map(|s| s.grade(subject)).collect();
        SubjectStats::of_grades(subject, grades)
    }

    /// The statistics of a list of grades, or `None` if it is empty.
    ///
    /// ```
    /// use course_lib::warmup::{Grade, Subject, SubjectStats};
    ///
    /// let grades = [8.0, 9.5, 15.0].map(|g| Grade::new(g).unwrap());
    /// let stats = SubjectStats::of_grades(Subject::Philosophy, grades).unwrap();
    /// assert_eq!(stats.median, 9.5);
    /// ```
    pub fn of_grades(
        subject: Subject,
        grades: impl IntoIterator<Item = Grade>,
    ) -> Option<SubjectStats> {
        let mut grades: Vec<Grade> = grades.into_iter().collect();
        if grades.is_empty() {
            return None;
        }
        grades.sort_unstable();
        let count = grades.len();
        let values = || grades.iter().map(|g| g.value());
        let mean = values().sum::<f64>() / count as f64;
        let variance = values().map(|v| (v - mean).powi(2)).sum::<f64>() / count as f64;
        let middle = count / 2;
        let median = if count % 2 == 1 {
            grades[middle].value()
        } else {
            (grades[middle - 1].value() + grades[middle].value()) / 2.0
        };
        Some(SubjectStats {
            subject,
            count,
            mean,
            median,
            min: grades[0].value(),
            max: grades[count - 1].value(),
            std_dev: variance.sqrt(),
        })
    }
}

/// The statistics of every subject: one row per subject.
///
/// End a notebook cell with it to see a table.
///
/// ```
/// use course_lib::warmup::{Subject, generate_students, statistics};
///
/// let stats = statistics(&generate_students(1100, 7));
/// assert_eq!(stats.subjects().len(), 3);
/// let maths = stats.get(Subject::Maths).unwrap();
/// assert!((9.0..12.0).contains(&maths.mean));
/// println!("{}", stats.table().to_text());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Statistics {
    subjects: Vec<SubjectStats>,
}

impl Statistics {
    /// The statistics of each subject, in the order of [`Subject::ALL`]
    /// (empty when there are no students).
    ///
    /// ```
    /// use course_lib::warmup::statistics;
    ///
    /// assert!(statistics(&[]).subjects().is_empty());
    /// ```
    pub fn subjects(&self) -> &[SubjectStats] {
        &self.subjects
    }

    /// The statistics of one subject, if there were students.
    ///
    /// ```
    /// use course_lib::warmup::{Subject, generate_students, statistics};
    ///
    /// let stats = statistics(&generate_students(10, 1));
    /// assert_eq!(stats.get(Subject::French).unwrap().count, 10);
    /// ```
    pub fn get(&self, subject: Subject) -> Option<&SubjectStats> {
        self.subjects.iter().find(|s| s.subject == subject)
    }

    /// The statistics as a table, numbers rounded to two decimals.
    ///
    /// ```
    /// use course_lib::warmup::{generate_students, statistics};
    ///
    /// let table = statistics(&generate_students(50, 3)).table();
    /// assert_eq!(table.len(), 3);
    /// assert!(table.to_text().starts_with("Grades of 50 students"));
    /// ```
    pub fn table(&self) -> Table {
        let students = self.subjects.first().map_or(0, |s| s.count);
        let mut table = Table::new()
            .caption(format!("Grades of {students} students"))
            .headers(["subject", "mean", "median", "min", "max", "std dev"]);
        for s in &self.subjects {
            table.push_row((
                s.subject,
                format!("{:.2}", s.mean),
                format!("{:.2}", s.median),
                s.min,
                s.max,
                format!("{:.2}", s.std_dev),
            ));
        }
        table
    }
}

impl Render for Statistics {
    fn mime_bundle(&self) -> MimeBundle {
        self.table().mime_bundle()
    }
}

impl_evcxr_display!(Statistics => "course_lib::warmup::statistics(&course_lib::warmup::generate_students(100, 1))");

/// The statistics of every subject over `students`.
///
/// ```
/// use course_lib::warmup::{Student, Subject, statistics};
///
/// let students = [Student::new("Ann", 10.0, 12.0, 8.0)?, Student::new("Bo", 14.0, 16.0, 9.0)?];
/// assert_eq!(statistics(&students).get(Subject::French).unwrap().mean, 12.0);
/// # Ok::<(), course_lib::warmup::GradeError>(())
/// ```
pub fn statistics(students: &[Student]) -> Statistics {
    Statistics {
        subjects: Subject::ALL
            .iter()
            .filter_map(|&subject| SubjectStats::of(students, subject))
            .collect(),
    }
}
