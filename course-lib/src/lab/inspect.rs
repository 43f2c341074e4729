//! `%whos`: the session's variables with their types and a glimpse of their
//! values, in IPython's layout.
//!
//! The kernel expands `%whos` into a call of [`whos`] with one row per
//! variable, whose `Data/Info` comes from `(&&&Info(&value)).data_info()`:
//! `n=LEN` for collections (IPython shows lists and dicts that way), the
//! `Debug` text for other values that have one, nothing for the rest. The
//! choice is made at compile time by method resolution (autoref
//! specialisation), so any value works.
//!
//! ```
//! use course_lib::lab::inspect::{Info, LenInfo as _, DebugInfo as _, NoInfo as _};
//!
//! struct Opaque;
//! assert_eq!((&&&Info(&vec![1, 2, 3])).data_info(), "n=3");
//! assert_eq!((&&&Info(&2.5f64)).data_info(), "2.5");
//! assert_eq!((&&&Info(&Opaque)).data_info(), "");
//! ```

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::fmt::Debug;

/// A borrowed value whose `Data/Info` is wanted (see the module docs).
pub struct Info<'a, T: ?Sized>(pub &'a T);

/// Collections whose size `%whos` shows as `n=LEN`.
pub trait Len {
    /// How many elements.
    fn len_for_whos(&self) -> usize;
}

macro_rules! impl_len {
    ($($ty:ty => [$($generic:ident),*]),+ $(,)?) => {$(
        impl<$($generic),*> Len for $ty {
            fn len_for_whos(&self) -> usize {
                self.len()
            }
        }
    )+};
}

impl_len! {
    Vec<T> => [T],
    VecDeque<T> => [T],
    HashMap<K, V, S> => [K, V, S],
    HashSet<T, S> => [T, S],
    BTreeMap<K, V> => [K, V],
    BTreeSet<T> => [T],
}

/// First choice: a collection's size.
pub trait LenInfo {
    /// `n=LEN`.
    fn data_info(&self) -> String;
}

impl<T: Len + ?Sized> LenInfo for &&Info<'_, T> {
    fn data_info(&self) -> String {
        format!("n={}", self.0.len_for_whos())
    }
}

/// Second choice: the `Debug` text, shortened as IPython shortens `str()`.
pub trait DebugInfo {
    /// The value's `Debug` text on one line, at most 55 characters.
    fn data_info(&self) -> String;
}

impl<T: Debug + ?Sized> DebugInfo for &Info<'_, T> {
    fn data_info(&self) -> String {
        shorten(&format!("{:?}", self.0).replace('\n', "\\n"))
    }
}

/// Last choice: nothing to show.
pub trait NoInfo {
    /// An empty string.
    fn data_info(&self) -> String;
}

impl<T: ?Sized> NoInfo for Info<'_, T> {
    fn data_info(&self) -> String {
        String::new()
    }
}

/// IPython's rule: under 50 characters as is, else the first and last 25
/// around `<...>`.
fn shorten(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() < 50 {
        return text.to_string();
    }
    let head: String = chars[..25].iter().collect();
    let tail: String = chars[chars.len() - 25..].iter().collect();
    format!("{head}<...>{tail}")
}

/// IPython's `%whos` table for `(name, type, data/info)` rows.
///
/// ```
/// use course_lib::lab::inspect::whos;
///
/// let table = whos(&[("v", "Vec<u64>", "n=3".to_string()), ("x", "i32", "5".to_string())]);
/// assert_eq!(
///     table,
///     "Variable   Type        Data/Info\n\
///      --------------------------------\n\
///      v          Vec<u64>    n=3\n\
///      x          i32         5\n"
/// );
/// ```
pub fn whos(rows: &[(&str, &str, String)]) -> String {
    if rows.is_empty() {
        return "Interactive namespace is empty.\n".to_string();
    }
    const SEPARATION: usize = 3;
    let width = |column: fn(&(&str, &str, String)) -> usize, label: &str| {
        rows.iter().map(column).max().unwrap_or(0).max(label.len()) + SEPARATION
    };
    let name_width = width(|row| row.0.chars().count(), "Variable");
    let type_width = width(|row| row.1.chars().count(), "Type");
    let mut out = format!(
        "{:<name_width$}{:<type_width$} Data/Info\n{}\n",
        "Variable",
        "Type",
        "-".repeat(name_width + type_width + "Data/Info".len() + 1)
    );
    for (name, ty, info) in rows {
        out.push_str(&format!("{name:<name_width$}{ty:<type_width$} {info}\n"));
    }
    out
}

// The three `&` pick the implementation (see the module docs); clippy
// does not see that they matter.
#[cfg(test)]
#[allow(clippy::needless_borrow)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn collections_show_their_size_and_the_rest_their_debug_text() {
        let map: HashMap<&str, u8> = [("a", 1), ("b", 2)].into_iter().collect();
        assert_eq!((&&&Info(&map)).data_info(), "n=2");
        assert_eq!((&&&Info("text")).data_info(), "\"text\"");
        assert_eq!((&&&Info(&Some(3))).data_info(), "Some(3)");
        let long: String = "x".repeat(60);
        let shown = (&&&Info(&long)).data_info();
        assert_eq!(
            shown,
            format!("\"{}<...>{}\"", "x".repeat(24), "x".repeat(24))
        );
        assert_eq!((&&&Info(&"two\nlines")).data_info(), "\"two\\nlines\"");
    }

    #[test]
    fn an_empty_session_says_so() {
        assert_eq!(whos(&[]), "Interactive namespace is empty.\n");
    }
}
