//! On random small territories and scenarios (hard radius or reach decay curve,
//! with or without repeat factors), every plan the optimiser makes passes the
//! independent checker, the checker's objective is the plan's, and every bound
//! (detailed, day-aggregated, with the morning/afternoon pair cuts) stays above it.

use proptest::prelude::*;
use tournee_model::scenario::{DecayPoint, Reach};
use tournee_model::{
    LonLat, NoProgress, OsmRef, Place, PlaceId, Population, PopulationSource, Scenario, Site,
    SiteId, SiteKind,
};
use tournee_osm::{RawMap, RawRoad};
use tournee_pipeline::Territory;
use tournee_routing::{CarProfile, RoadGraph};

const STEP: f64 = 0.004; // ~440 m of latitude
const HOURS: &[&str] = &[
    "Tu 08:00-13:00",
    "Mo-Fr 07:00-19:00",
    "Sa 08:00-12:00",
    "We 14:00-18:00",
];

fn grid(k: usize, oneway_rows: &[bool]) -> RawMap {
    let lon_step = STEP / 45f64.to_radians().cos();
    let mut m = RawMap::default();
    for y in 0..k {
        for x in 0..k {
            m.nodes.push(LonLat::new(
                -2.5 + x as f64 * lon_step,
                45.0 + y as f64 * STEP,
            ));
            m.node_ids.push((y * k + x) as i64 + 1);
        }
    }
    let id = |x: usize, y: usize| (y * k + x) as u32;
    for y in 0..k {
        let mut tags = vec![("highway".to_string(), "tertiary".to_string())];
        if oneway_rows.get(y).copied().unwrap_or(false) {
            tags.push(("oneway".into(), "yes".into()));
        }
        m.roads.push(RawRoad {
            osm_id: m.roads.len() as i64 + 1,
            nodes: (0..k).map(|x| id(x, y)).collect(),
            tags: tags.into(),
        });
    }
    for x in 0..k {
        m.roads.push(RawRoad {
            osm_id: m.roads.len() as i64 + 1,
            nodes: (0..k).map(|y| id(x, y)).collect(),
            tags: [("highway", "residential")].into_iter().collect(),
        });
    }
    m
}

fn scenario(vehicles: usize, mediators: usize, weeks: u32, radius: u32, heavy: bool) -> Scenario {
    Scenario::parse(
        &scenario_text(vehicles, mediators, weeks, radius, heavy),
        None,
    )
    .unwrap()
}

