//! Session directories that outlive their kernel, within a budget.
//!
//! evcxr compiles every cell of a session as the same crate in one
//! directory. When that directory is kept for the next kernel, the crate's
//! incremental cache (the variable store, the course library's glue) is
//! already warm. Two live kernels must never share one, so each directory
//! (`slot-N`) is held with an exclusive file lock for the kernel's lifetime;
//! a kernel takes the first free slot. A kernel that is killed releases its
//! lock with its process, so its slot is reused or cleaned like any other.
//!
//! Slots live in a private directory of the user's ([`crate::private`]).
//! Each is a copy of the warm build (a few hundred MB), so after taking its
//! own, a kernel removes the idle slots that exceed the budget, least
//! recently used first: at most [`KEEP_IDLE`] idle slots and
//! [`DEFAULT_BUDGET_MB`] MB of them (`RCOURSE_SESSIONS_BUDGET_MB`).

use crate::private;
use anyhow::{Context, Result};
use std::fs::{File, TryLockError};
use std::os::unix::fs::{DirBuilderExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// How many kernels of one user may run at once.
const MAX_SLOTS: usize = 32;
/// How many idle slots are kept for the next kernels.
pub const KEEP_IDLE: usize = 2;
/// How much disk the idle slots may take, in MB, unless
/// `RCOURSE_SESSIONS_BUDGET_MB` says otherwise.
pub const DEFAULT_BUDGET_MB: u64 = 1024;

/// Where slots live: `$RCOURSE_SESSIONS_DIR`, else `sessions/` in the
/// kernel's cache directory ([`crate::warm::cache_root`]), which is in the
/// user's home, never in a directory that other users can write to.
pub fn default_root() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("RCOURSE_SESSIONS_DIR") {
        return Ok(PathBuf::from(dir));
    }
    Ok(crate::warm::cache_root()?.join("sessions"))
}

/// A session directory held by this kernel.
pub struct Slot {
    /// Where evcxr compiles.
    pub dir: PathBuf,
    /// Held open: the lock is released when the kernel exits, however it exits.
    _lock: File,
}

/// Takes the first free slot under `root` (a private directory, made if
/// missing), then trims the idle slots to the budget.
pub fn acquire(root: &Path) -> Result<Slot> {
    let root = private::ensure(root)?;
    for n in 0..MAX_SLOTS {
        let Some(lock) = try_lock(&root, n)? else {
            continue;
        };
        let dir = root.join(format!("slot-{n}"));
        match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
            Ok(()) => {}
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(error) => {
                return Err(error).with_context(|| format!("cannot create {}", dir.display()));
            }
        }
        let dir = private::check(&dir)?;
        // The lock file's time says when the slot was last taken.
        let _ = lock.set_modified(SystemTime::now());
        trim(&root, budget_bytes());
        return Ok(Slot { dir, _lock: lock });
    }
    anyhow::bail!(
        "all {MAX_SLOTS} session directories in {} are used by running kernels of yours: shut some down",
        root.display()
    )
}

/// Locks slot `n`'s lock file, or answers `None` when a live kernel holds it.
fn try_lock(root: &Path, n: usize) -> Result<Option<File>> {
    let path = root.join(format!("slot-{n}.lock"));
    let lock = private::open_lock_file(&path)
        .with_context(|| format!("cannot open the lock file {}", path.display()))?;
    match lock.try_lock() {
        Ok(()) => Ok(Some(lock)),
        Err(TryLockError::WouldBlock) => Ok(None),
        Err(TryLockError::Error(error)) => {
            Err(error).with_context(|| format!("cannot lock {}", path.display()))
        }
    }
}

fn budget_bytes() -> u64 {
    let mb = std::env::var("RCOURSE_SESSIONS_BUDGET_MB")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(DEFAULT_BUDGET_MB);
    mb.saturating_mul(1 << 20)
}

