//! `rcourse`: a Jupyter kernel for a Rust course.
//!
//! The binary plays three roles. Jupyter starts it as the kernel
//! (`rcourse kernel --connection-file FILE`); teachers and set-up scripts use
//! its other subcommands (`install`, `uninstall`, and `rcourse_teacher`'s
//! `export`, `run` and `grade`); and the evcxr engine starts it again as the
//! child process that loads and runs compiled cells, which is why
//! [`evcxr::runtime_hook`] must run before anything else.
//!
//! `rcourse kernel` wires the crates together: `rcourse_engine` sets the
//! process up and starts the evcxr session, and `rcourse_protocol` serves
//! it on the Jupyter sockets. Diagnostics go through the `log` facade to
//! the stderr backend in `logger`.

mod cli;
mod install;
mod logger;
mod shared;

fn main() -> std::process::ExitCode {
    if rcourse_engine::child::is_child_process() {
        rcourse_engine::child::lead_process_group();
        rcourse_engine::child::install_output_filter();
        // The profiler `%prun` drives from cells (build.rs exports it).
        std::hint::black_box(rcourse_sampler::host::exports());
    }
    // When cargo starts this binary as the kernel's rustc wrapper, or evcxr
    // as its runtime or its own rustc wrapper, control never comes back.
    if rcourse_engine::rustc::is_wrapper() {
        rcourse_engine::rustc::wrap();
    }
    evcxr::runtime_hook();
    logger::init();
    cli::run()
}
