//! Several simulations side by side: their totals in a table and their
//! timelines on one time scale.

use super::{Config, Mode, Simulation, TimelineChart, simulate};
use crate::lab::Table;
use crate::lab::display::{MimeBundle, Render, impl_evcxr_display};

/// Simulations shown together: a table of totals, then every timeline drawn
/// on the same time scale. Ending a notebook cell with one shows it all.
///
/// ```
/// use course_lib::chess::{compare, Config};
///
/// let both = compare(&Config::default());
/// let totals: Vec<u64> = both.simulations().iter().map(|s| s.total().as_secs()).collect();
/// assert_eq!(totals, [36, 14]);
/// assert_eq!(both.table().len(), 2);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    simulations: Vec<Simulation>,
}

/// Plays `config` both ways on virtual time and puts the results side by side.
///
/// ```
/// use course_lib::chess::{compare, Config};
///
/// let comparison = compare(&Config::builder().opponents(5).build()?);
/// assert_eq!(comparison.charts().len(), 2);
/// # Ok::<(), course_lib::chess::ConfigError>(())
/// ```
pub fn compare(config: &Config) -> Comparison {
    Comparison::new(Mode::ALL.map(|mode| simulate(mode, config)))
}

impl Comparison {
    /// Puts any simulations side by side, in the given order.
    ///
    /// ```
    /// use course_lib::chess::{simulate_async, Comparison, Config};
    ///
    /// let small = Config::builder().opponents(2).build()?;
    /// let large = Config::builder().opponents(8).build()?;
    /// let comparison = Comparison::new([simulate_async(&small), simulate_async(&large)]);
    /// assert_eq!(comparison.simulations().len(), 2);
    /// # Ok::<(), course_lib::chess::ConfigError>(())
    /// ```
    pub fn new(simulations: impl IntoIterator<Item = Simulation>) -> Self {
        Comparison {
            simulations: simulations.into_iter().collect(),
        }
    }

    /// The simulations, in order.
    ///
    /// ```
    /// use course_lib::chess::{compare, Mode};
    ///
    /// let comparison = compare(&Default::default());
    /// assert_eq!(comparison.simulations()[1].mode(), Mode::Async);
    /// ```
    pub fn simulations(&self) -> &[Simulation] {
        &self.simulations
    }

    /// One row per simulation: its exhibition, total, the shortest total the
    /// laws allow, whether the laws hold, the wall-clock time and the
    /// speed-up over the first simulation.
    ///
    /// ```
    /// let table = course_lib::chess::compare(&Default::default()).table();
    /// let text = table.to_text();
    /// assert!(text.contains("2.57")); // 36 s / 14 s
    /// ```
    pub fn table(&self) -> Table {
        let first = self.simulations.first().map(|s| s.total().as_secs_f64());
        Table::new()
            .headers([
                "mode",
                "opponents × rounds",
                "total (s)",
                "shortest possible (s)",
                "laws",
                "wall clock (ms)",
                "speed-up",
            ])
            .rows(self.simulations.iter().map(|s| {
                let config = s.config();
                let laws = match s.check_laws() {
                    Ok(()) => "respected".to_string(),
                    Err(violation) => format!("broken: {violation}"),
                };
                let speedup = first.unwrap_or(0.0) / s.total().as_secs_f64().max(1e-9);
                (
                    s.mode(),
                    format!("{} × {}", config.opponents(), config.rounds()),
                    s.total().as_secs_f64(),
                    config.shortest_total().as_secs_f64(),
                    laws,
                    format!("{:.3}", s.wall_clock().as_secs_f64() * 1000.0),
                    format!("{speedup:.2}"),
                )
            }))
    }

    /// The timelines as charts that share one time scale.
    ///
    /// ```
    /// let charts = course_lib::chess::compare(&Default::default()).charts();
    /// assert!(charts.iter().all(|chart| chart.to_svg().is_ok()));
    /// ```
    pub fn charts(&self) -> Vec<TimelineChart> {
        let span = self
            .simulations
            .iter()
            .map(Simulation::total)
            .max()
            .unwrap_or_default();
        self.simulations
            .iter()
            .map(|s| s.plot().span(span))
            .collect()
    }
}

impl Render for Comparison {
    fn mime_bundle(&self) -> MimeBundle {
        let table = self.table().mime_bundle();
        let mut html = String::from("<div>");
        html.push_str(table.get("text/html").unwrap_or_default());
        let mut text = table.plain_text();
        for chart in self.charts() {
            let bundle = chart.mime_bundle();
            match bundle.get("image/svg+xml") {
                Some(svg) => html.push_str(&format!("<div>{svg}</div>")),
                None => html.push_str(&format!(
                    "<pre>{}</pre>",
                    bundle
                        .plain_text()
                        .replace('&', "&amp;")
                        .replace('<', "&lt;")
                )),
            }
            text.push('\n');
            text.push_str(&bundle.plain_text());
        }
        html.push_str("</div>");
        MimeBundle::new()
            .with("text/html", html)
            .with("text/plain", text)
    }
}

impl_evcxr_display!(Comparison => "course_lib::chess::compare(&Default::default())");
