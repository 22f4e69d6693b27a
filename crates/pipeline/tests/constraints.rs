//! The planning constraints on a small hand-made territory. Per-commune promises:
//! every optimiser keeps them, the bound stays above the plans, the checker catches
//! a broken one, and an impossible one is explained. School holidays: school
//! parkings free all day, and tours paused when the scenario says so.
//! The territory is `common::hand_made`'s (a ring of ten villages, a market, a
//! church and a village hall).

use tournee_model::promise::{PromiseVisit, NOT_KEPT};
use tournee_model::{NoProgress, OsmRef, Plan, Scenario, Site, SiteId, SiteKind};
use tournee_pipeline::Territory;
use tournee_solver::{bound, exact, greedy, local};

mod common;
use common::hand_made::territory;

const BASE: &str = r#"
name = "promises"
start_date = "2027-03-01"
cycle_weeks = 4
days = ["mon", "tue", "wed"]
holidays = ["2027-03-03"]
[territory]
pbf = "unused"
[reach]
radius_minutes = 3
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
lat = 45.012
[[vehicles]]
id = "bus"
name = "Bus"
depot = "d"
[[mediators]]
id = "a"
name = "A"
base = "d"
[[mediators]]
id = "b"
name = "B"
base = "d"
"#;

fn church() -> OsmRef {
    OsmRef::node(101)
}
fn hall() -> OsmRef {
    OsmRef::node(102)
}

fn scenario(promises: &str) -> Scenario {
    Scenario::parse(&format!("{BASE}{promises}"), None).unwrap()
}

fn visits_at(plan: &Plan, site: OsmRef) -> Vec<PromiseVisit<'_>> {
    plan.visits()
        .filter(|(_, v)| v.site == site)
        .map(|(r, v)| PromiseVisit {
            week: r.week,
            weekday: r.weekday,
            slot: v.slot.as_str(),
        })
        .collect()
}

fn rules_broken(plan: &Plan, t: &Territory, sc: &Scenario) -> Vec<&'static str> {
    let mut rules: Vec<&str> = tournee_pipeline::check_with(plan, t, sc)
        .violations
        .iter()
        .map(|v| v.rule)
        .collect();
    rules.sort();
    rules.dedup();
    rules
}

const PROMISES: &str = r#"
[[promises]]
commune = "Village 3"
min_visits = 1
max_visits = 1
[[promises]]
commune = "Village 7"
frequency = "fortnightly"
weekday = "mon"
slot = "après-midi"
"#;

#[test]
fn every_optimiser_keeps_the_promises_and_the_bound_stays_above() {
    let t = territory();
    // Without promises the church is visited more than once, and the village
    // hall's visits are not fortnightly on one weekday and slot: the promises bind.
    let free = scenario("");
    let plan = tournee_pipeline::plan(&free, &t, &NoProgress).unwrap().plan;
    assert!(visits_at(&plan, church()).len() > 1);

    let sc = scenario(PROMISES);
    let prepared = tournee_pipeline::prepare(&sc, &t, &NoProgress).unwrap();
    let inst = prepared.instance(&sc);
    let constructed = greedy::solve(&inst, &NoProgress);
    let improved = local::improve(&inst, constructed.clone(), &NoProgress);
    let optimal = exact::solve(&inst).unwrap().plan;
    let bound = bound::upper_bound(&inst, false).unwrap().value;
    for (name, plan) in [
        ("greedy", &constructed),
        ("local", &improved),
        ("exact", &optimal),
    ] {
        assert!(rules_broken(plan, &t, &sc).is_empty(), "{name}");
        let church = visits_at(plan, church());
        assert_eq!(church.len(), 1, "{name}: {church:?}");
        let hall = visits_at(plan, hall());
        sc.promises[1].verdict(4, &hall).unwrap();
        assert!(hall.len() >= 2, "{name}: {hall:?}");
        assert!(
            !plan.unplaced.iter().any(|u| u.reason.starts_with(NOT_KEPT)),
            "{name}: {:?}",
            plan.unplaced
        );
        assert!(
            bound + 1e-6 >= plan.summary.reachable_population_per_week,
            "{name}: bound {bound} below {}",
            plan.summary.reachable_population_per_week
        );
    }
    // The construction honours the preferred weekday and slot when it can.
    for v in visits_at(&constructed, hall()) {
        assert_eq!(
            (v.weekday, v.slot),
            (tournee_model::Weekday::Mon, "après-midi")
        );
    }
    // The exact optimum under promises is at least the heuristic's.
    assert!(
        optimal.summary.reachable_population_per_week + 1e-6
            >= improved.summary.reachable_population_per_week
    );
}

