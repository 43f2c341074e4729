use proptest::prelude::*;

use super::*;
use crate::lab::display::Render;

fn balances(ledger: &Ledger) -> Vec<i64> {
    ledger.accounts().map(|(_, a)| a.balance()).collect()
}

#[test]
fn internal_scenario_end_balances() {
    let outcome = course_scenario(Kind::Internal);
    let who = outcome.actors;
    let ledger = &outcome.ledger;
    assert!(outcome.refused.is_empty());
    assert_eq!(ledger[who.bank].balance(), 10_000);
    assert_eq!(ledger[who.supermarket].balance(), 5400);
    assert_eq!(ledger[who.alice].balance(), 300);
    assert_eq!(ledger[who.bob].balance(), -100);
    assert_eq!(ledger.total(), 15_600);
}

#[test]
fn blocked_scenario_refuses_bobs_last_purchase_and_goes_on() {
    let outcome = course_scenario(Kind::Blocked);
    assert_eq!(balances(&outcome.ledger), [10_000, 5200, 300, 100]);
    assert_eq!(
        outcome.refused,
        [TransferError::InsufficientBalance(InsufficientBalance {
            owner: "Bob".into(),
            balance: 100,
            amount: 200,
        })]
    );
    let message = outcome.refused[0].to_string();
    for part in ["Bob", "100", "200"] {
        assert!(message.contains(part), "{message}");
    }
    let source = std::error::Error::source(&outcome.refused[0]).unwrap();
    assert_eq!(source.to_string(), message);
    assert_eq!(outcome.ledger.transfers().len(), 3);
}

#[test]
fn agios_scenario_pays_five_to_the_bank_five_days_later() {
    let outcome = course_scenario(Kind::Agios);
    let who = outcome.actors;
    let mut ledger = outcome.ledger;
    assert_eq!(balances(&ledger), [10_000, 5400, 300, -100]);
    assert_eq!(ledger[who.bob].negative_since(), Some(Date::day(3)));

    let credit = ledger
        .transfer(who.alice, who.bob, 100, Date::day(3).plus_days(5))
        .unwrap();
    assert_eq!(credit.agios_paid, 5);
    assert_eq!(ledger[who.bank].balance(), 10_005);
    assert_eq!(ledger[who.bob].balance(), -5);
    assert_eq!(ledger[who.alice].balance(), 200);
    assert_eq!(ledger[who.bob].agios_due(), 0);
    // Paying the agios took Bob below zero again, from day 8.
    assert_eq!(ledger[who.bob].negative_since(), Some(Date::day(8)));
    assert_eq!(ledger.total(), 15_600);
    assert!(credit.to_string().contains("5 of agios"));
}

#[test]
fn agios_round_to_whole_days() {
    let (mut ledger, who) = course_ledger(Kind::Agios);
    ledger
        .transfer(who.bob, who.supermarket, 200, Date::day(1).plus_hours(6))
        .unwrap();
    // 2 days and 12 hours later: 2.5 rounds to 3.
    let credit = ledger
        .transfer(who.alice, who.bob, 400, Date::day(3).plus_hours(18))
        .unwrap();
    assert_eq!(credit.agios_paid, 3);
    assert_eq!(ledger[who.bob].balance(), 100 - 200 + 400 - 3);
    assert_eq!(ledger[who.bob].negative_since(), None);
    // A positive agios account pays nothing at its next credit.
    let again = ledger
        .transfer(who.alice, who.bob, 1, Date::day(30))
        .unwrap();
    assert_eq!(again.agios_paid, 0);
}

#[test]
fn agios_accrue_again_after_a_partial_credit() {
    let mut bank = Account::new("Bank", 0);
    let mut shop = Account::new("Supermarket", 0);
    let mut bob = Account::agios("Bob", 0);
    bob.transfer_to(&mut shop, 1000, Date::day(0)).unwrap();
    shop.transfer_to(&mut bob, 10, Date::day(2)).unwrap();
    assert_eq!(bob.pay_agios_to(&mut bank, Date::day(2)).unwrap(), 2);
    shop.transfer_to(&mut bob, 10, Date::day(7)).unwrap();
    assert_eq!(bob.pay_agios_to(&mut bank, Date::day(7)).unwrap(), 5);
    assert_eq!(bank.balance(), 7);
    assert_eq!(bob.balance() + shop.balance() + bank.balance(), 0);
}

#[test]
fn blocked_accounts_may_reach_exactly_zero() {
    let mut alice = Account::blocked("Alice", 100);
    let mut bob = Account::blocked("Bob", 0);
    alice.transfer_to(&mut bob, 100, Date::day(0)).unwrap();
    assert_eq!(alice.balance(), 0);
    assert!(alice.transfer_to(&mut bob, 1, Date::day(0)).is_err());
}

