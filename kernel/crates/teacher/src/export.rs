//! `rcourse export`: student notebooks from a teacher's completed ones, as
//! nbgrader's `generate_assignment` makes them.
//!
//! Every notebook is read, checked and converted in memory first; files are
//! written only when all of them converted, each through a temporary file
//! renamed into place. A source is never overwritten.

use crate::error::{Error, Place, Result};
use crate::nbgrader::{self, CellMeta};
use crate::notebook::{
    Notebook, cell_source, cell_type, clear_outputs, same_file, set_cell_source,
};
use crate::regions::{self, RegionKind};
use crate::stub;
use std::path::{Path, PathBuf};

/// What replaces a written answer.
pub const TEXT_PLACEHOLDER: &str = "YOUR ANSWER HERE";

/// Exports every notebook named in `inputs` (notebook files, or directories
/// searched for `*.ipynb`) into `out`, keeping paths relative to each
/// directory.
pub fn export(inputs: &[PathBuf], out: &Path) -> Result<()> {
    let sources = collect(inputs, out)?;
    let mut planned: Vec<(PathBuf, Notebook, Vec<Error>)> = Vec::new();
    for (source, relative) in &sources {
        let destination = out.join(relative);
        if let Some((other, _)) = sources.iter().find(|(s, _)| same_file(s, &destination)) {
            return Err(Error::in_notebook(
                other,
                format!(
                    "exporting {} would overwrite this source notebook; choose another --out directory",
                    source.display()
                ),
            ));
        }
        if let Some((_, earlier, _)) = planned.iter().find(|(d, _, _)| d == &destination) {
            return Err(Error::at(
                Place::default(),
                format!(
                    "{} and {} would both be exported to {}",
                    earlier.path.display(),
                    source.display(),
                    destination.display()
                ),
            ));
        }
        let mut notebook = Notebook::read(source)?;
        let warnings = export_notebook(&mut notebook)?;
        planned.push((destination, notebook, warnings));
    }
    for (destination, notebook, warnings) in &planned {
        for warning in warnings {
            eprintln!("rcourse: warning: {warning}");
        }
        notebook.write_to(destination)?;
        println!(
            "Exported {} to {}",
            notebook.path.display(),
            destination.display()
        );
    }
    Ok(())
}

/// The notebooks to export, each with its path relative to the output
/// directory. Directories are searched recursively, skipping hidden entries
/// (`.ipynb_checkpoints`) and the output directory itself.
fn collect(inputs: &[PathBuf], out: &Path) -> Result<Vec<(PathBuf, PathBuf)>> {
    let mut found = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let before = found.len();
            walk(input, input, out, &mut found)?;
            if found.len() == before {
                return Err(Error::in_notebook(
                    input,
                    "no notebooks (*.ipynb) in this directory",
                ));
            }
        } else if input.is_file() {
            let name = input
                .file_name()
                .ok_or_else(|| Error::in_notebook(input, "not a notebook file"))?;
            found.push((input.clone(), PathBuf::from(name)));
        } else {
            return Err(Error::in_notebook(input, "no such notebook or directory"));
        }
    }
    Ok(found)
}

fn walk(root: &Path, dir: &Path, out: &Path, found: &mut Vec<(PathBuf, PathBuf)>) -> Result<()> {
    if same_file(dir, out) {
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(format!("{}: cannot list the directory", dir.display()), e))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| !name.starts_with('.'))
        })
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(root, &path, out, found)?;
        } else if path.extension().is_some_and(|ext| ext == "ipynb") {
            let relative = path.strip_prefix(root).unwrap_or(&path).to_owned();
            found.push((path, relative));
        }
    }
    Ok(())
}

