//! The ledger: owns every account, moves money between them, and remembers
//! every balance over time.

use std::fmt;
use std::ops::Index;

use crate::bank::account::Account;
use crate::bank::monitor::{Monitor, TransferFn, Warning, monitor};
use crate::bank::{Date, TransferError};
use crate::lab::display::{MimeBundle, Render, impl_evcxr_display};
use crate::lab::{Chart, Table};

/// The number of an account in a [`Ledger`], given by [`Ledger::open`].
///
/// ```
/// use course_lib::bank::{Account, Ledger};
///
/// let mut ledger = Ledger::new(Account::new("Bank", 10_000));
/// let alice = ledger.open(Account::new("Alice", 500));
/// assert_eq!(alice.index(), 1);
/// assert_eq!(alice.to_string(), "#1");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AccountId(usize);

impl AccountId {
    /// The position of the account in the ledger (the bank is 0).
    ///
    /// ```
    /// use course_lib::bank::{Account, Ledger};
    ///
    /// assert_eq!(Ledger::new(Account::new("Bank", 0)).bank().index(), 0);
    /// ```
    pub fn index(self) -> usize {
        self.0
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// One transfer that happened in a [`Ledger`].
///
/// ```
/// use course_lib::bank::{course_ledger, Date, Kind};
///
/// let (mut ledger, who) = course_ledger(Kind::Internal);
/// let transfer = ledger.transfer(who.alice, who.supermarket, 100, Date::day(0))?;
/// assert_eq!(transfer.amount, 100);
/// assert_eq!(transfer.agios_paid, 0);
/// assert_eq!(transfer.to_string(), "day 0: Alice pays 100 to Supermarket");
/// # Ok::<(), course_lib::bank::TransferError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    /// The paying account.
    pub from: AccountId,
    /// The paid account.
    pub to: AccountId,
    /// The amount moved.
    pub amount: u64,
    /// When it happened.
    pub date: Date,
    /// The agios the recipient paid to the bank because of this credit.
    pub agios_paid: u64,
    /// Owner names at the time, for display.
    names: (String, String),
}

impl fmt::Display for Transfer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} pays {} to {}",
            self.date, self.names.0, self.amount, self.names.1
        )?;
        if self.agios_paid > 0 {
            write!(f, " ({} pays {} of agios)", self.names.1, self.agios_paid)?;
        }
        Ok(())
    }
}

/// Every balance at one moment, indexed by [`AccountId::index`].
///
/// ```
/// use course_lib::bank::{course_ledger, Kind};
///
/// let (ledger, _) = course_ledger(Kind::Internal);
/// let last = ledger.history().last().unwrap();
/// assert_eq!(last.balances, [10_000, 5000, 500, 100]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// When the balances were recorded.
    pub date: Date,
    /// One balance per account open at that moment.
    pub balances: Vec<i64>,
}

/// A bank's books: owns the accounts, with the bank's own account first.
///
/// Money moves with [`transfer`](Ledger::transfer), which also pays agios to
/// the bank and records a [`Snapshot`] of every balance. Index the ledger
/// with an [`AccountId`] to read an account (`ledger[alice].balance()`).
///
/// ```
/// use course_lib::bank::{Account, Date, Ledger};
///
/// let mut ledger = Ledger::new(Account::new("Bank", 10_000));
/// let alice = ledger.open(Account::blocked("Alice", 500));
/// let shop = ledger.open(Account::new("Supermarket", 5000));
/// ledger.transfer(alice, shop, 100, Date::day(0))?;
/// assert_eq!(ledger[alice].balance(), 400);
/// assert_eq!(ledger.total(), 15_500);
/// # Ok::<(), course_lib::bank::TransferError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Ledger {
    accounts: Vec<Account>,
    transfers: Vec<Transfer>,
    history: Vec<Snapshot>,
    monitor: Option<Monitor<TransferFn>>,
}

