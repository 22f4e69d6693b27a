//! The first constructive heuristic.
//!
//! Day by day through the cycle, vehicle by vehicle: repeatedly insert the (slot,
//! site) that adds the most weighted population not yet reached this week, among
//! the insertions that keep the day feasible (site usable on that date and slot,
//! drive times fit between slots, back at the depot in time, a crew can work that
//! long). Ties go to less driving. Then the crew is chosen among the mediators of
//! the vehicle's depot, balancing weekly hours.
//!
//! Promised visits come first: [`promises::reserve`] places them before the day
//! loop, each vehicle-day starts from its reserved stops, and sites of a commune
//! whose promise is stable or capped take no other stop. A crew always includes a
//! mediator who may drive the vehicle (`pick_crew`), and the day timing keeps
//! the EU driving time over 3.5 t. Gains count repeats with `repeat_factors`.
//!
//! Every vehicle-day that does not run says why in [`Plan::unplaced`], and every
//! promise not kept says why too.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, Duration, NaiveDate};
use tournee_model::availability::SiteRule;
use tournee_model::plan::Reached;
use tournee_model::scenario::{CycleDay, Mediator, Vehicle};
use tournee_model::{
    DayRoute, Meters, Plan, PlanSummary, Progress, Seconds, TimeOfDay, Unplaced, Visit, Weekday,
};

use crate::instance::Instance;
use crate::promises;
use crate::reach::{self, WeekShares};

/// Timing of a candidate day.
pub(crate) struct DayTiming {
    pub(crate) depart: TimeOfDay,
    pub(crate) back: TimeOfDay,
    /// (arrive, drive, distance) per stop, then the drive back.
    stops: Vec<(TimeOfDay, Seconds, Meters)>,
    back_leg: (Seconds, Meters),
}

impl DayTiming {
    pub(crate) fn driving(&self) -> u32 {
        self.stops.iter().map(|s| s.1 .0).sum::<u32>() + self.back_leg.0 .0
    }
}

/// Mediator bookkeeping across the cycle.
#[derive(Default)]
pub(crate) struct MediatorLog {
    /// Seconds worked per week of the cycle.
    pub(crate) week_seconds: BTreeMap<u32, u32>,
    /// Working day per date: (start, end).
    pub(crate) days: BTreeMap<NaiveDate, (TimeOfDay, TimeOfDay)>,
}

const DAY: u32 = 24 * 3600;
const MIN_REST: u32 = 11 * 3600;

impl MediatorLog {
    pub(crate) fn rest_ok(&self, date: NaiveDate, start: TimeOfDay, end: TimeOfDay) -> bool {
        let before = self.days.get(&(date - Duration::days(1)));
        let after = self.days.get(&(date + Duration::days(1)));
        before.is_none_or(|(_, prev_end)| DAY - prev_end.0 + start.0 >= MIN_REST)
            && after.is_none_or(|(next_start, _)| DAY - end.0 + next_start.0 >= MIN_REST)
    }
}

/// What a stop chooser sees of the vehicle-day being built.
pub(crate) struct DayContext<'a> {
    /// Index of the vehicle in the scenario.
    pub(crate) vehicle: usize,
    pub(crate) v: &'a Vehicle,
    pub(crate) day: &'a CycleDay,
    pub(crate) depot: usize,
    /// The longest day the available crew can work.
    pub(crate) max_duration: u32,
    /// Promised stops reserved for this vehicle-day.
    pub(crate) forced: &'a [(usize, usize)],
    pub(crate) rules: &'a [SiteRule],
    pub(crate) values: &'a [f64],
    pub(crate) reached_this_week: &'a [Vec<f64>],
    /// (date, slot, site) already taken by another vehicle.
    pub(crate) busy: &'a HashSet<(NaiveDate, usize, usize)>,
    pub(crate) reserved_only: &'a [bool],
    /// Sites at their cap of visits (`[[site]] max_visits`): no further stop.
    pub(crate) capped: &'a [bool],
}

/// Chooses the (slot, site) stops of one vehicle-day, sorted by slot; they must
/// fit `timing` and `max_duration`.
pub(crate) type Chooser<'c> = dyn FnMut(&Instance, &DayContext) -> Vec<(usize, usize)> + 'c;

