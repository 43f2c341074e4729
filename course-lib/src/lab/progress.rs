//! A live progress bar for long cells, updated in place in the notebook.
//!
//! In a notebook the bar is one output (a `display_data` with a display id)
//! that is replaced a few times per second (`update_display_data`) and left
//! in its final state. Outside a notebook only the final state is printed.
//!
//! ```
//! use course_lib::prelude::*;
//!
//! let total: u64 = progress(0..1_000u64).map(|n| n * n).sum();
//! assert_eq!(total, 332_833_500);
//! ```

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::display::{MimeBundle, Render, display_with_id, escape_html, in_kernel, update_display};
use super::timing::format_g;

/// How often the bar is redrawn at most.
pub const REDRAW_EVERY: Duration = Duration::from_millis(100);

/// A progress bar that any thread can advance.
///
/// ```
/// use course_lib::lab::ProgressBar;
///
/// let bar = ProgressBar::new(Some(300)).title("Cracking");
/// for _ in 0..3 {
///     bar.advance(100);
/// }
/// bar.finish();
/// assert_eq!(bar.position(), 300);
/// ```
#[derive(Debug)]
pub struct ProgressBar {
    id: String,
    title: String,
    total: Option<u64>,
    position: AtomicU64,
    started: Instant,
    last_draw: Mutex<Option<Instant>>,
    finished: AtomicBool,
}

impl ProgressBar {
    /// A bar for `total` steps (`None` when the total is unknown: a counter).
    pub fn new(total: Option<u64>) -> ProgressBar {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |t| t.as_nanos());
        ProgressBar {
            id: format!("rcourse-progress-{}-{nanos}", std::process::id()),
            title: String::new(),
            total,
            position: AtomicU64::new(0),
            started: Instant::now(),
            last_draw: Mutex::new(None),
            finished: AtomicBool::new(false),
        }
    }

    /// Sets the words shown before the bar.
    pub fn title(mut self, title: impl Into<String>) -> ProgressBar {
        self.title = title.into();
        self
    }

    /// Steps done so far.
    pub fn position(&self) -> u64 {
        self.position.load(Ordering::Relaxed)
    }

    /// Adds `steps` to the position, redrawing at most every [`REDRAW_EVERY`].
    pub fn advance(&self, steps: u64) {
        self.position.fetch_add(steps, Ordering::Relaxed);
        self.redraw(false);
    }

    /// Sets the position, redrawing at most every [`REDRAW_EVERY`].
    pub fn set(&self, position: u64) {
        self.position.store(position, Ordering::Relaxed);
        self.redraw(false);
    }

    /// Draws the final state (once; later calls do nothing).
    pub fn finish(&self) {
        if !self.finished.swap(true, Ordering::SeqCst) {
            if in_kernel() {
                self.redraw(true);
            } else {
                println!("{}", self.state().line());
            }
        }
    }

    /// What the bar shows now.
    pub fn state(&self) -> ProgressState {
        ProgressState {
            title: self.title.clone(),
            position: self.position(),
            total: self.total,
            elapsed: self.started.elapsed(),
        }
    }

    fn redraw(&self, force: bool) {
        if !in_kernel() {
            return;
        }
        let mut last = self.last_draw.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        match *last {
            None => display_with_id(self.state(), &self.id),
            Some(at) if force || now.duration_since(at) >= REDRAW_EVERY => {
                update_display(self.state(), &self.id)
            }
            Some(_) => return,
        }
        *last = Some(now);
    }
}

impl Drop for ProgressBar {
    fn drop(&mut self) {
        self.finish();
    }
}

/// One drawing of a progress bar.
///
/// ```
/// use std::time::Duration;
/// use course_lib::lab::ProgressState;
///
/// let state = ProgressState {
///     title: "Sum".to_string(),
///     position: 250,
///     total: Some(1000),
///     elapsed: Duration::from_secs(1),
/// };
/// assert_eq!(state.line(), "Sum  25% 250/1000 [00:01<00:03, 250 it/s]");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ProgressState {
    /// Words before the bar.
    pub title: String,
    /// Steps done.
    pub position: u64,
    /// Steps in all, when known.
    pub total: Option<u64>,
    /// Time since the bar started.
    pub elapsed: Duration,
}

