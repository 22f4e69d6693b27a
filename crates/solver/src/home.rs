//! Home visits (`[[home_visits]]`): a mediator's home-visit days over the cycle as a
//! Team Orienteering Problem with Time Windows, solved by [`crate::toptw`].
//!
//! One tour per home-visit day, from the base back to it; a request is a customer
//! (profit: its priority; service: the visit's length; time window: its
//! availability within the mediator's day), visited at most once in the cycle.
//!
//! Days may differ: a holiday or leave removes a day; the 11 h rest after a bus day
//! (before, the next morning) delays its start (brings its end forward); the weekly
//! hours left after the mediator's bus work (the buses are planned first, and the
//! mediator crews no bus on home-visit days) are shared equally among that week's
//! home-visit days, and each day is also capped by `max_hours_per_day`. Days are
//! then grouped by identical (start, latest return): each group is one TOPTW with
//! as many tours as days, solved in turn (the longest days first), every later
//! group without the requests already served. With the usual case — same hours
//! every day — the whole cycle is one TOPTW. The capacities are sound: whatever the
//! engine returns fits the contract, so the checker can only agree.
//!
//! The search is seeded and stops after a fixed number of iterations (deterministic)
//! or at an optional deadline (then machine-dependent, like the buses' search).
//!
//! A request not visited is declared in [`Unplaced`] with its reason: outside the
//! radius (straight line from the base), home too far from a road, availability
//! never within the day, no round trip fits a day, or no time left in the cycle.

use std::collections::BTreeMap;

use chrono::Duration;
use tournee_model::home::{HomeVisits, NOT_VISITED, REQUEST_MAX_SNAP_METERS};
use tournee_model::{
    DayRoute, HomeStop, HomeSummary, HomeVisitDay, Meters, Scenario, Seconds, TimeOfDay, Unplaced,
    Weekday,
};
use tournee_routing::Matrix;

use crate::toptw::{self, Budget, TopTw};

/// Iterations of the TOPTW search per group of days when no deadline cuts it.
pub const ITERATIONS: u64 = 600;

/// What the home-visit optimiser sees for one `[[home_visits]]` section.
pub struct HomeInstance<'a> {
    pub scenario: &'a Scenario,
    pub section: &'a HomeVisits,
    /// Each request's index in `travel` (0 is the base), or `None` when its home is
    /// farther than [`REQUEST_MAX_SNAP_METERS`] from a car road.
    pub table_index: Vec<Option<usize>>,
    /// Drive times and distances between the base and the requests' homes.
    pub travel: &'a Matrix,
}

/// The home-visit days of one mediator, and what could not be done.
#[derive(Debug, Clone, Default)]
pub struct HomeOutcome {
    pub days: Vec<HomeVisitDay>,
    pub unplaced: Vec<Unplaced>,
}

/// One home-visit day with its capacity.
#[derive(Debug, Clone)]
struct Day {
    date: chrono::NaiveDate,
    week: u32,
    weekday: Weekday,
    open: u32,
    tmax: u32,
}

fn reason(text: String) -> String {
    format!("{NOT_VISITED} : {text}")
}

