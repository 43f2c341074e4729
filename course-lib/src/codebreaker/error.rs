//! What can go wrong before a search starts.

use std::fmt;

use super::{Backend, MAX_LENGTH};

/// Why a digest could not be read or a search could not start.
///
/// Every message says what was expected and what was found:
///
/// ```
/// use course_lib::codebreaker::{CrackError, Md5Digest};
///
/// let error = "d0eedb799584d850fdd802fd3c27ae3g".parse::<Md5Digest>().unwrap_err();
/// assert_eq!(error, CrackError::NotHex { position: 31, found: 'g' });
/// assert_eq!(
///     error.to_string(),
///     "character 31 (counting from 0) of the digest is 'g', not a hexadecimal digit (0-9, a-f)"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CrackError {
    /// The digest does not have 32 characters.
    DigestLength {
        /// How many characters it has.
        found: usize,
    },
    /// A character of the digest is not a hexadecimal digit.
    NotHex {
        /// Its position, counting characters from 0.
        position: usize,
        /// The character.
        found: char,
    },
    /// The crackers only search passwords of 1 to [`MAX_LENGTH`] letters.
    PasswordLength {
        /// The length asked for.
        length: usize,
    },
    /// [`Backend::md5_many`] only hashes messages of up to 55 bytes (one MD5 block).
    MessageTooLong {
        /// The length of the message, in bytes.
        length: usize,
    },
    /// This processor cannot run the backend asked for.
    BackendUnavailable {
        /// The backend.
        backend: Backend,
    },
}

impl fmt::Display for CrackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CrackError::DigestLength { found } => write!(
                f,
                "an MD5 digest is 32 hexadecimal digits, found {found} character{}",
                if *found == 1 { "" } else { "s" }
            ),
            CrackError::NotHex { position, found } => write!(
                f,
                "character {position} (counting from 0) of the digest is {found:?}, \
                 not a hexadecimal digit (0-9, a-f)"
            ),
            CrackError::PasswordLength { length } => write!(
                f,
                "cannot search passwords of {length} letters: supported lengths are 1 to {MAX_LENGTH}"
            ),
            CrackError::MessageTooLong { length } => write!(
                f,
                "a message of {length} bytes does not fit in one MD5 block (55 bytes at most)"
            ),
            CrackError::BackendUnavailable { backend } => write!(
                f,
                "this processor cannot run the {backend} backend; available: {}",
                Backend::available()
                    .iter()
                    .map(|backend| backend.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

impl std::error::Error for CrackError {}
