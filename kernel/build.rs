//! Exports `%prun`'s profiler functions from the `rcourse` binary, so that
//! the course library, loaded into the cell process (this same binary) by
//! each compiled cell, finds them with `dlsym` (the names are
//! `rcourse_cell::sampled`'s; an executable exports nothing by default).

fn main() {
    println!("cargo:rustc-link-arg-bins=-Wl,--export-dynamic-symbol=rcourse_sampler_*");
}
