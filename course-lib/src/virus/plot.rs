//! The `Plotable` protocol and charts drawn in windows of days.

use std::fmt;
use std::ops::Range;

use crate::lab::display::{MimeBundle, Render, display, escape_html, impl_evcxr_display};
use crate::lab::{Chart, Rgb};

use super::{PLOT_WINDOW, Scenario};

/// Anything that has one value per day and can be drawn by [`plot`].
///
/// This is the course's `Plotable` protocol. In Python any object with the
/// right methods fits (duck typing); in Rust a type fits once it says so
/// with `impl Plotable for ...`, and the compiler checks every method.
///
/// ```
/// use course_lib::virus::{plot, Plotable};
///
/// /// Temperatures, one per day.
/// struct Weather(Vec<f64>);
///
/// impl Plotable for Weather {
///     fn title(&self) -> String {
///         "Temperature".to_string()
///     }
///     fn day_count(&self) -> usize {
///         self.0.len()
///     }
///     fn values(&self, days: std::ops::Range<usize>) -> Vec<f64> {
///         self.0[days].to_vec()
///     }
/// }
///
/// let weather = Weather((0..100).map(|d| (d % 30) as f64).collect());
/// let charts = plot(&weather, 40)?;
/// assert_eq!(charts.len(), 3); // days 0-39, 40-79, 80-99
/// # Ok::<(), course_lib::virus::PlotError>(())
/// ```
pub trait Plotable {
    /// The title shared by every chart.
    fn title(&self) -> String;

    /// How many days there are (days `0..day_count()`).
    fn day_count(&self) -> usize;

    /// The values of the days in `days`, one per day, in order.
    /// [`plot`] only asks for ranges inside `0..day_count()`.
    fn values(&self, days: Range<usize>) -> Vec<f64>;

    /// The days to mark with a red vertical line (none by default).
    fn marked_days(&self) -> Vec<usize> {
        Vec::new()
    }

    /// The label of the vertical axis (`"value"` by default).
    fn y_label(&self) -> String {
        "value".to_string()
    }
}

impl Plotable for Scenario {
    fn title(&self) -> String {
        "Daily cases".to_string()
    }

    fn day_count(&self) -> usize {
        self.len()
    }

    fn values(&self, days: Range<usize>) -> Vec<f64> {
        self.days(days).map(|cases| cases as f64).collect()
    }

    fn marked_days(&self) -> Vec<usize> {
        self.celebration_days().to_vec()
    }

    fn y_label(&self) -> String {
        "cases".to_string()
    }
}

impl Plotable for [u64] {
    fn title(&self) -> String {
        "Daily values".to_string()
    }

    fn day_count(&self) -> usize {
        self.len()
    }

    fn values(&self, days: Range<usize>) -> Vec<f64> {
        self.get(days)
            .unwrap_or_default()
            .iter()
            .map(|&v| v as f64)
            .collect()
    }
}

/// Why [`plot`] could not draw anything.
///
/// ```
/// use course_lib::virus::{plot, PlotError, Scenario};
///
/// let error = plot(&Scenario::default(), 0).unwrap_err();
/// assert_eq!(error, PlotError::EmptyWindow);
/// assert_eq!(error.to_string(), "a plot window must hold at least one day");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlotError {
    /// The window size is zero days.
    EmptyWindow,
    /// The data has no days at all.
    NoDays,
}

impl fmt::Display for PlotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlotError::EmptyWindow => write!(f, "a plot window must hold at least one day"),
            PlotError::NoDays => write!(f, "there are no days to plot"),
        }
    }
}

impl std::error::Error for PlotError {}

/// Charts of consecutive windows of days, shown one under the other.
///
/// Ending a notebook cell with a `Plot` shows every chart; [`show`](Plot::show)
/// displays them while the cell runs.
///
/// ```
/// use course_lib::virus::Scenario;
///
/// let plot = Scenario::default().plot();
/// assert_eq!(plot.windows(), [0..300, 300..600, 600..900, 900..950]);
/// assert_eq!(plot.charts().len(), 4);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Plot {
    windows: Vec<Range<usize>>,
    charts: Vec<Chart>,
}

impl Plot {
    /// The day range drawn by each chart.
    ///
    /// ```
    /// let plot = course_lib::virus::Scenario::default().plot();
    /// assert_eq!(plot.windows()[3], 900..950);
    /// ```
    pub fn windows(&self) -> &[Range<usize>] {
        &self.windows
    }

    /// The charts, one per window.
    ///
    /// ```
    /// let plot = course_lib::virus::Scenario::default().plot();
    /// assert!(plot.charts()[0].to_svg().is_ok());
    /// ```
    pub fn charts(&self) -> &[Chart] {
        &self.charts
    }

