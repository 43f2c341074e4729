//! Where the ticks of an axis go and what their labels say.
//!
//! A logarithmic axis labels only the ticks whose labels fit side by side:
//! powers of ten when the axis spans a few decades (every second or third
//! one if even those crowd), 1-2-5 under about two decades, and round numbers
//! within a decade. The other powers of ten and their multiples stay as
//! unlabelled light grid lines. Labels are short: `20k`, `1.5M`, `10⁻⁴`, or
//! `100 ns` on a time axis.

use std::ops::Range;

use plotters::coord::combinators::{IntoLogRange, LogCoord};
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, KeyPointWeight, Ranged};

use crate::lab::timing::trim_zeros;

/// Size of the tick label font, in plotters' units.
pub(super) const LABEL_FONT: f64 = 12.0;

/// The height of a tick label in the SVG, in pixels: plotters writes a font
/// of size `s` as `font-size` `s / 1.24`.
const LABEL_EM: f64 = LABEL_FONT / 1.24;

/// The average width of a character of a tick label, in ems. Digits are
/// 0.56 em wide in Arial and 0.64 em in DejaVu Sans; this errs on the wide side.
const CHAR_WIDTH_EM: f64 = 0.65;

/// The least space between two neighbouring labels, in ems.
const GAP_EM: f64 = 0.75;

/// The least distance between two powers of ten, in pixels, for their
/// multiples (2×, 3×, … 9×) to be drawn as light grid lines (about 10
/// pixels apart on average; closer, they would grey the plot out).
const MINOR_DECADE_PX: f64 = 80.0;

/// How the numbers on an axis are written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum TickFormat {
    /// Plain numbers.
    Number,
    /// Durations: 1 on the axis lasts `seconds` seconds.
    Time { seconds: f64 },
}

impl TickFormat {
    /// The label of the tick at `value` on a linear or a logarithmic axis.
    pub(super) fn label(self, value: f64, log: bool) -> String {
        match self {
            TickFormat::Time { seconds } => time_label(value * seconds),
            TickFormat::Number if log => short_number(value),
            TickFormat::Number => tick_label(value),
        }
    }
}

/// Which way an axis runs, which decides how much room a label takes along it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Direction {
    /// Labels sit side by side: their width counts.
    Horizontal,
    /// Labels sit one above the other: their height counts.
    Vertical,
}

/// The ticks of a logarithmic axis.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct LogTicks {
    /// Ticks with a label and a grid line.
    pub labelled: Vec<f64>,
    /// Ticks with only a light grid line.
    pub minor: Vec<f64>,
}

/// A way of spacing ticks on a logarithmic axis.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Spacing {
    /// Every `k`-th power of ten (the exponents that are multiples of `k`).
    Decades(i32),
    /// These multiples of every power of ten.
    Multiples(&'static [f64]),
    /// The multiples of `step`.
    Even(f64),
}

const ONE_TWO_FIVE: &[f64] = &[1.0, 2.0, 5.0];
const ALL_DIGITS: &[f64] = &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0];
/// The multiples of a power of ten that 1-2-5 leaves unlabelled.
const BETWEEN_ONE_TWO_FIVE: &[f64] = &[3.0, 4.0, 6.0, 7.0, 8.0, 9.0];
/// The multiples of a power of ten between it and the next one.
const BETWEEN_DECADES: &[f64] = &[2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0];

/// One axis as it is laid out: the values it shows, its length and
/// direction on screen, and how its labels are written.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct AxisLayout {
    pub range: Range<f64>,
    /// The length of the axis in pixels.
    pub pixels: f64,
    pub direction: Direction,
    pub format: TickFormat,
}

