//! A profile: per-function self and total time estimated from samples,
//! shown as a table in cProfile's spirit and a flame graph.

use std::collections::{HashMap, HashSet};

use super::options::{ProfileOptions, SortKey};
use super::stacks::Stack;
use crate::lab::display::{MimeBundle, Render, escape_html, impl_evcxr_display};
use crate::lab::table::Table;
use crate::lab::timing::thousands;

/// Below this many samples the shares are too coarse to trust.
const FEW_SAMPLES: u64 = 50;

/// One function of a profile.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileRow {
    /// The function's name (`<cell>` for the cell's own code).
    pub function: String,
    /// Samples taken while the function ran its own code.
    pub self_samples: u64,
    /// Samples taken while the function was anywhere on the stack.
    pub total_samples: u64,
    /// Estimated seconds of CPU in its own code (cProfile's `tottime`).
    pub self_seconds: f64,
    /// Estimated seconds of CPU with its callees (cProfile's `cumtime`).
    pub total_seconds: f64,
}

/// What `%prun` measured: the sampled stacks and the table built from them.
///
/// ```
/// use course_lib::lab::profile::{Profile, ProfileOptions, SortKey, Stack};
///
/// let stacks = vec![
///     Stack::new("cell", ["<cell>", "outer", "inner"], 6),
///     Stack::new("cell", ["<cell>", "outer"], 2),
/// ];
/// let options = ProfileOptions::default().sort(SortKey::Total);
/// let profile = Profile::from_stacks(stacks, 0.08, 0.1, &options);
/// let names: Vec<&str> = profile.rows().iter().map(|r| r.function.as_str()).collect();
/// assert_eq!(names, ["<cell>", "outer", "inner"]);
/// assert_eq!(profile.samples(), 8);
/// assert!(profile.to_string().contains("Ordered by: cumulative time"));
/// ```
#[derive(Debug, Clone)]
pub struct Profile {
    stacks: Vec<Stack>,
    rows: Vec<ProfileRow>,
    samples: u64,
    cpu_seconds: f64,
    wall_seconds: f64,
    options: ProfileOptions,
}

impl Profile {
    /// Builds the table from sampled `stacks` that together took
    /// `cpu_seconds` of CPU time (every thread) over `wall_seconds`.
    pub fn from_stacks(
        stacks: Vec<Stack>,
        cpu_seconds: f64,
        wall_seconds: f64,
        options: &ProfileOptions,
    ) -> Profile {
        let samples: u64 = stacks.iter().map(|s| s.count).sum();
        let per_sample = if samples == 0 {
            0.0
        } else {
            cpu_seconds / samples as f64
        };
        let mut counts: HashMap<&str, (u64, u64)> = HashMap::new();
        for stack in &stacks {
            if let Some(innermost) = stack.frames.last() {
                counts.entry(innermost).or_default().0 += stack.count;
            }
            let distinct: HashSet<&str> = stack.frames.iter().map(String::as_str).collect();
            for function in distinct {
                counts.entry(function).or_default().1 += stack.count;
            }
        }
        let mut rows: Vec<ProfileRow> = counts
            .into_iter()
            .map(|(function, (self_samples, total_samples))| ProfileRow {
                function: function.to_string(),
                self_samples,
                total_samples,
                self_seconds: self_samples as f64 * per_sample,
                total_seconds: total_samples as f64 * per_sample,
            })
            .collect();
        rows.sort_by(|a, b| {
            let by_key = match options.sort {
                SortKey::SelfTime => b.self_samples.cmp(&a.self_samples),
                SortKey::Total => b.total_samples.cmp(&a.total_samples),
                SortKey::Name => a.function.cmp(&b.function),
            };
            by_key.then_with(|| a.function.cmp(&b.function))
        });
        Profile {
            stacks,
            rows,
            samples,
            cpu_seconds,
            wall_seconds,
            options: options.clone(),
        }
    }

    /// Every function seen, sorted as asked (the limit is not applied).
    pub fn rows(&self) -> &[ProfileRow] {
        &self.rows
    }

    /// The rows shown: sorted, and cut to the `-l` limit.
    pub fn shown_rows(&self) -> &[ProfileRow] {
        let limit = self.options.limit.unwrap_or(usize::MAX);
        &self.rows[..self.rows.len().min(limit)]
    }

