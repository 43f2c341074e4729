//! The flame graph of a profile, drawn by inferno.

use inferno::flamegraph::{self, Options};

use super::report::Profile;
use crate::lab::timing::thousands;

/// The flame graph of `profile` as an SVG element ready to inline in HTML
/// (no XML prologue), or `None` when there are no samples to draw.
pub(super) fn svg(profile: &Profile) -> Option<String> {
    if profile.samples() == 0 {
        return None;
    }
    let folded = profile.folded();
    let mut options = Options::default();
    options.title = "Flame graph".to_string();
    options.subtitle = Some(format!(
        "{} samples: a box's width is its share of the CPU time; callers below, callees above",
        thousands(profile.samples())
    ));
    options.count_name = "samples".to_string();
    options.image_width = Some(960);
    // Colours from the function names, so that runs can be compared.
    options.hash = true;
    let mut out = Vec::new();
    flamegraph::from_lines(&mut options, folded.lines(), &mut out).ok()?;
    let svg = String::from_utf8(out).ok()?;
    let start = svg.find("<svg")?;
    Some(svg[start..].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::profile::{ProfileOptions, Stack};

    #[test]
    fn every_function_has_a_box() {
        let stacks = vec![
            Stack::new("cell", ["<cell>", "outer", "inner"], 30),
            Stack::new("rayon-2", ["work"], 10),
        ];
        let profile = Profile::from_stacks(stacks, 0.4, 0.3, &ProfileOptions::default());
        let svg = svg(&profile).unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..80]);
        for name in ["outer", "inner", "work", "[other threads]", "&lt;cell&gt;"] {
            assert!(svg.contains(name), "{name} is missing");
        }
    }

    #[test]
    fn no_samples_no_graph() {
        let profile = Profile::from_stacks(vec![], 0.0, 0.0, &ProfileOptions::default());
        assert_eq!(svg(&profile), None);
    }
}
