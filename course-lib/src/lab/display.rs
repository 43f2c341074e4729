//! The display protocol between a running cell and the kernel.
//!
//! A value that implements [`Render`] describes itself as a [`MimeBundle`]:
//! the same content in several formats (HTML, SVG, plain text, ...), from
//! which the notebook picks the richest one it can show.
//!
//! While a cell runs, [`display`] shows a value immediately. Inside the
//! kernel (when the `RCOURSE_KERNEL` environment variable is set) it writes
//! one line to stdout that the kernel turns into a Jupyter `display_data`
//! message; see [`display_line`] for the exact format. Anywhere else it
//! prints the plain-text version, so the same code is useful in a terminal.
//!
//! ```
//! use course_lib::lab::{display, Html};
//!
//! display(Html("<b>bold</b> move".to_string()));
//! ```

use std::io::Write;

use rcourse_cell::{DisplayMessage, value_content};
// The contract with the kernel, shared with it (`rcourse_cell`): the bundle,
// the display line and its environment variable, evcxr's convention for a
// cell's value.
pub use rcourse_cell::{
    DISPLAY_PREFIX, KERNEL_ENV_VAR, MimeBundle, display_line, escape_html, evcxr_content,
};

/// A value that can show itself in a notebook.
///
/// Implement this for your own types to make them work with [`display`]:
///
/// ```
/// use course_lib::lab::{display, MimeBundle, Render};
///
/// struct Greeting(&'static str);
///
/// impl Render for Greeting {
///     fn mime_bundle(&self) -> MimeBundle {
///         MimeBundle::new()
///             .with("text/html", format!("<h3>Hello, {}!</h3>", self.0))
///             .with("text/plain", format!("Hello, {}!", self.0))
///     }
/// }
///
/// display(Greeting("world"));
/// ```
pub trait Render {
    /// Describes this value in every format it supports.
    fn mime_bundle(&self) -> MimeBundle;
}

impl<T: Render + ?Sized> Render for &T {
    fn mime_bundle(&self) -> MimeBundle {
        (**self).mime_bundle()
    }
}

impl Render for MimeBundle {
    fn mime_bundle(&self) -> MimeBundle {
        self.clone()
    }
}

/// Shows a value now, as a new output of the running cell.
///
/// Accepts a value or a reference (`display(&table)` keeps `table` usable).
///
/// ```
/// use course_lib::prelude::*;
///
/// let table = Table::new().headers(["x"]).row([1]);
/// display(&table);
/// display(Text("done".to_string()));
/// ```
pub fn display(value: impl Render) {
    emit(&value.mime_bundle(), None, false);
}

/// Shows a value now and names the output `id`, so that
/// [`update_display`] can replace it later.
///
/// ```
/// use course_lib::prelude::*;
///
/// display_with_id(Text("step 1 of 3".to_string()), "progress");
/// update_display(Text("step 2 of 3".to_string()), "progress");
/// ```
pub fn display_with_id(value: impl Render, id: &str) {
    emit(&value.mime_bundle(), Some(id), false);
}

/// Replaces, in place, the output created by [`display_with_id`] with the same `id`.
///
/// Outside the kernel there is nothing to replace, so the plain text is printed again.
///
/// ```
/// use course_lib::prelude::*;
///
/// display_with_id(Text("0%".to_string()), "bar");
/// for percent in [50, 100] {
///     update_display(Text(format!("{percent}%")), "bar");
/// }
/// ```
pub fn update_display(value: impl Render, id: &str) {
    emit(&value.mime_bundle(), Some(id), true);
}

/// Clears the running cell's output now (IPython's `clear_output()`).
///
/// Outside the kernel there is no output area, so nothing happens.
///
/// ```
/// use course_lib::prelude::*;
///
/// println!("this line disappears");
/// clear_output();
/// println!("only this one stays");
/// ```
pub fn clear_output() {
    clear(false);
}

/// Clears the running cell's output when its next output arrives
/// (IPython's `clear_output(wait=True)`), which avoids flicker in animations.
///
/// ```
/// use course_lib::prelude::*;
///
/// for frame in 0..3 {
///     clear_output_on_next();
///     println!("frame {frame}");
/// }
/// ```
pub fn clear_output_on_next() {
    clear(true);
}

