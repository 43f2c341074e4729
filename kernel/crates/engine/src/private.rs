//! Directories that only this user can open, under ancestors that no one
//! else can change.
//!
//! A session directory holds the crate that the kernel compiles and loads,
//! and cargo obeys a `.cargo/config.toml` in every ancestor of the directory
//! it builds in. On a shared server, a directory that another user can
//! write to (a predictable path in `/tmp`, say) would let them run code as
//! the student. So every directory the kernel keeps state in is checked
//! here: the directory itself must belong to this user with mode 0700, and
//! each ancestor must belong to this user or root and be writable by no one
//! else. A failed check is refused with one sentence that names the path
//! and says what to do; nothing is changed or removed.

use anyhow::{Result, bail};
use std::fs::{DirBuilder, OpenOptions};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// Mode bits that let a group or others in.
const OPEN_TO_OTHERS: u32 = 0o077;
/// Mode bits that let a group or others write.
const WRITABLE_BY_OTHERS: u32 = 0o022;

/// This process's effective user id.
pub fn euid() -> u32 {
    // SAFETY: geteuid cannot fail and touches no memory.
    unsafe { libc::geteuid() }
}

/// Whether files owned by `uid` are trusted: root's and this user's. In a
/// user namespace that maps this user alone (the grading sandbox of
/// `rcourse grade`, made by an ordinary user), root's files show the
/// overflow id; they are trusted too, since such a namespace is only made
/// over read-only mounts.
fn trusted_owner(uid: u32) -> bool {
    uid == 0 || uid == euid() || (uid == overflow_uid() && maps_one_user())
}

/// The id that files of users outside this user namespace show.
fn overflow_uid() -> u32 {
    std::fs::read_to_string("/proc/sys/kernel/overflowuid")
        .ok()
        .and_then(|text| text.trim().parse().ok())
        .unwrap_or(65534)
}

/// Whether this process is in a user namespace that maps one user only.
fn maps_one_user() -> bool {
    let Ok(map) = std::fs::read_to_string("/proc/self/uid_map") else {
        return false;
    };
    let lines: Vec<&str> = map.lines().collect();
    matches!(lines.as_slice(), [line] if line.split_whitespace().nth(2) == Some("1"))
}

/// Creates `dir` (mode 0700) if it is missing, then checks that it is a
/// directory of this user's that only they can open, under trusted
/// ancestors ([`check_ancestors`]). Missing ancestors are created 0700 too.
pub fn ensure(dir: &Path) -> Result<PathBuf> {
    if let Err(error) = DirBuilder::new().recursive(true).mode(0o700).create(dir) {
        bail!(
            "cannot create the private directory {}: {error}",
            dir.display()
        );
    }
    check(dir)
}

/// Checks a directory that must exist: see [`ensure`]. Returns its path with
/// the ancestors' symbolic links resolved.
pub fn check(dir: &Path) -> Result<PathBuf> {
    let Some(parent) = dir.parent() else {
        bail!("{} cannot be a private directory", dir.display());
    };
    let name = dir.file_name().unwrap_or_default();
    let parent = parent
        .canonicalize()
        .map_err(|e| anyhow::anyhow!("cannot resolve {}: {e}", parent.display()))?;
    let dir = parent.join(name);
    let meta = std::fs::symlink_metadata(&dir)
        .map_err(|e| anyhow::anyhow!("cannot inspect {}: {e}", dir.display()))?;
    if meta.file_type().is_symlink() || !meta.is_dir() {
        bail!(
            "{} is not a directory (a symbolic link or a file is there): remove it, and rcourse will make its own",
            dir.display()
        );
    }
    if meta.uid() != euid() {
        bail!(
            "{} belongs to user id {}, not to you: remove it (or ask an administrator to), and rcourse will make its own",
            dir.display(),
            meta.uid()
        );
    }
    if meta.mode() & OPEN_TO_OTHERS != 0 {
        bail!(
            "{} can be opened by other users (mode {:o}): run `chmod 700 {}`",
            dir.display(),
            meta.mode() & 0o777,
            dir.display()
        );
    }
    check_ancestors(&parent, Ancestors::NoOneElseWrites).map_err(|error| {
        anyhow::anyhow!(
            "{error:#}: cargo would obey a `.cargo/config.toml` that they put there. Keep rcourse's \
             directories in your home (unset RCOURSE_CACHE_DIR and RCOURSE_SESSIONS_DIR, or point \
             them at a directory of yours)"
        )
    })?;
    Ok(dir)
}

/// What the ancestors of a directory must guard against.
#[derive(Clone, Copy, PartialEq)]
pub enum Ancestors {
    /// No one else may add anything: cargo reads `.cargo/config.toml` from
    /// every ancestor of the directory it builds in.
    NoOneElseWrites,
    /// No one else may replace what is there: a root-owned sticky directory
    /// (`/tmp`) is enough, since only an entry's owner can rename or remove it.
    NoOneElseReplaces,
}

