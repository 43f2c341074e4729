//! Rust against Python: the time of the same work in both languages, and
//! how many times faster Rust is, in one chart.

use std::fmt;
use std::time::Duration;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::ticks::{AxisLayout, Direction, LABEL_FONT, LogAxis, TickFormat, time_label};
use super::{ChartError, MARGIN, Rgb, X_LABEL_AREA};
use crate::lab::display::{MimeBundle, Render, impl_evcxr_display};
use crate::lab::timing::TimeitResult;

/// The colour of the Rust bars.
const RUST_COLOR: Rgb = Rgb::ORANGE;
/// The colour of the Python bars.
const PYTHON_COLOR: Rgb = Rgb::BLUE;
/// The height of one compared row, in pixels.
const ROW_PX: u32 = 64;
/// The width of a character of the row labels, in pixels (errs on the wide side).
const CHAR_PX: f64 = 7.0;
/// The width of a character of the texts after the bars, in pixels.
const LABEL_CHAR_PX: f64 = 6.3;

/// A duration in seconds: what the Rust side of a [`SpeedChart`] row takes.
///
/// ```
/// use std::time::Duration;
/// use course_lib::lab::Seconds;
///
/// assert_eq!(Duration::from_millis(250).seconds(), 0.25);
/// assert_eq!(0.5.seconds(), 0.5);
/// ```
pub trait Seconds {
    /// The duration in seconds.
    fn seconds(&self) -> f64;
}

impl Seconds for f64 {
    fn seconds(&self) -> f64 {
        *self
    }
}

impl Seconds for Duration {
    fn seconds(&self) -> f64 {
        self.as_secs_f64()
    }
}

/// A `%timeit -o` result counts as its mean time per loop.
impl Seconds for TimeitResult {
    fn seconds(&self) -> f64 {
        self.average()
    }
}

impl<T: Seconds + ?Sized> Seconds for &T {
    fn seconds(&self) -> f64 {
        (**self).seconds()
    }
}

/// The Python side of a [`SpeedChart`] row: a time in seconds, or why there
/// is none (such as [`PythonError`](crate::lab::python::PythonError) when
/// `python3` is missing).
///
/// ```
/// use course_lib::lab::PythonSeconds;
///
/// assert_eq!(0.25.python_seconds(), Ok(0.25));
/// let missing: Result<f64, String> = Err("no python3".to_string());
/// assert_eq!(missing.python_seconds(), Err("no python3".to_string()));
/// ```
pub trait PythonSeconds {
    /// The time in seconds, or the message to show instead of the bar.
    fn python_seconds(&self) -> Result<f64, String>;
}

impl PythonSeconds for f64 {
    fn python_seconds(&self) -> Result<f64, String> {
        Ok(*self)
    }
}

impl PythonSeconds for Option<f64> {
    fn python_seconds(&self) -> Result<f64, String> {
        self.ok_or_else(|| "no Python timing".to_string())
    }
}

impl<E: fmt::Display> PythonSeconds for Result<f64, E> {
    fn python_seconds(&self) -> Result<f64, String> {
        self.as_ref().map(|s| *s).map_err(ToString::to_string)
    }
}

impl<T: PythonSeconds + ?Sized> PythonSeconds for &T {
    fn python_seconds(&self) -> Result<f64, String> {
        (**self).python_seconds()
    }
}

/// One piece of work timed in both languages.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    label: String,
    rust: f64,
    python: Result<f64, String>,
}

impl Row {
    /// The texts after the Rust bar and after the Python bar (or in its place).
    fn bar_labels(&self) -> [String; 2] {
        let bar = |name: &str, seconds: &Result<f64, String>| match seconds {
            Ok(t) if t.is_finite() && *t > 0.0 => format!("{name} {}", time_label(*t)),
            Ok(t) => format!("{name}: no time ({t})"),
            Err(message) => format!("{name}: {message}"),
        };
        let mut python = bar("Python", &self.python);
        if let Some(ratio) = self.ratio() {
            python.push_str(&format!(": {}", verdict(ratio)));
        }
        [bar("Rust", &Ok(self.rust)), python]
    }

