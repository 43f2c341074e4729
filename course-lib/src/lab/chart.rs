//! Line, scatter and bar charts, drawn as SVG.
//!
//! A [`Chart`] is built step by step and drawn only when it is shown, so
//! building one never fails; drawing problems come back as a [`ChartError`].
//!
//! ```
//! use course_lib::prelude::*;
//!
//! let squares: Vec<(f64, f64)> = (1..=20).map(|n| (n as f64, (n * n) as f64)).collect();
//! let chart = Chart::new("Growth")
//!     .x_label("n")
//!     .y_label("steps")
//!     .line("n²", squares)
//!     .marker(10.0, Rgb::GOLD);
//! display(&chart);
//! ```

use std::fmt;
use std::ops::Range;
use std::time::Duration;

use plotters::coord::Shift;
use plotters::coord::ranged1d::ValueFormatter;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::display::{MimeBundle, Render, impl_evcxr_display};

mod speed;
mod ticks;

pub use speed::{PythonSeconds, Seconds, SpeedChart, times_label};
use ticks::{AxisLayout, Direction, LABEL_FONT, LogAxis, TickFormat};

/// Empty space around the chart, in pixels.
const MARGIN: u32 = 15;
/// Height of the room under the plot for the x tick labels and description.
const X_LABEL_AREA: u32 = 45;
/// Width of the room left of the plot for the y tick labels and description.
const Y_LABEL_AREA: u32 = 65;

/// A colour given by its red, green and blue components.
///
/// ```
/// use course_lib::lab::Rgb;
///
/// let teal = Rgb(0, 128, 128);
/// assert_ne!(teal, Rgb::GOLD);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// Red.
    pub const RED: Rgb = Rgb(214, 39, 40);
    /// Green.
    pub const GREEN: Rgb = Rgb(44, 160, 44);
    /// Blue.
    pub const BLUE: Rgb = Rgb(31, 119, 180);
    /// Orange.
    pub const ORANGE: Rgb = Rgb(255, 127, 14);
    /// Purple.
    pub const PURPLE: Rgb = Rgb(148, 103, 189);
    /// Gold, for celebrating.
    pub const GOLD: Rgb = Rgb(230, 180, 0);
    /// Gray.
    pub const GRAY: Rgb = Rgb(127, 127, 127);
    /// Black.
    pub const BLACK: Rgb = Rgb(0, 0, 0);
}

impl From<Rgb> for RGBColor {
    fn from(Rgb(r, g, b): Rgb) -> Self {
        RGBColor(r, g, b)
    }
}

/// Colours given to series in the order they are added.
const SERIES_COLORS: [Rgb; 6] = [
    Rgb::BLUE,
    Rgb::ORANGE,
    Rgb::GREEN,
    Rgb::RED,
    Rgb::PURPLE,
    Rgb::GRAY,
];

/// Why a chart could not be drawn.
///
/// ```
/// use course_lib::lab::Chart;
///
/// match Chart::new("ok").to_svg() {
///     Ok(svg) => assert!(svg.contains("<svg")),
///     Err(error) => panic!("{error}"),
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartError {
    message: String,
}

impl fmt::Display for ChartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not draw chart: {}", self.message)
    }
}

impl std::error::Error for ChartError {}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(error: DrawingAreaErrorKind<E>) -> Self {
        ChartError {
            message: error.to_string(),
        }
    }
}

/// How one series is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
enum SeriesKind {
    Line,
    Points,
    /// Bars centred on each x, rising from zero (or the bottom of a log axis).
    Bars {
        width: f64,
    },
}

/// One named set of points.
#[derive(Debug, Clone, PartialEq)]
struct Series {
    name: String,
    points: Vec<(f64, f64)>,
    kind: SeriesKind,
}

