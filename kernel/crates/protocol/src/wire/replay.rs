//! Refusing replayed messages.
//!
//! A signature proves who wrote a message, not that it is new: anyone who
//! sees a signed `execute_request` go by could send the same bytes again
//! and run the cell twice. Every client signs over a fresh `msg_id` and
//! date, so two genuine messages never share a signature; as
//! `jupyter_client` does, the kernel remembers the signatures it accepted
//! and drops a message whose signature it has seen.

use std::collections::{HashSet, VecDeque};
use std::sync::Mutex;

/// How many signatures are remembered (as many as `jupyter_client`
/// keeps); the oldest is forgotten first. At 32 bytes a signature, twice
/// over, the window holds at most a few megabytes.
pub const REPLAY_WINDOW: usize = 1 << 16;

/// A digest of one signature frame: fixed in size whatever the frame's.
type Seen = [u8; 32];

/// The signatures of the last [`REPLAY_WINDOW`] accepted messages, shared
/// by the sockets that receive requests.
pub struct ReplayWindow {
    capacity: usize,
    inner: Mutex<Window>,
}

#[derive(Default)]
struct Window {
    seen: HashSet<Seen>,
    order: VecDeque<Seen>,
}

impl Default for ReplayWindow {
    fn default() -> ReplayWindow {
        ReplayWindow::with_capacity(REPLAY_WINDOW)
    }
}

impl ReplayWindow {
    /// A window that remembers the last `capacity` signatures (at least one).
    pub fn with_capacity(capacity: usize) -> ReplayWindow {
        ReplayWindow {
            capacity: capacity.max(1),
            inner: Mutex::default(),
        }
    }

    /// Records `signature`, a verified message's signature frame; false if
    /// it was already in the window, that is, if the message is a replay.
    pub fn admit(&self, signature: &[u8]) -> bool {
        let digest = ring::digest::digest(&ring::digest::SHA256, signature);
        let mut seen = Seen::default();
        seen.copy_from_slice(digest.as_ref());
        // A panic elsewhere while the lock was held leaves a usable set.
        let mut window = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if !window.seen.insert(seen) {
            return false;
        }
        window.order.push_back(seen);
        if window.order.len() > self.capacity
            && let Some(oldest) = window.order.pop_front()
        {
            window.seen.remove(&oldest);
        }
        true
    }

    /// How many signatures the window holds.
    #[cfg(test)]
    fn len(&self) -> usize {
        let window = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        window.seen.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_is_admitted_once() {
        let window = ReplayWindow::default();
        assert!(window.admit(b"3f2a"));
        assert!(window.admit(b"3f2b"));
        assert!(!window.admit(b"3f2a"));
        assert!(!window.admit(b"3f2b"));
    }

    #[test]
    fn the_window_forgets_the_oldest_and_stays_bounded() {
        let window = ReplayWindow::with_capacity(3);
        for signature in [b"a", b"b", b"c", b"d"] {
            assert!(window.admit(signature));
        }
        assert_eq!(window.len(), 3);
        assert!(window.admit(b"a"), "the oldest was forgotten");
        assert!(!window.admit(b"c"), "a recent one is still refused");
        assert!(!window.admit(b"d"));
        for i in 0..100u32 {
            window.admit(&i.to_be_bytes());
        }
        assert_eq!(window.len(), 3);
    }

    #[test]
    fn the_default_window_is_as_wide_as_jupyter_clients() {
        let window = ReplayWindow::default();
        for i in 0..REPLAY_WINDOW as u32 {
            assert!(window.admit(&i.to_be_bytes()));
        }
        assert!(!window.admit(&0u32.to_be_bytes()), "still remembered");
        assert!(window.admit(b"one more"));
        assert!(window.admit(&0u32.to_be_bytes()), "now forgotten");
    }
}
