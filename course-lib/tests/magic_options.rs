//! The kernel writes the options of `%timeit`, `%complexity` and `%prun`
//! into a cell's code with their Rust spelling; each spelling, pasted into
//! code that uses the course library, builds the same value.

use course_lib::lab::{complexity, profile, timing};
use rcourse_cell::RustSpelling;

/// Asserts that `$expr` spells itself: its `rust_expr()` is its own source
/// text (spaces aside), which therefore compiles here.
macro_rules! assert_spells_itself {
    ($($expr:tt)+) => {{
        let value = $($expr)+;
        let without_spaces = |text: &str| text.split_whitespace().collect::<String>();
        assert_eq!(
            without_spaces(&value.rust_expr()),
            without_spaces(stringify!($($expr)+)),
        );
    }};
}

#[test]
fn sort_keys_spell_themselves() {
    assert_spells_itself!(course_lib::lab::profile::SortKey::SelfTime);
    assert_spells_itself!(course_lib::lab::profile::SortKey::Total);
    assert_spells_itself!(course_lib::lab::profile::SortKey::Name);
    assert_eq!(profile::SortKey::default(), profile::SortKey::SelfTime);
}

#[test]
fn timeit_options_spell_themselves() {
    assert_spells_itself!(course_lib::lab::timing::TimeitOptions {
        loops: None,
        runs: 7,
        precision: 3,
        quiet: false,
        opt_level: "2".to_string()
    });
    assert_spells_itself!(course_lib::lab::timing::TimeitOptions {
        loops: Some(1000),
        runs: 2,
        precision: 5,
        quiet: true,
        opt_level: "0".to_string()
    });
    assert_eq!(
        timing::TimeitOptions::default().rust_expr(),
        "course_lib::lab::timing::TimeitOptions { loops: None, runs: 7, precision: 3, \
         quiet: false, opt_level: \"2\".to_string() }"
    );
}

#[test]
fn complexity_options_spell_themselves() {
    assert_spells_itself!(course_lib::lab::complexity::ComplexityOptions {
        sizes: vec![100, 200, 400],
        runs: 3,
        quiet: true,
        opt_level: "s".to_string()
    });
    let default = complexity::ComplexityOptions::default();
    assert!(
        default
            .rust_expr()
            .contains("sizes: vec![1000, 2000, 4000, 8000, 16000, 32000, 64000]")
    );
}
