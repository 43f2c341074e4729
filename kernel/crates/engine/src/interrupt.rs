//! Interrupt, restart and shutdown: stopping what a cell started.
//!
//! A cell's Rust runs in the cell process, which leads a process group of
//! its own ([`crate::child::lead_process_group`]); every process the cell
//! starts joins that group. Stopping the cell kills the whole group, so
//! nothing the cell started outlives it, or keeps evcxr's pipe from the
//! cell process open (which made evcxr wait for it). A cell's shell escapes
//! run in groups of their own, started by the kernel ([`crate::shell`]):
//! an interrupt then kills that group and leaves the cell process, and the
//! session's variables, alone.
//!
//! A process group's id is its leader's pid, which no new process gets
//! while the group has a member. Old groups (of a replaced cell process, of
//! a shell escape that left processes behind) are killed, or forgotten once
//! empty, at the end of a cell, so a kill reaches what is left of the group
//! and not a stranger that took its number later.

use super::ChildSlot;
use evcxr::CommandContext;
use std::process::{Command, Output};
use std::sync::{Mutex, MutexGuard};

/// Reaches what a cell is running, from the control handler.
#[derive(Default)]
pub struct Interrupter {
    child: ChildSlot,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    doing: Doing,
    interrupted: bool,
    /// The cell process when the cell began.
    cell_process: Option<u32>,
    /// Groups of shell escapes that left processes behind (`cmd &`).
    shell_leftovers: Vec<u32>,
}

/// What the running cell is doing.
#[derive(Default, Clone, Copy)]
enum Doing {
    /// No cell is running.
    #[default]
    NoCell,
    /// Between two steps of a cell.
    BetweenSteps,
    /// evcxr compiles or runs the cell's code, in the cell process.
    Evcxr,
    /// A shell escape runs, in the process group with this id.
    Shell(u32),
}

impl Interrupter {
    /// Follows the cell process of `context`, which evcxr replaces when it
    /// restarts it.
    pub fn watch(&self, context: &CommandContext) {
        *self.child.lock().unwrap_or_else(|e| e.into_inner()) = Some(context.process_handle());
    }

    /// Stops the running cell, if any: kills its shell command's group if
    /// one is running, else the cell process's group (evcxr then starts a
    /// new cell process).
    pub fn interrupt(&self) {
        let mut state = self.state();
        match state.doing {
            Doing::NoCell => return,
            Doing::BetweenSteps => {}
            Doing::Evcxr => self.kill_cell_process(),
            Doing::Shell(group) => kill_group(group),
        }
        state.interrupted = true;
    }

    /// Kills everything cells started, whatever it is doing: for the
    /// kernel's restart and shutdown.
    pub fn shut_down(&self) {
        let mut state = self.state();
        state.interrupted = true;
        if let Doing::Shell(group) = state.doing {
            kill_group(group);
        }
        for group in state.shell_leftovers.drain(..) {
            kill_group(group);
        }
        self.kill_cell_process();
        kill_descendants();
    }

    /// Starts a cell.
    pub fn begin_cell(&self) {
        let cell_process = self.cell_process();
        let mut state = self.state();
        state.doing = Doing::BetweenSteps;
        state.interrupted = false;
        state.cell_process = cell_process;
    }

    /// Runs `evaluate`, a step of the cell in evcxr; `None` if an
    /// interrupt came before it.
    pub fn evcxr_step<T>(&self, evaluate: impl FnOnce() -> T) -> Option<T> {
        {
            let mut state = self.state();
            if state.interrupted {
                return None;
            }
            state.doing = Doing::Evcxr;
        }
        let result = evaluate();
        self.state().doing = Doing::BetweenSteps;
        Some(result)
    }

    /// Runs `shell`, a shell escape that leads its own process group, to
    /// its end; `None` if an interrupt stopped it or came before it.
    ///
    /// Its output goes to unnamed temporary files rather than pipes, so a
    /// process it leaves running in the background (`cmd &`), which keeps
    /// them open, does not make the cell wait for it.
    pub fn run_shell(&self, shell: &mut Command) -> Option<std::io::Result<Output>> {
        let files = (tempfile::tempfile(), tempfile::tempfile());
        let (Ok(mut stdout), Ok(mut stderr)) = files else {
            return Some(Err(std::io::Error::other(
                "cannot create a file for the shell's output",
            )));
        };
        match (stdout.try_clone(), stderr.try_clone()) {
            (Ok(out), Ok(err)) => {
                shell.stdout(out).stderr(err);
            }
            (Err(error), _) | (_, Err(error)) => return Some(Err(error)),
        }
        let mut child = {
            // Spawned under the lock, so an interrupt sees the shell running.
            let mut state = self.state();
            if state.interrupted {
                return None;
            }
            match shell.spawn() {
                Ok(child) => {
                    state.doing = Doing::Shell(child.id());
                    child
                }
                Err(error) => return Some(Err(error)),
            }
        };
        let group = child.id();
        let output = child.wait().and_then(|status| {
            Ok(Output {
                status,
                stdout: read_from_start(&mut stdout)?,
                stderr: read_from_start(&mut stderr)?,
            })
        });
        let mut state = self.state();
        state.doing = Doing::BetweenSteps;
        if !state.interrupted && group_has_members(group) {
            state.shell_leftovers.push(group);
        }
        (!state.interrupted).then_some(output)
    }

