//! Cell syntax: what a notebook cell of the Rust course is made of.
//!
//! A cell is not a Rust file: it mixes items and statements, may end with an
//! expression whose value is shown, and may hold IPython-style magics
//! (`%timeit ...`, `%%time`) and evcxr commands (`:dep ...`). This crate is
//! the one place that answers questions about that syntax, on
//! rust-analyzer's lexer and parser (the ones evcxr uses):
//!
//! - [`brackets`]: the one walk over tokens with their bracket depth
//!   ([`brackets::Token`], [`brackets::tokens`]);
//! - [`lines`]: what each line is ([`lines::classify_line`],
//!   [`lines::LineKind`]), for a whole cell ([`lines::Cell::read`]);
//! - [`tail`]: the trailing expression whose value a cell shows;
//! - [`body`]: what the statements a magic measures are (a closure, only
//!   items, jumps out, dropped values);
//! - [`is_complete`]: whether a console needs more lines
//!   ([`is_complete::judge`]);
//! - [`tree`]: a syntax tree for the export (checking cells, stubbing
//!   solutions);
//! - [`docs`]: the doc comments at the top of a cell, which evcxr would drop
//!   ([`docs::keep_leading_docs`]).

pub mod body;
pub mod brackets;
pub mod docs;
pub mod is_complete;
pub mod lines;
pub mod tail;
pub mod tree;
