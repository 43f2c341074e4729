//! The warm build: the course library and its dependencies compiled once, at
//! install time, and copied into every new session.
//!
//! evcxr compiles each session in a fresh directory, so a path dependency
//! such as `course_lib` would otherwise be rebuilt (over a minute) whenever a
//! notebook starts. `rcourse install` runs the same preload that a session
//! runs, in a cache directory; a session starts from a copy of it, and cargo
//! finds every dependency up to date.

use super::preload;
use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Describes a finished warm build; written last, so its presence means done.
pub const MANIFEST: &str = "rcourse-warm.json";
/// The lock file with the course library's dependencies resolved.
const LOCK: &str = "rcourse-warm.lock";
/// Locked while the warm build is written (exclusively) or copied (shared),
/// so that installs and kernels started at the same time never see a half
/// written build.
const FLOCK: &str = "rcourse-warm.flock";
/// What a session copies from the warm build.
const SEEDS: [&str; 3] = ["Cargo.toml", "Cargo.lock", "target"];

#[derive(Serialize, Deserialize, PartialEq)]
struct Manifest {
    course_lib: PathBuf,
    rcourse_version: String,
    /// Identifies the built dependency set (the lock file and cargo's unit
    /// hashes): a session directory seeded from another set is seeded again.
    build_id: u64,
}

/// The course library's sources: `$RCOURSE_COURSE_LIB`, or `course-lib/`
/// beside the kernel's own crate in the workspace it was built from.
pub fn course_lib_dir() -> Option<PathBuf> {
    let candidate = std::env::var_os("RCOURSE_COURSE_LIB")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../course-lib"));
    candidate
        .join("Cargo.toml")
        .is_file()
        .then(|| candidate.canonicalize().ok())
        .flatten()
}

/// Where warm builds are kept: `$RCOURSE_CACHE_DIR`, or `rcourse/` in the
/// user's cache directory.
pub fn cache_root() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("RCOURSE_CACHE_DIR") {
        return Ok(PathBuf::from(dir));
    }
    dirs::cache_dir()
        .map(|dir| dir.join("rcourse"))
        .context("no cache directory is known for this user; set RCOURSE_CACHE_DIR")
}

/// The warm build directory for `course_lib` with this toolchain, in `root`.
fn warm_dir_for(course_lib: &Path, root: &Path) -> Result<PathBuf> {
    let rustc = Command::new("rustc")
        .arg("-vV")
        .output()
        .context("cannot run `rustc -vV`")?;
    let mut hasher = DefaultHasher::new();
    course_lib.hash(&mut hasher);
    rustc.stdout.hash(&mut hasher);
    // evcxr links with lld or mold when it finds them, and the linker is part
    // of every dependency's build flags.
    for linker in ["lld", "mold"] {
        on_path(linker).hash(&mut hasher);
    }
    env!("CARGO_PKG_VERSION").hash(&mut hasher);
    Ok(root.join(format!("warm-{:016x}", hasher.finish())))
}

/// The finished warm build of this course library for this toolchain and
/// this version of rcourse, if `rcourse install` has made it.
pub fn finished() -> Option<PathBuf> {
    let dir = warm_dir_for(&course_lib_dir()?, &cache_root().ok()?).ok()?;
    dir.join(MANIFEST).is_file().then_some(dir)
}

/// Whether an executable file named `program` is in a directory on PATH.
pub fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