/// A 2-D chart: lines, points and bars on linear or logarithmic axes.
///
/// ```
/// use course_lib::prelude::*;
///
/// let measured = vec![(10.0, 0.1), (100.0, 1.2), (1000.0, 11.0)];
/// let chart = Chart::new("Time against n")
///     .x_label("n")
///     .y_label("ms")
///     .points("measured", measured)
///     .line("linear", vec![(10.0, 0.1), (1000.0, 10.0)])
///     .log_log();
/// let svg = chart.to_svg().unwrap();
/// assert!(svg.contains("Time against n"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    title: String,
    x_label: String,
    y_label: String,
    series: Vec<Series>,
    markers: Vec<(f64, Rgb)>,
    /// Names of the bars of a bar chart; label `i` belongs to x = `i`.
    categories: Vec<String>,
    log_x: bool,
    log_y: bool,
    /// How the y tick labels are written.
    y_format: TickFormat,
    size: (u32, u32),
}

impl Chart {
    /// Creates an empty 640×400 chart with a title.
    ///
    /// ```
    /// let chart = course_lib::lab::Chart::new("Nothing yet");
    /// assert!(chart.to_svg().unwrap().contains("Nothing yet"));
    /// ```
    pub fn new(title: impl Into<String>) -> Self {
        Chart {
            title: title.into(),
            x_label: String::new(),
            y_label: String::new(),
            series: Vec::new(),
            markers: Vec::new(),
            categories: Vec::new(),
            log_x: false,
            log_y: false,
            y_format: TickFormat::Number,
            size: (640, 400),
        }
    }

    /// Creates a bar chart with one named bar per item.
    ///
    /// ```
    /// use course_lib::lab::Chart;
    ///
    /// let chart = Chart::bars("Votes", [("tabs", 12.0), ("spaces", 30.0)]);
    /// let svg = chart.to_svg().unwrap();
    /// assert!(svg.contains("tabs") && svg.contains("spaces"));
    /// ```
    pub fn bars<L: Into<String>>(
        title: impl Into<String>,
        bars: impl IntoIterator<Item = (L, f64)>,
    ) -> Self {
        let (categories, points): (_, Vec<_>) = bars
            .into_iter()
            .enumerate()
            .map(|(i, (label, height))| (label.into(), (i as f64, height)))
            .unzip();
        Chart {
            categories,
            ..Chart::new(title).series(String::new(), points, SeriesKind::Bars { width: 0.8 })
        }
    }

    /// Creates a histogram: counts of `values` in `bins` equal-width bins.
    ///
    /// Non-finite values are ignored; no values (or zero bins) give an empty chart.
    ///
    /// ```
    /// use course_lib::lab::Chart;
    ///
    /// let rolls = [1.0, 2.0, 2.0, 3.0, 3.0, 3.0, 6.0];
    /// let chart = Chart::histogram("Dice", rolls, 6).x_label("face");
    /// assert!(chart.to_svg().is_ok());
    /// ```
    pub fn histogram(
        title: impl Into<String>,
        values: impl IntoIterator<Item = f64>,
        bins: usize,
    ) -> Self {
        let chart = Chart::new(title).y_label("count");
        let values: Vec<f64> = values.into_iter().filter(|v| v.is_finite()).collect();
        let min = values.iter().copied().reduce(f64::min);
        let max = values.iter().copied().reduce(f64::max);
        let (Some(min), Some(max)) = (min, max) else {
            return chart;
        };
        if bins == 0 {
            return chart;
        }
        let (start, span) = if max > min {
            (min, max - min)
        } else {
            (min - 0.5, 1.0)
        };
        let width = span / bins as f64;
        let mut counts = vec![0u32; bins];
        for value in values {
            let bin = ((value - start) / width) as usize;
            counts[bin.min(bins - 1)] += 1;
        }
        let points: Vec<_> = counts
            .iter()
            .enumerate()
            .map(|(i, &count)| (start + width * (i as f64 + 0.5), f64::from(count)))
            .collect();
        // Slightly narrower bars leave a thin gap between neighbouring bins.
        let bars = SeriesKind::Bars {
            width: width * 0.95,
        };
        chart.series(String::new(), points, bars)
    }