/// Builds a plan with the constructive heuristic.
pub fn solve(inst: &Instance, progress: &dyn Progress) -> Plan {
    let method = format!("greedy insertion (seed {})", inst.scenario.seed);
    build(inst, progress, method, &mut |inst, ctx| {
        choose_stops(inst, ctx)
    })
}

/// The day loop shared by the constructive heuristics: day by day, vehicle by
/// vehicle, the days off and crews as in the module doc, the stops of each
/// vehicle-day given by `choose`.
pub(crate) fn build(
    inst: &Instance,
    progress: &dyn Progress,
    method: String,
    choose: &mut Chooser,
) -> Plan {
    let sc = inst.scenario;
    let setup = sc.setup();
    let values = inst.place_values();
    let rules = inst.site_rules();
    // Promised visits first: reserved before any other stop is chosen.
    let reserved = promises::reserve(inst, &rules);
    let reserved_only = promises::reserved_only_sites(inst);
    let site_caps = crate::rules::caps(inst);
    let mut used = vec![0u32; inst.sites.len()];
    for stops in reserved.values() {
        for &(_, site) in stops {
            used[site] += 1;
        }
    }
    // Stops reaching each place, per period (`Objective::period_of`).
    let mut reached: Vec<WeekShares> =
        vec![vec![Vec::new(); inst.places.len()]; sc.objective.periods(sc.cycle_weeks)];
    let mut busy: HashSet<(NaiveDate, usize, usize)> = HashSet::new();
    for (&(_, date), stops) in &reserved {
        for &(s, site) in stops {
            busy.insert((date, s, site));
        }
    }
    let mut logs: HashMap<&str, MediatorLog> = HashMap::new();
    let mut routes = Vec::new();
    let mut unplaced = Vec::new();
    // Indices in `unplaced` of the days off that cancel announced visits.
    let mut days_off: Vec<usize> = Vec::new();
    let days = sc.cycle_days();
    // The caller's hard stop, checked at every vehicle-day: the plan so far is
    // returned (and the pipeline reports the work as stopped).
    let stop = progress.stop_signal();
    progress.begin(&tournee_i18n::tr!("solver-stage-greedy"), days.len() as u64);
    'days: for day in &days {
        if progress.cancelled() {
            break;
        }
        for (vi, v) in sc.vehicles.iter().enumerate() {
            if stop.stopped() {
                break 'days;
            }
            if !v.runs_on(sc, day.weekday) {
                continue;
            }
            let forced: &[(usize, usize)] =
                reserved.get(&(vi, day.date)).map_or(&[], |f| f.as_slice());
            let skip = |reason: String| Unplaced {
                vehicle: Some(v.id.clone()),
                date: Some(day.date),
                commune: None,
                mediator: None,
                request: None,
                reason,
            };
            if let Some(why) = sc.day_off(day.date) {
                days_off.push(unplaced.len());
                unplaced.push(skip(why.into()));
                continue;
            }
            if v.unavailable.contains(&day.date) {
                days_off.push(unplaced.len());
                unplaced.push(skip("véhicule indisponible (entretien) ce jour".into()));
                continue;
            }
            let pool: Vec<&Mediator> = sc
                .mediators
                .iter()
                .filter(|m| {
                    m.base == v.depot
                        && m.works_on(sc, day.weekday)
                        && !m.leave.contains(&day.date)
                        && !logs
                            .get(m.id.as_str())
                            .is_some_and(|l| l.days.contains_key(&day.date))
                })
                .collect();
            if pool.len() < v.crew_size as usize {
                days_off.push(unplaced.len());
                unplaced.push(skip(format!(
                    "équipage incomplet : {} médiateur(s) disponible(s) pour {} requis ({})",
                    pool.len(),
                    v.crew_size,
                    if pool.is_empty() {
                        "aucun".to_string()
                    } else {
                        pool.iter()
                            .map(|m| m.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    }
                )));
                continue;
            }
            let cap = |m: &Mediator| -> u32 {
                let day_cap = (m.max_hours_per_day * 3600.0) as u32;
                let used = logs
                    .get(m.id.as_str())
                    .and_then(|l| l.week_seconds.get(&day.week))
                    .copied()
                    .unwrap_or(0);
                day_cap.min(((m.max_hours_per_week * 3600.0) as u32).saturating_sub(used))
            };
            let Some(driver_cap) = pool.iter().filter(|m| m.can_drive(v)).map(|m| cap(m)).max()
            else {
                days_off.push(unplaced.len());
                unplaced.push(skip(format!(
                    "équipage incomplet : aucun médiateur disponible ne détient le permis {} pour conduire ce véhicule",
                    v.licence_needed()
                )));
                continue;
            };
            let mut caps: Vec<u32> = pool.iter().map(|m| cap(m)).collect();
            caps.sort_unstable_by(|a, b| b.cmp(a));
            let max_duration = caps[v.crew_size as usize - 1].min(driver_cap);
            let Some(depot) = inst.depot_point(v) else {
                continue;
            };

            let capped: Vec<bool> = site_caps
                .iter()
                .zip(&used)
                .map(|(c, &u)| c.is_some_and(|c| u >= c))
                .collect();
            let chosen = choose(
                inst,
                &DayContext {
                    vehicle: vi,
                    v,
                    day,
                    depot,
                    max_duration,
                    forced,
                    rules: &rules,
                    values: &values,
                    reached_this_week: &reached[sc.objective.period_of(day.week)],
                    busy: &busy,
                    reserved_only: &reserved_only,
                    capped: &capped,
                },
            );
            if chosen.is_empty() {
                unplaced.push(skip(IDLE_REASON.into()));
                continue;
            }
            let timing = timing(inst, v, depot, &chosen).expect("chosen stops are feasible");
            // Crew: mediators who can work this long and rest enough, most hours left first.
            let mut crew: Vec<&Mediator> = pool
                .iter()
                .copied()
                .filter(|m| cap(m) >= timing.back.0 - timing.depart.0)
                .filter(|m| {
                    logs.get(m.id.as_str())
                        .is_none_or(|l| l.rest_ok(day.date, timing.depart, timing.back))
                })
                .collect();
            crew.sort_by(|a, b| cap(b).cmp(&cap(a)).then(a.id.cmp(&b.id)));
            let Some(crew) = pick_crew(v, &crew) else {
                days_off.push(unplaced.len());
                unplaced.push(skip(
                    "équipage incomplet : repos quotidien de 11 h ou heures hebdomadaires épuisées"
                        .into(),
                ));
                continue;
            };
            for m in &crew {
                let log = logs.entry(m.id.as_str()).or_default();
                *log.week_seconds.entry(day.week).or_default() += timing.back.0 - timing.depart.0;
                log.days.insert(day.date, (timing.depart, timing.back));
            }
            for (s, site) in &chosen {
                if !forced.contains(&(*s, *site)) {
                    used[*site] += 1;
                }
                busy.insert((day.date, *s, *site));
                for c in &inst.coverage.by_site[*site] {
                    let period = sc.objective.period_of(day.week);
                    reach::insert(&mut reached[period][c.place.0 as usize], c.share);
                }
            }
            routes.push(day_route(inst, v, day, &chosen, &timing, crew, setup));
        }
        progress.advance(1);
    }
    let off: Vec<&Unplaced> = days_off.iter().map(|&i| &unplaced[i]).collect();
    let cancelled = cancelled_visits(&routes, &off);
    unplaced.extend(cancelled);
    unplaced.extend(promises::report(inst, &routes));
    let summary = summarize(inst, &routes, &values, &logs);
    progress.done(&tournee_i18n::tr!(
        "solver-greedy-done",
        visits = summary.visits,
        population = tournee_i18n::decimal(summary.reachable_population_per_week, 1)
    ));
    Plan {
        scenario: sc.name.clone(),
        start_date: sc.start_date,
        cycle_weeks: sc.cycle_weeks,
        method,
        routes,
        unplaced,
        summary,
        home_visits: Vec::new(),
        notes: Vec::new(),
    }
}

