use std::time::Duration;

use proptest::prelude::*;

use super::clock::{Clock, Stalled, VirtualClock, run_virtual};
use super::*;
use crate::lab::display::Render;

fn s(seconds: u64) -> Duration {
    Duration::from_secs(seconds)
}

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

fn config(opponents: usize, rounds: usize, master: Duration, opponent: Duration) -> Config {
    Config::builder()
        .opponents(opponents)
        .rounds(rounds)
        .master_move(master)
        .opponent_move(opponent)
        .build()
        .unwrap()
}

/// A current-thread runtime on tokio's paused clock.
fn paused_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap()
}

fn master(board: usize, start: u64, end: u64) -> Move {
    Move::new(Player::Master, board, s(start), s(end))
}

fn opponent(board: usize, start: u64, end: u64) -> Move {
    Move::new(Player::Opponent, board, s(start), s(end))
}

/// The master's waits must never meet a board's waits: whenever the master
/// is idle, no board is waiting for him. And boards are served in the order
/// they became ready.
fn assert_master_never_idles_and_serves_in_order(timeline: &Timeline) {
    // For every master move: (when its board became ready, when it started).
    let mut waits = Vec::new();
    for board in 1..=timeline.boards() {
        let mut ready = Duration::ZERO;
        for m in timeline.on_board(board) {
            match m.who {
                Player::Master => waits.push((ready, m.start)),
                Player::Opponent => ready = m.end,
            }
        }
    }
    let mut free = Duration::ZERO;
    for m in timeline.by(Player::Master) {
        if m.start > free {
            // The master idles during [free, m.start).
            for &(ready, start) in &waits {
                assert!(
                    !(ready < m.start && free < start),
                    "the master idles from {free:?} to {:?} while a board ready at {ready:?} waits until {start:?}",
                    m.start
                );
            }
        }
        free = m.end;
    }
    waits.sort_by_key(|&(_, start)| start);
    assert!(
        waits.windows(2).all(|w| w[0].0 <= w[1].0),
        "boards not served in the order they became ready: {waits:?}"
    );
}

// ---------------------------------------------------------------- defaults

#[test]
fn default_config_is_the_course_exhibition() {
    let c = Config::default();
    assert_eq!((c.opponents(), c.rounds()), (3, 2));
    assert_eq!((c.master_move(), c.opponent_move()), (s(1), s(5)));
    assert_eq!(Config::builder().build(), Ok(c));
    assert_eq!((c.sync_total(), c.shortest_total()), (s(36), s(14)));
}

#[test]
fn default_sync_timeline_is_one_move_at_a_time() {
    let run = simulate_sync(&Config::default());
    let expected = Timeline::new(vec![
        master(1, 0, 1),
        opponent(1, 1, 6),
        master(2, 6, 7),
        opponent(2, 7, 12),
        master(3, 12, 13),
        opponent(3, 13, 18),
        master(1, 18, 19),
        opponent(1, 19, 24),
        master(2, 24, 25),
        opponent(2, 25, 30),
        master(3, 30, 31),
        opponent(3, 31, 36),
    ]);
    assert_eq!(*run.timeline(), expected);
    assert_eq!(run.total(), s(36));
    assert_eq!(run.check_laws(), Ok(()));
    // Nobody ever thinks at the same time as anybody else.
    let moves = run.timeline().moves();
    assert!(moves.windows(2).all(|w| w[0].end <= w[1].start));
}

#[test]
fn default_async_timeline_is_the_first_come_first_served_schedule() {
    let run = simulate_async(&Config::default());
    let expected = Timeline::new(vec![
        master(1, 0, 1),
        master(2, 1, 2),
        master(3, 2, 3),
        opponent(1, 1, 6),
        opponent(2, 2, 7),
        opponent(3, 3, 8),
        master(1, 6, 7),
        master(2, 7, 8),
        master(3, 8, 9),
        opponent(1, 7, 12),
        opponent(2, 8, 13),
        opponent(3, 9, 14),
    ]);
    assert_eq!(*run.timeline(), expected);
    assert_eq!(run.total(), s(14));
    assert_eq!(run.check_laws(), Ok(()));
    assert_master_never_idles_and_serves_in_order(run.timeline());
}

#[test]
fn a_crowd_makes_the_master_the_bottleneck() {
    let crowd = config(10, 2, s(1), s(5));
    let run = simulate_async(&crowd);
    assert_eq!(run.total(), s(25)); // 10·2·1 + 5
    assert_eq!(run.total(), crowd.shortest_total());
    assert_eq!(run.check_laws(), Ok(()));
    // The master works without a break from 0 to 20 s.
    let busy: Duration = run.timeline().by(Player::Master).map(Move::duration).sum();
    assert_eq!(busy, s(20));
    assert_eq!(run.timeline().by(Player::Master).last().unwrap().end, s(20));
}