#[test]
fn the_checker_catches_a_broken_promise() {
    let t = territory();
    let sc = scenario(PROMISES);
    let plan = tournee_pipeline::plan(&sc, &t, &NoProgress).unwrap().plan;
    assert!(rules_broken(&plan, &t, &sc).is_empty());
    // A second visit to the church (promised at most one) in a free slot.
    let mut p = plan.clone();
    let (ri, vi) = p
        .routes
        .iter()
        .enumerate()
        .find_map(|(ri, r)| {
            r.visits
                .iter()
                .position(|v| v.site == hall())
                .map(|vi| (ri, vi))
        })
        .unwrap();
    // Moving the hall's visit to another slot breaks its stable slot.
    let other = if p.routes[ri].visits[vi].slot == "matin" {
        "après-midi"
    } else {
        "matin"
    };
    p.routes[ri].visits[vi].slot = other.into();
    assert!(rules_broken(&p, &t, &sc).contains(&"promise"));
    // Dropping the hall's visits of weeks 1 and 2 breaks its frequency.
    let mut p = plan.clone();
    for r in p.routes.iter_mut().filter(|r| r.week < 2) {
        r.visits.retain(|v| v.site != hall());
    }
    let broken = tournee_pipeline::check_with(&p, &t, &sc);
    let v = broken
        .violations
        .iter()
        .find(|v| v.rule == "promise")
        .expect("the promise is checked");
    assert!(v.message.contains("Village 7"), "{}", v.message);
    // Declaring it not kept is what a plan must do when it cannot keep it.
    p.unplaced.push(tournee_model::Unplaced {
        vehicle: None,
        date: None,
        commune: Some("Village 7".into()),
        mediator: None,
        request: None,
        reason: format!("{NOT_KEPT} (test)"),
    });
    let rules: Vec<_> = tournee_pipeline::check_with(&p, &t, &sc)
        .violations
        .iter()
        .map(|v| v.rule)
        .collect();
    assert!(!rules.contains(&"promise"), "{rules:?}");
}

#[test]
fn a_strict_promise_holds_its_weekday_and_slot_as_rules() {
    let t = territory();
    let loose = scenario(
        "[[promises]]\ncommune = \"Village 7\"\nmin_visits = 3\nstable = false\n\
         weekday = \"wed\"\nslot = \"matin\"\n",
    );
    let strict = scenario(
        "[[promises]]\ncommune = \"Village 7\"\nmin_visits = 3\nstable = false\n\
         weekday = \"wed\"\nslot = \"matin\"\nstrict = true\n",
    );
    let on_wednesday_mornings = |plan: &Plan| {
        visits_at(plan, hall())
            .iter()
            .all(|v| (v.weekday, v.slot) == (tournee_model::Weekday::Wed, "matin"))
    };
    // A preference only: the hall is also visited on other days and slots.
    let free = tournee_pipeline::plan(&loose, &t, &NoProgress)
        .unwrap()
        .plan;
    assert!(
        !on_wednesday_mornings(&free),
        "{:?}",
        visits_at(&free, hall())
    );
    // The checker holds the strict promise against that plan.
    assert!(rules_broken(&free, &t, &strict).contains(&"promise"));
    // Every optimiser keeps it.
    let prepared = tournee_pipeline::prepare(&strict, &t, &NoProgress).unwrap();
    let inst = prepared.instance(&strict);
    let constructed = greedy::solve(&inst, &NoProgress);
    let improved = local::improve(&inst, constructed.clone(), &NoProgress);
    let optimal = exact::solve(&inst).unwrap().plan;
    let planned = tournee_pipeline::plan(&strict, &t, &NoProgress)
        .unwrap()
        .plan;
    for (name, plan) in [
        ("greedy", &constructed),
        ("local", &improved),
        ("exact", &optimal),
        ("pipeline", &planned),
    ] {
        let broken = rules_broken(plan, &t, &strict);
        assert!(broken.is_empty(), "{name}: {broken:?}");
        assert!(
            on_wednesday_mornings(plan),
            "{name}: {:?}",
            visits_at(plan, hall())
        );
        assert!(
            visits_at(plan, hall()).len() >= 3,
            "{name}: {:?} {:?}",
            visits_at(plan, hall()),
            plan.unplaced
        );
    }
}