    /// Python's time over Rust's, when both are there.
    fn ratio(&self) -> Option<f64> {
        let python = *self.python.as_ref().ok()?;
        (self.rust > 0.0 && python > 0.0).then(|| python / self.rust)
    }
}

/// How many times faster, in a few significant digits: `×1.4`, `×37`, `×1,200`.
///
/// ```
/// use course_lib::lab::chart::times_label;
///
/// assert_eq!(times_label(1.44), "×1.4");
/// assert_eq!(times_label(36.7), "×37");
/// assert_eq!(times_label(1234.0), "×1,234");
/// ```
pub fn times_label(ratio: f64) -> String {
    if ratio >= 10.0 {
        format!("×{}", crate::lab::timing::thousands(ratio.round() as u64))
    } else {
        format!("×{:.1}", ratio)
    }
}

/// What a row's ratio says: `Rust ×37 faster`, or `Python ×1.5 faster`.
fn verdict(ratio: f64) -> String {
    if ratio >= 1.0 {
        format!("Rust {} faster", times_label(ratio))
    } else {
        format!("Python {} faster", times_label(1.0 / ratio))
    }
}

/// Rust against Python: each row is one piece of work, drawn as two
/// horizontal bars on a logarithmic time axis (Rust, then Python), each
/// labelled with its time, and the Python bar with how many times faster
/// Rust is.
///
/// A Python time that is missing (`python3` not installed, a failed run) is
/// shown as its message in place of the bar; the Rust bar is still drawn.
///
/// ```
/// use std::time::Duration;
/// use course_lib::prelude::*;
///
/// let chart = SpeedChart::new("Sum of a million floats")
///     .row("sum()", Duration::from_micros(400), 0.009)
///     .row("loop", 0.0004, Err::<f64, _>("python3 is not installed: the Python timing is skipped"));
/// let svg = chart.to_svg().unwrap();
/// assert!(svg.contains("Rust ×22 faster"));
/// assert!(chart.summary().contains("python3 is not installed"));
/// display(&chart);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SpeedChart {
    title: String,
    rows: Vec<Row>,
    width: u32,
}

impl SpeedChart {
    /// Creates a chart with a title and no rows yet.
    ///
    /// ```
    /// let chart = course_lib::lab::SpeedChart::new("Nothing timed yet");
    /// assert!(chart.to_svg().unwrap().contains("Nothing timed yet"));
    /// ```
    pub fn new(title: impl Into<String>) -> Self {
        SpeedChart {
            title: title.into(),
            rows: Vec::new(),
            width: 800,
        }
    }

    /// Adds one piece of work: its label, the Rust time (seconds as `f64`,
    /// a `Duration` or a `%timeit -o` result) and the Python time (seconds,
    /// or a `Result` whose error is shown instead of the bar).
    ///
    /// ```
    /// use course_lib::lab::SpeedChart;
    ///
    /// let chart = SpeedChart::new("t").row("x in s", 0.5, 0.75);
    /// assert_eq!(chart.ratios(), vec![Some(1.5)]);
    /// ```
    pub fn row(
        mut self,
        label: impl Into<String>,
        rust: impl Seconds,
        python: impl PythonSeconds,
    ) -> Self {
        self.rows.push(Row {
            label: label.into(),
            rust: rust.seconds(),
            python: python.python_seconds(),
        });
        self
    }

    /// Sets the width of the picture in pixels (800 by default); the height
    /// follows from the number of rows.
    ///
    /// ```
    /// let svg = course_lib::lab::SpeedChart::new("t").width(500).to_svg().unwrap();
    /// assert!(svg.contains("width=\"500\""));
    /// ```
    pub fn width(mut self, width: u32) -> Self {
        self.width = width;
        self
    }

    /// Python's time over Rust's for every row (`None` where a time is missing).
    ///
    /// ```
    /// use course_lib::lab::SpeedChart;
    ///
    /// let chart = SpeedChart::new("t").row("a", 1.0, 10.0).row("b", 1.0, None);
    /// assert_eq!(chart.ratios(), vec![Some(10.0), None]);
    /// ```
    pub fn ratios(&self) -> Vec<Option<f64>> {
        self.rows.iter().map(Row::ratio).collect()
    }

