//! `course bank`: the course's money transfer scenario, and the agios example.
//!
//! For each kind of account held by Alice and Bob (internal, blocked, agios),
//! prints the transfers that happened, the refused ones, the monitor's
//! warnings and every final balance. Then the agios example: Bob's agios
//! account is below zero from day 3, Alice credits him 100 some days later,
//! and Bob pays one unit per day to the bank.

use std::error::Error;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

use clap::ValueEnum;
use course_lib::bank::{Date, Kind, Ledger, course_scenario};

/// The day Bob goes below zero in the course's scenario (his 200 purchase).
const BOB_NEGATIVE_DAY: u32 = 3;

/// The arguments of `course bank`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Only this kind of account for Alice and Bob (default: all three)
    #[arg(long, value_enum)]
    kind: Option<KindArg>,

    /// In the agios example, how many days after going below zero Bob is credited
    #[arg(long, value_name = "DAYS", default_value_t = 5)]
    agios_days: u32,
}

/// A kind of account, as written on the command line.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum KindArg {
    /// May go below zero, at no cost
    Internal,
    /// Refuses to go below zero
    Blocked,
    /// May go below zero; each day below zero costs 1, paid to the bank
    Agios,
}

impl From<KindArg> for Kind {
    fn from(kind: KindArg) -> Kind {
        match kind {
            KindArg::Internal => Kind::Internal,
            KindArg::Blocked => Kind::Blocked,
            KindArg::Agios => Kind::Agios,
        }
    }
}

/// Runs `course bank`.
pub fn run(args: Args) -> Result<ExitCode, Box<dyn Error>> {
    let credit_day = BOB_NEGATIVE_DAY
        .checked_add(args.agios_days)
        .ok_or("--agios-days is too large")?;
    let kinds = match args.kind {
        Some(kind) => vec![Kind::from(kind)],
        None => vec![Kind::Internal, Kind::Blocked, Kind::Agios],
    };

    let mut out = BufWriter::new(std::io::stdout().lock());
    for kind in kinds {
        let outcome = course_scenario(kind);
        writeln!(out, "== Alice and Bob with {kind} accounts ==")?;
        for transfer in outcome.ledger.transfers() {
            writeln!(out, "{transfer}")?;
        }
        for error in &outcome.refused {
            writeln!(out, "refused: {error}")?;
        }
        for warning in outcome.ledger.warnings() {
            writeln!(out, "warning: {warning}")?;
        }
        write_balances(&mut out, &outcome.ledger)?;
        writeln!(out)?;
    }

    let mut outcome = course_scenario(Kind::Agios);
    let who = outcome.actors;
    writeln!(
        out,
        "== Agios example: Bob is below zero from day {BOB_NEGATIVE_DAY}, \
         Alice credits him 100 on day {credit_day} =="
    )?;
    let credit = outcome
        .ledger
        .transfer(who.alice, who.bob, 100, Date::day(credit_day))?;
    writeln!(out, "{credit}")?;
    writeln!(out, "agios paid to the bank: {}", credit.agios_paid)?;
    write_balances(&mut out, &outcome.ledger)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Writes the ledger's accounts as a text table, then the total.
fn write_balances(out: &mut impl Write, ledger: &Ledger) -> std::io::Result<()> {
    writeln!(out, "{}", ledger.table().to_text())?;
    writeln!(out, "total: {}", ledger.total())
}
