//! Before/after figures of the reach default (issue: "a plan a coordinator would
//! sign"): plans a scenario with the new defaults ("after": `Reach::default()`, the
//! default repeat factors over the cycle, the 45-minute lunch break, whatever the
//! file says of these) and with the former ones ("before": every place within 15
//! minutes' drive in full, each week on its own, only the first reach counting, no
//! lunch rule), the rest as written, and prints for each: visits,
//! communes visited, vehicle-days used and idle, population reached in the cycle
//! (each place at its best share), the objective, and the idle days' reasons.
//!
//! `cargo run --release -p tournee-pipeline --example reach_figures -- SCENARIO.toml
//! [PBF]` (PBF replaces the scenario's territory, e.g. for the Rutland fixture).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use tournee_model::scenario::{Reach, RepeatPeriod, DEFAULT_REPEAT_FACTORS};
use tournee_model::{NoProgress, Scenario};
use tournee_pipeline::{PlanOptions, Territory};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: reach_figures SCENARIO.toml [PBF]");
        std::process::exit(2);
    };
    let mut after = match Scenario::load(&PathBuf::from(path)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    if let Some(pbf) = args.get(1) {
        after.territory.pbf = PathBuf::from(pbf);
    }
    after.reach = Reach::default();
    after.objective.repeat_factors = DEFAULT_REPEAT_FACTORS.to_vec();
    after.objective.repeat_period = RepeatPeriod::Cycle;
    after.lunch_minutes = tournee_model::lunch::DEFAULT_LUNCH_MINUTES;
    let mut before = after.clone();
    before.reach = Reach {
        radius_minutes: Some(15),
        decay: None,
        ..Reach::default()
    };
    before.objective.repeat_factors = Vec::new();
    before.objective.repeat_period = RepeatPeriod::Week;
    before.lunch_minutes = 0;
    let pbf = after.resolve(&after.territory.pbf);
    let territory = Territory::load(&pbf, &NoProgress).expect("territory");
    println!("| {} | visits | communes visited | vehicle-days used / idle | population reached in the cycle | objective per week | idle-day reasons |", after.name);
    println!("|---|---|---|---|---|---|---|");
    for (label, sc) in [
        ("before (15 min radius, weekly)", &before),
        ("after (defaults)", &after),
    ] {
        let started = std::time::Instant::now();
        let outcome = tournee_pipeline::plan_with(
            sc,
            &territory,
            &NoProgress,
            &PlanOptions {
                seconds: Some(30.0),
                threads: None,
                ..Default::default()
            },
        )
        .expect("plan");
        let plan = &outcome.plan;
        assert!(outcome.check.is_ok(), "{:?}", outcome.check.violations);
        let communes: BTreeSet<&str> = plan.visits().map(|(_, v)| v.commune.as_str()).collect();
        let used = plan.routes.iter().filter(|r| !r.visits.is_empty()).count();
        let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
        for u in plan
            .unplaced
            .iter()
            .filter(|u| u.vehicle.is_some() && u.date.is_some())
        {
            *reasons.entry(u.reason.as_str()).or_default() += 1;
        }
        let idle: usize = reasons.values().sum();
        let mut best: BTreeMap<_, (u32, f64)> = BTreeMap::new();
        for (_, v) in plan.visits() {
            for p in &v.reaches {
                let b = best.entry(p.osm).or_insert((p.population, 0.0));
                b.1 = b.1.max(p.share);
            }
        }
        let reached: f64 = best.values().map(|(pop, s)| *pop as f64 * s).sum();
        println!(
            "| {label} | {} | {} | {used} / {idle} | {:.0} of {} | {:.0} | {} |",
            plan.summary.visits,
            communes.len(),
            reached,
            plan.summary.population_total,
            plan.summary.reachable_population_per_week,
            reasons
                .iter()
                .map(|(r, n)| format!("{n}× {r}"))
                .collect::<Vec<_>>()
                .join("; ")
        );
        eprintln!("{label}: {:.1} s", started.elapsed().as_secs_f64());
    }
}
