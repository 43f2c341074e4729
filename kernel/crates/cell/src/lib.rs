//! The contract between code running in a notebook cell and the rcourse kernel.
//!
//! A cell (through `course_lib::lab`) writes, and the kernel reads, the same
//! things; each is defined here once:
//!
//! - [`MimeBundle`]: the same content in several formats, keyed by MIME type.
//! - [`DisplayMessage`]: one display, update or clear, written by a cell as a
//!   stdout line that starts with [`DISPLAY_PREFIX`] ([`display_line`],
//!   [`DisplayMessage::to_line`]) and read back by the kernel
//!   ([`DisplayMessage::parse_line`]). Cells write these lines only when
//!   [`KERNEL_ENV_VAR`] is set.
//! - [`PanicLine`]: the line the kernel's panic hook prints
//!   ([`PANIC_PREFIX`]), and [`PANIC_ESCAPED`], the line that marks a panic
//!   that escaped the cell.
//! - [`evcxr`]: evcxr's own output markers, and [`evcxr_content`], which
//!   writes a bundle in evcxr's convention for a cell's trailing value.
//! - [`VALUE_MARKER`]: the line that comes before a cell's value
//!   ([`value_content`]), so that the kernel tells the value apart from the
//!   other content blocks a cell prints.
//! - [`options`]: the options of the magics (`%timeit`, `%complexity`,
//!   `%prun`): the kernel parses them, and their [`RustSpelling`] is the
//!   expression that builds them again inside the cell.
//! - [`sampled`]: the functions of `%prun`'s sampling profiler that the
//!   cell process exports, and the text a profile crosses as.
//!
//! This crate depends on serde only, so both the course library and the
//! kernel can use it without depending on each other.

mod bundle;
mod display;
pub mod evcxr;
mod html;
pub mod options;
mod panic;
pub mod sampled;
mod value;

pub use bundle::MimeBundle;
mod launch;
pub use display::{DISPLAY_PREFIX, DisplayMessage, KERNEL_ENV_VAR, display_line};
pub use evcxr::content as evcxr_content;
pub use html::escape_html;
pub use launch::{OUTPUT_LIMIT_ENV, SANDBOXED_ENV};
pub use options::{ComplexityOptions, RustSpelling, SortKey, TimeitOptions, parse_sizes};
pub use panic::{
    CELL_THREAD, ERROR_RETURNED, PANIC_ESCAPED, PANIC_PREFIX, PanicLine, escape_line, unescape_line,
};
pub use value::{VALUE_MARKER, value_content};
