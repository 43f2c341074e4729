//! Ranking a cohort by average grade, sequential and parallel.

use std::cmp::Reverse;

use rayon::prelude::*;
use serde::Serialize;

use crate::lab::Table;
use crate::warmup::Student;

/// One line of a ranking.
///
/// ```
/// use course_lib::personal::ranking;
/// use course_lib::warmup::Student;
///
/// let ranked = ranking(&[Student::new("Ann", 12.0, 14.0, 10.0)?]);
/// assert_eq!(ranked[0].rank, 1);
/// assert_eq!(ranked[0].average, 12.0);
/// # Ok::<(), course_lib::warmup::GradeError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranked {
    /// The position, from 1; students with the same average share it and
    /// the next one is skipped ("1, 2, 2, 4").
    pub rank: usize,
    /// The student's name.
    pub name: String,
    /// The average of the three grades.
    pub average: f64,
}

/// The sum of a student's three grades in half points: an exact sort key.
fn total_halves(student: &Student) -> u16 {
    student.grades().iter().map(|g| u16::from(g.halves())).sum()
}

/// Numbers the sorted students, giving equal totals the same rank.
fn number(sorted: Vec<(u16, &Student)>) -> Vec<Ranked> {
    let mut ranked = Vec::with_capacity(sorted.len());
    let mut previous: Option<(u16, usize)> = None; // (total, rank)
    for (position, (total, student)) in sorted.into_iter().enumerate() {
        let rank = match previous {
            Some((previous_total, rank)) if previous_total == total => rank,
            _ => position + 1,
        };
        previous = Some((total, rank));
        ranked.push(Ranked {
            rank,
            name: student.name.clone(),
            average: f64::from(total) / 6.0,
        });
    }
    ranked
}

/// Best total first, then names in alphabetical order.
fn by_rank(a: &(u16, &Student), b: &(u16, &Student)) -> std::cmp::Ordering {
    (Reverse(a.0), &a.1.name).cmp(&(Reverse(b.0), &b.1.name))
}

/// Ranks students by average grade, best first; equal averages are listed
/// by name and share their rank.
///
/// ```
/// use course_lib::personal::ranking;
/// use course_lib::warmup::Student;
///
/// let students = [
///     Student::new("Cy", 10.0, 10.0, 10.0)?,
///     Student::new("Ann", 15.0, 15.0, 15.0)?,
///     Student::new("Bo", 10.0, 10.0, 10.0)?,
/// ];
/// let ranked = ranking(&students);
/// let ranks: Vec<(usize, &str)> = ranked.iter().map(|r| (r.rank, r.name.as_str())).collect();
/// assert_eq!(ranks, [(1, "Ann"), (2, "Bo"), (2, "Cy")]);
/// # Ok::<(), course_lib::warmup::GradeError>(())
/// ```
pub fn ranking(students: &[Student]) -> Vec<Ranked> {
    let mut keyed: Vec<(u16, &Student)> = students.iter().map(|s| (total_halves(s), s)).collect();
    keyed.sort_by(by_rank);
    number(keyed)
}

/// The same ranking as [`ranking`], with the keys computed and the sort
/// done on every core (rayon's `par_iter` and `par_sort_by`).
///
/// ```
/// use course_lib::personal::{ranking, ranking_parallel};
/// use course_lib::warmup::generate_students;
///
/// let students = generate_students(5000, 1);
/// assert_eq!(ranking_parallel(&students), ranking(&students));
/// ```
pub fn ranking_parallel(students: &[Student]) -> Vec<Ranked> {
    let mut keyed: Vec<(u16, &Student)> =
        students.par_iter().map(|s| (total_halves(s), s)).collect();
    keyed.par_sort_by(by_rank);
    number(keyed)
}

/// The first `count` lines of a ranking as a table.
///
/// ```
/// use course_lib::personal::{ranking, ranking_table};
/// use course_lib::warmup::generate_students;
///
/// let table = ranking_table(&ranking(&generate_students(100, 1)), 10);
/// assert_eq!(table.len(), 10);
/// ```
pub fn ranking_table(ranked: &[Ranked], count: usize) -> Table {
    Table::new()
        .caption(format!(
            "Top {} of {} students",
            count.min(ranked.len()),
            ranked.len()
        ))
        .headers(["rank", "name", "average"])
        .rows(
            ranked
                .iter()
                .take(count)
                .map(|r| (r.rank, r.name.as_str(), format!("{:.2}", r.average))),
        )
}