/// Plans the section's home-visit days around the buses' `routes`.
pub fn solve(
    inst: &HomeInstance,
    routes: &[DayRoute],
    deadline: Option<std::time::Instant>,
    stop: &tournee_model::StopSignal,
    threads: usize,
    seed: u64,
) -> HomeOutcome {
    let sc = inst.scenario;
    let h = inst.section;
    let mut out = HomeOutcome::default();
    let (Some(med), Some(base)) = (sc.mediator(&h.mediator), sc.home_base(h)) else {
        return out; // validation guarantees both
    };
    let requests = h.request_list();
    let leg = |a: usize, b: usize| inst.travel.get(a, b);
    // Which requests can be visited at all.
    let mut eligible: Vec<usize> = Vec::new();
    for (k, r) in requests.iter().enumerate() {
        let dist = base.location().distance_m(&r.location);
        let why = if dist > h.radius_m() {
            Some(format!(
                "hors du rayon : {:.1} km à vol d'oiseau de {}, au-delà de {} km",
                dist / 1000.0,
                base.name,
                h.radius_km
            ))
        } else if inst.table_index[k].is_none() {
            Some(format!(
                "domicile à plus de {REQUEST_MAX_SNAP_METERS} m d'une route carrossable"
            ))
        } else if h.window(r).is_none() {
            Some(format!(
                "disponibilité jamais compatible avec les journées de visite ({}–{}, visite de {} min)",
                h.start,
                h.end,
                h.service(r).0 / 60
            ))
        } else {
            let i = inst.table_index[k].unwrap_or(0);
            (leg(0, i).is_none() || leg(i, 0).is_none())
                .then(|| "domicile inaccessible en voiture depuis la base".to_string())
        };
        match why {
            Some(why) => out.unplaced.push(Unplaced {
                mediator: Some(h.mediator.clone()),
                request: Some(r.id.clone()),
                reason: reason(why),
                ..Unplaced::default()
            }),
            None => eligible.push(k),
        }
    }
    // The days and their capacities.
    let bus_of = |date: chrono::NaiveDate| {
        routes
            .iter()
            .find(|r| r.date == date && r.crew.contains(&h.mediator))
    };
    let mut weekdays = h.days.clone();
    weekdays.sort_by_key(|d| d.index());
    let mut candidates: Vec<(chrono::NaiveDate, u32, Weekday)> = Vec::new();
    for week in 0..sc.cycle_weeks {
        for &weekday in &weekdays {
            let date =
                sc.start_date + Duration::days(i64::from(week) * 7 + i64::from(weekday.index()));
            let off = sc
                .day_off(date)
                .map(str::to_string)
                .or_else(|| med.leave.contains(&date).then(|| "congé".to_string()))
                .or_else(|| {
                    bus_of(date)
                        .map(|r| format!("le médiateur est dans l'équipage de {}", r.vehicle))
                });
            match off {
                Some(why) => out.unplaced.push(Unplaced {
                    date: Some(date),
                    mediator: Some(h.mediator.clone()),
                    reason: format!("pas de visites à domicile ce jour : {why}"),
                    ..Unplaced::default()
                }),
                None => candidates.push((date, week, weekday)),
            }
        }
    }
    let mut days: Vec<Day> = Vec::new();
    for &(date, week, weekday) in &candidates {
        let rest = (tournee_model::scenario::LEGAL_MIN_DAILY_REST_HOURS * 3600.0) as u32;
        let mut open = h.start.0;
        let mut close = h.end.0;
        if let Some(prev) = bus_of(date - Duration::days(1)) {
            open = open.max((prev.back.0 + rest).saturating_sub(24 * 3600));
        }
        if let Some(next) = bus_of(date + Duration::days(1)) {
            close = close.min(next.depart.0 + 24 * 3600 - rest);
        }
        let bus_hours: u32 = routes
            .iter()
            .filter(|r| r.week == week && r.crew.contains(&h.mediator))
            .map(|r| r.duration().0)
            .sum();
        let in_week = candidates.iter().filter(|c| c.1 == week).count() as u32;
        let week_left = ((med.max_hours_per_week * 3600.0) as u32).saturating_sub(bus_hours);
        let cap = ((med.max_hours_per_day * 3600.0) as u32).min(week_left / in_week.max(1));
        let tmax = close.min(open.saturating_add(cap));
        if tmax <= open {
            out.unplaced.push(Unplaced {
                date: Some(date),
                mediator: Some(h.mediator.clone()),
                reason: "pas de visites à domicile ce jour : plus d'heures de contrat disponibles"
                    .into(),
                ..Unplaced::default()
            });
            continue;
        }
        days.push(Day {
            date,
            week,
            weekday,
            open,
            tmax,
        });
    }
    // Groups of identical days, longest first.
    let mut groups: BTreeMap<(u32, u32), Vec<usize>> = BTreeMap::new();
    for (i, d) in days.iter().enumerate() {
        groups.entry((d.open, d.tmax)).or_default().push(i);
    }
    let mut order: Vec<(&(u32, u32), &Vec<usize>)> = groups.iter().collect();
    order.sort_by_key(|((open, tmax), _)| (std::cmp::Reverse(tmax - open), *open));
    let mut served = vec![false; requests.len()];
    let mut routes_of_day: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (g, (&(open, tmax), members)) in order.into_iter().enumerate() {
        let todo: Vec<usize> = eligible.iter().copied().filter(|&k| !served[k]).collect();
        if todo.is_empty() {
            break;
        }
        let node = |c: usize| {
            if c == 0 {
                0
            } else {
                inst.table_index[todo[c - 1]].unwrap_or(0)
            }
        };
        let size = todo.len() + 1;
        let mut travel = vec![0i64; size * size];
        for a in 0..size {
            for b in 0..size {
                travel[a * size + b] =
                    leg(node(a), node(b)).map_or(i64::from(u32::MAX), |(t, _)| i64::from(t.0));
            }
        }
        let mut profit = vec![0];
        let mut service = vec![0];
        let mut opens = vec![i64::from(open)];
        let mut closes = vec![i64::from(tmax)];
        for &k in &todo {
            let r = &requests[k];
            let (from, to) = h.window(r).unwrap_or((TimeOfDay(0), TimeOfDay(0)));
            profit.push(i64::from(r.priority));
            service.push(i64::from(h.service(r).0));
            opens.push(i64::from(from.0));
            closes.push(i64::from(to.0));
        }
        let Some(p) = TopTw::from_matrix(
            &h.mediator,
            travel,
            profit,
            service,
            opens,
            closes,
            i64::from(tmax),
        ) else {
            continue;
        };
        let solution = toptw::solve_within(
            &p,
            members.len(),
            Budget {
                iterations: ITERATIONS,
                deadline,
                stop: stop.clone(),
            },
            threads,
            seed.wrapping_add(g as u64),
        );
        if p.evaluate(&solution.routes).is_err() {
            continue; // never trusted: an infeasible answer serves nobody
        }
        for (day, route) in members.iter().zip(&solution.routes) {
            let ks: Vec<usize> = route.iter().map(|&c| todo[c - 1]).collect();
            for &k in &ks {
                served[k] = true;
            }
            routes_of_day.insert(*day, ks);
        }
    }
    // Schedules, from the table.
    for (i, d) in days.iter().enumerate() {
        let ks = routes_of_day.remove(&i).unwrap_or_default();
        if ks.is_empty() {
            out.unplaced.push(Unplaced {
                date: Some(d.date),
                mediator: Some(h.mediator.clone()),
                reason: "pas de visites à domicile ce jour : aucune demande de plus à visiter"
                    .into(),
                ..Unplaced::default()
            });
            continue;
        }
        let mut stops = Vec::new();
        let (mut t, mut prev) = (d.open, 0usize);
        for &k in &ks {
            let r = &requests[k];
            let at = inst.table_index[k].unwrap_or(0);
            let (drive, dist) = leg(prev, at).unwrap_or((Seconds::ZERO, Meters::ZERO));
            let (from, _) = h.window(r).unwrap_or((TimeOfDay(0), TimeOfDay(0)));
            let arrive = t + drive.0;
            let start = arrive.max(from.0);
            let end = start + h.service(r).0;
            stops.push(HomeStop {
                request: r.id.clone(),
                name: r.name.clone(),
                location: r.location,
                arrive: TimeOfDay(arrive),
                start: TimeOfDay(start),
                end: TimeOfDay(end),
                drive_from_previous: drive,
                distance_from_previous: dist,
            });
            t = end;
            prev = at;
        }
        let (drive_back, distance_back) = leg(prev, 0).unwrap_or((Seconds::ZERO, Meters::ZERO));
        // Leave later rather than wait at the first home.
        let wait = stops[0].start.0 - stops[0].arrive.0;
        stops[0].arrive = stops[0].start;
        out.days.push(HomeVisitDay {
            mediator: h.mediator.clone(),
            date: d.date,
            week: d.week,
            weekday: d.weekday,
            base: base.id.clone(),
            depart: TimeOfDay(d.open + wait),
            back: TimeOfDay(t + drive_back.0),
            stops,
            drive_back,
            distance_back,
        });
    }
    // Requests left over.
    for &k in &eligible {
        if served[k] {
            continue;
        }
        let r = &requests[k];
        let i = inst.table_index[k].unwrap_or(0);
        let alone_fits = days.iter().any(|d| {
            let (Some((go, _)), Some((back, _)), Some((from, to))) =
                (leg(0, i), leg(i, 0), h.window(r))
            else {
                return false;
            };
            let start = (d.open + go.0).max(from.0);
            start <= to.0 && start + h.service(r).0 + back.0 <= d.tmax
        });
        let why = if days.is_empty() {
            "aucune journée de visites possible dans le cycle".to_string()
        } else if alone_fits {
            "plus de temps libre dans les journées de visite du cycle".to_string()
        } else {
            "l'aller-retour et la visite ne tiennent dans aucune journée de visites (horaires, disponibilité, heures de contrat)".to_string()
        };
        out.unplaced.push(Unplaced {
            mediator: Some(h.mediator.clone()),
            request: Some(r.id.clone()),
            reason: reason(why),
            ..Unplaced::default()
        });
    }
    out.days.sort_by_key(|d| d.date);
    out
}

/// The home-visit figures of a plan's days for the scenario's requests.
pub fn summary(sc: &Scenario, days: &[HomeVisitDay]) -> HomeSummary {
    let mut s = HomeSummary::default();
    for h in &sc.home_visits {
        for r in h.request_list() {
            s.requests += 1;
            s.priority_requested += u64::from(r.priority);
            let visited = days
                .iter()
                .any(|d| d.mediator == h.mediator && d.stops.iter().any(|v| v.request == r.id));
            if visited {
                s.served += 1;
                s.priority_served += u64::from(r.priority);
            }
        }
    }
    for d in days {
        s.days += 1;
        s.distance += d.distance();
        s.driving += d.driving();
        s.hours += d.duration().as_hours_f64();
    }
    s
}
