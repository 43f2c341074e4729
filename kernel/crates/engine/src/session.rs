//! The session thread: owns the evcxr context and runs one job at a time.

use super::forward::{self, Finish};
use super::interrupt::Interrupter;
use super::shell::{self, Step};
use super::{EngineConfig, Job, dep_paths, diagnostics, memory, preload, rustc, warm, warnings};
use evcxr::{CommandContext, EvalCallbacks, EvalOutputs};
use rcourse_magics::{self as magics, MagicContext, MagicError, Setting};
use rcourse_protocol::{
    CellError, CellOutcome, Completions, Documentation, MimeBundle, RunningCell,
};
use rcourse_syntax::docs;
use std::sync::Arc;
use tokio::sync::oneshot;

struct Session {
    context: CommandContext,
    finish: crossbeam_channel::Sender<Finish>,
    /// Said once, with the first cell: why the course library is missing.
    startup_note: Option<String>,
    /// The optimisation level cells are compiled with (evcxr's `:opt`).
    opt_level: String,
    /// The course library's sources, when the session loaded it.
    course_lib: Option<std::path::PathBuf>,
    /// Whether values show their type (evcxr's `:types`).
    show_types: bool,
    /// Whether rustc's warnings about a cell's code are shown (`%warnings`).
    show_warnings: bool,
    /// Where the rustc wrapper keeps the last cell build's warnings.
    warnings_file: std::path::PathBuf,
    /// Where cells and shell escapes run.
    notebook_dir: std::path::PathBuf,
}

/// The body of the session thread.
pub fn run(
    config: EngineConfig,
    jobs: std::sync::mpsc::Receiver<Job>,
    interrupter: Arc<Interrupter>,
) {
    let mut session = match Session::start(&config, &interrupter) {
        Ok(session) => session,
        Err(error) => {
            log::error!("the Rust engine could not start: {error:#}");
            drain_with_error(&jobs, &format!("{error:#}"));
            return;
        }
    };
    for job in jobs {
        match job {
            Job::Execute { code, cell, done } => {
                session.execute(&code, cell, done, &interrupter);
                // The cell's reply is on its way; what rust-analyzer and
                // the build freed goes back to the system meanwhile.
                memory::release_soon("a cell");
            }
            Job::Complete {
                code,
                position,
                reply,
            } => {
                let _ = reply.send(session.complete(&code, position));
            }
            Job::Inspect {
                code,
                position,
                reply,
            } => {
                let _ = reply.send(session.inspect(&code, position));
            }
        }
    }
}

/// Starts evcxr with its cell process in the notebook's directory (the
/// kernel itself works in the session directory: see
/// [`crate::KernelSetup::prepare`]).
fn start_evcxr(
    kernel_exe: &std::path::Path,
    notebook_dir: &std::path::Path,
) -> anyhow::Result<(CommandContext, evcxr::EvalContextOutputs)> {
    let mut cell_process = std::process::Command::new(kernel_exe);
    cell_process.current_dir(notebook_dir);
    let (context, outputs) = evcxr::EvalContext::with_subprocess_command(cell_process)
        .map_err(|e| anyhow::anyhow!("cannot start evcxr: {e}"))?;
    Ok((CommandContext::with_eval_context(context), outputs))
}

/// Answers every job with the reason the engine is missing.
pub(crate) fn drain_with_error(jobs: &std::sync::mpsc::Receiver<Job>, reason: &str) {
    for job in jobs {
        if let Job::Execute { done, .. } = job {
            let error = CellError::message(
                "EngineUnavailable",
                &format!("The Rust engine could not start: {reason}"),
            );
            let _ = done.send(Err(error));
        }
        // Other jobs drop their reply channel, which answers "nothing found".
    }
}

