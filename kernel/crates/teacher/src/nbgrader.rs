//! nbgrader's cell metadata (schema version 3), read through one typed view,
//! [`CellMeta`]: checked the way nbgrader's own validator checks it in a
//! teacher's notebook ([`CellMeta::read`]), taken as it is in a student's
//! ([`CellMeta::of`]), and completed in exported notebooks ([`complete`]).
//! Nothing else in the crate reads `metadata.nbgrader`.

use crate::error::{Error, Place};
use crate::notebook::cell_type;
use serde_json::{Map, Value, json};

/// The schema version nbgrader 0.9 reads and writes.
pub const SCHEMA_VERSION: i64 = 3;

/// The keys nbgrader's schema allows.
const KNOWN_KEYS: [&str; 9] = [
    "schema_version",
    "grade",
    "locked",
    "solution",
    "task",
    "grade_id",
    "points",
    "checksum",
    "cell_type",
];

/// A cell's `metadata.nbgrader`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CellMeta {
    /// The schema version it was written with.
    pub schema_version: Option<i64>,
    /// The cell holds a solution (students write in it).
    pub solution: bool,
    /// The cell is graded.
    pub grade: bool,
    /// The cell is read-only for students.
    pub locked: bool,
    /// The cell describes a task graded by hand.
    pub task: bool,
    /// The cell's id, unique in its notebook.
    pub grade_id: Option<String>,
    /// What the cell is worth, for graded cells.
    pub points: Option<f64>,
}

impl CellMeta {
    /// Reads and checks `metadata.nbgrader` of a teacher's cell; `None` when
    /// it has none. The error names no place: the caller knows the cell.
    pub fn read(cell: &Value) -> Result<Option<CellMeta>, Error> {
        let Some(raw) = cell["metadata"].get("nbgrader") else {
            return Ok(None);
        };
        let Value::Object(fields) = raw else {
            return Err(Error::in_content("its nbgrader metadata is not an object"));
        };
        check_fields(fields).map_err(Error::in_content)?;
        let meta = CellMeta::from_fields(fields);
        meta.check(cell_type(cell)).map_err(Error::in_content)?;
        Ok(Some(meta))
    }

    /// The nbgrader metadata of a student's cell, taken as it is, for
    /// finding graded cells by id: students' notebooks may hold anything, so
    /// a flag that is not `true` counts as false and a `grade_id` that is not
    /// a string as none.
    pub fn of(cell: &Value) -> CellMeta {
        match cell["metadata"].get("nbgrader") {
            Some(Value::Object(fields)) => CellMeta::from_fields(fields),
            _ => CellMeta::default(),
        }
    }

    /// Whether grading puts the teacher's version of this cell back (as
    /// nbgrader's `is_locked`: test cells and read-only cells).
    pub fn restored_for_grading(&self) -> bool {
        !self.solution && (self.grade || self.locked)
    }

    /// Whether the cell is scored by running it (a graded code cell that is
    /// not a solution: nbgrader's "autograder tests").
    pub fn autograded(&self, cell_type: &str) -> bool {
        self.grade && !self.solution && cell_type == "code"
    }

    /// Whether nbgrader needs a `grade_id` for the cell (and keeps it unique).
    fn needs_id(&self) -> bool {
        self.grade || self.solution || self.locked
    }

    /// The fields as they are; values of the wrong type are left out (see
    /// [`check_fields`]).
    fn from_fields(fields: &Map<String, Value>) -> CellMeta {
        let flag = |key: &str| fields.get(key) == Some(&Value::Bool(true));
        CellMeta {
            schema_version: fields.get("schema_version").and_then(Value::as_i64),
            solution: flag("solution"),
            grade: flag("grade"),
            locked: flag("locked"),
            task: flag("task"),
            grade_id: fields
                .get("grade_id")
                .and_then(Value::as_str)
                .map(str::to_owned),
            points: fields.get("points").and_then(Value::as_f64),
        }
    }

    /// Checks what nbgrader requires of the fields together, for a cell of
    /// `cell_type`.
    fn check(&self, cell_type: &str) -> Result<(), String> {
        if self.needs_id() && self.grade_id.as_deref().is_none_or(str::is_empty) {
            return Err("this nbgrader cell needs a `grade_id`".into());
        }
        if self.grade && self.points.is_none() {
            return Err("this graded cell needs `points`".into());
        }
        if self.task && cell_type != "markdown" {
            return Err("an nbgrader task cell must be a markdown cell".into());
        }
        if !self.task && cell_type == "markdown" && self.grade && !self.solution {
            return Err(
                "a graded markdown cell must also be a solution cell (written answers are graded by hand)"
                    .into(),
            );
        }
        Ok(())
    }
}

