//! The exact optimiser for small scenarios: a MILP over day patterns, solved with
//! HiGHS through `good_lp`, whose optimum is a plan that the checker accepts and
//! that no valid plan beats.
//!
//! A vehicle's day is one site (or none) per half-day slot, in slot order, so every
//! feasible day of every vehicle can be listed: the **patterns** — each a choice of
//! distinct sites for some slots, usable at those dates and slots
//! (`model::availability`), whose drives fit between the slots and within the
//! vehicle's hours (`greedy::timing`, the same timing as every plan). Then:
//!
//! - `x[v, d, p]` binary: vehicle `v` runs pattern `p` on day `d`; at most one per
//!   vehicle-day;
//! - `c[m, v, d]` binary: mediator `m` crews `v` on `d`, only for mediators of the
//!   vehicle's depot who work that day and are not on leave; `Σ_m c = crew_size ·
//!   Σ_p x`; one vehicle per mediator and day;
//! - hours: `dur(v, d) = Σ_p dur_p · x` ≤ the mediator's daily maximum when
//!   `c = 1` (big-M), and `h[m, v, d] ≥ dur(v, d) − M (1 − c)`, `Σ h` over a week ≤
//!   the weekly maximum; at least one crew member may drive the vehicle
//!   (`Mediator::can_drive`: a C1 or C licence over 3.5 t); patterns over 3.5 t
//!   keep the EU driving time (`Vehicle::driving_rules`, in the shared timing);
//! - a site hosts at most one vehicle per date and slot;
//! - `z[week, place] ≤ Σ x` over the patterns of that week reaching the place,
//!   `z ≤ 1` (with `repeat_factors`, one `z` per reach, `Σ z ≤` the stops reaching
//!   it, each repeat worth its factor); with a reach decay curve, one such set of
//!   `z` per distinct share level `L` of the place's reaches, over the stops with
//!   share ≥ `L`, worth the step down to the next level (`share_steps`: exact,
//!   since a week's value is the sum over levels); maximise `Σ value · z / weeks − ε · driving` (less driving breaks ties,
//!   as in the heuristic).
//!
//! - promises (`model::promise`), for each promise its sites can keep at all:
//!   `visited[week] ≤ Σ x` over that week's patterns with a stop in the commune and
//!   `Σ visited ≥ m` over every run of `k` weeks (around the cycle); `Σ stops · x`
//!   within `min_visits`/`max_visits`; when stable, a binary per (weekday, slot),
//!   at most one chosen, and every pattern stopping in the commune in that slot on
//!   that weekday `x ≤` it; with `strict`, no pattern stops in the commune on
//!   another weekday or slot than the promised ones.
//!
//! The 11-hour daily rest is implied when no day can end later than 13 h after the
//! next day can start (e.g. departures from 07:30 and returns by 20:30); otherwise
//! [`solve`] says the scenario is outside what it models rather than guess.

use std::collections::{BTreeMap, HashMap};

use good_lp::solvers::highs::highs;
use good_lp::{variable, Expression, ProblemVariables, Solution, SolverModel, Variable};
use tournee_model::availability::SiteRule;
use tournee_model::scenario::Mediator;
use tournee_model::{Plan, StopSignal, Unplaced};

use crate::bound::STOPPED;
use crate::greedy::{self, DayTiming, MediatorLog};
use crate::instance::Instance;

/// Largest number of usable sites [`solve`] accepts: the patterns grow as
/// `sites^slots`.
pub const MAX_SITES: usize = 40;

/// Driving's weight in the objective, per second: a tie-breaker only (an hour of
/// driving is worth 3.6 weighted inhabitants, below any population difference that
/// matters, as in the heuristic's 1e-3).
const DRIVE_WEIGHT: f64 = 1e-3;

/// HiGHS gives up after this many branch-and-bound nodes (a limit that does not
/// depend on the machine, so the outcome stays deterministic), or, as a safety
/// net, after this long; only a proven optimum is returned (some scenarios with
/// `repeat_factors` or promises have a weak relaxation).
pub const MAX_NODES: i32 = 20_000;
pub const TIME_LIMIT_SECONDS: f64 = 60.0;

