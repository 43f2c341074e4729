//! Exam grades out of 20 (halves allowed), subjects and students.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A grade out of 20 that goes by steps of 0.5: 0, 0.5, 1, ..., 19.5, 20.
///
/// It is stored as a whole number of half points, so it is exact (no float
/// rounding), can be compared and sorted, and can only hold valid grades:
/// [`Grade::new`] refuses 12.3 or 21 with a [`GradeError`]. With serde it
/// is written as a plain number: `12` or `12.5`.
///
/// ```
/// use course_lib::warmup::Grade;
///
/// let grade = Grade::new(12.5)?;
/// assert_eq!(grade.value(), 12.5);
/// assert_eq!(grade.to_string(), "12.5");
/// assert_eq!(Grade::new(14.0)?.to_string(), "14");
/// assert!(Grade::new(12.3).is_err());
/// assert!(Grade::new(21.0).is_err());
/// assert!(Grade::new(9.5)? < grade);
/// # Ok::<(), course_lib::warmup::GradeError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Grade {
    halves: u8,
}

impl Grade {
    /// The lowest grade, 0.
    ///
    /// ```
    /// assert_eq!(course_lib::warmup::Grade::MIN.value(), 0.0);
    /// ```
    pub const MIN: Grade = Grade { halves: 0 };

    /// The highest grade, 20.
    ///
    /// ```
    /// assert_eq!(course_lib::warmup::Grade::MAX.value(), 20.0);
    /// ```
    pub const MAX: Grade = Grade { halves: 40 };

    /// A grade from its value, which must be a whole or half number from 0 to 20.
    ///
    /// ```
    /// use course_lib::warmup::{Grade, GradeError};
    ///
    /// assert_eq!(Grade::new(0.5)?.halves(), 1);
    /// assert_eq!(Grade::new(12.3), Err(GradeError::NotAHalf { value: 12.3 }));
    /// assert_eq!(Grade::new(-1.0), Err(GradeError::OutOfRange { value: -1.0 }));
    /// # Ok::<(), GradeError>(())
    /// ```
    pub fn new(value: f64) -> Result<Grade, GradeError> {
        if value.is_nan() {
            return Err(GradeError::NotANumber {
                text: value.to_string(),
            });
        }
        if !(0.0..=20.0).contains(&value) {
            return Err(GradeError::OutOfRange { value });
        }
        let halves = value * 2.0;
        if halves.fract() != 0.0 {
            return Err(GradeError::NotAHalf { value });
        }
        Ok(Grade {
            halves: halves as u8,
        })
    }

    /// A grade from a number of half points, 0 to 40 (25 is 12.5).
    ///
    /// ```
    /// use course_lib::warmup::Grade;
    ///
    /// assert_eq!(Grade::from_halves(25)?.value(), 12.5);
    /// assert!(Grade::from_halves(41).is_err());
    /// # Ok::<(), course_lib::warmup::GradeError>(())
    /// ```
    pub fn from_halves(halves: u8) -> Result<Grade, GradeError> {
        if halves > Grade::MAX.halves {
            return Err(GradeError::OutOfRange {
                value: f64::from(halves) / 2.0,
            });
        }
        Ok(Grade { halves })
    }

    /// The nearest grade to any number: rounded to the nearest half point
    /// (halfway cases away from zero) and kept between 0 and 20; `NaN` gives 0.
    ///
    /// ```
    /// use course_lib::warmup::Grade;
    ///
    /// assert_eq!(Grade::nearest(12.3).value(), 12.5);
    /// assert_eq!(Grade::nearest(12.2).value(), 12.0);
    /// assert_eq!(Grade::nearest(25.0), Grade::MAX);
    /// assert_eq!(Grade::nearest(-3.0), Grade::MIN);
    /// ```
    pub fn nearest(value: f64) -> Grade {
        // `as` saturates, and turns NaN into 0.
        let halves = (value * 2.0).round().clamp(0.0, 40.0) as u8;
        Grade { halves }
    }

    /// The grade as a number.
    ///
    /// ```
    /// assert_eq!(course_lib::warmup::Grade::new(7.5).unwrap().value(), 7.5);
    /// ```
    pub fn value(self) -> f64 {
        f64::from(self.halves) / 2.0
    }

    /// The grade counted in half points (12.5 is 25).
    ///
    /// ```
    /// assert_eq!(course_lib::warmup::Grade::new(12.5).unwrap().halves(), 25);
    /// ```
    pub fn halves(self) -> u8 {
        self.halves
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = self.halves / 2;
        if self.halves.is_multiple_of(2) {
            f.pad(&whole.to_string())
        } else {
            f.pad(&format!("{whole}.5"))
        }
    }
}