/// Builds (or brings up to date) the warm build of `course_lib` in `root`
/// and returns its directory. Must run before any other thread starts: it
/// points evcxr at the directory through the environment.
pub fn prepare(course_lib: &Path, root: &Path) -> Result<PathBuf> {
    let dir = warm_dir_for(course_lib, root)?;
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("cannot create the cache directory {}", dir.display()))?;
    let flock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(FLOCK))
        .with_context(|| format!("cannot open the lock file in {}", dir.display()))?;
    flock
        .lock()
        .with_context(|| format!("cannot lock the warm build in {}", dir.display()))?;
    let _ = std::fs::set_permissions(dir.join(FLOCK), std::fs::Permissions::from_mode(0o644));
    let _ = std::fs::remove_file(dir.join(MANIFEST));
    isolate_evcxr(&dir);
    find_std_library()?;
    let (mut context, _outputs) =
        evcxr::CommandContext::new().map_err(|e| anyhow::anyhow!("cannot start evcxr: {e}"))?;
    context
        .execute(&preload::course_lib(course_lib))
        .map_err(|e| {
            anyhow::anyhow!(
                "the course library does not build: {}",
                super::diagnostics::plain(&e)
            )
        })?;
    drop(context);
    super::analysis::prepare(&dir)?;
    std::fs::copy(dir.join("Cargo.lock"), dir.join(LOCK)).context("cannot keep the lock file")?;
    let manifest = Manifest {
        course_lib: course_lib.to_owned(),
        rcourse_version: env!("CARGO_PKG_VERSION").to_owned(),
        build_id: build_id(&dir),
    };
    std::fs::write(dir.join(MANIFEST), serde_json::to_vec_pretty(&manifest)?)?;
    Ok(dir)
}

/// Locks the warm build in `dir` for writing, if no kernel is copying it
/// and no install is writing it; the lock lasts as long as the file.
pub fn lock_exclusively(dir: &Path) -> Option<std::fs::File> {
    let flock = std::fs::File::open(dir.join(FLOCK)).ok()?;
    flock.try_lock().ok()?;
    Some(flock)
}

/// Lets the cell process load the standard library wherever the session
/// directory is: compiled cells find it through a run path relative to
/// their own location, which rustc computes for cargo's `deps/` directory
/// while evcxr loads them from its parent, so the relative path lands right
/// only when the session directory shares no leading directories with the
/// toolchain. Must run before any other thread starts.
pub fn find_std_library() -> Result<()> {
    let output = Command::new("rustc")
        .args(["--print", "target-libdir"])
        .output()
        .context("cannot run `rustc --print target-libdir`")?;
    let libdir = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    let mut paths = vec![PathBuf::from(libdir)];
    paths.extend(
        std::env::var_os("LD_LIBRARY_PATH")
            .map_or_else(Vec::new, |p| std::env::split_paths(&p).collect()),
    );
    let joined = std::env::join_paths(paths)?;
    // SAFETY: called while the process has a single thread.
    unsafe { std::env::set_var("LD_LIBRARY_PATH", joined) };
    Ok(())
}

/// A hash of the warm build's lock file and of cargo's fingerprints: the
/// names of its units, which change with a dependency's version or flags,
/// and when each was last built (its `invoked.timestamp`), which changes
/// when a crate is rebuilt from edited sources. A rebuilt course library is
/// then seeded again into every session directory.
fn build_id(dir: &Path) -> u64 {
    let mut hasher = DefaultHasher::new();
    std::fs::read(dir.join(LOCK))
        .unwrap_or_default()
        .hash(&mut hasher);
    let mut units: Vec<_> = std::fs::read_dir(dir.join("target"))
        .into_iter()
        .flatten()
        .flatten()
        .flat_map(|triple| std::fs::read_dir(triple.path().join("debug/.fingerprint")))
        .flatten()
        .flatten()
        .map(|unit| unit.path())
        .collect();
    units.sort();
    for unit in units {
        unit.file_name().hash(&mut hasher);
        std::fs::metadata(unit.join("invoked.timestamp"))
            .and_then(|meta| meta.modified())
            .ok()
            .hash(&mut hasher);
    }
    hasher.finish()
}

/// Points evcxr at `dir` to compile in, and keeps a user's own evcxr
/// configuration (opt level, prelude) out of the course's sessions.
///
/// Must run before any other thread starts.
pub fn isolate_evcxr(dir: &Path) {
    // SAFETY: called while the process has a single thread, so nothing
    // reads the environment concurrently.
    unsafe {
        std::env::set_var("EVCXR_TMPDIR", dir);
        std::env::set_var("EVCXR_CONFIG_DIR", dir.join("evcxr-config"));
    }
}

/// A session directory seeded from a warm build.
pub struct Seeded {
    /// The course library the warm build was made from.
    pub course_lib: PathBuf,
    lock: PathBuf,
    session_dir: PathBuf,
}

