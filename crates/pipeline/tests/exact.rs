//! Small scenarios (at most 15 usable sites) on the demo territory, solved to
//! proven optimality by the exact MILP: its plan passes the checker, no feasible plan
//! beats it (so it is at least the heuristic's), and it stays under every bound.
//! The heuristic's objective on the same scenarios is printed beside it.

use std::path::Path;

use tournee_model::NoProgress;
use tournee_pipeline::{prepare, Territory};

mod common;
use common::{demo, small};

#[test]
fn small_scenarios_are_solved_to_proven_optimality() {
    let t = Territory::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../osm-data/demo.osm.pbf"),
        &NoProgress,
    )
    .unwrap();
    let cases = [
        ("12 sites, 1 week, 6 mediators", small(12, 7, 0, 1, 6, &t)),
        ("15 sites, 2 weeks, 6 mediators", small(15, 6, 3, 2, 6, &t)),
        ("10 sites, 2 weeks, 3 mediators", small(10, 9, 1, 2, 3, &t)),
        ("8 sites, 1 week, 4 mediators", small(8, 11, 2, 1, 4, &t)),
    ];
    for (name, sc) in cases {
        let prepared = prepare(&sc, &t, &NoProgress).unwrap();
        assert!(
            prepared.sites.len() <= 15,
            "{name}: {} sites",
            prepared.sites.len()
        );
        let inst = prepared.instance(&sc);
        let exact = tournee_solver::exact::solve(&inst).unwrap_or_else(|e| panic!("{name}: {e}"));
        let report = tournee_solver::check(&exact.plan, &t.check_input(&sc));
        assert!(report.is_ok(), "{name}: {:?}", report.violations);
        let opt = exact.plan.summary.reachable_population_per_week;
        assert!(
            (report.reachable_population_per_week - opt).abs() < 1e-6,
            "{name}: the checker recomputes the same objective"
        );
        let greedy = tournee_solver::greedy::solve(&inst, &NoProgress);
        let constructed = greedy.summary.reachable_population_per_week;
        let greedy = tournee_solver::local::improve(&inst, greedy, &NoProgress);
        let heuristic = greedy.summary.reachable_population_per_week;
        let report = tournee_solver::check(&greedy, &t.check_input(&sc));
        assert!(report.is_ok(), "{name}: {:?}", report.violations);
        assert!(
            heuristic + 1e-9 >= constructed,
            "{name}: local search never loses"
        );
        assert!(
            opt + 1e-6 >= heuristic,
            "{name}: a feasible plan beats the optimum"
        );
        for integer in [false, true] {
            let b = tournee_solver::bound::upper_bound(&inst, integer).unwrap();
            assert!(
                b.value + 1e-6 >= opt,
                "{name}: bound {} below the optimum {opt}",
                b.value
            );
        }
        println!(
            "{name}: {} sites, {} patterns; optimum {opt:.1}, construction {constructed:.1}, \
             + local search {heuristic:.1} ({:.2} % below)",
            prepared.sites.len(),
            exact.patterns,
            100.0 * (opt - heuristic) / opt.max(1.0)
        );
        assert!(opt > 0.0, "{name}: the optimum reaches someone");
    }
}

#[test]
fn the_pipeline_plans_small_scenarios_optimally_with_gap_zero() {
    let t = Territory::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../osm-data/demo.osm.pbf"),
        &NoProgress,
    )
    .unwrap();
    // The case where the heuristic alone is 0.8 % below the optimum.
    let sc = small(10, 9, 1, 2, 3, &t);
    let outcome = tournee_pipeline::plan(&sc, &t, &NoProgress).unwrap();
    let inst = outcome.prepared.instance(&sc);
    let exact = tournee_solver::exact::solve(&inst).unwrap();
    let s = &outcome.plan.summary;
    assert!(
        outcome.plan.method.contains("exact"),
        "{}",
        outcome.plan.method
    );
    assert!(
        (s.reachable_population_per_week - exact.plan.summary.reachable_population_per_week).abs()
            < 1e-6
    );
    assert_eq!(s.upper_bound, Some(s.reachable_population_per_week));
    assert_eq!(s.gap_percent(), Some(0.0));
    assert!(outcome.check.is_ok());
}

#[test]
fn the_exact_optimiser_declines_large_scenarios_with_the_reason() {
    let t = Territory::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../osm-data/demo.osm.pbf"),
        &NoProgress,
    )
    .unwrap();
    let sc = demo();
    let prepared = prepare(&sc, &t, &NoProgress).unwrap();
    let err = match tournee_solver::exact::solve(&prepared.instance(&sc)) {
        Ok(_) => panic!("the demo has more sites than the exact optimiser takes"),
        Err(e) => e,
    };
    assert!(err.contains("at most"), "{err}");
}
