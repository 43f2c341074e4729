//! The sandbox a submission's kernel runs in: bubblewrap (`bwrap`, Debian's
//! `bubblewrap` package) with the limits of [`Limits`].
//!
//! Inside it the kernel, the compiler and every process a cell starts see:
//! the system's `/usr` (and the `/bin`, `/lib`... links to it), the few
//! files of `/etc` that the loader and the linker read, the toolchain, the
//! crate cache and the warm build, all read-only; a private writable home
//! and `/tmp`, which are directories of the grader's own temporary
//! directory, removed when the kernel ends; the directory of the kernel's
//! sockets (Unix sockets: there is no network); and, read-only, the one
//! notebook being graded, in the home's `work` directory, which is the
//! kernel's working directory. Nothing else of the machine is there: no
//! teacher file, no other submission, no grader process. The sandbox has
//! its own process ids, so everything started in it dies with it
//! (`--die-with-parent`, and the end of its first process), and the
//! environment is built from scratch.
//!
//! Limits are resource limits set on the sandbox's first process and
//! inherited by every process in it: memory per process (`RLIMIT_DATA`),
//! CPU time per process, file size, and the number of processes of the
//! user (which the system does not enforce for root). Output is limited by
//! the kernel (a cap per cell) and again by the grader as it reads.

use crate::kernelspec::Launch;
use rcourse_cell::{OUTPUT_LIMIT_ENV, SANDBOXED_ENV};
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The home directory inside the sandbox.
pub const HOME: &str = "/home/sandbox";
/// The directory that holds the notebook inside the sandbox, under [`HOME`].
pub const WORK: &str = "/home/sandbox/work";

/// The files of `/etc` the loader, the C linker and user lookups read.
const ETC_FILES: &[&str] = &[
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/alternatives",
    "/etc/passwd",
    "/etc/group",
    "/etc/nsswitch.conf",
    "/etc/localtime",
];

/// The top-level directories that are links into `/usr` on most systems.
const USR_LINKS: &[&str] = &["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];

/// Resource limits for everything in one sandbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Memory per process (data and heap), in MiB.
    pub memory_mb: u64,
    /// CPU seconds per process.
    pub cpu_seconds: u64,
    /// The largest file a process may write, in MiB.
    pub file_mb: u64,
    /// Processes and threads that the sandbox may add to the user's.
    pub processes: u64,
    /// Output a cell may show, in KiB (the kernel drops the rest).
    pub output_kb: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            memory_mb: 4096,
            cpu_seconds: 1800,
            file_mb: 1024,
            processes: 512,
            output_kb: 1024,
        }
    }
}

/// A sandbox maker that was checked to work on this machine.
#[derive(Debug, Clone)]
pub struct Sandbox {
    bwrap: PathBuf,
    limits: Limits,
    /// The toolchain's root (`rustc --print sysroot`).
    sysroot: PathBuf,
    /// The crate cache the warm build was made with.
    cargo_home: PathBuf,
    /// The processes this user had when grading started.
    user_processes: u64,
}

/// What one sandbox holds besides the system.
pub struct Plan<'a> {
    /// The kernel's settings: warm build and environment.
    pub launch: &'a Launch,
    /// The grader's private directory for this kernel: its `home`, `tmp`
    /// and `wire` (the sockets and the connection file) are made here.
    pub dir: &'a Path,
    /// The notebook to show in the work directory, read-only.
    pub notebook: Option<&'a Path>,
}