impl Seeded {
    /// Puts back the warm build's lock file (evcxr's start-up cell, built
    /// without dependencies, prunes it), so that loading the course library
    /// resolves nothing anew.
    pub fn restore_lock_file(&self) {
        if let Err(error) = std::fs::copy(&self.lock, self.session_dir.join("Cargo.lock")) {
            log::warn!("cannot restore the warm lock file: {error}");
        }
    }
}

/// Seeds `session_dir` from the warm build in `warm`, unless it was seeded
/// from this very build before (a reused session directory keeps its caches).
pub fn seed_session(warm: &Path, session_dir: &Path) -> Result<Seeded> {
    crate::private::check_installed(
        warm,
        &[MANIFEST, LOCK, FLOCK, "Cargo.toml", "Cargo.lock", "target"],
    )?;
    // Read-only: a warm build installed for everyone is shared, and a
    // shared lock needs no write access.
    let flock = std::fs::File::open(warm.join(FLOCK))
        .with_context(|| format!("cannot open the lock file in {}", warm.display()))?;
    flock
        .lock_shared()
        .with_context(|| format!("cannot lock the warm build in {}", warm.display()))?;
    let manifest_bytes = std::fs::read(warm.join(MANIFEST)).ok();
    let manifest: Manifest = manifest_bytes
        .as_deref()
        .and_then(|bytes| serde_json::from_slice(bytes).ok())
        .with_context(|| {
            format!(
                "the warm build in {} is missing or incomplete; run `rcourse install` again",
                warm.display()
            )
        })?;
    crate::private::check_installed(&manifest.course_lib, &["Cargo.toml", "src"])?;
    let seeded_from: Option<Manifest> = std::fs::read(session_dir.join(MANIFEST))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok());
    if seeded_from.as_ref() != Some(&manifest) {
        copy_seeds(warm, session_dir)?;
        std::fs::write(
            session_dir.join(MANIFEST),
            manifest_bytes.unwrap_or_default(),
        )?;
    }
    Ok(Seeded {
        course_lib: manifest.course_lib,
        lock: warm.join(LOCK),
        session_dir: session_dir.to_owned(),
    })
}

/// Empties `session_dir` and copies the warm build's crate into it. On
/// failure (a full disk, say), what was copied is removed again and the
/// error names the directory and cp's own words.
fn copy_seeds(warm: &Path, session_dir: &Path) -> Result<()> {
    // The directory itself stays: it is the kernel's working directory.
    let empty = || -> std::io::Result<()> {
        for entry in std::fs::read_dir(session_dir)? {
            let path = entry?.path();
            if path.is_dir() && !path.is_symlink() {
                std::fs::remove_dir_all(path)?;
            } else {
                std::fs::remove_file(path)?;
            }
        }
        Ok(())
    };
    empty().with_context(|| format!("cannot empty {}", session_dir.display()))?;
    for name in SEEDS {
        let output = Command::new("cp")
            .args(["-a", "--reflink=auto"])
            .arg(warm.join(name))
            .arg(session_dir)
            .output()
            .context("cannot run cp")?;
        if !output.status.success() {
            let _ = empty();
            bail!(
                "cannot copy the warm build into {} ({}); free some disk space there, or set \
                 RCOURSE_SESSIONS_DIR to a directory of yours with room for it",
                session_dir.display(),
                String::from_utf8_lossy(&output.stderr)
                    .lines()
                    .next()
                    .unwrap_or("cp failed")
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rebuilt_unit_changes_the_build_id() {
        let dir = tempfile::tempdir().unwrap();
        let unit = dir
            .path()
            .join("target/x86_64-unknown-linux-gnu/debug/.fingerprint/course_lib-0123");
        std::fs::create_dir_all(&unit).unwrap();
        std::fs::write(dir.path().join(LOCK), "lock").unwrap();
        let stamp = std::fs::File::create(unit.join("invoked.timestamp")).unwrap();
        let first = build_id(dir.path());
        assert_eq!(build_id(dir.path()), first);
        stamp
            .set_modified(std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(7))
            .unwrap();
        assert_ne!(build_id(dir.path()), first, "a rebuild");
    }
}
