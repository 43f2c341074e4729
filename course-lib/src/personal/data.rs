//! The data step: a dataset file made once, then read back with serde.

use std::path::Path;

use crate::warmup::{GradesError, Student, generate_students, load_students, save_students};

/// The students stored at `path` (`.csv` or `.json`); if the file does not
/// exist yet, `count` students are generated from `seed` and saved there
/// first, then read back.
///
/// Reading back what was just written checks the whole serde round trip
/// every time. Loading and saving are the warm-up's own functions
/// ([`load_students`], [`save_students`]): a project reuses its building
/// blocks rather than copying them.
///
/// ```
/// use course_lib::personal::prepare_dataset;
///
/// let path = std::env::temp_dir().join("personal_doc_example.json");
/// # let _ = std::fs::remove_file(&path);
/// let first = prepare_dataset(&path, 50, 7)?; // generated and saved
/// let again = prepare_dataset(&path, 9999, 0)?; // read from the file
/// assert_eq!(first, again);
/// # std::fs::remove_file(&path).unwrap();
/// # Ok::<(), course_lib::warmup::GradesError>(())
/// ```
pub fn prepare_dataset(
    path: impl AsRef<Path>,
    count: usize,
    seed: u64,
) -> Result<Vec<Student>, GradesError> {
    let path = path.as_ref();
    if !path.exists() {
        save_students(&generate_students(count, seed), path)?;
    }
    load_students(path)
}
