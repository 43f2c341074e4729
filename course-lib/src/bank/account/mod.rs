//! Bank accounts: the base account and its two external variants.
//!
//! - [`internal`]: the base [`Account`](internal::Account), used as is by the
//!   bank and the supermarket; it may go below zero without any cost.
//! - [`external::blocked`]: a blocked account refuses to go below zero.
//! - [`external::agios`]: an agios account may go below zero, at a cost of
//!   1 per day paid to the bank.
//!
//! ```
//! use course_lib::bank::account::{Account, Kind};
//!
//! let account = Account::blocked("Alice", 500);
//! assert_eq!(account.kind(), Kind::Blocked);
//! ```

pub mod external;
pub mod internal;

pub use internal::{Account, Kind};