#[test]
fn owner_is_private_with_getter_and_setter_and_display_states_it() {
    let mut account = Account::new("Alice", 500);
    assert_eq!(account.to_string(), "Alice has 500 (internal account)");
    account.set_owner("Alicia");
    assert_eq!(account.owner(), "Alicia");
    assert_eq!(
        Account::blocked("Bob", -3).to_string(),
        "Bob has -3 (blocked account)"
    );
}

#[test]
fn overflow_is_an_error_and_changes_nothing() {
    let mut rich = Account::new("Rich", i64::MAX);
    let mut alice = Account::new("Alice", 10);
    let error = alice.transfer_to(&mut rich, 1, Date::day(0)).unwrap_err();
    assert_eq!(
        error,
        TransferError::Overflow {
            owner: "Rich".into()
        }
    );
    assert_eq!((alice.balance(), rich.balance()), (10, i64::MAX));
    let error = alice
        .transfer_to(&mut rich, u64::MAX, Date::day(0))
        .unwrap_err();
    assert!(error.to_string().contains("overflow"));
}

#[test]
fn ledger_rejects_unknown_and_same_accounts() {
    let (mut ledger, who) = course_ledger(Kind::Internal);
    let (other, _) = course_ledger(Kind::Internal);
    let mut bigger = other.clone();
    let stranger = bigger.open(Account::new("Carol", 1));
    assert_eq!(
        ledger.transfer(who.alice, stranger, 1, Date::day(0)),
        Err(TransferError::UnknownAccount(stranger))
    );
    assert_eq!(
        ledger.transfer(who.alice, who.alice, 1, Date::day(0)),
        Err(TransferError::SameAccount(who.alice))
    );
    assert!(ledger.get(stranger).is_none());
    assert_eq!(ledger.total(), 15_600);
    assert!(ledger.transfers().is_empty());
}

#[test]
fn adding_accounts_of_one_owner() {
    let sum = (Account::new("Alice", 300) + Account::new("Alice", -100)).unwrap();
    assert_eq!(sum.balance(), 200);
    assert_eq!(sum.kind(), Kind::Internal);

    let mut bob_one = Account::agios("Bob", 0);
    let mut shop = Account::new("Supermarket", 0);
    bob_one.transfer_to(&mut shop, 50, Date::day(4)).unwrap();
    let merged = (bob_one + Account::agios("Bob", 20)).unwrap();
    assert_eq!(merged.balance(), -30);
    assert_eq!(merged.negative_since(), Some(Date::day(4)));

    let error = (Account::new("Alice", 1) + Account::new("Bob", 1)).unwrap_err();
    assert_eq!(
        error,
        MergeError::DifferentOwners {
            left: "Alice".into(),
            right: "Bob".into()
        }
    );
    let overflow = (Account::new("A", i64::MAX) + Account::new("A", 1)).unwrap_err();
    assert_eq!(overflow, MergeError::Overflow { owner: "A".into() });
}

#[test]
fn monitor_warns_when_an_owner_moves_more_than_ever() {
    let outcome = course_scenario(Kind::Internal);
    let warnings = outcome.ledger.warnings();
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].owner, "Bob");
    assert_eq!(warnings[0].amount, 200);
    assert_eq!(warnings[0].largest_before, 100);
    assert_eq!(warnings[0].date, Date::day(3));
    // Refused transfers do not count.
    assert!(course_scenario(Kind::Blocked).ledger.warnings().is_empty());
}

#[test]
fn monitor_warns_only_for_strictly_larger_amounts() {
    let mut transfer = monitor(Account::transfer_to);
    let mut alice = Account::new("Alice", 1000);
    let mut bob = Account::new("Bob", 0);
    for (day, amount) in [10, 10, 5, 11, 11, 30].into_iter().enumerate() {
        transfer
            .transfer(&mut alice, &mut bob, amount, Date::day(day as u32))
            .unwrap();
    }
    let amounts: Vec<u64> = transfer.warnings().iter().map(|w| w.amount).collect();
    assert_eq!(amounts, [11, 30]);
    assert_eq!(transfer.largest("Alice"), Some(30));
    assert_eq!(transfer.largest("Bob"), None);
}

