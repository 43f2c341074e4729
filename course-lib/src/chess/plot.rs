//! Timelines drawn as Gantt charts (one row per person, one bar per move).

use std::time::Duration;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{Move, Player, Simulation, Timeline};
use crate::lab::display::{MimeBundle, Render, impl_evcxr_display};
use crate::lab::{ChartError, Rgb};

/// The colour of each board's bars, in board order (then again from the start).
const BOARD_COLORS: [Rgb; 8] = [
    Rgb::BLUE,
    Rgb::ORANGE,
    Rgb::GREEN,
    Rgb::RED,
    Rgb::PURPLE,
    Rgb::GOLD,
    Rgb(23, 190, 207),
    Rgb(140, 86, 75),
];

/// The colour of a board's bars (boards are numbered from 1).
fn board_color(board: usize) -> RGBColor {
    BOARD_COLORS[board.saturating_sub(1) % BOARD_COLORS.len()].into()
}

/// A Gantt chart of a timeline: the master on the top row, opponent `k` on
/// row `k`, one bar per move, coloured by board. The master's bars are
/// labelled with their board when there is room.
///
/// Ending a notebook cell with a chart shows it as SVG.
///
/// ```
/// use course_lib::chess::{simulate_async, Config};
///
/// let chart = simulate_async(&Config::default()).plot();
/// let svg = chart.to_svg()?;
/// assert!(svg.contains("master") && svg.contains("opponent 3"));
/// # Ok::<(), course_lib::lab::ChartError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineChart {
    title: String,
    moves: Vec<Move>,
    boards: usize,
    span: Duration,
    end: Duration,
    size: Option<(u32, u32)>,
}

impl TimelineChart {
    /// A chart of `timeline` titled `title`, with one row per board that
    /// appears in it.
    ///
    /// ```
    /// use course_lib::chess::{simulate_sync, TimelineChart};
    ///
    /// let timeline = simulate_sync(&Default::default()).into_timeline();
    /// let chart = TimelineChart::new("One move at a time", &timeline);
    /// assert_eq!(chart.summary(), "One move at a time: 12 moves on 3 boards over 36s");
    /// ```
    pub fn new(title: impl Into<String>, timeline: &Timeline) -> Self {
        TimelineChart {
            title: title.into(),
            moves: timeline.moves().to_vec(),
            boards: timeline.boards(),
            span: timeline.end(),
            end: timeline.end(),
            size: None,
        }
    }

