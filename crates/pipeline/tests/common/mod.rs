#![allow(dead_code)] // each test binary uses some of these helpers
//! Helpers shared by the pipeline's tests on small demo scenarios.

pub mod hand_made;

use std::path::Path;

use tournee_model::{NoProgress, Scenario};
use tournee_pipeline::{prepare, Territory};

pub fn demo() -> Scenario {
    Scenario::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/demo.toml"))
        .unwrap()
}

/// The demo with only `keep` usable sites (every `step`-th, from `offset`), the
/// others closed, for `weeks` weeks and with the first `mediators` mediators.
pub fn small(
    keep: usize,
    step: usize,
    offset: usize,
    weeks: u32,
    mediators: usize,
    t: &Territory,
) -> Scenario {
    let mut sc = demo();
    sc.cycle_weeks = weeks;
    sc.mediators.truncate(mediators);
    let all = prepare(&sc, t, &NoProgress).unwrap();
    let kept: Vec<_> = all
        .sites
        .iter()
        .skip(offset)
        .step_by(step)
        .take(keep)
        .map(|s| s.osm)
        .collect();
    sc.sites.closed = all
        .sites
        .iter()
        .map(|s| s.osm)
        .filter(|o| !kept.contains(o))
        .collect();
    sc
}