impl Session {
    fn start(config: &EngineConfig, interrupter: &Interrupter) -> anyhow::Result<Session> {
        let clock = std::time::Instant::now();
        // A warm build that was named but cannot be used (missing, or
        // writable by other users) is reported, not worked around: the
        // course library is then not loaded, rather than compiled from
        // sources that may not be trustworthy either.
        let mut warm_error = None;
        let warm = config.warm_dir.as_deref().and_then(|dir| {
            match warm::seed_session(dir, &config.session_dir) {
                Ok(seeded) => Some(seeded),
                Err(error) => {
                    log::error!("cannot use the warm build: {error:#}");
                    warm_error = Some(format!("{error:#}"));
                    None
                }
            }
        });
        let seeded_at = clock.elapsed();
        let (context, outputs) = start_evcxr(&config.kernel_exe, &config.notebook_dir)?;
        let evcxr_at = clock.elapsed();
        interrupter.watch(&context);
        let finish = forward::spawn(outputs);
        let mut session = Session {
            context,
            finish,
            startup_note: None,
            opt_level: "2".to_owned(),
            course_lib: None,
            show_types: false,
            show_warnings: true,
            warnings_file: rustc::warnings_file(&config.session_dir),
            notebook_dir: config.notebook_dir.clone(),
        };
        session
            .context
            .execute(&rustc::build_env(&config.kernel_exe, &config.session_dir))
            .map_err(|e| anyhow::anyhow!("cannot set evcxr's build environment: {e}"))?;
        if let Some(seeded) = &warm {
            seeded.restore_lock_file();
        }
        let course_lib = match (&warm, &warm_error) {
            (Some(seeded), _) => Some(seeded.course_lib.clone()),
            (None, Some(_)) => None,
            (None, None) => warm::course_lib_dir(),
        };
        if let Err(note) = session.load_course_lib(course_lib) {
            session.startup_note = Some(match warm_error {
                Some(error) => format!(
                    "The course library is not loaded: cannot use its prepared build. {error}"
                ),
                None => note,
            });
        }
        memory::release_soon("the course library was loaded");
        log::info!(
            "session ready in {:.2} s (warm build copied {:.2} s, evcxr started {:.2} s, course_lib loaded {:.2} s), resident {} MB",
            clock.elapsed().as_secs_f64(),
            seeded_at.as_secs_f64(),
            (evcxr_at - seeded_at).as_secs_f64(),
            (clock.elapsed() - evcxr_at).as_secs_f64(),
            memory::resident_mb()
        );
        Ok(session)
    }

    /// Loads the course library from `dir` and sets the cell process up
    /// ([`Session::set_up_process`]); says why when the library is missing.
    fn load_course_lib(&mut self, dir: Option<std::path::PathBuf>) -> Result<(), String> {
        self.course_lib = None;
        let Some(dir) = dir else {
            self.set_up_process();
            return Err("The course library was not found; cells run without it.".into());
        };
        let code = format!("{}{}", preload::course_lib(&dir), self.process_set_up(true));
        match self.context.execute(&code) {
            Ok(_) => {
                self.course_lib = Some(dir);
                Ok(())
            }
            Err(error) => {
                self.set_up_process();
                Err(format!(
                    "The course library could not be loaded; cells run without it.\n{}",
                    diagnostics::plain(&error)
                ))
            }
        }
    }

    /// What a new cell process runs before any cell: the panic hook, and
    /// the session's settings that live in the course library, when it is
    /// loaded (a new process starts with values shown without their type).
    fn process_set_up(&self, with_course_lib: bool) -> String {
        let mut code = preload::PANIC_HOOK.to_owned();
        if with_course_lib && self.show_types {
            code.push_str(&preload::show_types(true));
        }
        code
    }

    /// Sets a new cell process up (after a crash, `:restart` or an
    /// interrupt): [`Session::process_set_up`].
    fn set_up_process(&mut self) {
        let code = self.process_set_up(self.course_lib.is_some());
        if let Err(error) = self.context.execute(&code) {
            log::warn!(
                "cannot set the cell process up: {}",
                diagnostics::plain(&error)
            );
        }
    }