/// The first `crew_size` of `ranked` with a driver for `v` among them: when none
/// is, the best-ranked mediator who may drive it takes the last place.
pub(crate) fn pick_crew<'m>(v: &Vehicle, ranked: &[&'m Mediator]) -> Option<Vec<&'m Mediator>> {
    let n = v.crew_size as usize;
    if ranked.len() < n {
        return None;
    }
    let mut crew = ranked[..n].to_vec();
    if !crew.iter().any(|m| m.can_drive(v)) {
        crew[n - 1] = ranked[n..].iter().find(|m| m.can_drive(v))?;
    }
    Some(crew)
}

/// Why a vehicle-day that could run stays at the depot.
pub(crate) const IDLE_REASON: &str = tournee_model::rules::IDLE_REASON;

/// `Plan::unplaced` for new `routes` replacing those of a plan whose list was
/// `previous` (for the improvement stages): days off stay as they were, their
/// cancelled visits are listed again from the new routes, the vehicle-days of `idle`
/// (vehicle id, date) that no longer run say why, and the promises the routes do
/// not keep are declared.
pub(crate) fn relist_unplaced<'v>(
    inst: &Instance,
    previous: &[Unplaced],
    routes: &[DayRoute],
    idle: impl IntoIterator<Item = (&'v str, NaiveDate)>,
) -> Vec<Unplaced> {
    let running: HashSet<(&str, NaiveDate)> = routes
        .iter()
        .map(|r| (r.vehicle.as_str(), r.date))
        .collect();
    let mut unplaced: Vec<Unplaced> = previous
        .iter()
        .filter(|u| {
            u.commune.is_none()
                && !matches!((&u.vehicle, u.date), (Some(v), Some(d)) if running.contains(&(v.as_str(), d)))
        })
        .cloned()
        .collect();
    for (vehicle, date) in idle {
        let said = unplaced
            .iter()
            .any(|u| u.vehicle.as_deref() == Some(vehicle) && u.date == Some(date));
        if !said {
            unplaced.push(Unplaced {
                vehicle: Some(vehicle.to_string()),
                date: Some(date),
                commune: None,
                mediator: None,
                request: None,
                reason: IDLE_REASON.into(),
            });
        }
    }
    let off: Vec<&Unplaced> = unplaced
        .iter()
        .filter(|u| u.reason != IDLE_REASON)
        .collect();
    let cancelled = cancelled_visits(routes, &off);
    unplaced.extend(cancelled);
    unplaced.extend(promises::report(inst, routes));
    unplaced
}

