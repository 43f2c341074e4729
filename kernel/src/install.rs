//! `rcourse install` and `rcourse uninstall`: the kernelspec and the warm build.

use anyhow::{Context, Result, bail};
use rcourse_engine::{require_cargo, warm};
use rcourse_teacher::KERNEL_NAME;
use serde_json::json;
use std::path::{Path, PathBuf};

/// The name JupyterLab's launcher shows.
pub const DISPLAY_NAME: &str = "Rust (course)";

const LOGO_32: &[u8] = include_bytes!("../../install/logo-32x32.png");
const LOGO_64: &[u8] = include_bytes!("../../install/logo-64x64.png");

/// Where to put the kernelspec.
pub enum Destination {
    /// The user's Jupyter data directory (`JUPYTER_DATA_DIR`, else the
    /// platform's default), as `jupyter kernelspec install --user` picks it.
    User,
    /// The active virtual environment or conda environment.
    SysPrefix,
    /// `DIR/share/jupyter/kernels`.
    Prefix(PathBuf),
}

impl Destination {
    /// The prefix of an installation for every user, if this is one.
    fn prefix(&self) -> Result<Option<PathBuf>> {
        Ok(match self {
            Destination::User => None,
            Destination::SysPrefix => Some(sys_prefix()?),
            Destination::Prefix(dir) => Some(dir.clone()),
        })
    }

    fn kernels_dir(&self) -> Result<PathBuf> {
        let data_dir = match self {
            Destination::User => rcourse_protocol::jupyter_data_dir()
                .context("cannot find the Jupyter data directory (set JUPYTER_DATA_DIR)")?,
            Destination::SysPrefix => sys_prefix()?.join("share/jupyter"),
            Destination::Prefix(dir) => dir.join("share/jupyter"),
        };
        Ok(data_dir.join("kernels").join(KERNEL_NAME))
    }
}

/// The active Python environment.
fn sys_prefix() -> Result<PathBuf> {
    let prefix = std::env::var_os("VIRTUAL_ENV")
        .or_else(|| std::env::var_os("CONDA_PREFIX"))
        .context(
            "--sys-prefix needs an active Python environment (VIRTUAL_ENV or CONDA_PREFIX is not set)",
        )?;
    Ok(PathBuf::from(prefix))
}

/// Writes the kernelspec and prepares the warm build of the course library:
/// for the current user (`--user`), or inside a prefix for every user of the
/// machine ([`shared`](crate::shared)).
pub fn install(destination: Destination) -> Result<()> {
    require_cargo()?;
    let spec_dir = destination.kernels_dir()?;
    let prefix = destination.prefix()?;
    if let Some(prefix) = &prefix {
        crate::shared::check_prefix(prefix)?;
    }
    let course_lib = warm::course_lib_dir().context(
        "cannot find the course library's sources (course-lib/ in the kernel's workspace); set RCOURSE_COURSE_LIB",
    )?;
    std::fs::create_dir_all(&spec_dir)
        .and_then(|()| check_writable(&spec_dir))
        .with_context(|| format!("cannot write the kernelspec to {}", spec_dir.display()))?;
    eprintln!("Preparing the course library's warm build (a few minutes the first time)...");
    let (exe, warm_dir, env) = match &prefix {
        Some(prefix) => {
            let installed = crate::shared::install(prefix, &course_lib)?;
            (installed.exe, installed.warm_dir, installed.env)
        }
        None => (
            std::env::current_exe().context("cannot find the rcourse executable")?,
            warm::prepare(&course_lib, &warm::cache_root()?)?,
            serde_json::Map::new(),
        ),
    };
    let mut spec = json!({
        "argv": [
            exe, "kernel", "--connection-file", "{connection_file}", "--warm-dir", warm_dir
        ],
        "display_name": DISPLAY_NAME,
        "language": "rust",
        "interrupt_mode": "message",
        "metadata": { "debugger": false },
    });
    if !env.is_empty() {
        spec["env"] = serde_json::Value::Object(env);
    }
    let write = |name: &str, bytes: &[u8]| {
        std::fs::write(spec_dir.join(name), bytes)
            .with_context(|| format!("cannot write {}", spec_dir.join(name).display()))
    };
    write("kernel.json", &serde_json::to_vec_pretty(&spec)?)?;
    write("logo-32x32.png", LOGO_32)?;
    write("logo-64x64.png", LOGO_64)?;
    if prefix.is_some() {
        crate::shared::readable_by_everyone(&spec_dir)?;
    }
    println!(
        "Installed the kernelspec `{KERNEL_NAME}` in {}",
        spec_dir.display()
    );
    Ok(())
}

/// Removes the kernelspec written by [`install`].
pub fn uninstall(destination: Destination) -> Result<()> {
    let spec_dir = destination.kernels_dir()?;
    if !spec_dir.join("kernel.json").is_file() {
        bail!(
            "no `{KERNEL_NAME}` kernelspec is installed in {}",
            spec_dir.display()
        );
    }
    std::fs::remove_dir_all(&spec_dir)
        .with_context(|| format!("cannot remove {}", spec_dir.display()))?;
    println!(
        "Removed the kernelspec `{KERNEL_NAME}` from {}",
        spec_dir.display()
    );
    Ok(())
}

fn check_writable(dir: &Path) -> std::io::Result<()> {
    let probe = dir.join(".rcourse-write-test");
    std::fs::write(&probe, b"")?;
    std::fs::remove_file(probe)
}
