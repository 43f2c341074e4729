//! The wire: ZeroMQ sockets, the guard in front of them, HMAC signing and
//! verification, replay refusal, framing.
//!
//! Everything that can go wrong on the network is handled here. With the
//! TCP transport, which any local user can reach, the connection file's
//! ports belong to a [guard] that checks each connection's ZMTP greeting
//! and every frame header before the ZeroMQ sockets see them (those listen
//! only on Unix sockets in a private directory): a peer that sends
//! garbage, stays silent, or declares a frame larger than
//! [`MAX_MESSAGE_BYTES`](zmtp::MAX_MESSAGE_BYTES) loses its connection,
//! never the kernel. Behind the guard, a message with a bad signature or
//! malformed frames is logged and dropped, as is a correctly signed
//! message replayed byte for byte ([`replay`]); every loop keeps serving
//! after a socket error. An empty key (no signing) is allowed, as Jupyter
//! allows it, with a warning. The layers above see only well-formed,
//! verified, new [`jupyter_protocol::JupyterMessage`]s.

mod codec;
mod guard;
mod replay;
mod sockets;
mod zmtp;

pub use sockets::{Publisher, Replier, bind};
