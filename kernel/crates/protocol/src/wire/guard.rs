//! The guard in front of the kernel's ZeroMQ sockets.
//!
//! On a shared machine any local user can reach the TCP ports of a
//! connection file, and the `zeromq` crate trusts what a peer declares: a
//! frame header claiming 2^62 bytes makes it reserve that much and abort
//! the process. So the kernel's sockets listen only on Unix sockets in a
//! directory of mode 0700 ([`PrivateDir`]), and the guard owns the TCP
//! ports. For each connection it
//!
//! 1. sends its own ZMTP greeting at once (libzmq sends the 10-byte
//!    signature and waits for the peer's before sending the rest), then
//!    reads the peer's 64-byte greeting and checks it
//!    ([`zmtp::check_greeting`]);
//! 2. connects to the socket's Unix socket, reads and drops that socket's
//!    greeting, and passes the peer's on;
//! 3. copies bytes both ways: from the kernel as they are, from the peer
//!    through a [`FrameChecker`], closing the connection at the first
//!    frame header that breaks ZMTP or the kernel's limits.
//!
//! A peer has [`HANDSHAKE_DEADLINE`] from connecting to send its greeting
//! and its first complete frame (the READY command of the handshake), or
//! it is closed: half-open and silent connections do not pile up.
//!
//! Each connection is a task of its own, so a silent, slow or hostile peer
//! holds up only itself, and a panic in one ends only that connection.

use super::zmtp::{self, FrameChecker, GREETING_LEN};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream, UnixStream};
use tokio::time::{Instant, timeout_at};

/// How long a peer has from connecting to send its greeting and its first
/// complete frame before the connection is closed (libzmq gives 30 s; a
/// local client needs milliseconds).
pub const HANDSHAKE_DEADLINE: Duration = Duration::from_secs(10);

/// How long the accept loop rests after an error (out of file
/// descriptors, say) before it accepts again.
const ACCEPT_PAUSE: Duration = Duration::from_millis(100);

/// The size of the buffer each direction copies through.
const CHUNK: usize = 64 << 10;

/// A directory of mode 0700 for the kernel's Unix sockets, created by this
/// process in the system's temporary directory and removed when the last
/// handle to it is dropped.
pub struct PrivateDir {
    dir: tempfile::TempDir,
}

/// What the directories' names begin with; the creating kernel's pid follows.
const DIR_PREFIX: &str = "rcourse-wire-";

impl PrivateDir {
    /// Creates the directory, named after this process, after removing the
    /// user's directories left by kernels that were killed (SIGKILL).
    pub fn create() -> std::io::Result<PrivateDir> {
        use std::os::unix::fs::PermissionsExt;
        remove_stale_dirs(&std::env::temp_dir());
        let dir = tempfile::Builder::new()
            .prefix(&format!("{DIR_PREFIX}{}-", std::process::id()))
            .permissions(std::fs::Permissions::from_mode(0o700))
            .tempdir()?;
        Ok(PrivateDir { dir })
    }

