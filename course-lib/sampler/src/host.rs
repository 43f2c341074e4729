//! The C functions the process that runs cells exports
//! ([`rcourse_cell::sampled`] names them and says what they take).
//!
//! The kernel's binary links them (see [`exports`]) and its build script
//! exports them to dynamically loaded code; a cell's copy of the course
//! library finds them with `dlsym`.

use rcourse_cell::sampled::{Bytes, encode};
use std::ffi::{c_int, c_void};

fn bytes(text: String) -> Bytes {
    let mut text = std::mem::ManuallyDrop::new(text.into_bytes());
    Bytes {
        ptr: text.as_mut_ptr(),
        len: text.len(),
        cap: text.capacity(),
    }
}

/// Starts sampling (see [`crate::start`]); the handle is never null.
#[unsafe(no_mangle)]
pub extern "C" fn rcourse_sampler_start(frequency: c_int) -> *mut c_void {
    Box::into_raw(Box::new(crate::start(frequency))).cast()
}

/// Stops the sampling that `handle` (from [`rcourse_sampler_start`]) runs
/// and returns the encoded profile.
///
/// # Safety
/// `handle` comes from [`rcourse_sampler_start`] and is used once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rcourse_sampler_stop(handle: *mut c_void) -> Bytes {
    // SAFETY: the caller passes a handle from `rcourse_sampler_start`, once.
    let sampling = unsafe { Box::from_raw(handle.cast::<crate::Sampling>()) };
    bytes(encode(&sampling.stop()))
}

/// Draws a flame graph (see [`crate::flame_graph`]); empty when it cannot.
///
/// # Safety
/// Each pointer and length describe readable UTF-8 bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rcourse_sampler_flame_graph(
    folded: *const u8,
    folded_len: usize,
    subtitle: *const u8,
    subtitle_len: usize,
) -> Bytes {
    // SAFETY: the caller's contract.
    let (folded, subtitle) = unsafe {
        (
            std::slice::from_raw_parts(folded, folded_len),
            std::slice::from_raw_parts(subtitle, subtitle_len),
        )
    };
    let svg = match (std::str::from_utf8(folded), std::str::from_utf8(subtitle)) {
        (Ok(folded), Ok(subtitle)) => crate::flame_graph(folded, subtitle),
        _ => None,
    };
    bytes(svg.unwrap_or_default())
}

/// Frees bytes returned by the functions above.
///
/// # Safety
/// `bytes` was returned by one of them and is freed once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rcourse_sampler_free(bytes: Bytes) {
    // SAFETY: the caller's contract: a vector this module leaked.
    drop(unsafe { Vec::from_raw_parts(bytes.ptr, bytes.len, bytes.cap) });
}

/// The exported functions, for the host's `main` to keep alive: the linker
/// drops code nothing refers to, even when it is to be exported.
pub fn exports() -> [*const (); 4] {
    [
        rcourse_sampler_start as *const (),
        rcourse_sampler_stop as *const (),
        rcourse_sampler_flame_graph as *const (),
        rcourse_sampler_free as *const (),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use rcourse_cell::sampled::decode;

    #[test]
    fn the_c_functions_round_trip() {
        let handle = rcourse_sampler_start(500);
        let text = unsafe { rcourse_sampler_stop(handle) };
        let decoded = {
            let slice = unsafe { std::slice::from_raw_parts(text.ptr, text.len) };
            decode(std::str::from_utf8(slice).unwrap())
        };
        unsafe { rcourse_sampler_free(text) };
        assert!(decoded.is_ok(), "{decoded:?}");
        let (folded, subtitle) = ("a;b 3", "3 samples");
        let svg = unsafe {
            rcourse_sampler_flame_graph(
                folded.as_ptr(),
                folded.len(),
                subtitle.as_ptr(),
                subtitle.len(),
            )
        };
        assert!(svg.len > 0);
        unsafe { rcourse_sampler_free(svg) };
    }
}
