//! The options of the magics that run code in the cell: `%timeit`
//! ([`TimeitOptions`]), `%complexity` ([`ComplexityOptions`]) and `%prun`
//! ([`SortKey`]).
//!
//! The kernel parses a magic's options into these types, then writes them
//! into the cell's code with [`RustSpelling::rust_expr`]; the course library
//! re-exports the same types, so the cell builds the same value again.

mod complexity;
mod profile;
mod timing;

pub use complexity::{ComplexityOptions, parse_sizes};
pub use profile::SortKey;
pub use timing::TimeitOptions;

/// A value the kernel writes into a cell's code.
pub trait RustSpelling {
    /// The Rust expression that builds this value in a cell, with the full
    /// `course_lib::...` paths under which the course library re-exports
    /// the types.
    fn rust_expr(&self) -> String;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_is_an_expression(value: &impl RustSpelling) {
        let rust = value.rust_expr();
        let parsed = syn::parse_str::<syn::Expr>(&rust);
        assert!(parsed.is_ok(), "not a Rust expression: {rust}");
        assert!(rust.starts_with("course_lib::lab::"), "{rust}");
    }

    #[test]
    fn every_spelling_parses_as_rust() {
        for key in [SortKey::SelfTime, SortKey::Total, SortKey::Name] {
            assert_is_an_expression(&key);
        }
        assert_is_an_expression(&TimeitOptions::default());
        assert_is_an_expression(&TimeitOptions {
            loops: Some(1000),
            opt_level: "0\"\\".to_string(),
            ..TimeitOptions::default()
        });
        assert_is_an_expression(&ComplexityOptions::default());
        assert_is_an_expression(&ComplexityOptions {
            sizes: vec![1, 2],
            quiet: true,
            ..ComplexityOptions::default()
        });
    }
}
