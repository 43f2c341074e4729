//! `course`: the course's mini-projects on the command line, for teachers.
//!
//! Each subcommand runs one mini-project's reference solution and prints
//! plain text (or CSV) that can be piped into other tools:
//!
//! ```text
//! course bfs --graph graph.json          # visit order from node 1
//! course virus > cases.csv               # the day-by-day epidemic
//! course nilakantha --terms 1000000 --digits 30
//! ```
//!
//! Exit status: 0 on success, 1 when a search finds nothing (`codebreaker`),
//! 2 on bad arguments or bad input, with one line `course: <message>` on
//! standard error.

mod bank;
mod bfs;
mod chess;
mod codebreaker;
mod nilakantha;
mod stocks;
mod virus;

use std::error::Error;
use std::io::ErrorKind;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// The mini-projects of the course, from the command line.
#[derive(Parser, Debug)]
#[command(name = "course", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Breadth-first search: visit order of a JSON graph, or timings of every variant
    Bfs(bfs::Args),
    /// Recover a password of ASCII letters from its MD5 digest
    Codebreaker(codebreaker::Args),
    /// Stock investment: best trade, moving averages and back-tests
    Stocks(stocks::Args),
    /// Chess master: one master against many opponents, in turn or at once
    Chess(chess::Args),
    /// Virus spread: day-by-day cases of a scenario, as CSV
    Virus(virus::Args),
    /// Money transfers: the course's scenario for every kind of account
    Bank(bank::Args),
    /// π with the Nilakantha series, in f64 and exactly
    Nilakantha(nilakantha::Args),
}

/// The exit status for errors: bad arguments or bad input.
const FAILURE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Bfs(args) => bfs::run(args),
        Command::Codebreaker(args) => codebreaker::run(args),
        Command::Stocks(args) => stocks::run(args),
        Command::Chess(args) => chess::run(args),
        Command::Virus(args) => virus::run(args),
        Command::Bank(args) => bank::run(args),
        Command::Nilakantha(args) => nilakantha::run(args),
    };
    match result {
        Ok(code) => code,
        // `course virus | head`: the reader has seen enough; not an error.
        Err(error) if is_broken_pipe(error.as_ref()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("course: {error}");
            ExitCode::from(FAILURE)
        }
    }
}

/// Whether `error` is a write to a pipe whose reader has gone.
fn is_broken_pipe(error: &(dyn Error + 'static)) -> bool {
    error
        .downcast_ref::<std::io::Error>()
        .is_some_and(|error| error.kind() == ErrorKind::BrokenPipe)
}