/// Turns a teacher's notebook into the student's, in place; returns the
/// problems that do not stop the export (warnings).
pub fn export_notebook(notebook: &mut Notebook) -> Result<Vec<Error>> {
    let path = notebook.path.clone();
    let metas = notebook
        .cells()
        .iter()
        .enumerate()
        .map(|(index, cell)| CellMeta::read(cell).map_err(|e| e.in_cell(&path, index, None)))
        .collect::<Result<Vec<Option<CellMeta>>>>()?;
    nbgrader::check_unique_ids(&metas).map_err(|(index, problem)| {
        let id = metas[index].as_ref().and_then(|m| m.grade_id.as_deref());
        problem.in_cell(&path, index, id)
    })?;
    let mut warnings = Vec::new();
    for (index, cell) in notebook.cells_mut().iter_mut().enumerate() {
        let meta = metas[index].as_ref();
        let grade_id = meta.and_then(|m| m.grade_id.as_deref());
        let in_cell = |problem: Error| problem.in_cell(&path, index, grade_id);
        let source = cell_source(cell);
        let found = regions::find_in_cell(cell_type(cell), &source).map_err(in_cell)?;
        let is_solution = meta.is_some_and(|m| m.solution);
        let is_graded = meta.is_some_and(|m| m.grade);
        for region in &found {
            let misplaced = match region.kind {
                RegionKind::Solution if !is_solution => {
                    "a solution region in a cell that is not a solution cell; mark the cell as one \
                     (nbgrader metadata `solution: true` and a `grade_id`)"
                }
                RegionKind::HiddenTests if !is_graded => {
                    "hidden tests in a cell that is not graded; mark the cell as graded \
                     (nbgrader metadata `grade: true`, `points` and a `grade_id`)"
                }
                _ => continue,
            };
            return Err(in_cell(Error::at_line(region.begin, misplaced)));
        }
        // Lines of the cell without its hidden tests, by their original number.
        let original_lines: Vec<usize> = (0..source.split('\n').count())
            .filter(|line| {
                !found
                    .iter()
                    .any(|r| r.kind == RegionKind::HiddenTests && (r.begin..=r.end).contains(line))
            })
            .collect();
        let original = |line: usize| original_lines.get(line).copied().unwrap_or(line);
        let visible = regions::remove_hidden_tests(&source, &found);
        let solutions = regions::find_in_cell(cell_type(cell), &visible)
            .map_err(|e| in_cell(e.map_line(original)))?;
        let has_regions = !solutions.is_empty();
        let exported = if cell_type(cell) == "code" {
            let stubbed = if has_regions {
                Some(stub::stub_regions(&visible, &solutions))
            } else if is_solution {
                Some(stub::stub_whole_cell(&visible))
            } else {
                None
            };
            match stubbed {
                None => visible,
                Some(Err(error)) => return Err(in_cell(error.map_line(original))),
                Some(Ok(stubbed)) => {
                    if let Some(problem) = stubbed.unchecked {
                        warnings.push(in_cell(Error::at_line(
                            original(problem.line),
                            format!(
                                "the stubbed cell was not checked, as the teacher's version does not \
                                 read as Rust here ({})",
                                problem.message
                            ),
                        )));
                    }
                    stubbed.source
                }
            }
        } else {
            let exported = if has_regions {
                regions::replace_text_solutions(&visible, &solutions, TEXT_PLACEHOLDER)
            } else if is_solution {
                TEXT_PLACEHOLDER.to_owned()
            } else {
                visible
            };
            drop_removed_attachments(cell, &source, &exported);
            exported
        };
        set_cell_source(cell, &exported);
        clear_outputs(cell);
        if let Some(meta) = meta {
            nbgrader::complete(cell, meta);
        }
    }
    if let Some(metadata) = notebook.json["metadata"].as_object_mut() {
        metadata.remove("celltoolbar");
    }
    Ok(warnings)
}

/// Removes the attachments (images pasted into a markdown or raw cell) that
/// only the removed parts of the cell showed, such as a picture in a
/// written answer: those that `before` (the teacher's source) refers to and
/// `after` (the student's) no longer does.
fn drop_removed_attachments(cell: &mut serde_json::Value, before: &str, after: &str) {
    let Some(serde_json::Value::Object(attachments)) = cell.get_mut("attachments") else {
        return;
    };
    attachments.retain(|name, _| !refers_to(before, name) || refers_to(after, name));
    if attachments.is_empty()
        && let Some(fields) = cell.as_object_mut()
    {
        fields.remove("attachments");
    }
}

