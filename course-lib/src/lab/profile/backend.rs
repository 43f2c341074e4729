//! Where the profiler runs: the process's host, or the linked crate.
//!
//! In a notebook session the process that runs cells (the kernel's binary)
//! hosts the profiler and exports its C functions
//! ([`rcourse_cell::sampled`]); this module finds them with `dlsym`. With
//! the `profile` feature, the profiler is linked into the library instead
//! and used when the process hosts none (tests, the `course` command).

use super::sampler::ProfileError;
use rcourse_cell::sampled::{self, Bytes, SampledStack};
use std::ffi::{CString, c_int, c_void};
use std::sync::OnceLock;

/// The host's functions ([`rcourse_cell::sampled`] says what each does).
#[derive(Clone, Copy)]
pub(super) struct Host {
    start: extern "C" fn(c_int) -> *mut c_void,
    stop: unsafe extern "C" fn(*mut c_void) -> Bytes,
    flame_graph: unsafe extern "C" fn(*const u8, usize, *const u8, usize) -> Bytes,
    free: unsafe extern "C" fn(Bytes),
}

/// The host's functions, when this process exports all of them.
fn host() -> Option<Host> {
    static HOST: OnceLock<Option<Host>> = OnceLock::new();
    *HOST.get_or_init(|| {
        let find = |name: &str| crate::lab::sys::global_symbol(&CString::new(name).ok()?);
        let (start, stop, flame_graph, free) = (
            find(sampled::START)?,
            find(sampled::STOP)?,
            find(sampled::FLAME_GRAPH)?,
            find(sampled::FREE)?,
        );
        // SAFETY: the host exports these names with these signatures
        // (rcourse_cell::sampled is the contract both sides build against).
        unsafe {
            Some(Host {
                start: std::mem::transmute::<*mut c_void, extern "C" fn(c_int) -> *mut c_void>(
                    start,
                ),
                stop: std::mem::transmute::<*mut c_void, unsafe extern "C" fn(*mut c_void) -> Bytes>(
                    stop,
                ),
                flame_graph: std::mem::transmute::<
                    *mut c_void,
                    unsafe extern "C" fn(*const u8, usize, *const u8, usize) -> Bytes,
                >(flame_graph),
                free: std::mem::transmute::<*mut c_void, unsafe extern "C" fn(Bytes)>(free),
            })
        }
    })
}

impl Host {
    /// The text in `bytes`, which are then freed.
    fn take(self, bytes: Bytes) -> String {
        // SAFETY: the host returned these bytes; they are read, then freed once.
        let text = unsafe {
            String::from_utf8_lossy(std::slice::from_raw_parts(bytes.ptr, bytes.len)).into_owned()
        };
        unsafe { (self.free)(bytes) };
        text
    }
}

/// A profile being sampled.
pub(super) enum Running {
    /// By the host, through this handle.
    Host(Host, *mut c_void),
    /// By the linked profiler.
    #[cfg(feature = "profile")]
    Linked(rcourse_sampler::Sampling),
}

/// Starts sampling every thread, `frequency` times per CPU second.
pub(super) fn start(frequency: i32) -> Result<Running, ProfileError> {
    if let Some(host) = host() {
        return Ok(Running::Host(host, (host.start)(frequency)));
    }
    #[cfg(feature = "profile")]
    return Ok(Running::Linked(rcourse_sampler::start(frequency)));
    #[cfg(not(feature = "profile"))]
    Err(ProfileError(
        "no profiler here: %prun runs in the rcourse kernel, or with course_lib's `profile` feature"
            .to_owned(),
    ))
}

impl Running {
    /// Stops sampling; the stacks, outermost frame first.
    pub(super) fn stop(self) -> Result<Vec<SampledStack>, ProfileError> {
        let stacks = match self {
            // SAFETY: the handle came from this host's start, and is used once.
            Running::Host(host, handle) => {
                sampled::decode(&host.take(unsafe { (host.stop)(handle) }))
            }
            #[cfg(feature = "profile")]
            Running::Linked(sampling) => sampling.stop(),
        };
        stacks.map_err(ProfileError)
    }
}

/// The flame graph of `folded` stacks as an SVG document, or `None` when no
/// profiler can draw it.
pub(super) fn flame_graph(folded: &str, subtitle: &str) -> Option<String> {
    if let Some(host) = host() {
        // SAFETY: both slices are valid UTF-8 for the duration of the call.
        let svg = host.take(unsafe {
            (host.flame_graph)(
                folded.as_ptr(),
                folded.len(),
                subtitle.as_ptr(),
                subtitle.len(),
            )
        });
        return (!svg.is_empty()).then_some(svg);
    }
    #[cfg(feature = "profile")]
    return rcourse_sampler::flame_graph(folded, subtitle);
    #[cfg(not(feature = "profile"))]
    None
}
