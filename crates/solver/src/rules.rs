//! The optimiser's side of the coordinator's rules (`model::rules`), applied to a
//! plan after the search (construction, local search, LNS, exact) and before the
//! checker:
//!
//! - `[[site]] max_visits`: the construction already stops choosing a site at its
//!   cap; here the visits beyond it (latest first) leave their day, whose timing
//!   is recomputed (a day left with no stop stays at the depot);
//! - `rules.use_every_vehicle_day`: every vehicle-day that can run and has no
//!   route gets its best single stop (the most value added, then the least
//!   driving; a stop adding nothing is taken too) with a crew of free mediators
//!   within their hours and rest; when none fits, the day says why (no crew, no
//!   site fits, every site at its cap) instead of "nothing useful";
//! - without that rule, a vehicle-day the search left idle still gets its best
//!   single stop when one adds value and fits (so no day stays idle while a useful
//!   stop fits), and keeps "nothing useful" (`IDLE_REASON`) only when that is
//!   true: otherwise it says why (the crew's weekly hours or rest, no site fits,
//!   the caps);
//! - `rules.every_commune_every_weeks`: planned as a promise to every commune
//!   without one (`Scenario::with_rule_promises`, by the pipeline), so the
//!   construction reserves those visits first and every later stage keeps them;
//!   here the communes it could not serve are declared with [`RULE_NOT_KEPT`]
//!   instead of `promesse non tenue`.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use tournee_i18n::tr;
use tournee_model::promise::NOT_KEPT;
use tournee_model::rules::{DAY_NOT_USED, IDLE_REASON, RULE_NOT_KEPT};
use tournee_model::scenario::{CycleDay, Mediator};
use tournee_model::{DayRoute, Plan, Scenario};

use crate::greedy::{self, MediatorLog};
use crate::instance::Instance;
use crate::reach::{self, WeekShares};

/// Each site's cap on visits in the cycle (`[[site]] max_visits`), by index.
pub fn caps(inst: &Instance) -> Vec<Option<u32>> {
    inst.sites
        .iter()
        .map(|s| inst.scenario.max_visits_of(s))
        .collect()
}

/// Whether the rules have anything to do for `inst` (its scenario, and `original`
/// the scenario the coordinator wrote, without the rule's promises) and `plan`:
/// a rule is set, or a vehicle-day that can run has no route (it gets a useful
/// stop if one fits, else its true reason).
fn active(inst: &Instance, original: &Scenario, plan: &Plan) -> bool {
    let running: HashSet<(&str, NaiveDate)> = plan
        .routes
        .iter()
        .map(|r| (r.vehicle.as_str(), r.date))
        .collect();
    let sc = inst.scenario;
    caps(inst).iter().any(Option::is_some)
        || original.rules.use_every_vehicle_day
        || original.rules.every_commune_every_weeks.is_some()
        || sc
            .vehicle_days()
            .into_iter()
            .any(|(vi, d)| !running.contains(&(sc.vehicles[vi].id.as_str(), d.date)))
}

/// The mediators' weeks and days as `routes` book them.
fn logs_of(routes: &[DayRoute]) -> HashMap<&str, MediatorLog> {
    let mut logs: HashMap<&str, MediatorLog> = HashMap::new();
    for r in routes {
        for m in &r.crew {
            let log = logs.entry(m.as_str()).or_default();
            *log.week_seconds.entry(r.week).or_default() += r.back.0 - r.depart.0;
            log.days.insert(r.date, (r.depart, r.back));
        }
    }
    logs
}

