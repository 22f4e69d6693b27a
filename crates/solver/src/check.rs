//! The independent checker: re-validates a plan against the scenario and the road
//! graph. It recomputes every drive with its own shortest-path searches (never the
//! optimiser's travel table) and recomputes the objective from scratch.
//!
//! Checked: the plan is for this scenario's cycle; every route belongs to a vehicle
//! that runs that day (not a holiday, not in maintenance), leaves from and returns to
//! its depot within its hours; every visit is in a scenario slot, at an existing,
//! open, snapped and usable site (market hours, school and church rules), with the
//! drive from the previous point fitting before set-up; no vehicle, site-slot or
//! mediator is booked twice; every crew is large enough, of mediators of that depot
//! who work that day, within their daily and weekly hours and with 11 h of rest,
//! with a driver holding the vehicle's licence (C1 or C over 3.5 t), and a vehicle
//! over 3.5 t keeps the EU driving time (9 h a day, 4 h 30 without a break);
//! every promise is kept (frequency, min/max visits, stable weekday and slot, over
//! the stops at sites in the commune) or declared not kept in `Plan::unplaced`;
//! the summary's objective, distance and driving match the recomputed ones.
//!
//! Travel modes: a route's mode is its vehicle's (and the route must say the same).
//! A car's legs are recomputed on the car graph and its stops reach who drives to
//! them within `reach.radius_minutes`; a cargo bike's legs on the bike graph and
//! its stops reach who walks to them (foot graph) within `reach.walk_minutes`. A
//! car never uses the bike graph, nor a bike the car graph.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use chrono::{Datelike, Duration, NaiveDate};
use tournee_i18n::tr;
use tournee_model::availability::SiteRule;
use tournee_model::scenario::{DEPOT_MAX_SNAP_METERS, PLACE_MAX_SNAP_METERS};
use tournee_model::{
    DayRoute, LonLat, Meters, OsmRef, Place, Plan, Scenario, Seconds, Site, TravelMode, Weekday,
};
use tournee_routing::{Direction, NodeIdx, RoadGraph, ShortestPaths};

/// What the checker reads: the scenario and a fresh import of its territory.
pub struct CheckInput<'a> {
    pub scenario: &'a Scenario,
    /// The car graph: legs of cars, and who drives to a car's stop.
    pub graph: &'a RoadGraph,
    /// The cargo-bike graph (legs of cargo bikes) and the foot graph (who walks to a
    /// cargo bike's stop), built from the same map; `None` when the scenario has no
    /// cargo bike (then a cargo-bike route is rejected).
    pub bike: Option<Arc<RoadGraph>>,
    pub foot: Option<Arc<RoadGraph>>,
    /// All candidate sites of the territory.
    pub sites: &'a [Site],
    pub places: &'a [Place],
}

impl CheckInput<'_> {
    /// The graph a vehicle of this mode travels on (a car never on the bike graph,
    /// a bike never on the car graph).
    pub fn graph_for(&self, mode: TravelMode) -> Option<&RoadGraph> {
        match mode {
            TravelMode::Car => Some(self.graph),
            TravelMode::CargoBike => self.bike.as_deref(),
        }
    }

    /// The graph residents travel on to a stop of a vehicle of this mode, and how
    /// long they may take.
    pub fn reach_graph(&self, mode: TravelMode) -> Option<(&RoadGraph, Seconds)> {
        let radius = self.scenario.reach.radius_for(mode);
        match mode {
            TravelMode::Car => Some((self.graph, radius)),
            TravelMode::CargoBike => self.foot.as_deref().map(|g| (g, radius)),
        }
    }
}

/// One broken rule, with where.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Violation {
    /// "bus-1 2027-01-05" or "plan" (in the user's language).
    pub at: String,
    /// The rule's identifier ("double booking"); [`Violation::rule_label`] is what
    /// users read.
    pub rule: &'static str,
    /// In the user's language (the catalogue's `check-…` messages).
    pub message: String,
}

impl Violation {
    /// The rule's name in the user's language (`check-rule-…` in the catalogue).
    pub fn rule_label(&self) -> String {
        rule_label(self.rule)
    }
}

/// The catalogue key of a rule's name.
pub(crate) fn rule_key(rule: &str) -> String {
    format!("check-rule-{}", rule.replace(' ', "-"))
}

