//! The letters of a password, the size of the search space, and the order
//! in which the in-order steps visit it.

use super::CrackError;

/// The letters a password is made of, in the order of Python's
/// `string.ascii_letters`: `a` to `z`, then `A` to `Z`.
///
/// ```
/// use course_lib::codebreaker::ALPHABET;
///
/// assert_eq!(ALPHABET.len(), 52);
/// assert!(ALPHABET.starts_with("abc") && ALPHABET.ends_with("XYZ"));
/// ```
pub const ALPHABET: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// [`ALPHABET`] as bytes.
pub(crate) const LETTERS: &[u8; 52] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// The longest password the crackers accept: lengths 1 to `MAX_LENGTH` are
/// supported.
///
/// Six letters already make almost 20 billion candidates; each extra
/// letter multiplies the search time by 52.
///
/// ```
/// use course_lib::codebreaker::{crack_fast, CrackError, Md5Digest, MAX_LENGTH};
///
/// let digest = Md5Digest::of("Hey");
/// let error = crack_fast(&digest, MAX_LENGTH + 1, 1).unwrap_err();
/// assert_eq!(error, CrackError::PasswordLength { length: 7 });
/// ```
pub const MAX_LENGTH: usize = 6;

/// Checks that the crackers support passwords of `length` letters.
pub(crate) fn check_length(length: usize) -> Result<(), CrackError> {
    if (1..=MAX_LENGTH).contains(&length) {
        Ok(())
    } else {
        Err(CrackError::PasswordLength { length })
    }
}

/// The number of passwords of `length` letters: 52 to the power `length`
/// (saturating at `u64::MAX`, reached from 12 letters on).
///
/// ```
/// use course_lib::codebreaker::search_space;
///
/// assert_eq!(search_space(3), 140_608);
/// assert_eq!(search_space(6), 19_770_609_664);
/// ```
pub fn search_space(length: usize) -> u64 {
    u32::try_from(length)
        .ok()
        .and_then(|length| 52u64.checked_pow(length))
        .unwrap_or(u64::MAX)
}

/// The password at position `index` (counting from 0) in the order of
/// `itertools.product(ascii_letters, repeat=length)`, where the last letter
/// changes fastest; `None` if `index` is past the end.
///
/// ```
/// use course_lib::codebreaker::password_at;
///
/// assert_eq!(password_at(0, 3).as_deref(), Some("aaa"));
/// assert_eq!(password_at(1, 3).as_deref(), Some("aab"));
/// assert_eq!(password_at(52, 3).as_deref(), Some("aba"));
/// assert_eq!(password_at(140_607, 3).as_deref(), Some("ZZZ"));
/// assert_eq!(password_at(140_608, 3), None);
/// ```
pub fn password_at(index: u64, length: usize) -> Option<String> {
    if length > 11 || index >= search_space(length) {
        return None;
    }
    let mut letters = vec![0u8; length];
    let mut rest = index;
    for letter in letters.iter_mut().rev() {
        *letter = LETTERS[(rest % 52) as usize];
        rest /= 52;
    }
    Some(letters.into_iter().map(char::from).collect())
}

/// The position of `password` in the order of [`password_at`], or `None` if
/// it contains something other than ASCII letters (or is longer than 11
/// letters, past the range of `u64`).
///
/// ```
/// use course_lib::codebreaker::index_of;
///
/// assert_eq!(index_of("aaa"), Some(0));
/// assert_eq!(index_of("Hey"), Some(89_464));
/// assert_eq!(index_of("Hé"), None);
/// ```
pub fn index_of(password: &str) -> Option<u64> {
    if password.len() > 11 {
        return None;
    }
    password.bytes().try_fold(0u64, |index, byte| {
        let position = LETTERS.iter().position(|&letter| letter == byte)?;
        Some(index * 52 + position as u64)
    })
}

/// Moves `letters` to the next password in [`password_at`] order, like an
/// odometer: the last letter advances, and wraps from `Z` to `a` carrying
/// into the one before. Returns `false` (with every letter back at `a`)
/// after the last password.
pub(crate) fn advance(letters: &mut [u8]) -> bool {
    for letter in letters.iter_mut().rev() {
        match *letter {
            b'Z' => *letter = b'a',
            b'z' => {
                *letter = b'A';
                return true;
            }
            _ => {
                *letter += 1;
                return true;
            }
        }
    }
    false
}
