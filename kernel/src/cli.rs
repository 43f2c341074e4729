//! The command line: `rcourse kernel | install | uninstall`.

use crate::install::{self, Destination};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

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
    },
    /// Install the `rcourse` kernelspec and prepare the warm build of the course library.
    Install(Where),
    /// Remove the `rcourse` kernelspec.
    Uninstall(Where),
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

/// Parses the command line, runs the command and turns its error, if any,
/// into one sentence on stderr and a non-zero exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Kernel {
            connection_file,
            warm_dir,
        } => crate::kernel::run(&connection_file, warm_dir),
        Command::Install(place) => install::install(place.destination()),
        Command::Uninstall(place) => install::uninstall(place.destination()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("rcourse: {error:#}");
            ExitCode::FAILURE
        }
    }
}
