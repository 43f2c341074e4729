//! Names for sampled instruction addresses, read from the debug information
//! of the libraries loaded *now*.
//!
//! pprof names frames through the `backtrace` crate, which lists the
//! process's libraries once, at its first use, and never again: in a
//! notebook session every cell is a library loaded later, whose frames it
//! could not name after the first `%prun`. This module lists the libraries
//! again for each profile and reads each one's DWARF with `addr2line`,
//! keeping what it read for libraries that stay loaded.

use std::collections::HashMap;
use std::ffi::{CStr, c_int, c_void};
use std::path::PathBuf;

/// A loaded object: its file, where it was loaded, and its segments'
/// address ranges.
struct Library {
    path: PathBuf,
    bias: u64,
    ranges: Vec<(u64, u64)>,
}

/// The process's loaded objects, from `dl_iterate_phdr`.
fn loaded_libraries() -> Vec<Library> {
    unsafe extern "C" fn visit(
        info: *mut libc::dl_phdr_info,
        _size: usize,
        data: *mut c_void,
    ) -> c_int {
        // SAFETY: the loader passes a valid entry and our vector.
        let (info, libraries) = unsafe { (&*info, &mut *data.cast::<Vec<Library>>()) };
        let name = if info.dlpi_name.is_null() {
            Default::default()
        } else {
            // SAFETY: a C string owned by the loader, valid during the call.
            unsafe { CStr::from_ptr(info.dlpi_name) }
                .to_string_lossy()
                .into_owned()
        };
        // The main program has an empty name.
        let path = if name.is_empty() {
            match std::env::current_exe() {
                Ok(path) => path,
                Err(_) => return 0,
            }
        } else {
            PathBuf::from(name)
        };
        let bias = info.dlpi_addr;
        // SAFETY: dlpi_phdr points at dlpi_phnum program headers.
        let headers =
            unsafe { std::slice::from_raw_parts(info.dlpi_phdr, info.dlpi_phnum as usize) };
        let ranges = headers
            .iter()
            .filter(|header| header.p_type == libc::PT_LOAD)
            .map(|header| {
                let start = bias.wrapping_add(header.p_vaddr);
                (start, start.wrapping_add(header.p_memsz))
            })
            .collect();
        libraries.push(Library { path, bias, ranges });
        0
    }
    let mut libraries: Vec<Library> = Vec::new();
    // SAFETY: the callback only reads the entries and pushes to the vector.
    unsafe { libc::dl_iterate_phdr(Some(visit), (&raw mut libraries).cast()) };
    libraries
}

/// One name of a frame: the function, and whether it comes from Rust's
/// standard library sources.
pub(crate) struct Name {
    pub(crate) function: String,
    pub(crate) standard_library: bool,
}

/// Reads names for addresses; one per profile.
pub(crate) struct Symbolizer {
    libraries: Vec<Library>,
    loaders: HashMap<(PathBuf, u64), Option<addr2line::Loader>>,
}

impl Symbolizer {
    /// Lists the libraries loaded now.
    pub(crate) fn new() -> Symbolizer {
        Symbolizer {
            libraries: loaded_libraries(),
            loaders: HashMap::new(),
        }
    }

    /// The names at return address or sampled `ip`: the functions inlined
    /// there (innermost first), then the function itself (last). Empty
    /// when the address is in no library with symbols.
    pub(crate) fn names(&mut self, ip: usize) -> Vec<Name> {
        // A return address points after the call: look at the call itself.
        let address = (ip as u64).saturating_sub(1);
        let Some(library) = self.libraries.iter().find(|library| {
            library
                .ranges
                .iter()
                .any(|&(start, end)| start <= address && address < end)
        }) else {
            return Vec::new();
        };
        let probe = address.wrapping_sub(library.bias);
        let loader = self
            .loaders
            .entry((library.path.clone(), library.bias))
            .or_insert_with(|| addr2line::Loader::new(&library.path).ok());
        let Some(loader) = loader else {
            return Vec::new();
        };
        let mut names = Vec::new();
        if let Ok(mut frames) = loader.find_frames(probe) {
            while let Ok(Some(frame)) = frames.next() {
                let Some(function) = frame.function.as_ref().and_then(|f| f.raw_name().ok()) else {
                    continue;
                };
                let standard_library = frame
                    .location
                    .as_ref()
                    .and_then(|location| location.file)
                    .is_some_and(is_standard_library_file);
                names.push(Name {
                    function: demangle(&function),
                    standard_library,
                });
            }
        }
        if names.is_empty()
            && let Some(symbol) = loader.find_symbol(probe)
        {
            names.push(Name {
                function: demangle(symbol),
                standard_library: false,
            });
        }
        names
    }
}

/// A symbol's readable name, without its hash.
fn demangle(raw: &str) -> String {
    format!("{:#}", rustc_demangle::demangle(raw))
}

/// Whether `file` is one of Rust's standard library sources.
fn is_standard_library_file(file: &str) -> bool {
    file.starts_with("/rustc/") || file.contains("/lib/rustlib/src/rust/library/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[inline(never)]
    fn here() -> usize {
        // The address of this function's code, plus one (as a return
        // address would be).
        here as fn() -> usize as usize + 1
    }

    #[test]
    fn names_this_function() {
        let names = Symbolizer::new().names(std::hint::black_box(here()));
        let last = names.last().expect("a name");
        assert!(last.function.ends_with("here"), "{}", last.function);
        assert!(!last.standard_library);
    }

    #[test]
    fn addresses_outside_every_library_have_no_name() {
        assert!(Symbolizer::new().names(8).is_empty());
    }

    #[test]
    fn standard_library_files_are_recognised() {
        assert!(is_standard_library_file(
            "/rustc/abc/library/core/src/iter.rs"
        ));
        assert!(!is_standard_library_file("/home/me/src/lib.rs"));
    }
}