impl Sandbox {
    /// Finds bubblewrap and the toolchain, and makes one sandbox to check
    /// that this machine allows it; the error says why not.
    pub fn probe(launch: &Launch, limits: Limits) -> Result<Sandbox, String> {
        let bwrap = find_program("bwrap").ok_or(
            "bubblewrap (`bwrap`) is not installed: install it (Debian and Ubuntu: \
             `apt install bubblewrap`)",
        )?;
        let path =
            launch_var(launch, "PATH").unwrap_or_else(|| std::env::var("PATH").unwrap_or_default());
        let sysroot = std::process::Command::new("rustc")
            .args(["--print", "sysroot"])
            .env("PATH", &path)
            .output()
            .ok()
            .filter(|out| out.status.success())
            .map(|out| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
            .ok_or("the Rust toolchain (`rustc`) was not found on the kernel's PATH")?;
        let cargo_home = launch_var(launch, "CARGO_HOME")
            .or_else(|| std::env::var("CARGO_HOME").ok())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))
            .ok_or("cannot tell where the crate cache is: set CARGO_HOME")?;
        let sandbox = Sandbox {
            bwrap,
            limits,
            sysroot,
            cargo_home,
            user_processes: user_processes(),
        };
        let dir = tempfile::Builder::new()
            .prefix("rcourse-probe-")
            .tempdir()
            .map_err(|e| format!("cannot make a temporary directory: {e}"))?;
        let plan = Plan {
            launch,
            dir: dir.path(),
            notebook: None,
        };
        let out = sandbox
            .command(&plan, Path::new("/bin/sh"), &["-c".into(), "exit 0".into()])
            .map_err(|e| format!("cannot prepare a sandbox: {e}"))?
            .output()
            .map_err(|e| format!("cannot run bubblewrap: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "bubblewrap cannot make a sandbox here: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(sandbox)
    }

    /// The command that starts `program` with `args` in a new sandbox laid
    /// out by `plan`, with the limits set. Makes the plan's directories.
    /// Its standard streams are the caller's to set.
    pub fn command(
        &self,
        plan: &Plan,
        program: &Path,
        args: &[OsString],
    ) -> std::io::Result<Command> {
        let home = plan.dir.join("home");
        let work = home.join("work");
        let tmp = plan.dir.join("tmp");
        for dir in [&home, &work, &tmp] {
            std::fs::create_dir_all(dir)?;
        }
        let mut a = Args::default();
        a.flags(&[
            "--unshare-all",
            "--die-with-parent",
            "--new-session",
            "--cap-drop",
            "ALL",
            "--hostname",
            "sandbox",
            "--proc",
            "/proc",
            "--dev",
            "/dev",
        ]);
        a.bind("--ro-bind", Path::new("/usr"), Path::new("/usr"));
        for link in USR_LINKS.iter().map(Path::new) {
            match std::fs::read_link(link) {
                Ok(target) => a.bind("--symlink", &target, link),
                Err(_) if link.is_dir() => a.bind("--ro-bind", link, link),
                Err(_) => {}
            }
        }
        for file in ETC_FILES.iter().map(Path::new) {
            a.bind("--ro-bind-try", file, file);
        }
        let exe = std::env::current_exe()?;
        for dir in [&self.sysroot, &exe] {
            a.bind("--ro-bind", dir, dir);
        }
        for part in ["registry", "git"] {
            let dir = self.cargo_home.join(part);
            a.bind("--ro-bind-try", &dir, &dir);
        }
        if let Some(warm) = &plan.launch.warm_dir {
            a.bind("--ro-bind", warm, warm);
            for source in course_lib_sources(warm) {
                a.bind("--ro-bind-try", &source, &source);
            }
        }
        a.bind("--bind", &home, Path::new(HOME));
        a.bind("--bind", &tmp, Path::new("/tmp"));
        let wire = plan.dir.join("wire");
        std::fs::create_dir_all(&wire)?;
        a.bind("--bind", &wire, &wire);
        if let Some(notebook) = plan.notebook {
            let name = notebook.file_name().unwrap_or(notebook.as_os_str());
            let inside = Path::new(WORK).join(name);
            a.bind("--ro-bind", notebook, &inside);
        }
        a.flags(&["--chdir", WORK, "--clearenv"]);
        let bin = exe.parent().unwrap_or(Path::new("/usr/bin"));
        let path = std::env::join_paths([
            self.sysroot.join("bin").as_path(),
            bin,
            Path::new("/usr/local/bin"),
            Path::new("/usr/bin"),
            Path::new("/bin"),
        ])
        .map_err(std::io::Error::other)?;
        // The kernelspec's variables, but for the ones the sandbox sets.
        let own = ["PATH", "HOME", "USER", "TMPDIR", "CARGO_HOME"];
        let mut env: Vec<(OsString, OsString)> = plan
            .launch
            .env
            .iter()
            .filter(|(k, _)| !own.contains(&k.as_str()))
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        env.extend([
            ("PATH".into(), path),
            ("HOME".into(), HOME.into()),
            ("USER".into(), "student".into()),
            ("TMPDIR".into(), "/tmp".into()),
            ("CARGO_HOME".into(), self.cargo_home.clone().into()),
            ("CARGO_NET_OFFLINE".into(), "true".into()),
            (SANDBOXED_ENV.into(), "1".into()),
            (
                OUTPUT_LIMIT_ENV.into(),
                self.limits.output_kb.to_string().into(),
            ),
        ]);
        if let Some(level) = std::env::var_os("RCOURSE_LOG") {
            env.push(("RCOURSE_LOG".into(), level));
        }
        for (key, value) in env {
            a.0.extend(["--setenv".into(), key, value]);
        }
        a.0.push("--".into());
        a.0.push(program.into());
        a.0.extend(args.iter().cloned());

        let mut command = Command::new(&self.bwrap);
        command.args(&a.0);
        let limits = self.limits;
        let processes = self.user_processes.saturating_add(limits.processes);
        // SAFETY: setrlimit is async-signal-safe, as pre_exec requires.
        unsafe {
            command.pre_exec(move || set_limits(limits, processes));
        }
        Ok(command)
    }
}

/// bubblewrap's arguments, built up.
#[derive(Default)]
struct Args(Vec<OsString>);

impl Args {
    fn flags(&mut self, flags: &[&str]) {
        self.0.extend(flags.iter().map(OsString::from));
    }

