//! `course chess`: a chess master against several opponents, on virtual time.
//!
//! Runs the synchronous simulation (one move at a time in the whole room),
//! the asynchronous one (one task per board) or both, and prints every move
//! as CSV, in start order:
//!
//! ```text
//! mode,who,board,start_ms,end_ms
//! sync,master,1,0,1000
//! sync,opponent,1,1000,6000
//! ```
//!
//! - `mode`: `sync` or `async`;
//! - `who`: `master` or `opponent` (opponent `k` plays board `k`);
//! - `board`: the board, from 1;
//! - `start_ms`, `end_ms`: when the thinking started and ended, in
//!   milliseconds of game time from the start.
//!
//! The totals go to standard error, one line per mode. The exit status is 1
//! if a recorded timeline breaks a law of the exhibition (which would be a
//! bug). Every flag defaults to the course's exhibition.

use std::error::Error;
use std::io::{BufWriter, Write};
use std::process::ExitCode;
use std::time::Duration;

use course_lib::chess::{Config, DEFAULT_OPPONENTS, DEFAULT_ROUNDS, Mode, Simulation, simulate};

/// Which simulations to run.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
enum Which {
    /// One move at a time in the whole room
    Sync,
    /// One task per board, boards served as they become ready
    Async,
    /// Both, synchronous first
    Both,
}

/// A chess master against several opponents, in turn or at once, on
/// virtual time.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Output: CSV with the header mode,who,board,start_ms,end_ms, one line per \
    move; the totals go to standard error. Times are virtual: the run takes milliseconds."
)]
pub struct Args {
    /// How many opponents the master plays (one board each)
    #[arg(long, value_name = "N", default_value_t = DEFAULT_OPPONENTS)]
    opponents: usize,

    /// How many rounds each board plays (a master move and the reply)
    #[arg(long, value_name = "N", default_value_t = DEFAULT_ROUNDS)]
    rounds: usize,

    /// How long one master move takes (a whole number of milliseconds)
    #[arg(long, value_name = "SECONDS", default_value_t = 1.0)]
    master_seconds: f64,

    /// How long one opponent move takes (a whole number of milliseconds)
    #[arg(long, value_name = "SECONDS", default_value_t = 5.0)]
    opponent_seconds: f64,

    /// Which simulation to run
    #[arg(long, value_enum, default_value_t = Which::Both)]
    mode: Which,
}

/// Runs the requested simulations and prints them.
pub fn run(args: Args) -> Result<ExitCode, Box<dyn Error>> {
    let config = Config::builder()
        .opponents(args.opponents)
        .rounds(args.rounds)
        .master_move(seconds("--master-seconds", args.master_seconds)?)
        .opponent_move(seconds("--opponent-seconds", args.opponent_seconds)?)
        .build()?;
    let modes: &[Mode] = match args.mode {
        Which::Sync => &[Mode::Sync],
        Which::Async => &[Mode::Async],
        Which::Both => &Mode::ALL,
    };
    let runs: Vec<Simulation> = modes.iter().map(|&mode| simulate(mode, &config)).collect();

    let mut out = BufWriter::new(std::io::stdout().lock());
    write_csv(&mut out, &runs)?;
    out.flush()?;

    let mut all_lawful = true;
    for run in &runs {
        let laws = match run.check_laws() {
            Ok(()) => "laws respected".to_string(),
            Err(violation) => {
                all_lawful = false;
                format!("LAW BROKEN: {violation}")
            }
        };
        eprintln!(
            "{}: total {} ms (shortest possible {} ms), {laws}",
            run.mode(),
            run.total().as_millis(),
            config.shortest_total().as_millis()
        );
    }
    Ok(if all_lawful {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// A number of seconds from the command line, to the nearest microsecond
/// (so that `0.1` is exactly 100 ms); the configuration then checks it.
fn seconds(flag: &str, value: f64) -> Result<Duration, Box<dyn Error>> {
    if !value.is_finite() || value < 0.0 {
        return Err(format!("{flag} must be a number of seconds, not {value}").into());
    }
    // Too large a value saturates, and the configuration rejects it.
    Ok(Duration::from_micros((value * 1e6).round() as u64))
}

/// Writes the header and one line per move of every run.
fn write_csv(out: &mut impl Write, runs: &[Simulation]) -> std::io::Result<()> {
    writeln!(out, "mode,who,board,start_ms,end_ms")?;
    for run in runs {
        for m in run.timeline() {
            writeln!(
                out,
                "{},{},{},{},{}",
                run.mode(),
                m.who,
                m.board,
                m.start.as_millis(),
                m.end.as_millis()
            )?;
        }
    }
    Ok(())
}