impl Ledger {
    /// Starts a ledger with the bank's own account, which gets id 0.
    ///
    /// ```
    /// use course_lib::bank::{Account, Ledger};
    ///
    /// let ledger = Ledger::new(Account::new("Bank", 10_000));
    /// assert_eq!(ledger[ledger.bank()].owner(), "Bank");
    /// ```
    pub fn new(bank: Account) -> Self {
        let mut ledger = Ledger {
            accounts: Vec::new(),
            transfers: Vec::new(),
            history: Vec::new(),
            monitor: None,
        };
        ledger.open(bank);
        ledger
    }

    /// Adds an account and returns its id.
    ///
    /// ```
    /// use course_lib::bank::{Account, Ledger};
    ///
    /// let mut ledger = Ledger::new(Account::new("Bank", 0));
    /// let bob = ledger.open(Account::agios("Bob", 100));
    /// assert_eq!(ledger[bob].owner(), "Bob");
    /// ```
    pub fn open(&mut self, account: Account) -> AccountId {
        let id = AccountId(self.accounts.len());
        self.accounts.push(account);
        let date = self.history.last().map_or(Date::day(0), |s| s.date);
        self.record(date);
        id
    }

    /// Starts watching transfers with a [`Monitor`]: from now on, an owner
    /// who moves more than ever before gets a [`Warning`].
    ///
    /// ```
    /// use course_lib::bank::{course_ledger, Date, Kind};
    ///
    /// let (mut ledger, who) = course_ledger(Kind::Internal);
    /// ledger.watch();
    /// ledger.transfer(who.alice, who.bob, 10, Date::day(0))?;
    /// ledger.transfer(who.alice, who.bob, 50, Date::day(1))?;
    /// assert_eq!(ledger.warnings().len(), 1);
    /// # Ok::<(), course_lib::bank::TransferError>(())
    /// ```
    pub fn watch(&mut self) {
        if self.monitor.is_none() {
            self.monitor = Some(monitor(Account::transfer_to as TransferFn));
        }
    }

    /// The warnings of the monitor (none if [`watch`](Ledger::watch) was never called).
    ///
    /// ```
    /// use course_lib::bank::{course_ledger, Kind};
    ///
    /// assert!(course_ledger(Kind::Internal).0.warnings().is_empty());
    /// ```
    pub fn warnings(&self) -> &[Warning] {
        self.monitor.as_ref().map_or(&[], |m| m.warnings())
    }

    /// The id of the bank's own account.
    ///
    /// ```
    /// use course_lib::bank::{Account, Ledger};
    ///
    /// assert_eq!(Ledger::new(Account::new("Bank", 1)).bank().index(), 0);
    /// ```
    pub fn bank(&self) -> AccountId {
        AccountId(0)
    }

    /// The account with this id, if there is one.
    ///
    /// ```
    /// use course_lib::bank::{course_ledger, Kind};
    ///
    /// let (ledger, who) = course_ledger(Kind::Internal);
    /// assert_eq!(ledger.get(who.bob).map(|a| a.balance()), Some(100));
    /// ```
    pub fn get(&self, id: AccountId) -> Option<&Account> {
        self.accounts.get(id.0)
    }

    /// Every account with its id, in the order they were opened.
    ///
    /// ```
    /// use course_lib::bank::{course_ledger, Kind};
    ///
    /// let (ledger, _) = course_ledger(Kind::Internal);
    /// let owners: Vec<&str> = ledger.accounts().map(|(_, a)| a.owner()).collect();
    /// assert_eq!(owners, ["Bank", "Supermarket", "Alice", "Bob"]);
    /// ```
    pub fn accounts(&self) -> impl Iterator<Item = (AccountId, &Account)> {
        self.accounts
            .iter()
            .enumerate()
            .map(|(i, account)| (AccountId(i), account))
    }

    /// The first account of an owner.
    ///
    /// ```
    /// use course_lib::bank::{course_ledger, Kind};
    ///
    /// let (ledger, who) = course_ledger(Kind::Internal);
    /// assert_eq!(ledger.find("Alice"), Some(who.alice));
    /// assert_eq!(ledger.find("Carol"), None);
    /// ```
    pub fn find(&self, owner: &str) -> Option<AccountId> {
        self.accounts()
            .find(|(_, a)| a.owner() == owner)
            .map(|(id, _)| id)
    }

