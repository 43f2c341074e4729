//! `rcourse grade`: scores students' notebooks against the teacher's, as
//! nbgrader's `autograde` does, with code the students wrote treated as
//! hostile.
//!
//! For each submission, the cells that students may not change (graded test
//! cells and read-only cells, matched by nbgrader `grade_id`) are replaced
//! by the teacher's version, hidden tests included. Everything that decides
//! a score comes from the teacher's notebook: which cells are tests, their
//! points and ids; a submission's own metadata only names its cells. The
//! notebook then runs top to bottom on a fresh kernel in a sandbox of its
//! own ([`crate::sandbox`]), every cell whatever failed before, with a
//! timeout per cell. A test cell runs guarded ([`crate::verdict`]) and
//! earns its points only when its guard proves it ran to its end (a
//! compiler warning is not an error); a test cell that the student deleted
//! earns nothing and is reported as missing. A test cell is run once, where
//! its id first appears.
//!
//! A cell that runs past the timeout is interrupted. The kernel then goes
//! on with a fresh cell process: functions and types are kept, variables
//! are lost, so later cells that use them fail. If the kernel does not come
//! back it is restarted, and the later cells run in an empty session (the
//! earlier cells are not run again), where most of them fail too. The
//! submission files are only read, never written. `--jobs N` grades N
//! submissions at once, each on its own kernel; the report keeps the order
//! in which they were given. Reports and feedback pages are written by the
//! grader, outside every sandbox, after the submission's kernel has ended.

use crate::client::{Outcome, Restarting};
use crate::error::{Error, Result};
use crate::feedback::{self, CellKind, FeedbackCell};
use crate::kernelspec::Launch;
use crate::nbgrader::{self, CellMeta};
use crate::notebook::{Notebook, cell_source, cell_tags, cell_type, set_cell_source};
use crate::regions;
use crate::report::{CellScore, Format, Report, Status, StudentReport};
use crate::run::{RAISES_EXCEPTION, block_on_interruptible};
use crate::sandbox::{Limits, Sandbox};
use crate::verdict::{Guarded, Verdict};
use rcourse_syntax::body::Body;
use rcourse_syntax::lines::Cell as SyntaxCell;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
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
    /// Run each kernel in a sandbox with these limits; `None` runs student
    /// code with the caller's rights (`--unsafe-no-sandbox`).
    pub sandbox: Option<Limits>,
    /// Where to write each student's feedback page, if anywhere.
    pub feedback: Option<PathBuf>,
}

/// Runs the command: grades every submission and prints the report.
pub fn grade(options: GradeOptions) -> Result<()> {
    let source = Notebook::read(&options.source)?;
    let teacher = Teacher::read(&source)?;
    let names = student_names(&options.submissions);
    let launch = Rc::new(launch_for(options.sandbox)?);
    if let Some(dir) = &options.feedback {
        std::fs::create_dir_all(dir).map_err(|e| {
            Error::io(
                format!("cannot create the feedback directory {}", dir.display()),
                e,
            )
        })?;
    }
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
                    let graded = task
                        .await
                        .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
                    if let Some(dir) = &options.feedback {
                        write_feedback(dir, &options.source, &graded)?;
                    }
                    submissions.push(graded.report);
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

/// The kernel's launch settings, in a sandbox unless `sandbox` is `None`;
/// fails with the reason when no sandbox can be made.
pub fn launch_for(sandbox: Option<Limits>) -> Result<Launch> {
    let mut launch = Launch::find();
    if let Some(limits) = sandbox {
        let made = Sandbox::probe(&launch, limits).map_err(|why| {
            Error::Sandbox(format!(
                "{why}. Without a sandbox, student code runs with your rights and can read \
                 and change your files; to do so anyway, pass --unsafe-no-sandbox"
            ))
        })?;
        launch.sandbox = Some(made);
    }
    Ok(launch)
}

/// Writes a student's feedback page, `DIR/STUDENT.html`. The page is made
/// here, outside the sandbox, after the student's kernel has ended.
fn write_feedback(dir: &Path, source: &Path, graded: &GradedSubmission) -> Result<()> {
    let name: String = graded
        .report
        .student
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let name = name.trim_start_matches('.');
    let path = dir.join(format!("{name}.html"));
    let assignment = source.file_name().map_or_else(
        || source.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let page = feedback::render(&graded.report, &assignment, &graded.feedback);
    std::fs::write(&path, page)
        .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))
}

