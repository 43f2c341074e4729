//! `rcourse grade`: scores students' notebooks against the teacher's, as
//! nbgrader's `autograde` does.
//!
//! For each submission, the cells that students may not change (graded test
//! cells and read-only cells, matched by nbgrader `grade_id`) are replaced
//! by the teacher's version, hidden tests included. The notebook then runs
//! top to bottom on a fresh kernel, every cell whatever failed before, with
//! a timeout per cell. A graded test cell earns its points when it runs
//! without error (a compiler warning is not an error) and nothing
//! otherwise; a graded cell that the student deleted earns nothing and is
//! reported as missing.
//!
//! A cell that runs past the timeout is interrupted. The kernel then goes
//! on with a fresh cell process: functions and types are kept, variables
//! are lost, so later cells that use them fail. If the kernel does not come
//! back it is restarted, and the later cells run in an empty session (the
//! earlier cells are not run again), where most of them fail too. The
//! submission files are only read, never written. `--jobs N` grades N
//! submissions at once, each on its own kernel; the report keeps the order
//! in which they were given.

use crate::client::{Outcome, Restarting};
use crate::error::{Error, Result};
use crate::kernelspec::Launch;
use crate::nbgrader::{self, CellMeta};
use crate::notebook::{Notebook, cell_source, cell_tags, cell_type, set_cell_source};
use crate::regions;
use crate::report::{CellScore, Format, Report, Status, StudentReport};
use crate::run::{RAISES_EXCEPTION, block_on_interruptible};
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// What `rcourse grade` was asked to do.
#[derive(Debug, Clone)]
pub struct GradeOptions {
    /// The students' notebooks.
    pub submissions: Vec<PathBuf>,
    /// The teacher's notebook, solutions and hidden tests included.
    pub source: PathBuf,
    /// How to print the report.
    pub format: Format,
    /// The longest a cell may run.
    pub timeout: Duration,
    /// How many submissions are graded at once, each on its own kernel.
    pub jobs: usize,
}

/// Runs the command: grades every submission and prints the report.
pub fn grade(options: GradeOptions) -> Result<()> {
    let source = Notebook::read(&options.source)?;
    let teacher = Teacher::read(&source)?;
    let names = student_names(&options.submissions);
    let launch = Rc::new(Launch::find());
    let teacher = Rc::new(teacher);
    let permits = Rc::new(Semaphore::new(options.jobs.max(1)));
    // The kernels live in tasks of a local set dropped within the runtime,
    // so that an interrupted grading still kills every kernel.
    let report = block_on_interruptible(async {
        let local = tokio::task::LocalSet::new();
        local
            .run_until(async {
                let tasks: Vec<_> = options
                    .submissions
                    .iter()
                    .cloned()
                    .zip(names)
                    .map(|(path, name)| {
                        let (teacher, launch, permits) =
                            (teacher.clone(), launch.clone(), permits.clone());
                        let limit = options.timeout;
                        tokio::task::spawn_local(async move {
                            let _turn = permits.acquire().await;
                            grade_submission(&teacher, &path, name, &launch, limit).await
                        })
                    })
                    .collect();
                let mut submissions = Vec::new();
                for task in tasks {
                    // A task ends only by finishing or panicking (none is aborted).
                    submissions.push(
                        task.await
                            .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic())),
                    );
                }
                Ok(Report {
                    source: options.source.display().to_string(),
                    submissions,
                })
            })
            .await
    })?;
    print!("{}", report.render(options.format));
    Ok(())
}

/// A graded cell of the teacher's notebook.
#[derive(Debug, Clone)]
struct Graded {
    grade_id: String,
    points: f64,
    /// Scored by running it; otherwise graded by hand.
    automatic: bool,
}

/// What grading needs from the teacher's notebook.
#[derive(Debug)]
struct Teacher {
    /// The graded cells, in order.
    graded: Vec<Graded>,
    /// The cells put back into submissions: type and source (hidden tests
    /// in, their markers out), by grade id.
    restored: HashMap<String, (String, String)>,
}

impl Teacher {
    fn read(notebook: &Notebook) -> Result<Teacher> {
        let path = &notebook.path;
        let mut graded = Vec::new();
        let mut restored = HashMap::new();
        let mut metas = Vec::new();
        for (index, cell) in notebook.cells().iter().enumerate() {
            let meta = CellMeta::read(cell).map_err(|e| e.in_cell(path, index, None))?;
            metas.push(meta.clone());
            let Some(meta) = meta else { continue };
            let Some(grade_id) = meta.grade_id.clone() else {
                continue;
            };
            // A written answer marked only as a solution is exported as a
            // hand-graded cell worth 0 points; it is listed the same way.
            let written_answer = cell_type(cell) == "markdown" && meta.solution && !meta.task;
            if meta.grade || written_answer {
                graded.push(Graded {
                    grade_id: grade_id.clone(),
                    points: meta.points.unwrap_or(0.0),
                    automatic: meta.autograded(cell_type(cell)),
                });
            }
            if meta.restored_for_grading() {
                let source = cell_source(cell);
                let found = regions::find_in_cell(cell_type(cell), &source)
                    .map_err(|e| e.in_cell(path, index, Some(&grade_id)))?;
                let full = regions::reveal_hidden_tests(&source, &found);
                restored.insert(grade_id, (cell_type(cell).to_owned(), full));
            }
        }
        nbgrader::check_unique_ids(&metas).map_err(|(index, problem)| {
            let id = metas[index]
                .as_ref()
                .and_then(|m: &CellMeta| m.grade_id.as_deref());
            problem.in_cell(path, index, id)
        })?;
        if !graded.iter().any(|g| g.automatic) {
            return Err(Error::in_notebook(
                path,
                "no graded test cells (code cells with nbgrader metadata `grade: true`) to score",
            ));
        }
        Ok(Teacher { graded, restored })
    }
}

