//! The checker's side of the coordinator's rules (`model::rules`) and promises, independent of
//! the optimiser: it reads only the plan, the scenario and the territory's sites
//! and places.
//!
//! - `[[promises]]` (`check_promises`): every promise is kept (`model::promise`'s
//!   rule over the stops at sites in the commune) or declared not kept; a
//!   preferred weekday or slot not honoured is not a violation, but the plan's
//!   notes report it (`preference_notes`, written by the pipeline);
//! - `[[site]] max_visits`: no site has more visits in the cycle than its cap;
//! - `rules.every_commune_every_weeks`: every commune with population has a stop
//!   at a site in it in every run of `k` weeks (`Scenario::rule_promise`'s rule),
//!   or the plan declares it (`Plan::unplaced`, the commune, a reason starting
//!   `règle non tenue` or `promesse non tenue`);
//! - `rules.use_every_vehicle_day`: every vehicle-day that can run has a visit,
//!   or a reason in `Plan::unplaced` starting `DAY_NOT_USED` (the rule's own
//!   reasons: no crew, no site fits, every site at its cap).

use std::collections::{HashMap, HashSet};

use tournee_i18n::tr;
use tournee_model::promise::{Promise, PromiseVisit, NOT_KEPT};
use tournee_model::rules::{communes_with_population, DAY_NOT_USED, RULE_NOT_KEPT};
use tournee_model::{OsmRef, Plan, PlanNote, Site};

use crate::check::{CheckInput, Violation};

fn violation(at: String, rule: &'static str, message: String) -> Violation {
    Violation { at, rule, message }
}

/// The violations of the coordinator's rules in `plan`; `sites` are the
/// territory's sites and those the scenario adds, by reference.
pub(crate) fn check_rules(
    plan: &Plan,
    input: &CheckInput,
    sites: &HashMap<OsmRef, &Site>,
) -> Vec<Violation> {
    let sc = input.scenario;
    let mut out = Vec::new();
    // Site caps.
    let mut count: HashMap<OsmRef, u32> = HashMap::new();
    for v in plan.routes.iter().flat_map(|r| &r.visits) {
        *count.entry(v.site).or_default() += 1;
    }
    let mut counted: Vec<(&OsmRef, &u32)> = count.iter().collect();
    counted.sort();
    for (osm, &n) in counted {
        let Some(site) = sites.get(osm) else { continue };
        if let Some(max) = sc.max_visits_of(site).filter(|&m| n > m) {
            out.push(violation(
                site.name.clone(),
                "site max visits",
                tr!(
                    "check-site-max-visits",
                    site = &site.name,
                    osm = osm.to_string(),
                    count = n,
                    max = max
                ),
            ));
        }
    }
    // Every commune every k weeks.
    if sc.rules.every_commune_every_weeks.is_some() {
        for commune in communes_with_population(input.places) {
            let Some(rule) = sc.rule_promise(&commune) else {
                continue;
            };
            let visits = commune_visits(plan, sites, &commune);
            let Err(why) = rule.verdict(sc.cycle_weeks, &visits) else {
                continue;
            };
            let declared = plan.unplaced.iter().any(|u| {
                u.commune.as_deref() == Some(commune.as_str())
                    && (u.reason.starts_with(RULE_NOT_KEPT) || u.reason.starts_with(NOT_KEPT))
            });
            if !declared {
                out.push(violation(
                    commune.clone(),
                    "every commune",
                    tr!(
                        "check-commune-rule-broken",
                        commune = commune.as_str(),
                        why = why,
                        prefix = RULE_NOT_KEPT
                    ),
                ));
            }
        }
    }
    // Every vehicle-day used.
    if sc.rules.use_every_vehicle_day {
        let running: HashSet<(&str, chrono::NaiveDate)> = plan
            .routes
            .iter()
            .filter(|r| !r.visits.is_empty())
            .map(|r| (r.vehicle.as_str(), r.date))
            .collect();
        for (vi, day) in sc.vehicle_days() {
            let v = &sc.vehicles[vi];
            if running.contains(&(v.id.as_str(), day.date)) {
                continue;
            }
            let said = plan.unplaced.iter().any(|u| {
                u.vehicle.as_deref() == Some(v.id.as_str())
                    && u.date == Some(day.date)
                    && u.commune.is_none()
                    && u.reason.starts_with(DAY_NOT_USED)
            });
            if !said {
                out.push(violation(
                    format!("{} {}", v.id, day.date),
                    "every vehicle day",
                    tr!(
                        "check-vehicle-day-unused",
                        vehicle = v.id.as_str(),
                        date = day.date.format("%d/%m/%Y").to_string()
                    ),
                ));
            }
        }
    }
    out
}

/// Every promise is kept (`model::promise`'s rule over the stops at sites in the
/// commune), or declared not kept in `Plan::unplaced`.
pub(crate) fn check_promises(
    plan: &Plan,
    input: &CheckInput,
    sites: &HashMap<OsmRef, &Site>,
) -> Vec<Violation> {
    let sc = input.scenario;
    let mut out = Vec::new();
    for p in &sc.promises {
        let commune = promise_commune(p, input);
        let visits = commune_visits(plan, sites, commune);
        if let Err(why) = p.verdict(sc.cycle_weeks, &visits) {
            let declared = plan
                .unplaced
                .iter()
                .any(|u| u.commune.as_deref() == Some(commune) && u.reason.starts_with(NOT_KEPT));
            if !declared {
                out.push(violation(
                    tr!("check-at-promise", commune = commune),
                    "promise",
                    tr!(
                        "check-promise-broken",
                        commune = commune,
                        promise = p.describe(),
                        why = why
                    ),
                ));
            }
        }
    }
    out
}

/// The notes `plan` owes its coordinator (`Plan::notes`): every kept promise whose
/// preferred weekday or slot some visits miss (a preference, not a rule: a missed
/// one is reported, never a violation). The pipeline writes them.
pub fn preference_notes(plan: &Plan, input: &CheckInput) -> Vec<PlanNote> {
    let sc = input.scenario;
    let added = sc.added_sites(input.places);
    let sites = crate::check::sites_by_ref(input, &added);
    sc.promises
        .iter()
        .filter_map(|p| {
            let commune = promise_commune(p, input);
            let visits = commune_visits(plan, &sites, commune);
            p.verdict(sc.cycle_weeks, &visits).ok()?;
            p.preference_note(commune, &visits)
        })
        .collect()
}

/// The commune a promise names (a name or an INSEE code), by its place name.
fn promise_commune<'i>(p: &'i Promise, input: &'i CheckInput) -> &'i str {
    input
        .places
        .iter()
        .find(|pl| pl.insee.as_deref() == Some(p.commune.as_str()))
        .map_or(p.commune.as_str(), |pl| pl.name.as_str())
}

/// The plan's stops at sites in `commune`, as a promise's rule sees them.
fn commune_visits<'p>(
    plan: &'p Plan,
    sites: &HashMap<OsmRef, &Site>,
    commune: &str,
) -> Vec<PromiseVisit<'p>> {
    plan.routes
        .iter()
        .flat_map(|r| r.visits.iter().map(move |v| (r, v)))
        .filter(|(_, v)| sites.get(&v.site).is_some_and(|s| s.commune == commune))
        .map(|(r, v)| PromiseVisit {
            week: r.week,
            weekday: r.weekday,
            slot: v.slot.as_str(),
        })
        .collect()
}
