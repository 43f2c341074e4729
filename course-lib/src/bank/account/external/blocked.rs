//! Blocked accounts: a transfer that would leave the balance below zero is
//! refused with an [`InsufficientBalance`] error.
//!
//! ```
//! use course_lib::bank::{Account, Date, TransferError};
//!
//! let mut bob = Account::blocked("Bob", 100);
//! let mut shop = Account::new("Supermarket", 5000);
//! let error = bob.transfer_to(&mut shop, 200, Date::day(3)).unwrap_err();
//! assert!(matches!(error, TransferError::InsufficientBalance(_)));
//! assert_eq!(bob.balance(), 100); // nothing moved
//! ```

use std::fmt;

/// A blocked account was asked to pay more than it holds.
///
/// ```
/// use course_lib::bank::InsufficientBalance;
///
/// let error = InsufficientBalance { owner: "Bob".to_string(), balance: 100, amount: 200 };
/// assert_eq!(
///     error.to_string(),
///     "Bob cannot pay 200: the balance is only 100 and this account may not go below zero"
/// );
/// let as_error: &dyn std::error::Error = &error;
/// assert!(as_error.source().is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InsufficientBalance {
    /// The owner of the account that would have paid.
    pub owner: String,
    /// Its balance, unchanged.
    pub balance: i64,
    /// The amount that was refused.
    pub amount: u64,
}

impl fmt::Display for InsufficientBalance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} cannot pay {}: the balance is only {} and this account may not go below zero",
            self.owner, self.amount, self.balance
        )
    }
}

impl std::error::Error for InsufficientBalance {}

/// The blocked rule: paying `amount` must leave `new_balance` at zero or more.
pub(crate) fn check(
    owner: &str,
    balance: i64,
    amount: u64,
    new_balance: i64,
) -> Result<(), InsufficientBalance> {
    if new_balance < 0 {
        Err(InsufficientBalance {
            owner: owner.to_string(),
            balance,
            amount,
        })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_is_allowed_below_zero_is_not() {
        assert!(check("Alice", 100, 100, 0).is_ok());
        let error = check("Alice", 100, 101, -1).unwrap_err();
        assert_eq!(
            error,
            InsufficientBalance {
                owner: "Alice".into(),
                balance: 100,
                amount: 101
            }
        );
    }
}