/// An idle slot, locked while it is looked at and perhaps removed.
struct Idle {
    dir: PathBuf,
    last_used: SystemTime,
    bytes: u64,
    _lock: File,
}

/// Removes idle slots beyond [`KEEP_IDLE`] or `budget` bytes, least
/// recently used first. Slots held by live kernels are never touched.
/// Returns the directories removed.
pub fn trim(root: &Path, budget: u64) -> Vec<PathBuf> {
    let mut idle: Vec<Idle> = (0..MAX_SLOTS)
        .filter(|n| root.join(format!("slot-{n}")).is_dir())
        .filter_map(|n| {
            let lock = try_lock(root, n).ok().flatten()?;
            let last_used = lock.metadata().and_then(|m| m.modified()).ok()?;
            let dir = root.join(format!("slot-{n}"));
            Some(Idle {
                bytes: disk_usage(&dir),
                dir,
                last_used,
                _lock: lock,
            })
        })
        .collect();
    idle.sort_by_key(|slot| std::cmp::Reverse(slot.last_used));
    let mut kept_bytes = 0u64;
    let mut removed = Vec::new();
    for (rank, slot) in idle.iter().enumerate() {
        if rank < KEEP_IDLE && kept_bytes + slot.bytes <= budget {
            kept_bytes += slot.bytes;
            continue;
        }
        match std::fs::remove_dir_all(&slot.dir) {
            Ok(()) => removed.push(slot.dir.clone()),
            Err(error) => log::warn!("cannot remove {}: {error}", slot.dir.display()),
        }
    }
    removed
}

/// The disk space that the files under `dir` take, in bytes.
fn disk_usage(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|entry| match entry.metadata() {
            Ok(meta) if meta.is_dir() => disk_usage(&entry.path()),
            Ok(meta) => meta.blocks() * 512,
            Err(_) => 0,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn private_root() -> tempfile::TempDir {
        private::test_dir()
    }

    #[test]
    fn a_held_slot_is_not_given_twice() {
        let temp = private_root();
        let root = temp.path().join("sessions");
        let first = acquire(&root).unwrap();
        let second = acquire(&root).unwrap();
        assert_ne!(first.dir, second.dir);
        let first_dir = first.dir.clone();
        drop(first);
        let third = acquire(&root).unwrap();
        assert_eq!(third.dir, first_dir, "a released slot is reused");
    }

    #[test]
    fn idle_slots_beyond_the_budget_go_least_recently_used_first() {
        let temp = private_root();
        let root = temp.path().join("sessions");
        let held: Vec<Slot> = (0..4).map(|_| acquire(&root).unwrap()).collect();
        let dirs: Vec<PathBuf> = held.iter().map(|slot| slot.dir.clone()).collect();
        for dir in &dirs {
            std::fs::write(dir.join("data"), vec![7u8; 64 << 10]).unwrap();
        }
        // Slot 0 was used last; the order of use is 3, 2, 1, 0 (oldest first).
        for (age, slot) in held.iter().enumerate() {
            let when = SystemTime::now() - std::time::Duration::from_secs(60 * age as u64);
            slot._lock.set_modified(when).unwrap();
        }
        let live = acquire(&root).unwrap();
        drop(held);
        let removed = trim(&root, u64::MAX);
        assert_eq!(removed, vec![dirs[2].clone(), dirs[3].clone()]);
        assert!(live.dir.is_dir(), "a live kernel's slot is kept");
        let removed = trim(&root, 100 << 10);
        assert_eq!(
            removed,
            vec![dirs[1].clone()],
            "one 64 KiB slot fits 100 KiB"
        );
        assert!(dirs[0].is_dir());
    }

    #[test]
    fn a_loose_sessions_directory_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let root = private_root();
        std::fs::set_permissions(root.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let error = acquire(root.path()).err().unwrap().to_string();
        assert!(error.contains("chmod 700"), "{error}");
    }
}
