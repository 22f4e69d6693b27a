//! Promised visits: which sites serve which promise, placing the promised visits
//! before anything else, and saying why a promise could not be kept.
//!
//! A promise is served by stops at sites *in* its commune ([`tournee_model::promise`]).
//! [`reserve`] runs before construction: promise by promise (fewest usable sites
//! first), it picks the visited weeks ([`Promise::week_plans`], fewest visits
//! first) and, for a stable promise, one (vehicle, weekday, slot, site) that fits
//! every one of those weeks — the vehicle runs that day (not a holiday, not in
//! maintenance, enough mediators of its depot at work), the site is usable then
//! (`model::availability`), the slot is free, and the day with the stops already
//! reserved still fits the vehicle's hours and a mediator's day. The preferred
//! weekday and slot are tried first, then the nearest sites. The construction then
//! starts each vehicle-day from its reserved stops.
//!
//! A promise that could not be kept is reported ([`report`]) in `Plan::unplaced`
//! with the commune and the reason: no usable site in the commune; its sites are
//! unusable on every day and slot the tours run; or no vehicle, slot and crew is
//! free for the promised weeks.

use std::collections::{BTreeMap, BTreeSet};

use tournee_model::availability::SiteRule;
use tournee_model::promise::PromiseVisit;
use tournee_model::scenario::CycleDay;
use tournee_model::{DayRoute, Promise, Unplaced};

use crate::greedy;
use crate::instance::Instance;

pub use tournee_model::promise::NOT_KEPT;

/// A promise and the sites that serve it.
pub struct Target<'a> {
    pub promise: &'a Promise,
    /// The commune as sites name it (the place's name when the promise gives an
    /// INSEE code).
    pub commune: String,
    /// Indices in `Instance::sites` of the usable sites in the commune.
    pub sites: Vec<usize>,
}

impl Target<'_> {
    /// Whether the target can be kept: `Err` is the reason when it cannot be, on
    /// any day.
    pub fn structural(&self, inst: &Instance, rules: &[SiteRule]) -> Result<(), String> {
        let sc = inst.scenario;
        if self.sites.is_empty() {
            return Err(format!(
                "aucun site candidat utilisable dans la commune {} (absent du territoire, d'un type non retenu, fermé ou loin d'une route)",
                self.commune
            ));
        }
        let setup = sc.setup();
        let mut first_why = None;
        for day in sc.cycle_days() {
            if sc.is_day_off(day.date) {
                continue;
            }
            for slot in &sc.slots {
                for &site in &self.sites {
                    match rules[site].usable(day.date, slot.start - setup, slot.end + setup) {
                        Ok(()) => return Ok(()),
                        Err(e) => {
                            first_why.get_or_insert(format!("{} : {e}", inst.sites[site].name));
                        }
                    }
                }
            }
        }
        Err(format!(
            "aucun de ses {} site(s) n'est utilisable un jour et un créneau de tournée (par exemple {})",
            self.sites.len(),
            first_why.unwrap_or_default()
        ))
    }
}

/// The scenario's promises with their sites, in scenario order.
pub fn targets<'a>(inst: &Instance<'a>) -> Vec<Target<'a>> {
    inst.scenario
        .promises
        .iter()
        .map(|p| {
            let commune = inst
                .places
                .iter()
                .find(|pl| pl.insee.as_deref() == Some(p.commune.as_str()))
                .map(|pl| pl.name.clone())
                .unwrap_or_else(|| p.commune.clone());
            let sites = (0..inst.sites.len())
                .filter(|&s| inst.sites[s].commune == commune)
                .collect();
            Target {
                promise: p,
                commune,
                sites,
            }
        })
        .collect()
}

/// Per site: whether it serves a promise.
pub fn promised_sites(inst: &Instance) -> Vec<bool> {
    let mut out = vec![false; inst.sites.len()];
    for t in targets(inst) {
        for s in t.sites {
            out[s] = true;
        }
    }
    out
}

/// Per site: whether only promised visits may use it (its commune's promise is
/// stable, strict or has a maximum, so an extra visit could break it).
pub fn reserved_only_sites(inst: &Instance) -> Vec<bool> {
    let mut out = vec![false; inst.sites.len()];
    for t in targets(inst) {
        if t.promise.stable || t.promise.strict || t.promise.max_visits.is_some() {
            for s in t.sites {
                out[s] = true;
            }
        }
    }
    out
}

