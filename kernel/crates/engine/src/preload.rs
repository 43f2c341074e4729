//! The Rust that every session runs before the student's first cell.

use std::path::Path;

/// Loads the course library, brings its prelude into scope, and defines
/// then drops one small value of a course library type
/// (`rcourse_warm_up`, a name [`is_internal`] hides).
///
/// Without its default features: `%prun`'s profiler is hosted by the
/// process that runs cells (`rcourse-sampler`), which keeps it out of every
/// cell's build and out of rust-analyzer's crate graph.
///
/// The value is the warm-up: the first cell that stores a variable compiles
/// evcxr's variable store, and the first that infers a course library type
/// makes rust-analyzer index the trait implementations of every crate.
/// Both happen here, in the cell that loads the library anyway, rather than
/// in the student's first cell. The value is dropped in the same cell: a
/// variable the session kept would be one evcxr expects back from a new
/// cell process after `:restart`. The install-time warm build runs
/// this same cell, so its build is ready for the session's.
pub fn course_lib(dir: &Path) -> String {
    format!(
        ":dep course_lib = {{ path = {:?}, default-features = false }}\n\
         use course_lib::prelude::*;\n\
         let rcourse_warm_up = course_lib::lab::Table::new().headers([\"n\"]).row([1]);\n\
         drop(rcourse_warm_up);\n",
        dir.display().to_string()
    )
}

/// Replaces the default panic output (a backtrace) with one marker line that
/// the kernel turns into the cell's error (read with
/// [`rcourse_cell::PanicLine`]): `RCOURSE_PANIC`, then `cell` for
/// a panic on the thread that runs cells (or the other thread's name), a
/// tab, and the message with backslashes and newlines escaped. Cells share
/// one `libstd`, so the hook stays in place until the cell process restarts.
pub const PANIC_HOOK: &str = r#"{
    let cell_thread = std::thread::current().id();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = if let Some(text) = payload.downcast_ref::<&str>() {
            (*text).to_string()
        } else if let Some(text) = payload.downcast_ref::<String>() {
            text.clone()
        } else {
            String::from("a panic with a non-text payload")
        };
        let thread = std::thread::current();
        let name = if thread.id() == cell_thread {
            String::from("cell")
        } else {
            thread.name().unwrap_or("unnamed").replace('\t', " ")
        };
        let escaped = message.replace('\\', "\\\\").replace('\n', "\\n");
        println!("RCOURSE_PANIC {name}\t{escaped}");
    }));
}"#;

/// Tells the course library whether values show their type (`:types`).
/// Runs between cells, when the kernel's code is the only code running.
pub fn show_types(on: bool) -> String {
    format!("\nunsafe {{ course_lib::lab::display::show_types({on}) }};\n")
}

/// Ends a cell that has no value to show: prints the value marker alone
/// ([`rcourse_cell::VALUE_MARKER`]), so that content blocks the cell printed
/// last show as displays of their own rather than as its value (see
/// [`crate::child`]). The marker is a whole line, which flushes the cell's
/// stdout: text printed without a newline (`print!("...")`) shows with this
/// cell instead of the next one. (A value's display ends with a newline too.)
pub const END_WITHOUT_VALUE: &str =
    r#"let _ = std::io::Write::write_all(&mut std::io::stdout(), b"RCOURSE_VALUE\n");"#;

/// `code` with [`END_WITHOUT_VALUE`] appended when that is safe: the cell
/// surely ends without a value, and has no evcxr command lines.
pub fn with_final_flush(code: &str) -> std::borrow::Cow<'_, str> {
    let has_command = rcourse_syntax::lines::Cell::read(code).has_commands();
    if has_command || !rcourse_syntax::tail::ends_without_value(code) {
        code.into()
    } else {
        format!("{code}\n{END_WITHOUT_VALUE}").into()
    }
}

/// Names the kernel itself defines in the session, hidden from the student.
pub fn is_internal(name: &str) -> bool {
    name.starts_with("rcourse_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_without_a_value_flush_their_output() {
        assert_eq!(
            with_final_flush("print!(\"x\");"),
            format!("print!(\"x\");\n{END_WITHOUT_VALUE}")
        );
        assert_eq!(
            with_final_flush("print!(\"x\");\n1 + 1"),
            "print!(\"x\");\n1 + 1"
        );
        assert_eq!(
            with_final_flush(":dep rand = \"0.8\""),
            ":dep rand = \"0.8\""
        );
    }

    #[test]
    fn a_cell_without_a_value_prints_the_value_marker_alone() {
        let line = format!("b\"{}\\n\"", rcourse_cell::VALUE_MARKER);
        assert!(END_WITHOUT_VALUE.contains(&line), "{END_WITHOUT_VALUE}");
    }

    #[test]
    fn the_hook_prints_the_marker_the_kernel_reads() {
        use rcourse_cell::{CELL_THREAD, PANIC_PREFIX};
        assert!(PANIC_HOOK.contains(&format!("println!(\"{PANIC_PREFIX}{{name}}")));
        assert!(PANIC_HOOK.contains(&format!("String::from(\"{CELL_THREAD}\")")));
    }
}