impl FromStr for Grade {
    type Err = GradeError;

    /// Reads a grade written like `12`, `12.5` or ` 12.50 `.
    ///
    /// ```
    /// use course_lib::warmup::{Grade, GradeError};
    ///
    /// let grade: Grade = "12.5".parse()?;
    /// assert_eq!(grade.value(), 12.5);
    /// assert!(matches!("twelve".parse::<Grade>(), Err(GradeError::NotANumber { .. })));
    /// # Ok::<(), GradeError>(())
    /// ```
    fn from_str(text: &str) -> Result<Grade, GradeError> {
        let value: f64 = text.trim().parse().map_err(|_| GradeError::NotANumber {
            text: text.to_string(),
        })?;
        Grade::new(value)
    }
}

impl TryFrom<f64> for Grade {
    type Error = GradeError;

    fn try_from(value: f64) -> Result<Grade, GradeError> {
        Grade::new(value)
    }
}

impl From<Grade> for f64 {
    fn from(grade: Grade) -> f64 {
        grade.value()
    }
}

impl Serialize for Grade {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.halves.is_multiple_of(2) {
            serializer.serialize_u8(self.halves / 2)
        } else {
            serializer.serialize_f64(self.value())
        }
    }
}

impl<'de> Deserialize<'de> for Grade {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Grade, D::Error> {
        let value = f64::deserialize(deserializer)?;
        Grade::new(value).map_err(serde::de::Error::custom)
    }
}

/// Why a number is not a valid [`Grade`].
///
/// ```
/// use course_lib::warmup::Grade;
///
/// let error = Grade::new(21.0).unwrap_err();
/// assert_eq!(error.to_string(), "grade 21 is out of range: grades go from 0 to 20");
/// let error = Grade::new(12.3).unwrap_err();
/// assert_eq!(
///     error.to_string(),
///     "grade 12.3 is not a whole or half point: grades go by steps of 0.5, like 12 or 12.5"
/// );
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum GradeError {
    /// The text is not a number at all.
    NotANumber {
        /// The text as given.
        text: String,
    },
    /// The number is below 0 or above 20.
    OutOfRange {
        /// The number given.
        value: f64,
    },
    /// The number is between 0 and 20 but not a multiple of 0.5.
    NotAHalf {
        /// The number given.
        value: f64,
    },
}

impl fmt::Display for GradeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GradeError::NotANumber { text } => write!(
                f,
                "{text:?} is not a number: a grade is written like 12 or 12.5"
            ),
            GradeError::OutOfRange { value } => {
                write!(f, "grade {value} is out of range: grades go from 0 to 20")
            }
            GradeError::NotAHalf { value } => write!(
                f,
                "grade {value} is not a whole or half point: grades go by steps of 0.5, like 12 or 12.5"
            ),
        }
    }
}

impl std::error::Error for GradeError {}

/// One of the three exam subjects.
///
/// With serde, and in text, a subject is its lowercase English name.
///
/// ```
/// use course_lib::warmup::Subject;
///
/// assert_eq!(Subject::ALL.len(), 3);
/// assert_eq!(Subject::Maths.to_string(), "maths");
/// assert_eq!("Philosophy".parse::<Subject>(), Ok(Subject::Philosophy));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Subject {
    /// French.
    French,
    /// Mathematics.
    Maths,
    /// Philosophy.
    Philosophy,
}

impl Subject {
    /// The three subjects, in the order of the CSV columns.
    ///
    /// ```
    /// use course_lib::warmup::Subject;
    ///
    /// let names: Vec<&str> = Subject::ALL.iter().map(|s| s.name()).collect();
    /// assert_eq!(names, ["french", "maths", "philosophy"]);
    /// ```
    pub const ALL: [Subject; 3] = [Subject::French, Subject::Maths, Subject::Philosophy];

    /// The lowercase name, as in CSV headers and JSON keys.
    ///
    /// ```
    /// assert_eq!(course_lib::warmup::Subject::French.name(), "french");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Subject::French => "french",
            Subject::Maths => "maths",
            Subject::Philosophy => "philosophy",
        }
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

impl FromStr for Subject {
    type Err = UnknownSubject;