/// A rule's name in the user's language; the identifier itself if the catalogue
/// lacks it.
pub fn rule_label(rule: &str) -> String {
    let key = rule_key(rule);
    if tournee_i18n::has(tournee_i18n::Lang::Fr, &key) {
        tournee_i18n::message(&key, &[])
    } else {
        rule.to_string()
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CheckReport {
    pub violations: Vec<Violation>,
    pub routes: usize,
    pub visits: usize,
    /// The objective as the checker computes it.
    pub reachable_population_per_week: f64,
    pub distance: Meters,
    pub driving: Seconds,
}

impl CheckReport {
    pub fn is_ok(&self) -> bool {
        self.violations.is_empty()
    }
}

struct Checker<'a> {
    input: &'a CheckInput<'a>,
    violations: Vec<Violation>,
    forward: HashMap<(TravelMode, NodeIdx), ShortestPaths>,
}

impl Checker<'_> {
    fn fail(&mut self, at: &str, rule: &'static str, message: String) {
        debug_assert!(
            tournee_i18n::has(tournee_i18n::Lang::Fr, &rule_key(rule)),
            "no label for the rule {rule}"
        );
        self.violations.push(Violation {
            at: at.to_string(),
            rule,
            message,
        });
    }

    fn drive(&mut self, mode: TravelMode, from: LonLat, to: LonLat) -> Option<(Seconds, Meters)> {
        let input = self.input;
        let g = input.graph_for(mode)?;
        let (a, b) = (g.snap(from).node, g.snap(to).node);
        self.forward
            .entry((mode, a))
            .or_insert_with(|| g.shortest_paths(a, Direction::Forward, None))
            .get(b)
    }
}

/// The territory's sites and `added`, those the scenario adds by coordinates
/// (`Scenario::added_sites`), by reference.
pub(crate) fn sites_by_ref<'s>(
    input: &CheckInput<'s>,
    added: &'s [Site],
) -> HashMap<OsmRef, &'s Site> {
    input
        .sites
        .iter()
        .chain(added)
        .map(|s| (s.osm, s))
        .collect()
}

/// Re-validates `plan`. Never panics on a plan read from an untrusted file.
pub fn check(plan: &Plan, input: &CheckInput) -> CheckReport {
    let sc = input.scenario;
    let mut c = Checker {
        input,
        violations: Vec::new(),
        forward: HashMap::new(),
    };
    if plan.start_date != sc.start_date || plan.cycle_weeks != sc.cycle_weeks {
        c.fail(
            &tr!("check-at-plan"),
            "cycle",
            tr!(
                "check-cycle-mismatch",
                plan_weeks = plan.cycle_weeks,
                plan_start = plan.start_date.to_string(),
                weeks = sc.cycle_weeks,
                start = sc.start_date.to_string()
            ),
        );
    }
    let added = sc.added_sites(input.places);
    let sites = sites_by_ref(input, &added);
    let mut vehicle_days = HashSet::new();
    let mut site_slots = HashSet::new();
    let mut mediator_days: BTreeMap<&str, BTreeMap<NaiveDate, &DayRoute>> = BTreeMap::new();
    let mut distance = Meters::ZERO;
    let mut driving = Seconds::ZERO;
    for r in &plan.routes {
        let at = format!("{} {}", r.vehicle, r.date);
        if !vehicle_days.insert((r.vehicle.as_str(), r.date)) {
            c.fail(&at, "double booking", tr!("check-vehicle-twice"));
        }
        check_route_frame(&mut c, r, &at);
        let (d, t) = check_route_legs(&mut c, r, &at, &sites);
        distance += d;
        driving += t;
        for v in &r.visits {
            if !site_slots.insert((r.date, v.slot.as_str(), v.site)) {
                c.fail(
                    &at,
                    "double booking",
                    tr!(
                        "check-site-twice",
                        site = &v.site_name,
                        osm = v.site.to_string(),
                        slot = &v.slot
                    ),
                );
            }
        }
        for m in &r.crew {
            if mediator_days
                .entry(m.as_str())
                .or_default()
                .insert(r.date, r)
                .is_some()
            {
                c.fail(
                    &at,
                    "double booking",
                    tr!("check-mediator-twice", mediator = m.as_str()),
                );
            }
        }
    }
    check_mediators(&mut c, &mediator_days);
    c.violations
        .extend(crate::check_home::check_home(plan, input));
    c.violations
        .extend(crate::check_rules::check_promises(plan, input, &sites));
    c.violations
        .extend(crate::check_rules::check_rules(plan, input, &sites));
    let objective = recompute_objective(&mut c, plan, &sites);
    let claimed = plan.summary.reachable_population_per_week;
    if (objective - claimed).abs() > 1e-6 * objective.abs().max(1.0) {
        c.fail(
            &tr!("check-at-plan"),
            "objective",
            tr!(
                "check-objective-mismatch",
                claimed = tournee_i18n::decimal(claimed, 3),
                found = tournee_i18n::decimal(objective, 3)
            ),
        );
    }
    if plan.summary.distance != distance || plan.summary.driving != driving {
        c.fail(
            &tr!("check-at-plan"),
            "summary",
            tr!(
                "check-summary-mismatch",
                distance = plan.summary.distance.to_string(),
                driving = plan.summary.driving.to_string(),
                real_distance = distance.to_string(),
                real_driving = driving.to_string()
            ),
        );
    }
    CheckReport {
        routes: plan.routes.len(),
        visits: plan.routes.iter().map(|r| r.visits.len()).sum(),
        violations: c.violations,
        reachable_population_per_week: objective,
        distance,
        driving,
    }
}