    /// Sets the label of the horizontal axis.
    ///
    /// ```
    /// let chart = course_lib::lab::Chart::new("t").x_label("input size");
    /// assert!(chart.to_svg().unwrap().contains("input size"));
    /// ```
    pub fn x_label(mut self, label: impl Into<String>) -> Self {
        self.x_label = label.into();
        self
    }

    /// Sets the label of the vertical axis.
    ///
    /// ```
    /// let chart = course_lib::lab::Chart::new("t").y_label("seconds");
    /// assert!(chart.to_svg().unwrap().contains("seconds"));
    /// ```
    pub fn y_label(mut self, label: impl Into<String>) -> Self {
        self.y_label = label.into();
        self
    }

    /// Adds a series drawn as a line through its points, in the given order.
    ///
    /// ```
    /// use course_lib::lab::Chart;
    ///
    /// let chart = Chart::new("Line").line("y = 2x", (0..5).map(|x| (x as f64, 2.0 * x as f64)));
    /// assert!(chart.to_svg().unwrap().contains("y = 2x"));
    /// ```
    pub fn line(
        self,
        name: impl Into<String>,
        points: impl IntoIterator<Item = (f64, f64)>,
    ) -> Self {
        self.series(name, points, SeriesKind::Line)
    }

    /// Adds a series drawn as separate dots (a scatter plot).
    ///
    /// ```
    /// use course_lib::lab::Chart;
    ///
    /// let chart = Chart::new("Dots").points("samples", [(1.0, 2.0), (2.0, 1.5)]);
    /// assert!(chart.to_svg().unwrap().contains("<circle"));
    /// ```
    pub fn points(
        self,
        name: impl Into<String>,
        points: impl IntoIterator<Item = (f64, f64)>,
    ) -> Self {
        self.series(name, points, SeriesKind::Points)
    }

    /// Uses a logarithmic horizontal axis. Points with x ≤ 0 are left out.
    ///
    /// Only the ticks whose labels fit side by side are labelled (powers of
    /// ten, or 1-2-5 under about two decades), in short form: `10k`, `1M`.
    ///
    /// ```
    /// let chart = course_lib::lab::Chart::new("t").line("", [(1.0, 1.0), (1e6, 2.0)]).log_x();
    /// assert!(chart.to_svg().is_ok());
    /// ```
    pub fn log_x(mut self) -> Self {
        self.log_x = true;
        self
    }

    /// Uses a logarithmic vertical axis. Points with y ≤ 0 are left out.
    ///
    /// As on [`log_x`](Chart::log_x), only the ticks whose labels fit are labelled.
    ///
    /// ```
    /// let chart = course_lib::lab::Chart::new("t").line("", [(1.0, 1.0), (2.0, 1e6)]).log_y();
    /// assert!(chart.to_svg().is_ok());
    /// ```
    pub fn log_y(mut self) -> Self {
        self.log_y = true;
        self
    }

    /// Uses logarithmic scales on both axes, where power laws are straight lines.
    ///
    /// ```
    /// use course_lib::lab::Chart;
    ///
    /// let cubic = (1..=100).map(|n| (n as f64, (n as f64).powi(3)));
    /// assert!(Chart::new("n³").line("n³", cubic).log_log().to_svg().is_ok());
    /// ```
    pub fn log_log(self) -> Self {
        self.log_x().log_y()
    }

    /// Reads the y values as durations, each `unit` long, and labels the y
    /// ticks in the time unit that suits each: `100 ns`, `1 μs`, `10 ms`, `2 s`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use course_lib::lab::Chart;
    ///
    /// let millis = [(1.0, 0.002), (10.0, 0.02), (100.0, 0.2)];
    /// let chart = Chart::new("Search time")
    ///     .y_label("time per search")
    ///     .line("binary search", millis)
    ///     .log_log()
    ///     .y_time(Duration::from_millis(1));
    /// assert!(chart.to_svg().unwrap().contains("10 μs"));
    /// ```
    pub fn y_time(mut self, unit: Duration) -> Self {
        self.y_format = TickFormat::Time {
            seconds: unit.as_secs_f64(),
        };
        self
    }

