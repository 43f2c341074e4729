//! How much memory each way of producing the full names needs.

use std::mem::{size_of, size_of_val};

use crate::lab::Table;
use crate::lab::display::{MimeBundle, Render, impl_evcxr_display};

use super::full_names::{FullNames, full_names_lazy, full_names_vec};
use super::names::composed_names_loops;

/// The bytes owned by a `Vec<String>`: the vector itself (pointer, capacity,
/// length), its buffer of `String`s (by capacity, not length) and the buffer
/// of every string (by capacity).
///
/// The allocator's own bookkeeping is not counted, so the true figure is a
/// little higher. Python's counterpart is `sys.getsizeof(the_list)` plus
/// `sys.getsizeof(s)` for every string.
///
/// ```
/// use course_lib::warmup::string_vec_bytes;
///
/// let mut names = Vec::with_capacity(2);
/// names.push(String::from("Bob")); // 3 bytes of text
/// assert_eq!(string_vec_bytes(&names), 24 + 2 * 24 + 3);
/// ```
pub fn string_vec_bytes(strings: &Vec<String>) -> usize {
    size_of::<Vec<String>>()
        + strings.capacity() * size_of::<String>()
        + strings.iter().map(String::capacity).sum::<usize>()
}

/// The memory of the eager `Vec` of full names against the two lazy ways.
///
/// The eager [`full_names_vec`] holds all 1100 strings at once; the
/// [`FullNames`] struct and the [`full_names_lazy`] chain hold a few
/// counters and references, whatever the number of names, and build one
/// string at a time. End a notebook cell with the report to see it as a table.
///
/// ```
/// use course_lib::warmup::MemoryReport;
///
/// let report = MemoryReport::measure();
/// assert_eq!(report.names, 1100);
/// assert!(report.vec_bytes > 40_000);
/// assert!(report.struct_bytes <= 64 && report.chain_bytes <= 256);
/// assert!(report.table().to_text().contains("FullNames"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryReport {
    /// The number of full names (1100).
    pub names: usize,
    /// [`string_vec_bytes`] of the eager [`full_names_vec`].
    pub vec_bytes: usize,
    /// [`string_vec_bytes`] of the 110 composed names, the intermediate list
    /// the eager function builds first.
    pub composed_bytes: usize,
    /// `size_of::<FullNames>()`: the whole iterator struct, on the stack.
    pub struct_bytes: usize,
    /// The size of the value [`full_names_lazy`] returns (the chain of adapters).
    pub chain_bytes: usize,
}

impl MemoryReport {
    /// Measures the three ways on the course's names.
    ///
    /// ```
    /// let report = course_lib::warmup::MemoryReport::measure();
    /// assert!(report.vec_bytes > 100 * report.struct_bytes);
    /// ```
    pub fn measure() -> Self {
        let names = full_names_vec();
        let lazy = full_names_lazy();
        MemoryReport {
            names: names.len(),
            vec_bytes: string_vec_bytes(&names),
            composed_bytes: string_vec_bytes(&composed_names_loops()),
            struct_bytes: size_of::<FullNames<'static>>(),
            chain_bytes: size_of_val(&lazy),
        }
    }

    /// The report as a table: one row per way, with the bytes it holds.
    ///
    /// ```
    /// let table = course_lib::warmup::MemoryReport::measure().table();
    /// assert_eq!(table.len(), 3);
    /// ```
    pub fn table(&self) -> Table {
        let ratio = |bytes: usize| format!("{:.0}×", self.vec_bytes as f64 / bytes.max(1) as f64);
        Table::new()
            .caption(format!("Memory for {} full names", self.names))
            .headers(["way", "names held at once", "bytes", "eager Vec / this"])
            .row((
                "eager Vec<String> (full_names_vec)",
                format!("all {}", self.names),
                self.vec_bytes,
                "1×".to_string(),
            ))
            .row((
                "iterator struct (FullNames)",
                "none: one per next()",
                self.struct_bytes,
                ratio(self.struct_bytes),
            ))
            .row((
                "lazy iterator chain (full_names_lazy)",
                "none: one per next()",
                self.chain_bytes,
                ratio(self.chain_bytes),
            ))
    }
}

impl Render for MemoryReport {
    fn mime_bundle(&self) -> MimeBundle {
        self.table().mime_bundle()
    }
}

impl_evcxr_display!(MemoryReport => "course_lib::warmup::MemoryReport::measure()");
