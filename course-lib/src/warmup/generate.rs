//! A seeded, deterministic generator of students and their grades.

use crate::rng::Rng;

use super::full_names::full_names_vec;
use super::grades::{Grade, Student};

/// The mean grade the generator aims at in each subject, in the order of
/// [`Subject::ALL`](super::Subject::ALL) (French, maths, philosophy).
const SUBJECT_MEANS: [f64; 3] = [11.5, 10.5, 10.0];

/// How much a student's general level moves all their grades (standard deviation).
const LEVEL_SPREAD: f64 = 2.0;

/// How much each exam varies on its own (standard deviation).
const EXAM_SPREAD: f64 = 2.5;

/// Generates `count` students with realistic grades; the same `count` and
/// `seed` always give the same students, on every machine.
///
/// Names are the 1100 full names in an order shuffled by the seed. Past
/// 1100 students the names come round again with a number, `"Bob-Alice
/// Dupont (2)"`, so every student's name is unique.
///
/// Each student has a general level shared by the three subjects, and each
/// exam adds its own luck, so the three grades of a student are related.
/// Subject means are about 11.5 (French), 10.5 (maths) and 10 (philosophy),
/// with a spread (standard deviation) of about 3 points; values are rounded
/// to the nearest half point and kept between 0 and 20.
///
/// ```
/// use course_lib::warmup::generate_students;
///
/// let students = generate_students(5, 42);
/// assert_eq!(students.len(), 5);
/// assert_eq!(students, generate_students(5, 42));
/// assert_ne!(students, generate_students(5, 43));
/// for student in &students {
///     println!("{student}");
/// }
/// ```
pub fn generate_students(count: usize, seed: u64) -> Vec<Student> {
    let mut rng = Rng::seeded(seed);
    let mut names = full_names_vec();
    rng.shuffle(&mut names);
    (0..count)
        .map(|i| {
            let base = &names[i % names.len()];
            let round = i / names.len();
            let name = if round == 0 {
                base.clone()
            } else {
                format!("{base} ({})", round + 1)
            };
            let level = LEVEL_SPREAD * standard_normal(&mut rng);
            let [french, maths, philosophy] = SUBJECT_MEANS
                .map(|mean| Grade::nearest(mean + level + EXAM_SPREAD * standard_normal(&mut rng)));
            Student {
                name,
                french,
                maths,
                philosophy,
            }
        })
        .collect()
}

/// An approximately normal number (mean 0, standard deviation 1): the sum of
/// twelve uniform numbers minus 6. Only additions, so every machine agrees
/// to the last bit.
fn standard_normal(rng: &mut Rng) -> f64 {
    (0..12).map(|_| rng.next_f64()).sum::<f64>() - 6.0
}