    /// The sum of every balance: transfers never change it.
    ///
    /// ```
    /// use course_lib::bank::{course_scenario, Kind};
    ///
    /// assert_eq!(course_scenario(Kind::Agios).ledger.total(), 15_600);
    /// ```
    pub fn total(&self) -> i128 {
        self.accounts.iter().map(|a| i128::from(a.balance())).sum()
    }

    /// Moves `amount` from one account to another on `date`.
    ///
    /// If the recipient is an agios account that was below zero, the agios
    /// counted by this credit are paid to the bank right away. On success a
    /// [`Snapshot`] of every balance is recorded; on error nothing changes.
    ///
    /// ```
    /// use course_lib::bank::{course_ledger, Date, Kind};
    ///
    /// let (mut ledger, who) = course_ledger(Kind::Agios);
    /// ledger.transfer(who.bob, who.supermarket, 200, Date::day(3))?;  // Bob: -100
    /// let credit = ledger.transfer(who.alice, who.bob, 100, Date::day(8))?;
    /// assert_eq!(credit.agios_paid, 5);
    /// assert_eq!(ledger[who.bank].balance(), 10_005);
    /// # Ok::<(), course_lib::bank::TransferError>(())
    /// ```
    pub fn transfer(
        &mut self,
        from: AccountId,
        to: AccountId,
        amount: u64,
        date: Date,
    ) -> Result<Transfer, TransferError> {
        for id in [from, to] {
            if id.0 >= self.accounts.len() {
                return Err(TransferError::UnknownAccount(id));
            }
        }
        let [payer, recipient] = self
            .accounts
            .get_disjoint_mut([from.0, to.0])
            .map_err(|_| TransferError::SameAccount(from))?;
        match &mut self.monitor {
            Some(monitor) => monitor.transfer(payer, recipient, amount, date)?,
            None => payer.transfer_to(recipient, amount, date)?,
        }
        let names = (payer.owner().to_string(), recipient.owner().to_string());
        let agios_paid = self.settle_agios(to, date);
        let transfer = Transfer {
            from,
            to,
            amount,
            date,
            agios_paid,
            names,
        };
        self.transfers.push(transfer.clone());
        self.record(date);
        Ok(transfer)
    }

    /// Pays the agios due of account `id` to the bank.
    fn settle_agios(&mut self, id: AccountId, date: Date) -> u64 {
        let bank = self.bank();
        if id == bank {
            // The bank would pay itself: nothing moves.
            self.accounts[bank.0].take_agios_due();
            return 0;
        }
        match self.accounts.get_disjoint_mut([id.0, bank.0]) {
            // If paying fails (an overflowing bank), the agios stay due.
            Ok([debtor, bank]) => debtor.pay_agios_to(bank, date).unwrap_or(0),
            Err(_) => 0,
        }
    }

    fn record(&mut self, date: Date) {
        let balances = self.accounts.iter().map(Account::balance).collect();
        self.history.push(Snapshot { date, balances });
    }

    /// Every transfer that happened, in order.
    ///
    /// ```
    /// use course_lib::bank::{course_scenario, Kind};
    ///
    /// let outcome = course_scenario(Kind::Internal);
    /// assert_eq!(outcome.ledger.transfers().len(), 4);
    /// for transfer in outcome.ledger.transfers() {
    ///     println!("{transfer}");
    /// }
    /// ```
    pub fn transfers(&self) -> &[Transfer] {
        &self.transfers
    }

    /// Every balance over time: one snapshot per opened account and per transfer.
    ///
    /// ```
    /// use course_lib::bank::{course_scenario, Kind};
    ///
    /// let ledger = course_scenario(Kind::Internal).ledger;
    /// assert_eq!(ledger.history().len(), 4 + 4);
    /// assert_eq!(ledger.history()[0].balances, [10_000]);
    /// ```
    pub fn history(&self) -> &[Snapshot] {
        &self.history
    }

