//! Everything a notebook cell needs, imported with one glob.
//!
//! ```
//! use course_lib::prelude::*;
//!
//! display(Markdown("**Hello** from the course library".to_string()));
//! ```

pub use crate::lab::{
    Chart, Html, Markdown, MimeBundle, Render, Rgb, Svg, Table, Text, TrailingValue, display,
    display_with_id, update_display,
};
