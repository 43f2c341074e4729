//! What `%complexity` shows: the verdict, a table and a log-log chart.

use std::time::Duration;

use super::fit::{Fit, fit};
use crate::lab::display::{MimeBundle, Render, impl_evcxr_display};
use crate::lab::timing::format_time;
use crate::lab::{Chart, Table};

/// The measured time per call at each size, and the class that fits it.
///
/// ```
/// use course_lib::lab::complexity::{ComplexityReport, Class};
///
/// let points = (1..=6).map(|k| (k * 1000, 2e-9 * (k * 1000) as f64)).collect();
/// let report = ComplexityReport::new(points, "2");
/// assert_eq!(report.fit.as_ref().unwrap().class, Class::Linear);
/// assert!(report.verdict().starts_with("O(n): time ≈ 2 ns × n"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ComplexityReport {
    /// `(n, seconds per call)`, by increasing n.
    pub points: Vec<(usize, f64)>,
    /// The best fit (none with fewer than two usable points).
    pub fit: Option<Fit>,
    /// The optimisation level the code was compiled with.
    pub opt_level: String,
}

impl ComplexityReport {
    /// Fits `points` (`(n, seconds per call)`).
    pub fn new(points: Vec<(usize, f64)>, opt_level: &str) -> ComplexityReport {
        ComplexityReport {
            fit: fit(&points),
            points,
            opt_level: opt_level.to_string(),
        }
    }

    /// One line: the class, the fitted constant and the log-log slope.
    pub fn verdict(&self) -> String {
        match &self.fit {
            Some(fit) => format!(
                "{}: time ≈ {} × {} (log-log slope {:.2}, opt-level {})",
                fit.class,
                format_time(fit.constant, 3),
                fit.class.formula(),
                fit.slope,
                self.opt_level
            ),
            None => "Not enough measurements to fit a curve.".to_string(),
        }
    }

    /// The measurements and the fitted time at each size.
    pub fn table(&self) -> Table {
        let fitted = |n: usize| {
            self.fit.as_ref().map_or(String::new(), |fit| {
                format_time(fit.constant * fit.class.growth(n as f64), 3)
            })
        };
        Table::new().headers(["n", "time per call", "fitted"]).rows(
            self.points
                .iter()
                .map(|&(n, t)| (n, format_time(t, 3), fitted(n))),
        )
    }

    /// Time against n on log-log axes, with the fitted curve.
    pub fn chart(&self) -> Chart {
        let measured: Vec<(f64, f64)> = self.points.iter().map(|&(n, t)| (n as f64, t)).collect();
        let mut chart = Chart::new("Time per call against n")
            .x_label("n")
            .y_label("time per call")
            .y_time(Duration::from_secs(1))
            .points("measured", measured.clone())
            .size(520, 340);
        if let Some(fit) = &self.fit {
            let curve: Vec<(f64, f64)> = measured
                .iter()
                .map(|&(n, _)| (n, fit.constant * fit.class.growth(n)))
                .collect();
            chart = chart.line(format!("fit {}", fit.class), curve);
        }
        chart.log_log()
    }
}

impl Render for ComplexityReport {
    fn mime_bundle(&self) -> MimeBundle {
        let svg = self.chart().to_svg().unwrap_or_default();
        MimeBundle::new()
            .with(
                "text/plain",
                format!("{}\n{}", self.verdict(), self.table().to_text()),
            )
            .with(
                "text/html",
                format!(
                    "<p><b>{}</b></p><div style=\"display:flex;gap:1.5em;flex-wrap:wrap\">\
                     <div>{}</div><div>{svg}</div></div>",
                    self.verdict(),
                    self.table().to_html()
                ),
            )
    }
}

impl_evcxr_display!(ComplexityReport => "course_lib::lab::complexity::ComplexityReport::new(vec![(10, 1e-6), (20, 2e-6)], \"2\")");
