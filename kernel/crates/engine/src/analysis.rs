//! The standard library's sources as rust-analyzer reads them in a session.
//!
//! evcxr runs rust-analyzer inside the kernel to learn the type of each
//! variable a cell defines (and for completion and inspection). It reads
//! the sysroot's sources, and holds what it learned of them for the life
//! of the kernel. About a quarter of it is `core::arch`: the SIMD
//! intrinsics of every processor, some ten megabytes of declarations that
//! notebook cells do not name.
//!
//! The warm build keeps a copy of those sources without them
//! ([`prepare`]): each architecture's intrinsics module is left empty, and
//! the crates a cell never depends on (`test`, `proc_macro`, the library's
//! own tests) are left out. Without a `Cargo.toml`, rust-analyzer reads it
//! as the standard library directly, without running cargo. Kernels point
//! rust-analyzer at it ([`use_prepared`], through `RUST_SRC_PATH`). Only
//! rust-analyzer reads it: cells are still compiled against the real
//! standard library, intrinsics included.

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The copy's directory, in the warm build.
const COPY: &str = "analysis-library";
/// The file in the copy naming the sources it was made from.
const SOURCE: &str = "rcourse-source";
/// Directories of the library left out of the copy.
const LEFT_OUT: &[&str] = &[
    "Cargo.toml",
    "Cargo.lock",
    "alloctests",
    "coretests",
    "profiler_builtins",
    "proc_macro",
    "rtstartup",
    "test",
];
/// The intrinsics, under `stdarch/crates/core_arch/src`: one directory per
/// architecture (and helpers shared by several), each emptied.
const INTRINSICS: &str = "stdarch/crates/core_arch/src";

/// The sysroot's library sources (rustup's `rust-src` component), if the
/// toolchain on PATH has them.
fn library_sources() -> Option<PathBuf> {
    let output = Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .ok()?;
    let sysroot = String::from_utf8(output.stdout).ok()?;
    let library = Path::new(sysroot.trim()).join("lib/rustlib/src/rust/library");
    library.join("core/src/lib.rs").is_file().then_some(library)
}

/// What the copy was made from: the library's directory, and the time its
/// `core` was last written (a toolchain update rewrites it).
fn stamp(library: &Path) -> Option<String> {
    let modified = std::fs::metadata(library.join("core/src/lib.rs"))
        .and_then(|meta| meta.modified())
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some(format!("{}\n{}\n", library.display(), modified.as_nanos()))
}

/// Makes the copy in `warm` (see the module's documentation). Without the
/// `rust-src` component there is nothing to copy, and sessions let
/// rust-analyzer find what it can, as before.
pub fn prepare(warm: &Path) -> Result<()> {
    let copy = warm.join(COPY);
    if copy.exists() {
        std::fs::remove_dir_all(&copy)
            .with_context(|| format!("cannot replace {}", copy.display()))?;
    }
    let Some(library) = library_sources() else {
        log::info!("no standard library sources (rust-src) to prepare for rust-analyzer");
        return Ok(());
    };
    std::fs::create_dir_all(&copy)?;
    let status = Command::new("cp")
        .arg("-a")
        .arg(library.join("."))
        .arg(&copy)
        .status()
        .context("cannot run cp")?;
    anyhow::ensure!(status.success(), "cannot copy {}", library.display());
    for name in LEFT_OUT {
        let path = copy.join(name);
        let _ = std::fs::remove_dir_all(&path).or_else(|_| std::fs::remove_file(&path));
    }
    empty_intrinsics(&copy.join(INTRINSICS))?;
    let stamp = stamp(&library).context("cannot read the library's sources")?;
    std::fs::write(copy.join(SOURCE), stamp)?;
    Ok(())
}

/// Empties every architecture's module under `dir`, keeping the module
/// files (`mod.rs`, `simd.rs`, ...) that declare them.
fn empty_intrinsics(dir: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(entry.path())?;
            std::fs::create_dir(entry.path())?;
            std::fs::write(
                entry.path().join("mod.rs"),
                "//! Left out of rust-analyzer's view (see rcourse's engine::analysis).\n",
            )?;
        }
    }
    Ok(())
}

/// Points rust-analyzer at the copy in `warm` ([`prepared`]), unless the
/// user chose other sources (`RUST_SRC_PATH`) or the warm build could be
/// changed by other users (the session then refuses it, with the reason).
/// Must run before any other thread starts.
pub fn use_prepared(warm: &Path) {
    if std::env::var_os("RUST_SRC_PATH").is_some()
        || crate::private::check_installed(warm, &[COPY]).is_err()
    {
        return;
    }
    if let Some(copy) = prepared(warm) {
        // SAFETY: called while the process has a single thread.
        unsafe { std::env::set_var("RUST_SRC_PATH", copy) };
    }
}

/// The copy in `warm`, if there is one made from the sources it names as
/// they are now (not from a toolchain updated since).
fn prepared(warm: &Path) -> Option<PathBuf> {
    let copy = warm.join(COPY);
    let recorded = std::fs::read_to_string(copy.join(SOURCE)).ok()?;
    let library = PathBuf::from(recorded.lines().next()?);
    if stamp(&library)? != recorded {
        log::info!("the standard library changed since the install: rust-analyzer reads it whole");
        return None;
    }
    Some(copy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intrinsics_are_emptied_and_their_declarations_kept() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path();
        std::fs::create_dir_all(src.join("x86")).unwrap();
        std::fs::write(src.join("x86/sse.rs"), "pub fn _mm_add_ps() {}").unwrap();
        std::fs::write(src.join("mod.rs"), "mod x86;").unwrap();
        empty_intrinsics(src).unwrap();
        assert!(!src.join("x86/sse.rs").exists());
        assert!(src.join("x86/mod.rs").is_file());
        assert_eq!(
            std::fs::read_to_string(src.join("mod.rs")).unwrap(),
            "mod x86;"
        );
    }

    #[test]
    fn only_a_copy_of_the_current_sources_is_used() {
        let warm = tempfile::tempdir().unwrap();
        let library = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(library.path().join("core/src")).unwrap();
        std::fs::write(library.path().join("core/src/lib.rs"), "").unwrap();
        let copy = warm.path().join(COPY);
        std::fs::create_dir_all(&copy).unwrap();
        assert_eq!(prepared(warm.path()), None, "no stamp");
        std::fs::write(copy.join(SOURCE), stamp(library.path()).unwrap()).unwrap();
        assert_eq!(prepared(warm.path()), Some(copy.clone()));
        // Sources rewritten since (a toolchain update) make the copy stale.
        std::fs::write(
            copy.join(SOURCE),
            format!("{}\n1\n", library.path().display()),
        )
        .unwrap();
        assert_eq!(prepared(warm.path()), None);
    }

    #[test]
    fn the_toolchains_sources_are_prepared_without_intrinsics() {
        let Some(library) = library_sources() else {
            return; // no rust-src component: nothing to prepare
        };
        let warm = tempfile::tempdir().unwrap();
        prepare(warm.path()).unwrap();
        let copy = warm.path().join(COPY);
        assert!(copy.join("core/src/lib.rs").is_file());
        assert!(!copy.join("Cargo.toml").exists() && !copy.join("test").exists());
        assert!(!copy.join(INTRINSICS).join("x86/sse.rs").exists());
        assert!(library.join(INTRINSICS).join("x86/sse.rs").exists());
        assert_eq!(
            std::fs::read_to_string(copy.join(SOURCE)).unwrap(),
            stamp(&library).unwrap()
        );
    }
}
