//! The base account: an owner, a balance, and transfers between accounts.
//!
//! The owner is private (read it with [`Account::owner`], change it with
//! [`Account::set_owner`]); the balance can only be read. Money enters an
//! account through `credit`, which is `pub(crate)`: code outside this crate
//! (a notebook, say) can only move money with [`Account::transfer_to`], so
//! money is never created, only moved. That is Rust's real version of
//! Python's "protected by convention" `_credit`.
//!
//! ```
//! use course_lib::bank::{Account, Date};
//!
//! let mut alice = Account::new("Alice", 500);
//! let mut shop = Account::new("Supermarket", 5000);
//! alice.transfer_to(&mut shop, 100, Date::day(0))?;
//! assert_eq!(alice.balance(), 400);
//! assert_eq!(shop.to_string(), "Supermarket has 5100 (internal account)");
//! # Ok::<(), course_lib::bank::TransferError>(())
//! ```

use std::fmt;
use std::ops::Add;

use crate::bank::Date;
use crate::bank::account::external::agios::AgiosState;
use crate::bank::account::external::blocked::{self, InsufficientBalance};
use crate::bank::ledger::AccountId;

/// The three kinds of account.
///
/// ```
/// use course_lib::bank::{Account, Kind};
///
/// for kind in [Kind::Internal, Kind::Blocked, Kind::Agios] {
///     assert_eq!(Account::of_kind(kind, "Alice", 500).kind(), kind);
/// }
/// assert_eq!(Kind::Agios.to_string(), "agios");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// The base account: may go below zero, at no cost.
    Internal,
    /// Refuses any transfer that would leave it below zero.
    Blocked,
    /// May go below zero; each day below zero costs 1, paid to the bank.
    Agios,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Internal => "internal",
            Kind::Blocked => "blocked",
            Kind::Agios => "agios",
        })
    }
}

/// The rules of an account, with the state each kind needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Policy {
    Internal,
    Blocked,
    Agios(AgiosState),
}

/// Why a transfer did not happen. When it is returned, no balance changed.
///
/// ```
/// use course_lib::bank::{Account, Date, TransferError};
///
/// let mut bob = Account::blocked("Bob", 100);
/// let mut shop = Account::new("Supermarket", 0);
/// let error = bob.transfer_to(&mut shop, 200, Date::day(0)).unwrap_err();
/// assert_eq!(
///     error.to_string(),
///     "Bob cannot pay 200: the balance is only 100 and this account may not go below zero"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransferError {
    /// A blocked account would have gone below zero.
    InsufficientBalance(InsufficientBalance),
    /// A balance would have left the range of `i64`.
    Overflow {
        /// The owner of the account whose balance would overflow.
        owner: String,
    },
    /// The ledger has no account with this id.
    UnknownAccount(AccountId),
    /// The ledger was asked to move money from an account to itself.
    SameAccount(AccountId),
}

impl fmt::Display for TransferError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransferError::InsufficientBalance(error) => error.fmt(f),
            TransferError::Overflow { owner } => {
                write!(f, "the balance of {owner} would overflow")
            }
            TransferError::UnknownAccount(id) => write!(f, "there is no account {id}"),
            TransferError::SameAccount(id) => {
                write!(f, "account {id} cannot transfer money to itself")
            }
        }
    }
}

impl std::error::Error for TransferError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TransferError::InsufficientBalance(error) => Some(error),
            _ => None,
        }
    }
}

impl From<InsufficientBalance> for TransferError {
    fn from(error: InsufficientBalance) -> Self {
        TransferError::InsufficientBalance(error)
    }
}

/// Why two accounts could not be added together.
///
/// ```
/// use course_lib::bank::{Account, MergeError};
///
/// let error = (Account::new("Alice", 1) + Account::new("Bob", 2)).unwrap_err();
/// assert_eq!(error.to_string(), "cannot add the account of Alice to the account of Bob");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MergeError {
    /// The two accounts have different owners.
    DifferentOwners {
        /// The owner of the left account.
        left: String,
        /// The owner of the right account.
        right: String,
    },
    /// The sum of the balances would leave the range of `i64`.
    Overflow {
        /// The common owner.
        owner: String,
    },
}

