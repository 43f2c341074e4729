use proptest::prelude::*;

use super::*;
use crate::lab::display::Render;

/// The model written out directly, as a check on the iterator machinery.
fn reference(scenario: &Scenario, days: usize) -> Vec<(u64, bool)> {
    let mut out = Vec::new();
    let mut expected = 1.0_f64;
    let mut lockdown_until = 0; // first day without lockdown
    for day in 0..days {
        let cases = expected.round() as u64;
        if day >= lockdown_until && cases > scenario.critical() {
            lockdown_until = day + scenario.lockdown_duration();
        }
        let lockdown = day < lockdown_until;
        let mut r0 = if lockdown {
            scenario.lockdown_r0()
        } else {
            scenario.regular_r0()
        };
        if scenario.celebration_days().contains(&day) {
            r0 *= scenario.celebration_multiplier();
        }
        out.push((cases, lockdown));
        expected *= r0;
    }
    out
}

#[test]
fn default_is_the_course_scenario() {
    let s = Scenario::default();
    assert_eq!(s.regular_r0(), 1.2);
    assert_eq!(s.lockdown_r0(), 0.9);
    assert_eq!(s.celebration_multiplier(), 2.0);
    assert_eq!(s.critical(), 5000);
    assert_eq!(s.lockdown_duration(), 60);
    assert_eq!(
        s.celebration_days(),
        [74, 75, 76, 210, 211, 450, 680, 710, 920]
    );
    assert_eq!(s.len(), 950);
    assert_eq!(Scenario::builder().build().unwrap(), s);
}

#[test]
fn starts_with_one_case_and_grows_by_r0() {
    let s = Scenario::default();
    let first: Vec<u64> = s.days(0..12).collect();
    let by_hand: Vec<u64> = (0..12).map(|d| 1.2_f64.powi(d).round() as u64).collect();
    assert_eq!(first, by_hand);
    assert_eq!(first[0], 1);
}

#[test]
fn default_run_matches_the_written_out_model() {
    let s = Scenario::default();
    let expected = reference(&s, s.len());
    let records: Vec<(u64, bool)> = s.records().map(|d| (d.cases, d.lockdown)).collect();
    assert_eq!(records, expected);
    let cases: Vec<u64> = s.iter().collect();
    assert_eq!(cases.len(), 950);
    assert!(cases.iter().zip(&expected).all(|(a, (b, _))| a == b));
}

#[test]
fn first_lockdown_starts_the_day_cases_exceed_critical_and_lasts_60_days() {
    let s = Scenario::default();
    let records: Vec<Day> = s.records().collect();
    let start = records.iter().position(|d| d.lockdown).unwrap();
    assert_eq!(start, 47);
    assert!(records[start].cases > 5000);
    assert!(records[start - 1].cases <= 5000);
    assert!(records[start..start + 60].iter().all(|d| d.lockdown));
    assert!(!records[start + 60].lockdown);
    // Lockdown lowers the next day's cases.
    assert!(records[start + 1].cases < records[start].cases);
}

#[test]
fn celebrations_double_the_days_r0() {
    let s = Scenario::default();
    for day in s.records() {
        let base = if day.lockdown { 0.9 } else { 1.2 };
        let expected = if CELEBRATION_DAYS.contains(&day.day) {
            base * 2.0
        } else {
            base
        };
        assert_eq!(day.r0, expected, "day {}", day.day);
        assert_eq!(day.celebration, CELEBRATION_DAYS.contains(&day.day));
    }
    let without = Scenario::builder().celebration_days([]).build().unwrap();
    assert!(s.cases_on(77) > without.cases_on(77));
}

#[test]
fn iterator_is_bounded_fused_and_sized() {
    let s = Scenario::builder().duration(5).build().unwrap();
    let mut spread = s.iter();
    assert_eq!(spread.size_hint(), (5, Some(5)));
    assert_eq!(spread.by_ref().count(), 5);
    assert_eq!(spread.next(), None);
    assert_eq!(spread.next(), None);
    assert_eq!(s.endless().size_hint(), (usize::MAX, None));
    assert_eq!(s.endless().take(10_000).count(), 10_000);
}

#[test]
fn slices_past_the_end_keep_running_the_model() {
    let s = Scenario::default();
    let tail: Vec<u64> = s.days(900..1000).collect();
    let endless: Vec<u64> = s.endless().skip(900).take(100).collect();
    assert_eq!(tail, endless);
    assert_eq!(s.days(900..).count(), 50);
    assert_eq!(s.days(900..=949).count(), 50);
    assert_eq!(s.days(..).count(), 950);
    assert_eq!(s.days(2000..).count(), 0);
    #[allow(clippy::reversed_empty_ranges)]
    let reversed = s.days(600..300).count();
    assert_eq!(reversed, 0);
    assert_eq!(s.cases_on(999), endless[99]);
}

#[test]
fn huge_growth_saturates_instead_of_panicking() {
    let s = Scenario::builder()
        .regular_r0(1e6)
        .lockdown_r0(1e6)
        .duration(200)
        .build()
        .unwrap();
    assert_eq!(s.iter().last(), Some(u64::MAX));
    let fading = Scenario::builder()
        .regular_r0(1e-3)
        .duration(500)
        .build()
        .unwrap();
    assert_eq!(fading.iter().last(), Some(0));
}