    /// The sampled stacks.
    pub fn stacks(&self) -> &[Stack] {
        &self.stacks
    }

    /// How many samples were taken.
    pub fn samples(&self) -> u64 {
        self.samples
    }

    /// CPU seconds the process used while profiled (all threads).
    pub fn cpu_seconds(&self) -> f64 {
        self.cpu_seconds
    }

    /// Wall-clock seconds the statement took.
    pub fn wall_seconds(&self) -> f64 {
        self.wall_seconds
    }

    /// Samples per CPU second actually obtained (the kernel's timer tick
    /// caps it, often at 250 Hz, whatever rate was asked for).
    pub fn sample_rate(&self) -> f64 {
        if self.cpu_seconds > 0.0 {
            self.samples as f64 / self.cpu_seconds
        } else {
            0.0
        }
    }

    /// The stacks in the "folded" format of flame graph tools, one per line.
    pub fn folded(&self) -> String {
        let mut lines: Vec<String> = self.stacks.iter().map(Stack::folded).collect();
        lines.sort();
        lines.join("\n")
    }

    /// The flame graph as an SVG element (`None` without samples, or
    /// without a profiler to draw it).
    pub fn flame_graph(&self) -> Option<String> {
        super::flame::svg(self)
    }

    /// The header lines: what was measured and how far to trust it.
    fn header(&self) -> Vec<String> {
        let build = match &self.options.opt_level {
            Some(level) if level == "0" => ", debug build (opt-level 0)".to_string(),
            Some(level) => format!(", opt-level {level}"),
            None => String::new(),
        };
        let mut lines = vec![format!(
            "{} samples in {:.3} CPU seconds (wall {:.3} s){build}",
            thousands(self.samples),
            self.cpu_seconds,
            self.wall_seconds
        )];
        if self.samples == 0 {
            lines.push(
                "No samples: the statement used less CPU than one sampling interval \
                 (about 4 ms). Profile a longer run, for example in a loop."
                    .to_string(),
            );
            return lines;
        }
        lines.push(format!(
            "Sampled at {:.0} Hz of CPU time: tottime and cumtime are estimates; \
             call counts cannot be sampled.",
            self.sample_rate()
        ));
        if self.samples < FEW_SAMPLES {
            lines.push(format!(
                "Only {} samples: shares are rough. Profile a longer run for a reliable picture.",
                self.samples
            ));
        }
        lines
    }

    /// `Ordered by:` and, when cut, `List reduced from A to B`.
    fn ordering(&self) -> Vec<String> {
        let mut lines = vec![format!("Ordered by: {}", self.options.sort.description())];
        if self.shown_rows().len() < self.rows.len() {
            lines.push(format!(
                "List reduced from {} to {} due to restriction <{}>",
                self.rows.len(),
                self.shown_rows().len(),
                self.options.limit.unwrap_or_default()
            ));
        }
        lines
    }

    fn share(&self, samples: u64) -> f64 {
        if self.samples == 0 {
            0.0
        } else {
            100.0 * samples as f64 / self.samples as f64
        }
    }

    /// The rows as an HTML table.
    pub fn table(&self) -> Table {
        Table::new()
            .headers([
                "samples",
                "tottime (s)",
                "tottime %",
                "cumtime (s)",
                "cumtime %",
                "function",
            ])
            .rows(self.shown_rows().iter().map(|row| {
                [
                    thousands(row.self_samples),
                    format!("{:.3}", row.self_seconds),
                    format!("{:.1}", self.share(row.self_samples)),
                    format!("{:.3}", row.total_seconds),
                    format!("{:.1}", self.share(row.total_samples)),
                    row.function.clone(),
                ]
            }))
    }
}

impl std::fmt::Display for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for line in self.header() {
            writeln!(f, "         {line}")?;
        }
        if self.samples == 0 {
            return Ok(());
        }
        writeln!(f)?;
        for line in self.ordering() {
            writeln!(f, "   {line}")?;
        }
        writeln!(f)?;
        write!(
            f,
            "{:>9} {:>9} {:>7} {:>9} {:>7}  function",
            "samples", "tottime", "tot%", "cumtime", "cum%"
        )?;
        for row in self.shown_rows() {
            write!(
                f,
                "\n{:>9} {:>9.3} {:>7.1} {:>9.3} {:>7.1}  {}",
                thousands(row.self_samples),
                row.self_seconds,
                self.share(row.self_samples),
                row.total_seconds,
                self.share(row.total_samples),
                row.function
            )?;
        }
        Ok(())
    }
}

