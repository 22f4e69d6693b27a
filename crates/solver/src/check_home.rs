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
        let at = format!("{} {} (visites à domicile)", d.mediator, d.date);
        let Some(h) = sc.home_visits_of(&d.mediator) else {
            c.fail(
                &at,
                "home visits",
                format!("mediator `{}` has no home_visits section", d.mediator),
            );
            continue;
        };
        let Some(med) = sc.mediator(&d.mediator) else {
            continue; // validation: the section's mediator exists
        };
        if h.loaded.is_none() {
            c.fail(
                &at,
                "home visits",
                "the requests file was not read with the scenario".into(),
            );
            continue;
        }
        if sc.week_of(d.date) != Some(d.week) || Weekday::from_chrono(d.date.weekday()) != d.weekday
        {
            c.fail(
                &at,
                "cycle",
                format!(
                    "{} is not a {} of week {} of the cycle",
                    d.date,
                    d.weekday.french(),
                    d.week
                ),
            );
        }
        if !h.days.contains(&d.weekday) {
            c.fail(
                &at,
                "home visit days",
                format!(
                    "{} does not make home visits on {}",
                    d.mediator,
                    d.weekday.french()
                ),
            );
        }
        if let Some(why) = sc.day_off(d.date) {
            c.fail(&at, "holiday", format!("{}: {why}", d.date));
        }
        if med.leave.contains(&d.date) {
            c.fail(
                &at,
                "leave",
                format!("{} is on leave on {}", d.mediator, d.date),
            );
        }
        if work.contains_key(&(d.mediator.as_str(), d.date)) {
            c.fail(
                &at,
                "double booking",
                format!(
                    "{} also works elsewhere this day (a bus crew or another home-visit day)",
                    d.mediator
                ),
            );
        }
        let Some(base) = sc.home_base(h) else {
            continue;
        };
        if d.base != base.id {
            c.fail(
                &at,
                "base",
                format!("the day starts at `{}`, the base is `{}`", d.base, base.id),
            );
        }
        if d.depart < h.start || d.back > h.end || d.back < d.depart {
            c.fail(
                &at,
                "home visit hours",
                format!("out {}–{}, allowed {}–{}", d.depart, d.back, h.start, h.end),
            );
        }
        let hours = d.duration().as_hours_f64();
        if hours > med.max_hours_per_day + 1e-9 {
            c.fail(
                &at,
                "daily hours",
                format!(
                    "{} works {hours:.2} h, at most {} h a day",
                    d.mediator, med.max_hours_per_day
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
                    format!("no request `{}` in the file", s.request),
                );
                continue;
            };
            if let Some(first) = visited.insert((d.mediator.as_str(), r.id.as_str()), d.date) {
                c.fail(
                    &at,
                    "request",
                    format!("request `{}` is visited twice (also on {first})", r.id),
                );
            }
            if s.location != r.location {
                c.fail(
                    &at,
                    "request",
                    format!("request `{}` is visited away from its home", r.id),
                );
            }
            let dist = base.location().distance_m(&r.location);
            if dist > h.radius_m() {
                c.fail(
                    &at,
                    "radius",
                    format!(
                        "request `{}` is {:.1} km from the base, beyond {} km",
                        r.id,
                        dist / 1000.0,
                        h.radius_km
                    ),
                );
            }
            let snap = input.graph.snap(r.location);
            if snap.distance.0 > REQUEST_MAX_SNAP_METERS {
                c.fail(
                    &at,
                    "request",
                    format!("request `{}`'s home is {} from a road", r.id, snap.distance),
                );
            }
            match c.drive(here, r.location) {
                None => c.fail(&at, "drive", format!("no road to request `{}`", r.id)),
                Some((t, m)) => {
                    if (t, m) != (s.drive_from_previous, s.distance_from_previous) {
                        c.fail(
                            &at,
                            "drive",
                            format!(
                                "to `{}`: the plan says {} and {}, the road graph {} and {}",
                                r.id, s.drive_from_previous, s.distance_from_previous, t, m
                            ),
                        );
                    }
                    if s.arrive < ready + t {
                        c.fail(
                            &at,
                            "drive",
                            format!(
                                "at `{}` at {}, but leaving at {} and driving {} arrives at {}",
                                r.id,
                                s.arrive,
                                ready,
                                t,
                                ready + t
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
                    format!(
                        "visit to `{}` {}–{} (arrival {}): it must last {} min and start within {}",
                        r.id,
                        s.start,
                        s.end,
                        s.arrive,
                        h.service(r).0 / 60,
                        window.map_or("no window of the day".to_string(), |(a, b)| format!(
                            "{a}–{b}"
                        ))
                    ),
                );
            }
            here = r.location;
            ready = s.end;
        }
        match c.drive(here, base.location()) {
            None => c.fail(&at, "drive", "no road back to the base".into()),
            Some((t, m)) => {
                if (t, m) != (d.drive_back, d.distance_back) || d.back < ready + t {
                    c.fail(
                        &at,
                        "drive",
                        format!(
                            "back at {} after {} and {}; the road graph says {} and {} from {}",
                            d.back, d.drive_back, d.distance_back, t, m, ready
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
                        format!(
                            "{} rests {:.1} h before {next}, at least {LEGAL_MIN_DAILY_REST_HOURS} h needed",
                            h.mediator,
                            f64::from(rest) / 3600.0
                        ),
                    );
                }
            }
        }
        for (w, secs) in weeks {
            let hours = f64::from(secs) / 3600.0;
            if hours > med.max_hours_per_week + 1e-9 {
                c.fail(
                    &format!("{} week {}", h.mediator, w + 1),
                    "weekly hours",
                    format!(
                        "{} works {hours:.2} h in week {} (bus and home visits), at most {} h",
                        h.mediator,
                        w + 1,
                        med.max_hours_per_week
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
                    &format!("{} request {}", h.mediator, r.id),
                    "request not declared",
                    format!(
                        "request `{}` ({}) is not visited and not declared in unplaced",
                        r.id, r.name
                    ),
                );
            }
            if done && declared {
                c.fail(
                    &format!("{} request {}", h.mediator, r.id),
                    "request not declared",
                    format!(
                        "request `{}` is visited and also declared not visited",
                        r.id
                    ),
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
                "plan",
                "summary",
                format!(
                    "home visits: the checker finds {served} of {requests} requests served (priority {prio_served} of {prio}) over {} days, the summary says {}",
                    plan.home_visits.len(),
                    claimed.map_or("nothing".to_string(), |s| format!(
                        "{} of {} (priority {} of {}) over {} days",
                        s.served, s.requests, s.priority_served, s.priority_requested, s.days
                    ))
                ),
            );
        }
    }
    c.violations
}
