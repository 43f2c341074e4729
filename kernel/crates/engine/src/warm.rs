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

/// The warm build directory for `course_lib` with this toolchain.
fn warm_dir_for(course_lib: &Path) -> Result<PathBuf> {
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
    Ok(cache_root()?.join(format!("warm-{:016x}", hasher.finish())))
}

/// The finished warm build of this course library for this toolchain and
/// this version of rcourse, if `rcourse install` has made it.
pub fn finished() -> Option<PathBuf> {
    let dir = warm_dir_for(&course_lib_dir()?).ok()?;
    dir.join(MANIFEST).is_file().then_some(dir)
}

/// Whether an executable file named `program` is in a directory on PATH.
pub fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

/// Builds (or brings up to date) the warm build of `course_lib` and returns
/// its directory. Must run before any other thread starts: it points evcxr
/// at the directory through the environment.
pub fn prepare(course_lib: &Path) -> Result<PathBuf> {
    let dir = warm_dir_for(course_lib)?;
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("cannot create the cache directory {}", dir.display()))?;
    let flock = lock_file(&dir)?;
    flock
        .lock()
        .with_context(|| format!("cannot lock the warm build in {}", dir.display()))?;
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
    std::fs::copy(dir.join("Cargo.lock"), dir.join(LOCK)).context("cannot keep the lock file")?;
    let manifest = Manifest {
        course_lib: course_lib.to_owned(),
        rcourse_version: env!("CARGO_PKG_VERSION").to_owned(),
        build_id: build_id(&dir),
    };
    std::fs::write(dir.join(MANIFEST), serde_json::to_vec_pretty(&manifest)?)?;
    Ok(dir)
}

/// Lets the cell process load the standard library however deep the cache
/// directory is (see [`super::slot::default_root`] for why the run path in
/// compiled cells is not enough). Must run before any other thread starts.
fn find_std_library() -> Result<()> {
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

/// A hash of the warm build's lock file and of the names of cargo's
/// fingerprint directories, which change whenever a dependency's build does.
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
        .map(|unit| unit.file_name())
        .collect();
    units.sort();
    units.hash(&mut hasher);
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
    let flock = lock_file(warm)?;
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

/// The file whose lock guards the warm build in `dir` (released when dropped).
fn lock_file(dir: &Path) -> Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(FLOCK))
        .with_context(|| format!("cannot open the lock file in {}", dir.display()))
}

/// Empties `session_dir` and copies the warm build's crate into it.
fn copy_seeds(warm: &Path, session_dir: &Path) -> Result<()> {
    std::fs::remove_dir_all(session_dir)
        .and_then(|()| std::fs::create_dir_all(session_dir))
        .with_context(|| format!("cannot empty {}", session_dir.display()))?;
    for name in SEEDS {
        let status = Command::new("cp")
            .args(["-a", "--reflink=auto"])
            .arg(warm.join(name))
            .arg(session_dir)
            .status()
            .context("cannot run cp")?;
        if !status.success() {
            bail!("cannot copy {name} from the warm build {}", warm.display());
        }
    }
    Ok(())
}
