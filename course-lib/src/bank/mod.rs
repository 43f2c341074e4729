//! Mini-project 2: a money transfer simulator (packaging and project life cycle).
//!
//! Four actors own an account each: the bank (10000), a supermarket (5000),
//! Alice (500) and Bob (100). Balances are whole numbers (`i64`), amounts are
//! never negative (`u64`) and every transfer carries a [`Date`].
//!
//! The module layout mirrors the original Python package:
//!
//! | Python                                | Rust                                   |
//! |---------------------------------------|----------------------------------------|
//! | `account/internal.py`, `BankAccount`  | [`account::internal`], [`Account`]     |
//! | `account/external/blocked.py`         | [`account::external::blocked`]         |
//! | `account/external/agios.py`           | [`account::external::agios`]           |
//! | subclasses overriding `transfer_to`   | one [`Account`] type with a [`Kind`]   |
//! | `__add__`                             | [`std::ops::Add`] for [`Account`]      |
//! | `@monitor` decorator                  | [`monitor()`] wrapping a transfer function |
//! | `logging.warning(...)`                | [`Warning`]s recorded in a `Vec`       |
//!
//! # Why a ledger
//!
//! In Python `alice.transfer_to(bob, 100)` changes two objects that anybody
//! may hold. Rust allows one `&mut` borrow of a value at a time, so
//! [`Account::transfer_to`] takes the recipient as a second `&mut Account`:
//! that works for two accounts you hold as separate variables. An agios
//! account, however, must pay the *bank* when it is credited: a third
//! account. The [`Ledger`] owns every account, hands out [`AccountId`]s, and
//! borrows the two (or three) accounts a transfer needs at the same moment
//! with `get_disjoint_mut`. Owning all the accounts in one place also gives it
//! a natural spot for the history of balances, the monitor and the checks that
//! money is never created or lost.
//!
//! ```
//! use course_lib::bank::{course_scenario, Kind};
//!
//! let outcome = course_scenario(Kind::Blocked);
//! let ledger = &outcome.ledger;
//! assert_eq!(ledger[outcome.actors.bob].balance(), 100); // his 200 purchase was refused
//! assert_eq!(outcome.refused.len(), 1);
//! println!("{}", outcome.refused[0]);
//! let chart = ledger.plot(); // one line per owner
//! # let _ = chart;
//! ```

pub mod account;
mod date;
mod ledger;
mod monitor;
mod scenario;

#[cfg(test)]
mod tests;

pub use account::external::agios::agios_for;
pub use account::external::blocked::InsufficientBalance;
pub use account::internal::{Account, Kind, MergeError, TransferError};
pub use date::Date;
pub use ledger::{AccountId, Ledger, Snapshot, Transfer};
pub use monitor::{Monitor, TransferFn, Warning, monitor};
pub use scenario::{
    ALICE_BALANCE, Actors, BANK_BALANCE, BOB_BALANCE, Outcome, SUPERMARKET_BALANCE, course_ledger,
    course_scenario,
};
