//! Accounts of the bank's customers, with rules about going below zero.
//!
//! In the Python package these are subclasses of the base account that
//! override `transfer_to`. Here they are variants of [`Kind`](super::Kind):
//! the set of kinds is closed, so a `match` in
//! [`Account::transfer_to`](super::Account::transfer_to) replaces the
//! overridden methods, and the compiler points at every `match` to update if
//! a kind is ever added. These modules hold each kind's rules and types.
//!
//! ```
//! use course_lib::bank::{Account, Date};
//!
//! let mut alice = Account::blocked("Alice", 50);
//! let mut shop = Account::new("Supermarket", 0);
//! assert!(alice.transfer_to(&mut shop, 80, Date::day(0)).is_err());
//! ```

pub mod agios;
pub mod blocked;