    /// The directory's path.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// Removes the directories in `temp` that this user's kernels made and that
/// outlived them: owned by this user, named after a process that is gone.
fn remove_stale_dirs(temp: &Path) {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: geteuid cannot fail and touches no memory.
    let me = unsafe { libc::geteuid() };
    let Ok(entries) = std::fs::read_dir(temp) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(DIR_PREFIX)) else {
            continue;
        };
        let Some(Ok(pid)) = rest.split('-').next().map(str::parse::<libc::pid_t>) else {
            continue;
        };
        let ours = std::fs::symlink_metadata(entry.path())
            .is_ok_and(|meta| meta.is_dir() && meta.uid() == me);
        // SAFETY: kill with signal 0 only asks whether the process exists.
        let gone = pid > 0
            && unsafe { libc::kill(pid, 0) } == -1
            && std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH);
        if ours && gone {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// One TCP port of the connection file and the Unix socket behind it.
pub struct Port {
    /// The channel's name, for the log.
    pub name: &'static str,
    /// The TCP port, bound.
    pub listener: TcpListener,
    /// The Unix socket the channel's ZeroMQ socket listens on.
    pub inner: PathBuf,
}

impl Port {
    /// Binds `ip`:`port` for the channel `name` whose socket listens on `inner`.
    pub async fn bind(
        name: &'static str,
        ip: &str,
        port: u16,
        inner: PathBuf,
    ) -> std::io::Result<Port> {
        // libzmq's spelling of "every interface"; IPv6 literals may come bracketed.
        let host = match ip {
            "*" => "0.0.0.0",
            other => other.trim_start_matches('[').trim_end_matches(']'),
        };
        let listener = TcpListener::bind((host, port)).await?;
        Ok(Port {
            name,
            listener,
            inner,
        })
    }

    /// Accepts connections until the runtime stops, guarding each in a
    /// task of its own. `dir` is kept alive as long as the loop runs.
    pub async fn serve(self, dir: Arc<PrivateDir>) {
        let _dir = dir;
        let number = self.listener.local_addr().map_or(0, |a| a.port());
        let inner: Arc<Path> = self.inner.into();
        let mut failing = false;
        loop {
            match self.listener.accept().await {
                Ok((peer, address)) => {
                    failing = false;
                    let connection = Connection {
                        name: self.name,
                        port: number,
                        address,
                    };
                    tokio::spawn(connection.guard(peer, Arc::clone(&inner)));
                }
                Err(error) => {
                    if !failing {
                        log::warn!("{} port {number}: cannot accept: {error}", self.name);
                    }
                    failing = true;
                    tokio::time::sleep(ACCEPT_PAUSE).await;
                }
            }
        }
    }
}

/// One accepted TCP connection, named for the log.
struct Connection {
    name: &'static str,
    port: u16,
    address: SocketAddr,
}

/// How a connection ended.
enum End {
    /// Either side closed it, or the peer went away before its greeting.
    Closed,
    /// The peer broke the protocol or the kernel's limits.
    Refused(zmtp::Violation),
    /// The peer did not complete its handshake in time.
    Silent,
    /// A read or write failed.
    Failed(std::io::Error),
}

impl From<std::io::Error> for End {
    fn from(error: std::io::Error) -> End {
        match error.kind() {
            std::io::ErrorKind::UnexpectedEof
            | std::io::ErrorKind::ConnectionReset
            | std::io::ErrorKind::BrokenPipe => End::Closed,
            _ => End::Failed(error),
        }
    }
}

impl Connection {
    /// Checks the peer's greeting, then relays it and everything after it
    /// to the Unix socket `inner`, checking each frame the peer sends.
    async fn guard(self, mut peer: TcpStream, inner: Arc<Path>) {
        // Answers go out as soon as they are written, as ZeroMQ's own sockets do.
        let _ = peer.set_nodelay(true);
        let deadline = Instant::now() + HANDSHAKE_DEADLINE;
        let end = match timeout_at(deadline, greet(&mut peer, &inner)).await {
            Err(_) => End::Silent,
            Ok(Err(end)) => end,
            Ok(Ok((kernel, greeting))) => relay(peer, kernel, greeting, deadline)
                .await
                .err()
                .unwrap_or(End::Closed),
        };
        let (name, port, address) = (self.name, self.port, self.address);
        match end {
            End::Closed => {}
            End::Refused(violation) => {
                log::warn!("{name} port {port}: closed the connection from {address}: {violation}");
            }
            End::Silent => log::debug!(
                "{name} port {port}: closed the connection from {address}: \
                 no handshake within {}s",
                HANDSHAKE_DEADLINE.as_secs()
            ),
            End::Failed(error) => {
                log::debug!("{name} port {port}: the connection from {address} failed: {error}");
            }
        }
    }
}

/// The greeting exchange: ours to the peer, the peer's checked, then the
/// connection to the kernel's socket with its greeting read and dropped.
/// Returns that connection and the peer's greeting, still to be passed on.
async fn greet(
    peer: &mut TcpStream,
    inner: &Path,
) -> Result<(UnixStream, [u8; GREETING_LEN]), End> {
    peer.write_all(&zmtp::greeting()).await?;
    let mut greeting = [0; GREETING_LEN];
    peer.read_exact(&mut greeting).await?;
    zmtp::check_greeting(&greeting).map_err(End::Refused)?;
    let mut kernel = UnixStream::connect(inner).await.map_err(End::Failed)?;
    let mut dropped = [0; GREETING_LEN];
    kernel.read_exact(&mut dropped).await.map_err(End::Failed)?;
    Ok((kernel, greeting))
}

/// Copies both ways until the kernel's side closes, or the peer's side
/// closes and the kernel's follows, or the peer sends a frame the checker
/// refuses, or its first frame is not complete by `deadline`.
async fn relay(
    peer: TcpStream,
    kernel: UnixStream,
    greeting: [u8; GREETING_LEN],
    deadline: Instant,
) -> Result<(), End> {
    let (peer_read, peer_write) = peer.into_split();
    let (kernel_read, mut kernel_write) = kernel.into_split();
    kernel_write.write_all(&greeting).await?;
    let upstream = checked_copy(peer_read, kernel_write, deadline);
    let downstream = plain_copy(kernel_read, peer_write);
    tokio::pin!(upstream, downstream);
    tokio::select! {
        // The kernel's socket let the peer go: nothing more can be answered.
        done = &mut downstream => done,
        // The peer has sent all it will; its answers may still be on their way.
        done = &mut upstream => {
            done?;
            downstream.await
        }
    }
}

/// Copies the peer's frames to the kernel, refusing the first bad header
/// before any byte of the read that carries it goes on, and a peer whose
/// first frame is not complete by `deadline`.
async fn checked_copy(
    mut from: impl AsyncRead + Unpin,
    mut to: impl AsyncWrite + Unpin,
    deadline: Instant,
) -> Result<(), End> {
    let mut checker = FrameChecker::new();
    let mut buffer = vec![0; CHUNK];
    loop {
        let read = if checker.frames() == 0 {
            timeout_at(deadline, from.read(&mut buffer))
                .await
                .map_err(|_| End::Silent)??
        } else {
            from.read(&mut buffer).await?
        };
        if read == 0 {
            to.shutdown().await?;
            return Ok(());
        }
        checker.feed(&buffer[..read]).map_err(End::Refused)?;
        to.write_all(&buffer[..read]).await?;
    }
}

/// Copies the kernel's bytes to the peer as they are.
async fn plain_copy(
    mut from: impl AsyncRead + Unpin,
    mut to: impl AsyncWrite + Unpin,
) -> Result<(), End> {
    tokio::io::copy(&mut from, &mut to).await?;
    to.shutdown().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::net::UnixListener;
    use tokio::sync::oneshot;

    /// A stand-in for a ZeroMQ socket behind the guard: it sends a
    /// greeting, then `answer`, and reports everything it received.
    fn fake_socket(path: &Path, answer: &'static [u8]) -> oneshot::Receiver<Vec<u8>> {
        let listener = UnixListener::bind(path).unwrap();
        let (report, received) = oneshot::channel();
        tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.unwrap();
            stream.write_all(&zmtp::greeting()).await.unwrap();
            stream.write_all(answer).await.unwrap();
            let mut all = Vec::new();
            let _ = stream.read_to_end(&mut all).await;
            let _ = report.send(all);
        });
        received
    }

    /// A guard on a free port of 127.0.0.1 in front of `inner`.
    async fn guard_in_front_of(inner: &Path) -> SocketAddr {
        let port = Port::bind("test", "127.0.0.1", 0, inner.to_owned())
            .await
            .unwrap();
        let address = port.listener.local_addr().unwrap();
        tokio::spawn(port.serve(Arc::new(PrivateDir::create().unwrap())));
        address
    }

    /// Reads until the guard closes the connection.
    async fn read_until_closed(stream: &mut TcpStream) -> Vec<u8> {
        let mut all = Vec::new();
        let read = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut all));
        read.await
            .expect("the guard closed the connection")
            .unwrap();
        all
    }

    #[tokio::test]
    async fn frames_pass_both_ways_and_a_huge_header_never_reaches_the_socket() {
        let dir = PrivateDir::create().unwrap();
        let inner = dir.path().join("socket");
        let received = fake_socket(&inner, b"\x04\x05READY");
        let address = guard_in_front_of(&inner).await;

        let mut peer = TcpStream::connect(address).await.unwrap();
        // The guard greets first, as libzmq peers expect.
        let mut greeting = [0; GREETING_LEN];
        peer.read_exact(&mut greeting).await.unwrap();
        assert_eq!(greeting, zmtp::greeting());
        let good = b"\x04\x05READY\x00\x02{}";
        let mut sent = zmtp::greeting().to_vec();
        sent.extend_from_slice(good);
        peer.write_all(&sent).await.unwrap();
        let mut answer = [0; 7];
        peer.read_exact(&mut answer).await.unwrap();
        assert_eq!(&answer, b"\x04\x05READY");

        let mut huge = vec![0x02];
        huge.extend_from_slice(&(1u64 << 62).to_be_bytes());
        peer.write_all(&huge).await.unwrap();
        assert!(read_until_closed(&mut peer).await.is_empty());
        let received = received.await.unwrap();
        assert_eq!(
            received, sent,
            "the socket got the greeting and good frames only"
        );
    }

    #[tokio::test]
    async fn a_bad_greeting_is_refused_before_the_socket_is_reached() {
        let dir = PrivateDir::create().unwrap();
        let inner = dir.path().join("socket");
        let received = fake_socket(&inner, b"");
        let address = guard_in_front_of(&inner).await;

        let mut peer = TcpStream::connect(address).await.unwrap();
        peer.write_all(&[b'G'; GREETING_LEN]).await.unwrap();
        assert_eq!(read_until_closed(&mut peer).await, zmtp::greeting());
        let reached = tokio::time::timeout(Duration::from_millis(200), received).await;
        assert!(reached.is_err(), "the socket was connected to");
    }

    #[test]
    fn the_private_directory_is_private_and_removed_with_its_handle() {
        use std::os::unix::fs::PermissionsExt;
        let dir = PrivateDir::create().unwrap();
        let path = dir.path().to_owned();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
        drop(dir);
        assert!(!path.exists());
    }

    #[test]
    fn directories_of_killed_kernels_are_removed_and_live_ones_kept() {
        let temp = tempfile::tempdir().unwrap();
        let mut gone = std::process::Command::new("true").spawn().unwrap();
        let gone_pid = gone.id();
        gone.wait().unwrap();
        let stale = temp.path().join(format!("{DIR_PREFIX}{gone_pid}-abc"));
        let live = temp
            .path()
            .join(format!("{DIR_PREFIX}{}-def", std::process::id()));
        let other = temp.path().join("unrelated");
        for dir in [&stale, &live, &other] {
            std::fs::create_dir(dir).unwrap();
        }
        remove_stale_dirs(temp.path());
        assert!(!stale.exists(), "a killed kernel's directory is removed");
        assert!(live.exists() && other.exists());
    }
}
