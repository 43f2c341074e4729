//! The flame graph of a profile, drawn by inferno (through the profiler's
//! [`backend`](super::backend)).

use super::report::Profile;
use crate::lab::timing::thousands;

/// The flame graph of `profile` as an SVG element ready to inline in HTML
/// (no XML prologue), or `None` when there are no samples to draw.
pub(super) fn svg(profile: &Profile) -> Option<String> {
    if profile.samples() == 0 {
        return None;
    }
    let subtitle = format!(
        "{} samples: a box's width is its share of the CPU time; callers below, callees above",
        thousands(profile.samples())
    );
    let svg = super::backend::flame_graph(&profile.folded(), &subtitle)?;
    let start = svg.find("<svg")?;
    Some(svg[start..].to_string())
}

#[cfg(all(test, feature = "profile"))]
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