    /// The chart as text: one line per row with both times and the ratio.
    ///
    /// ```
    /// use course_lib::lab::SpeedChart;
    ///
    /// let chart = SpeedChart::new("Lookup").row("contains", 1e-6, 3e-5);
    /// assert_eq!(
    ///     chart.summary(),
    ///     "Lookup\n  contains: Rust 1 μs, Python 30 μs, Rust ×30 faster"
    /// );
    /// ```
    pub fn summary(&self) -> String {
        let mut text = self.title.clone();
        for row in &self.rows {
            let python = match (&row.python, row.ratio()) {
                (Ok(seconds), Some(ratio)) => {
                    format!("Python {}, {}", time_label(*seconds), verdict(ratio))
                }
                (Ok(seconds), None) => format!("Python {}", time_label(*seconds)),
                (Err(message), _) => message.clone(),
            };
            text.push_str(&format!(
                "\n  {}: Rust {}, {python}",
                row.label,
                time_label(row.rust)
            ));
        }
        text
    }

    /// Draws the chart as an SVG document.
    ///
    /// ```
    /// let chart = course_lib::lab::SpeedChart::new("t").row("a", 1e-3, 2e-2);
    /// assert!(chart.to_svg().unwrap().starts_with("<svg"));
    /// ```
    pub fn to_svg(&self) -> Result<String, ChartError> {
        if self.width < 300 {
            return Err(ChartError {
                message: format!("width {} is too small; use at least 300", self.width),
            });
        }
        let rows = self.rows.len().max(1) as u32;
        let height = 2 * MARGIN + 40 + X_LABEL_AREA + rows * ROW_PX;
        let size = (self.width, height);
        let times: Vec<f64> = self
            .rows
            .iter()
            .flat_map(|row| [Ok(row.rust), row.python.clone()])
            .filter_map(Result::ok)
            .filter(|t| t.is_finite() && *t > 0.0)
            .collect();
        let label_px = self
            .rows
            .iter()
            .map(|row| row.label.chars().count())
            .max()
            .unwrap_or(0) as f64
            * CHAR_PX
            + 12.0;
        let label_px = label_px.min(f64::from(self.width) * 0.35) as u32;

        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
            root.fill(&WHITE)?;
            let area = root
                .margin(MARGIN, MARGIN, MARGIN, MARGIN)
                .titled(&self.title, ("sans-serif", 20))?;
            let (plot_px, _) = area.dim_in_pixel();
            let plot_px = f64::from(plot_px.saturating_sub(label_px)).max(50.0);
            let x_range = self.x_range(&times, plot_px);
            let x_axis = AxisLayout {
                range: x_range.clone(),
                pixels: plot_px,
                direction: Direction::Horizontal,
                format: TickFormat::Time { seconds: 1.0 },
            };
            let y_top = f64::from(rows);
            let mut chart = ChartBuilder::on(&area)
                .x_label_area_size(X_LABEL_AREA)
                .y_label_area_size(label_px)
                .build_cartesian_2d(LogAxis::new(&x_axis), 0.0..y_top)?;
            let x_tick = |x: &f64| time_label(*x);
            chart
                .configure_mesh()
                .disable_y_mesh()
                .y_labels(0)
                .label_style(("sans-serif", LABEL_FONT))
                .axis_desc_style(("sans-serif", 15))
                .x_desc("time (logarithmic scale)")
                .x_label_formatter(&x_tick)
                .draw()?;

            let base = x_range.start;
            let text = |size: f64, color: RGBColor, h: HPos| {
                ("sans-serif", size)
                    .into_font()
                    .color(&color)
                    .pos(Pos::new(h, VPos::Center))
            };
            for (i, row) in self.rows.iter().enumerate() {
                // Row i fills y from y_top - i - 1 to y_top - i, top row first.
                let top = y_top - i as f64;
                let (label_x, label_y) = chart.backend_coord(&(base, top - 0.5));
                root.draw(&Text::new(
                    row.label.clone(),
                    (label_x - 8, label_y),
                    text(13.0, BLACK, HPos::Right),
                ))?;
                let labels = row.bar_labels();
                let bars = [
                    (Ok(row.rust), RUST_COLOR, top - 0.12, top - 0.46),
                    (row.python.clone(), PYTHON_COLOR, top - 0.54, top - 0.88),
                ];
                for ((seconds, color, high, low), label) in bars.into_iter().zip(labels) {
                    let color = RGBColor::from(color);
                    let end = match seconds {
                        Ok(t) if t.is_finite() && t > 0.0 => {
                            chart.draw_series(std::iter::once(Rectangle::new(
                                [(base, low), (t, high)],
                                color.filled(),
                            )))?;
                            t
                        }
                        _ => base,
                    };
                    let (x, y) = chart.backend_coord(&(end, (high + low) / 2.0));
                    root.draw(&Text::new(label, (x + 5, y), text(12.0, BLACK, HPos::Left)))?;
                }
            }
            root.present()?;
        }
        Ok(svg)
    }

    /// The time axis: from a little under the shortest time to far enough
    /// right of the longest that the text after each bar fits.
    fn x_range(&self, times: &[f64], plot_px: f64) -> std::ops::Range<f64> {
        let (Some(min), Some(max)) = (
            times.iter().copied().reduce(f64::min),
            times.iter().copied().reduce(f64::max),
        ) else {
            return 1e-9..1.0;
        };
        let start = min / 3.0;
        let mut end = (max * 2.0).max(start * 100.0);
        // The bars' ends and the widths of their labels, in pixels.
        let ends: Vec<(f64, f64)> = self
            .rows
            .iter()
            .flat_map(|row| {
                let [rust, python] = row.bar_labels();
                let python_end = row.python.clone().unwrap_or(start);
                [(row.rust, rust), (python_end, python)]
            })
            .map(|(t, label)| {
                let t = if t.is_finite() { t.max(start) } else { start };
                (t, label.chars().count() as f64 * LABEL_CHAR_PX + 10.0)
            })
            .collect();
        for _ in 0..60 {
            let span = (end / start).ln();
            let fits = ends
                .iter()
                .all(|&(t, px)| (t / start).ln() / span * plot_px + px <= plot_px);
            if fits {
                break;
            }
            end *= 1.5;
        }
        start..end
    }
}

