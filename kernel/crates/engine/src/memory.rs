//! Giving memory back to the machine: the kernel process holds evcxr's
//! rust-analyzer, whose start-up (reading `cargo metadata`, loading every
//! source file of the sysroot and of the course library's dependencies)
//! frees hundreds of megabytes that glibc's allocator would otherwise keep
//! for the life of the kernel. In a class, that is multiplied by every
//! student's kernel.

/// How many malloc arenas the kernel's threads share. glibc's default (8
/// per core) lets each of rust-analyzer's short-lived threads fragment an
/// arena of its own; the kernel's work is one job at a time.
const ARENAS: libc::c_int = 2;

/// Caps the allocator's arenas ([`ARENAS`]). Call it once, early, in the
/// kernel process (not in the cell process, whose allocations are the
/// student's).
pub fn limit_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes a setting of the allocator.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, ARENAS);
    }
}

/// How long the process must have asked for no release before one is made:
/// rust-analyzer frees parse trees on a thread of its own, moments after
/// the work that made them, and a burst of cells needs one release only.
const QUIET: std::time::Duration = std::time::Duration::from_millis(200);

/// Asks for the allocator's free pages to be returned to the system
/// (`malloc_trim`) once the process has been quiet for a moment ([`QUIET`]),
/// on a thread of its own: the job that asked is not delayed. `after` names
/// what freed the memory, for the debug log.
pub fn release_soon(after: &'static str) {
    use std::sync::{OnceLock, mpsc};
    static REQUESTS: OnceLock<mpsc::Sender<&'static str>> = OnceLock::new();
    let requests = REQUESTS.get_or_init(|| {
        let (send, receive) = mpsc::channel::<&'static str>();
        let spawned = std::thread::Builder::new()
            .name("memory-release".into())
            .spawn(move || {
                while let Ok(mut label) = receive.recv() {
                    // Wait for a quiet moment: later requests restart it.
                    while let Ok(later) = receive.recv_timeout(QUIET) {
                        label = later;
                    }
                    release(label);
                }
            });
        if let Err(error) = spawned {
            log::debug!("no thread to return memory: {error}");
        }
        send
    });
    let _ = requests.send(after);
}

/// Returns the allocator's free pages to the system now, and logs the
/// process's resident memory before and after.
fn release(after: &str) {
    let before = resident_mb();
    let started = std::time::Instant::now();
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free memory; allocations stay valid.
    unsafe {
        libc::malloc_trim(0);
    }
    log::debug!(
        "after {after}: resident {before} MB, {} MB once free memory was returned ({:.0} ms)",
        resident_mb(),
        started.elapsed().as_secs_f64() * 1000.0
    );
}

/// The process's resident memory, in MB (0 when `/proc` cannot tell).
pub fn resident_mb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .as_deref()
        .and_then(resident_kb)
        .map_or(0, |kb| kb / 1024)
}

/// The `VmRSS` line of a `/proc/PID/status` text, in kB.
fn resident_kb(status: &str) -> Option<u64> {
    let line = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))?;
    line.trim().trim_end_matches("kB").trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_resident_size() {
        let status = "Name:\trcourse\nVmPeak:\t  900000 kB\nVmRSS:\t  123456 kB\nThreads:\t4\n";
        assert_eq!(resident_kb(status), Some(123_456));
        assert_eq!(resident_kb("Name:\tx\n"), None);
        assert!(resident_mb() > 0);
    }

    #[test]
    fn releasing_soon_returns_at_once_and_releases_later() {
        let started = std::time::Instant::now();
        release_soon("test");
        release_soon("test");
        assert!(started.elapsed() < QUIET);
    }

    #[test]
    fn releasing_keeps_allocations_valid() {
        let kept: Vec<Vec<u8>> = (0..64).map(|i| vec![i as u8; 64 * 1024]).collect();
        let freed: Vec<Vec<u8>> = (0..64).map(|_| vec![0u8; 64 * 1024]).collect();
        drop(freed);
        release("test");
        assert!(
            kept.iter()
                .enumerate()
                .all(|(i, v)| v.iter().all(|&b| b == i as u8))
        );
    }
}