/// The visits a day off cancels, commune by commune: those the same vehicle makes on
/// the same weekday in the nearest other week of the cycle (the tour residents were
/// told about), so that each commune can announce its cancelled visit.
pub(crate) fn cancelled_visits(routes: &[DayRoute], days_off: &[&Unplaced]) -> Vec<Unplaced> {
    let mut out = Vec::new();
    for off in days_off {
        let (Some(vehicle), Some(date)) = (&off.vehicle, off.date) else {
            continue;
        };
        let usual = routes
            .iter()
            .filter(|r| &r.vehicle == vehicle && r.weekday == Weekday::from_chrono(date.weekday()))
            .min_by_key(|r| ((r.date - date).num_days().abs(), r.date));
        if let Some(r) = usual {
            for v in &r.visits {
                out.push(Unplaced {
                    vehicle: Some(vehicle.clone()),
                    date: Some(date),
                    commune: Some(v.commune.clone()),
                    mediator: None,
                    request: None,
                    reason: format!(
                        "passage annulé ({} {}, {}) : {}",
                        v.slot, v.start, v.site_name, off.reason
                    ),
                });
            }
        }
    }
    out
}

/// Best-insertion of stops into one vehicle-day, starting from its promised
/// (`forced`) stops, given the places already reached this week; sites in
/// `reserved_only` take no other stop. Returns (slot index, site index) sorted by
/// slot. Promised stops that no crew can work are left out (and reported as a
/// promise not kept).
fn choose_stops(inst: &Instance, ctx: &DayContext) -> Vec<(usize, usize)> {
    let &DayContext {
        v,
        day,
        depot,
        max_duration,
        forced,
        rules,
        values,
        reached_this_week,
        busy,
        reserved_only,
        capped,
        ..
    } = ctx;
    let sc = inst.scenario;
    let setup = sc.setup();
    let mut reached = reached_this_week.to_vec();
    let mut chosen: Vec<(usize, usize)> = forced.to_vec();
    if timing(inst, v, depot, &chosen).is_some_and(|t| t.back.0 - t.depart.0 > max_duration) {
        chosen.clear();
    }
    for &(_, site) in &chosen {
        for c in &inst.coverage.by_site[site] {
            reach::insert(&mut reached[c.place.0 as usize], c.share);
        }
    }
    let objective = &sc.objective;
    let mut usable: HashMap<(usize, usize), bool> = HashMap::new();
    loop {
        let mut best: Option<(f64, (usize, usize))> = None;
        for (s, slot) in sc.slots.iter().enumerate() {
            if chosen.iter().any(|c| c.0 == s) {
                continue;
            }
            for (site, rule) in rules.iter().enumerate() {
                if reserved_only[site]
                    || capped[site]
                    || busy.contains(&(day.date, s, site))
                    || chosen.iter().any(|c| c.1 == site)
                {
                    continue;
                }
                let gain: f64 = inst.coverage.by_site[site]
                    .iter()
                    .map(|c| {
                        let p = c.place.0 as usize;
                        values[p] * objective.added_value(&reached[p], c.share)
                    })
                    .sum();
                if gain <= 0.0 || best.is_some_and(|(b, _)| gain + 1.0 < b) {
                    continue;
                }
                let ok = *usable.entry((s, site)).or_insert_with(|| {
                    rule.usable(day.date, slot.start - setup, slot.end + setup)
                        .is_ok()
                });
                if !ok {
                    continue;
                }
                let mut trial = chosen.clone();
                trial.push((s, site));
                trial.sort();
                let Some(t) = timing(inst, v, depot, &trial) else {
                    continue;
                };
                if t.back.0 - t.depart.0 > max_duration {
                    continue;
                }
                // Less driving breaks ties: a second of driving is worth 1/1000 inhabitant.
                let score = gain - t.driving() as f64 * 1e-3;
                if best.is_none_or(|(b, _)| score > b) {
                    best = Some((score, (s, site)));
                }
            }
        }
        let Some((_, pick)) = best else { break };
        for c in &inst.coverage.by_site[pick.1] {
            reach::insert(&mut reached[c.place.0 as usize], c.share);
        }
        chosen.push(pick);
        chosen.sort();
    }
    chosen
}

