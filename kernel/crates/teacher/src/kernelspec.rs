//! How `run` and `grade` start the kernel: with the warm build and the
//! interrupt mode that the installed `rcourse` kernelspec gives JupyterLab.
//!
//! Jupyter finds the kernelspec in `JUPYTER_PATH`, the user's data
//! directory, the active environment and the system directories, in that
//! order; so does this (jupyter-zmq-client's own search leaves out the
//! active environment, where `rcourse install --sys-prefix` puts it). The
//! kernelspec is read as jupyter-protocol's [`JupyterKernelspec`]. The
//! kernel itself is always this very executable. Without a kernelspec, the
//! kernel looks for the warm build itself.

use crate::sandbox::Sandbox;
use jupyter_protocol::JupyterKernelspec;
use jupyter_zmq_client::KernelspecDir;
use std::path::{Path, PathBuf};

/// What the kernel is started with.
#[derive(Debug, Default, Clone)]
pub struct Launch {
    /// The prepared build of the course library (`--warm-dir`).
    pub warm_dir: Option<PathBuf>,
    /// Interrupt with SIGINT rather than an `interrupt_request`.
    pub signal_interrupt: bool,
    /// Environment variables that the kernelspec sets, sorted by name.
    pub env: Vec<(String, String)>,
    /// The sandbox to start the kernel in, if any.
    pub sandbox: Option<Sandbox>,
    /// The notebook the kernel runs (its directory is the kernel's working
    /// directory; in a sandbox, the notebook is the one file shown there).
    pub notebook: Option<PathBuf>,
}

/// The kernelspec's name (`jupyter kernelspec list` shows it).
pub const KERNEL_NAME: &str = "rcourse";

impl Launch {
    /// Finds the launch settings as described in the module documentation.
    pub fn find() -> Launch {
        data_dirs()
            .iter()
            .find_map(|dir| read_spec(dir))
            .map(|found| Launch::from(&found.kernelspec))
            .unwrap_or_default()
    }
}

impl From<&JupyterKernelspec> for Launch {
    fn from(spec: &JupyterKernelspec) -> Launch {
        let warm_dir = spec
            .argv
            .iter()
            .position(|arg| arg == "--warm-dir")
            .and_then(|at| spec.argv.get(at + 1))
            .map(PathBuf::from);
        let mut env: Vec<(String, String)> = spec
            .env
            .iter()
            .flatten()
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect();
        env.sort();
        Launch {
            warm_dir,
            signal_interrupt: spec.interrupt_mode.as_deref() == Some("signal"),
            env,
            sandbox: None,
            notebook: None,
        }
    }
}

/// Jupyter's data directories, in the order Jupyter searches them.
fn data_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("JUPYTER_PATH")
        .map(|path| std::env::split_paths(&path).collect())
        .unwrap_or_default();
    match std::env::var_os("JUPYTER_DATA_DIR") {
        Some(dir) => dirs.push(PathBuf::from(dir)),
        None => dirs.extend(jupyter_zmq_client::user_data_dir().ok()),
    }
    for variable in ["VIRTUAL_ENV", "CONDA_PREFIX"] {
        if let Some(prefix) = std::env::var_os(variable) {
            dirs.push(Path::new(&prefix).join("share/jupyter"));
        }
    }
    dirs.extend(jupyter_zmq_client::system_data_dirs());
    dirs
}

/// Reads the `rcourse` kernelspec of a data directory; `None` when it is
/// missing or unreadable.
fn read_spec(data_dir: &Path) -> Option<KernelspecDir> {
    let path = data_dir.join("kernels").join(KERNEL_NAME);
    let text = std::fs::read(path.join("kernel.json")).ok()?;
    let kernelspec = match serde_json::from_slice::<JupyterKernelspec>(&text) {
        Ok(kernelspec) => kernelspec,
        Err(error) => {
            log::debug!("{}: not a kernelspec: {error}", path.display());
            return None;
        }
    };
    Some(KernelspecDir {
        kernel_name: KERNEL_NAME.to_owned(),
        path,
        kernelspec,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_warm_dir_and_interrupt_mode() {
        let dir = tempfile::tempdir().unwrap();
        let warm = dir.path().join("warm");
        std::fs::create_dir(&warm).unwrap();
        let spec_dir = dir.path().join("kernels").join(KERNEL_NAME);
        std::fs::create_dir_all(&spec_dir).unwrap();
        let json = serde_json::json!({
            "argv": ["/bin/rcourse", "kernel", "--connection-file", "{connection_file}", "--warm-dir", warm],
            "display_name": "Rust (course)", "language": "rust", "interrupt_mode": "signal",
            "env": {"A": "1"}
        });
        std::fs::write(spec_dir.join("kernel.json"), json.to_string()).unwrap();
        let found = read_spec(dir.path()).unwrap();
        assert_eq!(found.path, spec_dir);
        let launch = Launch::from(&found.kernelspec);
        assert_eq!(launch.warm_dir.as_deref(), Some(warm.as_path()));
        assert!(launch.signal_interrupt);
        assert_eq!(launch.env, [("A".to_owned(), "1".to_owned())]);
        assert!(read_spec(&dir.path().join("missing")).is_none());
    }

    #[test]
    fn a_spec_without_interrupt_mode_is_interrupted_by_message() {
        let spec: JupyterKernelspec = serde_json::from_value(serde_json::json!({
            "argv": ["/bin/rcourse", "kernel", "--connection-file", "{connection_file}"],
            "display_name": "Rust (course)", "language": "rust"
        }))
        .unwrap();
        let launch = Launch::from(&spec);
        assert_eq!(launch.warm_dir, None);
        assert!(!launch.signal_interrupt);
        assert!(launch.env.is_empty());
    }
}