/// A graded cell of the teacher's notebook.
#[derive(Debug, Clone)]
struct Graded {
    grade_id: String,
    points: f64,
    /// Scored by running it; otherwise graded by hand.
    automatic: bool,
}

/// What grading needs from the teacher's notebook. Everything that decides
/// a score comes from here, never from a submission's metadata.
#[derive(Debug)]
struct Teacher {
    /// The graded cells, in order.
    graded: Vec<Graded>,
    /// The cells put back into submissions: type and source (hidden tests
    /// in, their markers out), by grade id.
    restored: HashMap<String, (String, String)>,
    /// The test cells scored by running them, each with what its guard
    /// needs ([`Guarded::new`]), by grade id.
    tests: HashMap<String, TestSetup>,
    /// What a student sees of each restored cell (hidden tests out), by
    /// grade id, for the feedback.
    shown: HashMap<String, String>,
    /// The sources of the teacher's cells tagged `raises-exception`: a
    /// submission's cell may fail when it is one of them, whatever tags the
    /// submission gives it.
    may_fail: HashSet<String>,
}

impl Teacher {
    fn read(notebook: &Notebook) -> Result<Teacher> {
        let path = &notebook.path;
        let mut graded = Vec::new();
        let mut restored = HashMap::new();
        let mut tests = HashMap::new();
        let mut shown = HashMap::new();
        let mut helpers: Vec<String> = Vec::new();
        let mut answers: Vec<(String, String)> = Vec::new();
        let mut metas = Vec::new();
        let may_fail = notebook
            .cells()
            .iter()
            .filter(|cell| cell_tags(cell).contains(&RAISES_EXCEPTION))
            .map(|cell| cell_source(cell).trim().to_owned())
            .collect();
        for (index, cell) in notebook.cells().iter().enumerate() {
            let meta = CellMeta::read(cell).map_err(|e| e.in_cell(path, index, None))?;
            metas.push(meta.clone());
            let Some(meta) = meta else { continue };
            if meta.solution && cell_type(cell) == "code" {
                answers.extend(Body::read(&cell_source(cell)).function_types());
            }
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
                shown.insert(
                    grade_id.clone(),
                    regions::remove_hidden_tests(&source, &found),
                );
                if meta.autograded(cell_type(cell)) {
                    check_rust_only(&full).map_err(|line| {
                        Error::at(
                            notebook.place(index, Some(&grade_id)),
                            format!(
                                "line {line}: a test cell is graded as Rust only; move magics, \
                                 `:` commands and `!` lines to a cell above it"
                            ),
                        )
                    })?;
                    let pins = answers
                        .iter()
                        .filter(|(name, _)| mentions(&full, name))
                        .cloned()
                        .collect();
                    let setup = TestSetup {
                        helpers: helpers.clone(),
                        pins,
                    };
                    tests.insert(grade_id.clone(), setup);
                }
                // Functions and macros of read-only cells, tests included,
                // serve the tests below them.
                if cell_type(cell) == "code" {
                    let body = Body::read(&full);
                    helpers.extend(
                        body.functions_and_macros()
                            .into_iter()
                            .map(|range| full[range].to_owned()),
                    );
                }
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
        Ok(Teacher {
            graded,
            restored,
            tests,
            shown,
            may_fail,
        })
    }
}

/// What a test cell's guard is made of: the teacher's helpers (functions
/// and macros of the read-only and test cells above it) and the types of the
/// answer functions it calls (from the solution cells above it).
#[derive(Debug, Clone, Default)]
struct TestSetup {
    helpers: Vec<String>,
    pins: Vec<(String, String)>,
}

/// Whether `code` uses the identifier `name`.
fn mentions(code: &str, name: &str) -> bool {
    code.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .any(|word| word == name)
}

/// Checks that every line of a test cell is Rust; the first other line's
/// number if not.
fn check_rust_only(code: &str) -> Result<(), usize> {
    match SyntaxCell::read(code)
        .lines
        .iter()
        .find(|line| !line.kind.is_rust())
    {
        Some(line) => Err(line.number + 1),
        None => Ok(()),
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
) -> GradedSubmission {
    let shown = path.display().to_string();
    let mut notebook = match Notebook::read(path) {
        Ok(notebook) => notebook,
        Err(error) => {
            let cells = score(teacher, None, &Results::new(), "not graded");
            let report = StudentReport::new(student, shown, cells, Some(error.to_string()));
            return GradedSubmission {
                report,
                feedback: Vec::new(),
            };
        }
    };
    let present = restore_locked_cells(teacher, &mut notebook);
    let mut launch = launch.clone();
    launch.notebook = Some(path.to_owned());
    let mut kernel = Restarting::new(launch);
    let mut results = Results::new();
    let mut problem = None;
    let mut failed_cells = Vec::new();
    let mut feedback = Vec::new();
    for (index, cell) in notebook.cells().iter().enumerate() {
        let source = cell_source(cell);
        let id = CellMeta::of(cell).grade_id;
        let restored = id
            .as_ref()
            .is_some_and(|id| teacher.restored.contains_key(id));
        let mut shown_cell = FeedbackCell {
            kind: CellKind::of(cell_type(cell)),
            source: match &id {
                Some(id) if restored => teacher.shown[id].clone(),
                _ => source.clone(),
            },
            outputs: Vec::new(),
            score: None,
        };
        let test = id
            .as_ref()
            .and_then(|id| teacher.tests.get(id).map(|t| (id, t)));
        if cell_type(cell) != "code" || source.trim().is_empty() {
            feedback.push((shown_cell, id.clone()));
            continue;
        }
        if let Some((test_id, _)) = test
            && results.contains_key(test_id)
        {
            // A second copy of a test: it was graded once already.
            feedback.push((shown_cell, id.clone()));
            continue;
        }
        let guarded = test.map(|(_, setup)| Guarded::new(&source, &setup.helpers, &setup.pins));
        let code = guarded
            .as_ref()
            .map_or(source.as_str(), |g| g.code.as_str());
        let mut execution = match kernel.execute(code, limit).await {
            Ok(execution) => execution,
            Err(error) => {
                problem = Some(format!("the kernel could not start: {error}"));
                feedback.push((shown_cell, id.clone()));
                break;
            }
        };
        if let (Some(guarded), Some((test_id, _))) = (&guarded, test) {
            let ran_ok = execution.outcome == Outcome::Ok;
            let verdict = guarded.judge(ran_ok, &mut execution.outputs);
            let outcome = match (verdict, execution.outcome) {
                (Verdict::Passed, _) => Outcome::Ok,
                // The test's `?` returned an error (the cell itself went on).
                (Verdict::Failed(Some(message)), Outcome::Ok) => Outcome::Failed {
                    ename: "error".into(),
                    evalue: message,
                },
                (Verdict::Failed(Some(message)), Outcome::Failed { .. }) => Outcome::Failed {
                    ename: "panic".into(),
                    evalue: message,
                },
                (Verdict::Failed(None), Outcome::Ok) => Outcome::Failed {
                    ename: "Failed".into(),
                    evalue: "the test did not run to its end".into(),
                },
                (Verdict::Failed(_), outcome) => outcome,
            };
            let detail = outcome.describe(limit);
            results.insert(test_id.clone(), (outcome, detail));
        } else if execution.outcome != Outcome::Ok && !teacher.may_fail.contains(source.trim()) {
            failed_cells.push(format!(
                "cell {}: {}",
                index + 1,
                execution.outcome.describe(limit)
            ));
        }
        shown_cell.outputs = execution.outputs;
        feedback.push((shown_cell, id.clone()));
    }
    kernel.shut_down().await;
    if problem.is_none() && kernel.starts > 1 {
        problem = Some(format!(
            "the kernel was restarted {} time(s) after a cell that did not stop",
            kernel.starts - 1
        ));
    }
    let cells = score(teacher, Some(&present), &results, "not run");
    let report = StudentReport::new(student, shown, cells, problem).with_failed_cells(failed_cells);
    // Each graded cell's row goes with the first cell that carries its id.
    let mut scored = std::collections::HashSet::new();
    let feedback = feedback
        .into_iter()
        .map(|(mut cell, id)| {
            if let Some(id) = id
                && scored.insert(id.clone())
            {
                cell.score = report.cells.iter().find(|c| c.grade_id == id).cloned();
            }
            cell
        })
        .collect();
    GradedSubmission { report, feedback }
}

/// A graded submission: its row of the report and its feedback cells.
struct GradedSubmission {
    report: StudentReport,
    feedback: Vec<FeedbackCell>,
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