impl fmt::Display for MergeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MergeError::DifferentOwners { left, right } => {
                write!(
                    f,
                    "cannot add the account of {left} to the account of {right}"
                )
            }
            MergeError::Overflow { owner } => {
                write!(f, "the accounts of {owner} hold too much to be added")
            }
        }
    }
}

impl std::error::Error for MergeError {}

/// A bank account: an owner and a whole-number balance, of some [`Kind`].
///
/// ```
/// use course_lib::bank::{Account, Date};
///
/// let mut alice = Account::new("Alice", 500);
/// let mut bob = Account::new("Bob", 100);
/// alice.transfer_to(&mut bob, 100, Date::day(2))?;
/// assert_eq!((alice.balance(), bob.balance()), (400, 200));
/// println!("{alice}"); // Alice has 400 (internal account)
/// # Ok::<(), course_lib::bank::TransferError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    owner: String,
    balance: i64,
    policy: Policy,
}

impl Account {
    /// Opens a base (internal) account.
    ///
    /// ```
    /// let bank = course_lib::bank::Account::new("Bank", 10_000);
    /// assert_eq!(bank.balance(), 10_000);
    /// ```
    pub fn new(owner: impl Into<String>, balance: i64) -> Self {
        Account::of_kind(Kind::Internal, owner, balance)
    }

    /// Opens a blocked account, which never goes below zero by a transfer.
    ///
    /// ```
    /// use course_lib::bank::{Account, Kind};
    ///
    /// assert_eq!(Account::blocked("Alice", 500).kind(), Kind::Blocked);
    /// ```
    pub fn blocked(owner: impl Into<String>, balance: i64) -> Self {
        Account::of_kind(Kind::Blocked, owner, balance)
    }

    /// Opens an agios account, which may go below zero at 1 per day. A
    /// negative opening balance counts as negative since day 0.
    ///
    /// ```
    /// use course_lib::bank::{Account, Kind};
    ///
    /// assert_eq!(Account::agios("Bob", 100).kind(), Kind::Agios);
    /// ```
    pub fn agios(owner: impl Into<String>, balance: i64) -> Self {
        Account::of_kind(Kind::Agios, owner, balance)
    }

    /// Opens an account of the given kind.
    ///
    /// ```
    /// use course_lib::bank::{Account, Kind};
    ///
    /// let account = Account::of_kind(Kind::Blocked, "Bob", 100);
    /// assert_eq!(account, Account::blocked("Bob", 100));
    /// ```
    pub fn of_kind(kind: Kind, owner: impl Into<String>, balance: i64) -> Self {
        let policy = match kind {
            Kind::Internal => Policy::Internal,
            Kind::Blocked => Policy::Blocked,
            Kind::Agios => Policy::Agios(AgiosState::opened_with(balance)),
        };
        Account {
            owner: owner.into(),
            balance,
            policy,
        }
    }

    /// The owner's name.
    ///
    /// ```
    /// assert_eq!(course_lib::bank::Account::new("Alice", 0).owner(), "Alice");
    /// ```
    pub fn owner(&self) -> &str {
        &self.owner
    }

    /// Changes the owner's name.
    ///
    /// ```
    /// let mut account = course_lib::bank::Account::new("Alice", 0);
    /// account.set_owner("Alice Martin");
    /// assert_eq!(account.owner(), "Alice Martin");
    /// ```
    pub fn set_owner(&mut self, owner: impl Into<String>) {
        self.owner = owner.into();
    }

    /// The balance (read-only: it changes only through transfers).
    ///
    /// ```
    /// assert_eq!(course_lib::bank::Account::new("Bob", 100).balance(), 100);
    /// ```
    pub fn balance(&self) -> i64 {
        self.balance
    }

    /// The kind of account.
    ///
    /// ```
    /// use course_lib::bank::{Account, Kind};
    ///
    /// assert_eq!(Account::new("Bank", 0).kind(), Kind::Internal);
    /// ```
    pub fn kind(&self) -> Kind {
        match self.policy {
            Policy::Internal => Kind::Internal,
            Policy::Blocked => Kind::Blocked,
            Policy::Agios(_) => Kind::Agios,
        }
    }

    /// The agios counted at past credits and not yet paid (always 0 except
    /// for agios accounts).
    ///
    /// ```
    /// assert_eq!(course_lib::bank::Account::agios("Bob", -5).agios_due(), 0);
    /// ```
    pub fn agios_due(&self) -> u64 {
        match self.policy {
            Policy::Agios(state) => state.due,
            _ => 0,
        }
    }

