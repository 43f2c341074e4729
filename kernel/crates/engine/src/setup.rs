//! Setting up the kernel process for a session, before any thread starts.

use crate::{EngineConfig, slot, warm};
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};

/// Fails with one sentence when cargo, which compiles every cell, is missing.
/// (A look along PATH, not a run: the kernel calls this before it answers.)
pub fn require_cargo() -> Result<()> {
    if !warm::on_path("cargo") {
        bail!("cargo was not found on PATH; install Rust with rustup (https://rustup.rs) first");
    }
    Ok(())
}

/// Where this kernel's cells are compiled: a kept slot when one is free,
/// else a directory removed at exit.
pub enum SessionDir {
    /// A slot kept for the next kernel (its caches stay warm).
    Kept(slot::Slot),
    /// A temporary directory, removed when dropped.
    Throwaway(tempfile::TempDir),
}

impl SessionDir {
    /// Takes the first free slot, or else makes a temporary directory.
    pub fn acquire() -> Result<SessionDir> {
        match slot::acquire(&slot::default_root()) {
            Ok(slot) => Ok(SessionDir::Kept(slot)),
            Err(error) => {
                log::warn!("using a throwaway session directory: {error:#}");
                let dir = tempfile::Builder::new()
                    .prefix("rcourse-session-")
                    .tempdir()
                    .context("cannot create a session directory")?;
                Ok(SessionDir::Throwaway(dir))
            }
        }
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        match self {
            SessionDir::Kept(slot) => &slot.dir,
            SessionDir::Throwaway(dir) => dir.path(),
        }
    }
}

/// The kernel process, set up to host one [`Engine`](crate::Engine). Keep it
/// until the engine has stopped: it holds the session directory.
pub struct KernelSetup {
    session_dir: SessionDir,
    warm_dir: Option<PathBuf>,
}

impl KernelSetup {
    /// Checks that cargo is on PATH, takes a session directory, points evcxr
    /// at it, marks the environment that cells inherit as a kernel's (so the
    /// course library writes display lines), and picks the warm build:
    /// `warm_dir`, else this course library's own finished one (a kernel
    /// started by hand, or by `rcourse run` with no kernelspec installed).
    ///
    /// Must be called before any other thread starts: it sets environment
    /// variables.
    pub fn prepare(warm_dir: Option<PathBuf>) -> Result<KernelSetup> {
        require_cargo()?;
        let session_dir = SessionDir::acquire()?;
        warm::isolate_evcxr(session_dir.path());
        // SAFETY: no other thread exists yet (this function's contract).
        unsafe { std::env::set_var(rcourse_cell::KERNEL_ENV_VAR, "1") };
        Ok(KernelSetup {
            session_dir,
            warm_dir: warm_dir.or_else(warm::finished),
        })
    }

    /// What the engine starts its session with.
    pub fn engine_config(&self) -> EngineConfig {
        EngineConfig {
            warm_dir: self.warm_dir.clone(),
            session_dir: self.session_dir.path().to_owned(),
        }
    }
}
