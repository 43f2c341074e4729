//! The `course codebreaker` subcommand: recovers a password of ASCII
//! letters from its MD5 digest with the fast multi-lane search.

use std::error::Error;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use course_lib::codebreaker::{FastSearch, Md5Digest, Progress};

/// `course codebreaker`: finds the password of ASCII letters (a-z, A-Z) of a
/// known length whose MD5 digest is given, by trying every candidate.
///
/// Prints `tested N candidates in X s (Y million candidates/s)`, then the
/// password alone on the last line (or `not found`, with exit code 1).
/// While it runs, a progress line is shown on stderr if it is a terminal.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// MD5 digest, 32 hex digits
    #[arg(long)]
    pub digest: String,
    /// Password length in letters (1 to 6)
    #[arg(long)]
    pub password_length: usize,
    /// worker threads (default: all cores)
    #[arg(long)]
    pub threads: Option<usize>,
}

/// Runs `course codebreaker`: exit code 0 when found, 1 when not found;
/// bad arguments are returned as errors.
pub fn run(args: Args) -> Result<ExitCode, Box<dyn Error>> {
    let digest: Md5Digest = args.digest.trim().parse()?;
    let mut search = FastSearch::new();
    if let Some(threads) = args.threads {
        if threads == 0 {
            return Err("--threads must be at least 1".into());
        }
        search = search.threads(threads);
    }

    let show_progress = std::io::stderr().is_terminal();
    let mut widest = 0;
    let cracked =
        search.run_with_progress(&digest, args.password_length, |progress: Progress| {
            if show_progress {
                let line = progress.to_string();
                widest = widest.max(line.len());
                let mut stderr = std::io::stderr().lock();
                let _ = write!(stderr, "\r{line:<widest$}");
                let _ = stderr.flush();
            }
        })?;
    if show_progress && widest > 0 {
        // Clear the progress line before the results.
        eprint!("\r{:widest$}\r", "");
    }

    let seconds = cracked.elapsed.as_secs_f64();
    println!(
        "tested {} candidates in {seconds:.3} s ({:.1} million candidates/s)",
        cracked.tested,
        cracked.candidates_per_second() / 1e6
    );
    match cracked.password {
        Some(password) => {
            println!("{password}");
            Ok(ExitCode::SUCCESS)
        }
        None => {
            println!("not found");
            Ok(ExitCode::from(1))
        }
    }
}