/// Checks each field of `metadata.nbgrader` as nbgrader's schema does: known
/// keys, the schema version, the `grade_id` alphabet and the types.
fn check_fields(fields: &Map<String, Value>) -> Result<(), String> {
    if let Some(key) = fields
        .keys()
        .find(|key| !KNOWN_KEYS.contains(&key.as_str()))
    {
        return Err(format!("unknown nbgrader metadata key `{key}`"));
    }
    match fields.get("schema_version") {
        None => {}
        Some(version) if version.as_i64() == Some(SCHEMA_VERSION) => {}
        Some(version) => {
            return Err(format!(
                "nbgrader schema_version {version} is not supported (only {SCHEMA_VERSION}, \
                 which nbgrader 0.9 writes)"
            ));
        }
    }
    match fields.get("grade_id") {
        None => {}
        Some(Value::String(id)) => {
            let allowed = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
            if !id.chars().all(allowed) {
                return Err(format!(
                    "nbgrader grade_id `{id}` may hold only letters, digits, `_` and `-`"
                ));
            }
        }
        Some(_) => return Err("nbgrader `grade_id` must be a string".into()),
    }
    if let Some(value) = fields.get("points")
        && !value.as_f64().is_some_and(|points| points >= 0.0)
    {
        return Err("nbgrader `points` must be a number, 0 or more".into());
    }
    for key in ["solution", "grade", "locked", "task"] {
        if fields.get(key).is_some_and(|value| !value.is_boolean()) {
            return Err(format!("nbgrader `{key}` must be true or false"));
        }
    }
    Ok(())
}

/// Checks that grade ids are unique; on a duplicate, the cell index that
/// repeats it and the problem (the caller names the cell).
pub fn check_unique_ids(metas: &[Option<CellMeta>]) -> Result<(), (usize, Error)> {
    let mut seen: std::collections::HashMap<&str, usize> = Default::default();
    for (index, meta) in metas.iter().enumerate() {
        let Some(meta) = meta else { continue };
        if !meta.needs_id() {
            continue;
        }
        let Some(id) = meta.grade_id.as_deref() else {
            continue;
        };
        if let Some(first) = seen.insert(id, index) {
            return Err((
                index,
                Error::in_content(format!(
                    "grade_id `{id}` is already used by {}; grade ids must be unique",
                    Place::other_cell(first)
                )),
            ));
        }
    }
    Ok(())
}