    /// Sets the title.
    ///
    /// ```
    /// let chart = course_lib::chess::simulate_sync(&Default::default()).plot().title("Round robin");
    /// assert!(chart.to_svg()?.contains("Round robin"));
    /// # Ok::<(), course_lib::lab::ChartError>(())
    /// ```
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }

    /// Draws at least `boards` opponent rows (rows without moves stay empty).
    ///
    /// ```
    /// let chart = course_lib::chess::simulate_sync(&Default::default()).plot().boards(5);
    /// assert!(chart.to_svg()?.contains("opponent 5"));
    /// # Ok::<(), course_lib::lab::ChartError>(())
    /// ```
    pub fn boards(mut self, boards: usize) -> Self {
        self.boards = self.boards.max(boards);
        self
    }

    /// Makes the time axis reach at least `span`, so that charts of
    /// different runs share one scale.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let chart = course_lib::chess::simulate_async(&Default::default()).plot();
    /// let wide = chart.span(Duration::from_secs(36));
    /// assert!(wide.to_svg().is_ok());
    /// ```
    pub fn span(mut self, span: Duration) -> Self {
        self.span = self.span.max(span);
        self
    }

    /// Sets the picture size in pixels (at least 300×150; by default 900
    /// wide and tall enough for every row).
    ///
    /// ```
    /// let chart = course_lib::chess::simulate_async(&Default::default()).plot().size(600, 250);
    /// assert!(chart.to_svg()?.contains("width=\"600\""));
    /// # Ok::<(), course_lib::lab::ChartError>(())
    /// ```
    pub fn size(mut self, width: u32, height: u32) -> Self {
        self.size = Some((width.max(300), height.max(150)));
        self
    }

    /// A one-line description, used as the plain-text version of the chart.
    ///
    /// ```
    /// let chart = course_lib::chess::simulate_async(&Default::default()).plot();
    /// assert_eq!(chart.summary(), "async: total 14s: 12 moves on 3 boards over 14s");
    /// ```
    pub fn summary(&self) -> String {
        format!(
            "{}: {} moves on {} boards over {:?}",
            self.title,
            self.moves.len(),
            self.boards,
            self.end
        )
    }

    /// The number of rows: the master and one per opponent.
    fn rows(&self) -> usize {
        self.boards + 1
    }

    fn pixel_size(&self) -> (u32, u32) {
        self.size.unwrap_or_else(|| {
            let rows = self.rows() as u32;
            let row_height = (480 / rows).clamp(8, 40);
            (900, 110 + rows * row_height)
        })
    }

    /// The vertical position of a row's centre: the master on top.
    fn row_y(&self, row: usize) -> f64 {
        (self.rows() - 1 - row) as f64
    }

    /// The name of the row drawn at height `y`, or nothing between rows.
    fn row_label(&self, y: f64) -> String {
        let rounded = y.round();
        if (y - rounded).abs() > 1e-6 || rounded < 0.0 || rounded >= self.rows() as f64 {
            return String::new();
        }
        match self.rows() - 1 - rounded as usize {
            0 => "master".to_string(),
            board => format!("opponent {board}"),
        }
    }

    /// Draws the chart as an SVG document.
    ///
    /// ```
    /// let svg = course_lib::chess::simulate_sync(&Default::default()).plot().to_svg()?;
    /// assert!(svg.starts_with("<svg") && svg.contains("<rect"));
    /// # Ok::<(), course_lib::lab::ChartError>(())
    /// ```
    pub fn to_svg(&self) -> Result<String, ChartError> {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, self.pixel_size()).into_drawing_area();
            root.fill(&WHITE)?;
            self.draw_on(&root)?;
            root.present()?;
        }
        Ok(svg)
    }

    fn draw_on(
        &self,
        area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    ) -> Result<(), ChartError> {
        let span = self.span.as_secs_f64().max(1e-3);
        let rows = self.rows();
        let mut builder = ChartBuilder::on(area);
        builder
            .margin(15)
            .x_label_area_size(40)
            .y_label_area_size(95);
        if !self.title.is_empty() {
            builder.caption(&self.title, ("sans-serif", 20));
        }
        let mut chart = builder.build_cartesian_2d(0.0..span * 1.02, -0.5..rows as f64 - 0.5)?;
        let label = |y: &f64| self.row_label(*y);
        let seconds = |x: &f64| format!("{}", (x * 1000.0).round() / 1000.0);
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(rows.min(30))
            .y_label_formatter(&label)
            .x_label_formatter(&seconds)
            .x_desc("seconds")
            .axis_desc_style(("sans-serif", 15))
            .draw()?;

        let bar = |m: &Move| {
            let row = match m.who {
                Player::Master => 0,
                Player::Opponent => m.board,
            };
            let y = self.row_y(row);
            [
                (m.start.as_secs_f64(), y - 0.35),
                (m.end.as_secs_f64(), y + 0.35),
            ]
        };
        chart.draw_series(
            self.moves
                .iter()
                .map(|m| Rectangle::new(bar(m), board_color(m.board).filled())),
        )?;
        chart.draw_series(
            self.moves
                .iter()
                .map(|m| Rectangle::new(bar(m), WHITE.stroke_width(1))),
        )?;
        let label_style = ("sans-serif", 12)
            .into_font()
            .color(&WHITE)
            .pos(Pos::new(HPos::Center, VPos::Center));
        chart.draw_series(
            self.moves
                .iter()
                .filter(|m| m.who == Player::Master && m.duration().as_secs_f64() >= span * 0.02)
                .map(|m| {
                    let middle = (m.start + m.end).as_secs_f64() / 2.0;
                    Text::new(
                        m.board.to_string(),
                        (middle, self.row_y(0)),
                        label_style.clone(),
                    )
                }),
        )?;
        let end = self.end.as_secs_f64();
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(end, -0.5), (end, rows as f64 - 0.5)],
            BLACK.stroke_width(2),
        )))?;
        Ok(())
    }
}

impl Render for TimelineChart {
    fn mime_bundle(&self) -> MimeBundle {
        MimeBundle::svg(self.summary(), self.to_svg())
    }
}

impl Timeline {
    /// Draws the timeline as a Gantt chart.
    ///
    /// ```
    /// let timeline = course_lib::chess::simulate_async(&Default::default()).into_timeline();
    /// assert!(timeline.plot().to_svg().is_ok());
    /// ```
    pub fn plot(&self) -> TimelineChart {
        TimelineChart::new("Who thinks when", self)
    }
}

impl Simulation {
    /// Draws the simulation's timeline, titled with its mode and total.
    ///
    /// ```
    /// let chart = course_lib::chess::simulate_sync(&Default::default()).plot();
    /// assert!(chart.to_svg()?.contains("sync: total 36s"));
    /// # Ok::<(), course_lib::lab::ChartError>(())
    /// ```
    pub fn plot(&self) -> TimelineChart {
        TimelineChart::new(
            format!("{}: total {:?}", self.mode(), self.total()),
            self.timeline(),
        )
        .boards(self.config().opponents())
    }
}

impl Render for Timeline {
    fn mime_bundle(&self) -> MimeBundle {
        self.table().mime_bundle()
    }
}

impl Render for Simulation {
    fn mime_bundle(&self) -> MimeBundle {
        self.plot().mime_bundle()
    }
}

impl_evcxr_display!(
    TimelineChart => "course_lib::chess::simulate_async(&Default::default()).plot()",
    Timeline => "course_lib::chess::simulate_async(&Default::default()).into_timeline()",
    Simulation => "course_lib::chess::simulate_async(&Default::default())",
);