/// With `heavy`, the vehicles weigh 7 t and only the last mediator holds a C1.
fn scenario_text(
    vehicles: usize,
    mediators: usize,
    weeks: u32,
    radius: u32,
    heavy: bool,
) -> String {
    let mut t = format!(
        r#"
name = "random"
start_date = "2027-03-01"
cycle_weeks = {weeks}
holidays = ["2027-03-03"]
[territory]
pbf = "unused.osm.pbf"
[reach]
radius_minutes = {radius}
[[slots]]
name = "matin"
start = "09:30"
end = "12:00"
[[slots]]
name = "après-midi"
start = "14:00"
end = "16:30"
[[depots]]
id = "d"
name = "Dépôt"
lon = -2.5
lat = 45.0
"#
    );
    for v in 0..vehicles {
        t += &format!("[[vehicles]]\nid = \"v{v}\"\nname = \"V{v}\"\ndepot = \"d\"\n");
        if heavy {
            t += "gross_weight_tonnes = 7\n";
        }
    }
    for m in 0..mediators {
        t += &format!(
            "[[mediators]]\nid = \"m{m}\"\nname = \"M{m}\"\nbase = \"d\"\nmax_hours_per_week = {}\n",
            20 + 5 * m
        );
        if heavy && m + 1 == mediators {
            t += "licences = [\"B\", \"C1\"]\n";
        }
    }
    t
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn every_plan_passes_the_checker(
        k in 4usize..9,
        oneway_rows in proptest::collection::vec(any::<bool>(), 9),
        sites in proptest::collection::vec((0usize..81, 0usize..6, 0usize..4), 1..25),
        places in proptest::collection::vec((0usize..81, 1u32..3000), 1..30),
        vehicles in 1usize..3,
        mediators in 2usize..6,
        weeks in 1u32..3,
        radius in 1u32..6,
        promise in proptest::option::of((0usize..25, 0usize..6, any::<bool>())),
        heavy in any::<bool>(),
        repeat in proptest::option::of(0.0f64..1.0),
        decay in proptest::option::of((1u32..4, 0.3f64..=1.0, 1u32..4, 0.0f64..=1.0, 1u32..4, any::<bool>())),
        (lunch, short_day) in (prop_oneof![Just(45u32), 57u32..=60], proptest::option::of(0u32..12)),
    ) {
        let mut map = grid(k, &oneway_rows);
        let n = k * k;
        for (i, (node, kind, hours)) in sites.iter().enumerate() {
            let kind = SiteKind::ALL[*kind];
            map.sites.push(Site {
                id: SiteId(i as u32),
                osm: OsmRef::node(10_000 + i as i64),
                kind,
                name: format!("site {i}"),
                location: map.nodes[node % n],
                commune: format!("c{}", node % n),
                opening_hours: (kind == SiteKind::Marketplace).then(|| HOURS[*hours].to_string()),
                reason: "test".into(),
            });
        }
        for (i, (node, pop)) in places.iter().enumerate() {
            map.places.push(Place {
                id: PlaceId(i as u32),
                osm: OsmRef::node(20_000 + i as i64),
                name: format!("p{i}"),
                place_type: "village".into(),
                location: map.nodes[node % n],
                population: Population(*pop),
                population_source: PopulationSource::Osm,
                insee: None,
            });
        }
        // A promise to the commune of one of the sites (a place of that name), of a
        // random kind: kept, or declared not kept, by every plan.
        let promise = promise.map(|(site, kind, stable)| {
            let commune = map.sites[site % map.sites.len()].commune.clone();
            let location = map.sites[site % map.sites.len()].location;
            map.places.push(Place {
                id: PlaceId(map.places.len() as u32),
                osm: OsmRef::node(30_000),
                name: commune.clone(),
                place_type: "village".into(),
                location,
                population: Population(500),
                population_source: PopulationSource::Osm,
                insee: None,
            });
            let rule = ["frequency = \"weekly\"", "frequency = \"fortnightly\"",
                "frequency = \"two_in_three\"", "frequency = \"monthly\"",
                "min_visits = 1\nmax_visits = 1", "min_visits = 2"][kind];
            format!("[[promises]]\ncommune = \"{commune}\"\n{rule}\nstable = {}\n",
                stable)
        });
        let graph = RoadGraph::build(&map, &CarProfile::default()).unwrap();
        let territory = Territory::new("random".into(), map, graph);
        let mut sc = scenario(vehicles, mediators.max(2), weeks, radius, heavy);
        // Diminishing returns: a second and third reach in a week worth a share.
        if let Some(r) = repeat {
            sc.objective.repeat_factors = vec![r, r / 2.0];
            sc.validate().unwrap();
        }
        // A random reach decay curve instead of the hard radius: a first share,
        // a fall to a fraction of it, then to 0 or to half that.
        if let Some((m0, s0, dm1, f, dm2, to_zero)) = decay {
            let s1 = s0 * f;
            let points = [(m0, s0), (m0 + dm1, s1), (m0 + dm1 + dm2, if to_zero { 0.0 } else { s1 / 2.0 })];
            sc.reach = Reach {
                radius_minutes: None,
                decay: Some(points.iter().map(|&(minutes, share)| DecayPoint { minutes, share }).collect()),
                ..Reach::default()
            };
            sc.validate().unwrap();
        }
        if let Some(p) = &promise {
            let text = format!("{}{p}", scenario_text(vehicles, mediators.max(2), weeks, radius, heavy));
            match Scenario::parse(&text, None) {
                Ok(with) => {
                    sc = Scenario { objective: sc.objective.clone(), reach: sc.reach.clone(), ..with };
                }
                // A promise the cycle cannot hold is refused before planning.
                Err(e) => {
                    prop_assert!(e.field.as_deref().is_some_and(|f| f.starts_with("promises[0]")), "{e}");
                }
            }
        }
        // A long lunch leaves a drive of a few minutes (or none) between the
        // morning's and the afternoon's stops: the pair cuts then bind on this grid.
        sc.lunch_minutes = lunch;
        // Days barely longer than both slots with set-up (8 h): a day's drive out
        // to its morning stop and back from its afternoon one must fit in a few
        // minutes, so the period-aggregated bound's one-stop-only stops bind.
        if let Some(extra) = short_day {
            for m in &mut sc.mediators {
                m.max_hours_per_day = 8.0 + extra as f64 / 60.0;
            }
        }
        sc.validate().unwrap();
        match tournee_pipeline::plan(&sc, &territory, &NoProgress) {
            Ok(outcome) => {
                let check = &outcome.check;
                prop_assert!(check.is_ok(), "{:?}", check.violations);
                for p in &sc.promises {
                    let declared = outcome.plan.unplaced.iter().any(|u| {
                        u.commune.as_deref() == Some(p.commune.as_str())
                            && u.reason.starts_with(tournee_model::promise::NOT_KEPT)
                    });
                    let visits: Vec<_> = outcome.plan.visits()
                        .filter(|(_, v)| v.commune == p.commune)
                        .map(|(r, v)| tournee_model::promise::PromiseVisit {
                            week: r.week, weekday: r.weekday, slot: v.slot.as_str() })
                        .collect();
                    prop_assert_eq!(p.verdict(sc.cycle_weeks, &visits).is_ok(), !declared);
                }
                prop_assert!((check.reachable_population_per_week
                    - outcome.plan.summary.reachable_population_per_week).abs() < 1e-6);
                // The bound is above every valid plan, this one included.
                let bound = outcome.plan.summary.upper_bound.expect("a bound");
                prop_assert!(bound + 1e-6 >= check.reachable_population_per_week,
                    "bound {bound} < plan {}", check.reachable_population_per_week);
                // So is the day-aggregated relaxation, whatever the pipeline chose.
                let day = tournee_solver::daybound::upper_bound(&outcome.prepared.instance(&sc))
                    .expect("a day-aggregated bound");
                prop_assert!(day.value + 1e-6 >= check.reachable_population_per_week,
                    "day bound {} < plan {}", day.value, check.reachable_population_per_week);
                // And its integer version, week by week (a dual bound), never above
                // the LP it tightens.
                let milp = tournee_solver::daybound::upper_bound_milp(&outcome.prepared.instance(&sc), 50)
                    .expect("a day-aggregated MILP bound");
                prop_assert!(milp.value + 1e-6 >= check.reachable_population_per_week,
                    "day MILP bound {} < plan {}", milp.value, check.reachable_population_per_week);
                prop_assert!(milp.value <= day.value + 1e-6 * day.value.max(1.0),
                    "day MILP bound {} above its LP {}", milp.value, day.value);
                // The morning/afternoon cuts (two slots a day here): their LP and
                // MILP stay above the plan, and the LP never above the uncut one's.
                let inst = outcome.prepared.instance(&sc);
                let pair = tournee_solver::pairbound::upper_bound(&inst).expect("a pair-cut bound");
                prop_assert!(pair.value + 1e-6 >= check.reachable_population_per_week,
                    "pair bound {} < plan {}", pair.value, check.reachable_population_per_week);
                prop_assert!(pair.value <= day.value + 1e-6 * day.value.max(1.0),
                    "pair bound {} above the day LP {}", pair.value, day.value);
                let pair_milp = tournee_solver::pairbound::upper_bound_milp(&inst, 50)
                    .expect("a pair-cut MILP bound");
                prop_assert!(pair_milp.value + 1e-6 >= check.reachable_population_per_week,
                    "pair MILP bound {} < plan {}", pair_milp.value, check.reachable_population_per_week);
                // The period-aggregated relaxation: its LP and its MILP's dual bound
                // (after a few nodes) stay above the plan, the MILP never above the LP.
                let cycle = tournee_solver::cyclebound::upper_bound(&inst, None)
                    .expect("a period-aggregated bound");
                prop_assert!(cycle.value + 1e-6 >= check.reachable_population_per_week,
                    "period bound {} < plan {}", cycle.value, check.reachable_population_per_week);
                let cycle_milp = tournee_solver::cyclebound::upper_bound(&inst, Some(50))
                    .expect("a period-aggregated MILP bound");
                prop_assert!(cycle_milp.value + 1e-6 >= check.reachable_population_per_week,
                    "period MILP bound {} < plan {}", cycle_milp.value, check.reachable_population_per_week);
                prop_assert!(cycle_milp.value <= cycle.value + 1e-6 * cycle.value.max(1.0),
                    "period MILP bound {} above its LP {}", cycle_milp.value, cycle.value);
                // The holiday (a Wednesday) is never planned, and is reported.
                let holiday = "2027-03-03".parse().unwrap();
                prop_assert!(outcome.plan.routes.iter().all(|r| r.date != holiday));
                prop_assert!(outcome.plan.unplaced.iter().any(|u| u.date == Some(holiday)));
                // Each visit the holiday cancels is reported for its commune: the
                // same vehicle's Wednesday visits of another week.
                for r in outcome.plan.routes.iter().filter(|r| r.weekday == tournee_model::Weekday::Wed) {
                    for v in &r.visits {
                        prop_assert!(outcome.plan.unplaced.iter().any(|u| u.date == Some(holiday)
                            && u.vehicle.as_deref() == Some(r.vehicle.as_str())
                            && u.commune.as_deref() == Some(v.commune.as_str())));
                    }
                }
            }
            // Only legitimate refusals: the depot or every site off the kept graph.
            Err(e) => prop_assert!(
                matches!(e, tournee_pipeline::PipelineError::NoUsableSites(_)
                    | tournee_pipeline::PipelineError::DepotOffRoad { .. }),
                "{e}"
            ),
        }
    }
}
