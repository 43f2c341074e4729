//! The two C library calls the runtime makes, declared here rather than
//! through the `libc` crate: every crate the course library depends on is
//! indexed by rust-analyzer in each student's kernel, and `libc` alone is
//! four and a half megabytes of declarations for two functions.
//!
//! Both are POSIX; the layouts are those of 64-bit Linux and macOS.

use std::ffi::{c_char, c_int, c_long, c_void};

/// `struct timeval`.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct TimeVal {
    seconds: i64,
    #[cfg(target_os = "macos")]
    micros: i32,
    #[cfg(not(target_os = "macos"))]
    micros: c_long,
}

impl TimeVal {
    /// The time in whole microseconds.
    pub(crate) fn total_micros(self) -> u64 {
        self.seconds as u64 * 1_000_000 + self.micros as u64
    }
}

/// `struct rusage`: the two times, then fourteen `long` counters.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ResourceUsage {
    pub(crate) user: TimeVal,
    pub(crate) system: TimeVal,
    counters: [c_long; 14],
}

/// `RUSAGE_SELF`: the calling process, all its threads.
const RUSAGE_SELF: c_int = 0;

/// `RTLD_DEFAULT`: search the process's global symbols.
#[cfg(not(target_os = "macos"))]
const RTLD_DEFAULT: *mut c_void = std::ptr::null_mut();
#[cfg(target_os = "macos")]
const RTLD_DEFAULT: *mut c_void = -2isize as *mut c_void;

unsafe extern "C" {
    fn getrusage(who: c_int, usage: *mut ResourceUsage) -> c_int;
    fn dlsym(handle: *mut c_void, symbol: *const c_char) -> *mut c_void;
}

/// The process's resource usage, or `None` when the system will not say.
pub(crate) fn resource_usage() -> Option<ResourceUsage> {
    let mut usage = ResourceUsage::default();
    // SAFETY: getrusage writes one `struct rusage`, which `ResourceUsage` lays out.
    (unsafe { getrusage(RUSAGE_SELF, &mut usage) } == 0).then_some(usage)
}

/// The address of the process's global symbol `name`, if it has one.
pub(crate) fn global_symbol(name: &std::ffi::CStr) -> Option<*mut c_void> {
    // SAFETY: dlsym reads a C string and looks the name up.
    let symbol = unsafe { dlsym(RTLD_DEFAULT, name.as_ptr()) };
    (!symbol.is_null()).then_some(symbol)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_is_the_c_librarys() {
        assert_eq!(std::mem::size_of::<ResourceUsage>(), 144);
    }

    #[test]
    fn cpu_time_grows_with_work() {
        let before = resource_usage().unwrap();
        let mut x = 0u64;
        for i in 0..50_000_000u64 {
            x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(i));
        }
        let after = resource_usage().unwrap();
        assert!(
            after.user.total_micros() > before.user.total_micros(),
            "{x}"
        );
    }

    #[test]
    fn finds_a_global_symbol() {
        assert!(global_symbol(c"malloc").is_some());
        assert!(global_symbol(c"no_such_symbol_anywhere").is_none());
    }
}