/// Each target's visits in `routes`.
fn visits_of<'r>(
    inst: &Instance,
    targets: &[Target],
    routes: &'r [DayRoute],
) -> Vec<Vec<PromiseVisit<'r>>> {
    let index = inst.site_index();
    targets
        .iter()
        .map(|t| {
            routes
                .iter()
                .flat_map(|r| r.visits.iter().map(move |v| (r, v)))
                .filter(|(_, v)| index.get(&v.site).is_some_and(|s| t.sites.contains(s)))
                .map(|(r, v)| PromiseVisit {
                    week: r.week,
                    weekday: r.weekday,
                    slot: v.slot.as_str(),
                })
                .collect()
        })
        .collect()
}

/// How many promises `routes` keep.
pub fn kept(inst: &Instance, routes: &[DayRoute]) -> usize {
    let ts = targets(inst);
    let weeks = inst.scenario.cycle_weeks;
    visits_of(inst, &ts, routes)
        .iter()
        .zip(&ts)
        .filter(|(v, t)| t.promise.verdict(weeks, v).is_ok())
        .count()
}

/// One entry per promise `routes` do not keep, with the commune and the reason.
pub fn report(inst: &Instance, routes: &[DayRoute]) -> Vec<Unplaced> {
    let ts = targets(inst);
    let rules = inst.site_rules();
    let weeks = inst.scenario.cycle_weeks;
    let mut out = Vec::new();
    for (t, visits) in ts.iter().zip(visits_of(inst, &ts, routes)) {
        let Err(broken) = t.promise.verdict(weeks, &visits) else {
            continue;
        };
        let why = match t.structural(inst, &rules) {
            Err(e) => e,
            Ok(()) => capacity_reason(inst, &rules, t, routes),
        };
        out.push(Unplaced {
            vehicle: None,
            date: None,
            commune: Some(t.commune.clone()),
            mediator: None,
            request: None,
            reason: format!("{NOT_KEPT} ({}) : {why} — {broken}", t.promise.describe()),
        });
    }
    out
}