    /// Adds a vertical line across the whole chart at `x`, in `color`.
    ///
    /// ```
    /// use course_lib::lab::{Chart, Rgb};
    ///
    /// let chart = Chart::new("Found it").line("", [(0.0, 0.0), (9.0, 3.0)]).marker(4.0, Rgb::GOLD);
    /// assert!(chart.to_svg().unwrap().contains("#E6B400"));
    /// ```
    pub fn marker(mut self, x: f64, color: Rgb) -> Self {
        self.markers.push((x, color));
        self
    }

    /// Sets the picture size in pixels (default 640×400).
    ///
    /// ```
    /// let svg = course_lib::lab::Chart::new("t").size(800, 300).to_svg().unwrap();
    /// assert!(svg.contains("width=\"800\""));
    /// ```
    pub fn size(mut self, width: u32, height: u32) -> Self {
        self.size = (width, height);
        self
    }

    /// Draws the chart as an SVG document.
    ///
    /// ```
    /// let svg = course_lib::lab::Chart::new("Empty is fine").to_svg().unwrap();
    /// assert!(svg.starts_with("<svg"));
    /// ```
    pub fn to_svg(&self) -> Result<String, ChartError> {
        let (width, height) = self.size;
        if width < 100 || height < 100 {
            return Err(ChartError {
                message: format!("size {width}×{height} is too small; use at least 100×100"),
            });
        }
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, self.size).into_drawing_area();
            root.fill(&WHITE)?;
            let mut area = root.margin(MARGIN, MARGIN, MARGIN, MARGIN);
            if !self.title.is_empty() {
                area = area.titled(&self.title, ("sans-serif", 22))?;
            }
            // The plot is what the title and the label areas leave; the
            // ticks of a log axis are chosen for its length.
            let (width, height) = area.dim_in_pixel();
            let (x, y) = self.bounds();
            let x_axis = AxisLayout {
                range: x.clone(),
                pixels: f64::from(width.saturating_sub(Y_LABEL_AREA)),
                direction: Direction::Horizontal,
                format: TickFormat::Number,
            };
            let y_axis = AxisLayout {
                range: y.clone(),
                pixels: f64::from(height.saturating_sub(X_LABEL_AREA)),
                direction: Direction::Vertical,
                format: self.y_format,
            };
            match (self.log_x, self.log_y) {
                (false, false) => self.draw_on(&area, linear(x), linear(y))?,
                (true, false) => self.draw_on(&area, LogAxis::new(&x_axis), linear(y))?,
                (false, true) => self.draw_on(&area, linear(x), LogAxis::new(&y_axis))?,
                (true, true) => {
                    self.draw_on(&area, LogAxis::new(&x_axis), LogAxis::new(&y_axis))?
                }
            }
            root.present()?;
        }
        Ok(svg)
    }

    /// A one-line description, used as the plain-text version of the chart.
    ///
    /// ```
    /// let chart = course_lib::lab::Chart::new("Speed").line("a", [(0.0, 1.0), (1.0, 2.0)]);
    /// assert_eq!(chart.summary(), "Chart: Speed (1 series, 2 points)");
    /// ```
    pub fn summary(&self) -> String {
        let points: usize = self.series.iter().map(|s| s.points.len()).sum();
        format!(
            "Chart: {} ({} series, {} points)",
            self.title,
            self.series.len(),
            points
        )
    }

    fn series(
        mut self,
        name: impl Into<String>,
        points: impl IntoIterator<Item = (f64, f64)>,
        kind: SeriesKind,
    ) -> Self {
        self.series.push(Series {
            name: name.into(),
            points: points.into_iter().collect(),
            kind,
        });
        self
    }

    /// Whether a point can be placed on the chart's axes.
    fn visible(&self, (x, y): (f64, f64)) -> bool {
        self.x_visible(x) && y.is_finite() && (!self.log_y || y > 0.0)
    }

    fn x_visible(&self, x: f64) -> bool {
        x.is_finite() && (!self.log_x || x > 0.0)
    }

    /// The x and y ranges that show every visible point, bar and marker.
    fn bounds(&self) -> (Range<f64>, Range<f64>) {
        let mut xs = Vec::new();
        let mut ys = Vec::new();
        for series in &self.series {
            for &(x, y) in series.points.iter().filter(|&&p| self.visible(p)) {
                ys.push(y);
                match series.kind {
                    SeriesKind::Bars { width } => {
                        xs.extend([x - width / 2.0, x + width / 2.0]);
                        if !self.log_y {
                            ys.push(0.0);
                        }
                    }
                    SeriesKind::Line | SeriesKind::Points => xs.push(x),
                }
            }
        }
        xs.extend(
            self.markers
                .iter()
                .map(|&(x, _)| x)
                .filter(|&x| self.x_visible(x)),
        );
        (axis_range(&xs, self.log_x), axis_range(&ys, self.log_y))
    }

    /// The text under an x tick: a bar's name in bar charts, else the number.
    fn x_tick_label(&self, x: f64) -> String {
        if self.categories.is_empty() {
            return TickFormat::Number.label(x, self.log_x);
        }
        let index = x.round();
        match self.categories.get(index as usize) {
            Some(name) if index >= 0.0 && (x - index).abs() < 1e-6 => name.clone(),
            _ => String::new(),
        }
    }

    /// Draws the axes, series, markers and legend on `area`, the chart
    /// without its margin and title.
    fn draw_on<X, Y>(
        &self,
        area: &DrawingArea<SVGBackend<'_>, Shift>,
        x: X,
        y: Y,
    ) -> Result<(), ChartError>
    where
        X: Ranged<ValueType = f64> + ValueFormatter<f64>,
        Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
    {
        let y_range = y.range();
        let bar_base = if self.log_y { y_range.start } else { 0.0 };

        let mut chart = ChartBuilder::on(area)
            .x_label_area_size(X_LABEL_AREA)
            .y_label_area_size(Y_LABEL_AREA)
            .build_cartesian_2d(x, y)?;

        let x_tick = |x: &f64| self.x_tick_label(*x);
        let y_tick = |y: &f64| self.y_format.label(*y, self.log_y);
        let mut mesh = chart.configure_mesh();
        mesh.label_style(("sans-serif", LABEL_FONT))
            .axis_desc_style(("sans-serif", 15))
            .x_desc(&self.x_label)
            .y_desc(&self.y_label)
            .x_label_formatter(&x_tick)
            .y_label_formatter(&y_tick);
        if !self.categories.is_empty() {
            mesh.disable_x_mesh().x_labels(self.categories.len());
        }
        mesh.draw()?;

        for (series, &color) in self.series.iter().zip(SERIES_COLORS.iter().cycle()) {
            let color = RGBColor::from(color);
            let points = series.points.iter().copied().filter(|&p| self.visible(p));
            let drawn = match series.kind {
                SeriesKind::Line => {
                    chart.draw_series(LineSeries::new(points, color.stroke_width(2)))?
                }
                SeriesKind::Points => {
                    chart.draw_series(points.map(|p| Circle::new(p, 3, color.filled())))?
                }
                SeriesKind::Bars { width } => chart.draw_series(points.map(|(x, top)| {
                    let half = width / 2.0;
                    Rectangle::new([(x - half, bar_base), (x + half, top)], color.filled())
                }))?,
            };
            if !series.name.is_empty() {
                let entry = drawn.label(&series.name);
                match series.kind {
                    SeriesKind::Line => entry.legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 15, y)], color.stroke_width(2))
                    }),
                    SeriesKind::Points => {
                        entry.legend(move |(x, y)| Circle::new((x + 7, y), 3, color.filled()))
                    }
                    SeriesKind::Bars { .. } => entry.legend(move |(x, y)| {
                        Rectangle::new([(x, y - 5), (x + 15, y + 5)], color.filled())
                    }),
                };
            }
        }

        chart.draw_series(
            self.markers
                .iter()
                .filter(|&&(x, _)| self.x_visible(x))
                .map(|&(x, color)| {
                    let line = vec![(x, y_range.start), (x, y_range.end)];
                    PathElement::new(line, RGBColor::from(color).stroke_width(2))
                }),
        )?;

        if self.series.iter().any(|s| !s.name.is_empty()) {
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperLeft)
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK.mix(0.4))
                .draw()?;
        }
        Ok(())
    }
}

