//! Home visits end to end on the demo territory (`scenarios/home-visits.toml`):
//! planned and checked; the checker rejects hand-broken plans;
//! on a small case the TOPTW's result is the brute-force optimum.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use tournee_model::home::NOT_VISITED;
use tournee_model::{NoProgress, Plan, Scenario, TimeOfDay, Weekday};
use tournee_pipeline::{check_with, plan, Territory};

fn scenario() -> Scenario {
    Scenario::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/home-visits.toml"))
        .unwrap()
}

fn territory() -> &'static Territory {
    static T: OnceLock<Territory> = OnceLock::new();
    T.get_or_init(|| Territory::load(&scenario().pbf_path(), &NoProgress).unwrap())
}

fn planned() -> &'static (Scenario, Plan) {
    static P: OnceLock<(Scenario, Plan)> = OnceLock::new();
    P.get_or_init(|| {
        let sc = scenario();
        let out = plan(&sc, territory(), &NoProgress).unwrap();
        (sc, out.plan)
    })
}

fn unplaced_reason<'a>(plan: &'a Plan, request: &str) -> Option<&'a str> {
    plan.unplaced
        .iter()
        .find(|u| u.request.as_deref() == Some(request))
        .map(|u| u.reason.as_str())
}

#[test]
fn home_visits_are_planned_within_the_radius_and_checked() {
    let (sc, p) = planned();
    let h = &sc.home_visits[0];
    let base = sc.home_base(h).unwrap().location();
    assert!(!p.home_visits.is_empty());
    let stops: Vec<_> = p.home_visits.iter().flat_map(|d| &d.stops).collect();
    assert!(stops.len() >= 5, "{} visits", stops.len());
    for s in &stops {
        assert!(
            base.distance_m(&s.location) <= h.radius_m(),
            "{}",
            s.request
        );
    }
    let report = check_with(p, territory(), sc);
    assert!(report.is_ok(), "{:?}", report.violations);
    // The two homes beyond 15 km are declared, with the reason.
    for far in ["d15", "d16"] {
        let why = unplaced_reason(p, far).unwrap_or_else(|| panic!("{far} not declared"));
        assert!(
            why.starts_with(NOT_VISITED) && why.contains("hors du rayon"),
            "{why}"
        );
    }
    // Available only in the evening: never within the mediator's day.
    assert!(unplaced_reason(p, "d17").unwrap().contains("disponibilité"));
    // Every request is visited once or declared.
    for r in h.request_list() {
        let visits = stops.iter().filter(|s| s.request == r.id).count();
        let declared = unplaced_reason(p, &r.id).is_some();
        assert_eq!(visits + usize::from(declared), 1, "{}", r.id);
    }
    // Farid crews no bus on his home-visit days; Wednesday 10 March is a holiday.
    for r in &p.routes {
        if h.days.contains(&r.weekday) {
            assert!(!r.crew.contains(&h.mediator), "{} {}", r.vehicle, r.date);
        }
    }
    assert!(p.routes.iter().any(|r| r.crew.contains(&h.mediator)));
    let holiday = "2027-03-10".parse().unwrap();
    assert!(p.home_visits.iter().all(|d| d.date != holiday));
    assert!(p
        .unplaced
        .iter()
        .any(|u| u.date == Some(holiday) && u.mediator.as_deref() == Some("farid")));
    // Availability windows are kept: "am" visits end by 12:30.
    for d in &p.home_visits {
        assert!(d.depart >= h.start && d.back <= h.end);
        for s in &d.stops {
            if s.request == "d02" || s.request == "d13" {
                assert!(
                    s.end <= TimeOfDay::hm(12, 30),
                    "{} ends {}",
                    s.request,
                    s.end
                );
            }
        }
    }
    let summary = p.summary.home.as_ref().unwrap();
    assert_eq!(summary.requests, 17);
    assert_eq!(summary.served, stops.len());
}

fn rules(p: &Plan, sc: &Scenario) -> Vec<&'static str> {
    check_with(p, territory(), sc)
        .violations
        .iter()
        .map(|v| v.rule)
        .collect()
}