#[test]
fn history_and_plot_show_every_owner_over_time() {
    let ledger = course_scenario(Kind::Agios).ledger;
    let history = ledger.history();
    assert_eq!(history.len(), 8);
    assert_eq!(history.last().unwrap().balances, [10_000, 5400, 300, -100]);
    assert!(history.windows(2).all(|w| w[0].date <= w[1].date));

    let lines = ledger.balances_by_owner();
    let owners: Vec<&str> = lines.iter().map(|(o, _)| o.as_str()).collect();
    assert_eq!(owners, ["Bank", "Supermarket", "Alice", "Bob"]);
    let (_, alice) = &lines[2];
    assert_eq!(
        alice,
        &[(0.0, 500), (0.0, 400), (2.0, 400), (2.0, 300), (3.0, 300)]
    );

    let chart = ledger.plot();
    assert!(chart.summary().contains("4 series"));
    let svg = chart.to_svg().unwrap();
    for owner in owners {
        assert!(svg.contains(owner), "{owner} missing");
    }
    let bundle = ledger.mime_bundle();
    assert!(bundle.get("text/html").unwrap().contains("Supermarket"));
}

#[test]
fn plot_sums_the_accounts_of_one_owner() {
    let mut ledger = Ledger::new(Account::new("Bank", 100));
    let first = ledger.open(Account::new("Alice", 10));
    ledger.open(Account::new("Alice", 5));
    ledger
        .transfer(first, ledger.bank(), 3, Date::day(1))
        .unwrap();
    let lines = ledger.balances_by_owner();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1].1.last(), Some(&(1.0, 12)));
}

/// A transfer between two of the four course actors.
fn transfers() -> impl Strategy<Value = Vec<(usize, usize, u64, u32)>> {
    proptest::collection::vec((0usize..4, 0usize..4, 0u64..3000, 0u32..48), 0..40)
}

fn kinds() -> impl Strategy<Value = Kind> {
    prop_oneof![Just(Kind::Internal), Just(Kind::Blocked), Just(Kind::Agios)]
}

proptest! {
    #[test]
    fn money_is_conserved_by_any_sequence_of_transfers(kind in kinds(), steps in transfers()) {
        let (mut ledger, _) = course_ledger(kind);
        let ids: Vec<AccountId> = ledger.accounts().map(|(id, _)| id).collect();
        let mut hours = 0;
        for (from, to, amount, later) in steps {
            hours += u64::from(later);
            let _ = ledger.transfer(ids[from], ids[to], amount, Date::day(0).plus_hours(hours));
            prop_assert_eq!(ledger.total(), 15_600);
        }
        for snapshot in ledger.history().iter().filter(|s| s.balances.len() == 4) {
            prop_assert_eq!(snapshot.balances.iter().sum::<i64>(), 15_600);
        }
    }

    #[test]
    fn blocked_accounts_never_go_below_zero(steps in transfers()) {
        let (mut ledger, who) = course_ledger(Kind::Blocked);
        let ids: Vec<AccountId> = ledger.accounts().map(|(id, _)| id).collect();
        for (from, to, amount, day) in steps {
            let before = ledger[ids[from]].balance();
            let result = ledger.transfer(ids[from], ids[to], amount, Date::day(day));
            let blocked = ids[from] == who.alice || ids[from] == who.bob;
            if blocked && from != to {
                prop_assert_eq!(result.is_ok(), before >= amount as i64);
            }
            prop_assert!(ledger[who.alice].balance() >= 0);
            prop_assert!(ledger[who.bob].balance() >= 0);
        }
    }

    #[test]
    fn agios_paid_equal_the_days_below_zero(
        debt in 1u64..1000, days in 0u32..400, hours in 0u64..24,
    ) {
        let (mut ledger, who) = course_ledger(Kind::Agios);
        ledger.transfer(who.bob, who.supermarket, 100 + debt, Date::day(0)).unwrap();
        let credit = ledger
            .transfer(who.supermarket, who.bob, debt + 1000, Date::day(days).plus_hours(hours))
            .unwrap();
        let expected = u64::from(days) + u64::from(hours >= 12);
        prop_assert_eq!(credit.agios_paid, expected);
        prop_assert_eq!(ledger[who.bank].balance(), 10_000 + expected as i64);
    }

    #[test]
    fn monitor_warnings_are_strict_records(amounts in proptest::collection::vec(0u64..100, 0..30)) {
        let mut transfer = monitor(Account::transfer_to);
        let mut alice = Account::new("Alice", 0);
        let mut bob = Account::new("Bob", 0);
        for &amount in &amounts {
            transfer.transfer(&mut alice, &mut bob, amount, Date::day(0)).unwrap();
        }
        let mut expected = Vec::new();
        let mut best: Option<u64> = None;
        for &amount in &amounts {
            match best {
                Some(b) if amount > b => { expected.push(amount); best = Some(amount); }
                None => best = Some(amount),
                _ => {}
            }
        }
        let got: Vec<u64> = transfer.warnings().iter().map(|w| w.amount).collect();
        prop_assert_eq!(got, expected);
    }
}