#[test]
fn bad_numbers_are_errors() {
    for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let error = Scenario::builder().regular_r0(bad).build().unwrap_err();
        assert!(matches!(
            error,
            ScenarioError::InvalidFactor {
                name: "regular R0",
                ..
            }
        ));
        assert!(
            Scenario::builder()
                .celebration_multiplier(bad)
                .build()
                .is_err()
        );
    }
    assert_eq!(
        Scenario::builder().duration(0).build(),
        Err(ScenarioError::ZeroDuration)
    );
    let message = ScenarioError::ZeroDuration.to_string();
    assert!(message.contains("at least one day"));
    let boxed: Box<dyn std::error::Error> = Box::new(ScenarioError::ZeroDuration);
    assert_eq!(boxed.to_string(), message);
}

#[test]
fn plot_draws_four_windows_with_red_celebrations() {
    let plot = Scenario::default().plot();
    assert_eq!(plot.windows(), [0..300, 300..600, 600..900, 900..950]);
    let red = "#D62728";
    let markers_per_window: Vec<usize> = plot
        .charts()
        .iter()
        .map(|chart| chart.to_svg().unwrap().matches(red).count())
        .collect();
    // 74, 75, 76, 210, 211 | 450 | 680, 710 | 920
    assert_eq!(markers_per_window, [5, 1, 2, 1]);
    assert!(plot.charts()[0].summary().contains("300 points"));
    assert!(plot.charts()[3].summary().contains("50 points"));
}

#[test]
fn plot_renders_every_chart_inline() {
    let bundle = Scenario::default().plot().mime_bundle();
    let html = bundle.get("text/html").unwrap();
    assert_eq!(html.matches("<svg").count(), 4);
    assert_eq!(bundle.plain_text().lines().count(), 4);
}

#[test]
fn plot_errors() {
    assert_eq!(
        plot(&Scenario::default(), 0).unwrap_err(),
        PlotError::EmptyWindow
    );
    let nothing: [u64; 0] = [];
    assert_eq!(plot(&nothing[..], 10).unwrap_err(), PlotError::NoDays);
    assert_eq!(plot(&[1u64, 2, 3][..], usize::MAX).unwrap().len(), 1);
}

/// Valid scenarios with small numbers, so that lockdowns actually happen.
fn scenarios() -> impl Strategy<Value = Scenario> {
    (
        1.0f64..2.0,
        0.3f64..1.5,
        0.5f64..4.0,
        0u64..2000,
        0usize..80,
        proptest::collection::vec(0usize..400, 0..10),
        1usize..400,
    )
        .prop_map(
            |(regular, lockdown, party, critical, length, days, duration)| {
                Scenario::builder()
                    .regular_r0(regular)
                    .lockdown_r0(lockdown)
                    .celebration_multiplier(party)
                    .critical(critical)
                    .lockdown_duration(length)
                    .celebration_days(days)
                    .duration(duration)
                    .build()
                    .unwrap()
            },
        )
}

proptest! {
    #[test]
    fn slice_equals_the_same_days_of_the_full_run(
        s in scenarios(), a in 0usize..500, b in 0usize..500,
    ) {
        let (start, end) = (a.min(b), a.max(b));
        let slice: Vec<u64> = s.days(start..end).collect();
        let full: Vec<u64> = s.endless().take(end).collect();
        prop_assert_eq!(&slice[..], &full[start..end]);
        if end <= s.len() {
            let bounded: Vec<u64> = s.iter().skip(start).take(end - start).collect();
            prop_assert_eq!(slice, bounded);
        }
    }

    #[test]
    fn length_is_the_number_of_days(s in scenarios()) {
        prop_assert_eq!(s.iter().count(), s.len());
        prop_assert_eq!((&s).into_iter().count(), s.len());
        prop_assert_eq!(s.records().count(), s.len());
    }

    #[test]
    fn lockdown_never_lasts_less_than_its_duration(s in scenarios()) {
        let days: Vec<Day> = s.days(0..s.len() + s.lockdown_duration()).records().collect();
        let mut run = 0;
        for (i, day) in days.iter().enumerate() {
            if day.lockdown {
                run += 1;
            } else {
                if run > 0 {
                    prop_assert!(run >= s.lockdown_duration(), "lockdown of {} days before day {}", run, i);
                    prop_assert_eq!(run % s.lockdown_duration(), 0);
                }
                run = 0;
            }
        }
    }

    #[test]
    fn a_lockdown_starts_exactly_when_cases_exceed_critical(s in scenarios()) {
        prop_assume!(s.lockdown_duration() > 0);
        let days: Vec<Day> = s.records().collect();
        for pair in days.windows(2) {
            let (yesterday, today) = (pair[0], pair[1]);
            if today.lockdown && !yesterday.lockdown {
                prop_assert!(today.cases > s.critical());
            }
            if !today.lockdown {
                prop_assert!(today.cases <= s.critical());
            }
        }
    }

    #[test]
    fn model_matches_the_written_out_reference(s in scenarios()) {
        let records: Vec<(u64, bool)> = s.records().map(|d| (d.cases, d.lockdown)).collect();
        prop_assert_eq!(records, reference(&s, s.len()));
    }

    #[test]
    fn plot_windows_cover_every_day_once(s in scenarios(), window in 1usize..500) {
        let plot = s.plot_windows(window).unwrap();
        prop_assert_eq!(plot.len(), s.len().div_ceil(window));
        let covered: Vec<usize> = plot.windows().iter().flat_map(|w| w.clone()).collect();
        prop_assert_eq!(covered, (0..s.len()).collect::<Vec<_>>());
    }
}
