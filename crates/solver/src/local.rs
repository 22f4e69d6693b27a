//! Local search after construction: each vehicle-day in turn is re-planned as the
//! best of all its feasible days ([`exact::day_patterns`], or staying at the depot)
//! given every other vehicle-day, until a full pass improves nothing.
//!
//! A day's stops at sites of promised communes are pinned: a new day keeps exactly
//! those, and a day with any cannot be left at the depot, so every promise the
//! construction kept stays kept.
//!
//! A move keeps the day's crew when the crew can work the new day (daily and weekly
//! hours, 11-hour rest with their neighbouring days); otherwise, and for a day that
//! did not run, the crew is chosen again among the free mediators of the depot, most
//! weekly hours left first. The objective counts a place once per week, plus its
//! `repeat_factors` share for each further stop reaching it that week, each reach
//! at its share (`Objective::weekly_value`); less
//! driving breaks ties. Deterministic: days and patterns are
//! visited in a fixed order.

use std::collections::{HashMap, HashSet};

use tournee_model::scenario::{CycleDay, Mediator, Objective};
use tournee_model::{Plan, Progress, TimeOfDay};

use crate::exact::{day_patterns, Pattern};
use crate::greedy::{self, MediatorLog};
use crate::instance::Instance;
use crate::promises;
use crate::reach::{self, WeekShares};

/// Passes over all vehicle-days at most.
const MAX_PASSES: usize = 20;
const DRIVE_WEIGHT: f64 = 1e-3;

struct DaySlot<'a> {
    vi: usize,
    di: usize,
    patterns: Vec<Pattern>,
    current: Option<usize>,
    crew: Vec<&'a Mediator>,
    /// The day's stops at promised sites: every new day keeps exactly these.
    pinned: Vec<(usize, usize)>,
}

/// Adds (`sign` 1) or removes (-1) a vehicle-day's current day to the bookkeeping.
#[allow(clippy::too_many_arguments)]
fn apply<'a>(
    slot: &DaySlot<'a>,
    days: &[CycleDay],
    objective: &Objective,
    sign: i32,
    count: &mut [WeekShares],
    busy: &mut HashSet<(usize, usize, usize)>,
    logs: &mut HashMap<&'a str, MediatorLog>,
    on_day: &mut HashSet<(&'a str, usize)>,
) {
    let Some(p) = slot.current.map(|i| &slot.patterns[i]) else {
        return;
    };
    let day = &days[slot.di];
    let period = objective.period_of(day.week);
    for &(pl, share) in &p.places {
        let list = &mut count[period][pl];
        if sign > 0 {
            reach::insert(list, share);
        } else {
            reach::remove(list, share);
        }
    }
    let dur = p.timing.back.0 - p.timing.depart.0;
    for &(s, site) in &p.stops {
        if sign > 0 {
            busy.insert((slot.di, s, site));
        } else {
            busy.remove(&(slot.di, s, site));
        }
    }
    for m in &slot.crew {
        let log = logs.entry(m.id.as_str()).or_default();
        let w = log.week_seconds.entry(day.week).or_default();
        if sign > 0 {
            *w += dur;
            log.days.insert(day.date, (p.timing.depart, p.timing.back));
            on_day.insert((m.id.as_str(), slot.di));
        } else {
            *w -= dur;
            log.days.remove(&day.date);
            on_day.remove(&(m.id.as_str(), slot.di));
        }
    }
}

