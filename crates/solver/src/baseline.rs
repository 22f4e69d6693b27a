//! The plan a coordinator makes by hand, as a baseline to measure Tournée against.
//!
//! The rules a coordinator follows without an optimiser:
//! - **largest communes first**: the communes that have a usable site are ranked by
//!   the weighted population of their seat (the place named like the commune);
//! - **a fixed weekly round**: the first time a vehicle runs on a weekday, it takes
//!   the next communes of the ranking not yet in the round, one per slot, and it
//!   makes the same round on that weekday every week of the cycle (a commune is in
//!   the round once, whatever the vehicle);
//! - **nearest-neighbour order**: the day's communes are visited from the depot,
//!   each time to the nearest (by drive time) commune not yet visited, in slot order;
//! - the stop in a commune is its site nearest to the seat that is usable then;
//! - **the same vehicles, crews and hours** as Tournée: the day loop, days off,
//!   crews, driving rules and mediator hours are those of [`crate::greedy`]. A
//!   commune that does not fit (too far for the slot, the crew's hours) is passed
//!   over for the next one in the ranking; a day of the round that cannot be made
//!   again (a site busy or closed that day) drops the communes that do not fit.
//!
//! Reach, coverage and the objective play no part in the choice: that is what a
//! hand-made plan lacks. Its plan is checked by the same checker.

use std::collections::{BTreeMap, BTreeSet};

use tournee_model::{Plan, Progress, Weekday};

use crate::greedy::{self, DayContext};
use crate::instance::Instance;

/// Communes tried for one new day of the round before it is left shorter.
const TRIES_PER_DAY: usize = 60;

/// A commune of the ranking: its sites, nearest to the seat first.
struct Commune {
    sites: Vec<usize>,
}

/// Builds the hand-made baseline plan.
pub fn solve(inst: &Instance, progress: &dyn Progress) -> Plan {
    let values = inst.place_values();
    // Seat value by name (the largest place of that name).
    let mut seat: BTreeMap<&str, (f64, tournee_model::LonLat)> = BTreeMap::new();
    for (p, place) in inst.places.iter().enumerate() {
        let e = seat
            .entry(place.name.as_str())
            .or_insert((values[p], place.location));
        if values[p] > e.0 {
            *e = (values[p], place.location);
        }
    }
    let mut by_commune: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, s) in inst.sites.iter().enumerate() {
        by_commune.entry(s.commune.as_str()).or_default().push(i);
    }
    let mut ranking: Vec<(f64, &str, Commune)> = by_commune
        .into_iter()
        .filter_map(|(name, mut sites)| {
            let &(value, at) = seat.get(name)?;
            if value <= 0.0 {
                return None;
            }
            sites.sort_by(|&a, &b| {
                inst.sites[a]
                    .location
                    .distance_m(&at)
                    .total_cmp(&inst.sites[b].location.distance_m(&at))
                    .then(a.cmp(&b))
            });
            Some((value, name, Commune { sites }))
        })
        .collect();
    ranking.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    let communes: Vec<Commune> = ranking.into_iter().map(|(_, _, c)| c).collect();

    // The weekly round: (vehicle, weekday) → communes in visiting order.
    let mut round: BTreeMap<(usize, Weekday), Vec<usize>> = BTreeMap::new();
    let mut in_round: BTreeSet<usize> = BTreeSet::new();
    let mut choose = |inst: &Instance, ctx: &DayContext| -> Vec<(usize, usize)> {
        let free: Vec<usize> = (0..inst.scenario.slots.len())
            .filter(|s| !ctx.forced.iter().any(|f| f.0 == *s))
            .collect();
        let base = forced_that_fit(inst, ctx);
        if let Some(list) = round.get(&(ctx.vehicle, ctx.day.weekday)) {
            // The round again: the communes that still fit, in the same order.
            let mut kept = list.clone();
            loop {
                if let Some(stops) = layout(inst, ctx, &base, &free, &communes, &kept) {
                    return stops;
                }
                // Not even the promised stops alone fit this day: none then.
                if kept.pop().is_none() {
                    return Vec::new();
                }
            }
        }
        let mut day: Vec<usize> = Vec::new();
        let mut tried = 0;
        for c in 0..communes.len() {
            if day.len() == free.len() || tried == TRIES_PER_DAY {
                break;
            }
            if in_round.contains(&c) {
                continue;
            }
            tried += 1;
            let mut trial = day.clone();
            trial.push(c);
            let trial = nearest_neighbour(inst, ctx.depot, &communes, &trial);
            if layout(inst, ctx, &base, &free, &communes, &trial).is_some() {
                day = trial;
            }
        }
        in_round.extend(day.iter().copied());
        let stops = layout(inst, ctx, &base, &free, &communes, &day).unwrap_or(base);
        round.insert((ctx.vehicle, ctx.day.weekday), day);
        stops
    };
    greedy::build(
        inst,
        progress,
        "plan fait à la main (référence : grandes communes d'abord, tournée hebdomadaire fixe, plus proche voisin)".into(),
        &mut choose,
    )
}

/// The day's promised stops, when the crew can work them (as the greedy does).
fn forced_that_fit(inst: &Instance, ctx: &DayContext) -> Vec<(usize, usize)> {
    match greedy::timing(inst, ctx.v, ctx.depot, ctx.forced) {
        Some(t) if t.back.0 - t.depart.0 <= ctx.max_duration => ctx.forced.to_vec(),
        _ => Vec::new(),
    }
}

/// `day`'s communes reordered from the depot, each time to the nearest by drive
/// time (to the commune's first site), ties to the better-ranked commune.
fn nearest_neighbour(
    inst: &Instance,
    depot: usize,
    communes: &[Commune],
    day: &[usize],
) -> Vec<usize> {
    let mut left: Vec<usize> = day.to_vec();
    let mut out = Vec::with_capacity(day.len());
    let mut at = depot;
    while !left.is_empty() {
        let (k, _) = left
            .iter()
            .enumerate()
            .min_by_key(|&(_, &c)| {
                let to = inst.site_point(communes[c].sites[0]);
                (inst.drive(at, to).map_or(u32::MAX, |(t, _)| t.0), c)
            })
            .expect("not empty");
        let c = left.remove(k);
        at = inst.site_point(communes[c].sites[0]);
        out.push(c);
    }
    out
}

/// The stops of a day visiting `day`'s communes in order, one per free slot in slot
/// order, each at its site nearest the seat usable then and not taken; `None` when
/// the day does not fit (timing, crew hours, a commune without a usable site).
fn layout(
    inst: &Instance,
    ctx: &DayContext,
    base: &[(usize, usize)],
    free: &[usize],
    communes: &[Commune],
    day: &[usize],
) -> Option<Vec<(usize, usize)>> {
    if day.len() > free.len() {
        return None;
    }
    let sc = inst.scenario;
    let setup = sc.setup();
    let mut stops: Vec<(usize, usize)> = base.to_vec();
    for (&c, &s) in day.iter().zip(free) {
        let slot = &sc.slots[s];
        let site = communes[c].sites.iter().copied().find(|&site| {
            !ctx.reserved_only[site]
                && !ctx.capped[site]
                && !ctx.busy.contains(&(ctx.day.date, s, site))
                && !stops.iter().any(|x| x.1 == site)
                && ctx.rules[site]
                    .usable(ctx.day.date, slot.start - setup, slot.end + setup)
                    .is_ok()
        })?;
        stops.push((s, site));
    }
    stops.sort();
    let t = greedy::timing(inst, ctx.v, ctx.depot, &stops)?;
    (t.back.0 - t.depart.0 <= ctx.max_duration).then_some(stops)
}