impl Render for Chart {
    fn mime_bundle(&self) -> MimeBundle {
        MimeBundle::svg(self.summary(), self.to_svg())
    }
}

impl_evcxr_display!(Chart => "Chart::new(\"Empty\")");

fn linear(range: Range<f64>) -> RangedCoordf64 {
    range.into()
}

/// A range covering `values` with a little room around them.
///
/// Without values it is 0..1 (1..10 on a log axis). A bound at exactly zero
/// is kept, so bars and counts start at the axis.
fn axis_range(values: &[f64], log: bool) -> Range<f64> {
    let min = values.iter().copied().reduce(f64::min);
    let max = values.iter().copied().reduce(f64::max);
    let (Some(min), Some(max)) = (min, max) else {
        return if log { 1.0..10.0 } else { 0.0..1.0 };
    };
    if log {
        let (low, high) = (min.ln(), max.ln());
        let pad = if high > low { (high - low) * 0.05 } else { 1.0 };
        (low - pad).exp()..(high + pad).exp()
    } else {
        let pad = if max > min { (max - min) * 0.05 } else { 1.0 };
        let start = if min == 0.0 { 0.0 } else { min - pad };
        let end = if max == 0.0 { 0.0 } else { max + pad };
        start..end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_elements(svg: &str) -> Vec<&str> {
        svg.split("<text")
            .skip(1)
            .filter_map(|t| {
                t.split_once('>')
                    .and_then(|(_, rest)| rest.split_once("</text>"))
            })
            .map(|(text, _)| text.trim())
            .collect()
    }

    /// A `<text>` of an SVG: where it is anchored, how, its font size in
    /// pixels, and what it says.
    #[derive(Debug)]
    struct Label {
        x: f64,
        y: f64,
        anchor: String,
        size: f64,
        text: String,
    }

    impl Label {
        /// The estimated width: a sans-serif character is about 0.6 em wide.
        fn width(&self) -> f64 {
            self.text.chars().count() as f64 * 0.6 * self.size
        }
    }

    fn labels(svg: &str) -> Vec<Label> {
        let attribute = |tag: &str, name: &str| {
            let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
            let end = start + tag[start..].find('"')?;
            Some(tag[start..end].to_string())
        };
        svg.split("<text")
            .skip(1)
            .filter_map(|t| {
                let (tag, rest) = t.split_once('>')?;
                let (text, _) = rest.split_once("</text>")?;
                Some(Label {
                    x: attribute(tag, "x")?.parse().ok()?,
                    y: attribute(tag, "y")?.parse().ok()?,
                    anchor: attribute(tag, "text-anchor")?,
                    size: attribute(tag, "font-size")?.parse().ok()?,
                    text: text.trim().to_string(),
                })
            })
            .collect()
    }

    /// The largest group of labels with `anchor` that share the coordinate
    /// `line` gives (the y of an x axis, the x of a y axis), in order along
    /// the axis.
    fn tick_labels<'a>(
        labels: &'a [Label],
        anchor: &str,
        line: impl Fn(&Label) -> f64,
        along: impl Fn(&Label) -> f64,
    ) -> Vec<&'a Label> {
        let mut best: Vec<&Label> = Vec::new();
        for label in labels.iter().filter(|l| l.anchor == anchor) {
            let row: Vec<&Label> = labels
                .iter()
                .filter(|l| l.anchor == anchor && line(l) == line(label))
                .collect();
            if row.len() > best.len() {
                best = row;
            }
        }
        best.sort_by(|a, b| along(a).total_cmp(&along(b)));
        best
    }

    /// The tick labels of both axes of `chart`, checked not to overlap: side
    /// by side on the x axis (centred on their ticks), one above the other
    /// on the y axis.
    fn axis_labels(chart: &Chart) -> (Vec<String>, Vec<String>) {
        let svg = chart.to_svg().unwrap();
        let labels = labels(&svg);
        let x_row = tick_labels(&labels, "middle", |l| l.y, |l| l.x);
        for pair in x_row.windows(2) {
            let room = pair[1].x - pair[0].x;
            let needed = (pair[0].width() + pair[1].width()) / 2.0;
            assert!(room >= needed, "{pair:?} overlap in {:?}", chart.size);
        }
        let y_column = tick_labels(&labels, "end", |l| l.x, |l| l.y);
        for pair in y_column.windows(2) {
            let room = pair[1].y - pair[0].y;
            assert!(room >= pair[0].size, "{pair:?} overlap in {:?}", chart.size);
        }
        let texts = |row: Vec<&Label>| row.iter().map(|l| l.text.clone()).collect();
        (texts(x_row), texts(y_column))
    }

    #[test]
    fn log_axis_labels_fit_between_their_ticks() {
        // A %complexity-like sweep: n from 1,000 to 200,000, time ∝ n log n.
        let sizes = [1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 200_000];
        let times: Vec<(f64, f64)> = sizes
            .iter()
            .map(|&n| (f64::from(n), 3e-9 * f64::from(n) * f64::from(n).ln()))
            .collect();
        for (width, height) in [(640, 400), (520, 340), (300, 200), (1200, 800)] {
            let chart = Chart::new("Time per call against n")
                .x_label("n")
                .y_label("time per call")
                .points("measured", times.clone())
                .log_log()
                .size(width, height);
            let (x, y) = axis_labels(&chart);
            assert!(x.len() >= 2 && y.len() >= 2, "{x:?} {y:?}");
            assert!(
                x.iter().chain(&y).all(|l| l.chars().count() <= 8),
                "{x:?} {y:?}"
            );
            if width >= 520 {
                assert_eq!(x, ["1k", "10k", "100k"]);
            }
            let timed = axis_labels(&chart.y_time(Duration::from_secs(1))).1;
            assert!(
                timed
                    .iter()
                    .all(|l| l.ends_with(" μs") || l.ends_with(" ms")),
                "{timed:?}"
            );
        }
    }

    #[test]
    fn log_axes_under_two_decades_read_one_two_five() {
        let chart = Chart::new("Finding duplicates")
            .line("sort", [(1000.0, 20.0), (64_000.0, 900.0)])
            .size(520, 340)
            .log_log();
        let (x, y) = axis_labels(&chart);
        assert_eq!(x, ["1k", "2k", "5k", "10k", "20k", "50k"]);
        assert_eq!(y, ["1k", "500", "200", "100", "50", "20"]);
    }

    #[test]
    fn svg_contains_title_and_axis_labels() {
        let svg = Chart::new("Sorting time")
            .x_label("elements")
            .y_label("milliseconds")
            .line("merge", [(1.0, 2.0), (2.0, 4.5), (3.0, 5.0)])
            .to_svg()
            .unwrap();
        assert!(svg.starts_with("<svg"));
        let texts = text_elements(&svg);
        for expected in ["Sorting time", "elements", "milliseconds", "merge"] {
            assert!(texts.contains(&expected), "{expected} missing in {texts:?}");
        }
        assert!(texts.contains(&"2"), "tick labels missing in {texts:?}");
        assert!(svg.contains("<polyline"));
    }

    #[test]
    fn svg_escapes_text() {
        let svg = Chart::new("a < b & c").to_svg().unwrap();
        assert!(svg.contains("a &lt; b &amp; c"));
    }

    #[test]
    fn empty_chart_still_has_its_title() {
        let chart = Chart::new("Nothing to see");
        let svg = chart.to_svg().unwrap();
        assert!(text_elements(&svg).contains(&"Nothing to see"));
        assert_eq!(
            chart.summary(),
            "Chart: Nothing to see (0 series, 0 points)"
        );
    }

    #[test]
    fn empty_log_chart_and_unplottable_points_work() {
        let chart = Chart::new("Only bad points")
            .points("bad", [(0.0, 1.0), (-3.0, 2.0), (f64::NAN, 1.0)])
            .marker(-1.0, Rgb::RED)
            .log_log();
        assert!(chart.to_svg().is_ok());
    }

    #[test]
    fn log_log_axes_span_decades() {
        let chart = Chart::new("Power law")
            .line("n²", (1..=4).map(|k| (10f64.powi(k), 10f64.powi(2 * k))))
            .log_log();
        let (x, y) = chart.bounds();
        assert!(x.start < 10.0 && x.start > 1.0 && x.end > 1e4 && x.end < 1e5);
        assert!(y.start < 100.0 && y.end > 1e8);
        let svg = chart.to_svg().unwrap();
        let texts = text_elements(&svg);
        assert!(texts.contains(&"100M"), "no short labels in {texts:?}");
    }

    #[test]
    fn markers_are_drawn_in_their_colour() {
        let svg = Chart::new("m")
            .line("", [(0.0, 0.0), (10.0, 10.0)])
            .marker(5.0, Rgb(1, 2, 3))
            .to_svg()
            .unwrap();
        assert!(svg.contains("#010203"));
    }

    #[test]
    fn bar_chart_names_its_bars() {
        let chart = Chart::bars("Fruit", [("apple", 3.0), ("pear", 5.0), ("fig", 1.0)]);
        let svg = chart.to_svg().unwrap();
        let texts = text_elements(&svg);
        for name in ["apple", "pear", "fig"] {
            assert!(texts.contains(&name), "{name} missing in {texts:?}");
        }
        assert_eq!(chart.bounds().1.start, 0.0);
    }

    #[test]
    fn histogram_counts_values_per_bin() {
        let chart = Chart::histogram("h", [0.0, 0.1, 0.9, 1.0, f64::NAN], 2);
        assert_eq!(chart.series[0].points, vec![(0.25, 2.0), (0.75, 2.0)]);
        assert!(Chart::histogram("same", [2.0, 2.0], 4).to_svg().is_ok());
        assert!(Chart::histogram("none", [], 4).series.is_empty());
    }

    #[test]
    fn tiny_size_is_an_error_not_a_panic() {
        let error = Chart::new("t").size(10, 10).to_svg().unwrap_err();
        assert!(error.to_string().contains("too small"));
        let bundle = Chart::new("t").size(10, 10).mime_bundle();
        assert!(bundle.get("image/svg+xml").is_none());
        assert!(bundle.plain_text().contains("too small"));
    }

    #[test]
    fn bundle_has_svg_and_summary() {
        let bundle = Chart::new("b").points("p", [(1.0, 1.0)]).mime_bundle();
        assert!(bundle.get("image/svg+xml").unwrap().contains("<svg"));
        assert_eq!(
            bundle.get("text/plain"),
            Some("Chart: b (1 series, 1 points)")
        );
    }
}
