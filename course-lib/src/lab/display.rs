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

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;

/// The environment variable whose presence means "running inside the kernel".
///
/// ```
/// assert_eq!(course_lib::lab::KERNEL_ENV_VAR, "RCOURSE_KERNEL");
/// ```
pub const KERNEL_ENV_VAR: &str = "RCOURSE_KERNEL";

/// The prefix (including its trailing space) of every display line.
///
/// ```
/// assert_eq!(course_lib::lab::DISPLAY_PREFIX, "RCOURSE_DISPLAY ");
/// ```
pub const DISPLAY_PREFIX: &str = "RCOURSE_DISPLAY ";

/// The marker line that ends one piece of content in evcxr's output convention.
const EVCXR_END: &str = "EVCXR_END_CONTENT";

/// The same content in several formats, keyed by MIME type.
///
/// Keys are kept in sorted order, so output is deterministic.
///
/// ```
/// use course_lib::lab::MimeBundle;
///
/// let bundle = MimeBundle::new()
///     .with("text/html", "<i>hi</i>")
///     .with("text/plain", "hi");
/// assert_eq!(bundle.get("text/plain"), Some("hi"));
/// assert_eq!(bundle.len(), 2);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct MimeBundle(BTreeMap<String, String>);

impl MimeBundle {
    /// Creates an empty bundle.
    ///
    /// ```
    /// assert!(course_lib::lab::MimeBundle::new().is_empty());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) the content for one MIME type.
    ///
    /// ```
    /// use course_lib::lab::MimeBundle;
    ///
    /// let bundle = MimeBundle::new().with("text/plain", "old").with("text/plain", "new");
    /// assert_eq!(bundle.get("text/plain"), Some("new"));
    /// ```
    pub fn with(mut self, mime: impl Into<String>, content: impl Into<String>) -> Self {
        self.0.insert(mime.into(), content.into());
        self
    }

    /// A drawing: the SVG with `summary` as its plain text, or, when drawing
    /// failed, the summary and the error as plain text.
    ///
    /// ```
    /// use course_lib::lab::MimeBundle;
    ///
    /// let drawn = MimeBundle::svg("a chart", Ok::<_, String>("<svg/>".to_string()));
    /// assert_eq!(drawn.get("image/svg+xml"), Some("<svg/>"));
    /// let failed = MimeBundle::svg("a chart", Err::<String, _>("no room"));
    /// assert_eq!(failed.get("text/plain"), Some("a chart: no room"));
    /// ```
    pub fn svg(summary: impl Into<String>, svg: Result<String, impl std::fmt::Display>) -> Self {
        let summary = summary.into();
        match svg {
            Ok(svg) => MimeBundle::new()
                .with("image/svg+xml", svg)
                .with("text/plain", summary),
            Err(error) => MimeBundle::new().with("text/plain", format!("{summary}: {error}")),
        }
    }

    /// Returns the content for a MIME type, if present.
    ///
    /// ```
    /// use course_lib::lab::MimeBundle;
    ///
    /// let bundle = MimeBundle::new().with("text/markdown", "# Title");
    /// assert_eq!(bundle.get("text/markdown"), Some("# Title"));
    /// assert_eq!(bundle.get("text/html"), None);
    /// ```
    pub fn get(&self, mime: &str) -> Option<&str> {
        self.0.get(mime).map(String::as_str)
    }

    /// Iterates over `(mime type, content)` pairs in sorted order.
    ///
    /// ```
    /// use course_lib::lab::MimeBundle;
    ///
    /// let bundle = MimeBundle::new().with("text/plain", "b").with("text/html", "a");
    /// let mimes: Vec<&str> = bundle.iter().map(|(mime, _)| mime).collect();
    /// assert_eq!(mimes, ["text/html", "text/plain"]);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0
            .iter()
            .map(|(mime, content)| (mime.as_str(), content.as_str()))
    }

    /// Returns the number of formats in the bundle.
    ///
    /// ```
    /// assert_eq!(course_lib::lab::MimeBundle::new().with("text/plain", "x").len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Returns `true` if the bundle holds no formats.
    ///
    /// ```
    /// assert!(course_lib::lab::MimeBundle::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Returns the `text/plain` content, or a short note naming the formats
    /// when there is no plain-text version.
    ///
    /// ```
    /// use course_lib::lab::MimeBundle;
    ///
    /// assert_eq!(MimeBundle::new().with("text/plain", "hi").plain_text(), "hi");
    /// assert_eq!(
    ///     MimeBundle::new().with("image/png", "...").plain_text(),
    ///     "[image/png output]"
    /// );
    /// ```
    pub fn plain_text(&self) -> String {
        match self.get("text/plain") {
            Some(text) => text.to_string(),
            None => {
                let mimes: Vec<&str> = self.iter().map(|(mime, _)| mime).collect();
                format!("[{} output]", mimes.join(", "))
            }
        }
    }
}

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
        write_stdout(&format!(
            "{DISPLAY_PREFIX}{}\n",
            serde_json::json!({ "clear": true, "wait": wait })
        ));
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

/// The JSON body of a display line.
#[derive(Serialize)]
struct DisplayMessage<'a> {
    data: &'a MimeBundle,
    metadata: serde_json::Map<String, serde_json::Value>,
    display_id: Option<&'a str>,
    update: bool,
}