/// Times of a day depot → stops (in slot order) → depot, or `None` if it cannot fit.
pub(crate) fn timing(
    inst: &Instance,
    v: &Vehicle,
    depot: usize,
    stops: &[(usize, usize)],
) -> Option<DayTiming> {
    let sc = inst.scenario;
    let setup = sc.setup();
    let mut prev = depot;
    let mut prev_leave: Option<TimeOfDay> = None;
    let mut prev_slot: Option<usize> = None;
    let mut depart = TimeOfDay::MIDNIGHT;
    let mut out = Vec::with_capacity(stops.len());
    for &(s, site) in stops {
        let slot = &sc.slots[s];
        let point = inst.site_point(site);
        let (t, d) = inst.drive(prev, point)?;
        let latest_arrival = slot.start - setup;
        let arrive = match prev_leave {
            None => {
                // Leave on a whole minute, a little early rather than late.
                depart = TimeOfDay(latest_arrival.0.checked_sub(t.0)? / 60 * 60);
                if depart < v.earliest_departure {
                    return None;
                }
                depart + t
            }
            Some(leave) => {
                let arrive = leave + t;
                // The lunch break, beside the drive (`model::lunch`).
                let lunch = prev_slot.map_or(Seconds::ZERO, |p| {
                    tournee_model::lunch::between(sc, &sc.slots[p], slot)
                });
                if arrive + lunch > latest_arrival {
                    return None;
                }
                arrive
            }
        };
        out.push((arrive, t, d));
        prev = point;
        prev_leave = Some(slot.end + setup);
        prev_slot = Some(s);
    }
    let leave = prev_leave?;
    let back_leg = inst.drive(prev, depot)?;
    // EU driving time over 3.5 t, for one driver: the crew is chosen after the
    // timing, so the optimiser keeps the stricter rule (the checker lets the
    // crew's licensed drivers share the day).
    let legs: Vec<Seconds> = out.iter().map(|s| s.1).chain([back_leg.0]).collect();
    if v.driving_rules(&legs, 1).is_err() {
        return None;
    }
    // Back counted on the next whole minute.
    let back = TimeOfDay((leave + back_leg.0).0.div_ceil(60) * 60);
    (back <= v.latest_return).then_some(DayTiming {
        depart,
        back,
        stops: out,
        back_leg,
    })
}