/// Students are named by their notebook's file name, or by its whole path
/// when two submissions share a file name.
fn student_names(submissions: &[PathBuf]) -> Vec<String> {
    let stem = |path: &PathBuf| {
        path.file_stem().map_or_else(
            || path.display().to_string(),
            |s| s.to_string_lossy().into_owned(),
        )
    };
    submissions
        .iter()
        .map(|path| {
            let shared = submissions
                .iter()
                .filter(|other| stem(other) == stem(path))
                .count()
                > 1;
            if shared {
                path.display().to_string()
            } else {
                stem(path)
            }
        })
        .collect()
}

/// How the graded cells of one submission ran.
type Results = HashMap<String, (Outcome, String)>;

/// Grades one submission; never fails (what goes wrong is in the report).
async fn grade_submission(
    teacher: &Teacher,
    path: &Path,
    student: String,
    launch: &Launch,
    limit: Duration,
) -> StudentReport {
    let shown = path.display().to_string();
    let mut notebook = match Notebook::read(path) {
        Ok(notebook) => notebook,
        Err(error) => {
            let cells = score(teacher, None, &Results::new(), "not graded");
            return StudentReport::new(student, shown, cells, Some(error.to_string()));
        }
    };
    let present = restore_locked_cells(teacher, &mut notebook);
    let mut kernel = Restarting::new(launch.clone());
    let mut results = Results::new();
    let mut problem = None;
    let mut failed_cells = Vec::new();
    for (index, cell) in notebook.cells().iter().enumerate() {
        let source = cell_source(cell);
        if cell_type(cell) != "code" || source.trim().is_empty() {
            continue;
        }
        let execution = match kernel.execute(&source, limit).await {
            Ok(execution) => execution,
            Err(error) => {
                problem = Some(format!("the kernel could not start: {error}"));
                break;
            }
        };
        let meta = CellMeta::of(cell);
        if !meta.grade
            && execution.outcome != Outcome::Ok
            && !cell_tags(cell).contains(&RAISES_EXCEPTION)
        {
            failed_cells.push(format!(
                "cell {}: {}",
                index + 1,
                execution.outcome.describe(limit)
            ));
        }
        if let Some(id) = meta.grade_id
            && !results.contains_key(&id)
        {
            let detail = execution.outcome.describe(limit);
            results.insert(id, (execution.outcome, detail));
        }
    }
    kernel.shut_down().await;
    if problem.is_none() && kernel.starts > 1 {
        problem = Some(format!(
            "the kernel was restarted {} time(s) after a cell that did not stop",
            kernel.starts - 1
        ));
    }
    let cells = score(teacher, Some(&present), &results, "not run");
    StudentReport::new(student, shown, cells, problem).with_failed_cells(failed_cells)
}

/// Puts the teacher's version of test and read-only cells into the
/// submission (in memory), as nbgrader does; returns the grade ids present
/// in the submission, each with its cell index.
fn restore_locked_cells(teacher: &Teacher, notebook: &mut Notebook) -> HashMap<String, usize> {
    let mut present = HashMap::new();
    for (index, cell) in notebook.cells_mut().iter_mut().enumerate() {
        let Some(id) = CellMeta::of(cell).grade_id else {
            continue;
        };
        if let Some((kind, source)) = teacher.restored.get(&id) {
            cell["cell_type"] = Value::String(kind.clone());
            if kind == "code" {
                if !cell["outputs"].is_array() {
                    cell["outputs"] = Value::Array(Vec::new());
                }
            } else if let Some(fields) = cell.as_object_mut() {
                fields.remove("outputs");
                fields.remove("execution_count");
            }
            set_cell_source(cell, source);
        }
        present.entry(id).or_insert(index);
    }
    present
}