    /// The balance of each owner over time (the sum of the owner's
    /// accounts), as `(owner, [(day, balance)])`, owners in order of their
    /// first account. Each change is a step: the old and the new balance at
    /// the date of the change.
    ///
    /// ```
    /// use course_lib::bank::{course_scenario, Kind};
    ///
    /// let lines = course_scenario(Kind::Internal).ledger.balances_by_owner();
    /// let (owner, points) = &lines[3];
    /// assert_eq!(owner, "Bob");
    /// assert_eq!(points.first(), Some(&(0.0, 100)));
    /// assert_eq!(points.last(), Some(&(3.0, -100)));
    /// ```
    pub fn balances_by_owner(&self) -> Vec<(String, Vec<(f64, i64)>)> {
        let mut owners: Vec<String> = Vec::new();
        for account in &self.accounts {
            if !owners.iter().any(|o| o == account.owner()) {
                owners.push(account.owner().to_string());
            }
        }
        owners
            .into_iter()
            .map(|owner| {
                let mut points: Vec<(f64, i64)> = Vec::new();
                for snapshot in &self.history {
                    let mut present = false;
                    let mut total = 0i64;
                    for (balance, account) in snapshot.balances.iter().zip(&self.accounts) {
                        if account.owner() == owner {
                            present = true;
                            total = total.saturating_add(*balance);
                        }
                    }
                    if !present {
                        continue;
                    }
                    let day = snapshot.date.days();
                    match points.last() {
                        Some(&(_, last)) if last == total => {}
                        Some(&(_, last)) => points.extend([(day, last), (day, total)]),
                        None => points.push((day, total)),
                    }
                }
                if let (Some(&(_, last)), Some(end)) = (points.last(), self.history.last()) {
                    points.push((end.date.days(), last));
                }
                points.dedup();
                (owner, points)
            })
            .collect()
    }

    /// A chart of every owner's balance over time, one line per owner.
    ///
    /// ```
    /// use course_lib::bank::{course_scenario, Kind};
    ///
    /// let chart = course_scenario(Kind::Agios).ledger.plot();
    /// let svg = chart.to_svg().unwrap();
    /// assert!(svg.contains("Alice") && svg.contains("Bob"));
    /// ```
    pub fn plot(&self) -> Chart {
        self.balances_by_owner().into_iter().fold(
            Chart::new("Balances over time")
                .x_label("day")
                .y_label("balance"),
            |chart, (owner, points)| {
                chart.line(owner, points.into_iter().map(|(d, b)| (d, b as f64)))
            },
        )
    }

    /// A table of the accounts as they are now.
    ///
    /// ```
    /// use course_lib::bank::{course_ledger, Kind};
    ///
    /// let table = course_ledger(Kind::Blocked).0.table();
    /// assert_eq!(table.len(), 4);
    /// ```
    pub fn table(&self) -> Table {
        Table::new()
            .headers(["account", "owner", "kind", "balance", "agios due"])
            .rows(self.accounts().map(|(id, a)| {
                [
                    id.to_string(),
                    a.owner().to_string(),
                    a.kind().to_string(),
                    a.balance().to_string(),
                    a.agios_due().to_string(),
                ]
            }))
    }
}

impl Index<AccountId> for Ledger {
    type Output = Account;

    /// The account with this id.
    ///
    /// # Panics
    ///
    /// If the id comes from another ledger that has more accounts; use
    /// [`Ledger::get`] to get an `Option` instead.
    fn index(&self, id: AccountId) -> &Account {
        &self.accounts[id.0]
    }
}

impl Render for Ledger {
    fn mime_bundle(&self) -> MimeBundle {
        self.table().mime_bundle()
    }
}

impl_evcxr_display!(Ledger => "course_lib::bank::course_ledger(course_lib::bank::Kind::Internal).0");