    /// Applies what the cell's evcxr commands changed: `:clear` forgot the
    /// course library (load it again), `:restart` started a bare process,
    /// `:types` and `:opt` changed a setting the kernel keeps. Settings are
    /// read from the commands' answers only, never from a cell's value.
    fn after_commands(&mut self, code: &str, outputs: &EvalOutputs) {
        let cell = rcourse_syntax::lines::Cell::read(code);
        let commands: Vec<&str> = cell.commands().collect();
        if commands.is_empty() {
            return;
        }
        if commands.contains(&"opt")
            && let Some(level) = setting(outputs, "Optimization: ")
        {
            self.opt_level = level.to_owned();
        }
        let types = commands
            .contains(&"types")
            .then(|| setting(outputs, "Types: ").map(|on| on == "true"))
            .flatten();
        let types_changed = types.is_some_and(|on| on != self.show_types);
        if let Some(on) = types {
            self.show_types = on;
        }
        if commands.contains(&"clear") {
            let dir = self.course_lib.take();
            if let Err(note) = self.load_course_lib(dir) {
                let _ = self.finish.send(Finish::Note(note));
            }
        } else if commands.contains(&"restart") {
            self.set_up_process();
        } else if types_changed
            && self.course_lib.is_some()
            && let Err(error) = self.context.execute(&preload::show_types(self.show_types))
        {
            log::warn!("cannot pass on :types: {}", diagnostics::plain(&error));
        }
    }

    fn execute(
        &mut self,
        code: &str,
        cell: RunningCell,
        done: oneshot::Sender<CellOutcome>,
        interrupter: &Interrupter,
    ) {
        let _ = self.finish.send(Finish::Begin {
            cell: cell.clone(),
            done,
        });
        if let Some(note) = self.startup_note.take() {
            let _ = self.finish.send(Finish::Note(note));
        }
        let variables = self.variables();
        let context = MagicContext {
            opt_level: &self.opt_level,
            variables: &variables,
            warnings: self.show_warnings,
        };
        let expansion = match magics::expand(code, &context) {
            Ok(expansion) => expansion,
            Err(error) => {
                let _ = self.finish.send(Finish::Cell(Err(usage_error(error))));
                return;
            }
        };
        match expansion.setting {
            Some(Setting::Warnings(on)) => self.show_warnings = on,
            None => {}
        }
        if !expansion.printed.is_empty() {
            let _ = self.finish.send(Finish::Print(expansion.printed));
        }
        if expansion.code.is_empty() {
            let _ = self.finish.send(Finish::Cell(Ok(None)));
            return;
        }
        let before: Vec<String> = variables.into_iter().map(|(name, _)| name).collect();
        interrupter.begin_cell();
        let result = self.evaluate(&expansion.code, code, &cell, interrupter);
        let interrupted = interrupter.end_cell();
        let outcome = match result {
            Ok(mut outputs) => {
                hide_internal_variables(&expansion.code, &mut outputs);
                if let Some(note) = timing_note(&outputs) {
                    let _ = self.finish.send(Finish::Note(note));
                }
                self.after_commands(&expansion.code, &outputs);
                Ok(trailing_value(outputs))
            }
            Err(Failure::Interrupted) => Err(shell::interrupted_error()),
            Err(Failure::Evcxr(evcxr::Error::CompilationErrors(errors))) => {
                Err(diagnostics::render(&errors, code))
            }
            Err(Failure::Evcxr(evcxr::Error::SubprocessTerminated(message))) => {
                self.set_up_process();
                Err(lost_process_error(interrupted, &message, &before))
            }
            Err(Failure::Evcxr(other)) => Err(CellError::message(
                "Error",
                &diagnostics::with_crate_cache_hint(other.to_string()),
            )),
        };
        let _ = self.finish.send(Finish::Cell(outcome));
    }

