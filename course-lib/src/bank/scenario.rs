//! The course's four actors and their four purchases.

use crate::bank::account::{Account, Kind};
use crate::bank::{AccountId, Date, Ledger, TransferError};

/// The bank's opening balance.
///
/// ```
/// assert_eq!(course_lib::bank::BANK_BALANCE, 10_000);
/// ```
pub const BANK_BALANCE: i64 = 10_000;

/// The supermarket's opening balance.
///
/// ```
/// assert_eq!(course_lib::bank::SUPERMARKET_BALANCE, 5000);
/// ```
pub const SUPERMARKET_BALANCE: i64 = 5000;

/// Alice's opening balance.
///
/// ```
/// assert_eq!(course_lib::bank::ALICE_BALANCE, 500);
/// ```
pub const ALICE_BALANCE: i64 = 500;

/// Bob's opening balance.
///
/// ```
/// assert_eq!(course_lib::bank::BOB_BALANCE, 100);
/// ```
pub const BOB_BALANCE: i64 = 100;

/// The ids of the four actors' accounts in the course's ledger.
///
/// ```
/// use course_lib::bank::{course_ledger, Kind};
///
/// let (ledger, who) = course_ledger(Kind::Internal);
/// assert_eq!(ledger[who.supermarket].owner(), "Supermarket");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actors {
    /// The bank's own (internal) account.
    pub bank: AccountId,
    /// The supermarket's (internal) account.
    pub supermarket: AccountId,
    /// Alice's account.
    pub alice: AccountId,
    /// Bob's account.
    pub bob: AccountId,
}

/// The four actors with their opening balances. The bank and the supermarket
/// have internal accounts; Alice and Bob have accounts of `kind`.
///
/// ```
/// use course_lib::bank::{course_ledger, Kind};
///
/// let (ledger, who) = course_ledger(Kind::Blocked);
/// assert_eq!(ledger[who.alice].kind(), Kind::Blocked);
/// assert_eq!(ledger[who.bank].kind(), Kind::Internal);
/// assert_eq!(ledger.total(), 15_600);
/// ```
pub fn course_ledger(kind: Kind) -> (Ledger, Actors) {
    let mut ledger = Ledger::new(Account::new("Bank", BANK_BALANCE));
    let supermarket = ledger.open(Account::new("Supermarket", SUPERMARKET_BALANCE));
    let alice = ledger.open(Account::of_kind(kind, "Alice", ALICE_BALANCE));
    let bob = ledger.open(Account::of_kind(kind, "Bob", BOB_BALANCE));
    let bank = ledger.bank();
    let actors = Actors {
        bank,
        supermarket,
        alice,
        bob,
    };
    (ledger, actors)
}

/// What happened in [`course_scenario`].
///
/// ```
/// use course_lib::bank::{course_scenario, Kind};
///
/// let outcome = course_scenario(Kind::Internal);
/// assert!(outcome.refused.is_empty());
/// ```
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The ledger after the scenario.
    pub ledger: Ledger,
    /// Who is who in the ledger.
    pub actors: Actors,
    /// The transfers that were refused, in order.
    pub refused: Vec<TransferError>,
}

/// Runs the course's scenario, one purchase a day, with Alice and Bob holding
/// accounts of `kind`: on day 0 Alice buys 100 at the supermarket, on day 1
/// Bob buys 100, on day 2 Alice gives Bob 100, on day 3 Bob buys 200.
///
/// A refused transfer does not stop the scenario: its error is kept in
/// [`Outcome::refused`] and the next purchase goes on. The ledger is
/// [watched](Ledger::watch), so its warnings are available too.
///
/// | kind     | Bank   | Supermarket | Alice | Bob  |
/// |----------|--------|-------------|-------|------|
/// | internal | 10000  | 5400        | 300   | −100 |
/// | blocked  | 10000  | 5200        | 300   | 100  |
/// | agios    | 10000  | 5400        | 300   | −100 |
///
/// ```
/// use course_lib::bank::{course_scenario, Kind};
///
/// let outcome = course_scenario(Kind::Blocked);
/// let balances: Vec<i64> = outcome.ledger.accounts().map(|(_, a)| a.balance()).collect();
/// assert_eq!(balances, [10_000, 5200, 300, 100]);
/// ```
pub fn course_scenario(kind: Kind) -> Outcome {
    let (mut ledger, actors) = course_ledger(kind);
    ledger.watch();
    let purchases = [
        (actors.alice, actors.supermarket, 100, 0),
        (actors.bob, actors.supermarket, 100, 1),
        (actors.alice, actors.bob, 100, 2),
        (actors.bob, actors.supermarket, 200, 3),
    ];
    let mut refused = Vec::new();
    for (from, to, amount, day) in purchases {
        if let Err(error) = ledger.transfer(from, to, amount, Date::day(day)) {
            refused.push(error);
        }
    }
    Outcome {
        ledger,
        actors,
        refused,
    }
}
