//! [`MimeBundle`]: the same content in several formats.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The same content in several formats, keyed by MIME type.
///
/// Keys are kept in sorted order, so output is deterministic. It serializes
/// as a plain JSON object (`{"text/plain": "hi"}`).
///
/// ```
/// use rcourse_cell::MimeBundle;
///
/// let bundle = MimeBundle::new()
///     .with("text/html", "<i>hi</i>")
///     .with("text/plain", "hi");
/// assert_eq!(bundle.get("text/plain"), Some("hi"));
/// assert_eq!(bundle.len(), 2);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MimeBundle(BTreeMap<String, String>);

impl MimeBundle {
    /// Creates an empty bundle.
    ///
    /// ```
    /// assert!(rcourse_cell::MimeBundle::new().is_empty());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) the content for one MIME type.
    ///
    /// ```
    /// use rcourse_cell::MimeBundle;
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
    /// use rcourse_cell::MimeBundle;
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
    /// use rcourse_cell::MimeBundle;
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
    /// use rcourse_cell::MimeBundle;
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
    /// assert_eq!(rcourse_cell::MimeBundle::new().with("text/plain", "x").len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Returns `true` if the bundle holds no formats.
    ///
    /// ```
    /// assert!(rcourse_cell::MimeBundle::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Returns the `text/plain` content, or a short note naming the formats
    /// when there is no plain-text version.
    ///
    /// ```
    /// use rcourse_cell::MimeBundle;
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

/// Collects `(mime type, content)` pairs; a later pair replaces an earlier one.
///
/// ```
/// use rcourse_cell::MimeBundle;
///
/// let bundle: MimeBundle = [("text/plain".to_string(), "hi".to_string())].into_iter().collect();
/// assert_eq!(bundle.get("text/plain"), Some("hi"));
/// ```
impl FromIterator<(String, String)> for MimeBundle {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(pairs: I) -> Self {
        MimeBundle(pairs.into_iter().collect())
    }
}

/// The `(mime type, content)` pairs, in sorted order.
impl IntoIterator for MimeBundle {
    type Item = (String, String);
    type IntoIter = std::collections::btree_map::IntoIter<String, String>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl From<BTreeMap<String, String>> for MimeBundle {
    fn from(map: BTreeMap<String, String>) -> Self {
        MimeBundle(map)
    }
}

impl From<MimeBundle> for BTreeMap<String, String> {
    fn from(bundle: MimeBundle) -> Self {
        bundle.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_falls_back_to_mime_names() {
        let bundle = MimeBundle::new()
            .with("image/svg+xml", "<svg/>")
            .with("text/html", "<b/>");
        assert_eq!(bundle.plain_text(), "[image/svg+xml, text/html output]");
    }

    #[test]
    fn serializes_as_a_plain_object_and_back() {
        let bundle = MimeBundle::new()
            .with("text/plain", "x")
            .with("text/html", "<b>x</b>");
        let json = serde_json::to_string(&bundle).unwrap();
        assert_eq!(json, r#"{"text/html":"<b>x</b>","text/plain":"x"}"#);
        assert_eq!(serde_json::from_str::<MimeBundle>(&json).unwrap(), bundle);
    }

    #[test]
    fn converts_to_and_from_a_map() {
        let bundle = MimeBundle::new().with("text/plain", "x");
        let map: BTreeMap<String, String> = bundle.clone().into();
        assert_eq!(map["text/plain"], "x");
        assert_eq!(MimeBundle::from(map), bundle);
    }
}