impl AxisLayout {
    /// Chooses the ticks of this axis drawn on a logarithmic scale.
    ///
    /// Three or more powers of ten in range: the powers of ten, or every
    /// second, third, … one when they crowd. Fewer (under about two
    /// decades): 1-2-5, else the powers of ten, else every digit 1…9 times a
    /// power of ten. Within a fraction of a decade: multiples of a round step.
    /// Whatever is chosen, no two labels overlap; at worst one label is left.
    pub(super) fn log_ticks(&self) -> LogTicks {
        let Range { start, end } = self.range;
        if !(start > 0.0 && end > start && end.is_finite()) {
            return LogTicks {
                labelled: Vec::new(),
                minor: Vec::new(),
            };
        }
        let with_minor = |labelled: Vec<f64>, minor: Spacing| LogTicks {
            minor: self
                .ticks(minor)
                .into_iter()
                .filter(|m| !labelled.iter().any(|l| same(*l, *m)))
                .collect(),
            labelled,
        };
        let decade_minor = if self.decade_pixels() >= MINOR_DECADE_PX {
            Spacing::Multiples(BETWEEN_DECADES)
        } else {
            Spacing::Decades(1)
        };

        let decades = self.ticks(Spacing::Decades(1));
        if decades.len() >= 3 {
            for k in 1..=decades.len() as i32 {
                let labelled = self.ticks(Spacing::Decades(k));
                if labelled.len() >= 2 && self.fits(&labelled) {
                    let minor = if k == 1 {
                        decade_minor
                    } else {
                        Spacing::Decades(1)
                    };
                    return with_minor(labelled, minor);
                }
            }
        }
        // Each spacing with the fewest labels it must give to be worth it.
        let narrow = [
            (
                Spacing::Multiples(ONE_TWO_FIVE),
                3,
                Spacing::Multiples(BETWEEN_ONE_TWO_FIVE),
            ),
            (Spacing::Decades(1), 2, decade_minor),
            (Spacing::Multiples(ALL_DIGITS), 3, Spacing::Multiples(&[])),
            (
                Spacing::Multiples(ONE_TWO_FIVE),
                2,
                Spacing::Multiples(BETWEEN_ONE_TWO_FIVE),
            ),
        ];
        for (spacing, least, minor) in narrow {
            let labelled = self.ticks(spacing);
            if labelled.len() >= least && self.fits(&labelled) {
                return with_minor(labelled, minor);
            }
        }
        LogTicks {
            labelled: self.even_ticks(),
            minor: Vec::new(),
        }
    }

    /// Round, evenly spaced ticks for an axis within a fraction of a decade:
    /// the first step (from coarse to fine, 1-2-5 times a power of ten) that
    /// gives three labels that fit, else the finest that fits, else one
    /// label in the middle.
    fn even_ticks(&self) -> Vec<f64> {
        let Range { start, end } = self.range;
        let mut best = Vec::new();
        // Steps from the width of the range down to the last of three
        // significant digits of its end, so that labels still differ.
        let top = (end - start).log10().ceil() as i32;
        let bottom = end.log10().floor() as i32 - 2;
        'steps: for exponent in (bottom..=top).rev() {
            for multiple in [5.0, 2.0, 1.0] {
                let ticks = self.ticks(Spacing::Even(multiple * power_of_ten(exponent)));
                if ticks.is_empty() {
                    continue;
                }
                if !self.fits(&ticks) {
                    break 'steps;
                }
                let enough = ticks.len() >= 3;
                best = ticks;
                if enough {
                    break 'steps;
                }
            }
        }
        if best.is_empty() {
            best.push(round_significant((start * end).sqrt(), 3));
        }
        best
    }

    /// The values of `spacing` that lie on the axis, in increasing order.
    fn ticks(&self, spacing: Spacing) -> Vec<f64> {
        let Range { start, end } = self.range;
        let inside = |v: &f64| *v >= start * (1.0 - 1e-9) && *v <= end * (1.0 + 1e-9);
        let first = start.log10().floor() as i32;
        let last = end.log10().ceil() as i32;
        match spacing {
            Spacing::Decades(k) => (first..=last)
                .filter(|e| e.rem_euclid(k) == 0)
                .map(power_of_ten)
                .filter(inside)
                .collect(),
            Spacing::Multiples(multiples) => (first..=last)
                .flat_map(|e| multiples.iter().map(move |m| times_power_of_ten(*m, e)))
                .filter(inside)
                .collect(),
            Spacing::Even(step) => {
                let from = (start / step).ceil() as i64;
                let to = (end / step).floor() as i64;
                (from..=to)
                    .map(|i| i as f64 * step)
                    .filter(|v| *v > 0.0)
                    .collect()
            }
        }
    }

    /// Whether every label of `ticks` keeps its distance from the next one.
    fn fits(&self, ticks: &[f64]) -> bool {
        ticks.windows(2).all(|pair| {
            let room = self.position(pair[1]) - self.position(pair[0]);
            room >= (self.extent(pair[0]) + self.extent(pair[1])) / 2.0 + GAP_EM * LABEL_EM
        })
    }

    /// How far along the axis `value` is drawn, in pixels.
    fn position(&self, value: f64) -> f64 {
        let Range { start, end } = self.range;
        self.pixels * (value / start).ln() / (end / start).ln()
    }

    /// The pixels between two consecutive powers of ten.
    fn decade_pixels(&self) -> f64 {
        self.pixels / (self.range.end / self.range.start).log10()
    }

    /// The room the label of `value` takes along the axis, in pixels.
    fn extent(&self, value: f64) -> f64 {
        match self.direction {
            Direction::Horizontal => label_width(&self.format.label(value, true)),
            Direction::Vertical => LABEL_EM,
        }
    }
}