#[test]
fn the_checker_rejects_broken_home_visits() {
    let (sc, good) = planned();
    assert!(rules(good, sc).is_empty());
    let busiest = good
        .home_visits
        .iter()
        .enumerate()
        .max_by_key(|(_, d)| d.stops.len())
        .map(|(i, _)| i)
        .unwrap();
    assert!(good.home_visits[busiest].stops.len() >= 2);

    // A visit dropped without being declared.
    let mut p = good.clone();
    p.home_visits[busiest].stops.pop();
    assert!(rules(&p, sc).contains(&"request not declared"));

    // A drive shorter than the road allows.
    let mut p = good.clone();
    p.home_visits[busiest].stops[1].drive_from_previous.0 /= 2;
    assert!(rules(&p, sc).contains(&"drive"));

    // A visit started before the person is available ("am" visit moved to 14:00).
    let mut p = good.clone();
    let d = &mut p.home_visits[busiest];
    let last = d.stops.len() - 1;
    d.stops[last].start = TimeOfDay::hm(17, 0);
    d.stops[last].end = TimeOfDay::hm(18, 0);
    assert!(rules(&p, sc).contains(&"time window"));

    // The same request visited twice.
    let mut p = good.clone();
    let again = p.home_visits[busiest].stops[0].clone();
    let other = (busiest + 1) % p.home_visits.len();
    p.home_visits[other].stops.push(again);
    assert!(rules(&p, sc).contains(&"request"));

    // A home-visit day on a day the mediator is on a bus.
    let mut p = good.clone();
    let bus_day = good
        .routes
        .iter()
        .find(|r| r.crew.contains(&"farid".to_string()))
        .unwrap();
    p.home_visits[0].date = bus_day.date;
    p.home_visits[0].week = bus_day.week;
    p.home_visits[0].weekday = bus_day.weekday;
    let r = rules(&p, sc);
    assert!(
        r.contains(&"double booking") && r.contains(&"home visit days"),
        "{r:?}"
    );

    // A request beyond a smaller radius; a day longer than the contract; a week
    // over the weekly hours (bus work included); the summary overstated.
    let mut small = sc.clone();
    small.home_visits[0].radius_km = 1.0;
    assert!(rules(good, &small).contains(&"radius"));
    let mut short = sc.clone();
    short
        .mediators
        .iter_mut()
        .find(|m| m.id == "farid")
        .unwrap()
        .max_hours_per_day = 1.0;
    assert!(rules(good, &short).contains(&"daily hours"));
    let mut week = sc.clone();
    let farid_week0: f64 = good
        .routes
        .iter()
        .filter(|r| r.week == 0 && r.crew.contains(&"farid".to_string()))
        .map(|r| r.duration().as_hours_f64())
        .sum();
    week.mediators
        .iter_mut()
        .find(|m| m.id == "farid")
        .unwrap()
        .max_hours_per_week = farid_week0 + 0.1;
    assert!(rules(good, &week).contains(&"weekly hours"));
    let mut p = good.clone();
    p.summary.home.as_mut().unwrap().served += 1;
    assert!(rules(&p, sc).contains(&"summary"));
}

/// Best total priority over `days` identical days `open`..`tmax`, by enumerating
/// every sequence of requests on one day, then every pair of disjoint sets.
fn brute_force(
    travel: &dyn Fn(usize, usize) -> u32,
    service: &[u32],
    window: &[(u32, u32)],
    priority: &[u32],
    open: u32,
    tmax: u32,
) -> u32 {
    let mut best_of_set: BTreeMap<u32, u32> = BTreeMap::new();
    /// Travel, service, windows, priorities, end of the day.
    type Ctx<'a> = (
        &'a dyn Fn(usize, usize) -> u32,
        &'a [u32],
        &'a [(u32, u32)],
        &'a [u32],
        u32,
    );
    fn walk(at: usize, t: u32, mask: u32, value: u32, ctx: &Ctx, best: &mut BTreeMap<u32, u32>) {
        let (travel, service, window, priority, tmax) = *ctx;
        if t + travel(at, 0) <= tmax {
            let e = best.entry(mask).or_insert(0);
            *e = (*e).max(value);
        } else {
            return;
        }
        for k in 0..service.len() {
            if mask & (1 << k) != 0 {
                continue;
            }
            let arrive = t + travel(at, k + 1);
            if arrive > window[k].1 {
                continue;
            }
            let start = arrive.max(window[k].0);
            walk(
                k + 1,
                start + service[k],
                mask | (1 << k),
                value + priority[k],
                ctx,
                best,
            );
        }
    }
    let ctx = (travel, service, window, priority, tmax);
    walk(0, open, 0, 0, &ctx, &mut best_of_set);
    let sets: Vec<(u32, u32)> = best_of_set.into_iter().collect();
    let mut best = 0;
    for &(a, va) in &sets {
        for &(b, vb) in &sets {
            if a & b == 0 {
                best = best.max(va + vb);
            }
        }
    }
    best
}

#[test]
fn on_a_small_case_the_toptw_finds_the_brute_force_optimum() {
    // One week: Monday and Wednesday mornings (08:30–12:30), Farid doing nothing
    // else, the eight nearest requests within reach: not all fit.
    let mut sc = scenario();
    sc.cycle_weeks = 1;
    sc.holidays.clear();
    let farid = sc.mediators.iter_mut().find(|m| m.id == "farid").unwrap();
    farid.days = Some(vec![Weekday::Mon, Weekday::Wed]);
    let h = &mut sc.home_visits[0];
    h.end = TimeOfDay::hm(12, 30);
    let keep = ["d01", "d02", "d03", "d04", "d05", "d06", "d07", "d08"];
    let list: Vec<_> = h
        .request_list()
        .iter()
        .filter(|r| keep.contains(&r.id.as_str()))
        .cloned()
        .collect();
    h.loaded = Some(list);
    sc.validate().unwrap();
    let out = plan(&sc, territory(), &NoProgress).unwrap();
    let served = out.plan.summary.home.as_ref().unwrap().priority_served;

    let h = &sc.home_visits[0];
    let table = tournee_pipeline::home::home_table(&sc, territory(), 0);
    let idx: Vec<usize> = table.table_index.iter().map(|i| i.unwrap()).collect();
    let node = |c: usize| if c == 0 { 0 } else { idx[c - 1] };
    let travel = |a: usize, b: usize| table.travel.get(node(a), node(b)).unwrap().0 .0;
    let reqs = h.request_list();
    let service: Vec<u32> = reqs.iter().map(|r| h.service(r).0).collect();
    let window: Vec<(u32, u32)> = reqs
        .iter()
        .map(|r| h.window(r).map_or((1, 0), |(a, b)| (a.0, b.0)))
        .collect();
    let priority: Vec<u32> = reqs.iter().map(|r| r.priority).collect();
    let optimum = brute_force(&travel, &service, &window, &priority, h.start.0, h.end.0);
    let total: u32 = priority.iter().sum();
    assert!(
        optimum < total,
        "the case must be tight: {optimum} of {total}"
    );
    assert_eq!(served, u64::from(optimum));
}