    fn bind(&mut self, how: &str, source: &Path, target: &Path) {
        self.0
            .extend([how.into(), source.into(), target.as_os_str().to_owned()]);
    }
}

/// Sets the sandbox's resource limits on the calling process.
fn set_limits(limits: Limits, processes: u64) -> std::io::Result<()> {
    let mib = 1 << 20;
    for (resource, value) in [
        (libc::RLIMIT_DATA, limits.memory_mb.saturating_mul(mib)),
        (libc::RLIMIT_CPU, limits.cpu_seconds),
        (libc::RLIMIT_FSIZE, limits.file_mb.saturating_mul(mib)),
        (libc::RLIMIT_NPROC, processes),
        (libc::RLIMIT_CORE, 0),
    ] {
        let limit = libc::rlimit {
            rlim_cur: value,
            rlim_max: value,
        };
        // SAFETY: a plain system call on a valid struct.
        if unsafe { libc::setrlimit(resource, &limit) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

/// How many processes (threads included) this user runs now.
fn user_processes() -> u64 {
    // SAFETY: getuid cannot fail and touches no memory.
    let uid = unsafe { libc::getuid() };
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    entries
        .flatten()
        .filter(|entry| entry.file_name().as_bytes().iter().all(u8::is_ascii_digit))
        .filter_map(|entry| std::fs::read_to_string(entry.path().join("status")).ok())
        .filter(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("Uid:"))
                .and_then(|ids| ids.split_whitespace().next())
                .is_some_and(|real| real == uid.to_string())
        })
        .map(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("Threads:"))
                .and_then(|n| n.trim().parse::<u64>().ok())
                .unwrap_or(1)
        })
        .sum()
}

/// The sources the warm build of `warm` was made from: the course library,
/// and what it needs of its workspace (the root manifest and lock file, and
/// the crate it shares with the kernel). Not the rest of the workspace: in
/// a teacher's checkout that holds the solutions.
fn course_lib_sources(warm: &Path) -> Vec<PathBuf> {
    let manifest = std::fs::read(warm.join("rcourse-warm.json")).unwrap_or_default();
    let Some(course_lib) = serde_json::from_slice::<serde_json::Value>(&manifest)
        .ok()
        .and_then(|json| json["course_lib"].as_str().map(PathBuf::from))
    else {
        return Vec::new();
    };
    let Some(root) = course_lib.parent() else {
        return vec![course_lib];
    };
    vec![
        root.join("Cargo.toml"),
        root.join("Cargo.lock"),
        root.join("kernel/crates/cell"),
        course_lib.clone(),
    ]
}

/// A variable of the kernelspec's environment.
fn launch_var(launch: &Launch, name: &str) -> Option<String> {
    launch
        .env
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.clone())
}

/// The first executable named `name` on PATH.
fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_warm_builds_sources_are_its_library_and_workspace_files() {
        let dir = tempfile::tempdir().unwrap();
        let course_lib = dir.path().join("src/course-lib");
        let manifest = serde_json::json!({"course_lib": course_lib, "build_id": 1});
        std::fs::write(dir.path().join("rcourse-warm.json"), manifest.to_string()).unwrap();
        let sources = course_lib_sources(dir.path());
        assert_eq!(
            sources,
            [
                dir.path().join("src/Cargo.toml"),
                dir.path().join("src/Cargo.lock"),
                dir.path().join("src/kernel/crates/cell"),
                course_lib,
            ]
        );
        assert!(course_lib_sources(&dir.path().join("missing")).is_empty());
    }
}