/// Vehicle, day and depot rules of one route.
fn check_route_frame(c: &mut Checker, r: &DayRoute, at: &str) {
    let sc = c.input.scenario;
    let Some(vehicle) = sc.vehicle(&r.vehicle) else {
        c.fail(at, "vehicle", tr!("check-no-vehicle", vehicle = &r.vehicle));
        return;
    };
    match sc.week_of(r.date) {
        Some(w) if w == r.week => {}
        _ => c.fail(
            at,
            "cycle",
            tr!(
                "check-not-in-week",
                date = r.date.to_string(),
                week = r.week
            ),
        ),
    }
    if Weekday::from_chrono(r.date.weekday()) != r.weekday {
        c.fail(
            at,
            "cycle",
            tr!(
                "check-not-weekday",
                date = r.date.to_string(),
                weekday = r.weekday.name()
            ),
        );
    }
    if !sc.days.contains(&r.weekday) || !vehicle.runs_on(sc, r.weekday) {
        c.fail(
            at,
            "vehicle days",
            tr!(
                "check-vehicle-not-running",
                vehicle = &r.vehicle,
                weekday = r.weekday.name()
            ),
        );
    }
    if sc.is_holiday(r.date) {
        c.fail(
            at,
            "holiday",
            tr!("check-holiday", date = r.date.to_string()),
        );
    } else if sc.pause_in_school_holidays && sc.is_school_holiday(r.date) {
        c.fail(
            at,
            "holiday",
            tr!("check-school-holiday", date = r.date.to_string()),
        );
    }
    if vehicle.unavailable.contains(&r.date) {
        c.fail(
            at,
            "maintenance",
            tr!(
                "check-vehicle-unavailable",
                vehicle = &r.vehicle,
                date = r.date.to_string()
            ),
        );
    }
    if r.mode != vehicle.mode {
        c.fail(
            at,
            "mode",
            tr!(
                "check-mode-mismatch",
                route_mode = r.mode.as_str(),
                vehicle = &vehicle.id,
                mode = vehicle.mode.as_str()
            ),
        );
    }
    if r.depot != vehicle.depot {
        c.fail(
            at,
            "depot",
            tr!(
                "check-depot-mismatch",
                route_depot = &r.depot,
                depot = &vehicle.depot
            ),
        );
    }
    if r.depart < vehicle.earliest_departure || r.back > vehicle.latest_return || r.back < r.depart
    {
        c.fail(
            at,
            "vehicle hours",
            tr!(
                "check-vehicle-hours",
                depart = r.depart.to_string(),
                back = r.back.to_string(),
                earliest = vehicle.earliest_departure.to_string(),
                latest = vehicle.latest_return.to_string()
            ),
        );
    }
    if r.crew.len() < vehicle.crew_size as usize
        || r.crew.iter().collect::<HashSet<_>>().len() != r.crew.len()
    {
        c.fail(
            at,
            "crew size",
            tr!(
                "check-crew-size",
                size = vehicle.crew_size,
                crew = r.crew.join(", ")
            ),
        );
    }
    if !r
        .crew
        .iter()
        .filter_map(|m| sc.mediator(m))
        .any(|m| m.can_drive(vehicle))
    {
        c.fail(
            at,
            "licence",
            tr!(
                "check-no-licence",
                crew = r.crew.join(", "),
                licence = vehicle.licence_needed().to_string(),
                vehicle = &vehicle.id
            ),
        );
    }
    let legs: Vec<Seconds> = r
        .visits
        .iter()
        .map(|v| v.drive_from_previous)
        .chain([r.drive_back])
        .collect();
    // Each licensed crew member may take the wheel at a stop.
    let drivers = r
        .crew
        .iter()
        .filter_map(|m| sc.mediator(m))
        .filter(|m| m.can_drive(vehicle))
        .count();
    if let Err(why) = vehicle.driving_rules(&legs, drivers) {
        c.fail(
            at,
            "driving time",
            tr!("check-driving-time", vehicle = &vehicle.id, why = why),
        );
    }
    for m in &r.crew {
        match sc.mediator(m) {
            None => c.fail(at, "crew", tr!("check-no-mediator", mediator = m)),
            Some(med) => {
                if med.base != vehicle.depot {
                    c.fail(
                        at,
                        "crew",
                        tr!(
                            "check-mediator-base",
                            mediator = m,
                            base = &med.base,
                            depot = &vehicle.depot
                        ),
                    );
                }
                if !med.works_on(sc, r.weekday) || med.leave.contains(&r.date) {
                    c.fail(
                        at,
                        "crew",
                        tr!(
                            "check-mediator-not-working",
                            mediator = m,
                            date = r.date.to_string()
                        ),
                    );
                }
                let hours = r.duration().as_hours_f64();
                if hours > med.max_hours_per_day + 1e-9 {
                    c.fail(
                        at,
                        "daily hours",
                        tr!(
                            "check-daily-hours",
                            mediator = m,
                            hours = tournee_i18n::decimal(hours, 2),
                            max = med.max_hours_per_day
                        ),
                    );
                }
            }
        }
    }
}

