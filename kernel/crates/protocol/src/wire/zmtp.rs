//! The parts of ZMTP 3 (ZeroMQ's wire protocol) that the guard checks: the
//! 64-byte greeting that opens a connection, and the header of every frame
//! a peer sends after it.
//!
//! A frame starts with a flags byte (bit 0 MORE: another frame of the same
//! message follows; bit 1 LONG: the size takes 8 bytes, else 1; bit 2
//! COMMAND: a handshake command rather than message data; the other bits
//! are reserved and zero), then its size in big-endian, then the body.
//! [`FrameChecker`] follows that layout over bytes as they arrive, in
//! chunks of any length, and says when a peer breaks it or declares more
//! than the kernel accepts, before the codec behind the guard sees the
//! declared size.

use std::fmt;

/// The length of a ZMTP 3 greeting.
pub const GREETING_LEN: usize = 64;

/// The most a message may carry: no single frame may declare more, nor may
/// the frames of one multipart message add up to more (each frame also
/// counts [`FRAME_COST`] bytes, so that a flood of empty frames is bounded
/// too). Jupyter messages are JSON plus optional binary buffers; 256 MiB
/// leaves room for large widget or plot buffers while keeping a hostile
/// peer from making the kernel reserve gigabytes.
pub const MAX_MESSAGE_BYTES: u64 = 256 << 20;

/// What each data frame counts against [`MAX_MESSAGE_BYTES`] on top of its
/// body: roughly what the codec keeps for an empty frame.
pub const FRAME_COST: u64 = 64;

/// The most a command frame (the handshake's READY, subscriptions, pings)
/// may declare. Real commands are a few hundred bytes.
pub const MAX_COMMAND_BYTES: u64 = 64 << 10;

const MORE: u8 = 0b001;
const LONG: u8 = 0b010;
const COMMAND: u8 = 0b100;
const RESERVED: u8 = !(MORE | LONG | COMMAND);

/// The greeting the guard sends to every peer: ZMTP 3.0, mechanism NULL,
/// not as server, the version the kernel's own ZeroMQ sockets speak.
pub fn greeting() -> [u8; GREETING_LEN] {
    let mut bytes = [0; GREETING_LEN];
    bytes[0] = 0xff;
    bytes[9] = 0x7f;
    bytes[10] = 3;
    bytes[11] = 0;
    bytes[12..16].copy_from_slice(b"NULL");
    bytes
}

/// Checks a peer's greeting: the ZMTP signature, major version 3 and the
/// NULL mechanism (the only one the kernel's sockets speak).
pub fn check_greeting(bytes: &[u8; GREETING_LEN]) -> Result<(), Violation> {
    if bytes[0] != 0xff || bytes[9] != 0x7f {
        return Err(Violation::NotZmtp);
    }
    if bytes[10] != 3 {
        return Err(Violation::Version(bytes[10]));
    }
    let mechanism = &bytes[12..32];
    let name_len = mechanism.iter().position(|&b| b == 0).unwrap_or(20);
    let (name, padding) = mechanism.split_at(name_len);
    if name != b"NULL" || padding.iter().any(|&b| b != 0) {
        return Err(Violation::Mechanism);
    }
    Ok(())
}

