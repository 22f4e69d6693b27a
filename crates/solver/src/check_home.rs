//! The independent checker's part for home visits (`Plan::home_visits`), called by
//! [`crate::check`]. Like the rest of the checker, it recomputes every leg with its
//! own shortest-path searches on the road graph and shares only `model`'s rules with
//! the optimiser ([`tournee_model::home`]).
//!
//! Checked: each day belongs to a `[[home_visits]]` mediator, on one of its weekdays
//! in the cycle, not a day off, on leave, or a day the mediator is on a bus; it
//! leaves from and returns to the base within the section's hours; every stop is a
//! request of the file, within the radius (straight line), at the request's
//! location, snapped to a road, reached by the recomputed drive, started within its
//! availability and lasting its visit length; the day fits the daily contract hours;
//! each request is visited at most once; weekly hours (bus work included) and the
//! 11 h rest hold; every request not visited is declared in `Plan::unplaced`; the
//! summary's home figures match.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Duration, NaiveDate};
use tournee_i18n::tr;
use tournee_model::home::{NOT_VISITED, REQUEST_MAX_SNAP_METERS};
use tournee_model::scenario::LEGAL_MIN_DAILY_REST_HOURS;
use tournee_model::{LonLat, Meters, Plan, Seconds, TimeOfDay, Weekday};
use tournee_routing::{Direction, NodeIdx, ShortestPaths};

use crate::check::{CheckInput, Violation};

/// A working span of a mediator's day: depart, back, week of the cycle.
type Span = (TimeOfDay, TimeOfDay, u32);

struct Ctx<'a> {
    input: &'a CheckInput<'a>,
    violations: Vec<Violation>,
    forward: HashMap<NodeIdx, ShortestPaths>,
}

impl Ctx<'_> {
    fn fail(&mut self, at: &str, rule: &'static str, message: String) {
        debug_assert!(
            tournee_i18n::has(tournee_i18n::Lang::Fr, &crate::check::rule_key(rule)),
            "no label for the rule {rule}"
        );
        self.violations.push(Violation {
            at: at.to_string(),
            rule,
            message,
        });
    }

    fn drive(&mut self, from: LonLat, to: LonLat) -> Option<(Seconds, Meters)> {
        let g = self.input.graph;
        let (a, b) = (g.snap(from).node, g.snap(to).node);
        self.forward
            .entry(a)
            .or_insert_with(|| g.shortest_paths(a, Direction::Forward, None))
            .get(b)
    }
}