/// Slots, sites and drive times of one route; returns its recomputed distance and
/// driving time.
fn check_route_legs(
    c: &mut Checker,
    r: &DayRoute,
    at: &str,
    sites: &HashMap<OsmRef, &Site>,
) -> (Meters, Seconds) {
    let sc = c.input.scenario;
    let setup = sc.setup();
    let Some(depot) = sc.depot(&r.depot) else {
        c.fail(at, "depot", tr!("check-no-depot", depot = &r.depot));
        return (Meters::ZERO, Seconds::ZERO);
    };
    let mode = sc.vehicle(&r.vehicle).map_or(TravelMode::Car, |v| v.mode);
    let input = c.input;
    let Some(graph) = input.graph_for(mode) else {
        c.fail(
            at,
            "mode",
            tr!("check-no-graph", vehicle = &r.vehicle, mode = mode.as_str()),
        );
        return (Meters::ZERO, Seconds::ZERO);
    };
    let depot_snap = graph.snap(depot.location());
    if depot_snap.distance.0 > DEPOT_MAX_SNAP_METERS {
        c.fail(
            at,
            "depot",
            tr!(
                "check-depot-far",
                depot = &depot.id,
                distance = depot_snap.distance.to_string()
            ),
        );
    }
    let mut prev = depot.location();
    let mut ready = r.depart;
    let mut last_slot: Option<usize> = None;
    let (mut distance, mut driving) = (Meters::ZERO, Seconds::ZERO);
    for v in &r.visits {
        let Some(slot_idx) = sc.slots.iter().position(|s| s.name == v.slot) else {
            c.fail(at, "slot", tr!("check-no-slot", slot = &v.slot));
            continue;
        };
        let slot = &sc.slots[slot_idx];
        if last_slot.is_some_and(|l| l >= slot_idx) {
            c.fail(at, "slot", tr!("check-slot-order", slot = &v.slot));
        }
        let slot_before = last_slot;
        last_slot = Some(slot_idx);
        if v.start != slot.start || v.end != slot.end || v.leave < v.end + setup {
            c.fail(
                at,
                "slot",
                tr!(
                    "check-slot-mismatch",
                    start = v.start.to_string(),
                    end = v.end.to_string(),
                    leave = v.leave.to_string(),
                    slot = &slot.name,
                    slot_start = slot.start.to_string(),
                    slot_end = slot.end.to_string(),
                    setup = sc.setup_minutes
                ),
            );
        }
        let Some(site) = sites.get(&v.site) else {
            c.fail(
                at,
                "site",
                tr!(
                    "check-site-unknown",
                    site = &v.site_name,
                    osm = v.site.to_string()
                ),
            );
            continue;
        };
        if !sc.sites.allows(site.kind) || sc.sites.closed.contains(&site.osm) {
            c.fail(
                at,
                "site",
                tr!(
                    "check-site-excluded",
                    site = &site.name,
                    osm = site.osm.to_string()
                ),
            );
        }
        let snap = graph.snap(site.location);
        if snap.distance.0 > sc.sites.max_snap_meters {
            c.fail(
                at,
                "site",
                tr!(
                    "check-site-far",
                    site = &site.name,
                    distance = snap.distance.to_string(),
                    max = sc.sites.max_snap_meters
                ),
            );
        }
        if let Err(why) =
            SiteRule::for_scenario(site, sc).usable(r.date, slot.start - setup, slot.end + setup)
        {
            c.fail(
                at,
                "site hours",
                tr!(
                    "check-site-hours",
                    site = &site.name,
                    slot = &slot.name,
                    why = why.to_string()
                ),
            );
        }
        match c.drive(mode, prev, site.location) {
            None => c.fail(at, "drive", tr!("check-unreachable", site = &site.name)),
            Some((t, d)) => {
                if t.0.abs_diff(v.drive_from_previous.0) > 1
                    || d.0.abs_diff(v.distance_from_previous.0) > 1
                {
                    c.fail(
                        at,
                        "drive",
                        tr!(
                            "check-drive-claimed",
                            site = &site.name,
                            time = v.drive_from_previous.to_string(),
                            distance = v.distance_from_previous.to_string(),
                            real_time = t.to_string(),
                            real_distance = d.to_string()
                        ),
                    );
                }
                // The lunch break between a morning and an afternoon stop, beside
                // the drive (`model::lunch`).
                let lunch = slot_before.map_or(Seconds::ZERO, |b| {
                    tournee_model::lunch::between(sc, &sc.slots[b], slot)
                });
                if lunch > Seconds::ZERO && ready + t + lunch > slot.start - setup {
                    c.fail(
                        at,
                        "lunch",
                        format!(
                            "leaves at {ready}, {t} of driving to {}: less than the {} min \
                             lunch break before set-up at {}",
                            site.name,
                            sc.lunch_minutes,
                            slot.start - setup
                        ),
                    );
                }
                if ready + t > v.arrive || v.arrive > slot.start - setup {
                    c.fail(
                        at,
                        "drive",
                        tr!(
                            "check-too-late",
                            site = &site.name,
                            arrive = v.arrive.to_string(),
                            drive = t.to_string(),
                            ready = ready.to_string(),
                            setup = (slot.start - setup).to_string()
                        ),
                    );
                }
                distance += v.distance_from_previous;
                driving += v.drive_from_previous;
            }
        }
        prev = site.location;
        ready = v.leave;
    }
    match c.drive(mode, prev, depot.location()) {
        None => c.fail(at, "drive", tr!("check-no-way-back")),
        Some((t, d)) => {
            if t.0.abs_diff(r.drive_back.0) > 1 || d.0.abs_diff(r.distance_back.0) > 1 {
                c.fail(
                    at,
                    "drive",
                    tr!(
                        "check-back-claimed",
                        time = r.drive_back.to_string(),
                        distance = r.distance_back.to_string(),
                        real_time = t.to_string(),
                        real_distance = d.to_string()
                    ),
                );
            }
            if ready + t > r.back {
                c.fail(
                    at,
                    "drive",
                    tr!(
                        "check-back-too-early",
                        back = r.back.to_string(),
                        ready = ready.to_string(),
                        drive = t.to_string()
                    ),
                );
            }
        }
    }
    (distance + r.distance_back, driving + r.drive_back)
}