impl Render for SpeedChart {
    fn mime_bundle(&self) -> MimeBundle {
        MimeBundle::svg(self.summary(), self.to_svg())
    }
}

impl_evcxr_display!(SpeedChart => "SpeedChart::new(\"Empty\")");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratio_and_labels() {
        let chart = SpeedChart::new("Front insertion")
            .row("Vec::insert(0, x)", 2e-6, 4e-5)
            .row(
                "VecDeque::push_front",
                2e-9,
                Err::<f64, _>("python3 is not installed"),
            );
        let ratios = chart.ratios();
        assert!((ratios[0].unwrap() - 20.0).abs() < 1e-9 && ratios[1].is_none());
        let svg = chart.to_svg().unwrap();
        for text in [
            "Front insertion",
            "Vec::insert(0, x)",
            "Rust 2 μs",
            "Python 40 μs: Rust ×20 faster",
            "Python: python3 is not installed",
        ] {
            assert!(svg.contains(text), "{text} missing in {svg}");
        }
        assert!(
            chart
                .summary()
                .contains("VecDeque::push_front: Rust 2 ns, python3")
        );
    }

    #[test]
    fn python_faster_is_said_so() {
        let chart = SpeedChart::new("t").row("a", 3e-3, 1e-3);
        assert!(chart.summary().ends_with("Python ×3.0 faster"));
    }

    #[test]
    fn empty_and_odd_times_do_not_panic() {
        assert!(SpeedChart::new("empty").to_svg().is_ok());
        let odd = SpeedChart::new("odd").row("zero", 0.0, f64::NAN);
        assert!(odd.to_svg().is_ok());
        assert!(SpeedChart::new("t").width(10).to_svg().is_err());
        let bundle = SpeedChart::new("b").row("a", 1.0, 2.0).mime_bundle();
        assert!(bundle.get("image/svg+xml").unwrap().contains("<svg"));
    }
}