/// Improves `plan` (made for `inst`) by re-planning one vehicle-day at a time.
/// Returns the plan unchanged when it cannot be read back (a site or slot unknown to
/// the instance).
pub fn improve(inst: &Instance, plan: Plan, progress: &dyn Progress) -> Plan {
    let sc = inst.scenario;
    let days = sc.cycle_days();
    let rules = inst.site_rules();
    let site_of = inst.site_index();
    let values = inst.place_values();
    let weeks = sc.cycle_weeks as usize;
    let promised = promises::promised_sites(inst);

    // The caller's hard stop: checked at every vehicle-day; the plan is then
    // returned unchanged (or as improved so far).
    let stop = progress.stop_signal();
    // The vehicle-days that may run, with their feasible days.
    let mut slots: Vec<DaySlot> = Vec::new();
    for (di, day) in days.iter().enumerate() {
        for (vi, v) in sc.vehicles.iter().enumerate() {
            if stop.stopped() {
                return plan;
            }
            if !v.runs_on(sc, day.weekday)
                || sc.is_day_off(day.date)
                || v.unavailable.contains(&day.date)
            {
                continue;
            }
            let Some(depot) = inst.depot_point(v) else {
                continue;
            };
            slots.push(DaySlot {
                vi,
                di,
                patterns: day_patterns(inst, &rules, v, depot, day.date),
                current: None,
                crew: Vec::new(),
                pinned: Vec::new(),
            });
        }
    }
    // Read the plan back.
    for r in &plan.routes {
        let Some(slot) = slots
            .iter_mut()
            .find(|s| sc.vehicles[s.vi].id == r.vehicle && days[s.di].date == r.date)
        else {
            return plan;
        };
        let mut stops = Vec::new();
        for v in &r.visits {
            let (Some(&site), Some(s)) = (
                site_of.get(&v.site),
                sc.slots.iter().position(|x| x.name == v.slot),
            ) else {
                return plan;
            };
            stops.push((s, site));
        }
        let Some(p) = slot.patterns.iter().position(|p| p.stops == stops) else {
            return plan;
        };
        slot.current = Some(p);
        slot.pinned = stops
            .iter()
            .copied()
            .filter(|&(_, site)| promised[site])
            .collect();
        slot.crew = r
            .crew
            .iter()
            .filter_map(|id| sc.mediators.iter().find(|m| &m.id == id))
            .collect();
    }

    let mut count: Vec<WeekShares> =
        vec![vec![Vec::new(); inst.places.len()]; sc.objective.periods(sc.cycle_weeks)];
    let mut busy: HashSet<(usize, usize, usize)> = HashSet::new();
    let mut logs: HashMap<&str, MediatorLog> = HashMap::new();
    let mut on_day: HashSet<(&str, usize)> = HashSet::new();
    for slot in &slots {
        apply(
            slot,
            &days,
            &sc.objective,
            1,
            &mut count,
            &mut busy,
            &mut logs,
            &mut on_day,
        );
    }

    progress.begin(&tournee_i18n::tr!("solver-stage-local"), MAX_PASSES as u64);
    let mut moves = 0;
    for _ in 0..MAX_PASSES {
        if progress.cancelled() || stop.stopped() {
            break;
        }
        let mut improved = false;
        #[allow(clippy::needless_range_loop)] // slots[i] is borrowed, then replaced
        for i in 0..slots.len() {
            if stop.stopped() {
                break;
            }
            // Take the day out, then find its best replacement.
            apply(
                &slots[i],
                &days,
                &sc.objective,
                -1,
                &mut count,
                &mut busy,
                &mut logs,
                &mut on_day,
            );
            let slot = &slots[i];
            let (v, day) = (&sc.vehicles[slot.vi], &days[slot.di]);
            let week = sc.objective.period_of(day.week);
            // `places` lists a place once per stop reaching it, sorted: each reach
            // earns what it adds to the week's value after the ones before it.
            let gain = |p: &Pattern| -> f64 {
                let mut total = 0.0;
                reach::added_values(&sc.objective, &count[week], &p.places, |pl, added| {
                    total += values[pl] * added;
                });
                total / weeks as f64 - DRIVE_WEIGHT * p.timing.driving() as f64
            };
            let fits = |m: &Mediator, depart: TimeOfDay, back: TimeOfDay| -> bool {
                let dur = back.0 - depart.0;
                let log = logs.get(m.id.as_str());
                let used = log
                    .and_then(|l| l.week_seconds.get(&day.week))
                    .copied()
                    .unwrap_or(0);
                dur as f64 <= m.max_hours_per_day * 3600.0
                    && (used + dur) as f64 <= m.max_hours_per_week * 3600.0
                    && log.is_none_or(|l| l.rest_ok(day.date, depart, back))
            };
            let crew_for = |p: &Pattern| -> Option<Vec<&Mediator>> {
                let (dep, back) = (p.timing.depart, p.timing.back);
                if slot.crew.len() == v.crew_size as usize
                    && slot.crew.iter().all(|m| fits(m, dep, back))
                {
                    return Some(slot.crew.clone());
                }
                let mut free: Vec<&Mediator> = sc
                    .mediators
                    .iter()
                    .filter(|m| {
                        m.base == v.depot
                            && m.works_on(sc, day.weekday)
                            && !m.leave.contains(&day.date)
                            && !on_day.contains(&(m.id.as_str(), slot.di))
                            && fits(m, dep, back)
                    })
                    .collect();
                let left = |m: &Mediator| {
                    m.max_hours_per_week * 3600.0
                        - logs
                            .get(m.id.as_str())
                            .and_then(|l| l.week_seconds.get(&day.week))
                            .copied()
                            .unwrap_or(0) as f64
                };
                free.sort_by(|a, b| left(b).total_cmp(&left(a)).then(a.id.cmp(&b.id)));
                greedy::pick_crew(v, &free)
            };
            let current_score = slot.current.map_or(0.0, |c| gain(&slot.patterns[c]));
            let mut best: Option<(f64, Option<usize>)> = None;
            for (pi, p) in slot.patterns.iter().enumerate() {
                if p.stops
                    .iter()
                    .any(|&(s, site)| busy.contains(&(slot.di, s, site)))
                    || !p
                        .stops
                        .iter()
                        .filter(|&&(_, site)| promised[site])
                        .eq(slot.pinned.iter())
                {
                    continue;
                }
                let score = gain(p);
                if score <= current_score + 1e-9 || best.is_some_and(|(b, _)| score <= b) {
                    continue;
                }
                if crew_for(p).is_some() {
                    best = Some((score, Some(pi)));
                }
            }
            if slot.current.is_some()
                && slot.pinned.is_empty()
                && current_score < -1e-9
                && best.is_none()
            {
                best = Some((0.0, None));
            }
            if let Some((_, choice)) = best {
                let crew = choice
                    .and_then(|c| crew_for(&slot.patterns[c]))
                    .unwrap_or_default();
                let slot = &mut slots[i];
                slot.current = choice;
                slot.crew = crew;
                improved = true;
                moves += 1;
            }
            apply(
                &slots[i],
                &days,
                &sc.objective,
                1,
                &mut count,
                &mut busy,
                &mut logs,
                &mut on_day,
            );
        }
        progress.advance(1);
        if !improved {
            break;
        }
    }

    // The improved plan.
    let setup = sc.setup();
    let mut routes = Vec::new();
    for slot in &slots {
        if let Some(p) = slot.current.map(|c| &slot.patterns[c]) {
            let (v, day) = (&sc.vehicles[slot.vi], &days[slot.di]);
            routes.push(greedy::day_route(
                inst,
                v,
                day,
                &p.stops,
                &p.timing,
                slot.crew.clone(),
                setup,
            ));
        }
    }
    routes.sort_by(|a, b| (a.date, &a.vehicle).cmp(&(b.date, &b.vehicle)));
    let unplaced = greedy::relist_unplaced(
        inst,
        &plan.unplaced,
        &routes,
        slots
            .iter()
            .filter(|slot| slot.current.is_none())
            .map(|slot| (sc.vehicles[slot.vi].id.as_str(), days[slot.di].date)),
    );
    let summary = greedy::summarize(inst, &routes, &values, &logs);
    progress.done(&tournee_i18n::tr!(
        "solver-local-done",
        moves = moves,
        before = tournee_i18n::decimal(plan.summary.reachable_population_per_week, 1),
        after = tournee_i18n::decimal(summary.reachable_population_per_week, 1)
    ));
    Plan {
        method: format!("{} + local search", plan.method),
        routes,
        unplaced,
        summary,
        ..plan
    }
}