impl Render for Profile {
    fn mime_bundle(&self) -> MimeBundle {
        let mut html = String::from("<div>");
        for line in self.header() {
            html.push_str(&format!("<p>{}</p>", escape_html(&line)));
        }
        if self.samples > 0 {
            for line in self.ordering() {
                html.push_str(&format!("<p><i>{}</i></p>", escape_html(&line)));
            }
            html.push_str(&self.table().to_html());
        }
        if let Some(svg) = self.flame_graph() {
            html.push_str(&format!("<div style=\"margin-top:1em\">{svg}</div>"));
        }
        html.push_str("</div>");
        MimeBundle::new()
            .with("text/plain", self.to_string())
            .with("text/html", html)
    }
}

impl_evcxr_display!(Profile => "course_lib::lab::profile::Profile::from_stacks(vec![course_lib::lab::profile::Stack::new(\"cell\", [\"<cell>\"], 1)], 0.004, 0.004, &Default::default())");

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_profile(options: &ProfileOptions) -> Profile {
        let stacks = vec![
            Stack::new("cell", ["<cell>", "a", "b"], 30),
            Stack::new("cell", ["<cell>", "a"], 10),
            Stack::new("cell", ["<cell>", "c"], 50),
            Stack::new("cell", ["<cell>"], 10),
        ];
        Profile::from_stacks(stacks, 1.0, 1.2, options)
    }

    #[test]
    fn self_and_total_follow_the_stacks() {
        let profile = sample_profile(&ProfileOptions::default());
        let row = |name: &str| {
            profile
                .rows()
                .iter()
                .find(|r| r.function == name)
                .unwrap()
                .clone()
        };
        assert_eq!((row("a").self_samples, row("a").total_samples), (10, 40));
        assert_eq!(
            (row("<cell>").self_samples, row("<cell>").total_samples),
            (10, 100)
        );
        assert!((row("c").self_seconds - 0.5).abs() < 1e-12);
        assert!((profile.sample_rate() - 100.0).abs() < 1e-9);
    }

    #[test]
    fn sorted_and_limited_as_asked() {
        let names = |p: &Profile| -> Vec<String> {
            p.shown_rows().iter().map(|r| r.function.clone()).collect()
        };
        let by_self = sample_profile(&ProfileOptions::default().limit(2));
        assert_eq!(names(&by_self), ["c", "b"]);
        let text = by_self.to_string();
        assert!(text.contains("Ordered by: internal time"), "{text}");
        assert!(
            text.contains("List reduced from 4 to 2 due to restriction <2>"),
            "{text}"
        );
        let by_name = sample_profile(&ProfileOptions::default().sort(SortKey::Name));
        assert_eq!(names(&by_name), ["<cell>", "a", "b", "c"]);
    }

    #[test]
    fn recursion_counts_once_in_total() {
        let stacks = vec![Stack::new("cell", ["<cell>", "fib", "fib", "fib"], 5)];
        let profile = Profile::from_stacks(stacks, 0.05, 0.05, &ProfileOptions::default());
        let fib = &profile.rows()[0];
        assert_eq!(
            (fib.function.as_str(), fib.self_samples, fib.total_samples),
            ("fib", 5, 5)
        );
    }

    #[test]
    fn the_text_says_what_is_estimated() {
        let text = sample_profile(&ProfileOptions::default().opt_level("0")).to_string();
        assert!(text.contains("100 samples in 1.000 CPU seconds (wall 1.200 s), debug build"));
        assert!(text.contains("tottime and cumtime are estimates; call counts cannot be sampled"));
        let empty = Profile::from_stacks(vec![], 0.0, 0.001, &ProfileOptions::default());
        assert!(empty.to_string().contains("No samples"));
        assert!(
            empty
                .mime_bundle()
                .get("text/html")
                .unwrap()
                .contains("No samples")
        );
    }
}