#[test]
fn impossible_promises_are_explained_in_the_plan() {
    let t = territory();
    // No site in Village 9; a promise that needs four visits a week when one site
    // can host one a day; a market (Tuesday mornings) on a scenario without Tuesdays.
    let sc = Scenario::parse(
        &format!(
            "{}\n[[promises]]\ncommune = \"Village 9\"\nfrequency = \"weekly\"\n\
             [[promises]]\ncommune = \"Village 1\"\nfrequency = \"weekly\"\n\
             [[promises]]\ncommune = \"Village 3\"\nmin_visits = 12\nstable = false\n",
            BASE.replace(
                "days = [\"mon\", \"tue\", \"wed\"]",
                "days = [\"mon\", \"wed\", \"thu\"]"
            )
        ),
        None,
    )
    .unwrap();
    let outcome = tournee_pipeline::plan(&sc, &t, &NoProgress).unwrap();
    let plan = &outcome.plan;
    assert!(!plan.routes.is_empty(), "the rest is still planned");
    let reason = |commune: &str| -> String {
        plan.unplaced
            .iter()
            .find(|u| u.commune.as_deref() == Some(commune) && u.reason.starts_with(NOT_KEPT))
            .map(|u| u.reason.clone())
            .unwrap_or_else(|| panic!("{commune} not reported: {:?}", plan.unplaced))
    };
    assert!(
        reason("Village 9").contains("aucun site candidat"),
        "{}",
        reason("Village 9")
    );
    let market = reason("Village 1");
    assert!(
        market.contains("n'est utilisable") && market.contains("market"),
        "{market}"
    );
    // Too many visits promised for one site: the capacity it lacks, counted.
    let capacity = reason("Village 3");
    assert!(
        capacity.contains("manque de capacité") && capacity.contains("au moins 12 promis"),
        "{capacity}"
    );
    // What could be kept is kept: the church is still visited.
    assert!(!visits_at(plan, church()).is_empty());
}

#[test]
fn a_promise_to_an_unknown_commune_names_the_field() {
    let t = territory();
    let sc = scenario("[[promises]]\ncommune = \"village 7\"\nfrequency = \"weekly\"\n");
    let e = tournee_pipeline::plan(&sc, &t, &NoProgress)
        .err()
        .unwrap()
        .to_string();
    assert!(
        e.contains("promises[0].commune") && e.contains("Village 7"),
        "{e}"
    );
}

/// The territory with a school at village 5 (busy at pick-up, 16:00–17:00, on
/// school days).
fn with_school() -> Territory {
    let mut t = territory();
    t.map.sites.push(Site {
        id: SiteId(3),
        osm: OsmRef::node(103),
        kind: SiteKind::School,
        name: "École 5".into(),
        location: t.map.nodes[5],
        commune: "Village 5".into(),
        opening_hours: None,
        reason: "test".into(),
    });
    t
}

const SCHOOL: &str = r#"
name = "school"
start_date = "2027-03-01"
cycle_weeks = 3
days = ["mon"]
school_holidays = [{ from = "2027-03-06", to = "2027-03-14" }]
[territory]
pbf = "unused"
[reach]
radius_minutes = 3
[sites]
kinds = ["school"]
[[slots]]
name = "après-midi"
start = "14:00"
end = "16:30"
[[depots]]
id = "d"
name = "Dépôt"
lon = -2.5
lat = 45.012
[[vehicles]]
id = "bus"
name = "Bus"
depot = "d"
[[mediators]]
id = "a"
name = "A"
base = "d"
[[mediators]]
id = "b"
name = "B"
base = "d"
"#;

#[test]
fn school_parkings_are_free_in_school_holidays_on_both_sides() {
    let t = with_school();
    let sc = Scenario::parse(SCHOOL, None).unwrap();
    let plan = tournee_pipeline::plan(&sc, &t, &NoProgress).unwrap().plan;
    // The afternoon slot overlaps pick-up: only the Monday in the holidays (week 2).
    let dates: Vec<String> = plan.routes.iter().map(|r| r.date.to_string()).collect();
    assert_eq!(dates, vec!["2027-03-08"]);
    assert!(rules_broken(&plan, &t, &sc).is_empty());
    // The same visit on a school Monday breaks the school rule in the checker.
    let mut p = plan.clone();
    p.routes[0].date = "2027-03-15".parse().unwrap();
    p.routes[0].week = 2;
    assert_eq!(rules_broken(&p, &t, &sc), vec!["site hours"]);
    // Without school holidays, the school is never usable in that slot.
    let none = Scenario::parse(&SCHOOL.replace("school_holidays", "# "), None).unwrap();
    let e = tournee_pipeline::plan(&none, &t, &NoProgress);
    assert!(e.is_ok_and(|o| o.plan.routes.is_empty()));
}

