//! Sampled call stacks, cleaned up for a student to read.

/// The name notebook cells compile to (evcxr names its crate `ctx`).
const CELL_CRATE: &str = "ctx::";
/// evcxr's entry point for the cell numbered N.
const CELL_FUNCTION: &str = "run_user_code_";
/// How the cell's own code is named in profiles.
pub(crate) const CELL: &str = "<cell>";

/// Frames near the root of a thread's stack that only start the thread:
/// names that start with the first list or contain one of the second.
const PLUMBING_PREFIXES: &[&str] = &["_start", "__libc_start", "__clone", "clone", "start_thread"];
const PLUMBING_PARTS: &[&str] = &[
    "std::rt::",
    "std::sys::",
    "std::thread::",
    "std::panic",
    "__rust_begin_short_backtrace",
    "catch_unwind",
    "do_call",
    "call_once",
];

fn is_plumbing(name: &str) -> bool {
    name == "main"
        || PLUMBING_PREFIXES.iter().any(|p| name.starts_with(p))
        || PLUMBING_PARTS.iter().any(|p| name.contains(p))
}

/// One sampled call stack and how many samples had it.
///
/// ```
/// use course_lib::lab::profile::Stack;
///
/// let stack = Stack::new("cell", ["<cell>", "sum"], 4);
/// assert_eq!(stack.frames, ["<cell>", "sum"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stack {
    /// The thread it was sampled on (`"cell"` for the thread that runs cells).
    pub thread: String,
    /// Function names, outermost first.
    pub frames: Vec<String>,
    /// How many samples had exactly this stack.
    pub count: u64,
}

impl Stack {
    /// A stack of `frames`, outermost first.
    pub fn new(
        thread: impl Into<String>,
        frames: impl IntoIterator<Item = impl Into<String>>,
        count: u64,
    ) -> Stack {
        Stack {
            thread: thread.into(),
            frames: frames.into_iter().map(Into::into).collect(),
            count,
        }
    }

    /// A sampled stack (raw names, outermost first) with the names cleaned
    /// and the frames that only start threads or cells removed. The stack
    /// of the thread that runs cells starts at `<cell>`.
    pub fn sampled(thread: &str, raw: impl IntoIterator<Item = String>, count: u64) -> Stack {
        let mut frames: Vec<String> = raw.into_iter().map(|name| clean_name(&name)).collect();
        name_closures(&mut frames);
        let (thread, keep_from) = match frames.iter().position(|name| name == CELL) {
            Some(at) => ("cell".to_string(), at),
            None => (
                thread.to_string(),
                frames
                    .iter()
                    .position(|name| !is_plumbing(name))
                    .unwrap_or(frames.len()),
            ),
        };
        frames.drain(..keep_from);
        Stack {
            thread,
            frames,
            count,
        }
    }

    /// The line inferno reads: frames joined by `;`, then the count. Stacks
    /// of other threads than the cell's hang under `[other threads]`.
    pub(crate) fn folded(&self) -> String {
        let mut line = String::new();
        if self.thread != "cell" {
            line.push_str("[other threads];");
        }
        for (index, frame) in self.frames.iter().enumerate() {
            if index > 0 {
                line.push(';');
            }
            // `;` separates frames and a trailing number is the count.
            line.push_str(&frame.replace(';', ","));
        }
        if self.frames.is_empty() {
            line.push_str("[unknown]");
        }
        line.push(' ');
        line.push_str(&self.count.to_string());
        line
    }
}

/// Names each closure after the function around it: the debug information
/// of an inlined closure calls it `{closure#0}`, which says nothing in a
/// profile; `heavy::{closure#0}` does, as the symbol of a closure that was
/// not inlined would.
fn name_closures(frames: &mut [String]) {
    let mut owner: Option<String> = None;
    for name in frames.iter_mut() {
        if name.starts_with("{closure") {
            if let Some(owner) = &owner {
                *name = format!("{owner}::{name}");
            }
        } else {
            let bare = name.split('<').next().unwrap_or(name);
            owner = Some(if bare.is_empty() {
                name.clone()
            } else {
                bare.to_string()
            });
        }
    }
}