/// The score of every graded cell of the teacher's notebook. `present` is
/// `None` when the submission could not be read at all.
fn score(
    teacher: &Teacher,
    present: Option<&HashMap<String, usize>>,
    results: &Results,
    unrun: &str,
) -> Vec<CellScore> {
    teacher
        .graded
        .iter()
        .map(|graded| {
            let (status, detail) = if !graded.automatic {
                (Status::Manual, "graded by hand".to_owned())
            } else if present.is_some_and(|ids| !ids.contains_key(&graded.grade_id)) {
                (Status::Missing, "the cell was deleted".to_owned())
            } else {
                match results.get(&graded.grade_id) {
                    Some((Outcome::Ok, _)) => (Status::Passed, String::new()),
                    Some((Outcome::Failed { .. }, detail)) => (Status::Failed, detail.clone()),
                    Some((Outcome::TimedOut { .. }, detail)) => (Status::Timeout, detail.clone()),
                    Some((Outcome::Lost(_), detail)) => (Status::NotRun, detail.clone()),
                    None => (Status::NotRun, unrun.to_owned()),
                }
            };
            let score = match status {
                Status::Manual => None,
                Status::Passed => Some(graded.points),
                _ => Some(0.0),
            };
            CellScore {
                grade_id: graded.grade_id.clone(),
                status,
                score,
                max_score: graded.points,
                detail,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn teacher_notebook() -> Notebook {
        let json = json!({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
            {"cell_type": "code", "id": "a", "metadata": {"nbgrader": {"solution": true, "grade": false, "locked": false, "grade_id": "f", "schema_version": 3}},
             "source": "fn f() -> u8 {\n    // BEGIN SOLUTION\n    1\n    // END SOLUTION\n}", "outputs": [], "execution_count": null},
            {"cell_type": "code", "id": "b", "metadata": {"nbgrader": {"solution": false, "grade": true, "locked": true, "points": 2, "grade_id": "f-tests", "schema_version": 3}},
             "source": "assert_eq!(f(), 1);\n// BEGIN HIDDEN TESTS\nassert!(f() < 2);\n// END HIDDEN TESTS", "outputs": [], "execution_count": null},
            {"cell_type": "markdown", "id": "c", "metadata": {"nbgrader": {"solution": true, "grade": true, "locked": false, "points": 1, "grade_id": "why", "schema_version": 3}},
             "source": "Because."},
        ]});
        Notebook::parse(Path::new("teacher.ipynb"), &json.to_string()).unwrap()
    }

    #[test]
    fn reads_the_graded_cells_and_the_full_tests() {
        let teacher = Teacher::read(&teacher_notebook()).unwrap();
        let ids: Vec<_> = teacher
            .graded
            .iter()
            .map(|g| (g.grade_id.as_str(), g.points, g.automatic))
            .collect();
        assert_eq!(ids, [("f-tests", 2.0, true), ("why", 1.0, false)]);
        assert_eq!(
            teacher.restored["f-tests"],
            (
                "code".to_owned(),
                "assert_eq!(f(), 1);\nassert!(f() < 2);".to_owned()
            )
        );
        assert!(!teacher.restored.contains_key("f"));
    }

    #[test]
    fn puts_the_tests_back_and_scores() {
        let teacher = Teacher::read(&teacher_notebook()).unwrap();
        let mut submission = teacher_notebook();
        set_cell_source(
            &mut submission.cells_mut()[1],
            "// the student emptied the tests",
        );
        submission.cells_mut()[1]["cell_type"] = json!("markdown");
        let present = restore_locked_cells(&teacher, &mut submission);
        assert_eq!(
            cell_source(&submission.cells()[1]),
            "assert_eq!(f(), 1);\nassert!(f() < 2);"
        );
        assert_eq!(cell_type(&submission.cells()[1]), "code");
        assert_eq!(present["f-tests"], 1);

        let mut results = Results::new();
        results.insert("f-tests".into(), (Outcome::Ok, "ok".into()));
        let cells = score(&teacher, Some(&present), &results, "not run");
        assert_eq!(cells[0].status, Status::Passed);
        assert_eq!(cells[0].score, Some(2.0));
        assert_eq!(cells[1].status, Status::Manual);

        let failed = Outcome::Failed {
            ename: "panic".into(),
            evalue: "no".into(),
        };
        results.insert("f-tests".into(), (failed, "panic: no".into()));
        assert_eq!(
            score(&teacher, Some(&present), &results, "")[0].score,
            Some(0.0)
        );

        let mut deleted = present.clone();
        deleted.remove("f-tests");
        results.clear();
        results.insert("f".into(), (Outcome::Ok, String::new()));
        let cells = score(&teacher, Some(&deleted), &results, "not run");
        assert_eq!(cells[0].status, Status::Missing);
        let cells = score(&teacher, None, &results, "not graded");
        assert_eq!(
            (cells[0].status, cells[0].detail.as_str()),
            (Status::NotRun, "not graded")
        );
    }

    #[test]
    fn names_students_by_file() {
        let names = student_names(&[
            PathBuf::from("a/ada.ipynb"),
            PathBuf::from("b/bob.ipynb"),
            PathBuf::from("c/bob.ipynb"),
        ]);
        assert_eq!(names, ["ada", "b/bob.ipynb", "c/bob.ipynb"]);
    }
}