impl ProgressState {
    /// Steps per second so far.
    pub fn rate(&self) -> f64 {
        let seconds = self.elapsed.as_secs_f64();
        if seconds > 0.0 {
            self.position as f64 / seconds
        } else {
            0.0
        }
    }

    /// The done fraction (0 to 1), when the total is known.
    pub fn fraction(&self) -> Option<f64> {
        self.total
            .map(|total| (self.position as f64 / total.max(1) as f64).min(1.0))
    }

    /// tqdm's line: `title  25% 250/1000 [00:01<00:03, 250 it/s]`.
    pub fn line(&self) -> String {
        let rate = self.rate();
        let title = if self.title.is_empty() {
            String::new()
        } else {
            format!("{} ", self.title)
        };
        match (self.total, self.fraction()) {
            (Some(total), Some(fraction)) => {
                let remaining = if rate > 0.0 {
                    clock(total.saturating_sub(self.position) as f64 / rate)
                } else {
                    "?".to_string()
                };
                format!(
                    "{title}{:>3.0}% {}/{total} [{}<{remaining}, {} it/s]",
                    fraction * 100.0,
                    self.position,
                    clock(self.elapsed.as_secs_f64()),
                    format_g(rate, 3)
                )
            }
            _ => format!(
                "{title}{} [{}, {} it/s]",
                self.position,
                clock(self.elapsed.as_secs_f64()),
                format_g(rate, 3)
            ),
        }
    }
}

/// `mm:ss`, or `h:mm:ss` from an hour.
fn clock(seconds: f64) -> String {
    let whole = seconds.round() as u64;
    let (hours, minutes, seconds) = (whole / 3600, whole / 60 % 60, whole % 60);
    if hours > 0 {
        format!("{hours}:{minutes:02}:{seconds:02}")
    } else {
        format!("{minutes:02}:{seconds:02}")
    }
}

impl Render for ProgressState {
    fn mime_bundle(&self) -> MimeBundle {
        let bar = match self.fraction() {
            Some(fraction) => format!(
                "<progress value=\"{:.4}\" max=\"1\" style=\"width:22em\"></progress>",
                fraction
            ),
            None => "<progress style=\"width:22em\"></progress>".to_string(),
        };
        MimeBundle::new().with("text/plain", self.line()).with(
            "text/html",
            format!(
                "<div style=\"font-family:monospace\">{bar} {}</div>",
                escape_html(&self.line())
            ),
        )
    }
}

/// An iterator that advances a [`ProgressBar`] as it is consumed.
#[derive(Debug)]
pub struct Progress<I> {
    inner: I,
    bar: ProgressBar,
}

impl<I: Iterator> Iterator for Progress<I> {
    type Item = I::Item;

    fn next(&mut self) -> Option<I::Item> {
        let item = self.inner.next();
        match item {
            Some(_) => self.bar.advance(1),
            None => self.bar.finish(),
        }
        item
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl<I> Progress<I> {
    /// Sets the words shown before the bar.
    ///
    /// ```
    /// use course_lib::prelude::*;
    ///
    /// let squares: Vec<u32> = progress(0..10u32).title("Squares").map(|n| n * n).collect();
    /// assert_eq!(squares[3], 9);
    /// ```
    pub fn title(mut self, title: impl Into<String>) -> Progress<I> {
        self.bar = self.bar.title(title);
        self
    }
}

/// Wraps an iterator so that a live progress bar follows it (the total is
/// the iterator's exact length when it knows it).
///
/// ```
/// use course_lib::prelude::*;
///
/// let mut found = 0;
/// for n in progress(1..=100u32) {
///     if n % 7 == 0 {
///         found += 1;
///     }
/// }
/// assert_eq!(found, 14);
/// ```
pub fn progress<I: IntoIterator>(items: I) -> Progress<I::IntoIter> {
    let inner = items.into_iter();
    let total = match inner.size_hint() {
        (low, Some(high)) if low == high => Some(low as u64),
        _ => None,
    };
    Progress {
        inner,
        bar: ProgressBar::new(total),
    }
}
