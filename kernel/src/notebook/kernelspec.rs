//! How `run` and `grade` start the kernel: with the warm build and the
//! interrupt mode that the installed `rcourse` kernelspec gives JupyterLab.
//!
//! Jupyter finds the kernelspec in `JUPYTER_PATH`, the user's data
//! directory, the active environment and the system directories, in that
//! order; so does this. The kernel itself is always this very executable.
//! Without a kernelspec, the finished warm build of this course library
//! for this toolchain is used; without one either, the kernel starts cold
//! and builds the course library in its first cell (minutes).

use crate::engine::warm;
use crate::install::KERNEL_NAME;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// What the kernel is started with.
#[derive(Debug, Default, Clone)]
pub struct Launch {
    /// The prepared build of the course library (`--warm-dir`).
    pub warm_dir: Option<PathBuf>,
    /// Interrupt with SIGINT rather than an `interrupt_request`.
    pub signal_interrupt: bool,
    /// Environment variables that the kernelspec sets.
    pub env: Vec<(String, String)>,
}

impl Launch {
    /// Finds the launch settings as described in the module documentation.
    pub fn find() -> Launch {
        let mut launch = data_dirs()
            .into_iter()
            .map(|dir| dir.join("kernels").join(KERNEL_NAME).join("kernel.json"))
            .find_map(|file| read_spec(&file))
            .unwrap_or_default();
        if launch.warm_dir.is_none() {
            launch.warm_dir = warm::finished();
        }
        launch
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
    dirs.push(PathBuf::from("/usr/local/share/jupyter"));
    dirs.push(PathBuf::from("/usr/share/jupyter"));
    dirs
}

/// Reads a kernelspec; `None` when it is missing or unreadable.
fn read_spec(file: &Path) -> Option<Launch> {
    let spec: Value = serde_json::from_slice(&std::fs::read(file).ok()?).ok()?;
    let argv: Vec<&str> = spec["argv"]
        .as_array()?
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let warm_dir = argv
        .iter()
        .position(|arg| *arg == "--warm-dir")
        .and_then(|at| argv.get(at + 1))
        .map(PathBuf::from)
        .filter(|dir| dir.join(warm::MANIFEST).is_file());
    let env = spec["env"]
        .as_object()
        .map(|env| {
            env.iter()
                .filter_map(|(key, value)| Some((key.clone(), value.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default();
    Some(Launch {
        warm_dir,
        signal_interrupt: spec["interrupt_mode"] == "signal",
        env,
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
        std::fs::write(warm.join(warm::MANIFEST), "{}").unwrap();
        let spec = dir.path().join("kernel.json");
        let json = serde_json::json!({
            "argv": ["/bin/rcourse", "kernel", "--connection-file", "{connection_file}", "--warm-dir", warm],
            "display_name": "Rust (course)", "language": "rust", "interrupt_mode": "signal",
            "env": {"A": "1"}
        });
        std::fs::write(&spec, json.to_string()).unwrap();
        let launch = read_spec(&spec).unwrap();
        assert_eq!(launch.warm_dir.as_deref(), Some(warm.as_path()));
        assert!(launch.signal_interrupt);
        assert_eq!(launch.env, [("A".to_owned(), "1".to_owned())]);

        std::fs::remove_file(warm.join(warm::MANIFEST)).unwrap();
        assert_eq!(read_spec(&spec).unwrap().warm_dir, None);
        assert!(read_spec(&dir.path().join("missing.json")).is_none());
    }
}