/// Why no stop of the plan serves a promise that its sites could serve on some
/// day: every (vehicle-day, slot, site) the cycle offers, with what stood in its
/// way, counted by cause (the site closed that day and slot, the site's slot taken
/// by another vehicle, the vehicle busy elsewhere in that slot, the drive from the
/// depot too long for the vehicle's hours, no crew free that day, the day's other
/// stops too far to fit this one), the mediators who were missing named.
fn capacity_reason(inst: &Instance, rules: &[SiteRule], t: &Target, routes: &[DayRoute]) -> String {
    let sc = inst.scenario;
    let setup = sc.setup();
    let index = inst.site_index();
    let mut route_of: BTreeMap<(&str, chrono::NaiveDate), &DayRoute> = BTreeMap::new();
    let mut taken: BTreeSet<(chrono::NaiveDate, &str, usize)> = BTreeSet::new();
    let mut on_duty: BTreeSet<(&str, chrono::NaiveDate)> = BTreeSet::new();
    let mut hours: BTreeMap<(&str, u32), u32> = BTreeMap::new();
    for r in routes {
        route_of.insert((r.vehicle.as_str(), r.date), r);
        for v in &r.visits {
            if let Some(&site) = index.get(&v.site) {
                taken.insert((r.date, v.slot.as_str(), site));
            }
        }
        for m in &r.crew {
            on_duty.insert((m.as_str(), r.date));
            *hours.entry((m.as_str(), r.week)).or_default() += r.duration().0;
        }
    }
    let (mut total, mut closed, mut site_taken, mut busy, mut far, mut crewless, mut day_full) =
        (0, 0, 0, 0, 0, 0, 0);
    let mut missing: BTreeSet<String> = BTreeSet::new();
    for day in sc.cycle_days() {
        if sc.is_day_off(day.date) {
            continue;
        }
        for v in &sc.vehicles {
            if !v.runs_on(sc, day.weekday) || v.unavailable.contains(&day.date) {
                continue;
            }
            let Some(depot) = inst.depot_point(v) else {
                continue;
            };
            let route = route_of.get(&(v.id.as_str(), day.date));
            for (s, slot) in sc.slots.iter().enumerate() {
                for &site in &t.sites {
                    total += 1;
                    if rules[site]
                        .usable(day.date, slot.start - setup, slot.end + setup)
                        .is_err()
                    {
                        closed += 1;
                    } else if taken.contains(&(day.date, slot.name.as_str(), site)) {
                        site_taken += 1;
                    } else if route.is_some_and(|r| r.visits.iter().any(|x| x.slot == slot.name)) {
                        busy += 1;
                    } else if greedy::timing(inst, v, depot, &[(s, site)]).is_none() {
                        far += 1;
                    } else if let Some(r) = route {
                        // The vehicle runs: the day with this stop added.
                        let mut stops: Vec<(usize, usize)> = r
                            .visits
                            .iter()
                            .filter_map(|x| {
                                let s = sc.slots.iter().position(|y| y.name == x.slot)?;
                                Some((s, *index.get(&x.site)?))
                            })
                            .collect();
                        stops.push((s, site));
                        stops.sort_unstable();
                        if greedy::timing(inst, v, depot, &stops).is_none() {
                            day_full += 1;
                        }
                    } else {
                        // The vehicle stays at the depot: who could crew it?
                        let single = greedy::timing(inst, v, depot, &[(s, site)]);
                        let dur = single.map_or(0, |t| t.back.0 - t.depart.0);
                        let free: Vec<_> = sc
                            .mediators
                            .iter()
                            .filter(|m| m.base == v.depot)
                            .filter(|m| {
                                let ok = m.works_on(sc, day.weekday)
                                    && !m.leave.contains(&day.date)
                                    && !on_duty.contains(&(m.id.as_str(), day.date))
                                    && (hours.get(&(m.id.as_str(), day.week)).copied().unwrap_or(0)
                                        + dur) as f64
                                        <= m.max_hours_per_week * 3600.0;
                                if !ok {
                                    missing.insert(m.name.clone());
                                }
                                ok
                            })
                            .collect();
                        if free.len() < v.crew_size as usize || !free.iter().any(|m| m.can_drive(v))
                        {
                            crewless += 1;
                        }
                    }
                }
            }
        }
    }
    let mut causes = Vec::new();
    for (n, what) in [
        (closed, "site fermé ou indisponible ce jour et ce créneau"),
        (
            site_taken,
            "déjà visités par la tournée (ce site, ce jour et ce créneau)",
        ),
        (busy, "véhicule déjà arrêté ailleurs dans ce créneau"),
        (far, "trop loin du dépôt pour les horaires du véhicule"),
        (
            day_full,
            "trop loin des autres arrêts de la journée du véhicule",
        ),
    ] {
        if n > 0 {
            causes.push(format!("{n} {what}"));
        }
    }
    if crewless > 0 {
        causes.push(format!(
            "{crewless} sans équipage libre (médiateurs absents, déjà en tournée ou au bout de leurs heures : {})",
            missing.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    if causes.is_empty() {
        return "des créneaux restaient possibles mais servir cette commune aurait fait manquer une autre promesse ou une part plus grande de la population (capacité partagée)".to_string();
    }
    format!(
        "manque de capacité : sur {total} possibilités (jour, véhicule, créneau, site) du cycle, {}",
        causes.join(", ")
    )
}

/// Stops reserved for promised visits, per (vehicle index, date).
pub type Reserved = BTreeMap<(usize, chrono::NaiveDate), Vec<(usize, usize)>>;

/// Places every promised visit it can before construction (see the module doc).
pub fn reserve(inst: &Instance, rules: &[SiteRule]) -> Reserved {
    let sc = inst.scenario;
    let setup = sc.setup();
    let days = sc.cycle_days();
    let day_of: BTreeMap<(u32, tournee_model::Weekday), &CycleDay> =
        days.iter().map(|d| ((d.week, d.weekday), d)).collect();
    let mut reserved: Reserved = BTreeMap::new();
    let mut taken: BTreeSet<(chrono::NaiveDate, usize, usize)> = BTreeSet::new();
    let mut ts = targets(inst);
    ts.retain(|t| t.structural(inst, rules).is_ok());
    ts.sort_by_key(|t| t.sites.len());

    // Whether vehicle `vi` can add stop (slot, site) on `day` given what is reserved.
    let fits = |reserved: &Reserved,
                taken: &BTreeSet<(chrono::NaiveDate, usize, usize)>,
                vi: usize,
                day: &CycleDay,
                s: usize,
                site: usize|
     -> bool {
        let v = &sc.vehicles[vi];
        if !v.runs_on(sc, day.weekday)
            || sc.is_day_off(day.date)
            || v.unavailable.contains(&day.date)
            || taken.contains(&(day.date, s, site))
        {
            return false;
        }
        let slot = &sc.slots[s];
        if rules[site]
            .usable(day.date, slot.start - setup, slot.end + setup)
            .is_err()
        {
            return false;
        }
        let pool: Vec<&tournee_model::scenario::Mediator> = sc
            .mediators
            .iter()
            .filter(|m| {
                m.base == v.depot && m.works_on(sc, day.weekday) && !m.leave.contains(&day.date)
            })
            .collect();
        let mut caps: Vec<u32> = pool
            .iter()
            .map(|m| (m.max_hours_per_day.min(m.max_hours_per_week) * 3600.0) as u32)
            .collect();
        if caps.len() < v.crew_size as usize || !pool.iter().any(|m| m.can_drive(v)) {
            return false;
        }
        caps.sort_unstable_by(|a, b| b.cmp(a));
        let Some(depot) = inst.depot_point(v) else {
            return false;
        };
        let mut stops = reserved.get(&(vi, day.date)).cloned().unwrap_or_default();
        if stops.iter().any(|&(x, q)| x == s || q == site) {
            return false;
        }
        stops.push((s, site));
        stops.sort_unstable();
        greedy::timing(inst, v, depot, &stops)
            .is_some_and(|t| t.back.0 - t.depart.0 <= caps[v.crew_size as usize - 1])
    };

    for t in &ts {
        let p = t.promise;
        // Candidate (vehicle, weekday, slot, site): preferred weekday and slot first,
        // then the site nearest the vehicle's depot.
        let mut keys = Vec::new();
        for (vi, v) in sc.vehicles.iter().enumerate() {
            let Some(depot) = inst.depot_point(v) else {
                continue;
            };
            for &wd in &sc.days {
                for (s, slot) in sc.slots.iter().enumerate() {
                    for &site in &t.sites {
                        let drive = inst
                            .drive(depot, inst.site_point(site))
                            .map_or(u32::MAX, |(d, _)| d.0);
                        if !p.on_promised_day(wd, &slot.name) {
                            continue; // a strict promise's weekday and slot are rules
                        }
                        let pref = u8::from(p.weekday.is_some_and(|w| w != wd))
                            + u8::from(p.slot.as_deref().is_some_and(|n| n != slot.name));
                        keys.push((pref, drive, vi, wd.index(), s, site, wd));
                    }
                }
            }
        }
        keys.sort_by_key(|k| (k.0, k.1, k.2, k.3, k.4, k.5));
        'plans: for weeks in p.week_plans(sc.cycle_weeks) {
            if p.stable {
                for &(_, _, vi, _, s, site, wd) in &keys {
                    let ok = weeks.iter().all(|w| {
                        day_of
                            .get(&(*w, wd))
                            .is_some_and(|d| fits(&reserved, &taken, vi, d, s, site))
                    });
                    if ok {
                        for w in &weeks {
                            let d = day_of[&(*w, wd)];
                            reserved.entry((vi, d.date)).or_default().push((s, site));
                            taken.insert((d.date, s, site));
                        }
                        break 'plans;
                    }
                }
            } else {
                // Each visit on its own: any vehicle, day of its week, slot and site.
                // Without a frequency the weeks are only a spread: a week where no
                // visit fits (a holiday on the promised weekday) gives way to
                // another week of the cycle not in the plan.
                let mut spare = (0..sc.cycle_weeks)
                    .filter(|w| p.frequency.is_none() && !weeks.contains(w))
                    .collect::<Vec<u32>>()
                    .into_iter();
                let mut trial_reserved = reserved.clone();
                let mut trial_taken = taken.clone();
                for &w in &weeks {
                    let pick_in = |week: u32, r: &Reserved, tk: &BTreeSet<_>| {
                        keys.iter().find_map(|&(_, _, vi, _, s, site, wd)| {
                            let d = day_of.get(&(week, wd))?;
                            fits(r, tk, vi, d, s, site).then_some((vi, d.date, s, site))
                        })
                    };
                    let mut pick = pick_in(w, &trial_reserved, &trial_taken);
                    while pick.is_none() {
                        let Some(other) = spare.next() else { break };
                        pick = pick_in(other, &trial_reserved, &trial_taken);
                    }
                    let Some((vi, date, s, site)) = pick else {
                        continue 'plans;
                    };
                    trial_reserved
                        .entry((vi, date))
                        .or_default()
                        .push((s, site));
                    trial_taken.insert((date, s, site));
                }
                reserved = trial_reserved;
                taken = trial_taken;
                break 'plans;
            }
        }
    }
    for stops in reserved.values_mut() {
        stops.sort_unstable();
    }
    reserved
}