/// Whether markdown `text` refers to the attachment `name`
/// (`![...](attachment:name)`, spaces possibly written `%20`).
fn refers_to(text: &str, name: &str) -> bool {
    text.contains(&format!("attachment:{name}"))
        || text.contains(&format!("attachment:{}", name.replace(' ', "%20")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn notebook(cells: Value) -> Notebook {
        let json = json!({"nbformat": 4, "nbformat_minor": 5, "metadata": {"celltoolbar": "Create Assignment"}, "cells": cells});
        Notebook::parse(Path::new("teacher.ipynb"), &json.to_string()).unwrap()
    }

    fn code(id: &str, source: &str, nbgrader: Option<Value>) -> Value {
        let mut metadata = json!({});
        if let Some(meta) = nbgrader {
            metadata["nbgrader"] = meta;
        }
        json!({"cell_type": "code", "id": id, "metadata": metadata, "source": source,
               "outputs": [{"output_type": "stream", "name": "stdout", "text": "old"}],
               "execution_count": 7})
    }

    fn solution(id: &str) -> Option<Value> {
        Some(
            json!({"solution": true, "grade": false, "locked": false, "grade_id": id, "schema_version": 3}),
        )
    }

    fn tests(id: &str, points: u32) -> Option<Value> {
        Some(
            json!({"solution": false, "grade": true, "locked": true, "points": points, "grade_id": id, "schema_version": 3}),
        )
    }

    #[test]
    fn exports_solutions_hidden_tests_and_answers() {
        let mut nb = notebook(json!([
            code("c1", "fn f() -> u8 {\n    // BEGIN SOLUTION\n    1\n    // END SOLUTION\n}", solution("f")),
            code("c2", "assert_eq!(f(), 1);\n// BEGIN HIDDEN TESTS\nassert!(f() > 0);\n// END HIDDEN TESTS", tests("f-tests", 2)),
            {"cell_type": "markdown", "id": "m1", "metadata": {"nbgrader": {"solution": true, "grade": false, "locked": false, "grade_id": "why", "schema_version": 3}},
             "source": "Why?\nBEGIN SOLUTION\nBecause.\nEND SOLUTION"},
            code("c3", "%timeit f()", None),
        ]));
        let warnings = export_notebook(&mut nb).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        let cells = nb.cells();
        assert_eq!(cell_source(&cells[0]), "fn f() -> u8 {\n    todo!()\n}");
        assert_eq!(cell_source(&cells[1]), "assert_eq!(f(), 1);");
        assert_eq!(cell_source(&cells[2]), "Why?\nYOUR ANSWER HERE");
        assert_eq!(cell_source(&cells[3]), "%timeit f()");
        assert_eq!(cells[0]["outputs"], json!([]));
        assert_eq!(cells[0]["execution_count"], Value::Null);
        assert_eq!(cells[2]["metadata"]["nbgrader"]["grade"], true);
        assert!(nb.json["metadata"].get("celltoolbar").is_none());
    }

    #[test]
    fn nothing_of_a_solution_reaches_students() {
        let mut nb = notebook(json!([
            code("c1", "/// A counter.\n// BEGIN SOLUTION\n/// Wraps instead of panicking.\nstruct Counter { hits: u32 } // the trick: wrapping_add\n// END SOLUTION", solution("counter")),
            {"cell_type": "markdown", "id": "m1", "metadata": {"nbgrader": {"solution": true, "grade": false, "locked": false, "grade_id": "why", "schema_version": 3}},
             "source": "Why? See ![the question](attachment:question.png)\nBEGIN SOLUTION\nAs drawn: ![my answer](attachment:my%20answer.png)\nEND SOLUTION",
             "attachments": {"question.png": {"image/png": "AAAA"}, "my answer.png": {"image/png": "BBBB"}}},
            {"cell_type": "markdown", "id": "m2", "metadata": {"nbgrader": {"solution": true, "grade": false, "locked": false, "grade_id": "draw", "schema_version": 3}},
             "source": "![](attachment:a.png)", "attachments": {"a.png": {"image/png": "CCCC"}}},
        ]));
        export_notebook(&mut nb).unwrap();
        let cells = nb.cells();
        assert_eq!(
            cell_source(&cells[0]),
            "/// A counter.\nstruct Counter {\n    // YOUR CODE HERE\n}"
        );
        assert_eq!(
            cell_source(&cells[1]),
            "Why? See ![the question](attachment:question.png)\nYOUR ANSWER HERE"
        );
        assert_eq!(
            cells[1]["attachments"],
            json!({"question.png": {"image/png": "AAAA"}})
        );
        assert!(cells[2].get("attachments").is_none(), "{}", cells[2]);
    }

    #[test]
    fn markers_sharing_a_line_with_code_are_refused() {
        for (source, line) in [
            (
                "assert_eq!(f(), 1);\n// BEGIN HIDDEN TESTS assert_eq!(f(), 2); // END HIDDEN TESTS",
                2,
            ),
            (
                "assert!(true); // BEGIN HIDDEN TESTS\nassert_eq!(f(), 2);\n// END HIDDEN TESTS",
                1,
            ),
        ] {
            let mut nb = notebook(json!([
                code("c1", "let a = 1;", None),
                code("c2", source, tests("f-tests", 1)),
            ]));
            let error = export_notebook(&mut nb).unwrap_err().to_string();
            assert!(
                error.starts_with(&format!("teacher.ipynb: cell 2 (f-tests), line {line}: `")),
                "{error}"
            );
            assert!(error.contains("on a line of its own"), "{error}");
        }
    }

    #[test]
    fn markers_outside_their_cells_are_refused() {
        let mut nb = notebook(json!([
            code("c1", "let a = 1;", None),
            code(
                "c2",
                "fn f() {\n    // BEGIN SOLUTION\n    // END SOLUTION\n}",
                None
            ),
        ]));
        let error = export_notebook(&mut nb).unwrap_err().to_string();
        assert!(error.starts_with("teacher.ipynb: cell 2, line 2: a solution region in a cell that is not a solution cell"), "{error}");

        let mut nb = notebook(json!([code(
            "c1",
            "// BEGIN HIDDEN TESTS\n// END HIDDEN TESTS",
            solution("s")
        )]));
        let error = export_notebook(&mut nb).unwrap_err().to_string();
        assert!(
            error.starts_with("teacher.ipynb: cell 1 (s), line 1: hidden tests"),
            "{error}"
        );
    }

    #[test]
    fn errors_name_the_original_line() {
        let mut nb = notebook(json!([code(
            "c1",
            "// BEGIN HIDDEN TESTS\nx\n// END HIDDEN TESTS\nfn f() -> u64 {\n    // BEGIN SOLUTION\n    if true {\n    // END SOLUTION\n    1 } else { 2 }\n}",
            Some(
                json!({"solution": true, "grade": true, "locked": false, "points": 1, "grade_id": "g", "schema_version": 3})
            ),
        )]));
        let error = export_notebook(&mut nb).unwrap_err().to_string();
        assert!(
            error.starts_with(
                "teacher.ipynb: cell 1 (g), line 5: the solution region cannot be replaced"
            ),
            "{error}"
        );
    }

    #[test]
    fn duplicate_ids_are_refused() {
        let mut nb = notebook(json!([
            code("c1", "1", solution("same")),
            code("c2", "2", solution("same"))
        ]));
        let error = export_notebook(&mut nb).unwrap_err().to_string();
        assert!(
            error.starts_with(
                "teacher.ipynb: cell 2 (same): grade_id `same` is already used by cell 1"
            ),
            "{error}"
        );
    }

    #[test]
    fn nothing_is_written_when_one_notebook_fails() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.ipynb");
        let bad = dir.path().join("bad.ipynb");
        std::fs::write(&good, notebook(json!([code("c1", "1", None)])).to_text()).unwrap();
        std::fs::write(&bad, "{").unwrap();
        let out = dir.path().join("student");
        let error = export(&[good.clone(), bad], &out).unwrap_err().to_string();
        assert!(
            error.contains("bad.ipynb: not a notebook: invalid JSON"),
            "{error}"
        );
        assert!(!out.exists());

        let error = export(std::slice::from_ref(&good), dir.path())
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("would overwrite this source notebook"),
            "{error}"
        );

        export(&[dir.path().to_owned()], &out).unwrap_err();
        std::fs::remove_file(dir.path().join("bad.ipynb")).unwrap();
        export(&[dir.path().to_owned()], &out).unwrap();
        assert!(out.join("good.ipynb").is_file());
        // The output directory inside the input is skipped on the next run.
        export(&[dir.path().to_owned()], &out).unwrap();
        assert!(!out.join("student").exists());
    }
}