fn clear(wait: bool) {
    if in_kernel() {
        write_stdout(&DisplayMessage::clear_output(wait).to_line());
    }
}

/// Whether the code runs in a notebook cell of the rcourse kernel.
pub(crate) fn in_kernel() -> bool {
    std::env::var_os(KERNEL_ENV_VAR).is_some()
}

/// Writes one display (or update) to stdout in the format of the current environment.
fn emit(bundle: &MimeBundle, display_id: Option<&str>, update: bool) {
    let text = if in_kernel() {
        display_line(bundle, display_id, update)
    } else {
        format!("{}\n", bundle.plain_text())
    };
    write_stdout(&text);
}

/// Writes `text` to stdout in one locked write and flushes it.
///
/// Write errors (such as a closed pipe) are ignored: showing output must never
/// make a cell fail.
fn write_stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// Prints a value's bundle as the cell's value (see [`print_value`]).
pub(crate) fn print_evcxr(value: &dyn Render) {
    print_value(&value.mime_bundle());
}

/// Prints `bundle` as the value of the cell, in evcxr's convention (see
/// [`evcxr_content`]). Inside the kernel, a marker line comes first
/// ([`value_content`]), which keeps rich output printed before the value
/// apart from it; an empty bundle is the marker alone (no value).
fn print_value(bundle: &MimeBundle) {
    let text = if in_kernel() {
        value_content(bundle)
    } else {
        evcxr_content(bundle)
    };
    write_stdout(&text);
}

/// Shows any `Debug` value that ends a notebook cell, in one compile.
///
/// The kernel shows a cell's trailing value by calling `value.evcxr_display()`;
/// when that does not compile it builds the cell a second time with `{:?}`.
/// This trait gives every `Debug` type that method, so a trailing value costs
/// one compile instead of two. Types with their own inherent `evcxr_display`
/// (such as [`Table`](crate::lab::Table)) keep theirs, since inherent methods
/// win. The unit value `()` shows nothing, as `None` does in IPython.
///
/// ```
/// use course_lib::prelude::*;
///
/// vec![1, 2, 3].evcxr_display(); // the cell's result: [1, 2, 3]
/// ```
pub trait TrailingValue {
    /// Prints the value's `{:?}` form as the cell's `text/plain` result.
    fn evcxr_display(&self);
}

impl<T: std::fmt::Debug + ?Sized> TrailingValue for T {
    fn evcxr_display(&self) {
        let type_name = std::any::type_name::<T>();
        let bundle = if type_name == "()" {
            MimeBundle::new()
        } else if showing_types() {
            MimeBundle::new().with("text/plain", format!(": {type_name} = {self:?}"))
        } else {
            MimeBundle::new().with("text/plain", format!("{self:?}"))
        };
        print_value(&bundle);
    }
}

/// Set (to `1`) in the process that runs cells while values show their type.
const SHOW_TYPES_VAR: &str = "RCOURSE_SHOW_TYPES";

/// Whether values show their type: [`show_types`] was called with `true`.
fn showing_types() -> bool {
    std::env::var_os(SHOW_TYPES_VAR).is_some_and(|value| value == "1")
}

/// Shows (or stops showing) the type of each value that ends a cell, as
/// evcxr's `:types` does for the values it shows itself: `: i32 = 42`.
///
/// The kernel calls this when a cell runs `:types`, so the setting holds for
/// every value, whichever code shows it. Every cell links a copy of the
/// course library, so the switch is kept where all cells see it: in the
/// process's environment.
///
/// # Safety
///
/// This sets an environment variable: no other thread may read or write
/// the environment other than through `std::env` while it runs (see
/// [`std::env::set_var`]).
///
/// ```
/// use course_lib::prelude::*;
///
/// // SAFETY: this example runs no other thread.
/// unsafe { course_lib::lab::display::show_types(true) };
/// 42.evcxr_display(); // the cell's result: `: i32 = 42`
/// unsafe { course_lib::lab::display::show_types(false) };
/// ```
pub unsafe fn show_types(on: bool) {
    // SAFETY: this function's contract.
    unsafe { std::env::set_var(SHOW_TYPES_VAR, if on { "1" } else { "0" }) };
}