/// Why the guard closed a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Violation {
    /// The greeting does not start with the ZMTP signature.
    NotZmtp,
    /// The greeting names a major version other than 3.
    Version(u8),
    /// The greeting names a security mechanism other than NULL.
    Mechanism,
    /// A flags byte has reserved bits set.
    ReservedFlags(u8),
    /// A command frame says that more frames follow.
    CommandWithMore,
    /// A command frame declares more than [`MAX_COMMAND_BYTES`].
    CommandTooLarge(u64),
    /// A data frame declares more than [`MAX_MESSAGE_BYTES`].
    FrameTooLarge(u64),
    /// A message's frames add up to more than [`MAX_MESSAGE_BYTES`].
    MessageTooLarge,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Violation::NotZmtp => f.write_str("the greeting is not a ZMTP signature"),
            Violation::Version(major) => {
                write!(f, "the greeting asks for ZMTP {major}, not 3")
            }
            Violation::Mechanism => {
                f.write_str("the greeting asks for a mechanism other than NULL")
            }
            Violation::ReservedFlags(flags) => {
                write!(f, "a frame's flags byte {flags:#04x} has reserved bits set")
            }
            Violation::CommandWithMore => f.write_str("a command frame has the MORE flag"),
            Violation::CommandTooLarge(size) => write!(
                f,
                "a command frame declares {size} bytes (at most {MAX_COMMAND_BYTES})"
            ),
            Violation::FrameTooLarge(size) => write!(
                f,
                "a frame declares {size} bytes (at most {MAX_MESSAGE_BYTES})"
            ),
            Violation::MessageTooLarge => {
                write!(f, "a multipart message grew past {MAX_MESSAGE_BYTES} bytes")
            }
        }
    }
}

/// Where the checker is in the stream of frames.
#[derive(Debug, Clone, Copy)]
enum State {
    /// The next byte is a frame's flags.
    Flags,
    /// Reading a size: `read` of its `len` bytes are in `value`.
    Size {
        flags: u8,
        len: u8,
        read: u8,
        value: u64,
    },
    /// This many body bytes are still to come.
    Body(u64),
}

/// Follows the frames a peer sends after its greeting and rejects the
/// first header that breaks ZMTP 3 or the kernel's limits.
///
/// Once it has returned an error the connection must be closed: the
/// checker does not resynchronise.
#[derive(Debug)]
pub struct FrameChecker {
    state: State,
    /// What the frames of the message being received count so far.
    message: u64,
    /// How many frames have arrived whole.
    frames: u64,
}

impl Default for FrameChecker {
    fn default() -> FrameChecker {
        FrameChecker::new()
    }
}

impl FrameChecker {
    /// A checker expecting the first frame header.
    pub fn new() -> FrameChecker {
        FrameChecker {
            state: State::Flags,
            message: 0,
            frames: 0,
        }
    }

    /// How many frames have arrived whole, commands included.
    pub fn frames(&self) -> u64 {
        self.frames
    }

    /// Follows `bytes`, the next bytes of the stream. On an error, none of
    /// `bytes` may be passed on: everything before them was well formed.
    pub fn feed(&mut self, mut bytes: &[u8]) -> Result<(), Violation> {
        while let Some((&first, rest)) = bytes.split_first() {
            match self.state {
                State::Flags => {
                    bytes = rest;
                    if first & RESERVED != 0 {
                        return Err(Violation::ReservedFlags(first));
                    }
                    if first & COMMAND != 0 && first & MORE != 0 {
                        return Err(Violation::CommandWithMore);
                    }
                    let len = if first & LONG != 0 { 8 } else { 1 };
                    self.state = State::Size {
                        flags: first,
                        len,
                        read: 0,
                        value: 0,
                    };
                }
                State::Size {
                    flags,
                    len,
                    read,
                    value,
                } => {
                    bytes = rest;
                    let value = (value << 8) | u64::from(first);
                    if read + 1 < len {
                        self.state = State::Size {
                            flags,
                            len,
                            read: read + 1,
                            value,
                        };
                    } else {
                        self.header(flags, value)?;
                    }
                }
                State::Body(left) => {
                    let taken = usize::try_from(left).map_or(bytes.len(), |n| n.min(bytes.len()));
                    bytes = &bytes[taken..];
                    self.expect_body(left - taken as u64);
                }
            }
        }
        Ok(())
    }

    /// Checks a complete frame header and moves on to its body.
    fn header(&mut self, flags: u8, size: u64) -> Result<(), Violation> {
        if flags & COMMAND != 0 {
            if size > MAX_COMMAND_BYTES {
                return Err(Violation::CommandTooLarge(size));
            }
        } else {
            if size > MAX_MESSAGE_BYTES {
                return Err(Violation::FrameTooLarge(size));
            }
            self.message += size + FRAME_COST;
            if self.message > MAX_MESSAGE_BYTES {
                return Err(Violation::MessageTooLarge);
            }
            if flags & MORE == 0 {
                self.message = 0;
            }
        }
        self.expect_body(size);
        Ok(())
    }

