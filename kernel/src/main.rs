//! `rcourse`: a Jupyter kernel for a Rust course.
//!
//! The binary plays three roles. Jupyter starts it as the kernel
//! (`rcourse kernel --connection-file FILE`); teachers and set-up scripts use
//! its other subcommands (`install`, `uninstall`, and [`notebook`]'s
//! `export`, `run` and `grade`); and the evcxr engine starts
//! it again as the child process that loads and runs compiled cells, which is
//! why [`evcxr::runtime_hook`] must run before anything else.
//!
//! Layers, from the network inwards: [`wire`] (sockets, signing, framing),
//! [`kernel`] (one handler per request), [`engine`] (the evcxr session with
//! the course library preloaded).

mod cli;
mod engine;
mod install;
mod kernel;
mod magics;
mod notebook;
mod wire;

fn main() -> std::process::ExitCode {
    if engine::child::is_child_process() {
        engine::child::install_output_filter();
    }
    // When evcxr starts this binary as its runtime or rustc wrapper, control
    // never comes back from here.
    evcxr::runtime_hook();
    cli::run()
}
