//! Everything a notebook cell needs, imported with one glob.
//!
//! ```
//! use course_lib::prelude::*;
//!
//! display(Markdown("**Hello** from the course library".to_string()));
//! ```

pub use crate::lab::{
    Chart, Html, Markdown, MimeBundle, ProgressBar, Render, Rgb, SpeedChart, Svg, Table, Text,
    TrailingValue, clear_output, clear_output_on_next, display, display_with_id, input,
    input_password, progress, python, update_display,
};
/// evcxr's input module, for code written for evcxr (`evcxr_input::get_string`).
pub use evcxr_input;
