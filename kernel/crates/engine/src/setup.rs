//! Setting up the kernel process for a session, before any thread starts.

use crate::{EngineConfig, slot, warm};
use anyhow::{Context, Result, bail};
use std::path::PathBuf;

/// Fails with one sentence when cargo, which compiles every cell, is missing.
/// (A look along PATH, not a run: the kernel calls this before it answers.)
pub fn require_cargo() -> Result<()> {
    if !warm::on_path("cargo") {
        bail!("cargo was not found on PATH; install Rust with rustup (https://rustup.rs) first");
    }
    Ok(())
}

/// The kernel process, set up to host one [`Engine`](crate::Engine). Keep it
/// until the engine has stopped: it holds the session directory.
pub struct KernelSetup {
    session_dir: slot::Slot,
    notebook_dir: PathBuf,
    kernel_exe: PathBuf,
    warm_dir: Option<PathBuf>,
}

impl KernelSetup {
    /// Checks that cargo is on PATH, takes a session directory, points evcxr
    /// at it and makes it the kernel's working directory, marks the
    /// environment that cells inherit as a kernel's (so the course library
    /// writes display lines), and picks the warm build:
    /// `warm_dir`, else this course library's own finished one (a kernel
    /// started by hand, or by `rcourse run` with no kernelspec installed).
    ///
    /// Must be called before any other thread starts: it sets environment
    /// variables and caps the allocator's arenas ([`crate::memory`]).
    pub fn prepare(warm_dir: Option<PathBuf>) -> Result<KernelSetup> {
        require_cargo()?;
        crate::memory::limit_arenas();
        let session_dir = slot::acquire(&slot::default_root()?)?;
        warm::isolate_evcxr(&session_dir.dir);
        warm::find_std_library()?;
        // evcxr reads `evcxr.toml` (which can name a program to wrap every
        // rustc call) from the working directory, and Jupyter starts a kernel
        // in the notebook's directory, which may be a shared folder or a
        // cloned repository. The kernel works in its private session
        // directory instead; cells and shell escapes still run in the
        // notebook's directory.
        let notebook_dir = std::env::current_dir().context("cannot read the working directory")?;
        std::env::set_current_dir(&session_dir.dir).with_context(|| {
            format!(
                "cannot enter the session directory {}",
                session_dir.dir.display()
            )
        })?;
        crate::interrupt::adopt_orphans();
        // SAFETY: no other thread exists yet (this function's contract).
        unsafe { std::env::set_var(rcourse_cell::KERNEL_ENV_VAR, "1") };
        let kernel_exe = std::env::current_exe().context("cannot find the kernel's binary")?;
        let warm_dir = warm_dir.or_else(warm::finished);
        if let Some(warm) = &warm_dir {
            crate::analysis::use_prepared(warm);
        }
        Ok(KernelSetup {
            session_dir,
            notebook_dir,
            kernel_exe,
            warm_dir,
        })
    }

    /// What the engine starts its session with.
    pub fn engine_config(&self) -> EngineConfig {
        EngineConfig {
            warm_dir: self.warm_dir.clone(),
            session_dir: self.session_dir.dir.clone(),
            notebook_dir: self.notebook_dir.clone(),
            kernel_exe: self.kernel_exe.clone(),
        }
    }
}
