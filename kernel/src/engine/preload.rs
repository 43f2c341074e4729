//! The Rust that every session runs before the student's first cell.

use std::path::Path;

/// Prefix of a stdout line that asks the kernel for a display (the course
/// library's `lab::display` protocol: the rest of the line is JSON).
pub const DISPLAY_MARKER: &str = "RCOURSE_DISPLAY ";

/// Prefix of the line the panic hook prints: thread name, a tab, the message
/// with backslashes and newlines escaped.
pub const PANIC_MARKER: &str = "RCOURSE_PANIC ";

/// Loads the course library, with the profiler that `%prun` drives, and
/// brings its prelude into scope.
pub fn course_lib(dir: &Path) -> String {
    format!(
        ":dep course_lib = {{ path = {:?}, default-features = false, features = [\"profile\"] }}\nuse course_lib::prelude::*;\n",
        dir.display().to_string()
    )
}

/// Replaces the default panic output (a backtrace) with one marker line that
/// the kernel turns into the cell's error: `RCOURSE_PANIC`, then `cell` for
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

/// Two cells, run at start-up, that define and then drop a variable.
///
/// The first cell of a session that stores a variable compiles evcxr's
/// variable store, and the first that names a course library type makes
/// rust-analyzer infer through the library: seconds, once per session. Doing
/// both before the student's first cell makes that cell as quick as the rest.
/// The value is not `Copy`, so dropping it removes the variable.
pub fn warm_up(with_course_lib: bool) -> [&'static str; 2] {
    let define = if with_course_lib {
        "let rcourse_warm_up = course_lib::lab::Table::new().headers([\"n\"]).row([1]);"
    } else {
        "let rcourse_warm_up = String::new();"
    };
    [define, "drop(rcourse_warm_up);"]
}

/// Names the kernel itself defines in the session, hidden from the student.
pub fn is_internal(name: &str) -> bool {
    name.starts_with("rcourse_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hook_prints_the_marker_the_kernel_reads() {
        assert!(PANIC_HOOK.contains(&format!("println!(\"{PANIC_MARKER}{{name}}")));
    }
}
