//! An installation for every user of a machine: `rcourse install --prefix`
//! (or `--sys-prefix`).
//!
//! Everything a kernel needs goes inside the prefix, none of it in a
//! checkout or in the installer's home: the binary (`bin/rcourse`), the
//! course library's sources, a crate cache (`CARGO_HOME`) and the warm build
//! (`share/rcourse/`). Students use all of it read-only: a kernel copies the
//! warm build into its own private session directory, and cargo finds every
//! dependency compiled, at the same paths, from the same crate cache. The
//! kernelspec's `env` gives the kernel the toolchain and that cache, so it
//! starts under JupyterHub's spawner, whose environment is nearly empty.

use anyhow::{Context, Result, bail};
use rcourse_engine::private::{self, Ancestors};
use rcourse_engine::warm;
use serde_json::{Map, Value, json};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

/// What the kernelspec of a shared installation names.
pub struct Installed {
    /// The kernel binary inside the prefix.
    pub exe: PathBuf,
    /// The warm build inside the prefix.
    pub warm_dir: PathBuf,
    /// The kernelspec's `env`.
    pub env: Map<String, Value>,
}

/// Installs the binary, the course library, the crate cache and the warm
/// build into `prefix` (which [`check_prefix`] has accepted), and makes
/// them readable (not writable) by everyone. Must run before any other
/// thread starts.
pub fn install(prefix: &Path, course_lib: &Path) -> Result<Installed> {
    let share = prefix.join("share/rcourse");
    std::fs::create_dir_all(&share)
        .with_context(|| format!("cannot create {}", share.display()))?;
    let prefix = prefix.canonicalize()?;
    let sysroot = sysroot()?;
    warn_if_private(&sysroot);

    let exe = install_binary(&prefix)?;
    let course_lib = copy_sources(course_lib, &share.join("src"))?;
    let cargo_home = share.join("cargo");
    std::fs::create_dir_all(&cargo_home)?;
    // SAFETY: the install command runs on the main thread alone.
    unsafe { std::env::set_var("CARGO_HOME", &cargo_home) };
    let warm_dir = warm::prepare(&course_lib, &share)?;
    remove_other_warm_builds(&share, &warm_dir);

    readable_by_everyone(&share)?;
    readable_by_everyone(&exe)?;

    let path = std::env::join_paths([
        sysroot.join("bin"),
        prefix.join("bin"),
        "/usr/local/bin".into(),
        "/usr/bin".into(),
        "/bin".into(),
    ])?;
    let mut env = Map::new();
    env.insert("PATH".into(), json!(path.to_string_lossy()));
    env.insert("CARGO_HOME".into(), json!(cargo_home));
    Ok(Installed { exe, warm_dir, env })
}

/// Refuses a prefix that someone other than its owner (root, or the
/// installing user) could change: every student's kernel runs what is
/// there. Checks the nearest existing directory and its ancestors, so it can
/// run before anything is written.
pub fn check_prefix(prefix: &Path) -> Result<()> {
    let existing = prefix
        .ancestors()
        .find(|dir| dir.exists())
        .context("no part of the prefix exists")?
        .canonicalize()?;
    private::check_ancestors(&existing, Ancestors::NoOneElseReplaces).map_err(|error| {
        anyhow::anyhow!(
            "cannot install into {}: {error:#}. Every student's kernel runs what is installed there, \
             so choose a prefix that only its owner can write to",
            prefix.display()
        )
    })
}

/// Removes the warm builds of earlier installations (another toolchain or
/// version: a few hundred MB each) that no kernel is copying from.
fn remove_other_warm_builds(share: &Path, current: &Path) {
    let Ok(entries) = std::fs::read_dir(share) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let is_warm = entry.file_name().to_string_lossy().starts_with("warm-");
        if !is_warm || path == current {
            continue;
        }
        if warm::lock_exclusively(&path).is_some() {
            match std::fs::remove_dir_all(&path) {
                Ok(()) => eprintln!("Removed the old warm build {}", path.display()),
                Err(error) => eprintln!("warning: cannot remove {}: {error}", path.display()),
            }
        }
    }
}

/// The toolchain's root, as the `rustc` on PATH reports it.
fn sysroot() -> Result<PathBuf> {
    let output = Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .context("cannot run `rustc --print sysroot`")?;
    if !output.status.success() {
        bail!("`rustc --print sysroot` failed");
    }
    Ok(PathBuf::from(
        String::from_utf8_lossy(&output.stdout).trim(),
    ))
}