#[test]
fn tours_pause_in_school_holidays_when_asked_with_cancellations_reported() {
    let t = with_school();
    let text = SCHOOL
        .replace(
            "kinds = [\"school\"]",
            "kinds = [\"community_centre\", \"place_of_worship\"]",
        )
        .replace(
            "name = \"school\"",
            "name = \"school\"\npause_in_school_holidays = true",
        );
    let sc = Scenario::parse(&text, None).unwrap();
    let plan = tournee_pipeline::plan(&sc, &t, &NoProgress).unwrap().plan;
    let dates: Vec<String> = plan.routes.iter().map(|r| r.date.to_string()).collect();
    assert_eq!(dates, vec!["2027-03-01", "2027-03-15"]);
    let paused = plan
        .unplaced
        .iter()
        .filter(|u| u.date == Some("2027-03-08".parse().unwrap()))
        .collect::<Vec<_>>();
    assert!(paused
        .iter()
        .any(|u| u.commune.is_none() && u.reason.contains("vacances scolaires")));
    // The visit the pause cancels is reported for its commune.
    assert!(paused
        .iter()
        .any(|u| u.commune.is_some() && u.reason.contains("vacances scolaires")));
    // A route planned in the holidays is caught.
    let mut p = plan.clone();
    p.routes[0].date = "2027-03-08".parse().unwrap();
    p.routes[0].week = 1;
    assert!(rules_broken(&p, &t, &sc).contains(&"holiday"));
}

#[test]
fn a_heavy_vehicle_goes_out_only_with_a_licensed_driver() {
    let t = territory();
    // A 7 t bus: only C can drive it (C1), and only on Mondays and Tuesdays.
    let text = BASE
        .replace(
            "depot = \"d\"\n[[mediators]]",
            "depot = \"d\"\ngross_weight_tonnes = 7\n[[mediators]]",
        )
        .replace("cycle_weeks = 4", "cycle_weeks = 1")
        .replace("holidays = [\"2027-03-03\"]", "")
        + "[[mediators]]\nid = \"c\"\nname = \"C\"\nbase = \"d\"\nlicences = [\"B\", \"C1\"]\ndays = [\"mon\", \"tue\"]\n";
    let sc = Scenario::parse(&text, None).unwrap();
    assert!(sc.vehicles[0].is_heavy());
    let prepared = tournee_pipeline::prepare(&sc, &t, &NoProgress).unwrap();
    let inst = prepared.instance(&sc);
    let constructed = greedy::solve(&inst, &NoProgress);
    let improved = local::improve(&inst, constructed.clone(), &NoProgress);
    let optimal = exact::solve(&inst).unwrap().plan;
    for (name, plan) in [
        ("greedy", &constructed),
        ("local", &improved),
        ("exact", &optimal),
    ] {
        assert!(rules_broken(plan, &t, &sc).is_empty(), "{name}");
        assert!(!plan.routes.is_empty(), "{name}");
        for r in &plan.routes {
            assert!(r.crew.contains(&"c".to_string()), "{name}: {:?}", r.crew);
            assert_ne!(r.weekday, tournee_model::Weekday::Wed, "{name}");
        }
    }
    // Wednesday: no driver, and the plan says so.
    assert!(constructed
        .unplaced
        .iter()
        .any(|u| u.reason.contains("permis C1")));
    // The checker catches a crew without a driver, and too long a drive.
    let mut p = optimal.clone();
    p.routes[0].crew = vec!["a".into(), "b".into()];
    assert!(rules_broken(&p, &t, &sc).contains(&"licence"));
    let mut p = optimal.clone();
    p.routes[0].visits[0].drive_from_previous = tournee_model::Seconds(5 * 3600);
    assert!(rules_broken(&p, &t, &sc).contains(&"driving time"));
    // The light vehicle of the same scenario is not concerned.
    let light = Scenario::parse(&text.replace("gross_weight_tonnes = 7\n", ""), None).unwrap();
    let mut p = tournee_pipeline::plan(&light, &t, &NoProgress)
        .unwrap()
        .plan;
    assert!(rules_broken(&p, &t, &light).is_empty());
    p.routes[0].visits[0].drive_from_previous = tournee_model::Seconds(5 * 3600);
    assert!(!rules_broken(&p, &t, &light).contains(&"driving time"));
}

