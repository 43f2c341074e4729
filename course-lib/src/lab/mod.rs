//! Rich output for notebook cells: the display protocol, tables and charts.
//!
//! ```
//! use course_lib::lab::{display, Text};
//!
//! display(Text("plain words".to_string()));
//! ```

pub mod chart;
pub mod complexity;
pub mod display;
pub mod input;
pub mod inspect;
pub mod profile;
pub mod progress;
pub mod python;
mod sys;
pub mod table;
pub mod timing;

pub use chart::{Chart, ChartError, PythonSeconds, Rgb, Seconds, SpeedChart};
pub use display::{
    DISPLAY_PREFIX, Html, KERNEL_ENV_VAR, Markdown, MimeBundle, Render, Svg, Text, TrailingValue,
    clear_output, clear_output_on_next, display, display_line, display_with_id, evcxr_content,
    update_display,
};
pub use input::{input, input_password};
pub use progress::{Progress, ProgressBar, ProgressState, progress};
pub use table::{IntoRow, Table};