/// The estimated width of a tick label, in pixels.
fn label_width(label: &str) -> f64 {
    label.chars().count() as f64 * CHAR_WIDTH_EM * LABEL_EM
}

/// Whether two tick values are the same up to rounding.
fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= a.abs().max(b.abs()) * 1e-9
}

/// 10 to the power `exponent`, as close as an `f64` gets (`10f64.powi(-3)`
/// is not quite 0.001).
fn power_of_ten(exponent: i32) -> f64 {
    times_power_of_ten(1.0, exponent)
}

/// `multiple` × 10^`exponent`, rounded once.
fn times_power_of_ten(multiple: f64, exponent: i32) -> f64 {
    if exponent >= 0 {
        multiple * 10f64.powi(exponent)
    } else {
        multiple / 10f64.powi(-exponent)
    }
}

/// `value` rounded to `digits` significant digits.
fn round_significant(value: f64, digits: usize) -> f64 {
    let (mantissa, exponent) = scientific(value, digits);
    times_power_of_ten(mantissa, exponent)
}

/// `value` as `mantissa × 10^exponent`, the mantissa rounded to `digits`
/// significant digits and between 1 and 10 (0 for 0).
fn scientific(value: f64, digits: usize) -> (f64, i32) {
    let text = format!("{value:.*e}", digits.saturating_sub(1));
    let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
    (
        mantissa.parse().unwrap_or(value),
        exponent.parse().unwrap_or(0),
    )
}

/// `value` with at most three significant digits, in plain decimal.
fn decimal(value: f64) -> String {
    let magnitude = value.abs();
    if magnitude == 0.0 {
        return "0".to_string();
    }
    let decimals = (2 - magnitude.log10().floor() as i32).max(0) as usize;
    trim_zeros(&format!("{value:.decimals$}")).to_string()
}

/// Writes `exponent` in superscript digits: `-4` → `⁻⁴`.
fn superscript(exponent: i32) -> String {
    exponent
        .to_string()
        .chars()
        .map(|c| match c {
            '-' => '⁻',
            '0' => '⁰',
            '1' => '¹',
            '2' => '²',
            '3' => '³',
            '4' => '⁴',
            '5' => '⁵',
            '6' => '⁶',
            '7' => '⁷',
            '8' => '⁸',
            '9' => '⁹',
            other => other,
        })
        .collect()
}

/// A short label for a tick of a logarithmic axis, with at most three
/// significant digits: plain from 0.001 to 999, then with an SI prefix
/// (`20k`, `1.5M`, `100G`, `2T`), and as a power of ten beyond
/// (`10⁻⁴`, `2×10⁻⁴`, `10¹⁵`).
pub(super) fn short_number(value: f64) -> String {
    if value == 0.0 || !value.is_finite() {
        return format!("{value}");
    }
    let (mantissa, exponent) = scientific(value, 3);
    let value = times_power_of_ten(mantissa, exponent);
    if (-3..3).contains(&exponent) {
        return decimal(value);
    }
    const PREFIXES: [&str; 4] = ["k", "M", "G", "T"];
    if (3..15).contains(&exponent) {
        let thousands = exponent / 3;
        let prefix = PREFIXES[thousands as usize - 1];
        return format!("{}{prefix}", decimal(value / power_of_ten(3 * thousands)));
    }
    let power = format!("10{}", superscript(exponent));
    if mantissa.abs() == 1.0 {
        let sign = if mantissa < 0.0 { "-" } else { "" };
        format!("{sign}{power}")
    } else {
        format!("{}×{power}", decimal(mantissa))
    }
}