    /// When an agios account went below zero, if it is below zero now.
    ///
    /// ```
    /// use course_lib::bank::{Account, Date};
    ///
    /// assert_eq!(Account::agios("Bob", -5).negative_since(), Some(Date::day(0)));
    /// assert_eq!(Account::agios("Bob", 5).negative_since(), None);
    /// assert_eq!(Account::new("Bank", -5).negative_since(), None);
    /// ```
    pub fn negative_since(&self) -> Option<Date> {
        match self.policy {
            Policy::Agios(state) => state.negative_since,
            _ => None,
        }
    }

    /// Adds money to this account. Only code of this crate may call it, so
    /// money can only be moved, never conjured.
    ///
    /// On an agios account that was below zero, the agios of the negative
    /// period are added to [`agios_due`](Account::agios_due).
    pub(crate) fn credit(&mut self, amount: u64, date: Date) -> Result<(), TransferError> {
        let new_balance = i64::try_from(amount)
            .ok()
            .and_then(|amount| self.balance.checked_add(amount))
            .ok_or_else(|| TransferError::Overflow {
                owner: self.owner.clone(),
            })?;
        self.balance = new_balance;
        if let Policy::Agios(state) = &mut self.policy {
            state.after_credit(new_balance, date);
        }
        Ok(())
    }

    /// Moves `amount` from this account to `recipient` on `date`.
    ///
    /// Both accounts are borrowed mutably for the call, which is why they
    /// must be two different values: Rust refuses `a.transfer_to(&mut a, ..)`
    /// at compile time. A blocked account refuses to go below zero; on any
    /// error nothing changes. Agios counted when crediting an agios account
    /// wait in [`agios_due`](Account::agios_due) until they are paid with
    /// [`pay_agios_to`](Account::pay_agios_to); a [`Ledger`](crate::bank::Ledger)
    /// pays them to its bank at once.
    ///
    /// ```
    /// use course_lib::bank::{Account, Date, TransferError};
    ///
    /// let mut alice = Account::blocked("Alice", 500);
    /// let mut shop = Account::new("Supermarket", 5000);
    /// alice.transfer_to(&mut shop, 100, Date::day(0))?;
    /// assert_eq!((alice.balance(), shop.balance()), (400, 5100));
    ///
    /// let refused = alice.transfer_to(&mut shop, 1000, Date::day(1));
    /// assert!(matches!(refused, Err(TransferError::InsufficientBalance(_))));
    /// assert_eq!(alice.balance(), 400);
    /// # Ok::<(), TransferError>(())
    /// ```
    pub fn transfer_to(
        &mut self,
        recipient: &mut Account,
        amount: u64,
        date: Date,
    ) -> Result<(), TransferError> {
        let new_balance = i64::try_from(amount)
            .ok()
            .and_then(|amount| self.balance.checked_sub(amount))
            .ok_or_else(|| TransferError::Overflow {
                owner: self.owner.clone(),
            })?;
        if self.policy == Policy::Blocked {
            blocked::check(&self.owner, self.balance, amount, new_balance)?;
        }
        // Crediting is the only step that can still fail; it changes nothing when it does.
        recipient.credit(amount, date)?;
        self.balance = new_balance;
        if let Policy::Agios(state) = &mut self.policy {
            state.after_debit(new_balance, date);
        }
        Ok(())
    }

    /// Pays the agios due to `bank` on `date` and returns how much was paid.
    ///
    /// The payment may take the account (back) below zero, which starts a
    /// new negative period.
    ///
    /// ```
    /// use course_lib::bank::{Account, Date};
    ///
    /// let mut bank = Account::new("Bank", 10_000);
    /// let mut bob = Account::agios("Bob", -100);      // negative since day 0
    /// let mut alice = Account::new("Alice", 500);
    /// alice.transfer_to(&mut bob, 300, Date::day(5))?;
    /// assert_eq!(bob.pay_agios_to(&mut bank, Date::day(5))?, 5);
    /// assert_eq!((bob.balance(), bank.balance()), (195, 10_005));
    /// assert_eq!(bob.pay_agios_to(&mut bank, Date::day(5))?, 0); // nothing left
    /// # Ok::<(), course_lib::bank::TransferError>(())
    /// ```
    pub fn pay_agios_to(&mut self, bank: &mut Account, date: Date) -> Result<u64, TransferError> {
        let due = self.agios_due();
        if due == 0 {
            return Ok(0);
        }
        self.transfer_to(bank, due, date)?;
        self.take_agios_due();
        Ok(due)
    }

