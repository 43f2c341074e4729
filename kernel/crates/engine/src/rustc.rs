//! The kernel's rustc wrapper: what cargo runs instead of rustc when evcxr
//! builds a session's crates.
//!
//! evcxr builds every cell as a crate named [`CELL_CRATE`], without debug
//! information, and keeps rustc's messages only when the build fails. For
//! that crate alone (the course library and other dependencies are built
//! exactly as cargo asks, so the warm build stays fresh) the wrapper:
//!
//! - adds line tables, so that `%prun`'s profiles can name the student's
//!   functions even where the optimiser inlined them;
//! - copies rustc's warnings (JSON diagnostics) to the file named by
//!   [`WARNINGS_FILE_ENV`], which the kernel reads after the cell
//!   ([`crate::warnings`]), and passes every line on to cargo unchanged.
//!
//! The kernel points cargo at the wrapper with evcxr's `:build_env`
//! ([`build_env`]), so only evcxr's builds use it. When evcxr wraps rustc
//! itself (with `:cache` or `:allow_static_linking 0`) its wrapper takes
//! the place of this one, and cells show no warnings.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The name evcxr gives the crate of each cell.
pub const CELL_CRATE: &str = "ctx";

/// Set (to `1`) when this binary runs as the rustc wrapper.
const WRAPPER_ENV: &str = "RCOURSE_RUSTC_WRAPPER";

/// The file the wrapper writes the cell's warnings to, one JSON diagnostic
/// per line.
pub const WARNINGS_FILE_ENV: &str = "RCOURSE_WARNINGS_FILE";

/// Set by evcxr when it starts this binary as its own rustc wrapper.
const EVCXR_WRAPPER_ENV: &str = "EVCXR_RUSTC_WRAPPER";

/// The file, in the session directory `dir`, that holds the last cell's warnings.
pub fn warnings_file(dir: &Path) -> PathBuf {
    dir.join("rcourse-warnings.jsonl")
}

/// evcxr's `:build_env` commands that route the session's builds through
/// the wrapper (the kernel's binary, `exe`), with the cell's warnings
/// written to [`warnings_file`].
pub fn build_env(exe: &Path, session_dir: &Path) -> String {
    format!(
        ":build_env RUSTC_WRAPPER={}\n:build_env {WRAPPER_ENV}=1\n:build_env {WARNINGS_FILE_ENV}={}\n",
        exe.display(),
        warnings_file(session_dir).display()
    )
}

/// Whether cargo started this process as the kernel's rustc wrapper.
pub fn is_wrapper() -> bool {
    std::env::var_os(WRAPPER_ENV).is_some() && std::env::var_os(EVCXR_WRAPPER_ENV).is_none()
}

/// Runs rustc as cargo asked (`rcourse RUSTC ARGS...`), with line tables
/// and warnings kept for a cell's crate. Never returns.
pub fn wrap() -> ! {
    let mut args = std::env::args_os().skip(1);
    let Some(rustc) = args.next() else {
        eprintln!("rcourse: the rustc wrapper needs rustc's path");
        std::process::exit(2);
    };
    let args: Vec<String> = args.map(|arg| arg.to_string_lossy().into_owned()).collect();
    let mut command = Command::new(rustc);
    if !builds_cell(&args) {
        let error = command.args(&args).exec();
        eprintln!("rcourse: cannot run rustc: {error}");
        std::process::exit(2);
    }
    command.args(cell_args(&args)).stderr(Stdio::piped());
    let code = match run_keeping_warnings(command) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("rcourse: cannot run rustc: {error}");
            2
        }
    };
    std::process::exit(code);
}

/// Whether `args` build a cell's crate.
fn builds_cell(args: &[String]) -> bool {
    args.windows(2)
        .any(|pair| pair[0] == "--crate-name" && pair[1] == CELL_CRATE)
}

/// A cell's rustc arguments with line tables kept: evcxr strips debug
/// information (`-C strip=debuginfo`) and asks for none.
fn cell_args(args: &[String]) -> Vec<String> {
    let mut out = Vec::with_capacity(args.len() + 2);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        if arg == "-C" {
            match args.next() {
                Some(value) if value.starts_with("strip=") || value.starts_with("debuginfo=") => {}
                Some(value) => out.extend([arg.clone(), value.clone()]),
                None => out.push(arg.clone()),
            }
        } else if !(arg.starts_with("-Cstrip=") || arg.starts_with("-Cdebuginfo=")) {
            out.push(arg.clone());
        }
    }
    out.extend(["-C".to_owned(), "debuginfo=line-tables-only".to_owned()]);
    out
}

/// Runs `command` (stderr piped), passing its stderr on line by line and
/// copying the warnings among it to the warnings file; returns the exit
/// code.
fn run_keeping_warnings(mut command: Command) -> std::io::Result<i32> {
    let mut child = command.spawn()?;
    let stderr = child.stderr.take().expect("stderr is piped");
    let mut kept = std::env::var_os(WARNINGS_FILE_ENV)
        .and_then(|path| std::fs::File::create(path).ok())
        .map(std::io::BufWriter::new);
    let mut out = std::io::stderr().lock();
    for line in BufReader::new(stderr).split(b'\n') {
        let mut line = line?;
        line.push(b'\n');
        out.write_all(&line)?;
        if let Some(kept) = &mut kept
            && is_warning(&line)
        {
            kept.write_all(&line)?;
        }
    }
    if let Some(mut kept) = kept {
        kept.flush()?;
    }
    Ok(child.wait()?.code().unwrap_or(1))
}

/// Whether a line of rustc's JSON output is a warning.
fn is_warning(line: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(line)
        .is_ok_and(|json| json["$message_type"] == "diagnostic" && json["level"] == "warning")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|arg| arg.to_string()).collect()
    }

    #[test]
    fn only_the_cell_crate_is_changed() {
        assert!(builds_cell(&strings(&[
            "--crate-name",
            "ctx",
            "src/lib.rs"
        ])));
        assert!(!builds_cell(&strings(&["--crate-name", "course_lib"])));
        assert!(!builds_cell(&strings(&["ctx"])));
    }

    #[test]
    fn cells_keep_line_tables() {
        let args = strings(&[
            "--crate-name",
            "ctx",
            "-C",
            "strip=debuginfo",
            "-C",
            "opt-level=2",
            "-Cdebuginfo=0",
        ]);
        assert_eq!(
            cell_args(&args),
            strings(&[
                "--crate-name",
                "ctx",
                "-C",
                "opt-level=2",
                "-C",
                "debuginfo=line-tables-only"
            ])
        );
    }

    #[test]
    fn warnings_are_told_from_other_lines() {
        assert!(is_warning(
            br#"{"$message_type":"diagnostic","level":"warning","message":"unused"}"#
        ));
        assert!(!is_warning(
            br#"{"$message_type":"diagnostic","level":"error","message":"E0308"}"#
        ));
        assert!(!is_warning(br#"{"$message_type":"artifact"}"#));
        assert!(!is_warning(b"not json"));
    }
}