/// `plan` made to keep the rules of `original` (see the module doc); `inst` is
/// the instance the plan was made for (with the rule's promises).
pub fn enforce(inst: &Instance, original: &Scenario, plan: Plan) -> Plan {
    if !active(inst, original, &plan) {
        return plan;
    }
    let sc = inst.scenario;
    let setup = sc.setup();
    let site_of = inst.site_index();
    let days: HashMap<NaiveDate, CycleDay> =
        sc.cycle_days().into_iter().map(|d| (d.date, d)).collect();
    let caps = caps(inst);
    let mut used = vec![0u32; inst.sites.len()];
    let mut routes: Vec<DayRoute> = Vec::new();
    let mut sorted = plan.routes.clone();
    sorted.sort_by(|a, b| (a.date, &a.vehicle).cmp(&(b.date, &b.vehicle)));
    // Visits beyond a site's cap leave their day, latest first.
    for r in sorted {
        let stops: Option<Vec<(usize, usize)>> = r
            .visits
            .iter()
            .map(|v| {
                let s = sc.slots.iter().position(|x| x.name == v.slot)?;
                Some((s, *site_of.get(&v.site)?))
            })
            .collect();
        let Some(stops) = stops else {
            return plan; // not this instance's plan: left to the checker
        };
        let kept: Vec<(usize, usize)> = stops
            .iter()
            .copied()
            .filter(|&(_, site)| {
                let ok = caps[site].is_none_or(|c| used[site] < c);
                if ok {
                    used[site] += 1;
                }
                ok
            })
            .collect();
        if kept.len() == stops.len() {
            routes.push(r);
            continue;
        }
        let (Some(v), Some(day)) = (sc.vehicle(&r.vehicle), days.get(&r.date)) else {
            continue;
        };
        let timing = inst
            .depot_point(v)
            .filter(|_| !kept.is_empty())
            .and_then(|d| greedy::timing(inst, v, d, &kept));
        if let Some(t) = timing {
            let crew: Vec<&Mediator> = r.crew.iter().filter_map(|m| sc.mediator(m)).collect();
            routes.push(greedy::day_route(inst, v, day, &kept, &t, crew, setup));
        } else {
            for &(_, site) in &kept {
                used[site] -= 1;
            }
        }
    }
    let mut reasons: HashMap<(String, NaiveDate), String> = HashMap::new();
    let every_day = original.rules.use_every_vehicle_day;
    fill_idle_days(inst, &caps, &mut used, &mut routes, &mut reasons, every_day);
    routes.sort_by(|a, b| (a.date, &a.vehicle).cmp(&(b.date, &b.vehicle)));
    let running: HashSet<(&str, NaiveDate)> = routes
        .iter()
        .map(|r| (r.vehicle.as_str(), r.date))
        .collect();
    let idle: Vec<(&str, NaiveDate)> = sc
        .vehicle_days()
        .into_iter()
        .map(|(vi, d)| (sc.vehicles[vi].id.as_str(), d.date))
        .filter(|k| !running.contains(k))
        .collect();
    let idle_days: HashSet<(String, NaiveDate)> =
        idle.iter().map(|&(v, d)| (v.to_string(), d)).collect();
    let mut unplaced = greedy::relist_unplaced(inst, &plan.unplaced, &routes, idle);
    for u in &mut unplaced {
        if let (Some(v), Some(d), None) = (&u.vehicle, u.date, &u.commune) {
            let key = (v.clone(), d);
            if let (true, Some(why)) = (idle_days.contains(&key), reasons.get(&key)) {
                if every_day {
                    u.reason = format!("{DAY_NOT_USED} : {why}");
                } else if u.reason == IDLE_REASON {
                    // "Nothing useful" only when it is true: the day's own reason.
                    u.reason = why.clone();
                }
            }
        }
        let by_rule = u.commune.as_deref().is_some_and(|c| {
            u.reason.starts_with(NOT_KEPT)
                && !original
                    .promises
                    .iter()
                    .any(|p| p.commune == c || inst_insee(inst, &p.commune) == Some(c))
        });
        if by_rule {
            u.reason = format!("{RULE_NOT_KEPT}{}", &u.reason[NOT_KEPT.len()..]);
        }
    }
    let logs = logs_of(&routes);
    let summary = greedy::summarize(inst, &routes, &inst.place_values(), &logs);
    Plan {
        summary: tournee_model::PlanSummary {
            upper_bound: plan.summary.upper_bound,
            ..summary
        },
        routes,
        unplaced,
        ..plan
    }
}

/// The place name an INSEE code of a promise stands for, if it is one.
fn inst_insee<'a>(inst: &'a Instance, commune: &str) -> Option<&'a str> {
    inst.places
        .iter()
        .find(|p| p.insee.as_deref() == Some(commune))
        .map(|p| p.name.as_str())
}