#[test]
fn largest_exhibition_runs_quickly_on_virtual_time() {
    let largest = config(MAX_OPPONENTS, MAX_ROUNDS, ms(1), ms(2));
    for mode in Mode::ALL {
        let run = simulate(mode, &largest);
        assert_eq!(run.timeline().len(), largest.total_moves());
        assert_eq!(run.check_laws(), Ok(()));
        assert_eq!(run.total(), mode.expected_total(&largest));
        assert!(
            run.wall_clock() < s(5),
            "{mode} took {:?}",
            run.wall_clock()
        );
    }
}

// ---------------------------------------------------------------- clocks

#[test]
fn tokio_paused_clock_gives_the_same_timelines() {
    let config = Config::default();
    let runtime = paused_runtime();
    for mode in Mode::ALL {
        let on_tokio = runtime.block_on(play(mode, &config, Speed::REAL));
        let on_virtual = simulate(mode, &config);
        assert_eq!(on_tokio.timeline(), on_virtual.timeline(), "{mode}");
        assert_eq!(on_tokio.total(), on_virtual.total());
    }
}

#[tokio::test(start_paused = true)]
async fn the_async_fns_can_be_awaited_in_a_paused_test() {
    let config = Config::default();
    assert_eq!(play_sync(&config, Speed::REAL).await.total(), s(36));
    let fast = play_async(&config, Speed::scaled(100).unwrap()).await;
    assert_eq!(fast.total(), s(14));
    assert_eq!(fast.check_laws(), Ok(()));
    assert_eq!(fast.timeline().by(Player::Master).count(), 6);
}

#[tokio::test]
async fn simulations_can_be_started_from_async_code() {
    let config = Config::default();
    assert_eq!(simulate_async(&config).total(), s(14));
    let small = config_for(1, 1);
    let real = simulate_real_time(Mode::Sync, &small, Speed::scaled(1000).unwrap());
    assert_eq!(real.timeline().len(), 2);
}

#[test]
fn a_scaled_speed_reports_game_time() {
    let config = Config::default();
    let fast = paused_runtime().block_on(play_async(&config, Speed::scaled(100).unwrap()));
    assert_eq!(fast.timeline(), simulate_async(&config).timeline());
    assert_eq!(fast.total(), s(14));
}

#[test]
fn real_time_runs_obey_the_laws_up_to_oversleeping() {
    let small = config(2, 1, s(1), s(5));
    let speed = Speed::scaled(1000).unwrap();
    for mode in Mode::ALL {
        let run = simulate_real_time(mode, &small, speed);
        assert_eq!(run.timeline().len(), 4);
        assert_eq!(
            run.timeline().check_laws_within(&small, Duration::MAX),
            Ok(())
        );
        assert!(run.total() >= mode.expected_total(&small));
        assert!(run.wall_clock() >= speed.to_wall(mode.expected_total(&small)));
    }
}

#[test]
fn virtual_clock_wakes_sleepers_in_deadline_order() {
    let order = run_virtual(|clock: VirtualClock| async move {
        let sleepers: Vec<_> = [3u64, 1, 2, 1]
            .into_iter()
            .enumerate()
            .map(|(i, secs)| {
                let clock = clock.clone();
                tokio::spawn(async move {
                    clock.sleep(s(secs)).await;
                    (clock.now(), i)
                })
            })
            .collect();
        let mut woken = Vec::new();
        for sleeper in sleepers {
            woken.push(sleeper.await.unwrap());
        }
        woken.sort();
        woken
    })
    .unwrap();
    assert_eq!(order, [(s(1), 1), (s(1), 3), (s(2), 2), (s(3), 0)]);
}

#[test]
fn virtual_clock_reports_a_deadlock_instead_of_hanging() {
    let never = std::sync::Arc::new(tokio::sync::Notify::new());
    let result = run_virtual(|_clock| async move { never.notified().await });
    assert_eq!(result, Err(Stalled));
}

// ---------------------------------------------------------------- config