/// A short label for a duration in seconds, in the unit that keeps the
/// number at or above 1 (nanoseconds at the least, seconds at the most):
/// `100 ns`, `2.5 μs`, `10 ms`, `20 s`, `10k s`.
pub(super) fn time_label(seconds: f64) -> String {
    if seconds == 0.0 || !seconds.is_finite() {
        return format!("{seconds}");
    }
    let (scale, unit) = match scientific(seconds, 3).1 {
        0.. => return format!("{} s", short_number(seconds)),
        -3.. => (1e3, "ms"),
        -6.. => (1e6, "μs"),
        _ => (1e9, "ns"),
    };
    format!("{} {unit}", short_number(seconds * scale))
}

/// A short label for a tick of a linear axis: about three significant
/// digits, with exponent notation for very large or small numbers.
pub(super) fn tick_label(value: f64) -> String {
    let magnitude = value.abs();
    if magnitude == 0.0 {
        return "0".to_string();
    }
    if !(1e-3..1e6).contains(&magnitude) {
        let text = format!("{value:.2e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        return format!("{}e{exponent}", trim_zeros(mantissa));
    }
    let decimals = (2 - magnitude.log10().floor() as i32).max(0) as usize;
    trim_zeros(&format!("{value:.decimals$}")).to_string()
}

/// A logarithmic axis for plotters whose grid and labels are the
/// [`LogTicks`] chosen for its layout.
pub(super) struct LogAxis {
    coord: LogCoord<f64>,
    ticks: LogTicks,
}

impl LogAxis {
    /// Lays out a logarithmic axis.
    pub(super) fn new(layout: &AxisLayout) -> Self {
        LogAxis {
            coord: layout.range.clone().log_scale().into(),
            ticks: layout.log_ticks(),
        }
    }
}

impl Ranged for LogAxis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.coord.map(value, limit)
    }

    /// The labelled ticks for the bold grid (the one plotters labels), the
    /// minor ones for the light grid.
    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        match hint.weight() {
            KeyPointWeight::Bold => self.ticks.labelled.clone(),
            KeyPointWeight::Any => self.ticks.minor.clone(),
        }
    }

    fn range(&self) -> Range<f64> {
        self.coord.range()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn axis(range: Range<f64>, pixels: f64, direction: Direction) -> AxisLayout {
        AxisLayout {
            range,
            pixels,
            direction,
            format: TickFormat::Number,
        }
    }

    fn labels(layout: &AxisLayout) -> Vec<String> {
        let ticks = layout.log_ticks();
        ticks
            .labelled
            .iter()
            .map(|&v| layout.format.label(v, true))
            .collect()
    }

    #[test]
    fn tick_labels_are_short() {
        assert_eq!(tick_label(0.0), "0");
        assert_eq!(tick_label(2.5), "2.5");
        assert_eq!(tick_label(0.1 + 0.2), "0.3");
        assert_eq!(tick_label(1000.0), "1000");
        assert_eq!(tick_label(0.0015), "0.0015");
        assert_eq!(tick_label(-12.26), "-12.3");
        assert_eq!(tick_label(1e6), "1e6");
        assert_eq!(tick_label(2.5e-4), "2.5e-4");
    }

    #[test]
    fn short_numbers_use_prefixes_and_powers_of_ten() {
        let cases = [
            (1.0, "1"),
            (0.5, "0.5"),
            (0.001, "0.001"),
            (250.0, "250"),
            (1000.0, "1k"),
            (20_000.0, "20k"),
            (100_000.0, "100k"),
            (1_500_000.0, "1.5M"),
            (999_999.0, "1M"),
            (2e9, "2G"),
            (1e12, "1T"),
            (1e15, "10¹⁵"),
            (2e16, "2×10¹⁶"),
            (1e-4, "10⁻⁴"),
            (2.5e-7, "2.5×10⁻⁷"),
            (-2000.0, "-2k"),
            (10f64.powi(-3), "0.001"),
        ];
        for (value, expected) in cases {
            assert_eq!(short_number(value), expected, "{value}");
        }
    }

    #[test]
    fn time_labels_pick_the_unit() {
        let cases = [
            (1e-9, "1 ns"),
            (5e-10, "0.5 ns"),
            (1e-7, "100 ns"),
            (1e-6, "1 μs"),
            (9.999e-7, "1 μs"),
            (2.5e-5, "25 μs"),
            (1e-3, "1 ms"),
            (0.2, "200 ms"),
            (1.0, "1 s"),
            (20.0, "20 s"),
            (1e4, "10k s"),
            (0.0, "0"),
        ];
        for (seconds, expected) in cases {
            assert_eq!(time_label(seconds), expected, "{seconds}");
        }
        let millis = TickFormat::Time { seconds: 1e-3 };
        assert_eq!(millis.label(0.01, true), "10 μs");
        assert_eq!(millis.label(1500.0, false), "1.5 s");
    }

    #[test]
    fn a_few_decades_are_labelled_by_their_powers_of_ten() {
        let layout = axis(770.0..260_000.0, 425.0, Direction::Horizontal);
        assert_eq!(labels(&layout), ["1k", "10k", "100k"]);
        let minor = layout.log_ticks().minor;
        assert!(
            minor.contains(&2000.0) && minor.contains(&200_000.0),
            "{minor:?}"
        );
        assert!(!minor.contains(&10_000.0));
    }

    #[test]
    fn under_two_decades_reads_one_two_five() {
        // The x axis of `%%complexity -n 1000..64000`, 425 pixels wide.
        let layout = axis(813.0..78_800.0, 425.0, Direction::Horizontal);
        assert_eq!(labels(&layout), ["1k", "2k", "5k", "10k", "20k", "50k"]);
        let minor = layout.log_ticks().minor;
        assert!(
            minor.contains(&3000.0) && !minor.contains(&2000.0),
            "{minor:?}"
        );
    }

    #[test]
    fn crowded_one_two_five_falls_back_to_decades() {
        let layout = axis(813.0..78_800.0, 120.0, Direction::Horizontal);
        assert_eq!(labels(&layout), ["1k", "10k"]);
    }

    #[test]
    fn crowded_decades_are_thinned() {
        let wide = axis(1e-9..1e9, 900.0, Direction::Horizontal);
        assert_eq!(labels(&wide).len(), 19, "{:?}", labels(&wide));
        let narrow = axis(1e-9..1e9, 150.0, Direction::Horizontal);
        let ticks = narrow.log_ticks();
        let exponents: Vec<i32> = ticks
            .labelled
            .iter()
            .map(|v| v.log10().round() as i32)
            .collect();
        assert!((2..10).contains(&exponents.len()), "{exponents:?}");
        let step = exponents[1] - exponents[0];
        assert!(step > 1 && exponents.windows(2).all(|w| w[1] - w[0] == step));
        // The powers of ten left without a label are still grid lines.
        assert_eq!(ticks.labelled.len() + ticks.minor.len(), 19);
    }

    #[test]
    fn within_a_decade_every_digit_or_round_steps() {
        let digits = axis(2.0..9.5, 300.0, Direction::Vertical);
        assert_eq!(labels(&digits), ["2", "3", "4", "5", "6", "7", "8", "9"]);
        let tight = axis(1.02e-9..1.09e-9, 300.0, Direction::Vertical);
        let ticks = tight.log_ticks().labelled;
        assert!(ticks.len() >= 3, "{ticks:?}");
        assert!(ticks.iter().all(|t| tight.range.contains(t)));
        let flat = axis(1.0..1.000_001, 300.0, Direction::Vertical);
        assert_eq!(flat.log_ticks().labelled, [1.0]);
    }

    #[test]
    fn chosen_labels_never_overlap() {
        let ranges = [
            1.0..10.0,
            0.9..1.2,
            770.0..260_000.0,
            813.0..78_800.0,
            3e-8..2e-2,
            1e-12..1e12,
        ];
        for range in ranges {
            for pixels in [60.0, 150.0, 425.0, 900.0] {
                for direction in [Direction::Horizontal, Direction::Vertical] {
                    let layout = axis(range.clone(), pixels, direction);
                    let ticks = layout.log_ticks().labelled;
                    assert!(!ticks.is_empty(), "{layout:?}");
                    assert!(layout.fits(&ticks), "{layout:?}: {ticks:?}");
                }
            }
        }
    }

    #[test]
    fn a_time_axis_is_labelled_in_time_units() {
        let layout = AxisLayout {
            format: TickFormat::Time { seconds: 1.0 },
            ..axis(3e-8..2e-4, 235.0, Direction::Vertical)
        };
        assert_eq!(labels(&layout), ["100 ns", "1 μs", "10 μs", "100 μs"]);
    }

    #[test]
    fn empty_or_reversed_ranges_have_no_ticks() {
        for range in [0.0..10.0, 10.0..1.0, 1.0..f64::INFINITY] {
            let ticks = axis(range, 300.0, Direction::Horizontal).log_ticks();
            assert!(ticks.labelled.is_empty() && ticks.minor.is_empty());
        }
    }
}