/// A feasible day of one vehicle: (slot index, site index) in slot order.
pub(crate) struct Pattern {
    pub(crate) stops: Vec<(usize, usize)>,
    pub(crate) timing: DayTiming,
    /// Places reached (index, share), once per stop reaching them, sorted by place
    /// then share in decreasing order.
    pub(crate) places: Vec<(usize, f64)>,
}

/// Every feasible day of vehicle `v` on `date`: distinct sites usable in their
/// slots, drives that fit between slots and within the vehicle's hours.
pub(crate) fn day_patterns(
    inst: &Instance,
    rules: &[SiteRule],
    v: &tournee_model::scenario::Vehicle,
    depot: usize,
    date: chrono::NaiveDate,
) -> Vec<Pattern> {
    let sc = inst.scenario;
    let setup = sc.setup();
    let promised = crate::promises::promised_sites(inst);
    let options: Vec<Vec<usize>> = sc
        .slots
        .iter()
        .map(|slot| {
            (0..inst.sites.len())
                .filter(|&site| {
                    (promised[site] || !inst.coverage.by_site[site].is_empty())
                        && rules[site]
                            .usable(date, slot.start - setup, slot.end + setup)
                            .is_ok()
                })
                .collect()
        })
        .collect();
    let mut partial: Vec<Vec<(usize, usize)>> = vec![Vec::new()];
    for (s, sites) in options.iter().enumerate() {
        let mut next = partial.clone();
        for p in &partial {
            for &site in sites {
                if p.iter().any(|&(_, q)| q == site) {
                    continue;
                }
                let mut q = p.clone();
                q.push((s, site));
                // Prune: a prefix that cannot fit cannot be extended.
                if greedy::timing(inst, v, depot, &q).is_some() {
                    next.push(q);
                }
            }
        }
        partial = next;
    }
    partial
        .into_iter()
        .filter(|p| !p.is_empty())
        .filter_map(|stops| {
            let timing = greedy::timing(inst, v, depot, &stops)?;
            let mut places: Vec<(usize, f64)> = stops
                .iter()
                .flat_map(|&(_, site)| {
                    inst.coverage.by_site[site]
                        .iter()
                        .map(|c| (c.place.0 as usize, c.share))
                })
                .collect();
            crate::reach::sort_reaches(&mut places);
            Some(Pattern {
                stops,
                timing,
                places,
            })
        })
        .collect()
}

/// The optimal plan and the size of the model that proved it.
pub struct Exact {
    pub plan: Plan,
    pub variables: usize,
    pub constraints: usize,
    pub patterns: usize,
}

/// Solves `inst` to proven optimality, or says why it cannot.
pub fn solve(inst: &Instance) -> Result<Exact, String> {
    solve_within(inst, &StopSignal::never())
}