    /// Runs a cell's code, step by step: evcxr runs all of it but its
    /// shell escapes, which run where an interrupt reaches them (see
    /// [`shell`]). A cell without them is one evcxr step. The warnings of
    /// each step that point at `student_code` (the cell as written) are
    /// shown after the cell's output.
    fn evaluate(
        &mut self,
        code: &str,
        student_code: &str,
        cell: &RunningCell,
        interrupter: &Interrupter,
    ) -> Result<EvalOutputs, Failure> {
        let mut outputs = EvalOutputs::new();
        let mut warned = Vec::new();
        for step in shell::steps(code) {
            let done = match step {
                Step::Shell(command) => shell::run(command, &self.notebook_dir, interrupter),
                Step::Evcxr(code) => interrupter.evcxr_step(|| {
                    let _ = std::fs::remove_file(&self.warnings_file);
                    self.context.execute_with_callbacks(
                        &preload::with_final_flush(&docs::keep_leading_docs(&dep_paths::absolute(
                            &code,
                            &self.notebook_dir,
                        ))),
                        &mut EvalCallbacks {
                            input_reader: &|request| {
                                let prompt =
                                    request.prompt.replace(super::child::PROMPT_COLON, ":");
                                cell.input(&prompt, request.is_password).wait()
                            },
                        },
                    )
                }),
            };
            outputs.merge(done.ok_or(Failure::Interrupted)??);
            if self.show_warnings {
                warned.push(warnings::read(&self.warnings_file, student_code));
            }
        }
        warned.retain(|text| !text.is_empty());
        if !warned.is_empty() {
            let _ = self.finish.send(Finish::After(warned.join("\n")));
        }
        Ok(outputs)
    }

    fn complete(&mut self, code: &str, position: usize) -> Completions {
        match self.context.completions(code, position) {
            Ok(found) => Completions {
                matches: found
                    .completions
                    .into_iter()
                    .filter(|c| !preload::is_internal(&c.code))
                    .map(|c| without_arguments(&c.code).to_owned())
                    .collect(),
                start: found.start_offset,
                end: found.end_offset,
            },
            Err(error) => {
                log::debug!("completion failed: {error}");
                Completions {
                    start: position,
                    end: position,
                    ..Completions::default()
                }
            }
        }
    }

    fn inspect(&mut self, code: &str, position: usize) -> Option<Documentation> {
        let position = docs::position_in_kept(code, position);
        let code = docs::keep_leading_docs(code);
        let (plain, html) = self.context.hover_at(&code, position).ok()?;
        if plain.trim().is_empty() || plain == "No documentation found" {
            return None;
        }
        Some(Documentation { plain, html })
    }

    fn variables(&self) -> Vec<(String, String)> {
        let mut variables: Vec<(String, String)> = self
            .context
            .variables_and_types()
            .filter(|(name, _)| !preload::is_internal(name))
            .map(|(name, ty)| (name.to_owned(), ty.to_owned()))
            .collect();
        variables.sort();
        variables
    }
}

/// Leaves the kernel's own variables ([`preload::is_internal`]) out of what
/// evcxr's `:vars` lists (a line each in text, a table row in HTML).
fn hide_internal_variables(code: &str, outputs: &mut EvalOutputs) {
    if !rcourse_syntax::lines::Cell::read(code)
        .commands()
        .any(|command| command == "vars")
    {
        return;
    }
    if let Some(text) = outputs.content_by_mime_type.get_mut("text/plain") {
        *text = text
            .lines()
            .filter(|line| !preload::is_internal(line))
            .map(|line| format!("{line}\n"))
            .collect();
    }
    if let Some(html) = outputs.content_by_mime_type.get_mut("text/html") {
        // evcxr's rows: `<tr><td>NAME</td><td>TYPE</td><tr>`.
        let mut rows = html.split("<tr><td>");
        let mut kept = rows.next().unwrap_or_default().to_owned();
        for row in rows {
            if !preload::is_internal(row) {
                kept.push_str("<tr><td>");
                kept.push_str(row);
            }
        }
        *html = kept;
    }
}

/// Why a cell's code did not run to its end.
enum Failure {
    /// evcxr's error: the cell did not compile, its process was lost, a
    /// command failed.
    Evcxr(evcxr::Error),
    /// An interrupt stopped a shell escape, or came between two steps; the
    /// cell process was left alone.
    Interrupted,
}