/// Gives each listed type an inherent `evcxr_display` method, so a value of
/// that type renders richly when it ends a notebook cell.
///
/// Each entry is a type and a doc-test expression that builds a value of it.
macro_rules! impl_evcxr_display {
    ($($ty:ident => $example:literal),+ $(,)?) => {$(
        impl $ty {
            #[doc = concat!(
                "Shows this ", stringify!($ty), " richly when it is the last expression of a notebook cell.\n\n",
                "The notebook calls this automatically; it prints every format of the value's\n",
                "[`MimeBundle`](crate::lab::MimeBundle) in evcxr's convention\n",
                "(see [`evcxr_content`](crate::lab::evcxr_content)).\n\n",
                "```\nuse course_lib::prelude::*;\n\n",
                "let value = ", $example, ";\nvalue.evcxr_display();\n```"
            )]
            pub fn evcxr_display(&self) {
                $crate::lab::display::print_evcxr(self);
            }
        }
    )+};
}
pub(crate) use impl_evcxr_display;

/// HTML markup, shown rendered.
///
/// ```
/// use course_lib::prelude::*;
///
/// display(Html("<p style=\"color: green\">All tests pass</p>".to_string()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Html(pub String);

/// An SVG image, shown as a picture.
///
/// ```
/// use course_lib::prelude::*;
///
/// let circle = r#"<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><circle cx="10" cy="10" r="8"/></svg>"#;
/// display(Svg(circle.to_string()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Svg(pub String);

/// Markdown text, shown rendered.
///
/// ```
/// use course_lib::prelude::*;
///
/// display(Markdown("## Results\n\n*All* good.".to_string()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Markdown(pub String);

/// Plain text, shown as is.
///
/// ```
/// use course_lib::prelude::*;
///
/// display(Text("42 items processed".to_string()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text(pub String);

impl Render for Html {
    fn mime_bundle(&self) -> MimeBundle {
        MimeBundle::new()
            .with("text/html", &self.0)
            .with("text/plain", &self.0)
    }
}

impl Render for Svg {
    fn mime_bundle(&self) -> MimeBundle {
        MimeBundle::new()
            .with("image/svg+xml", &self.0)
            .with("text/plain", "[SVG image]")
    }
}

impl Render for Markdown {
    fn mime_bundle(&self) -> MimeBundle {
        MimeBundle::new()
            .with("text/markdown", &self.0)
            .with("text/plain", &self.0)
    }
}

impl Render for Text {
    fn mime_bundle(&self) -> MimeBundle {
        MimeBundle::new().with("text/plain", &self.0)
    }
}

impl_evcxr_display!(
    Html => "Html(\"<b>hi</b>\".to_string())",
    Svg => "Svg(\"<svg xmlns='http://www.w3.org/2000/svg'/>\".to_string())",
    Markdown => "Markdown(\"*hi*\".to_string())",
    Text => "Text(\"hi\".to_string())",
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrappers_offer_rich_and_plain_formats() {
        let html = Html("<b>x</b>".into()).mime_bundle();
        assert_eq!(html.get("text/html"), Some("<b>x</b>"));
        assert!(html.get("text/plain").is_some());

        let svg = Svg("<svg/>".into()).mime_bundle();
        assert_eq!(svg.get("image/svg+xml"), Some("<svg/>"));

        let md = Markdown("*x*".into()).mime_bundle();
        assert_eq!(md.get("text/markdown"), Some("*x*"));

        let text = Text("x".into()).mime_bundle();
        assert_eq!(text.iter().count(), 1);
        assert_eq!(text.plain_text(), "x");
    }

    #[test]
    fn references_render_like_their_values() {
        fn bundle_of(value: impl Render) -> MimeBundle {
            value.mime_bundle()
        }
        let text = Text("same".into());
        assert_eq!(bundle_of(&text), bundle_of(text.clone()));
    }
}