    /// Forgets the agios due and returns them (used when the bank would pay itself).
    pub(crate) fn take_agios_due(&mut self) -> u64 {
        match &mut self.policy {
            Policy::Agios(state) => std::mem::take(&mut state.due),
            _ => 0,
        }
    }
}

impl fmt::Display for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} has {} ({} account)",
            self.owner,
            self.balance,
            self.kind()
        )
    }
}

/// Adds two accounts of the same owner into one (Python's `__add__`).
///
/// The result has the kind of the left account and the sum of the balances.
/// If the left one is an agios account, the agios due of both are kept, and
/// if the sum is below zero it counts as negative since the earlier of the
/// two dates (or day 0 if neither was negative). Accounts of different
/// owners give [`MergeError::DifferentOwners`]: a `Result` rather than an
/// `Option`, so the caller learns *why*.
///
/// ```
/// use course_lib::bank::Account;
///
/// let savings = Account::new("Alice", 300);
/// let current = Account::blocked("Alice", 200);
/// let both = (savings + current)?;
/// assert_eq!(both.balance(), 500);
/// assert_eq!(both.owner(), "Alice");
/// # Ok::<(), course_lib::bank::MergeError>(())
/// ```
impl Add for Account {
    type Output = Result<Account, MergeError>;

    fn add(self, other: Account) -> Result<Account, MergeError> {
        if self.owner != other.owner {
            return Err(MergeError::DifferentOwners {
                left: self.owner,
                right: other.owner,
            });
        }
        let Some(balance) = self.balance.checked_add(other.balance) else {
            return Err(MergeError::Overflow { owner: self.owner });
        };
        let policy = match self.policy {
            Policy::Agios(mine) => {
                let (since, due) = match other.policy {
                    Policy::Agios(theirs) => (
                        [mine.negative_since, theirs.negative_since]
                            .into_iter()
                            .flatten()
                            .min(),
                        mine.due.saturating_add(theirs.due),
                    ),
                    _ => (mine.negative_since, mine.due),
                };
                let negative_since = (balance < 0).then(|| since.unwrap_or(Date::day(0)));
                Policy::Agios(AgiosState {
                    negative_since,
                    due,
                })
            }
            policy => policy,
        };
        Ok(Account {
            owner: self.owner,
            balance,
            policy,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credit_is_the_only_way_in_and_checks_overflow() {
        let mut account = Account::new("Bank", 10);
        account.credit(5, Date::day(0)).unwrap();
        assert_eq!(account.balance(), 15);
        assert!(account.credit(u64::MAX, Date::day(0)).is_err());
        assert_eq!(account.balance(), 15);
    }

    #[test]
    fn internal_accounts_may_go_below_zero_for_free() {
        let mut shop = Account::new("Supermarket", 0);
        let mut bank = Account::new("Bank", 0);
        shop.transfer_to(&mut bank, 50, Date::day(0)).unwrap();
        bank.transfer_to(&mut shop, 10, Date::day(30)).unwrap();
        assert_eq!((shop.balance(), bank.balance()), (-40, 40));
        assert_eq!(shop.agios_due(), 0);
        assert_eq!(shop.negative_since(), None);
    }

    #[test]
    fn a_failed_transfer_changes_nothing() {
        let mut bob = Account::blocked("Bob", 100);
        let mut shop = Account::new("Supermarket", 5000);
        let before = (bob.clone(), shop.clone());
        assert!(bob.transfer_to(&mut shop, 200, Date::day(3)).is_err());
        assert_eq!((bob, shop), before);
    }

    #[test]
    fn kinds_display_in_lower_case() {
        let names: Vec<String> = [Kind::Internal, Kind::Blocked, Kind::Agios]
            .iter()
            .map(Kind::to_string)
            .collect();
        assert_eq!(names, ["internal", "blocked", "agios"]);
    }
}