/// [`solve`], given up (`Err`) when `stop` fires: checked at every vehicle-day
/// while the patterns are listed; HiGHS gets the smaller of its own limit and the
/// time left.
pub fn solve_within(inst: &Instance, stop: &StopSignal) -> Result<Exact, String> {
    let sc = inst.scenario;
    if inst.sites.len() > MAX_SITES {
        return Err(format!(
            "{} usable sites: the exact optimiser handles at most {MAX_SITES}",
            inst.sites.len()
        ));
    }
    let setup = sc.setup();
    let values = inst.place_values();
    let rules = inst.site_rules();
    let weeks = sc.cycle_weeks as f64;
    let days = sc.cycle_days();

    let mut vars = ProblemVariables::new();
    let mut constraints = Vec::new();
    let mut objective = Expression::from(0.0);
    // Per vehicle-day: (vehicle index, day index, patterns, their x variables).
    type DayPatterns = (usize, usize, Vec<Pattern>, Vec<Variable>);
    let mut vehicle_days: Vec<DayPatterns> = Vec::new();
    let mut skipped: Vec<Unplaced> = Vec::new();
    let mut n_patterns = 0;
    let (mut min_depart, mut max_back) = (u32::MAX, 0u32);
    for (di, day) in days.iter().enumerate() {
        for (vi, v) in sc.vehicles.iter().enumerate() {
            if stop.stopped() {
                return Err(STOPPED.into());
            }
            if !v.runs_on(sc, day.weekday) {
                continue;
            }
            let why = if let Some(off) = sc.day_off(day.date) {
                Some(off)
            } else if v.unavailable.contains(&day.date) {
                Some("véhicule indisponible (entretien) ce jour")
            } else {
                None
            };
            if let Some(reason) = why {
                skipped.push(Unplaced {
                    vehicle: Some(v.id.clone()),
                    date: Some(day.date),
                    commune: None,
                    mediator: None,
                    request: None,
                    reason: reason.into(),
                });
                continue;
            }
            let depot = inst
                .depot_point(v)
                .ok_or_else(|| format!("vehicle {} has no depot point", v.id))?;
            let patterns = day_patterns(inst, &rules, v, depot, day.date);
            for p in &patterns {
                min_depart = min_depart.min(p.timing.depart.0);
                max_back = max_back.max(p.timing.back.0);
            }
            n_patterns += patterns.len();
            let xs: Vec<Variable> = patterns
                .iter()
                .map(|_| vars.add(variable().binary()))
                .collect();
            if !xs.is_empty() {
                constraints.push(xs.iter().copied().sum::<Expression>().leq(1));
            }
            for (p, x) in patterns.iter().zip(&xs) {
                objective -= DRIVE_WEIGHT * p.timing.driving() as f64 * *x;
            }
            vehicle_days.push((vi, di, patterns, xs));
        }
    }
    if max_back > min_depart.saturating_add(13 * 3600) {
        return Err(
            "days can end more than 13 h after the next day starts: the 11-hour rest \
             between days is not modelled by the exact optimiser"
                .into(),
        );
    }

    // Crews and hours.
    const BIG: f64 = 24.0 * 3600.0;
    let mut crew_vars: Vec<Vec<(usize, Variable)>> = Vec::new();
    let mut by_mediator_day: HashMap<(usize, usize), Vec<Variable>> = HashMap::new();
    let mut hours_by_mediator_week: HashMap<(usize, u32), Vec<Variable>> = HashMap::new();
    for (vi, di, patterns, xs) in &vehicle_days {
        let (v, day) = (&sc.vehicles[*vi], &days[*di]);
        let running: Expression = xs.iter().copied().sum();
        let duration: Expression = patterns
            .iter()
            .zip(xs)
            .map(|(p, x)| (p.timing.back.0 - p.timing.depart.0) as f64 * *x)
            .sum();
        let eligible: Vec<(usize, &Mediator)> = sc
            .mediators
            .iter()
            .enumerate()
            .filter(|(_, m)| {
                m.base == v.depot && m.works_on(sc, day.weekday) && !m.leave.contains(&day.date)
            })
            .collect();
        let mut cs = Vec::new();
        for (mi, m) in eligible {
            let c = vars.add(variable().binary());
            let h = vars.add(variable().min(0));
            constraints.push(
                duration
                    .clone()
                    .leq(m.max_hours_per_day * 3600.0 + BIG * (1.0 - Expression::from(c))),
            );
            constraints.push(
                Expression::from(h).geq(duration.clone() - BIG * (1.0 - Expression::from(c))),
            );
            by_mediator_day.entry((mi, *di)).or_default().push(c);
            hours_by_mediator_week
                .entry((mi, day.week))
                .or_default()
                .push(h);
            cs.push((mi, c));
        }
        let crew: Expression = cs.iter().map(|(_, c)| *c).sum();
        constraints.push(crew.eq(v.crew_size as f64 * running.clone()));
        // A driver with the licence the vehicle needs.
        let drivers: Expression = cs
            .iter()
            .filter(|(mi, _)| sc.mediators[*mi].can_drive(v))
            .map(|(_, c)| *c)
            .sum();
        constraints.push(drivers.geq(running));
        crew_vars.push(cs);
    }
    for cs in by_mediator_day.values() {
        constraints.push(cs.iter().copied().sum::<Expression>().leq(1));
    }
    for ((mi, _), hs) in &hours_by_mediator_week {
        let cap = sc.mediators[*mi].max_hours_per_week * 3600.0;
        constraints.push(hs.iter().copied().sum::<Expression>().leq(cap));
    }

    // A site hosts one vehicle per date and slot; reach per period
    // (`Objective::period_of`: the cycle, or each week).
    let mut hosts: BTreeMap<(usize, usize, usize), Vec<Variable>> = BTreeMap::new();
    let mut reaching: BTreeMap<(usize, usize), Vec<(f64, Variable)>> = BTreeMap::new();
    for (_, di, patterns, xs) in &vehicle_days {
        let day = &days[*di];
        for (p, x) in patterns.iter().zip(xs) {
            for &(s, site) in &p.stops {
                hosts.entry((*di, s, site)).or_default().push(*x);
            }
            for &(place, share) in &p.places {
                reaching
                    .entry((sc.objective.period_of(day.week), place))
                    .or_default()
                    .push((share, *x));
            }
        }
    }
    for xs in hosts.values().filter(|xs| xs.len() > 1) {
        constraints.push(xs.iter().copied().sum::<Expression>().leq(1));
    }
    let mut zs = Vec::new();
    for ((_, place), xs) in &reaching {
        // Per share level, the first reach, then each repeat worth its factor.
        zs.extend(crate::place_terms::add(
            &mut vars,
            &sc.objective,
            values[*place] / weeks,
            xs,
            &mut objective,
            &mut constraints,
        ));
    }

    // Promises that can be kept at all are constraints (module doc).
    let mut n_promise_vars = 0;
    for t in crate::promises::targets(inst) {
        if t.structural(inst, &rules).is_err() {
            continue;
        }
        let p = t.promise;
        let mut by_week: BTreeMap<u32, Expression> = BTreeMap::new();
        let mut count = Expression::from(0.0);
        let mut same: BTreeMap<(u32, usize), Variable> = BTreeMap::new();
        for (_, di, patterns, xs) in &vehicle_days {
            let day = &days[*di];
            for (pat, x) in patterns.iter().zip(xs) {
                let here: Vec<usize> = pat
                    .stops
                    .iter()
                    .filter(|(_, site)| t.sites.contains(site))
                    .map(|&(s, _)| s)
                    .collect();
                if here.is_empty() {
                    continue;
                }
                if here
                    .iter()
                    .any(|&s| !p.on_promised_day(day.weekday, &sc.slots[s].name))
                {
                    // A strict promise's weekday and slot are rules.
                    constraints.push(Expression::from(*x).leq(0.0));
                    continue;
                }
                *by_week.entry(day.week).or_default() += *x;
                count += here.len() as f64 * *x;
                if p.stable {
                    for s in here {
                        let key = (day.weekday.index(), s);
                        let sv = *same.entry(key).or_insert_with(|| {
                            n_promise_vars += 1;
                            vars.add(variable().binary())
                        });
                        constraints.push(Expression::from(*x).leq(sv));
                    }
                }
            }
        }
        if !same.is_empty() {
            constraints.push(same.values().copied().sum::<Expression>().leq(1));
        }
        if let Some(min) = p.min_visits {
            constraints.push(count.clone().geq(min as f64));
        }
        if let Some(max) = p.max_visits {
            constraints.push(count.clone().leq(max as f64));
        }
        if let Some(f) = p.frequency {
            let (k, m) = f.rule();
            let w = sc.cycle_weeks;
            let visited: Vec<Variable> = (0..w)
                .map(|week| {
                    let v = vars.add(variable().min(0).max(1));
                    n_promise_vars += 1;
                    let any = by_week.get(&week).cloned().unwrap_or_default();
                    constraints.push(Expression::from(v).leq(any));
                    v
                })
                .collect();
            for start in 0..w {
                let run: Expression = (0..k).map(|j| visited[((start + j) % w) as usize]).sum();
                constraints.push(run.geq(m as f64));
            }
        }
    }

    let n_constraints = constraints.len();
    let n_vars =
        n_promise_vars + n_patterns + zs.len() + 2 * crew_vars.iter().map(Vec::len).sum::<usize>();
    // Proven optimal: no relative gap, an absolute one below a second of driving.
    let time_limit = stop.remaining().map_or(TIME_LIMIT_SECONDS, |left| {
        left.as_secs_f64().min(TIME_LIMIT_SECONDS)
    });
    if stop.stopped() {
        return Err(STOPPED.into());
    }
    let mut model = vars
        .maximise(objective)
        .using(highs)
        .set_option("mip_max_nodes", MAX_NODES)
        .set_time_limit(time_limit.max(0.01))
        .set_mip_rel_gap(0.0)
        .and_then(|m| m.set_mip_abs_gap(1e-4))
        .map_err(|e| format!("solver settings: {e:?}"))?;
    for c in constraints {
        model = model.with(c);
    }
    let solution = model.solve().map_err(|e| match e {
        good_lp::ResolutionError::Infeasible if !sc.promises.is_empty() => {
            "no plan keeps every promise that can be kept on its own: they compete for the same vehicles, slots or crews".to_string()
        }
        e => format!("the exact solver failed: {e}"),
    })?;
    if !matches!(solution.status(), good_lp::solvers::SolutionStatus::Optimal) {
        return Err(format!(
            "optimality not proven within {MAX_NODES} branch-and-bound nodes or {TIME_LIMIT_SECONDS} s"
        ));
    }

    // The plan: the chosen pattern and crew of every vehicle-day.
    let mut routes = Vec::new();
    let mut unplaced = skipped.clone();
    let mut logs: HashMap<&str, MediatorLog> = HashMap::new();
    for ((vi, di, patterns, xs), cs) in vehicle_days.iter().zip(&crew_vars) {
        let (v, day) = (&sc.vehicles[*vi], &days[*di]);
        let chosen = patterns
            .iter()
            .zip(xs)
            .find(|(_, x)| solution.value(**x) > 0.5)
            .map(|(p, _)| p);
        let Some(p) = chosen else {
            unplaced.push(Unplaced {
                vehicle: Some(v.id.clone()),
                date: Some(day.date),
                commune: None,
                mediator: None,
                request: None,
                // `rules::enforce` puts the day's own reason in its place when
                // "nothing useful" is not it (the crews' hours, say).
                reason: crate::greedy::IDLE_REASON.into(),
            });
            continue;
        };
        let crew: Vec<&Mediator> = cs
            .iter()
            .filter(|(_, c)| solution.value(*c) > 0.5)
            .map(|(mi, _)| &sc.mediators[*mi])
            .collect();
        for m in &crew {
            let log = logs.entry(m.id.as_str()).or_default();
            *log.week_seconds.entry(day.week).or_default() += p.timing.back.0 - p.timing.depart.0;
            log.days.insert(day.date, (p.timing.depart, p.timing.back));
        }
        routes.push(greedy::day_route(
            inst, v, day, &p.stops, &p.timing, crew, setup,
        ));
    }
    routes.sort_by(|a, b| (a.date, &a.vehicle).cmp(&(b.date, &b.vehicle)));
    let off: Vec<&Unplaced> = skipped.iter().collect();
    unplaced.extend(greedy::cancelled_visits(&routes, &off));
    unplaced.extend(crate::promises::report(inst, &routes));
    let summary = greedy::summarize(inst, &routes, &values, &logs);
    Ok(Exact {
        plan: Plan {
            scenario: sc.name.clone(),
            start_date: sc.start_date,
            cycle_weeks: sc.cycle_weeks,
            method: "exact MILP over day patterns (HiGHS), proven optimal".into(),
            routes,
            unplaced,
            summary,
            home_visits: Vec::new(),
            notes: Vec::new(),
        },
        variables: n_vars,
        constraints: n_constraints,
        patterns: n_patterns,
    })
}
