//! The bridge to general vehicle-routing engines (`bench/peers.sh`: OR-Tools'
//! routing solver and VROOM): the instance they are given and the way their answer
//! becomes a Tournée plan.
//!
//! [`export`] writes what such an engine can model: the drive-time table between
//! depots and sites (the optimiser's own), every vehicle-day that may run as a
//! vehicle (its depot, hours and the slots' windows: a stop starts at the slot's
//! start less the set-up and lasts the slot plus twice the set-up), and every
//! candidate site as one optional job per week whose **prize** is the weighted
//! population it reaches (share included), divided by the cycle's weeks as the
//! objective counts it. A prize is fixed: it cannot see that two stops of a week
//! reach the same village, which Tournée's objective counts once — the general
//! engines' limit, said in the results. Crews and weekly hours are not in their
//! model either; [`assemble`] gives each day a crew the way the optimiser does
//! (kept free mediators of the depot with the most weekly hours left) and drops a
//! day no crew can take.
//!
//! [`assemble`] turns their stops (vehicle, date, slot, site) into a plan with the
//! optimiser's own timing and bookkeeping (`lns`), which the pipeline then bounds
//! and checks like any plan.

use serde::{Deserialize, Serialize};
use tournee_model::availability::SiteRule;
use tournee_model::Plan;

use crate::instance::Instance;

/// What a general routing engine is given (JSON for `bench/peers.py`).
#[derive(Debug, Serialize)]
pub struct PeerInstance {
    pub scenario: String,
    pub weeks: u32,
    /// Seconds of set-up before and after each slot.
    pub setup: u32,
    /// Drive times in seconds between points (`points`); `null` where there is no
    /// leg (another travel mode).
    pub durations: Vec<Vec<Option<u32>>>,
    /// Point labels: depot ids, then site OSM references.
    pub points: Vec<String>,
    /// Slots: (name, start, end) in seconds since midnight.
    pub slots: Vec<(String, u32, u32)>,
    pub vehicle_days: Vec<PeerVehicleDay>,
    pub sites: Vec<PeerSite>,
}

#[derive(Debug, Serialize)]
pub struct PeerVehicleDay {
    pub vehicle: String,
    pub date: String,
    pub week: u32,
    /// Index in `points` of the depot.
    pub depot: usize,
    pub earliest_departure: u32,
    pub latest_return: u32,
    /// The longest working day of the depot's mediators (seconds): the day's span.
    pub max_span: u32,
}

#[derive(Debug, Serialize)]
pub struct PeerSite {
    pub osm: String,
    /// Index in `points`.
    pub point: usize,
    /// Weighted population reached per week by one stop here (share included),
    /// divided by the cycle's weeks: its contribution to the objective alone.
    pub prize: f64,
    /// (vehicle-day index, slot index) where a stop here is allowed.
    pub usable: Vec<(usize, usize)>,
}