impl From<evcxr::Error> for Failure {
    fn from(error: evcxr::Error) -> Failure {
        Failure::Evcxr(error)
    }
}

/// A magic's usage error, as the cell's error.
fn usage_error(error: MagicError) -> CellError {
    CellError {
        ename: "UsageError".to_owned(),
        evalue: error.evalue(),
        traceback: error.traceback(),
    }
}

/// A completion without rust-analyzer's argument snippet: `from_utf8(vec)`
/// becomes `from_utf8`, which is what a notebook inserts.
fn without_arguments(code: &str) -> &str {
    code.split_once('(').map_or(code, |(name, _)| name)
}

/// evcxr's `:timing` report: the whole cell and each phase.
fn timing_note(outputs: &EvalOutputs) -> Option<String> {
    let total = outputs.timing.filter(|_| !outputs.phases.is_empty())?;
    let phases: Vec<String> = outputs
        .phases
        .iter()
        .map(|phase| format!("{} {} ms", phase.name, phase.duration.as_millis()))
        .collect();
    Some(format!(
        "Took {} ms ({})",
        total.as_millis(),
        phases.join(", ")
    ))
}

/// The value of a setting that an evcxr command reports: `0` for `:opt`'s
/// "Optimization: 0" (`label` "Optimization: ").
fn setting<'a>(outputs: &'a EvalOutputs, label: &str) -> Option<&'a str> {
    let text = outputs.content_by_mime_type.get("text/plain")?;
    text.lines()
        .find_map(|line| line.trim().strip_prefix(label))
}

/// The rich content of the cell's trailing expression, if it had one.
fn trailing_value(outputs: EvalOutputs) -> Option<MimeBundle> {
    if outputs.content_by_mime_type.is_empty() {
        return None;
    }
    Some(outputs.content_by_mime_type.into_iter().collect())
}

/// Explains a lost cell process, naming the variables that went with it.
fn lost_process_error(interrupted: bool, message: &str, lost: &[String]) -> CellError {
    let (ename, headline) = if interrupted {
        (
            "Interrupted",
            "Interrupted: the cell was stopped by restarting the process that runs cells.",
        )
    } else {
        (
            "ProcessExited",
            "The process that runs cells stopped (a crash or process::exit) and was restarted.",
        )
    };
    let mut traceback = vec![headline.to_owned()];
    if !interrupted {
        traceback.extend(message.lines().map(str::to_owned));
    }
    traceback.push(if lost.is_empty() {
        "No variables were lost; functions, types and `use` items are kept.".to_owned()
    } else {
        format!(
            "Variables lost (run their cells again): {}. Functions, types and `use` items are kept.",
            lost.iter()
                .map(|name| format!("`{name}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    });
    CellError {
        ename: ename.to_owned(),
        evalue: headline.to_owned(),
        traceback,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vars_lists_no_internal_variable() {
        let mut outputs = EvalOutputs::new();
        outputs.content_by_mime_type.insert(
            "text/plain".into(),
            "rcourse_warm_up: Table\nx: i32\n".into(),
        );
        outputs.content_by_mime_type.insert(
            "text/html".into(),
            "<table><tr><th>Variable</th><th>Type</th></tr><tr><td>rcourse_warm_up</td><td>Table</td><tr><tr><td>x</td><td>i32</td><tr></table>".into(),
        );
        let untouched = outputs.content_by_mime_type.clone();
        hide_internal_variables("1 + 1", &mut outputs);
        assert_eq!(outputs.content_by_mime_type, untouched);
        hide_internal_variables(":vars", &mut outputs);
        assert_eq!(outputs.content_by_mime_type["text/plain"], "x: i32\n");
        assert_eq!(
            outputs.content_by_mime_type["text/html"],
            "<table><tr><th>Variable</th><th>Type</th></tr><tr><td>x</td><td>i32</td><tr></table>"
        );
    }
}
