//! Agios accounts: the balance may go below zero, and from the moment it
//! does, each day costs 1. The cost is paid to the bank at the next credit.
//!
//! The cost of a negative period is [`agios_for`]: the time between the
//! date the balance went below zero and the date of the credit, in days,
//! rounded to the nearest whole unit (half a day rounds up). After a credit
//! the period starts again from the credit's date if the balance is still
//! negative.
//!
//! ```
//! use course_lib::bank::{Account, Date};
//!
//! let mut bank = Account::new("Bank", 10_000);
//! let mut shop = Account::new("Supermarket", 5000);
//! let mut alice = Account::new("Alice", 300);
//! let mut bob = Account::agios("Bob", 100);
//!
//! bob.transfer_to(&mut shop, 200, Date::day(3))?; // Bob: -100 from day 3
//! alice.transfer_to(&mut bob, 100, Date::day(8))?; // five days later
//! assert_eq!(bob.agios_due(), 5);
//! assert_eq!(bob.pay_agios_to(&mut bank, Date::day(8))?, 5);
//! assert_eq!(bank.balance(), 10_005);
//! assert_eq!(bob.balance(), -5);
//! # Ok::<(), course_lib::bank::TransferError>(())
//! ```

use crate::bank::Date;

/// The agios owed for a negative period from `since` to `until`: 1 per day,
/// rounded to the nearest whole unit (halves up); 0 if `until` is not later.
///
/// ```
/// use course_lib::bank::{agios_for, Date};
///
/// assert_eq!(agios_for(Date::day(3), Date::day(8)), 5);
/// assert_eq!(agios_for(Date::day(3), Date::day(5).plus_hours(12)), 3); // 2.5 days
/// assert_eq!(agios_for(Date::day(3), Date::day(3).plus_hours(11)), 0);
/// assert_eq!(agios_for(Date::day(8), Date::day(3)), 0);
/// ```
pub fn agios_for(since: Date, until: Date) -> u64 {
    let hours = until.hours().saturating_sub(since.hours());
    hours / 24 + u64::from(hours % 24 >= 12)
}

/// What an agios account remembers besides its balance.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct AgiosState {
    /// When the balance went below zero, if it is below zero.
    pub(crate) negative_since: Option<Date>,
    /// Agios counted at credits and not yet paid to the bank.
    pub(crate) due: u64,
}

impl AgiosState {
    /// The state of a new account with this balance, opened on day 0.
    pub(crate) fn opened_with(balance: i64) -> Self {
        AgiosState {
            negative_since: (balance < 0).then_some(Date::day(0)),
            due: 0,
        }
    }

    /// Called after money left the account.
    pub(crate) fn after_debit(&mut self, new_balance: i64, date: Date) {
        if new_balance < 0 && self.negative_since.is_none() {
            self.negative_since = Some(date);
        }
    }

    /// Called after money arrived: counts the agios of the negative period.
    pub(crate) fn after_credit(&mut self, new_balance: i64, date: Date) {
        if let Some(since) = self.negative_since {
            self.due = self.due.saturating_add(agios_for(since, date));
        }
        self.negative_since = (new_balance < 0).then_some(date);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agios_count_whole_days_rounding_halves_up() {
        let start = Date::day(10);
        assert_eq!(agios_for(start, start), 0);
        assert_eq!(agios_for(start, start.plus_hours(11)), 0);
        assert_eq!(agios_for(start, start.plus_hours(12)), 1);
        assert_eq!(agios_for(start, start.plus_days(5)), 5);
        assert_eq!(agios_for(start, start.plus_days(5).plus_hours(13)), 6);
        assert_eq!(agios_for(start.plus_days(1), start), 0);
    }

    #[test]
    fn state_tracks_the_negative_period() {
        let mut state = AgiosState::opened_with(100);
        assert_eq!(state.negative_since, None);
        state.after_debit(-50, Date::day(2));
        state.after_debit(-80, Date::day(4)); // still since day 2
        assert_eq!(state.negative_since, Some(Date::day(2)));
        state.after_credit(-10, Date::day(5));
        assert_eq!((state.due, state.negative_since), (3, Some(Date::day(5))));
        state.after_credit(0, Date::day(6));
        assert_eq!((state.due, state.negative_since), (4, None));
        assert_eq!(
            AgiosState::opened_with(-1).negative_since,
            Some(Date::day(0))
        );
    }
}
