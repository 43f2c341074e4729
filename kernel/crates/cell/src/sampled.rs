//! The sampling profiler behind `%prun`, as the cell process hosts it.
//!
//! The profiler (pprof and inferno, some fifty crates) is not a dependency
//! of the course library in notebook sessions: every crate in a cell's
//! dependency graph costs rust-analyzer memory and cargo time on every
//! cell. The kernel's binary, which is also the process that runs cells,
//! links it (`rcourse-sampler`) and exports the C functions named here; the
//! course library looks them up in its own process with `dlsym`.
//!
//! A profile crosses that boundary as text ([`encode`], [`decode`]): a
//! first line `ok`, or `error` then a tab and the reason; then one line per
//! sampled stack: the count, the thread's name and the frames (outermost
//! first), separated by tabs.

/// `extern "C" fn(frequency: c_int) -> *mut c_void`: starts sampling every
/// thread of the process; the handle goes to [`STOP`] (never null).
pub const START: &str = "rcourse_sampler_start";
/// `extern "C" fn(handle: *mut c_void) -> Bytes`: stops sampling and gives
/// the profile as [`encode`]d text.
pub const STOP: &str = "rcourse_sampler_stop";
/// `extern "C" fn(folded: *const u8, len: usize, subtitle: *const u8, len:
/// usize) -> Bytes`: draws the flame graph of "folded" stacks as an SVG
/// document (empty when it cannot).
pub const FLAME_GRAPH: &str = "rcourse_sampler_flame_graph";
/// `extern "C" fn(Bytes)`: frees what the other functions returned.
pub const FREE: &str = "rcourse_sampler_free";

/// Bytes handed from the host to a cell; free them with [`FREE`].
#[repr(C)]
#[derive(Debug)]
pub struct Bytes {
    /// The first byte.
    pub ptr: *mut u8,
    /// How many bytes.
    pub len: usize,
    /// The allocation's capacity, needed to free it.
    pub cap: usize,
}

/// One sampled call stack: the thread it ran on, its frames' names
/// (outermost first) and how many samples had it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampledStack {
    /// The thread's name (or id).
    pub thread: String,
    /// Function names, outermost first.
    pub frames: Vec<String>,
    /// How many samples had exactly this stack.
    pub count: u64,
}

/// A name with the separators of the encoding (tabs, line ends) made spaces.
fn field(name: &str) -> String {
    name.replace(['\t', '\n', '\r'], " ")
}

/// The text [`STOP`] returns for `profile`.
pub fn encode(profile: &Result<Vec<SampledStack>, String>) -> String {
    match profile {
        Err(reason) => format!("error\t{}\n", field(reason)),
        Ok(stacks) => {
            let mut text = String::from("ok\n");
            for stack in stacks {
                text.push_str(&stack.count.to_string());
                text.push('\t');
                text.push_str(&field(&stack.thread));
                for frame in &stack.frames {
                    text.push('\t');
                    text.push_str(&field(frame));
                }
                text.push('\n');
            }
            text
        }
    }
}

/// The profile [`encode`] wrote; an error names what was malformed.
pub fn decode(text: &str) -> Result<Vec<SampledStack>, String> {
    let mut lines = text.lines();
    match lines.next() {
        Some("ok") => {}
        Some(first) => {
            return Err(first
                .strip_prefix("error\t")
                .unwrap_or("the profiler's answer is malformed")
                .to_owned());
        }
        None => return Err("the profiler gave no answer".to_owned()),
    }
    lines
        .map(|line| {
            let mut fields = line.split('\t');
            let count = fields.next().and_then(|count| count.parse().ok());
            let thread = fields.next();
            match (count, thread) {
                (Some(count), Some(thread)) => Ok(SampledStack {
                    thread: thread.to_owned(),
                    frames: fields.map(str::to_owned).collect(),
                    count,
                }),
                _ => Err(format!(
                    "the profiler's answer has a malformed line: {line:?}"
                )),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_cross_as_text() {
        let stacks = vec![
            SampledStack {
                thread: "my\tthread".into(),
                frames: vec!["main".into(), "ctx::run_user_code_3".into(), "slow".into()],
                count: 12,
            },
            SampledStack {
                thread: "rayon-1".into(),
                frames: vec![],
                count: 1,
            },
        ];
        let back = decode(&encode(&Ok(stacks.clone()))).unwrap();
        assert_eq!(back[0].thread, "my thread");
        assert_eq!(back[0].frames, stacks[0].frames);
        assert_eq!(back[1], stacks[1]);
        assert_eq!(decode(&encode(&Ok(vec![]))), Ok(vec![]));
    }

    #[test]
    fn errors_cross_and_malformed_answers_are_errors() {
        let error = Err("no timer\nhere".to_owned());
        assert_eq!(decode(&encode(&error)), Err("no timer here".to_owned()));
        assert!(decode("").is_err());
        assert!(decode("garbage").is_err());
        assert!(
            decode("ok\nnot-a-number\tcell")
                .unwrap_err()
                .contains("malformed")
        );
    }
}
