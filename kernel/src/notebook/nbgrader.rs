//! nbgrader's cell metadata (schema version 3): reading it, checking it the
//! way nbgrader's own validator does, and completing it in exported notebooks.

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
}

/// Reads and checks `metadata.nbgrader` of a cell; `None` when it has none.
pub fn read(cell: &Value) -> Result<Option<CellMeta>, String> {
    let Some(raw) = cell["metadata"].get("nbgrader") else {
        return Ok(None);
    };
    let Value::Object(fields) = raw else {
        return Err("its nbgrader metadata is not an object".into());
    };
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
    let flag = |key: &str| -> Result<bool, String> {
        match fields.get(key) {
            None => Ok(false),
            Some(Value::Bool(value)) => Ok(*value),
            Some(_) => Err(format!("nbgrader `{key}` must be true or false")),
        }
    };
    let grade_id = match fields.get("grade_id") {
        None => None,
        Some(Value::String(id)) => {
            let allowed = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
            if !id.chars().all(allowed) {
                return Err(format!(
                    "nbgrader grade_id `{id}` may hold only letters, digits, `_` and `-`"
                ));
            }
            Some(id.clone())
        }
        Some(_) => return Err("nbgrader `grade_id` must be a string".into()),
    };
    let points = match fields.get("points") {
        None => None,
        Some(value) => match value.as_f64() {
            Some(points) if points >= 0.0 => Some(points),
            _ => return Err("nbgrader `points` must be a number, 0 or more".into()),
        },
    };
    let meta = CellMeta {
        solution: flag("solution")?,
        grade: flag("grade")?,
        locked: flag("locked")?,
        task: flag("task")?,
        grade_id,
        points,
    };
    let cell_type = super::cell_type(cell);
    if (meta.grade || meta.solution || meta.locked)
        && meta.grade_id.as_deref().is_none_or(str::is_empty)
    {
        return Err("this nbgrader cell needs a `grade_id`".into());
    }
    if meta.grade && meta.points.is_none() {
        return Err("this graded cell needs `points`".into());
    }
    if meta.task && cell_type != "markdown" {
        return Err("an nbgrader task cell must be a markdown cell".into());
    }
    if !meta.task && cell_type == "markdown" && meta.grade && !meta.solution {
        return Err(
            "a graded markdown cell must also be a solution cell (written answers are graded by hand)"
                .into(),
        );
    }
    Ok(Some(meta))
}

/// Checks that grade ids are unique; on a duplicate, the cell index that
/// repeats it and a message.
pub fn check_unique_ids(metas: &[Option<CellMeta>]) -> Result<(), (usize, String)> {
    let mut seen: std::collections::HashMap<&str, usize> = Default::default();
    for (index, meta) in metas.iter().enumerate() {
        let Some(meta) = meta else { continue };
        if !(meta.grade || meta.solution || meta.locked) {
            continue;
        }
        let Some(id) = meta.grade_id.as_deref() else {
            continue;
        };
        if let Some(first) = seen.insert(id, index) {
            return Err((
                index,
                format!(
                    "grade_id `{id}` is already used by cell {}; grade ids must be unique",
                    first + 1
                ),
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
    let cell_type = super::cell_type(cell).to_owned();
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

    #[test]
    fn reads_the_usual_cells() {
        let solution = cell(
            "code",
            json!({"solution": true, "grade": false, "locked": false, "grade_id": "ex1", "schema_version": 3}),
        );
        let meta = read(&solution).unwrap().unwrap();
        assert!(meta.solution && !meta.grade && !meta.restored_for_grading());
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