    /// Reads a subject name, ignoring case and surrounding spaces
    /// (`math` is accepted for maths).
    ///
    /// ```
    /// use course_lib::warmup::Subject;
    ///
    /// assert_eq!(" MATH ".parse::<Subject>(), Ok(Subject::Maths));
    /// let error = "history".parse::<Subject>().unwrap_err();
    /// assert_eq!(
    ///     error.to_string(),
    ///     "unknown subject \"history\": use french, maths or philosophy"
    /// );
    /// ```
    fn from_str(text: &str) -> Result<Subject, UnknownSubject> {
        match text.trim().to_lowercase().as_str() {
            "french" => Ok(Subject::French),
            "maths" | "math" => Ok(Subject::Maths),
            "philosophy" => Ok(Subject::Philosophy),
            _ => Err(UnknownSubject {
                name: text.to_string(),
            }),
        }
    }
}

/// The error of a subject name that is none of the three subjects.
///
/// ```
/// let error = "art".parse::<course_lib::warmup::Subject>().unwrap_err();
/// assert_eq!(error.name, "art");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownSubject {
    /// The name as given.
    pub name: String,
}

impl fmt::Display for UnknownSubject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown subject {:?}: use french, maths or philosophy",
            self.name
        )
    }
}

impl std::error::Error for UnknownSubject {}

/// A student and their three exam grades: one row of the dataset.
///
/// In CSV the columns are `name,french,maths,philosophy`; in JSON each
/// student is an object with those four keys.
///
/// ```
/// use course_lib::warmup::{Student, Subject};
///
/// let ann = Student::new("Ann", 12.5, 16.0, 9.0)?;
/// assert_eq!(ann.grade(Subject::Maths).value(), 16.0);
/// assert_eq!(ann.average(), 12.5);
/// let json = serde_json::to_string(&ann).unwrap();
/// assert_eq!(json, r#"{"name":"Ann","french":12.5,"maths":16,"philosophy":9}"#);
/// # Ok::<(), course_lib::warmup::GradeError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Student {
    /// The full name, such as "Bob-Alice Dupont".
    pub name: String,
    /// The French grade.
    pub french: Grade,
    /// The mathematics grade.
    pub maths: Grade,
    /// The philosophy grade.
    pub philosophy: Grade,
}

impl Student {
    /// A student from a name and three grades given as numbers
    /// (French, maths, philosophy), each checked by [`Grade::new`].
    ///
    /// ```
    /// use course_lib::warmup::Student;
    ///
    /// assert!(Student::new("Bo", 10.0, 20.0, 0.5).is_ok());
    /// assert!(Student::new("Bo", 10.0, 20.5, 0.5).is_err());
    /// ```
    pub fn new(
        name: impl Into<String>,
        french: f64,
        maths: f64,
        philosophy: f64,
    ) -> Result<Student, GradeError> {
        Ok(Student {
            name: name.into(),
            french: Grade::new(french)?,
            maths: Grade::new(maths)?,
            philosophy: Grade::new(philosophy)?,
        })
    }

    /// The grade in one subject.
    ///
    /// ```
    /// use course_lib::warmup::{Student, Subject};
    ///
    /// let bo = Student::new("Bo", 10.0, 20.0, 0.5)?;
    /// assert_eq!(bo.grade(Subject::Philosophy).value(), 0.5);
    /// # Ok::<(), course_lib::warmup::GradeError>(())
    /// ```
    pub fn grade(&self, subject: Subject) -> Grade {
        match subject {
            Subject::French => self.french,
            Subject::Maths => self.maths,
            Subject::Philosophy => self.philosophy,
        }
    }

    /// The three grades, in the order of [`Subject::ALL`].
    ///
    /// ```
    /// use course_lib::warmup::Student;
    ///
    /// let bo = Student::new("Bo", 10.0, 20.0, 0.5)?;
    /// let values: Vec<f64> = bo.grades().iter().map(|g| g.value()).collect();
    /// assert_eq!(values, [10.0, 20.0, 0.5]);
    /// # Ok::<(), course_lib::warmup::GradeError>(())
    /// ```
    pub fn grades(&self) -> [Grade; 3] {
        [self.french, self.maths, self.philosophy]
    }

    /// The average of the three grades (each subject counts the same).
    ///
    /// ```
    /// use course_lib::warmup::Student;
    ///
    /// assert_eq!(Student::new("Bo", 10.0, 20.0, 0.0)?.average(), 10.0);
    /// # Ok::<(), course_lib::warmup::GradeError>(())
    /// ```
    pub fn average(&self) -> f64 {
        self.grades().iter().map(|g| g.value()).sum::<f64>() / 3.0
    }
}

impl fmt::Display for Student {
    /// `Ann: french 12.5, maths 16, philosophy 9`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: french {}, maths {}, philosophy {}",
            self.name, self.french, self.maths, self.philosophy
        )
    }
}
