//! The wire: ZeroMQ sockets, HMAC signing and verification, framing.
//!
//! Everything that can go wrong on the network is handled here: a message
//! with a bad signature or malformed frames is logged and dropped, and every
//! loop keeps serving after a socket error. The layers above see only
//! well-formed, verified [`jupyter_protocol::JupyterMessage`]s.

mod codec;
mod sockets;

pub use sockets::{Publisher, Replier, bind};