/// The instance for a general routing engine.
pub fn export(inst: &Instance) -> PeerInstance {
    let sc = inst.scenario;
    let setup = sc.setup();
    let days = sc.cycle_days();
    let values = inst.place_values();
    let weeks = sc.cycle_weeks.max(1);
    let n = inst.travel.sources();
    let durations = (0..n)
        .map(|a| (0..n).map(|b| inst.drive(a, b).map(|(t, _)| t.0)).collect())
        .collect();
    let mut points: Vec<String> = sc.depots.iter().map(|d| d.id.clone()).collect();
    points.extend(inst.sites.iter().map(|s| s.osm.to_string()));
    points.truncate(n);
    while points.len() < n {
        points.push(format!("point {}", points.len()));
    }
    let mut vehicle_days = Vec::new();
    for day in &days {
        for v in &sc.vehicles {
            if !v.runs_on(sc, day.weekday)
                || sc.is_day_off(day.date)
                || v.unavailable.contains(&day.date)
            {
                continue;
            }
            let Some(depot) = inst.depot_point(v) else {
                continue;
            };
            let max_span = sc
                .mediators
                .iter()
                .filter(|m| m.base == v.depot)
                .map(|m| (m.max_hours_per_day * 3600.0) as u32)
                .max()
                .unwrap_or(0);
            vehicle_days.push((
                day,
                PeerVehicleDay {
                    vehicle: v.id.clone(),
                    date: day.date.to_string(),
                    week: day.week,
                    depot,
                    earliest_departure: v.earliest_departure.0,
                    latest_return: v.latest_return.0,
                    max_span,
                },
            ));
        }
    }
    let sites = inst
        .sites
        .iter()
        .enumerate()
        .filter(|(i, _)| !inst.coverage.by_site[*i].is_empty())
        .map(|(i, site)| {
            let rule = SiteRule::for_scenario(site, sc);
            let mut usable = Vec::new();
            for (k, (day, _)) in vehicle_days.iter().enumerate() {
                for (s, slot) in sc.slots.iter().enumerate() {
                    if rule
                        .usable(day.date, slot.start - setup, slot.end + setup)
                        .is_ok()
                    {
                        usable.push((k, s));
                    }
                }
            }
            let prize = inst.coverage.by_site[i]
                .iter()
                .map(|c| values[c.place.0 as usize] * c.share)
                .sum::<f64>()
                / weeks as f64;
            PeerSite {
                osm: site.osm.to_string(),
                point: inst.site_point(i),
                prize,
                usable,
            }
        })
        .collect();
    PeerInstance {
        scenario: sc.name.clone(),
        weeks,
        setup: setup.0,
        durations,
        points,
        slots: sc
            .slots
            .iter()
            .map(|s| (s.name.clone(), s.start.0, s.end.0))
            .collect(),
        vehicle_days: vehicle_days.into_iter().map(|(_, v)| v).collect(),
        sites,
    }
}

/// One day of an engine's answer: the vehicle, the date (`YYYY-MM-DD`) and its
/// stops as (slot name, site OSM reference) in slot order.
#[derive(Debug, Clone, Deserialize)]
pub struct PeerDay {
    pub vehicle: String,
    pub date: String,
    pub stops: Vec<(String, String)>,
}

/// An engine's answer as a plan (`method` names the engine), from `base` (any plan
/// of `inst`, for the days off and their reasons): each day is timed and crewed as
/// the optimiser does; a day that does not fit (unknown site or slot, site not
/// usable or taken, hours, no crew) is left out and said in the second value.
pub fn assemble(
    inst: &Instance,
    base: &Plan,
    days: &[PeerDay],
    method: &str,
) -> Result<(Plan, Vec<String>), String> {
    let sc = inst.scenario;
    let site_of = inst.site_index();
    let mut parsed = Vec::new();
    let mut dropped = Vec::new();
    for d in days {
        let date: chrono::NaiveDate = d
            .date
            .parse()
            .map_err(|e| format!("day {} of {}: {e}", d.date, d.vehicle))?;
        let mut stops = Vec::new();
        for (slot, site) in &d.stops {
            let s = sc.slots.iter().position(|x| &x.name == slot);
            let i = site
                .parse::<tournee_model::OsmRef>()
                .ok()
                .and_then(|r| site_of.get(&r).copied());
            match (s, i) {
                (Some(s), Some(i)) => stops.push((s, i)),
                _ => dropped.push(format!(
                    "{} {}: unknown slot or site {slot} {site}",
                    d.vehicle, d.date
                )),
            }
        }
        stops.sort_unstable();
        parsed.push((d.vehicle.as_str(), date, stops));
    }
    let empty = Plan {
        routes: Vec::new(),
        ..base.clone()
    };
    let plan = crate::lns::assemble(inst, &empty, &parsed, method, &mut dropped)
        .ok_or("the plan's days do not match the scenario's vehicle-days")?;
    Ok((plan, dropped))
}