    /// Ends a cell; tells whether it was interrupted. If evcxr replaced the
    /// cell process (after an interrupt, a crash or `:clear`), what is left
    /// of the old one's group is killed; processes that shell escapes left
    /// behind are kept until shutdown.
    pub fn end_cell(&self) -> bool {
        let mut state = self.state();
        state.doing = Doing::NoCell;
        if let Some(old) = state.cell_process.take()
            && self.cell_process() != Some(old)
        {
            kill_group(old);
        }
        state
            .shell_leftovers
            .retain(|&group| group_has_members(group));
        std::mem::take(&mut state.interrupted)
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The id of the cell process, which leads its process group.
    fn cell_process(&self) -> Option<u32> {
        let slot = self.child.lock().unwrap_or_else(|e| e.into_inner());
        let handle = slot.as_ref()?;
        let child = handle.lock().unwrap_or_else(|e| e.into_inner());
        Some(child.id())
    }

    fn kill_cell_process(&self) {
        let slot = self.child.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(handle) = slot.as_ref() {
            let mut child = handle.lock().unwrap_or_else(|e| e.into_inner());
            kill_group(child.id());
            // The process itself, should it not lead its group yet.
            let _ = child.kill();
        }
    }
}

/// What was written to `file`.
fn read_from_start(file: &mut std::fs::File) -> std::io::Result<Vec<u8>> {
    use std::io::{Read, Seek};
    let mut bytes = Vec::new();
    file.rewind()?;
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Makes the kernel the reaper of its orphaned descendants (on Linux): a
/// process that a cell starts and that leaves its process group and its
/// parent (`setsid cmd &`, a double fork) stays the kernel's descendant, so
/// that [`Interrupter::shut_down`] still finds it.
pub fn adopt_orphans() {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with these arguments only sets a flag of this process.
    if unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1) } == 0 {
        ADOPTING.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Whether this process is a kernel that adopts its orphans, whose
/// descendants are all the session's (not a test process's, say).
static ADOPTING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Sends SIGKILL to every descendant of the kernel, found through `/proc`,
/// until none is left (a dying process's children are handed to the
/// kernel, so a few rounds may be needed).
fn kill_descendants() {
    if !ADOPTING.load(std::sync::atomic::Ordering::Relaxed) {
        return;
    }
    for _ in 0..5 {
        let descendants = descendants_of(std::process::id());
        if descendants.is_empty() {
            return;
        }
        for pid in descendants {
            if let Ok(pid) = libc::pid_t::try_from(pid) {
                // SAFETY: kill has no memory effects.
                unsafe { libc::kill(pid, libc::SIGKILL) };
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// The fields of a `/proc/PID/stat` line after the command's closing
/// parenthesis: state, ppid, pgrp, and so on.
fn stat_fields(stat: &str) -> Vec<&str> {
    stat.rsplit_once(')')
        .map_or(vec![], |(_, rest)| rest.split_whitespace().collect())
}

/// The live (not zombie) descendants of `root`, from `/proc`.
fn descendants_of(root: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let mut parent_of: Vec<(u32, u32)> = Vec::new();
    for entry in entries.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
        let fields = stat_fields(&stat);
        if let (Some(state), Some(Ok(ppid))) = (fields.first(), fields.get(1).map(|p| p.parse()))
            && *state != "Z"
        {
            parent_of.push((pid, ppid));
        }
    }
    let mut found = vec![root];
    let mut next = 0;
    while next < found.len() {
        let parent = found[next];
        found.extend(
            parent_of
                .iter()
                .filter(|(_, ppid)| *ppid == parent)
                .map(|(pid, _)| *pid),
        );
        next += 1;
    }
    found.remove(0);
    found
}

/// Sends SIGKILL to every process of the group `group`.
fn kill_group(group: u32) {
    // Never 0 or 1: kill(0) is this process's own group, kill(-1) everyone.
    if let Ok(group) = libc::pid_t::try_from(group)
        && group > 1
    {
        // SAFETY: kill has no memory effects.
        unsafe { libc::kill(-group, libc::SIGKILL) };
    }
}

/// Whether the process group `group` still has a process.
fn group_has_members(group: u32) -> bool {
    libc::pid_t::try_from(group).is_ok_and(|group| {
        // SAFETY: kill with signal 0 only checks that the group exists.
        group > 1 && unsafe { libc::kill(-group, 0) } == 0
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::process::CommandExt;
    use std::time::{Duration, Instant};

    /// Whether a live process (not a zombie) is in the group `group`.
    fn group_is_alive(group: u32) -> bool {
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return group_has_members(group);
        };
        entries.flatten().any(|entry| {
            let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
            let fields = stat_fields(&stat);
            fields.len() > 2 && fields[0] != "Z" && fields[2] == group.to_string()
        })
    }

    #[test]
    fn shutdown_ends_what_a_shell_escape_left_running() {
        let interrupter = Interrupter::default();
        interrupter.begin_cell();
        let mut shell = Command::new("sh");
        shell.args(["-c", "sleep 30 &"]).process_group(0);
        let output = interrupter.run_shell(&mut shell).unwrap().unwrap();
        assert!(output.status.success());
        assert!(!interrupter.end_cell());
        let leftovers = interrupter.state().shell_leftovers.clone();
        assert_eq!(leftovers.len(), 1, "the background sleep was not noticed");
        assert!(group_is_alive(leftovers[0]));

        interrupter.shut_down();
        let start = Instant::now();
        while group_is_alive(leftovers[0]) {
            assert!(
                start.elapsed() < Duration::from_secs(2),
                "the sleep survived"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}