#[test]
fn repeat_factors_value_second_reaches_everywhere_and_the_bound_stays_above() {
    let t = territory();
    // A wide radius: every site reaches most villages, so repeats matter.
    let text = BASE
        .replace("radius_minutes = 3", "radius_minutes = 5")
        .replace("cycle_weeks = 4", "cycle_weeks = 2")
        + "[objective]\nrepeat_period = \"week\"\nrepeat_factors = [0.5, 0.25]\n";
    let sc = Scenario::parse(&text, None).unwrap();
    let plain = Scenario::parse(
        &text.replace("repeat_factors = [0.5, 0.25]", "repeat_factors = []"),
        None,
    )
    .unwrap();
    let prepared = tournee_pipeline::prepare(&sc, &t, &NoProgress).unwrap();
    let inst = prepared.instance(&sc);
    let constructed = greedy::solve(&inst, &NoProgress);
    let improved = local::improve(&inst, constructed.clone(), &NoProgress);
    let optimal = exact::solve(&inst).unwrap().plan;
    let bound = bound::upper_bound(&inst, false).unwrap().value;
    for (name, plan) in [
        ("greedy", &constructed),
        ("local", &improved),
        ("exact", &optimal),
    ] {
        assert!(rules_broken(plan, &t, &sc).is_empty(), "{name}");
        // The objective from the visits' own reach lists: a place reached n times
        // in a week earns 1, 1.5, 1.75, 1.75… times its population.
        let mut count: std::collections::BTreeMap<(u32, OsmRef), (u32, u32)> = Default::default();
        for (r, v) in plan.visits() {
            for p in &v.reaches {
                count.entry((r.week, p.osm)).or_insert((0, p.population)).0 += 1;
            }
        }
        let share = |n: u32| [0.0, 1.0, 1.5, 1.75][n.min(3) as usize];
        let expected: f64 = count
            .values()
            .map(|&(n, pop)| pop as f64 * share(n))
            .sum::<f64>()
            / 2.0;
        let claimed = plan.summary.reachable_population_per_week;
        assert!(
            (claimed - expected).abs() < 1e-6,
            "{name}: {claimed} vs {expected}"
        );
        assert!(
            count.values().any(|&(n, _)| n > 1),
            "{name}: no repeat at all"
        );
        // Without the factors, the same plan is worth less.
        let without = tournee_pipeline::check_with(plan, &t, &plain).reachable_population_per_week;
        assert!(without + 1.0 < claimed, "{name}: {without} vs {claimed}");
        // Inhabitants are people: counted once a week, repeats or not.
        let inhabitants = plan.summary.reachable_inhabitants_per_week;
        assert!(
            (inhabitants - without).abs() < 1e-6,
            "{name}: {inhabitants} vs {without}"
        );
        assert!(
            bound + 1e-6 >= claimed,
            "{name}: bound {bound} below {claimed}"
        );
    }
    assert!(
        optimal.summary.reachable_population_per_week + 1e-6
            >= improved.summary.reachable_population_per_week
    );
}

#[test]
fn a_promise_may_name_its_commune_by_insee_code() {
    let mut t = territory();
    t.map.places[7].insee = Some("16007".into());
    let sc =
        scenario("[[promises]]\ncommune = \"16007\"\nfrequency = \"weekly\"\nslot = \"matin\"\n");
    let plan = tournee_pipeline::plan(&sc, &t, &NoProgress).unwrap().plan;
    assert!(rules_broken(&plan, &t, &sc).is_empty());
    let visits = visits_at(&plan, hall());
    sc.promises[0].verdict(4, &visits).unwrap();
    // Broken, it is reported and checked under the commune's name.
    let mut p = plan.clone();
    for r in &mut p.routes {
        r.visits.retain(|v| v.site != hall());
    }
    let v = tournee_pipeline::check_with(&p, &t, &sc);
    assert!(v
        .violations
        .iter()
        .any(|v| v.rule == "promise" && v.message.contains("Village 7")));
}