    /// Moves on to the next `left` bytes of the current frame's body, or,
    /// when none are left, counts the frame and waits for the next one.
    fn expect_body(&mut self, left: u64) {
        self.state = if left == 0 {
            self.frames += 1;
            State::Flags
        } else {
            State::Body(left)
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A data frame as a peer encodes it.
    fn frame(body: &[u8], more: bool) -> Vec<u8> {
        let mut bytes = Vec::new();
        let more = if more { MORE } else { 0 };
        if body.len() > 255 {
            bytes.push(LONG | more);
            bytes.extend_from_slice(&(body.len() as u64).to_be_bytes());
        } else {
            bytes.push(more);
            bytes.push(body.len() as u8);
        }
        bytes.extend_from_slice(body);
        bytes
    }

    /// A header that declares `size` bytes, with no body.
    fn long_header(flags: u8, size: u64) -> Vec<u8> {
        let mut bytes = vec![flags | LONG];
        bytes.extend_from_slice(&size.to_be_bytes());
        bytes
    }

    /// Feeds `size` body bytes in chunks, as a socket delivers them.
    fn feed_body(checker: &mut FrameChecker, size: u64) -> Result<(), Violation> {
        let chunk = [0; 1 << 16];
        let mut left = size;
        while left > 0 {
            let n = left.min(chunk.len() as u64);
            checker.feed(&chunk[..n as usize])?;
            left -= n;
        }
        Ok(())
    }

    fn ready_command() -> Vec<u8> {
        let mut body = vec![5];
        body.extend_from_slice(b"READY");
        body.extend_from_slice(&[11]);
        body.extend_from_slice(b"Socket-Type");
        body.extend_from_slice(&6u32.to_be_bytes());
        body.extend_from_slice(b"DEALER");
        let mut bytes = vec![COMMAND, body.len() as u8];
        bytes.extend_from_slice(&body);
        bytes
    }

    /// A handshake and a Jupyter-like message with a long frame.
    fn conversation() -> Vec<u8> {
        let mut bytes = ready_command();
        bytes.extend(frame(b"<IDS|MSG>", true));
        bytes.extend(frame(&[b'a'; 64], true));
        bytes.extend(frame(&[b'{'; 1000], true));
        bytes.extend(frame(b"", true));
        bytes.extend(frame(b"{}", false));
        bytes.extend(frame(b"second message", false));
        bytes
    }

    #[test]
    fn well_formed_frames_pass_in_chunks_of_any_size() {
        let stream = conversation();
        for chunk in [1, 2, 3, 7, 9, 64, 255, 256, 4096] {
            let mut checker = FrameChecker::new();
            for piece in stream.chunks(chunk) {
                assert_eq!(checker.feed(piece), Ok(()), "chunks of {chunk}");
            }
            assert!(matches!(checker.state, State::Flags), "chunks of {chunk}");
            assert_eq!(checker.frames(), 7, "chunks of {chunk}");
        }
    }

    #[test]
    fn a_frame_counts_once_its_last_byte_arrives() {
        let mut checker = FrameChecker::new();
        let command = ready_command();
        let (head, last) = command.split_at(command.len() - 1);
        assert_eq!(checker.feed(head), Ok(()));
        assert_eq!(checker.frames(), 0);
        assert_eq!(checker.feed(last), Ok(()));
        assert_eq!(checker.frames(), 1);
        assert_eq!(checker.feed(&frame(b"", false)), Ok(()));
        assert_eq!(checker.frames(), 2);
    }

    #[test]
    fn a_huge_declared_size_is_rejected_when_its_last_byte_arrives() {
        let mut checker = FrameChecker::new();
        let header = long_header(0, 1 << 62);
        assert_eq!(checker.feed(&header[..8]), Ok(()));
        assert_eq!(
            checker.feed(&header[8..]),
            Err(Violation::FrameTooLarge(1 << 62))
        );
    }

    #[test]
    fn the_limit_itself_is_accepted_and_one_more_byte_is_not() {
        let mut checker = FrameChecker::new();
        assert_eq!(
            checker.feed(&long_header(0, MAX_MESSAGE_BYTES - FRAME_COST)),
            Ok(())
        );
        let mut checker = FrameChecker::new();
        assert_eq!(
            checker.feed(&long_header(0, MAX_MESSAGE_BYTES + 1)),
            Err(Violation::FrameTooLarge(MAX_MESSAGE_BYTES + 1))
        );
    }

    #[test]
    fn reserved_flag_bits_are_rejected_after_a_good_frame() {
        for flags in [0b1000, 0b1000_0000, 0xff, 0x41] {
            let mut checker = FrameChecker::new();
            let mut stream = frame(b"fine", false);
            stream.push(flags);
            stream.push(0);
            assert_eq!(
                checker.feed(&stream),
                Err(Violation::ReservedFlags(flags)),
                "{flags:#x}"
            );
        }
    }

    #[test]
    fn commands_are_small_and_never_multipart() {
        let mut checker = FrameChecker::new();
        assert_eq!(
            checker.feed(&[COMMAND | MORE, 0]),
            Err(Violation::CommandWithMore)
        );
        let mut checker = FrameChecker::new();
        assert_eq!(
            checker.feed(&long_header(COMMAND, MAX_COMMAND_BYTES + 1)),
            Err(Violation::CommandTooLarge(MAX_COMMAND_BYTES + 1))
        );
    }

    #[test]
    fn a_multipart_message_is_bounded_as_a_whole() {
        let part = MAX_MESSAGE_BYTES / 4;
        let mut checker = FrameChecker::new();
        for _ in 0..3 {
            assert_eq!(checker.feed(&long_header(MORE, part)), Ok(()));
            assert_eq!(feed_body(&mut checker, part), Ok(()));
        }
        assert_eq!(
            checker.feed(&long_header(0, part)),
            Err(Violation::MessageTooLarge)
        );
    }

    #[test]
    fn the_message_budget_starts_again_after_the_last_frame() {
        let part = MAX_MESSAGE_BYTES / 2;
        let mut checker = FrameChecker::new();
        for _ in 0..3 {
            assert_eq!(checker.feed(&long_header(0, part)), Ok(()));
            assert_eq!(feed_body(&mut checker, part), Ok(()));
        }
        assert!(matches!(checker.state, State::Flags));
    }

    #[test]
    fn a_flood_of_empty_frames_is_bounded() {
        let mut checker = FrameChecker::new();
        let empties = MAX_MESSAGE_BYTES / FRAME_COST;
        let stream: Vec<u8> = [MORE, 0].repeat(empties as usize);
        assert_eq!(checker.feed(&stream), Ok(()));
        assert_eq!(checker.feed(&[MORE, 0]), Err(Violation::MessageTooLarge));
    }

    #[test]
    fn greetings_are_checked() {
        assert_eq!(check_greeting(&greeting()), Ok(()));
        let mut libzmq = greeting();
        libzmq[8] = 1; // libzmq puts a length in the padding
        libzmq[11] = 1;
        assert_eq!(check_greeting(&libzmq), Ok(()));

        let mut bad = greeting();
        bad[0] = b'G';
        assert_eq!(check_greeting(&bad), Err(Violation::NotZmtp));
        let mut bad = greeting();
        bad[10] = 2;
        assert_eq!(check_greeting(&bad), Err(Violation::Version(2)));
        let mut bad = greeting();
        bad[12..17].copy_from_slice(b"CURVE");
        assert_eq!(check_greeting(&bad), Err(Violation::Mechanism));
        let mut bad = greeting();
        bad[20] = b'X';
        assert_eq!(check_greeting(&bad), Err(Violation::Mechanism));
    }
}
