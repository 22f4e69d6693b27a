//! A mixed fleet on the demo territory (`scenarios/cargo-bike.toml`): a bus in the
//! villages and a cargo bike in the town of Brumeval, planned end to end. Bike
//! routes use only the bike's sites, their legs are rides on the bike graph (slower
//! than driving), their stops reach who can walk to them, and the checker accepts
//! the plan and rejects hand-edited versions of it.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::OnceLock;

use tournee_model::{NoProgress, OsmRef, Plan, Scenario, Seconds, TravelMode};
use tournee_pipeline::{check_with, plan, prepare, Outcome, Territory};
use tournee_routing::Direction;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn territory() -> &'static Territory {
    static T: OnceLock<Territory> = OnceLock::new();
    T.get_or_init(|| Territory::load(&root().join("osm-data/demo.osm.pbf"), &NoProgress).unwrap())
}

fn scenario() -> &'static Scenario {
    static S: OnceLock<Scenario> = OnceLock::new();
    S.get_or_init(|| Scenario::load(&root().join("scenarios/cargo-bike.toml")).unwrap())
}

fn outcome() -> &'static Outcome {
    static O: OnceLock<Outcome> = OnceLock::new();
    O.get_or_init(|| plan(scenario(), territory(), &NoProgress).unwrap())
}

fn mode_of(sc: &Scenario, vehicle: &str) -> TravelMode {
    sc.vehicle(vehicle).unwrap().mode
}

#[test]
fn a_car_only_scenario_builds_no_bike_graph() {
    let demo = Scenario::load(&root().join("scenarios/demo.toml")).unwrap();
    let p = prepare(&demo, territory(), &NoProgress).unwrap();
    assert!(p.active.is_none());
    assert!(p.site_modes.iter().all(|m| *m == TravelMode::Car));
    // No cargo-bike block: the table is depots + sites.
    assert_eq!(p.travel.sources(), demo.depots.len() + p.sites.len());
    assert!(territory().check_input(&demo).bike.is_none());
}

#[test]
fn bike_routes_stop_only_at_the_bikes_sites_and_the_bus_never_there() {
    let (sc, out) = (scenario(), outcome());
    let p = &out.prepared;
    let mode_at: std::collections::HashMap<OsmRef, TravelMode> = p
        .sites
        .iter()
        .zip(&p.site_modes)
        .map(|(s, m)| (s.osm, *m))
        .collect();
    // The bike's sites are the town's, and only them.
    for (s, m) in p.sites.iter().zip(&p.site_modes) {
        assert_eq!(
            *m == TravelMode::CargoBike,
            s.commune == "Brumeval",
            "{}",
            s.name
        );
    }
    let mut bike_visits = 0;
    for r in &out.plan.routes {
        let mode = mode_of(sc, &r.vehicle);
        assert_eq!(r.mode, mode);
        for v in &r.visits {
            assert_eq!(mode_at[&v.site], mode, "{} at {}", r.vehicle, v.site_name);
            bike_visits += usize::from(mode == TravelMode::CargoBike);
        }
    }
    assert!(bike_visits > 0, "the cargo bike was never used");
    assert!(out
        .plan
        .routes
        .iter()
        .any(|r| mode_of(sc, &r.vehicle) == TravelMode::Car && !r.visits.is_empty()));
}

#[test]
fn bike_legs_are_rides_slower_than_driving() {
    let (sc, out, t) = (scenario(), outcome(), territory());
    let active = out.prepared.active.as_ref().unwrap();
    let car = &t.graph;
    let mut compared = 0;
    for r in out
        .plan
        .routes
        .iter()
        .filter(|r| r.mode == TravelMode::CargoBike)
    {
        let depot = sc.depot(&r.depot).unwrap().location();
        let mut prev = depot;
        let legs = r
            .visits
            .iter()
            .map(|v| (v.location, v.drive_from_previous, v.distance_from_previous))
            .chain([(depot, r.drive_back, r.distance_back)]);
        for (to, claimed, _) in legs {
            let on = |g: &tournee_routing::RoadGraph| {
                let (a, b) = (g.snap(prev).node, g.snap(to).node);
                g.shortest_paths(a, Direction::Forward, None)
                    .get(b)
                    .unwrap()
            };
            let (bike_t, _) = on(&active.bike);
            let (car_t, _) = on(car);
            assert!(claimed.0.abs_diff(bike_t.0) <= 1, "{claimed} vs {bike_t}");
            if car_t.0 > 0 {
                assert!(bike_t >= car_t, "bike {bike_t} faster than car {car_t}");
                compared += usize::from(bike_t > car_t);
            }
            prev = to;
        }
    }
    assert!(compared > 0, "no bike leg slower than driving");
}

