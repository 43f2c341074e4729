//! Reading what the person at the notebook types.
//!
//! In a notebook the kernel shows a text box under the cell and the answer
//! comes back to the running code; elsewhere the prompt goes to the terminal.

use super::display::in_kernel;
use std::io::Write;

/// Asks for a line of text and returns it without its line ending.
///
/// ```no_run
/// use course_lib::prelude::*;
///
/// let name = input("Your name: ");
/// println!("Hello, {name}!");
/// ```
pub fn input(prompt: &str) -> String {
    ask(prompt, false)
}

/// Like [`input`], but what is typed is hidden (a password, a key).
///
/// ```no_run
/// use course_lib::prelude::*;
///
/// let secret = input_password("Password: ");
/// assert!(!secret.ends_with('\n'));
/// ```
pub fn input_password(prompt: &str) -> String {
    ask(prompt, true)
}

fn ask(prompt: &str, hidden: bool) -> String {
    if in_kernel() {
        return match hidden {
            true => evcxr_input::get_password(prompt),
            false => evcxr_input::get_string(prompt),
        };
    }
    print!("{prompt}");
    let _ = std::io::stdout().flush();
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
    line.trim_end_matches(['\r', '\n']).to_owned()
}
