//! The command line: `rcourse kernel | install | uninstall | export | run | grade`.

use crate::install::{self, Destination};
use anyhow::Result;
use clap::{Args, Parser, Subcommand};
use rcourse_engine::{Engine, KernelSetup};
use rcourse_teacher as notebook;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

/// A Jupyter kernel for the Rust course, with `course_lib` preloaded.
#[derive(Parser)]
#[command(name = "rcourse", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the kernel on the sockets of a Jupyter connection file (Jupyter starts this).
    Kernel {
        /// The connection file that Jupyter wrote for this kernel.
        #[arg(long, value_name = "FILE")]
        connection_file: PathBuf,
        /// The prepared build of the course library (written by `rcourse install`).
        #[arg(long, value_name = "DIR")]
        warm_dir: Option<PathBuf>,
        /// Keep no history of the cells on disk (`rcourse run` and `grade` start kernels so).
        #[arg(long)]
        no_history: bool,
    },
    /// Install the `rcourse` kernelspec and prepare the warm build of the course library.
    Install(Where),
    /// Remove the `rcourse` kernelspec.
    Uninstall(Where),
    /// Make student notebooks from completed ones: solutions become stubs,
    /// hidden tests are removed, outputs are cleared (nbgrader-compatible).
    Export {
        /// Teacher notebooks, or directories to search for them.
        #[arg(required = true, value_name = "NOTEBOOK|DIR")]
        inputs: Vec<PathBuf>,
        /// Where the student notebooks go.
        #[arg(long, value_name = "DIR", default_value = "student")]
        out: PathBuf,
    },
    /// Run a notebook top to bottom on the kernel and save it with its outputs.
    Run {
        /// The notebook to run.
        notebook: PathBuf,
        /// Where to save it [default: NAME.nbconvert.ipynb beside it].
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// The longest a cell may run before it is interrupted.
        #[arg(long, value_name = "SECONDS", default_value_t = 120.0, value_parser = seconds)]
        timeout: f64,
        /// Go on after a failing cell (cells tagged `raises-exception` may always fail).
        #[arg(long)]
        allow_errors: bool,
        /// Run the kernel in a sandbox, as `grade` does (for notebooks you did not write).
        #[arg(long)]
        sandbox: bool,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Grade students' notebooks against the teacher's, hidden tests included.
    Grade {
        /// The students' notebooks (never modified).
        #[arg(required = true, value_name = "SUBMISSION")]
        submissions: Vec<PathBuf>,
        /// The teacher's notebook, with solutions and hidden tests.
        #[arg(long, value_name = "TEACHER.ipynb")]
        source: PathBuf,
        /// How to print the report.
        #[arg(long, value_enum, default_value = "text")]
        format: notebook::Format,
        /// The longest a cell may run before it is interrupted and scores 0.
        #[arg(long, value_name = "SECONDS", default_value_t = 60.0, value_parser = seconds)]
        timeout: f64,
        /// How many submissions to grade at once (each on its own kernel).
        #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..))]
        jobs: u16,
        /// Write each student's feedback page (STUDENT.html) in this directory.
        #[arg(long, value_name = "DIR")]
        feedback: Option<PathBuf>,
        /// Run student code with your rights, without a sandbox: only for submissions you trust.
        #[arg(long)]
        unsafe_no_sandbox: bool,
        #[command(flatten)]
        limits: LimitArgs,
    },
}

/// The limits of the sandbox that each kernel runs in.
#[derive(Args)]
struct LimitArgs {
    /// Memory per process in the sandbox, in MiB.
    #[arg(long, value_name = "MIB", default_value_t = notebook::Limits::default().memory_mb)]
    memory_mb: u64,
    /// CPU seconds per process in the sandbox.
    #[arg(long, value_name = "SECONDS", default_value_t = notebook::Limits::default().cpu_seconds)]
    cpu_seconds: u64,
    /// Processes the sandbox may start (not enforced when you are root).
    #[arg(long, value_name = "N", default_value_t = notebook::Limits::default().processes)]
    max_processes: u64,
    /// The largest file a process in the sandbox may write, in MiB.
    #[arg(long, value_name = "MIB", default_value_t = notebook::Limits::default().file_mb)]
    file_mb: u64,
    /// The output a cell may show, in KiB; the rest is left out with a note.
    #[arg(long, value_name = "KIB", default_value_t = notebook::Limits::default().output_kb)]
    output_kb: u64,
}