/// Weekly hours and daily rest of every mediator.
fn check_mediators(c: &mut Checker, days: &BTreeMap<&str, BTreeMap<NaiveDate, &DayRoute>>) {
    let sc = c.input.scenario;
    for (m, by_date) in days {
        let Some(med) = sc.mediator(m) else { continue };
        let mut weeks: BTreeMap<u32, f64> = BTreeMap::new();
        for (date, r) in by_date {
            *weeks.entry(r.week).or_default() += r.duration().as_hours_f64();
            if let Some(next) = by_date.get(&(*date + Duration::days(1))) {
                let rest = 24 * 3600 - r.back.0 + next.depart.0;
                if rest < 11 * 3600 {
                    c.fail(
                        &format!("{m} {date}"),
                        "daily rest",
                        tr!(
                            "check-daily-rest",
                            mediator = *m,
                            hours = tournee_i18n::decimal(rest as f64 / 3600.0, 1),
                            next = next.date.to_string(),
                            min = 11
                        ),
                    );
                }
            }
        }
        for (w, hours) in weeks {
            if hours > med.max_hours_per_week + 1e-9 {
                c.fail(
                    &tr!("check-at-week", who = *m, week = w + 1),
                    "weekly hours",
                    tr!(
                        "check-weekly-hours",
                        mediator = *m,
                        hours = tournee_i18n::decimal(hours, 2),
                        week = w + 1,
                        max = med.max_hours_per_week
                    ),
                );
            }
        }
    }
}