pub(crate) fn day_route(
    inst: &Instance,
    v: &Vehicle,
    day: &CycleDay,
    chosen: &[(usize, usize)],
    timing: &DayTiming,
    crew: Vec<&Mediator>,
    setup: Seconds,
) -> DayRoute {
    let sc = inst.scenario;
    let visits = chosen
        .iter()
        .zip(&timing.stops)
        .map(|(&(s, site_idx), &(arrive, drive, dist))| {
            let slot = &sc.slots[s];
            let site = &inst.sites[site_idx];
            Visit {
                slot: slot.name.clone(),
                site: site.osm,
                site_name: site.name.clone(),
                site_kind: site.kind,
                commune: site.commune.clone(),
                location: site.location,
                arrive,
                start: slot.start,
                end: slot.end,
                leave: slot.end + setup,
                drive_from_previous: drive,
                distance_from_previous: dist,
                // Filled by the pipeline from the territory's site details.
                address: None,
                wheelchair: None,
                insee: None,
                description: None,
                reaches: inst.coverage.by_site[site_idx]
                    .iter()
                    .map(|c| {
                        let place = &inst.places[c.place.0 as usize];
                        Reached {
                            place: place.name.clone(),
                            osm: place.osm,
                            population: place.population.0,
                            drive: c.drive,
                            share: c.share,
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    DayRoute {
        vehicle: v.id.clone(),
        date: day.date,
        week: day.week,
        weekday: day.weekday,
        depot: v.depot.clone(),
        depart: timing.depart,
        back: timing.back,
        crew: crew.iter().map(|m| m.id.clone()).collect(),
        visits,
        drive_back: timing.back_leg.0,
        distance_back: timing.back_leg.1,
        mode: v.mode,
    }
}

pub(crate) fn summarize(
    inst: &Instance,
    routes: &[DayRoute],
    values: &[f64],
    logs: &HashMap<&str, MediatorLog>,
) -> PlanSummary {
    let weeks = inst.scenario.cycle_weeks as usize;
    let site_index = inst.site_index();
    let mut reached: Vec<WeekShares> = vec![vec![Vec::new(); inst.places.len()]; weeks];
    for r in routes {
        for v in &r.visits {
            for c in &inst.coverage.by_site[site_index[&v.site]] {
                reach::insert(&mut reached[r.week as usize][c.place.0 as usize], c.share);
            }
        }
    }
    let objective = &inst.scenario.objective;
    // The same reaches per period (`Objective::period_of`), for the objective.
    let mut by_period: Vec<WeekShares> =
        vec![vec![Vec::new(); inst.places.len()]; objective.periods(weeks as u32)];
    for (w, week) in reached.iter().enumerate() {
        for (p, shares) in week.iter().enumerate() {
            for &s in shares {
                reach::insert(&mut by_period[objective.period_of(w as u32)][p], s);
            }
        }
    }
    // `share(shares)`: what a period's reaches of a place (in decreasing order) are
    // worth, over the periods of `lists`, per week of the cycle.
    let per_week = |lists: &[WeekShares],
                    value: &dyn Fn(usize) -> f64,
                    share: &dyn Fn(&[f64]) -> f64|
     -> f64 {
        lists
            .iter()
            .map(|w| {
                (0..w.len())
                    .filter(|&p| !w[p].is_empty())
                    .map(|p| value(p) * share(&w[p]))
                    .sum::<f64>()
            })
            .sum::<f64>()
            / weeks as f64
    };
    PlanSummary {
        // The objective counts repeats (`repeat_factors`) and reach shares (a decay
        // curve); inhabitants are people, counted once a week however many stops
        // reach them, at the best share of the week (all of them with a hard radius).
        reachable_population_per_week: per_week(&by_period, &|p| values[p], &|shares| {
            objective.weekly_value(&mut shares.to_vec())
        }),
        reachable_inhabitants_per_week: per_week(
            &reached,
            &|p| inst.places[p].population.0 as f64,
            &|shares| shares[0],
        ),
        places_reached: (0..inst.places.len())
            .filter(|&p| reached.iter().any(|w| !w[p].is_empty()))
            .count(),
        places_total: inst.places.len(),
        population_total: inst.places.iter().map(|p| p.population.0 as u64).sum(),
        visits: routes.iter().map(|r| r.visits.len()).sum(),
        distance: routes.iter().fold(Meters::ZERO, |a, r| a + r.distance()),
        driving: routes.iter().fold(Seconds::ZERO, |a, r| a + r.driving()),
        // Whole seconds first: the sum does not depend on the map's order.
        mediator_hours: logs
            .values()
            .flat_map(|l| l.week_seconds.values())
            .map(|&s| u64::from(s))
            .sum::<u64>() as f64
            / 3600.0,
        upper_bound: None,
        home: None,
    }
}