/// Warns when other users cannot run the toolchain (a rustup toolchain in
/// the installer's private home, say): their kernels could not compile.
fn warn_if_private(sysroot: &Path) {
    let cargo = sysroot.join("bin/cargo");
    let blocked = cargo
        .ancestors()
        .skip(1)
        .find(|dir| std::fs::metadata(dir).is_ok_and(|m| m.mode() & 0o001 == 0));
    if let Some(dir) = blocked {
        eprintln!(
            "warning: other users cannot run the Rust toolchain in {} ({} is closed to them): this \
             installation works for you alone. For a class, install a system-wide toolchain \
             (see the README's classroom set-up) and run `rcourse install` again with it first on PATH.",
            sysroot.display(),
            dir.display()
        );
    }
}

/// Copies the running binary to `prefix/bin/rcourse` (by a rename, so that
/// running kernels keep their file).
fn install_binary(prefix: &Path) -> Result<PathBuf> {
    let exe = std::env::current_exe().context("cannot find the rcourse executable")?;
    let bin = prefix.join("bin");
    std::fs::create_dir_all(&bin)?;
    let target = bin.join("rcourse");
    if target.canonicalize().ok() == exe.canonicalize().ok() {
        return Ok(target);
    }
    let partial = bin.join(".rcourse.partial");
    std::fs::copy(&exe, &partial)
        .and_then(|_| std::fs::rename(&partial, &target))
        .with_context(|| format!("cannot install the kernel binary as {}", target.display()))?;
    Ok(target)
}

/// The crates the course library is built from, relative to the workspace.
const SOURCE_CRATES: [&str; 2] = ["course-lib", "kernel/crates/cell"];

/// Copies the course library's sources (without build outputs) into `dest`
/// as a small workspace of their own: the course library, the crate it
/// shares with the kernel, and the workspace manifest they inherit from,
/// whose members are narrowed to those two. File times are kept, so an
/// unchanged library stays compiled. Returns the course library's copy.
fn copy_sources(course_lib: &Path, dest: &Path) -> Result<PathBuf> {
    let workspace = course_lib
        .parent()
        .context("the course library has no parent directory")?;
    let copy = dest.join("course-lib");
    if copy.canonicalize().ok() == course_lib.canonicalize().ok() {
        return Ok(copy);
    }
    let manifest = std::fs::read_to_string(workspace.join("Cargo.toml"))
        .with_context(|| format!("cannot read {}", workspace.join("Cargo.toml").display()))?;
    let members = format!("members = {SOURCE_CRATES:?}");
    let narrowed: Vec<String> = manifest
        .lines()
        .map(|line| {
            if line.trim_start().starts_with("members") {
                members.clone()
            } else {
                line.to_owned()
            }
        })
        .collect();
    if !narrowed.contains(&members) {
        bail!(
            "{} lists no workspace members",
            workspace.join("Cargo.toml").display()
        );
    }
    if dest.exists() {
        std::fs::remove_dir_all(dest)
            .with_context(|| format!("cannot replace {}", dest.display()))?;
    }
    for krate in SOURCE_CRATES {
        let target = dest.join(krate);
        std::fs::create_dir_all(&target)?;
        let status = Command::new("cp")
            .arg("-a")
            .arg(workspace.join(krate).join("."))
            .arg(&target)
            .status()
            .context("cannot run cp")?;
        if !status.success() {
            bail!(
                "cannot copy {} to {}",
                workspace.join(krate).display(),
                target.display()
            );
        }
        let _ = std::fs::remove_dir_all(target.join("target"));
    }
    std::fs::write(dest.join("Cargo.toml"), narrowed.join("\n") + "\n")?;
    if let Err(error) = std::fs::copy(workspace.join("Cargo.lock"), dest.join("Cargo.lock")) {
        log::debug!("no lock file copied: {error}");
    }
    Ok(copy.canonicalize()?)
}

/// Makes `path` (and everything under it) readable by everyone and
/// writable by its owner only; executables stay executable.
pub fn readable_by_everyone(path: &Path) -> Result<()> {
    let meta = std::fs::symlink_metadata(path)?;
    if meta.file_type().is_symlink() {
        return Ok(());
    }
    let mode = if meta.is_dir() || meta.mode() & 0o100 != 0 {
        0o755
    } else {
        0o644
    };
    if meta.mode() & 0o7777 != mode {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
            .with_context(|| format!("cannot set the permissions of {}", path.display()))?;
    }
    if meta.is_dir() {
        for entry in std::fs::read_dir(path)? {
            readable_by_everyone(&entry?.path())?;
        }
    }
    Ok(())
}