    /// Takes the charts out, to change or show them one by one.
    ///
    /// ```
    /// use course_lib::prelude::*;
    ///
    /// let charts = course_lib::virus::Scenario::default().plot().into_charts();
    /// display(charts[0].clone().size(900, 300));
    /// ```
    pub fn into_charts(self) -> Vec<Chart> {
        self.charts
    }

    /// The number of charts.
    ///
    /// ```
    /// assert_eq!(course_lib::virus::Scenario::default().plot().len(), 4);
    /// ```
    pub fn len(&self) -> usize {
        self.charts.len()
    }

    /// Whether there are no charts (never the case for a plot that `plot` returned).
    ///
    /// ```
    /// assert!(!course_lib::virus::Scenario::default().plot().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.charts.is_empty()
    }

    /// Displays every chart now, each as its own output.
    ///
    /// ```
    /// course_lib::virus::Scenario::default().plot().show();
    /// ```
    pub fn show(&self) {
        for chart in &self.charts {
            display(chart);
        }
    }
}

impl Render for Plot {
    fn mime_bundle(&self) -> MimeBundle {
        let mut html = String::from("<div>");
        let mut text = Vec::new();
        for chart in &self.charts {
            let bundle = chart.mime_bundle();
            match bundle.get("image/svg+xml") {
                Some(svg) => html.push_str(&format!("<div>{svg}</div>")),
                None => html.push_str(&format!("<pre>{}</pre>", escape_html(&bundle.plain_text()))),
            }
            text.push(bundle.plain_text());
        }
        html.push_str("</div>");
        MimeBundle::new()
            .with("text/html", html)
            .with("text/plain", text.join("\n"))
    }
}

impl_evcxr_display!(Plot => "course_lib::virus::Scenario::default().plot()");

/// Draws `data` in charts of `window` days each (the last one may be
/// shorter), with a red vertical line on every marked day.
///
/// ```
/// use course_lib::virus::{plot, Scenario};
///
/// let scenario = Scenario::default();
/// let charts = plot(&scenario, 300)?;
/// assert_eq!(charts.len(), 4);
/// let yearly = plot(&scenario, 365)?;
/// assert_eq!(yearly.windows(), [0..365, 365..730, 730..950]);
///
/// let counts: Vec<u64> = vec![3, 1, 4, 1, 5];
/// assert_eq!(plot(&counts[..], 2)?.len(), 3);
/// # Ok::<(), course_lib::virus::PlotError>(())
/// ```
pub fn plot<P: Plotable + ?Sized>(data: &P, window: usize) -> Result<Plot, PlotError> {
    if window == 0 {
        return Err(PlotError::EmptyWindow);
    }
    if data.day_count() == 0 {
        return Err(PlotError::NoDays);
    }
    Ok(draw_windows(data, window))
}

/// Draws the windows; `window` and the day count must be positive.
fn draw_windows<P: Plotable + ?Sized>(data: &P, window: usize) -> Plot {
    let days = data.day_count();
    let title = data.title();
    let y_label = data.y_label();
    let marked = data.marked_days();
    let windows: Vec<Range<usize>> = (0..days)
        .step_by(window)
        .map(|start| start..days.min(start.saturating_add(window)))
        .collect();
    let charts = windows
        .iter()
        .map(|range| {
            let points = range
                .clone()
                .zip(data.values(range.clone()))
                .map(|(day, value)| (day as f64, value));
            let last = range.end - 1;
            let mut chart = Chart::new(format!("{title}, days {}–{last}", range.start))
                .x_label("day")
                .y_label(&y_label)
                .size(900, 350)
                .line(&y_label, points);
            for &day in marked.iter().filter(|day| range.contains(day)) {
                chart = chart.marker(day as f64, Rgb::RED);
            }
            chart
        })
        .collect();
    Plot { windows, charts }
}

impl Scenario {
    /// Draws the scenario in windows of 300 days, with a red line on each
    /// celebration; 950 days give four charts. End a notebook cell with
    /// `scenario.plot()` to see them.
    ///
    /// ```
    /// use course_lib::virus::Scenario;
    ///
    /// let plot = Scenario::default().plot();
    /// assert_eq!(plot.len(), 4);
    /// ```
    pub fn plot(&self) -> Plot {
        // A built scenario lasts at least one day and the window is not empty.
        draw_windows(self, PLOT_WINDOW)
    }

    /// Draws the scenario in windows of `window` days.
    ///
    /// ```
    /// use course_lib::virus::{PlotError, Scenario};
    ///
    /// assert_eq!(Scenario::default().plot_windows(100)?.len(), 10);
    /// assert_eq!(Scenario::default().plot_windows(0), Err(PlotError::EmptyWindow));
    /// # Ok::<(), PlotError>(())
    /// ```
    pub fn plot_windows(&self, window: usize) -> Result<Plot, PlotError> {
        plot(self, window)
    }
}
