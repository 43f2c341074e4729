//! The course's names and the composed first names, built twice.

use itertools::Itertools;

/// The course's eleven first names, in the course's order.
///
/// ```
/// use course_lib::warmup::FIRST_NAMES;
///
/// assert_eq!(FIRST_NAMES.len(), 11);
/// assert_eq!(FIRST_NAMES[0], "Bob");
/// assert!(FIRST_NAMES.contains(&"Léa"));
/// ```
pub const FIRST_NAMES: [&str; 11] = [
    "Bob", "Alice", "Maria", "Albert", "Paul", "Alex", "Luc", "Robert", "Dylan", "Léa", "Richard",
];

/// The course's ten last names, in the course's order.
///
/// ```
/// use course_lib::warmup::LAST_NAMES;
///
/// assert_eq!(LAST_NAMES.len(), 10);
/// assert_eq!(LAST_NAMES[2], "Haddock");
/// assert!(LAST_NAMES.contains(&"Müller"));
/// ```
pub const LAST_NAMES: [&str; 10] = [
    "Dupont",
    "Dupond",
    "Haddock",
    "Tournesol",
    "Castafiore",
    "Lampion",
    "Lopez",
    "Loiseau",
    "Müller",
    "Sanzot",
];

/// The number of composed names: 11 × 10 ordered pairs of two different first names.
///
/// ```
/// use course_lib::warmup::{COMPOSED_COUNT, composed_names_loops};
///
/// assert_eq!(COMPOSED_COUNT, 110);
/// assert_eq!(composed_names_loops().len(), COMPOSED_COUNT);
/// ```
pub const COMPOSED_COUNT: usize = FIRST_NAMES.len() * (FIRST_NAMES.len() - 1);

/// Every composed first name, built with two hand-written loops.
///
/// The outer loop picks the first part, the inner loop the second; a name
/// never pairs with itself. The order is the course's: all names starting
/// with "Bob" first ("Bob-Alice", "Bob-Maria", ...), then "Alice-Bob", ...
///
/// Each name is glued with `[first, "-", second].concat()`, which adds up
/// the lengths first and allocates once; `format!("{first}-{second}")` gives
/// the same string but is two to three times slower here.
///
/// ```
/// use course_lib::warmup::composed_names_loops;
///
/// let names = composed_names_loops();
/// assert_eq!(names.len(), 110);
/// assert_eq!(names[..2], ["Bob-Alice", "Bob-Maria"]);
/// assert_eq!(names[10], "Alice-Bob");
/// assert!(!names.contains(&"Bob-Bob".to_string()));
/// ```
pub fn composed_names_loops() -> Vec<String> {
    compose_with_loops(&FIRST_NAMES)
}

/// Every composed first name, built with [`Itertools::permutations`]:
/// the same names in the same order as [`composed_names_loops`].
///
/// `permutations(2)` yields every ordered pair of two elements taken at
/// different positions, like Python's `itertools.permutations(names, 2)`;
/// each pair is a small `Vec`, glued with `pair.join("-")` like Python's
/// `"-".join(pair)`.
///
/// ```
/// use course_lib::warmup::{composed_names_itertools, composed_names_loops};
///
/// assert_eq!(composed_names_itertools(), composed_names_loops());
/// ```
pub fn composed_names_itertools() -> Vec<String> {
    compose_with_permutations(&FIRST_NAMES)
}

/// The loops of [`composed_names_loops`], for any list of names.
///
/// Two entries pair up when they sit at different positions, which is the
/// rule of `permutations` too, so both agree even on repeated names.
pub(crate) fn compose_with_loops(names: &[&str]) -> Vec<String> {
    let mut composed = Vec::with_capacity(names.len() * names.len().saturating_sub(1));
    for (i, first) in names.iter().enumerate() {
        for (j, second) in names.iter().enumerate() {
            if i != j {
                composed.push([*first, "-", *second].concat());
            }
        }
    }
    composed
}

/// The permutations of [`composed_names_itertools`], for any list of names.
pub(crate) fn compose_with_permutations(names: &[&str]) -> Vec<String> {
    names
        .iter()
        .copied()
        .permutations(2)
        .map(|pair| pair.join("-"))
        .collect()
}
