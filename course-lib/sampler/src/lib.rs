//! The sampling profiler behind `%prun`: pprof on the CPU-time timer, and
//! inferno's flame graphs.
//!
//! Two ways in. The course library links this crate directly when its
//! `profile` feature is on (its tests, the `course` command). In notebook
//! sessions the course library is built without it, to keep some fifty
//! crates out of every cell's build and out of rust-analyzer's memory: the
//! kernel's binary, which also runs the cells, links this crate and exports
//! [`host`]'s C functions, which the course library finds with `dlsym`
//! (the contract is [`rcourse_cell::sampled`]).

pub mod host;
mod symbols;

use pprof::{ProfilerGuard, ProfilerGuardBuilder};
use rcourse_cell::sampled::SampledStack;
use symbols::Symbolizer;

/// Shared libraries whose frames are not unwound: unwinding through them
/// from a signal handler can deadlock. (pprof's usual `"libc"` entry would
/// also match notebook cells, which live in `libcode_N.so`.)
const BLOCKLIST: &[&str] = &["libc.so", "libc-", "libgcc", "pthread", "vdso"];

/// pprof's signal handler: the frames inside it (and the signal
/// trampoline that called it) are the profiler's, not the program's.
const SIGNAL_HANDLER: &str = "perf_signal_handler";

/// A running profile of every thread of the process.
pub struct Sampling {
    guard: Result<ProfilerGuard<'static>, String>,
}

/// Starts sampling every thread, `frequency` times per CPU second (the
/// kernel's timer tick caps what is really obtained). A failure to start is
/// reported by [`Sampling::stop`].
pub fn start(frequency: i32) -> Sampling {
    let guard = ProfilerGuardBuilder::default()
        .frequency(frequency)
        .blocklist(BLOCKLIST)
        .build()
        .map_err(|error| error.to_string());
    Sampling { guard }
}

impl Sampling {
    /// Stops sampling; returns the sampled stacks, with raw (demangled)
    /// names, outermost first.
    ///
    /// The standard library's functions inlined into the student's code
    /// (`black_box`, iterator adapters, `catch_unwind`) are left out, so
    /// their time counts in the function they were inlined into, as
    /// cProfile counts a builtin's inner steps in the builtin; the standard
    /// library's functions that were not inlined keep their frame.
    pub fn stop(self) -> Result<Vec<SampledStack>, String> {
        let guard = self.guard?;
        let report = guard
            .report()
            .build_unresolved()
            .map_err(|error| error.to_string())?;
        drop(guard);
        let mut symbolizer = Symbolizer::new();
        Ok(report
            .data
            .iter()
            .map(|(frames, &count)| {
                // pprof lists frames innermost first, from inside its
                // signal handler; each frame's names are the functions
                // inlined into it, then the function.
                let mut named: Vec<Vec<symbols::Name>> = frames
                    .frames
                    .iter()
                    .map(|frame| symbolizer.names(frame.ip() as usize))
                    .collect();
                if let Some(handler) = named
                    .iter()
                    .position(|names| names.iter().any(|name| name.function == SIGNAL_HANDLER))
                {
                    // The handler, what it called, and the signal trampoline.
                    named.drain(..(handler + 2).min(named.len()));
                }
                let names = named.into_iter().rev().flat_map(|names| {
                    let last = names.len().saturating_sub(1);
                    names
                        .into_iter()
                        .enumerate()
                        .rev()
                        .filter(move |(at, name)| *at == last || !name.standard_library)
                        .map(|(_, name)| name.function)
                });
                let thread = &frames.thread_name[..frames.thread_name_length];
                let thread = if thread.is_empty() {
                    frames.thread_id.to_string()
                } else {
                    String::from_utf8_lossy(thread).into_owned()
                };
                SampledStack {
                    thread,
                    frames: names.collect(),
                    count: count.max(0) as u64,
                }
            })
            .collect())
    }
}

/// The flame graph of `folded` stacks (one `frame;frame;frame count` line
/// each) as an SVG document, titled "Flame graph" with `subtitle`; `None`
/// when inferno cannot draw it.
pub fn flame_graph(folded: &str, subtitle: &str) -> Option<String> {
    use inferno::flamegraph::{self, Options};
    let mut options = Options::default();
    options.title = "Flame graph".to_string();
    options.subtitle = Some(subtitle.to_owned());
    options.count_name = "samples".to_string();
    options.image_width = Some(960);
    // Colours from the function names, so that runs can be compared.
    options.hash = true;
    let mut out = Vec::new();
    flamegraph::from_lines(&mut options, folded.lines(), &mut out).ok()?;
    String::from_utf8(out).ok()
}

// Sampling itself is tested through the C functions (`host`) and by the
// course library's profiler tests, which link this crate.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flame_graphs_are_svg_documents() {
        let svg = flame_graph("main;outer;inner 30\nmain;other 10", "40 samples").unwrap();
        assert!(svg.contains("<svg") && svg.contains("inner") && svg.contains("40 samples"));
    }
}
