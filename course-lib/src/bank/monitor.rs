//! The monitor: the course's decorator exercise, as a wrapper around any
//! transfer function.
//!
//! In Python, `@monitor` replaces `transfer_to` by a new function that checks
//! the amount, logs a warning, then calls the original. In Rust a function
//! that takes a function and returns a function is a *higher-order function*:
//! [`monitor()`] takes any transfer function (for instance the method
//! `Account::transfer_to` itself, used as a plain function) and returns a
//! [`Monitor`] that behaves like it, plus the memory a decorator would keep in
//! a closure: the largest amount each owner ever moved and the warnings.
//!
//! ```
//! use course_lib::bank::{monitor, Account, Date};
//!
//! let mut transfer = monitor(Account::transfer_to);
//! let mut alice = Account::new("Alice", 500);
//! let mut shop = Account::new("Supermarket", 5000);
//! transfer.transfer(&mut alice, &mut shop, 100, Date::day(0))?;
//! transfer.transfer(&mut alice, &mut shop, 50, Date::day(1))?;
//! transfer.transfer(&mut alice, &mut shop, 200, Date::day(2))?; // more than ever
//! assert_eq!(transfer.warnings().len(), 1);
//! assert_eq!(
//!     transfer.warnings()[0].to_string(),
//!     "day 2: Alice moves 200, more than ever before (largest so far: 100)"
//! );
//! # Ok::<(), course_lib::bank::TransferError>(())
//! ```

use std::collections::HashMap;
use std::fmt;

use crate::bank::account::Account;
use crate::bank::{Date, TransferError};

/// The type of `Account::transfer_to` used as a function pointer.
///
/// ```
/// use course_lib::bank::{Account, TransferFn};
///
/// let transfer: TransferFn = Account::transfer_to;
/// # let _ = transfer;
/// ```
pub type TransferFn = fn(&mut Account, &mut Account, u64, Date) -> Result<(), TransferError>;

/// An owner moved more money than ever before.
///
/// ```
/// use course_lib::bank::{Date, Warning};
///
/// let warning = Warning { owner: "Bob".into(), amount: 300, largest_before: 100, date: Date::day(4) };
/// assert!(warning.to_string().contains("Bob moves 300"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Who paid.
    pub owner: String,
    /// How much.
    pub amount: u64,
    /// The largest amount the owner had moved before.
    pub largest_before: u64,
    /// When.
    pub date: Date,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} moves {}, more than ever before (largest so far: {})",
            self.date, self.owner, self.amount, self.largest_before
        )
    }
}

/// A transfer function wrapped with a memory of the largest amount each
/// owner has moved. Make one with [`monitor()`].
///
/// Only transfers that succeed count. An owner's first transfer sets the
/// record without a warning; each later one that is strictly larger than
/// every earlier one adds a [`Warning`].
///
/// ```
/// use course_lib::bank::{monitor, Account, Date};
///
/// let mut transfer = monitor(Account::transfer_to);
/// let mut bob = Account::blocked("Bob", 100);
/// let mut shop = Account::new("Supermarket", 0);
/// assert!(transfer.transfer(&mut bob, &mut shop, 500, Date::day(0)).is_err());
/// assert_eq!(transfer.largest("Bob"), None); // refused transfers do not count
/// ```
#[derive(Debug, Clone)]
pub struct Monitor<F> {
    inner: F,
    largest: HashMap<String, u64>,
    warnings: Vec<Warning>,
}

/// Wraps a transfer function into a [`Monitor`] (the `@monitor` decorator).
///
/// Any function or closure with the signature of `Account::transfer_to` fits:
///
/// ```
/// use course_lib::bank::{monitor, Account, Date, TransferError};
///
/// let mut count = 0;
/// let counting = |from: &mut Account, to: &mut Account, amount: u64, date: Date| {
///     count += 1;
///     from.transfer_to(to, amount, date)
/// };
/// let mut transfer = monitor(counting);
/// let (mut a, mut b) = (Account::new("A", 10), Account::new("B", 0));
/// transfer.transfer(&mut a, &mut b, 1, Date::day(0))?;
/// transfer.transfer(&mut a, &mut b, 2, Date::day(0))?;
/// drop(transfer);
/// assert_eq!(count, 2);
/// # Ok::<(), TransferError>(())
/// ```
pub fn monitor<F>(transfer: F) -> Monitor<F>
where
    F: FnMut(&mut Account, &mut Account, u64, Date) -> Result<(), TransferError>,
{
    Monitor {
        inner: transfer,
        largest: HashMap::new(),
        warnings: Vec::new(),
    }
}

impl<F> Monitor<F>
where
    F: FnMut(&mut Account, &mut Account, u64, Date) -> Result<(), TransferError>,
{
    /// Calls the wrapped function, then records a warning if the payer moved
    /// more than ever before.
    ///
    /// ```
    /// use course_lib::bank::{monitor, Account, Date};
    ///
    /// let mut transfer = monitor(Account::transfer_to);
    /// let (mut a, mut b) = (Account::new("A", 10), Account::new("B", 0));
    /// transfer.transfer(&mut a, &mut b, 3, Date::day(0))?;
    /// assert_eq!(b.balance(), 3);
    /// # Ok::<(), course_lib::bank::TransferError>(())
    /// ```
    pub fn transfer(
        &mut self,
        from: &mut Account,
        to: &mut Account,
        amount: u64,
        date: Date,
    ) -> Result<(), TransferError> {
        (self.inner)(from, to, amount, date)?;
        match self.largest.get_mut(from.owner()) {
            None => {
                self.largest.insert(from.owner().to_string(), amount);
            }
            Some(largest) if amount > *largest => {
                self.warnings.push(Warning {
                    owner: from.owner().to_string(),
                    amount,
                    largest_before: *largest,
                    date,
                });
                *largest = amount;
            }
            Some(_) => {}
        }
        Ok(())
    }

    /// The warnings so far, oldest first.
    ///
    /// ```
    /// use course_lib::bank::{monitor, Account};
    ///
    /// assert!(monitor(Account::transfer_to).warnings().is_empty());
    /// ```
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// The largest amount `owner` has moved, if any.
    ///
    /// ```
    /// use course_lib::bank::{monitor, Account, Date};
    ///
    /// let mut transfer = monitor(Account::transfer_to);
    /// let (mut a, mut b) = (Account::new("A", 10), Account::new("B", 0));
    /// transfer.transfer(&mut a, &mut b, 4, Date::day(0))?;
    /// assert_eq!(transfer.largest("A"), Some(4));
    /// # Ok::<(), course_lib::bank::TransferError>(())
    /// ```
    pub fn largest(&self, owner: &str) -> Option<u64> {
        self.largest.get(owner).copied()
    }
}
