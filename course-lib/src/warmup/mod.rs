//! Mini-project 0, the warm-up: a dataset of people and their exam grades.
//!
//! The project builds a small dataset step by step and compares several ways
//! of writing the same thing, in speed (`%%timeit`) and in memory.
//!
//! 1. **Composed names.** From the eleven [`FIRST_NAMES`], every ordered pair
//!    of two different names joined by a dash: "Alice-Maria" and
//!    "Maria-Alice", never "Bob-Bob", 110 in all. Written once with
//!    hand-written loops ([`composed_names_loops`]) and once with the
//!    itertools crate ([`composed_names_itertools`]).
//! 2. **Full names.** Every composed name with every one of the ten
//!    [`LAST_NAMES`], 1100 in all, in a fixed order, three ways: an iterator
//!    struct ([`FullNames`]), a lazy chain of iterator adapters
//!    ([`full_names_lazy`]) and an eager function filling a `Vec`
//!    ([`full_names_vec`]). [`MemoryReport`] shows what each one keeps in
//!    memory.
//! 3. **Exam grades.** A [`Student`] has a grade out of 20 in French, maths
//!    and philosophy, halves allowed ([`Grade`]). [`generate_students`] makes
//!    a reproducible cohort; the students go to and from CSV and JSON with
//!    serde ([`write_csv`], [`read_json`], [`save_csv`], [`load_students`]...);
//!    [`statistics`] and [`histogram`] summarise them.
//!
//! # From Python to Rust
//!
//! | Python                                       | Rust                                            |
//! |----------------------------------------------|-------------------------------------------------|
//! | `itertools.permutations(names, 2)`           | `names.iter().permutations(2)` ([`itertools`])  |
//! | a class with `__iter__` and `__next__`       | a struct implementing [`Iterator`] ([`FullNames`]) |
//! | a generator function with `yield`            | a chain of adapters ([`full_names_lazy`])       |
//! | a function returning a list                  | a function returning a `Vec` ([`full_names_vec`]) |
//! | `len()` of a generator: impossible           | [`ExactSizeIterator::len`] on [`FullNames`]     |
//! | `sys.getsizeof`                              | `size_of`, `capacity` ([`string_vec_bytes`])    |
//! | `@dataclass class Student`                   | `#[derive(Serialize, Deserialize)] struct` [`Student`] |
//! | `csv.DictWriter`, `json.dump`                | [`write_csv`], [`write_json`] (serde)           |
//! | `ValueError` on a bad grade                  | [`GradeError`], [`GradesError`] in a `Result`   |
//! | `statistics.mean`, `median`, `pstdev`        | [`SubjectStats`]                                |
//! | `plt.hist(grades)`                           | [`histogram`] (an SVG [`Chart`](crate::lab::Chart)) |
//!
//! ```
//! use course_lib::warmup::*;
//!
//! assert_eq!(composed_names_loops(), composed_names_itertools());
//! assert_eq!(FullNames::new().len(), 1100);
//! assert!(full_names_lazy().eq(full_names_vec()));
//!
//! let students = generate_students(1100, 7);
//! let mut csv = Vec::new();
//! write_csv(&students, &mut csv)?;
//! assert_eq!(read_csv(csv.as_slice())?, students);
//!
//! let stats = statistics(&students); // a table in a notebook
//! assert_eq!(stats.get(Subject::Maths).unwrap().count, 1100);
//! let chart = histogram(&students, Subject::Maths); // an SVG chart
//! # let _ = chart;
//! # Ok::<(), GradesError>(())
//! ```

mod error;
mod full_names;
mod generate;
mod grades;
mod io;
mod memory;
mod names;
mod plot;
mod stats;

#[cfg(test)]
mod tests;

pub use error::GradesError;
pub use full_names::{FULL_COUNT, FullNames, full_names_lazy, full_names_vec};
pub use generate::generate_students;
pub use grades::{Grade, GradeError, Student, Subject, UnknownSubject};
pub use io::{
    CSV_HEADER, load_csv, load_json, load_students, read_csv, read_json, save_csv, save_json,
    save_students, write_csv, write_json,
};
pub use memory::{MemoryReport, string_vec_bytes};
pub use names::{
    COMPOSED_COUNT, FIRST_NAMES, LAST_NAMES, composed_names_itertools, composed_names_loops,
};
pub use plot::{grade_counts, histogram, histogram_all, students_table};
pub use stats::{Statistics, SubjectStats, statistics};
