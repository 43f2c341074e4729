//! The 16-byte MD5 digest, read from and written as 32 hexadecimal digits.

use std::fmt;
use std::str::FromStr;

use super::CrackError;

/// An MD5 digest: 16 bytes, usually written as 32 hexadecimal digits.
///
/// Parse one with `str::parse` (upper- or lowercase digits); it prints in
/// lowercase, like Python's `hexdigest()`.
///
/// ```
/// use course_lib::codebreaker::Md5Digest;
///
/// let digest: Md5Digest = "D0EEDB799584D850FDD802FD3C27AE34".parse()?;
/// assert_eq!(digest, Md5Digest::of("Hey"));
/// assert_eq!(digest.to_string(), "d0eedb799584d850fdd802fd3c27ae34");
/// assert_eq!(digest.as_bytes()[0], 0xd0);
/// # Ok::<(), course_lib::codebreaker::CrackError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Md5Digest([u8; 16]);

impl Md5Digest {
    /// Wraps 16 raw digest bytes.
    ///
    /// ```
    /// use course_lib::codebreaker::Md5Digest;
    ///
    /// let digest = Md5Digest::from_bytes([0xab; 16]);
    /// assert_eq!(digest.to_string(), "ab".repeat(16));
    /// ```
    pub fn from_bytes(bytes: [u8; 16]) -> Self {
        Md5Digest(bytes)
    }

    /// The MD5 digest of `message`, computed by the md5 crate (the
    /// reference every faster version is checked against).
    ///
    /// ```
    /// use course_lib::codebreaker::Md5Digest;
    ///
    /// assert_eq!(Md5Digest::of("").to_string(), "d41d8cd98f00b204e9800998ecf8427e");
    /// assert_eq!(Md5Digest::of(b"Hey"), Md5Digest::of("Hey"));
    /// ```
    pub fn of(message: impl AsRef<[u8]>) -> Self {
        Md5Digest(md5::compute(message.as_ref()).0)
    }

    /// The 16 raw bytes.
    ///
    /// ```
    /// use course_lib::codebreaker::Md5Digest;
    ///
    /// let digest = Md5Digest::from_bytes([7; 16]);
    /// assert_eq!(digest.as_bytes(), &[7; 16]);
    /// ```
    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// The 32 lowercase hexadecimal digits, as Python's `hexdigest()`
    /// (the same as `to_string()`).
    ///
    /// ```
    /// use course_lib::codebreaker::Md5Digest;
    ///
    /// assert_eq!(Md5Digest::of("Hey").to_hex(), "d0eedb799584d850fdd802fd3c27ae34");
    /// ```
    pub fn to_hex(&self) -> String {
        self.to_string()
    }

    /// The digest as the four little-endian words of the MD5 state.
    pub(crate) fn words(&self) -> [u32; 4] {
        let mut words = [0u32; 4];
        for (word, chunk) in words.iter_mut().zip(self.0.chunks_exact(4)) {
            *word = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        }
        words
    }
}

impl FromStr for Md5Digest {
    type Err = CrackError;

    /// Reads 32 hexadecimal digits (no spaces, no `0x`).
    ///
    /// ```
    /// use course_lib::codebreaker::{CrackError, Md5Digest};
    ///
    /// assert_eq!("abc".parse::<Md5Digest>(), Err(CrackError::DigestLength { found: 3 }));
    /// ```
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let found = text.chars().count();
        if found != 32 {
            return Err(CrackError::DigestLength { found });
        }
        let mut bytes = [0u8; 16];
        for (position, character) in text.chars().enumerate() {
            let value = character.to_digit(16).ok_or(CrackError::NotHex {
                position,
                found: character,
            })?;
            // `to_digit(16)` is below 16, so the cast loses nothing.
            bytes[position / 2] |= (value as u8) << if position % 2 == 0 { 4 } else { 0 };
        }
        Ok(Md5Digest(bytes))
    }
}

impl fmt::Display for Md5Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for byte in self.0 {
            write!(f, "{byte:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Md5Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Md5Digest(\"{self}\")")
    }
}

impl From<[u8; 16]> for Md5Digest {
    fn from(bytes: [u8; 16]) -> Self {
        Md5Digest(bytes)
    }
}