/// Checks that `dir` and each of its ancestors belongs to this user or to
/// root and that no one else can write to it (or, with
/// [`Ancestors::NoOneElseReplaces`], replace entries in it). `dir` must be
/// canonical.
pub fn check_ancestors(dir: &Path, rule: Ancestors) -> Result<()> {
    const STICKY: u32 = 0o1000;
    for ancestor in dir.ancestors() {
        let meta = std::fs::metadata(ancestor)
            .map_err(|e| anyhow::anyhow!("cannot inspect {}: {e}", ancestor.display()))?;
        let owner_trusted = trusted_owner(meta.uid());
        let sticky_root = meta.uid() != euid() && owner_trusted && meta.mode() & STICKY != 0;
        let others_write = meta.mode() & WRITABLE_BY_OTHERS != 0
            && !(rule == Ancestors::NoOneElseReplaces && sticky_root && ancestor != dir);
        if !owner_trusted || others_write {
            let place = if ancestor == dir {
                format!("{}", dir.display())
            } else {
                format!("{}, which holds {},", ancestor.display(), dir.display())
            };
            bail!(
                "{place} can be changed by other users (owner id {}, mode {:o})",
                meta.uid(),
                meta.mode() & 0o7777
            );
        }
    }
    Ok(())
}

/// Opens (creating it with mode 0600 if missing) a lock file without
/// following a symbolic link and without truncating it.
pub fn open_lock_file(path: &Path) -> std::io::Result<std::fs::File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(path)
}

/// Checks that a shared, read-only installation (a warm build, the course
/// library's sources) cannot be changed by anyone but its owner, who must be
/// root or this user: `dir`, its ancestors, and the entries named in
/// `entries`.
pub fn check_installed(dir: &Path, entries: &[&str]) -> Result<()> {
    let dir = dir
        .canonicalize()
        .map_err(|e| anyhow::anyhow!("cannot resolve {}: {e}", dir.display()))?;
    check_ancestors(&dir, Ancestors::NoOneElseReplaces).map_err(|error| {
        anyhow::anyhow!(
            "{error:#}. The installation in {} must be writable by its owner only: ask the administrator to run \
             `chmod -R go-w` on it",
            dir.display()
        )
    })?;
    for entry in entries {
        let path = dir.join(entry);
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if !trusted_owner(meta.uid()) || meta.mode() & WRITABLE_BY_OTHERS != 0 {
            bail!(
                "{} can be changed by other users (owner id {}, mode {:o}): ask the administrator to run \
                 `chmod -R go-w {}`",
                path.display(),
                meta.uid(),
                meta.mode() & 0o7777,
                dir.display()
            );
        }
    }
    Ok(())
}

/// A temporary directory for tests, in the user's cache directory (not in
/// `/tmp`, whose ancestors fail the checks).
#[cfg(test)]
pub(crate) fn test_dir() -> tempfile::TempDir {
    let base = dirs::cache_dir().expect("a cache directory");
    std::fs::create_dir_all(&base).expect("the cache directory can be made");
    tempfile::Builder::new()
        .prefix("rcourse-test-")
        .tempdir_in(base)
        .expect("a test directory")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_new_directory_is_made_private() {
        let root = test_dir();
        let dir = root.path().join("a/b");
        ensure(&dir).unwrap();
        let mode = std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
    }

    #[test]
    fn a_loose_directory_is_refused_and_left_alone() {
        let root = test_dir();
        let dir = root.path().join("loose");
        std::fs::create_dir(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::write(dir.join("work.rs"), "kept").unwrap();
        let error = ensure(&dir).unwrap_err().to_string();
        assert!(error.contains("chmod 700"), "{error}");
        assert!(error.contains(&dir.display().to_string()), "{error}");
        assert_eq!(
            std::fs::read_to_string(dir.join("work.rs")).unwrap(),
            "kept"
        );
    }

    #[test]
    fn a_symbolic_link_is_refused() {
        let root = test_dir();
        let target = root.path().join("target");
        std::fs::create_dir(&target).unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o700)).unwrap();
        let link = root.path().join("link");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let error = ensure(&link).unwrap_err().to_string();
        assert!(error.contains("symbolic link"), "{error}");
    }

    #[test]
    fn a_world_writable_ancestor_is_refused() {
        let error = ensure(&std::env::temp_dir().join(format!("rcourse-t-{}", std::process::id())));
        let _ = std::fs::remove_dir(
            std::env::temp_dir().join(format!("rcourse-t-{}", std::process::id())),
        );
        let error = error.unwrap_err().to_string();
        assert!(error.contains("can be changed by other users"), "{error}");
    }

    #[test]
    fn a_lock_file_symlink_is_not_followed() {
        let root = test_dir();
        let victim = root.path().join("victim");
        std::fs::write(&victim, "precious").unwrap();
        let lock = root.path().join("slot.lock");
        std::os::unix::fs::symlink(&victim, &lock).unwrap();
        assert!(open_lock_file(&lock).is_err());
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    }
}