/// A stop for every vehicle-day that can run and has no route, or the reason none
/// fits in `reasons`. With `every_day` (`use_every_vehicle_day`) a stop adding
/// nothing is taken too; without it only a stop that adds value is (a day the
/// search left idle though such a stop fits), and a day where only useless stops
/// fit keeps `IDLE_REASON`. Sites whose commune's promise an extra visit could
/// break (`promises::reserved_only_sites`) are not used.
fn fill_idle_days(
    inst: &Instance,
    caps: &[Option<u32>],
    used: &mut [u32],
    routes: &mut Vec<DayRoute>,
    reasons: &mut HashMap<(String, NaiveDate), String>,
    every_day: bool,
) {
    let reserved_only = crate::promises::reserved_only_sites(inst);
    let sc = inst.scenario;
    let setup = sc.setup();
    let values = inst.place_values();
    let rules = inst.site_rules();
    let site_of = inst.site_index();
    for (vi, day) in sc.vehicle_days() {
        let v = &sc.vehicles[vi];
        if routes
            .iter()
            .any(|r| r.vehicle == v.id && r.date == day.date)
        {
            continue;
        }
        let Some(depot) = inst.depot_point(v) else {
            continue;
        };
        let logs = logs_of(routes);
        let on_duty: HashSet<&str> = routes
            .iter()
            .filter(|r| r.date == day.date)
            .flat_map(|r| r.crew.iter().map(String::as_str))
            .collect();
        let pool: Vec<&Mediator> = sc
            .mediators
            .iter()
            .filter(|m| {
                m.base == v.depot
                    && m.works_on(sc, day.weekday)
                    && !m.leave.contains(&day.date)
                    && !on_duty.contains(m.id.as_str())
            })
            .collect();
        let key = (v.id.clone(), day.date);
        if pool.len() < v.crew_size as usize || !pool.iter().any(|m| m.can_drive(v)) {
            reasons.insert(key, tr!("rules-day-no-crew"));
            continue;
        }
        // The period's reaches so far, for the value a stop adds.
        let period = sc.objective.period_of(day.week);
        let mut reached: WeekShares = vec![Vec::new(); inst.places.len()];
        for r in routes
            .iter()
            .filter(|r| sc.objective.period_of(r.week) == period)
        {
            for visit in &r.visits {
                if let Some(&site) = site_of.get(&visit.site) {
                    for c in &inst.coverage.by_site[site] {
                        reach::insert(&mut reached[c.place.0 as usize], c.share);
                    }
                }
            }
        }
        let busy: HashSet<(usize, usize)> = routes
            .iter()
            .filter(|r| r.date == day.date)
            .flat_map(|r| r.visits.iter())
            .filter_map(|x| {
                Some((
                    sc.slots.iter().position(|s| s.name == x.slot)?,
                    *site_of.get(&x.site)?,
                ))
            })
            .collect();
        let left = |m: &Mediator| -> f64 {
            let used = logs
                .get(m.id.as_str())
                .and_then(|l| l.week_seconds.get(&day.week))
                .copied()
                .unwrap_or(0);
            (m.max_hours_per_day * 3600.0).min(m.max_hours_per_week * 3600.0 - used as f64)
        };
        let (mut best, mut capped, mut crewless, mut useless) = (
            None::<(f64, (usize, usize), Vec<&Mediator>)>,
            false,
            false,
            false,
        );
        for (s, slot) in sc.slots.iter().enumerate() {
            for (site, rule) in rules.iter().enumerate() {
                if busy.contains(&(s, site))
                    || reserved_only[site]
                    || rule
                        .usable(day.date, slot.start - setup, slot.end + setup)
                        .is_err()
                {
                    continue;
                }
                if caps[site].is_some_and(|c| used[site] >= c) {
                    capped = true;
                    continue;
                }
                let Some(t) = greedy::timing(inst, v, depot, &[(s, site)]) else {
                    continue;
                };
                let gain: f64 = inst.coverage.by_site[site]
                    .iter()
                    .map(|c| {
                        let p = c.place.0 as usize;
                        values[p] * sc.objective.added_value(&reached[p], c.share)
                    })
                    .sum();
                let score = gain - t.driving() as f64 * 1e-3;
                if best.as_ref().is_some_and(|(b, _, _)| score <= *b) {
                    continue;
                }
                if !every_day && gain <= 1e-9 {
                    useless = true;
                    continue;
                }
                let dur = (t.back.0 - t.depart.0) as f64;
                let mut crew: Vec<&Mediator> = pool
                    .iter()
                    .copied()
                    .filter(|m| left(m) >= dur)
                    .filter(|m| {
                        logs.get(m.id.as_str())
                            .is_none_or(|l| l.rest_ok(day.date, t.depart, t.back))
                    })
                    .collect();
                crew.sort_by(|a, b| left(b).total_cmp(&left(a)).then(a.id.cmp(&b.id)));
                match greedy::pick_crew(v, &crew) {
                    Some(crew) => best = Some((score, (s, site), crew)),
                    None => crewless = true,
                }
            }
        }
        match best {
            Some((_, stop, crew)) => {
                let t = greedy::timing(inst, v, depot, &[stop]).expect("checked above");
                used[stop.1] += 1;
                routes.push(greedy::day_route(inst, v, &day, &[stop], &t, crew, setup));
            }
            None if useless && !crewless => {} // nothing useful: IDLE_REASON stays
            None => {
                let why = if crewless {
                    tr!("rules-day-no-crew")
                } else if capped {
                    tr!("rules-day-capped")
                } else {
                    tr!("rules-day-no-site")
                };
                reasons.insert(key, why);
            }
        }
    }
}