#[test]
fn bike_stops_reach_who_walks_to_them() {
    let (sc, out, t) = (scenario(), outcome(), territory());
    let active = out.prepared.active.as_ref().unwrap();
    let walk = sc.reach.radius_for(TravelMode::CargoBike);
    assert_eq!(walk, Seconds::from_minutes(10));
    let mut narrower = false;
    for r in out
        .plan
        .routes
        .iter()
        .filter(|r| r.mode == TravelMode::CargoBike)
    {
        for v in &r.visits {
            assert!(!v.reaches.is_empty());
            let foot = active.foot.shortest_paths(
                active.foot.snap(v.location).node,
                Direction::Backward,
                Some(walk),
            );
            for reached in &v.reaches {
                assert!(reached.drive <= walk);
                let place = t.map.places.iter().find(|p| p.osm == reached.osm).unwrap();
                let (w, _) = foot.get(active.foot.snap(place.location).node).unwrap();
                assert_eq!(w, reached.drive, "{} walks {w}", place.name);
            }
            // Driving would reach more: the reach is the walk, not the drive.
            let by_car = t.graph.shortest_paths(
                t.graph.snap(v.location).node,
                Direction::Backward,
                Some(sc.reach.radius()),
            );
            let walked: BTreeSet<OsmRef> = v.reaches.iter().map(|r| r.osm).collect();
            narrower |= t.map.places.iter().any(|p| {
                !walked.contains(&p.osm)
                    && by_car
                        .get(t.graph.snap(p.location).node)
                        .is_some_and(|(d, _)| d <= sc.reach.radius())
            });
        }
    }
    assert!(
        narrower,
        "every bike stop reaches the same places by car and on foot"
    );
}

#[test]
fn the_checker_accepts_the_mixed_plan_and_the_bound_holds() {
    let (sc, out) = (scenario(), outcome());
    assert!(out.check.is_ok(), "{:?}", out.check.violations);
    let again = check_with(&out.plan, territory(), sc);
    assert!(again.is_ok());
    let objective = out.plan.summary.reachable_population_per_week;
    assert!((again.reachable_population_per_week - objective).abs() < 1e-6);
    let bound = out.plan.summary.upper_bound.unwrap();
    assert!(
        bound + 1e-6 >= objective,
        "bound {bound} < plan {objective}"
    );
}

fn first_bike_route(plan: &Plan) -> usize {
    plan.routes
        .iter()
        .position(|r| r.mode == TravelMode::CargoBike && !r.visits.is_empty())
        .unwrap()
}

fn rules(plan: &Plan) -> Vec<&'static str> {
    check_with(plan, territory(), scenario())
        .violations
        .iter()
        .map(|v| v.rule)
        .collect()
}

#[test]
fn the_checker_rejects_a_bike_leg_at_car_speed() {
    let mut plan = outcome().plan.clone();
    let i = first_bike_route(&plan);
    let depot = scenario().depot(&plan.routes[i].depot).unwrap().location();
    // The ride from the depot, claimed at the car's time for the same pair.
    let v = &mut plan.routes[i].visits[0];
    let g = &territory().graph;
    let (car_t, car_d) = g
        .shortest_paths(g.snap(depot).node, Direction::Forward, None)
        .get(g.snap(v.location).node)
        .unwrap();
    assert!(car_t < v.drive_from_previous);
    plan.summary.driving = plan.summary.driving - v.drive_from_previous + car_t;
    plan.summary.distance = plan.summary.distance - v.distance_from_previous + car_d;
    v.drive_from_previous = car_t;
    v.distance_from_previous = car_d;
    assert!(rules(&plan).contains(&"drive"), "{:?}", rules(&plan));
}

#[test]
fn the_checker_rejects_a_bike_stop_reaching_beyond_the_walk() {
    let mut plan = outcome().plan.clone();
    let i = first_bike_route(&plan);
    // Claim that the stop also reaches a village residents would have to drive
    // to: its population added to the objective.
    let t = territory();
    let v = &mut plan.routes[i].visits[0];
    let far = t
        .map
        .places
        .iter()
        .find(|p| p.name != v.commune && p.population.0 > 0)
        .unwrap();
    v.reaches.push(tournee_model::plan::Reached {
        place: far.name.clone(),
        osm: far.osm,
        population: far.population.0,
        drive: Seconds::from_minutes(9),
        share: 1.0,
    });
    plan.summary.reachable_population_per_week +=
        far.population.0 as f64 / scenario().cycle_weeks as f64;
    assert!(rules(&plan).contains(&"objective"), "{:?}", rules(&plan));
}

#[test]
fn the_checker_never_lets_the_bus_ride_the_bike_graph() {
    let mut plan = outcome().plan.clone();
    let i = first_bike_route(&plan);
    // The bike's day handed to the bus, legs unchanged (bike times): rejected, as a
    // car's legs are recomputed on the car graph only.
    let r = &mut plan.routes[i];
    r.vehicle = "bus-1".into();
    r.mode = TravelMode::Car;
    let found = rules(&plan);
    assert!(found.contains(&"drive"), "{found:?}");
    // And a route that says cargo bike for the bus is a mode mismatch.
    let mut plan = outcome().plan.clone();
    let j = plan
        .routes
        .iter()
        .position(|r| r.mode == TravelMode::Car)
        .unwrap();
    plan.routes[j].mode = TravelMode::CargoBike;
    assert!(rules(&plan).contains(&"mode"));
}