#[test]
fn bad_configs_are_rejected_with_clear_errors() {
    let b = Config::builder;
    assert_eq!(b().opponents(0).build(), Err(ConfigError::NoOpponents));
    assert_eq!(
        b().opponents(101).build(),
        Err(ConfigError::TooManyOpponents(101))
    );
    assert_eq!(b().rounds(0).build(), Err(ConfigError::NoRounds));
    assert_eq!(
        b().rounds(1000).build(),
        Err(ConfigError::TooManyRounds(1000))
    );
    assert_eq!(
        b().opponent_move(Duration::from_micros(1500)).build(),
        Err(ConfigError::MoveTimeNotWholeMilliseconds {
            who: Player::Opponent,
            time: Duration::from_micros(1500)
        })
    );
    assert_eq!(
        b().master_seconds(3601).build(),
        Err(ConfigError::MoveTimeOutOfRange {
            who: Player::Master,
            time: s(3601)
        })
    );
    assert_eq!(
        ConfigError::TooManyRounds(1000).to_string(),
        "1000 rounds is too many: at most 100"
    );
    assert_eq!(
        ConfigError::MoveTimeNotWholeMilliseconds {
            who: Player::Opponent,
            time: Duration::from_micros(1500)
        }
        .to_string(),
        "the opponent's move time must be a whole number of milliseconds, not 1.5ms"
    );
    assert_eq!(Speed::scaled(1001), Err(ConfigError::SpeedOutOfRange(1001)));
    let error: Box<dyn std::error::Error> = Box::new(ConfigError::NoRounds);
    assert_eq!(error.to_string(), "a game needs at least one round");
}

// ---------------------------------------------------------------- laws

fn default_async_timeline() -> Timeline {
    simulate_async(&Config::default()).into_timeline()
}

fn with_move(timeline: &Timeline, index: usize, change: impl FnOnce(&mut Move)) -> Timeline {
    let mut moves = timeline.moves().to_vec();
    change(&mut moves[index]);
    Timeline::new(moves)
}

#[test]
fn each_law_has_its_violation() {
    let config = Config::default();
    let good = default_async_timeline();
    // moves()[0] is the master on board 1 from 0 to 1 s; [1] is board 2's.

    let unknown = with_move(&good, 0, |m| m.board = 4);
    assert!(matches!(
        unknown.check_laws(&config),
        Err(LawViolation::UnknownBoard { boards: 3, .. })
    ));

    let slow = with_move(&good, 0, |m| m.end = ms(1500));
    assert_eq!(
        slow.check_laws(&config),
        Err(LawViolation::WrongDuration {
            found: Move::new(Player::Master, 1, s(0), ms(1500)),
            expected: s(1)
        })
    );
    assert_eq!(
        slow.check_laws_within(&config, ms(400)).map_err(|_| ()),
        Err(())
    );
    let too_fast = with_move(&good, 0, |m| m.end = ms(900));
    assert!(too_fast.check_laws_within(&config, s(1)).is_err());

    let twice = with_move(&good, 1, |m| (m.start, m.end) = (ms(500), ms(1500)));
    assert!(matches!(
        twice.check_laws(&config),
        Err(LawViolation::MasterOnTwoBoards { .. })
    ));

    let mut moves = good.moves().to_vec();
    moves.push(opponent(2, 3, 8));
    let busy = Timeline::new(moves);
    assert!(matches!(
        busy.check_laws(&config),
        Err(LawViolation::OpponentOnTwoMoves { .. })
    ));

    let mut moves = good.moves().to_vec();
    moves.retain(|m| *m != opponent(3, 9, 14));
    assert_eq!(
        Timeline::new(moves).check_laws(&config),
        Err(LawViolation::WrongMoveCount {
            board: 3,
            expected: 4,
            found: 3
        })
    );

    // Board 1's opponent moves first (and the master answers).
    let config_one = config_for(1, 1);
    let reversed = Timeline::new(vec![opponent(1, 0, 5), master(1, 5, 6)]);
    assert_eq!(
        reversed.check_laws(&config_one),
        Err(LawViolation::OutOfTurn {
            found: opponent(1, 0, 5),
            expected: Player::Master
        })
    );

    let eager = Timeline::new(vec![master(1, 0, 1), opponent(1, 0, 5)]);
    let eager = with_move(&eager, 1, |m| (m.start, m.end) = (ms(500), ms(5500)));
    assert_eq!(
        eager.check_laws(&config_one),
        Err(LawViolation::MovedTooEarly {
            previous: master(1, 0, 1),
            next: Move::new(Player::Opponent, 1, ms(500), ms(5500))
        })
    );
    assert!(
        eager
            .check_laws(&config_one)
            .unwrap_err()
            .to_string()
            .starts_with("a move starts before the previous one on its board ended")
    );
}

fn config_for(opponents: usize, rounds: usize) -> Config {
    config(opponents, rounds, s(1), s(5))
}

#[test]
fn an_empty_timeline_misses_every_move() {
    assert_eq!(
        Timeline::default().check_laws(&Config::default()),
        Err(LawViolation::WrongMoveCount {
            board: 1,
            expected: 4,
            found: 0
        })
    );
}

// ---------------------------------------------------------------- display

