//! A reach decay curve on the demo territory: the plan passes the checker with the
//! checker's own objective, each reached place counts for the curve's share at its
//! drive time, and a curve never earns more than the hard radius where it ends.

use std::collections::BTreeMap;
use std::path::Path;

use tournee_model::scenario::{DecayPoint, Reach, RepeatPeriod};
use tournee_model::{NoProgress, OsmRef, Seconds};
use tournee_pipeline::{prepare, Territory};

mod common;
use common::demo;

fn territory() -> Territory {
    Territory::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../osm-data/demo.osm.pbf"),
        &NoProgress,
    )
    .unwrap()
}

/// Full share up to 4 min, half at 8 min, nothing from 12 min on.
fn curve() -> Reach {
    Reach {
        radius_minutes: None,
        decay: Some(vec![
            DecayPoint {
                minutes: 4,
                share: 1.0,
            },
            DecayPoint {
                minutes: 8,
                share: 0.5,
            },
            DecayPoint {
                minutes: 12,
                share: 0.0,
            },
        ]),
        // The curve alone: no place counted in full for being in the stop's commune.
        own_commune: false,
        ..Reach::default()
    }
}

/// The curve written out by hand, in seconds.
fn expected_share(drive: Seconds) -> f64 {
    let t = drive.0 as f64;
    if t <= 240.0 {
        1.0
    } else if t <= 480.0 {
        1.0 - 0.5 * (t - 240.0) / 240.0
    } else if t <= 720.0 {
        0.5 - 0.5 * (t - 480.0) / 240.0
    } else {
        0.0
    }
}

#[test]
fn the_demo_with_a_decay_curve_counts_each_place_at_its_share() {
    let t = territory();
    let mut sc = demo();
    sc.reach = curve();
    // Each week on its own, the first reach only: the best share per week.
    sc.objective.repeat_factors = Vec::new();
    sc.objective.repeat_period = RepeatPeriod::Week;
    sc.validate().unwrap();
    let outcome = tournee_pipeline::plan(&sc, &t, &NoProgress).unwrap();
    let plan = &outcome.plan;
    assert!(outcome.check.is_ok(), "{:?}", outcome.check.violations);
    let objective = plan.summary.reachable_population_per_week;
    assert!(
        (outcome.check.reachable_population_per_week - objective).abs() < 1e-6,
        "the checker recomputes the same objective"
    );

    // Coverage: every (site, place) pair carries the curve's share at its drive
    // time, places at 12 min or more are not listed, and some are partial.
    let coverage = &outcome.prepared.coverage;
    assert_eq!(coverage.radius, Seconds::from_minutes(12));
    let mut partial = 0;
    for c in coverage.by_site.iter().flatten() {
        assert!(c.drive < Seconds::from_minutes(12), "{c:?}");
        assert!((c.share - expected_share(c.drive)).abs() < 1e-12, "{c:?}");
        partial += usize::from(c.share < 1.0);
    }
    assert!(partial > 0, "no place between 4 and 12 min of any site");

    // The plan records the share of each reached place, and the objective is the
    // best share of each place in each week (no repeat factors in the demo), from
    // the plan's own reach lists.
    assert!(sc.objective.repeat_factors.is_empty());
    let values: BTreeMap<OsmRef, f64> = outcome
        .prepared
        .places
        .iter()
        .map(|p| {
            let w = sc.objective.weight_of(&p.name, p.insee.as_deref());
            (p.osm, p.population.0 as f64 * w)
        })
        .collect();
    let mut best: BTreeMap<(u32, OsmRef), f64> = BTreeMap::new();
    let mut seen_partial = false;
    for (r, v) in plan.visits() {
        for p in &v.reaches {
            assert!((p.share - expected_share(p.drive)).abs() < 1e-12, "{p:?}");
            seen_partial |= p.share < 1.0;
            let b = best.entry((r.week, p.osm)).or_insert(0.0);
            *b = b.max(p.share);
        }
    }
    assert!(seen_partial, "the plan reaches no place partially");
    let by_hand: f64 = best
        .iter()
        .map(|((_, osm), share)| values[osm] * share)
        .sum::<f64>()
        / sc.cycle_weeks as f64;
    assert!(
        (by_hand - objective).abs() < 1e-6,
        "{by_hand} by hand, {objective} claimed"
    );
    // Inhabitants: each place once a week at its best share.
    let pops: BTreeMap<OsmRef, u32> = outcome
        .prepared
        .places
        .iter()
        .map(|p| (p.osm, p.population.0))
        .collect();
    let inhabitants: f64 = best
        .iter()
        .map(|((_, osm), share)| pops[osm] as f64 * share)
        .sum::<f64>()
        / sc.cycle_weeks as f64;
    assert!((inhabitants - plan.summary.reachable_inhabitants_per_week).abs() < 1e-6);

    // Never more than the hard radius where the curve ends: the same plan, checked
    // under a hard 12-minute radius, earns at least as much, and so does the
    // bound of that scenario.
    let mut hard = sc.clone();
    hard.reach = Reach {
        radius_minutes: Some(12),
        decay: None,
        ..Reach::default()
    };
    let under_hard = tournee_solver::check(plan, &t.check_input(&hard));
    assert!(
        under_hard.reachable_population_per_week > objective,
        "{} under the hard radius, {objective} with the curve",
        under_hard.reachable_population_per_week
    );
    let prepared = prepare(&hard, &t, &NoProgress).unwrap();
    let bound = tournee_solver::daybound::upper_bound(&prepared.instance(&hard)).unwrap();
    assert!(bound.value + 1e-6 >= objective);
    // And the curve's own bound is above its plan.
    let own = plan.summary.upper_bound.expect("a bound");
    assert!(own + 1e-6 >= objective && own <= bound.value + 1e-6);
}

#[test]
fn a_hard_radius_written_as_a_flat_curve_plans_the_same() {
    // A curve of one point at share 1 is the hard radius: same coverage, same
    // objective (the rule has one meaning whichever way it is written).
    let t = territory();
    let mut sc = demo();
    sc.reach = Reach {
        radius_minutes: Some(8),
        decay: None,
        ..Reach::default()
    };
    let mut flat = sc.clone();
    flat.reach = Reach {
        radius_minutes: None,
        decay: Some(vec![DecayPoint {
            minutes: sc.reach.radius().0 / 60,
            share: 1.0,
        }]),
        ..Reach::default()
    };
    flat.validate().unwrap();
    let a = prepare(&sc, &t, &NoProgress).unwrap();
    let b = prepare(&flat, &t, &NoProgress).unwrap();
    assert_eq!(a.coverage, b.coverage);
}