impl LimitArgs {
    fn limits(&self) -> notebook::Limits {
        notebook::Limits {
            memory_mb: self.memory_mb,
            cpu_seconds: self.cpu_seconds,
            file_mb: self.file_mb,
            processes: self.max_processes,
            output_kb: self.output_kb,
        }
    }
}

/// A positive number of seconds.
fn seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(value) if value > 0.0 && value.is_finite() => Ok(value),
        _ => Err(format!("`{text}` is not a positive number of seconds")),
    }
}

/// Where the kernelspec goes; the user's Jupyter data directory by default.
#[derive(Args)]
#[group(multiple = false)]
struct Where {
    /// The current user's Jupyter data directory (the default).
    #[arg(long)]
    user: bool,
    /// The active Python environment (`$VIRTUAL_ENV` or `$CONDA_PREFIX`).
    #[arg(long)]
    sys_prefix: bool,
    /// `DIR/share/jupyter/kernels/rcourse`.
    #[arg(long, value_name = "DIR")]
    prefix: Option<PathBuf>,
}

impl Where {
    fn destination(self) -> Destination {
        match (self.sys_prefix, self.prefix) {
            (_, Some(dir)) => Destination::Prefix(dir),
            (true, None) => Destination::SysPrefix,
            (false, None) => Destination::User,
        }
    }
}

/// Makes this process impossible to trace or to read through /proc by
/// processes of the same user without privileges: in a grading sandbox,
/// the cells a student wrote must not reach into the kernel that reports
/// on them (its key, the tokens of the tests it runs). Children get their
/// own, ordinary setting when they start a program.
fn refuse_tracing() {
    // SAFETY: prctl with integer arguments only.
    if unsafe { libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0) } != 0 {
        log::warn!(
            "cannot protect the kernel from tracing: {}",
            std::io::Error::last_os_error()
        );
    }
}

/// `rcourse kernel`: the evcxr engine served on a Jupyter connection.
fn kernel(connection_file: &Path, warm_dir: Option<PathBuf>, no_history: bool) -> Result<()> {
    let connection = rcourse_protocol::read_connection_file(connection_file)?;
    if std::env::var_os(rcourse_cell::SANDBOXED_ENV).is_some() {
        refuse_tracing();
    }
    // Before the engine's and the protocol's threads start. Kept until the
    // kernel exits: it holds the session directory.
    let setup = KernelSetup::prepare(warm_dir);
    let engine = match &setup {
        Ok(setup) => Engine::start(setup.engine_config()),
        Err(error) => {
            log::error!("the Rust engine cannot start: {error:#}");
            Engine::unavailable(format!("{error:#}"))
        }
    };
    let mut options = rcourse_protocol::KernelOptions::default();
    if no_history {
        options.history_file = None;
    }
    rcourse_protocol::run(&connection, engine, options)
}

/// Parses the command line, runs the command and turns its error, if any,
/// into one sentence on stderr and a non-zero exit code.
pub fn run() -> ExitCode {
    match execute(Cli::parse().command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("rcourse: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Runs one command.
fn execute(command: Command) -> Result<()> {
    match command {
        Command::Kernel {
            connection_file,
            warm_dir,
            no_history,
        } => kernel(&connection_file, warm_dir, no_history)?,
        Command::Install(place) => install::install(place.destination())?,
        Command::Uninstall(place) => install::uninstall(place.destination())?,
        Command::Export { inputs, out } => notebook::export(&inputs, &out)?,
        Command::Run {
            notebook,
            out,
            timeout,
            allow_errors,
            sandbox,
            limits,
        } => notebook::run(notebook::RunOptions {
            notebook,
            out,
            timeout: Duration::from_secs_f64(timeout),
            allow_errors,
            sandbox: sandbox.then(|| limits.limits()),
        })?,
        Command::Grade {
            submissions,
            source,
            format,
            timeout,
            jobs,
            feedback,
            unsafe_no_sandbox,
            limits,
        } => notebook::grade(notebook::GradeOptions {
            submissions,
            source,
            format,
            timeout: Duration::from_secs_f64(timeout),
            jobs: usize::from(jobs),
            sandbox: (!unsafe_no_sandbox).then(|| limits.limits()),
            feedback,
        })?,
    }
    Ok(())
}