/// Σ over periods (the cycle, or each week: `Objective::repeat_period`) of the
/// value of places reached in the period, over the number of weeks.
fn recompute_objective(c: &mut Checker, plan: &Plan, sites: &HashMap<OsmRef, &Site>) -> f64 {
    let sc = c.input.scenario;
    let input = c.input;
    let place_communes = tournee_model::commune::place_communes(input.places);
    // Places snapped on each reach graph (the car graph, the foot graph).
    let mut place_nodes: HashMap<TravelMode, Vec<Option<NodeIdx>>> = HashMap::new();
    // Per stop, the places it reaches and their share (`Reach::share`, the rule of
    // the scenario, for a drive; in full within the walk for a cargo bike's stop),
    // from the checker's own searches.
    let mut reach_cache: HashMap<(TravelMode, OsmRef), Vec<(usize, f64)>> = HashMap::new();
    // Shares of the stops reaching each place, per period.
    let mut reached: BTreeMap<usize, BTreeMap<usize, Vec<f64>>> = BTreeMap::new();
    for r in &plan.routes {
        let mode = sc.vehicle(&r.vehicle).map_or(TravelMode::Car, |v| v.mode);
        // A route without its graph is already rejected; it reaches nobody.
        let Some((g, radius)) = input.reach_graph(mode) else {
            continue;
        };
        let place_nodes = place_nodes.entry(mode).or_insert_with(|| {
            input
                .places
                .iter()
                .map(|p| {
                    let s = g.snap(p.location);
                    (s.distance.0 <= PLACE_MAX_SNAP_METERS).then_some(s.node)
                })
                .collect()
        });
        for v in &r.visits {
            let Some(site) = sites.get(&v.site) else {
                continue;
            };
            let places = reach_cache.entry((mode, v.site)).or_insert_with(|| {
                let sp = g.shortest_paths(
                    g.snap(site.location).node,
                    Direction::Backward,
                    Some(radius),
                );
                place_nodes
                    .iter()
                    .enumerate()
                    .filter_map(|(i, n)| {
                        let (t, _) = sp.get((*n)?)?;
                        let own =
                            tournee_model::commune::same_commune(&site.commune, &place_communes[i]);
                        let share = match mode {
                            TravelMode::Car => sc.reach.share_at(t, own),
                            TravelMode::CargoBike => sc.reach.walking().share(t),
                        };
                        (t <= radius && share > 0.0).then_some((i, share))
                    })
                    .collect()
            });
            let week = reached.entry(sc.objective.period_of(r.week)).or_default();
            for &(p, share) in places.iter() {
                week.entry(p).or_default().push(share);
            }
        }
    }
    let value = |i: usize| {
        let p = &c.input.places[i];
        p.population.0 as f64 * sc.objective.weight_of(&p.name, p.insee.as_deref())
    };
    // The best share counts in full, each further one its repeat factor
    // (`Objective::weekly_value`).
    reached
        .into_values()
        .map(|mut week| {
            week.iter_mut()
                .map(|(&i, shares)| value(i) * sc.objective.weekly_value(shares))
                .sum::<f64>()
        })
        .sum::<f64>()
        / sc.cycle_weeks.max(1) as f64
}