/// A demangled symbol as a student wants to read it: no hash suffix, the
/// notebook's crate name dropped, evcxr's entry point shown as `<cell>`.
///
/// ```
/// use course_lib::lab::profile::clean_name;
///
/// assert_eq!(clean_name("ctx::fib::h0123456789abcdef"), "fib");
/// assert_eq!(clean_name("run_user_code_7"), "<cell>");
/// assert_eq!(clean_name("ctx::run_user_code_7::{{closure}}"), "<cell>::{{closure}}");
/// assert_eq!(clean_name("course_lib::bfs::bfs_naive"), "course_lib::bfs::bfs_naive");
/// ```
pub fn clean_name(raw: &str) -> String {
    let mut name = raw.trim();
    if let Some((head, hash)) = name.rsplit_once("::h")
        && hash.len() == 16
        && hash.bytes().all(|b| b.is_ascii_hexdigit())
    {
        name = head;
    }
    if name.is_empty() || name == "Unknown" {
        return "[unknown]".to_string();
    }
    let name = name.strip_prefix(CELL_CRATE).unwrap_or(name);
    if let Some(rest) = name.strip_prefix(CELL_FUNCTION) {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 {
            return format!("{CELL}{}", &rest[digits..]);
        }
    }
    name.replace("<ctx::", "<")
        .replace(" ctx::", " ")
        .replace("(ctx::", "(")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inlined_closures_are_named_after_their_function() {
        let raw = [
            "run_user_code_3",
            "heavy",
            "{closure#0}",
            "fold<u64>",
            "{closure#1}",
        ];
        let stack = Stack::sampled("main", raw.map(String::from), 1);
        assert_eq!(
            stack.frames,
            [
                "<cell>",
                "heavy",
                "heavy::{closure#0}",
                "fold<u64>",
                "fold::{closure#1}"
            ]
        );
    }

    #[test]
    fn the_cell_thread_starts_at_the_cell() {
        let raw = [
            "_start",
            "main",
            "evcxr::runtime::load_and_run",
            "run_user_code_3",
            "ctx::slow",
        ]
        .map(String::from);
        let stack = Stack::sampled("main", raw, 2);
        assert_eq!(stack.thread, "cell");
        assert_eq!(stack.frames, ["<cell>", "slow"]);
        assert_eq!(stack.folded(), "<cell>;slow 2");
    }

    #[test]
    fn other_threads_lose_their_start_up_frames() {
        let raw = [
            "clone3",
            "start_thread",
            "std::sys::pal::unix::thread::Thread::new::thread_start",
            "rayon_core::registry::main_loop",
            "ctx::work",
        ]
        .map(String::from);
        let stack = Stack::sampled("rayon-1", raw, 1);
        assert_eq!(stack.frames, ["rayon_core::registry::main_loop", "work"]);
        assert_eq!(
            stack.folded(),
            "[other threads];rayon_core::registry::main_loop;work 1"
        );
    }

    #[test]
    fn names_keep_their_generic_parameters_but_lose_the_cell_crate() {
        assert_eq!(
            clean_name("<ctx::Point as core::ops::arith::Add>::add::h00000000000000ff"),
            "<Point as core::ops::arith::Add>::add"
        );
        assert_eq!(clean_name("Unknown"), "[unknown]");
        assert_eq!(clean_name("foo::hello"), "foo::hello");
    }

    #[test]
    fn semicolons_do_not_split_a_frame() {
        let stack = Stack::new("cell", ["<cell>", "f<[u8; 4]>"], 1);
        assert_eq!(stack.folded(), "<cell>;f<[u8, 4]> 1");
    }
}
