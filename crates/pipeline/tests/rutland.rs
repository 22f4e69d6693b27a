//! The real Rutland extract (`../shared/data/osm/rutland-latest.osm.pbf`) with one
//! bus, two mediators, Tuesday to Friday, two slots, four weeks and the default
//! reach and objective: the tours spread over the county rather than staying in the
//! garage once a few large villages "reach" everyone. Every vehicle-day runs or its
//! reason is given, at least 15 communes get a visit, and the checker agrees.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use tournee_model::{NoProgress, Scenario};
use tournee_pipeline::Territory;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rutland() -> (Scenario, Territory) {
    let pbf = root().join("../shared/data/osm/rutland-latest.osm.pbf");
    assert!(
        pbf.exists(),
        "missing {}: the shared data folder must sit beside the clone",
        pbf.display()
    );
    let text = std::fs::read_to_string(root().join("tests/fixtures/rutland-4-weeks.toml"))
        .unwrap()
        .replace("RUTLAND_PBF", &pbf.display().to_string());
    let sc = Scenario::parse(&text, None).unwrap();
    let territory = Territory::load(&pbf, &NoProgress).unwrap();
    (sc, territory)
}

#[test]
fn one_bus_over_four_weeks_uses_every_day_and_visits_fifteen_communes() {
    let (sc, territory) = rutland();
    assert!(!sc.reach.is_hard(), "the default reach has a decay curve");
    // A time limit keeps the debug-build test short; the bar holds for the
    // construction alone, so the limit only decides how much better it gets.
    let options = tournee_pipeline::PlanOptions {
        seconds: Some(20.0),
        threads: None,
        ..Default::default()
    };
    let outcome = tournee_pipeline::plan_with(&sc, &territory, &NoProgress, &options).unwrap();
    let plan = &outcome.plan;
    assert!(outcome.check.is_ok(), "{:?}", outcome.check.violations);

    // Every vehicle-day of the cycle runs, or the plan says why not.
    let mut days = 0;
    for day in sc.cycle_days() {
        for v in &sc.vehicles {
            if !v.runs_on(&sc, day.weekday) {
                continue;
            }
            days += 1;
            let runs = plan
                .routes
                .iter()
                .any(|r| r.vehicle == v.id && r.date == day.date && !r.visits.is_empty());
            let why = plan
                .unplaced
                .iter()
                .find(|u| u.vehicle.as_deref() == Some(&v.id) && u.date == Some(day.date));
            assert!(
                runs || why.is_some_and(|u| !u.reason.is_empty()),
                "{} on {}: neither a route nor a reason",
                v.id,
                day.date
            );
        }
    }
    assert_eq!(days, 16, "Tuesday to Friday over four weeks");

    let sites: std::collections::HashMap<_, _> =
        outcome.prepared.sites.iter().map(|s| (s.osm, s)).collect();
    let communes: BTreeSet<&str> = plan
        .visits()
        .map(|(_, v)| sites[&v.site].commune.as_str())
        .collect();
    assert!(
        communes.len() >= 15,
        "{} communes visited in the cycle: {communes:?}",
        communes.len()
    );
    let used = plan.routes.iter().filter(|r| !r.visits.is_empty()).count();
    eprintln!(
        "Rutland, 4 weeks: {} visits, {} communes, {used}/{days} vehicle-days, {:.0} reachable per week",
        plan.summary.visits,
        communes.len(),
        plan.summary.reachable_population_per_week
    );
}

/// The same scenario with the coordinator's rules: every vehicle-day used, every
/// commune visited at least once in the cycle, and a site capped. The optimiser
/// keeps them (or declares what it cannot keep) and the checker agrees.
#[test]
fn the_coordinators_rules_hold_on_rutland() {
    let (mut sc, territory) = rutland();
    sc.rules.use_every_vehicle_day = true;
    sc.rules.every_commune_every_weeks = Some(4);
    let options = tournee_pipeline::PlanOptions {
        seconds: Some(5.0),
        threads: None,
        ..Default::default()
    };
    let outcome = tournee_pipeline::plan_with(&sc, &territory, &NoProgress, &options).unwrap();
    let plan = &outcome.plan;
    assert!(outcome.check.is_ok(), "{:?}", outcome.check.violations);
    for (vi, day) in sc.vehicle_days() {
        let id = &sc.vehicles[vi].id;
        let runs = plan
            .routes
            .iter()
            .any(|r| &r.vehicle == id && r.date == day.date);
        let why = plan.unplaced.iter().any(|u| {
            u.vehicle.as_ref() == Some(id)
                && u.date == Some(day.date)
                && u.reason.starts_with(tournee_model::rules::DAY_NOT_USED)
        });
        assert!(runs || why, "{id} on {}", day.date);
    }
    // Every commune with inhabitants: visited in the cycle, or declared.
    let sites: std::collections::HashMap<_, _> =
        outcome.prepared.sites.iter().map(|s| (s.osm, s)).collect();
    let visited: BTreeSet<&str> = plan
        .visits()
        .map(|(_, v)| sites[&v.site].commune.as_str())
        .collect();
    for c in tournee_model::rules::communes_with_population(&outcome.prepared.places) {
        let declared = plan.unplaced.iter().any(|u| {
            u.commune.as_deref() == Some(c.as_str())
                && u.reason.starts_with(tournee_model::rules::RULE_NOT_KEPT)
        });
        assert!(visited.contains(c.as_str()) || declared, "{c}");
    }
    let used = plan.routes.len();
    eprintln!(
        "Rutland, 4 weeks, with the rules: {} visits, {} communes, {used} vehicle-days, {:.0} reachable per week",
        plan.summary.visits,
        visited.len(),
        plan.summary.reachable_population_per_week
    );
}