/// Formats the line that tells the kernel to show (or update) a display.
///
/// The line is [`DISPLAY_PREFIX`] followed by compact JSON and a newline:
///
/// ```text
/// RCOURSE_DISPLAY {"data":{MIME:CONTENT,...},"metadata":{},"display_id":null|"ID","update":false|true}
/// ```
///
/// JSON escaping guarantees that the content's own newlines never break the line.
///
/// ```
/// use course_lib::lab::{display_line, MimeBundle};
///
/// let bundle = MimeBundle::new().with("text/plain", "a\nb");
/// assert_eq!(
///     display_line(&bundle, Some("p1"), true),
///     "RCOURSE_DISPLAY {\"data\":{\"text/plain\":\"a\\nb\"},\"metadata\":{},\"display_id\":\"p1\",\"update\":true}\n"
/// );
/// ```
pub fn display_line(bundle: &MimeBundle, display_id: Option<&str>, update: bool) -> String {
    let message = DisplayMessage {
        data: bundle,
        metadata: serde_json::Map::new(),
        display_id,
        update,
    };
    let json = serde_json::to_string(&message).expect("string maps always serialize to JSON");
    format!("{DISPLAY_PREFIX}{json}\n")
}

/// Formats a bundle in evcxr's convention for rich cell results.
///
/// Each format becomes `EVCXR_BEGIN_CONTENT <mime>`, the content, and
/// `EVCXR_END_CONTENT`, each on its own line. A content line that equals the
/// end marker gets a trailing space so that it cannot end the content early.
///
/// ```
/// use course_lib::lab::{evcxr_content, MimeBundle};
///
/// let bundle = MimeBundle::new().with("text/plain", "hi");
/// assert_eq!(
///     evcxr_content(&bundle),
///     "EVCXR_BEGIN_CONTENT text/plain\nhi\nEVCXR_END_CONTENT\n"
/// );
/// ```
pub fn evcxr_content(bundle: &MimeBundle) -> String {
    let mut out = String::new();
    for (mime, content) in bundle.iter() {
        out.push_str("EVCXR_BEGIN_CONTENT ");
        out.push_str(mime);
        out.push('\n');
        for line in content.lines() {
            out.push_str(line);
            if line == EVCXR_END {
                out.push(' ');
            }
            out.push('\n');
        }
        out.push_str(EVCXR_END);
        out.push('\n');
    }
    out
}

/// Prints a value's bundle in evcxr's convention (see [`evcxr_content`]).
pub(crate) fn print_evcxr(value: &dyn Render) {
    write_stdout(&evcxr_content(&value.mime_bundle()));
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
        if std::any::type_name::<T>() == "()" {
            return;
        }
        let bundle = MimeBundle::new().with("text/plain", format!("{self:?}"));
        write_stdout(&evcxr_content(&bundle));
    }
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

/// Escapes the characters that are special in HTML text and attribute values.
///
/// ```
/// use course_lib::lab::display::escape_html;
///
/// assert_eq!(escape_html("a < b & \"c\""), "a &lt; b &amp; &quot;c&quot;");
/// ```
pub fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_line_has_prefix_compact_json_and_one_newline() {
        let bundle = MimeBundle::new().with("text/plain", "hello");
        let line = display_line(&bundle, None, false);
        assert_eq!(
            line,
            "RCOURSE_DISPLAY {\"data\":{\"text/plain\":\"hello\"},\"metadata\":{},\"display_id\":null,\"update\":false}\n"
        );
    }

    #[test]
    fn display_line_escapes_newlines_quotes_and_backslashes() {
        let content = "line one\nline \"two\"\r\n\\ end\t";
        let bundle = MimeBundle::new()
            .with("text/plain", content)
            .with("text/html", "<p class=\"x\">a\nb</p>");
        let line = display_line(&bundle, Some("id \"7\""), true);

        let body = line.strip_prefix(DISPLAY_PREFIX).unwrap();
        let body = body.strip_suffix('\n').unwrap();
        assert!(!body.contains('\n') && !body.contains('\r'));

        let parsed: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(parsed["data"]["text/plain"], content);
        assert_eq!(parsed["data"]["text/html"], "<p class=\"x\">a\nb</p>");
        assert_eq!(parsed["display_id"], "id \"7\"");
        assert_eq!(parsed["update"], true);
        assert_eq!(parsed["metadata"], serde_json::json!({}));
    }

    #[test]
    fn display_line_keys_come_in_protocol_order() {
        let line = display_line(&MimeBundle::new(), Some("a"), false);
        let keys = ["\"data\"", "\"metadata\"", "\"display_id\"", "\"update\""];
        let positions: Vec<usize> = keys.iter().map(|k| line.find(k).unwrap()).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn plain_text_falls_back_to_mime_names() {
        let bundle = MimeBundle::new()
            .with("image/svg+xml", "<svg/>")
            .with("text/html", "<b/>");
        assert_eq!(bundle.plain_text(), "[image/svg+xml, text/html output]");
    }

    #[test]
    fn evcxr_content_lists_every_format_and_guards_the_end_marker() {
        let bundle = MimeBundle::new()
            .with("text/html", "<p>\nEVCXR_END_CONTENT\n</p>")
            .with("text/plain", "x");
        assert_eq!(
            evcxr_content(&bundle),
            "EVCXR_BEGIN_CONTENT text/html\n<p>\nEVCXR_END_CONTENT \n</p>\nEVCXR_END_CONTENT\n\
             EVCXR_BEGIN_CONTENT text/plain\nx\nEVCXR_END_CONTENT\n"
        );
    }

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