#[test]
fn charts_tables_and_comparisons_render() {
    let run = simulate_async(&Config::default());
    let svg = run.plot().to_svg().unwrap();
    for label in ["master", "opponent 1", "opponent 3", "seconds", "async"] {
        assert!(svg.contains(label), "{label} missing");
    }
    assert!(svg.matches("<rect").count() >= 2 * run.timeline().len());

    assert!(run.mime_bundle().get("image/svg+xml").is_some());
    let table = run.timeline().mime_bundle();
    assert_eq!(table.get("text/html").unwrap().matches("<tr>").count(), 13);

    let comparison = compare(&Config::default());
    let bundle = comparison.mime_bundle();
    let html = bundle.get("text/html").unwrap();
    assert_eq!(html.matches("<svg").count(), 2);
    let text = comparison.table().to_text();
    assert!(text.contains("respected") && text.contains("2.57"));
    assert!(!text.contains("broken"));
}

#[test]
fn charts_of_many_boards_stay_readable() {
    let crowd = config(40, 1, s(1), s(5));
    let chart = simulate_async(&crowd).plot();
    let svg = chart.to_svg().unwrap();
    assert!(svg.contains("opponent 40") || svg.contains("opponent 35"));
    assert!(chart.size(300, 150).to_svg().is_ok());
}

// ---------------------------------------------------------------- properties

fn configs() -> impl Strategy<Value = Config> {
    (1usize..6, 1usize..4, 1u64..=10, 1u64..=10).prop_map(|(n, r, m, p)| config(n, r, s(m), s(p)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn both_simulations_obey_the_laws_and_reach_their_totals(config in configs()) {
        let sync = simulate_sync(&config);
        prop_assert_eq!(sync.check_laws(), Ok(()));
        let n_r = (config.opponents() * config.rounds()) as u32;
        prop_assert_eq!(sync.total(), (config.master_move() + config.opponent_move()) * n_r);
        prop_assert_eq!(sync.timeline().end(), sync.total());

        let fast = simulate_async(&config);
        prop_assert_eq!(fast.check_laws(), Ok(()));
        let (n, r) = (config.opponents() as u32, config.rounds() as u32);
        let (m, p) = (config.master_move(), config.opponent_move());
        let bound = (m * (n - 1) + (m + p) * r).max(m * n * r + p);
        prop_assert_eq!(fast.total(), bound);
        prop_assert_eq!(fast.timeline().end(), fast.total());
        prop_assert!(fast.total() <= sync.total());
        assert_master_never_idles_and_serves_in_order(fast.timeline());
    }

    #[test]
    fn millisecond_times_work_too(
        n in 1usize..6, r in 1usize..4, m in 1u64..2000, p in 1u64..2000,
    ) {
        let config = config(n, r, ms(m), ms(p));
        for mode in Mode::ALL {
            let run = simulate(mode, &config);
            prop_assert_eq!(run.check_laws(), Ok(()));
            prop_assert_eq!(run.total(), mode.expected_total(&config));
        }
    }

    #[test]
    fn tokio_paused_clock_agrees_with_the_virtual_clock(config in configs()) {
        let runtime = paused_runtime();
        for mode in Mode::ALL {
            let on_tokio = runtime.block_on(play(mode, &config, Speed::REAL));
            prop_assert_eq!(on_tokio.check_laws(), Ok(()));
            let on_virtual = simulate(mode, &config);
            prop_assert_eq!(on_tokio.timeline(), on_virtual.timeline());
        }
    }

    #[test]
    fn removing_or_stretching_any_move_breaks_a_law(
        config in configs(), pick in any::<prop::sample::Index>(), async_mode in any::<bool>(),
    ) {
        let mode = if async_mode { Mode::Async } else { Mode::Sync };
        let timeline = simulate(mode, &config).into_timeline();
        let index = pick.index(timeline.len());

        let mut fewer = timeline.moves().to_vec();
        fewer.remove(index);
        prop_assert!(Timeline::new(fewer).check_laws(&config).is_err());

        let longer = with_move(&timeline, index, |m| m.end += ms(1));
        let is_wrong_duration = matches!(
            longer.check_laws(&config),
            Err(LawViolation::WrongDuration { .. })
        );
        prop_assert!(is_wrong_duration);
        // With 1 ms of slack the duration is fine, but the stretched move
        // may now overlap the next one.
        match longer.check_laws_within(&config, ms(1)) {
            Ok(())
            | Err(LawViolation::MasterOnTwoBoards { .. })
            | Err(LawViolation::MovedTooEarly { .. }) => {}
            Err(other) => prop_assert!(false, "unexpected violation: {}", other),
        }
    }
}