/// Violations of the plan's home visits (none when it has none and the scenario
/// asks for none).
pub fn check_home(plan: &Plan, input: &CheckInput) -> Vec<Violation> {
    let sc = input.scenario;
    let mut c = Ctx {
        input,
        violations: Vec::new(),
        forward: HashMap::new(),
    };
    // (mediator, date) → (depart, back, week) of every working day, bus or home.
    let mut work: BTreeMap<(&str, NaiveDate), Vec<Span>> = BTreeMap::new();
    for r in &plan.routes {
        for m in &r.crew {
            work.entry((m.as_str(), r.date))
                .or_default()
                .push((r.depart, r.back, r.week));
        }
    }
    let mut visited: BTreeMap<(&str, &str), NaiveDate> = BTreeMap::new();
    for d in &plan.home_visits {
        let at = tr!(
            "check-at-home-day",
            who = &d.mediator,
            date = d.date.to_string()
        );
        let Some(h) = sc.home_visits_of(&d.mediator) else {
            c.fail(
                &at,
                "home visits",
                tr!("check-home-no-section", mediator = &d.mediator),
            );
            continue;
        };
        let Some(med) = sc.mediator(&d.mediator) else {
            continue; // validation: the section's mediator exists
        };
        if h.loaded.is_none() {
            c.fail(&at, "home visits", tr!("check-home-not-read"));
            continue;
        }
        if sc.week_of(d.date) != Some(d.week) || Weekday::from_chrono(d.date.weekday()) != d.weekday
        {
            c.fail(
                &at,
                "cycle",
                tr!(
                    "check-home-not-in-cycle",
                    date = d.date.to_string(),
                    weekday = d.weekday.name(),
                    week = d.week
                ),
            );
        }
        if !h.days.contains(&d.weekday) {
            c.fail(
                &at,
                "home visit days",
                tr!(
                    "check-home-wrong-day",
                    mediator = &d.mediator,
                    weekday = d.weekday.name()
                ),
            );
        }
        if let Some(why) = sc.day_off(d.date) {
            c.fail(
                &at,
                "holiday",
                tr!(
                    "check-home-day-off",
                    date = d.date.to_string(),
                    why = why.to_string()
                ),
            );
        }
        if med.leave.contains(&d.date) {
            c.fail(
                &at,
                "leave",
                tr!(
                    "check-home-leave",
                    mediator = &d.mediator,
                    date = d.date.to_string()
                ),
            );
        }
        if work.contains_key(&(d.mediator.as_str(), d.date)) {
            c.fail(
                &at,
                "double booking",
                tr!("check-home-busy", mediator = &d.mediator),
            );
        }
        let Some(base) = sc.home_base(h) else {
            continue;
        };
        if d.base != base.id {
            c.fail(
                &at,
                "base",
                tr!("check-home-base", start = &d.base, base = &base.id),
            );
        }
        if d.depart < h.start || d.back > h.end || d.back < d.depart {
            c.fail(
                &at,
                "home visit hours",
                tr!(
                    "check-home-hours",
                    depart = d.depart.to_string(),
                    back = d.back.to_string(),
                    start = h.start.to_string(),
                    end = h.end.to_string()
                ),
            );
        }
        let hours = d.duration().as_hours_f64();
        if hours > med.max_hours_per_day + 1e-9 {
            c.fail(
                &at,
                "daily hours",
                tr!(
                    "check-daily-hours",
                    mediator = &d.mediator,
                    hours = tournee_i18n::decimal(hours, 2),
                    max = med.max_hours_per_day
                ),
            );
        }
        let mut here = base.location();
        let mut ready = d.depart;
        for s in &d.stops {
            let Some(r) = h.request_list().iter().find(|r| r.id == s.request) else {
                c.fail(
                    &at,
                    "request",
                    tr!("check-home-no-request", request = &s.request),
                );
                continue;
            };
            if let Some(first) = visited.insert((d.mediator.as_str(), r.id.as_str()), d.date) {
                c.fail(
                    &at,
                    "request",
                    tr!(
                        "check-home-twice",
                        request = &r.id,
                        first = first.to_string()
                    ),
                );
            }
            if s.location != r.location {
                c.fail(&at, "request", tr!("check-home-away", request = &r.id));
            }
            let dist = base.location().distance_m(&r.location);
            if dist > h.radius_m() {
                c.fail(
                    &at,
                    "radius",
                    tr!(
                        "check-home-radius",
                        request = &r.id,
                        km = tournee_i18n::decimal(dist / 1000.0, 1),
                        max = h.radius_km
                    ),
                );
            }
            let snap = input.graph.snap(r.location);
            if snap.distance.0 > REQUEST_MAX_SNAP_METERS {
                c.fail(
                    &at,
                    "request",
                    tr!(
                        "check-home-far-road",
                        request = &r.id,
                        distance = snap.distance.to_string()
                    ),
                );
            }
            match c.drive(here, r.location) {
                None => c.fail(&at, "drive", tr!("check-home-no-road", request = &r.id)),
                Some((t, m)) => {
                    if (t, m) != (s.drive_from_previous, s.distance_from_previous) {
                        c.fail(
                            &at,
                            "drive",
                            tr!(
                                "check-home-drive",
                                request = &r.id,
                                time = s.drive_from_previous.to_string(),
                                distance = s.distance_from_previous.to_string(),
                                real_time = t.to_string(),
                                real_distance = m.to_string()
                            ),
                        );
                    }
                    if s.arrive < ready + t {
                        c.fail(
                            &at,
                            "drive",
                            tr!(
                                "check-home-late",
                                request = &r.id,
                                arrive = s.arrive.to_string(),
                                ready = ready.to_string(),
                                drive = t.to_string(),
                                at = (ready + t).to_string()
                            ),
                        );
                    }
                }
            }
            let window = h.window(r);
            let fits = window.is_some_and(|(from, to)| s.start >= from && s.start <= to);
            if !fits || s.start < s.arrive || s.end != s.start + h.service(r) {
                c.fail(
                    &at,
                    "time window",
                    tr!(
                        "check-home-window",
                        request = &r.id,
                        start = s.start.to_string(),
                        end = s.end.to_string(),
                        arrive = s.arrive.to_string(),
                        minutes = h.service(r).0 / 60,
                        window =
                            window.map_or(tr!("check-home-no-window"), |(a, b)| format!("{a}–{b}"))
                    ),
                );
            }
            here = r.location;
            ready = s.end;
        }
        match c.drive(here, base.location()) {
            None => c.fail(&at, "drive", tr!("check-home-no-road-back")),
            Some((t, m)) => {
                if (t, m) != (d.drive_back, d.distance_back) || d.back < ready + t {
                    c.fail(
                        &at,
                        "drive",
                        tr!(
                            "check-home-back",
                            back = d.back.to_string(),
                            time = d.drive_back.to_string(),
                            distance = d.distance_back.to_string(),
                            real_time = t.to_string(),
                            real_distance = m.to_string(),
                            ready = ready.to_string()
                        ),
                    );
                }
            }
        }
        work.entry((d.mediator.as_str(), d.date))
            .or_default()
            .push((d.depart, d.back, d.week));
    }
    // Weekly hours and rest of the home-visit mediators (bus days included).
    for h in &sc.home_visits {
        let Some(med) = sc.mediator(&h.mediator) else {
            continue;
        };
        let mut weeks: BTreeMap<u32, u32> = BTreeMap::new();
        let days: Vec<(&NaiveDate, &Vec<Span>)> = work
            .iter()
            .filter(|((m, _), _)| *m == h.mediator)
            .map(|((_, d), v)| (d, v))
            .collect();
        for (date, spans) in &days {
            for &(depart, back, week) in spans.iter() {
                *weeks.entry(week).or_default() += depart.span_to(back).map_or(0, |s| s.0);
            }
            let last_back = spans.iter().map(|s| s.1).max().unwrap_or(TimeOfDay(0));
            let next = **date + Duration::days(1);
            if let Some((_, next_spans)) = days.iter().find(|(d, _)| **d == next) {
                let first_depart = next_spans.iter().map(|s| s.0).min().unwrap_or(TimeOfDay(0));
                let rest = 24 * 3600 - last_back.0 + first_depart.0;
                if f64::from(rest) < LEGAL_MIN_DAILY_REST_HOURS * 3600.0 {
                    c.fail(
                        &format!("{} {date}", h.mediator),
                        "daily rest",
                        tr!(
                            "check-daily-rest",
                            mediator = &h.mediator,
                            hours = tournee_i18n::decimal(f64::from(rest) / 3600.0, 1),
                            next = next.to_string(),
                            min = LEGAL_MIN_DAILY_REST_HOURS
                        ),
                    );
                }
            }
        }
        for (w, secs) in weeks {
            let hours = f64::from(secs) / 3600.0;
            if hours > med.max_hours_per_week + 1e-9 {
                c.fail(
                    &tr!("check-at-week", who = &h.mediator, week = w + 1),
                    "weekly hours",
                    tr!(
                        "check-home-weekly-hours",
                        mediator = &h.mediator,
                        hours = tournee_i18n::decimal(hours, 2),
                        week = w + 1,
                        max = med.max_hours_per_week
                    ),
                );
            }
        }
        // Every request not visited is declared.
        for r in h.request_list() {
            let declared = plan.unplaced.iter().any(|u| {
                u.mediator.as_deref() == Some(h.mediator.as_str())
                    && u.request.as_deref() == Some(r.id.as_str())
                    && u.reason.starts_with(NOT_VISITED)
            });
            let done = visited.contains_key(&(h.mediator.as_str(), r.id.as_str()));
            if !done && !declared {
                c.fail(
                    &tr!("check-at-request", who = &h.mediator, request = &r.id),
                    "request not declared",
                    tr!("check-home-not-declared", request = &r.id, name = &r.name),
                );
            }
            if done && declared {
                c.fail(
                    &tr!("check-at-request", who = &h.mediator, request = &r.id),
                    "request not declared",
                    tr!("check-home-both", request = &r.id),
                );
            }
        }
    }
    if !sc.home_visits.is_empty() || !plan.home_visits.is_empty() {
        let mut requests = 0;
        let (mut served, mut prio, mut prio_served) = (0, 0u64, 0u64);
        for h in &sc.home_visits {
            for r in h.request_list() {
                requests += 1;
                prio += u64::from(r.priority);
                if visited.contains_key(&(h.mediator.as_str(), r.id.as_str())) {
                    served += 1;
                    prio_served += u64::from(r.priority);
                }
            }
        }
        let claimed = plan.summary.home.as_ref();
        let ok = claimed.is_some_and(|s| {
            (
                s.requests,
                s.served,
                s.priority_requested,
                s.priority_served,
            ) == (requests, served, prio, prio_served)
                && s.days == plan.home_visits.len()
        });
        if !ok {
            c.fail(
                &tr!("check-at-plan"),
                "summary",
                tr!(
                    "check-home-summary",
                    served = served,
                    requests = requests,
                    priority_served = prio_served,
                    priority = prio,
                    days = plan.home_visits.len(),
                    claimed = claimed.map_or(tr!("check-home-summary-nothing"), |s| tr!(
                        "check-home-summary-claimed",
                        served = s.served,
                        requests = s.requests,
                        priority_served = s.priority_served,
                        priority = s.priority_requested,
                        days = s.days
                    ))
                ),
            );
        }
    }
    c.violations
}
