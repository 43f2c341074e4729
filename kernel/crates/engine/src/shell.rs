//! evcxr's shell escapes (`! command` lines), run where an interrupt reaches them.
//!
//! evcxr runs a cell's `!` lines itself, with `sh -c`, and waits for each
//! with no handle that anyone else could stop: an interrupt during
//! `! sleep 100` killed the idle cell process (losing the session's
//! variables) and left the command running. So the kernel runs them, as
//! evcxr would (the command's stdout then stderr as the cell's text, an
//! error naming the exit code), but each in a process group of its own that
//! the [`Interrupter`] kills on interrupt; evcxr still runs the rest of the
//! cell, in the cell's order.

use super::interrupt::Interrupter;
use evcxr::EvalOutputs;
use rcourse_protocol::CellError;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};

/// One step of a cell.
#[derive(Debug, PartialEq, Eq)]
pub enum Step<'a> {
    /// A shell escape: the command of a `!` line.
    Shell(&'a str),
    /// Code for evcxr: the cell with every line that is not part of this
    /// step left empty, so that evcxr's line numbers are the cell's.
    Evcxr(String),
}

/// The steps of a cell, in order. A shell escape is what evcxr takes for
/// one: a line that starts with `!` before the cell's first line of Rust
/// (evcxr command lines, `//` comments and blank lines may come before it).
/// A cell without one is a single step, its code unchanged.
pub fn steps(code: &str) -> Vec<Step<'_>> {
    let lines: Vec<&str> = code.lines().collect();
    let mut steps = Vec::new();
    // The lines of the evcxr step being gathered, and whether it has any
    // that evcxr acts on (not only blank lines and comments).
    let mut gathered: Vec<usize> = Vec::new();
    let mut acts = false;
    let mut in_rust = false;
    for (number, line) in lines.iter().enumerate() {
        if !in_rust && line.starts_with('!') {
            if acts {
                steps.push(Step::Evcxr(keep_only(&lines, &gathered)));
            }
            gathered.clear();
            acts = false;
            steps.push(Step::Shell(line.trim_start_matches('!').trim()));
            continue;
        }
        let ignored = line.starts_with("//") || line.trim().is_empty();
        in_rust = in_rust || !(ignored || line.trim_start_matches(' ').starts_with(':'));
        acts = acts || !ignored;
        gathered.push(number);
    }
    if steps.is_empty() {
        return vec![Step::Evcxr(code.to_owned())];
    }
    if acts {
        steps.push(Step::Evcxr(keep_only(&lines, &gathered)));
    }
    steps
}

/// `lines` joined, with the lines not in `kept` left empty.
fn keep_only(lines: &[&str], kept: &[usize]) -> String {
    let kept_or_empty: Vec<&str> = (lines.iter().enumerate())
        .map(|(number, line)| if kept.contains(&number) { *line } else { "" })
        .collect();
    kept_or_empty.join("\n")
}

/// Runs a shell escape in `dir`, as evcxr does, in a process group of its own that
/// `interrupter` kills on interrupt. `None` when an interrupt stopped it,
/// or came before it started.
pub fn run(
    command: &str,
    dir: &std::path::Path,
    interrupter: &Interrupter,
) -> Option<Result<EvalOutputs, evcxr::Error>> {
    let mut shell = Command::new("sh");
    shell
        .arg("-c")
        .arg(command)
        .current_dir(dir)
        .stdin(Stdio::null())
        .process_group(0);
    end_with_kernel(&mut shell);
    let output = match interrupter.run_shell(&mut shell)? {
        Ok(output) => output,
        Err(error) => {
            return Some(Err(
                format!("Failed to execute shell command: {error}").into()
            ));
        }
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Some(Err(format!(
            "Shell command failed with exit code {}: {stderr}",
            output.status.code().unwrap_or_default()
        )
        .into()));
    }
    let mut outputs = EvalOutputs::new();
    outputs
        .content_by_mime_type
        .insert("text/plain".to_owned(), format!("{stdout}{stderr}"));
    Some(Ok(outputs))
}

/// On Linux, the shell gets SIGKILL if the kernel dies without stopping it.
fn end_with_kernel(shell: &mut Command) {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl is async-signal-safe, as pre_exec requires.
    unsafe {
        shell.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        });
    }
    #[cfg(not(target_os = "linux"))]
    let _ = shell;
}

/// The cell's error when an interrupt stopped its shell command.
pub fn interrupted_error() -> CellError {
    let headline = "Interrupted: the cell's shell command was stopped.";
    CellError {
        ename: "Interrupted".to_owned(),
        evalue: headline.to_owned(),
        traceback: vec![
            headline.to_owned(),
            "The process that runs cells was not restarted: every variable is kept.".to_owned(),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    #[test]
    fn a_cell_without_shell_escapes_is_one_step() {
        let code = ":dep x\nlet a = !true;\n! not a shell escape";
        assert_eq!(steps(code), [Step::Evcxr(code.to_owned())]);
    }

    #[test]
    fn shell_escapes_are_steps_of_their_own_in_order() {
        let code = "// note\n:opt 1\n!  echo one\n\n!!echo two\nlet a = 1;\n!a";
        assert_eq!(
            steps(code),
            [
                Step::Evcxr("// note\n:opt 1\n\n\n\n\n".to_owned()),
                Step::Shell("echo one"),
                Step::Shell("echo two"),
                Step::Evcxr("\n\n\n\n\nlet a = 1;\n!a".to_owned()),
            ]
        );
        assert_eq!(steps("! ls\n// done\n"), [Step::Shell("ls")]);
    }

    #[test]
    fn a_shell_escape_shows_what_it_printed_or_why_it_failed() {
        let interrupter = Interrupter::default();
        let outputs = run(
            "echo out; echo err >&2",
            std::path::Path::new("."),
            &interrupter,
        )
        .unwrap()
        .unwrap();
        assert_eq!(outputs.get("text/plain"), Some("out\nerr\n"));
        let error = run(
            "echo out; echo err >&2; exit 3",
            std::path::Path::new("."),
            &interrupter,
        )
        .unwrap();
        assert_eq!(
            error.unwrap_err().to_string(),
            "Shell command failed with exit code 3: err\n"
        );
    }

    #[test]
    fn an_interrupt_stops_a_shell_escape_and_what_it_started() {
        let interrupter = Arc::new(Interrupter::default());
        interrupter.begin_cell();
        let stopper = {
            let interrupter = Arc::clone(&interrupter);
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(300));
                interrupter.interrupt();
            })
        };
        let start = Instant::now();
        // The background sleep holds the output pipe: the whole group must go.
        let outcome = run(
            "sleep 30 & sleep 31; wait",
            std::path::Path::new("."),
            &interrupter,
        );
        stopper.join().unwrap();
        assert!(outcome.is_none(), "not reported as interrupted");
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{:?}",
            start.elapsed()
        );
        assert!(interrupter.end_cell());
        // A later cell starts afresh.
        interrupter.begin_cell();
        assert!(run("true", std::path::Path::new("."), &interrupter).is_some());
        assert!(!interrupter.end_cell());
    }
}
