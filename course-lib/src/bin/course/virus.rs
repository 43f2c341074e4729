//! `course virus`: the day-by-day cases of an epidemic scenario, as CSV.
//!
//! The output has a header line and one line per day:
//!
//! ```text
//! day,cases,r0,lockdown,celebration
//! 0,1,1.2,0,0
//! 1,1,1.2,0,0
//! ```
//!
//! - `day`: the day number, from 0;
//! - `cases`: the reported cases of that day;
//! - `r0`: that day's reproduction number (tomorrow's cases are today's × r0);
//! - `lockdown`, `celebration`: 1 if a lockdown is in force / the day is a
//!   celebration, 0 otherwise.
//!
//! Every flag defaults to the course's scenario.

use std::error::Error;
use std::fmt;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

use course_lib::virus::{
    CELEBRATION_DAYS, CELEBRATION_MULTIPLIER, CRITICAL_CASES, DURATION, LOCKDOWN_DURATION,
    LOCKDOWN_R0, REGULAR_R0, Scenario,
};

/// The arguments of `course virus`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Output: CSV with the header day,cases,r0,lockdown,celebration \
    (lockdown and celebration are 1 or 0), one line per day from day 0."
)]
pub struct Args {
    /// How many days to simulate (days 0 to DAYS - 1)
    #[arg(long, value_name = "DAYS", default_value_t = DURATION)]
    duration: usize,

    /// The regular reproduction number
    #[arg(long, default_value_t = REGULAR_R0)]
    r0: f64,

    /// The reproduction number during a lockdown
    #[arg(long, value_name = "R0", default_value_t = LOCKDOWN_R0)]
    lockdown_r0: f64,

    /// A lockdown starts when a day's cases are strictly more than this
    #[arg(long, value_name = "CASES", default_value_t = CRITICAL_CASES)]
    critical: u64,

    /// How many days a lockdown lasts (0: never)
    #[arg(long, value_name = "DAYS", default_value_t = LOCKDOWN_DURATION)]
    lockdown_duration: usize,

    /// The factor applied to the R0 of a celebration day
    #[arg(long, value_name = "FACTOR", default_value_t = CELEBRATION_MULTIPLIER)]
    celebration_multiplier: f64,

    /// The celebration days, separated by commas ("" for none)
    #[arg(
        long,
        value_name = "DAY,DAY,...",
        default_value_t = DayList(CELEBRATION_DAYS.to_vec()),
        value_parser = parse_days,
    )]
    celebration_days: DayList,
}

/// A list of days written `74,75,76` on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
struct DayList(Vec<usize>);

impl fmt::Display for DayList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, day) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str(",")?;
            }
            write!(f, "{day}")?;
        }
        Ok(())
    }
}

/// Parses `74, 75,76` (spaces allowed); an empty text is no days.
fn parse_days(text: &str) -> Result<DayList, String> {
    if text.trim().is_empty() {
        return Ok(DayList(Vec::new()));
    }
    text.split(',')
        .map(|day| {
            let day = day.trim();
            day.parse::<usize>()
                .map_err(|_| format!("{day:?} is not a day number (0, 1, 2, ...)"))
        })
        .collect::<Result<Vec<usize>, String>>()
        .map(DayList)
}

/// Runs `course virus`.
pub fn run(args: Args) -> Result<ExitCode, Box<dyn Error>> {
    let scenario = Scenario::builder()
        .duration(args.duration)
        .regular_r0(args.r0)
        .lockdown_r0(args.lockdown_r0)
        .critical(args.critical)
        .lockdown_duration(args.lockdown_duration)
        .celebration_multiplier(args.celebration_multiplier)
        .celebration_days(args.celebration_days.0)
        .build()?;

    let mut out = BufWriter::new(std::io::stdout().lock());
    writeln!(out, "day,cases,r0,lockdown,celebration")?;
    for day in scenario.records() {
        writeln!(
            out,
            "{},{},{},{},{}",
            day.day,
            day.cases,
            day.r0,
            u8::from(day.lockdown),
            u8::from(day.celebration)
        )?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
