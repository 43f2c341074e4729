//! Session directories that outlive their kernel.
//!
//! evcxr compiles every cell of a session as the same crate in one
//! directory. When that directory is kept for the next kernel, the crate's
//! incremental cache (the variable store, the course library's glue) is
//! already warm. Two live kernels must never share one, so each directory
//! (`slot-N`) is held with an exclusive file lock for the kernel's lifetime;
//! a kernel takes the first free slot.

use anyhow::{Context, Result};
use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};

/// How many kernels may run at once before new ones get a throwaway directory.
const MAX_SLOTS: usize = 32;

/// Where slots live: `rcourse-<uid>` in the system's temporary directory.
///
/// Not in the home directory: the compiled cells find the Rust standard
/// library through a run path relative to their own location, which rustc
/// computes for cargo's `deps/` directory; evcxr loads them from its parent,
/// and from there the relative path only lands right when the session
/// directory shares no leading directories with the toolchain.
pub fn default_root() -> PathBuf {
    // SAFETY: getuid cannot fail and touches no memory.
    let uid = unsafe { libc::getuid() };
    std::env::temp_dir().join(format!("rcourse-{uid}"))
}

/// A session directory held by this kernel.
pub struct Slot {
    /// Where evcxr compiles.
    pub dir: PathBuf,
    /// Held open: the lock is released when the kernel exits, however it exits.
    _lock: File,
}

/// Takes the first free slot under `root`.
pub fn acquire(root: &Path) -> Result<Slot> {
    std::fs::create_dir_all(root).with_context(|| format!("cannot create {}", root.display()))?;
    for n in 0..MAX_SLOTS {
        let lock = File::create(root.join(format!("slot-{n}.lock")))
            .with_context(|| format!("cannot create a lock file in {}", root.display()))?;
        match lock.try_lock() {
            Ok(()) => {
                let dir = root.join(format!("slot-{n}"));
                std::fs::create_dir_all(&dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
                return Ok(Slot { dir, _lock: lock });
            }
            Err(TryLockError::WouldBlock) => continue,
            Err(TryLockError::Error(error)) => {
                return Err(error).context("cannot lock a session directory");
            }
        }
    }
    anyhow::bail!("all {MAX_SLOTS} session directories are in use")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_slot_is_not_given_twice() {
        let root = tempfile::tempdir().unwrap();
        let first = acquire(root.path()).unwrap();
        let second = acquire(root.path()).unwrap();
        assert_ne!(first.dir, second.dir);
        let first_dir = first.dir.clone();
        drop(first);
        let third = acquire(root.path()).unwrap();
        assert_eq!(third.dir, first_dir, "a released slot is reused");
    }
}