/// Completes the nbgrader metadata of an exported cell so that nbgrader
/// accepts it: the schema version, the three flags, `locked` for test
/// cells, and `grade` (worth 0 points) for a written answer that was only
/// marked as a solution, since nbgrader grades written answers by hand.
/// Also locks cells in JupyterLab as nbgrader's `generate_assignment` does:
/// solution cells cannot be deleted, test and read-only cells cannot be
/// edited or deleted.
pub fn complete(cell: &mut Value, meta: &CellMeta) {
    let cell_type = cell_type(cell).to_owned();
    let Some(Value::Object(fields)) = cell["metadata"].get_mut("nbgrader") else {
        return;
    };
    fields.insert("schema_version".into(), json!(SCHEMA_VERSION));
    fields.entry("solution").or_insert(json!(meta.solution));
    fields.entry("grade").or_insert(json!(meta.grade));
    fields
        .entry("locked")
        .or_insert(json!(!meta.solution && meta.grade));
    if cell_type == "markdown" && meta.solution && !meta.grade && !meta.task {
        fields.insert("grade".into(), json!(true));
        fields.entry("points").or_insert(json!(0));
    }
    let grade = fields["grade"].as_bool().unwrap_or(false);
    let locked = fields["locked"].as_bool().unwrap_or(false);
    let lock: Map<String, Value> = if meta.solution {
        [("deletable".to_owned(), json!(false))]
            .into_iter()
            .collect()
    } else if grade || locked {
        [
            ("deletable".to_owned(), json!(false)),
            ("editable".to_owned(), json!(false)),
        ]
        .into_iter()
        .collect()
    } else {
        Map::new()
    };
    if let Value::Object(metadata) = &mut cell["metadata"] {
        metadata.extend(lock);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(cell_type: &str, nbgrader: Value) -> Value {
        json!({"cell_type": cell_type, "metadata": {"nbgrader": nbgrader}, "source": ""})
    }

    fn read(cell: &Value) -> Result<Option<CellMeta>, String> {
        CellMeta::read(cell).map_err(|error| error.to_string())
    }

    #[test]
    fn reads_the_usual_cells() {
        let solution = cell(
            "code",
            json!({"solution": true, "grade": false, "locked": false, "grade_id": "ex1", "schema_version": 3}),
        );
        let meta = read(&solution).unwrap().unwrap();
        assert!(meta.solution && !meta.grade && !meta.restored_for_grading());
        assert_eq!(meta.schema_version, Some(SCHEMA_VERSION));
        let tests = cell(
            "code",
            json!({"solution": false, "grade": true, "locked": true, "points": 2, "grade_id": "t1"}),
        );
        let meta = read(&tests).unwrap().unwrap();
        assert_eq!(meta.points, Some(2.0));
        assert!(meta.autograded("code") && meta.restored_for_grading());
        assert_eq!(
            read(&json!({"cell_type": "code", "metadata": {}})).unwrap(),
            None
        );
    }

    #[test]
    fn refuses_what_nbgrader_refuses() {
        let no_id = cell("code", json!({"solution": true}));
        assert!(read(&no_id).unwrap_err().contains("grade_id"));
        let no_points = cell("code", json!({"grade": true, "grade_id": "a"}));
        assert!(read(&no_points).unwrap_err().contains("points"));
        let bad_id = cell(
            "code",
            json!({"grade": true, "grade_id": "a b", "points": 1}),
        );
        assert!(read(&bad_id).unwrap_err().contains("letters, digits"));
        let extra = cell(
            "code",
            json!({"solution": true, "grade_id": "a", "colour": "red"}),
        );
        assert!(read(&extra).unwrap_err().contains("`colour`"));
        let old = cell(
            "code",
            json!({"solution": true, "grade_id": "a", "schema_version": 1}),
        );
        assert!(read(&old).unwrap_err().contains("schema_version"));
        let markdown = cell(
            "markdown",
            json!({"grade": true, "grade_id": "a", "points": 1}),
        );
        assert!(read(&markdown).unwrap_err().contains("markdown"));
    }

    #[test]
    fn students_cells_are_taken_as_they_are() {
        let odd = cell(
            "code",
            json!({"grade": "yes", "solution": true, "grade_id": "a b", "colour": "red"}),
        );
        let meta = CellMeta::of(&odd);
        assert!(!meta.grade && meta.solution);
        assert_eq!(meta.grade_id.as_deref(), Some("a b"));
        let broken = json!({"cell_type": "code", "metadata": {"nbgrader": [1]}, "source": ""});
        assert_eq!(CellMeta::of(&broken), CellMeta::default());
        assert!(CellMeta::read(&broken).is_err());
    }

    #[test]
    fn grade_ids_are_unique() {
        let meta = |id: &str| {
            Some(CellMeta {
                solution: true,
                grade_id: Some(id.to_owned()),
                ..CellMeta::default()
            })
        };
        assert!(check_unique_ids(&[meta("a"), None, meta("b")]).is_ok());
        let (index, message) = check_unique_ids(&[meta("a"), None, meta("a")]).unwrap_err();
        assert_eq!(index, 2);
        let message = message.to_string();
        assert!(message.contains("cell 1"), "{message}");
    }

    #[test]
    fn completes_exported_cells() {
        let mut answer = cell("markdown", json!({"solution": true, "grade_id": "why"}));
        let meta = read(&answer).unwrap().unwrap();
        complete(&mut answer, &meta);
        assert_eq!(
            answer["metadata"]["nbgrader"],
            json!({"solution": true, "grade": true, "locked": false, "points": 0,
                   "grade_id": "why", "schema_version": 3})
        );
        assert_eq!(answer["metadata"]["deletable"], false);

        let mut tests = cell("code", json!({"grade": true, "grade_id": "t", "points": 1}));
        let meta = read(&tests).unwrap().unwrap();
        complete(&mut tests, &meta);
        assert_eq!(tests["metadata"]["nbgrader"]["locked"], true);
        assert_eq!(tests["metadata"]["editable"], false);
    }
}
