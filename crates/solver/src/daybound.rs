//! A cheaper upper bound for large scenarios: a relaxation aggregated by day, whose
//! size grows with dates × sites instead of vehicle-days × slots × sites and with no
//! site-to-site constraints (the [`bound`](crate::bound) LP of a département, with
//! ~1,500 sites, has ~10⁸ non-zeros and does not fit in memory).
//!
//! Every vehicle-day that may run gets `n[k] ∈ [0, 1]` (it runs with `k` stops,
//! `Σ_k n[k] ≤ 1`) and `u[s] ∈ [0, 1]` (it stops in slot `s`, `Σ_s u[s] = Σ_k k·n[k]`).
//! Then:
//!
//! - `y[date, slot, site, depot] ∈ [0, 1]` only where the site is usable that date
//!   and slot and a single stop there fits the hours of some vehicle of the depot
//!   running that date; `Σ_site y[date, slot, ·, depot] ≤ Σ_v u[v, date, slot]` over
//!   the depot's vehicles (a stop needs a vehicle); a site hosts one vehicle per
//!   date and slot (written when repeats count);
//! - a site counts once a week: `Σ y[·, ·, site]` over a week `≤ 1` (visiting it
//!   again that week reaches no one new, so some optimal relaxed point never does);
//! - crews per date and depot, as in [`bound`](crate::bound);
//! - **weekly hours** per depot: a day with `k` stops lasts at least the shortest
//!   span of `k` consecutive slots plus set-up before and after, plus the drive out
//!   to a stop in the first slot (always the day's first stop) and back from a stop
//!   in the last slot (always its last), the shortest among the depot's vehicles
//!   (drives between stops fall in the gaps between slots and are left out), for
//!   each of its `crew_size` mediators; their sum over a week is at most what the
//!   depot's mediators may work that week (each `min(weekly maximum, daily maximum ×
//!   days worked)`);
//! - `z[week, place] ≤ Σ y` over the week's stops that reach the place, `z ≤ 1`;
//!   maximise `Σ value · z / weeks`. With `objective.repeat_factors`, one `z` per
//!   counted reach (`Σ_k z_k ≤ Σ y`, each worth its `repeat_value`) and no
//!   once-a-week cap on a site, since a second stop there earns its share; with a
//!   reach decay curve, one set of `z` per share level of the place
//!   (`model::scenario::share_steps`) over the sites with at least that share;
//! - the place rows name one stop count per period and site, `S ≤ Σ y` over the
//!   period's stops there (or the weeks' `Y`), not the `y` themselves — the same
//!   optimum with far fewer non-zeros;
//! - with two slots a day, optionally, [`pairbound`](crate::pairbound)'s cuts:
//!   the day's two stops within the lunch-gap drive of each other;
//! - site rules are the scenario's (`SiteRule::for_scenario`: school holidays free
//!   school parkings).
//!
//! Every plan the checker accepts maps to a feasible point with the same value (take
//! each week's first stop at each site), so the LP's optimum bounds every plan.
//! Left out: drives between stops, drives to and from stops in middle slots, the
//! depot time budget across several stops, daily hours and rest, which mediator
//! does what.
//!
//! [`upper_bound_milp`] makes the stops integer and solves the model week by week
//! with a node limit: HiGHS's dual bound when it stops is still above every plan.

use std::collections::BTreeMap;

use good_lp::solvers::highs::highs;
use good_lp::{variable, Expression, ProblemVariables, ResolutionError, Solution, SolverModel};
use tournee_model::StopSignal;

use crate::bound::{with_time_left, Bound, STOPPED};
use crate::instance::Instance;

/// Computes the day-aggregated bound (the LP); `Err` only when the solver fails.
pub fn upper_bound(inst: &Instance) -> Result<Bound, String> {
    upper_bound_within(inst, &StopSignal::never())
}

/// [`upper_bound`], given up (`Err`) when `stop` fires (checked while the model is
/// built; HiGHS gets the time left).
pub fn upper_bound_within(inst: &Instance, stop: &StopSignal) -> Result<Bound, String> {
    lp(inst, false, stop)
}

/// The LP, with the morning/afternoon cuts of [`pairbound`](crate::pairbound)
/// when `pairs`.
pub(crate) fn lp(inst: &Instance, pairs: bool, stop: &StopSignal) -> Result<Bound, String> {
    upper_bound_with(inst, None, None, pairs, stop)
}

/// The same relaxation with integer stops, solved by branch and bound for at most
/// `max_nodes` nodes: the bound is HiGHS's proven dual bound when it stops (never
/// above the LP's), so it holds whether or not the search finishes. Which stops are
/// integer: the once-a-week site indicators `Y` (with no `repeat_factors`), else the
/// `y` themselves — both are 0 or 1 in every plan. A node limit, not a time limit,
/// keeps it deterministic (the time limit is only a safety net).
///
/// The relaxation has no rule across weeks (crews per date, hours per week, a site
/// once a week) and, with `repeat_period = "week"`, counts reach per week: it is
/// then solved week by week — four small MILPs rather than one large one — and the
/// bound is the sum of their dual bounds. With the cycle as the period (the
/// default), a place's reaches add up across weeks and the cycle is one MILP.
pub fn upper_bound_milp(inst: &Instance, max_nodes: i32) -> Result<Bound, String> {
    upper_bound_milp_within(inst, max_nodes, &StopSignal::never())
}

/// [`upper_bound_milp`], given up (`Err`) when `stop` fires.
pub fn upper_bound_milp_within(
    inst: &Instance,
    max_nodes: i32,
    stop: &StopSignal,
) -> Result<Bound, String> {
    milp(inst, max_nodes, false, stop)
}

/// The MILP, with the morning/afternoon cuts of [`pairbound`](crate::pairbound)
/// when `pairs`. Week by week, each week gets an equal share of the time left.
pub(crate) fn milp(
    inst: &Instance,
    max_nodes: i32,
    pairs: bool,
    stop: &StopSignal,
) -> Result<Bound, String> {
    let mut total = Bound {
        value: 0.0,
        integer: true,
        variables: 0,
        constraints: 0,
    };
    let sc = inst.scenario;
    // Week by week only when a place's value is counted per week: with the cycle as
    // the period, a place's reaches add up across weeks, and the whole cycle is one
    // model (otherwise the sum of the weeks' bounds could exceed the LP's).
    if sc.objective.periods(sc.cycle_weeks) < sc.cycle_weeks.max(1) as usize {
        return upper_bound_with(inst, Some(max_nodes), None, pairs, stop);
    }
    for week in 0..sc.cycle_weeks {
        let share = stop
            .remaining()
            .map(|left| std::time::Instant::now() + left / (sc.cycle_weeks - week).max(1));
        let b = upper_bound_with(
            inst,
            Some(max_nodes),
            Some(week),
            pairs,
            &stop.with_deadline(share),
        )?;
        total.value += b.value;
        total.variables += b.variables;
        total.constraints += b.constraints;
    }
    Ok(total)
}

/// The MILP's safety net, far above what its node limit takes on a département.
pub const MILP_TIME_LIMIT_SECONDS: f64 = 60.0;

/// The model over every week, or over `week` only (its share of the objective).
fn upper_bound_with(
    inst: &Instance,
    max_nodes: Option<i32>,
    week: Option<u32>,
    pairs: bool,
    stop: &StopSignal,
) -> Result<Bound, String> {
    let integer = max_nodes.is_some();
    let zones =
        if pairs {
            Some(crate::pairbound::Zones::new(inst).ok_or_else(|| {
                "the morning/afternoon cuts need exactly two slots a day".to_string()
            })?)
        } else {
            None
        };
    let sc = inst.scenario;
    let setup = sc.setup();
    let values = inst.place_values();
    let rules = inst.site_rules();
    let repeats = sc.objective.repeat_factors.len();
    let n_slots = sc.slots.len();
    // Shortest span of k consecutive slots with set-up, for k = 1..=slots.
    let min_span: Vec<f64> = (1..=n_slots)
        .map(|k| {
            (0..=n_slots - k)
                .map(|i| {
                    ((sc.slots[i + k - 1].end + setup).0 - (sc.slots[i].start - setup).0) as f64
                })
                .fold(f64::INFINITY, f64::min)
        })
        .collect();

    let mut vars = ProblemVariables::new();
    let mut constraints = Vec::new();
    let mut n_vars = 0;
    // Keyed by ordered maps so that the model (and HiGHS's answer) is deterministic.
    // (day, slot, depot)
    let mut stops_in: BTreeMap<(usize, usize, &str), Expression> = BTreeMap::new();
    let mut crews: BTreeMap<(usize, &str), Expression> = BTreeMap::new(); // (day, depot)
    let mut hours: BTreeMap<(u32, &str), Expression> = BTreeMap::new(); // (week, depot)
                                                                        // One-stop days of the depot's vehicles, per (day, depot): the pair cuts' slack.
    let mut single: BTreeMap<(usize, &str), Expression> = BTreeMap::new();
    let days = sc.cycle_days();
    // Which (day, slot, site, depot) some vehicle of the depot running that day can
    // serve, with the shortest drive out to it and back from it among them, and
    // their smallest crew.
    type Legs = (u32, u32, u32);
    let mut servable: BTreeMap<(usize, usize, usize, &str), Legs> = BTreeMap::new();
    for (di, day) in days.iter().enumerate() {
        if stop.stopped() {
            return Err(STOPPED.into());
        }
        if sc.is_holiday(day.date) || week.is_some_and(|w| w != day.week) {
            continue;
        }
        for v in &sc.vehicles {
            if !v.runs_on(sc, day.weekday) || v.unavailable.contains(&day.date) {
                continue;
            }
            let Some(depot) = inst.depot_point(v) else {
                continue;
            };
            let n: Vec<_> = (0..n_slots)
                .map(|_| vars.add(variable().min(0).max(1)))
                .collect();
            let u: Vec<_> = (0..n_slots)
                .map(|_| vars.add(variable().min(0).max(1)))
                .collect();
            n_vars += 2 * n_slots;
            let runs: Expression = n.iter().copied().sum();
            constraints.push(runs.clone().leq(1.0));
            let count: Expression = n.iter().enumerate().map(|(k, &x)| (k + 1) as f64 * x).sum();
            let used: Expression = u.iter().copied().sum();
            constraints.push(used.eq(count));
            *crews.entry((di, v.depot.as_str())).or_default() += v.crew_size as f64 * runs;
            *single.entry((di, v.depot.as_str())).or_default() += n[0];
            let span: Expression = n
                .iter()
                .zip(&min_span)
                .map(|(&x, &d)| d * v.crew_size as f64 * x)
                .sum();
            *hours.entry((day.week, v.depot.as_str())).or_default() += span;
            for (s, slot) in sc.slots.iter().enumerate() {
                *stops_in.entry((di, s, v.depot.as_str())).or_default() += u[s];
                for (site, rule) in rules.iter().enumerate() {
                    if inst.coverage.by_site[site].is_empty() {
                        continue;
                    }
                    let Some((t_in, t_out)) =
                        crate::daybound::single_stop_legs(inst, v, depot, site, slot, setup)
                    else {
                        continue;
                    };
                    let key = (di, s, site, v.depot.as_str());
                    if let Some(legs) = servable.get_mut(&key) {
                        *legs = (
                            legs.0.min(t_in.0),
                            legs.1.min(t_out.0),
                            legs.2.min(v.crew_size),
                        );
                    } else if rule
                        .usable(day.date, slot.start - setup, slot.end + setup)
                        .is_ok()
                    {
                        servable.insert(key, (t_in.0, t_out.0, v.crew_size));
                    }
                }
            }
        }
    }
    let mut site_week: BTreeMap<(u32, usize), Expression> = BTreeMap::new();
    let mut slot_sum: BTreeMap<(usize, usize, &str), Expression> = BTreeMap::new();
    let mut hosts: BTreeMap<(usize, usize, usize), Vec<good_lp::Variable>> = BTreeMap::new();
    // (day, depot) → the (site, y) of each slot, for the pair cuts.
    type SlotStops = Vec<Vec<(usize, good_lp::Variable)>>;
    let mut day_stops: BTreeMap<(usize, &str), SlotStops> = BTreeMap::new();
    for (&(di, s, site, depot), &(out, back, crew)) in &servable {
        let y = vars.add(if integer && repeats > 0 {
            variable().binary()
        } else {
            variable().min(0).max(1)
        });
        n_vars += 1;
        *site_week.entry((days[di].week, site)).or_default() += y;
        *slot_sum.entry((di, s, depot)).or_default() += y;
        hosts.entry((di, s, site)).or_default().push(y);
        if zones.is_some() {
            day_stops
                .entry((di, depot))
                .or_insert_with(|| vec![Vec::new(); n_slots])[s]
                .push((site, y));
        }
        // The first slot's stop is the day's first, the last slot's its last: the
        // crew drives out to it or back from it within its working day.
        let legs = if s == 0 { out } else { 0 } + if s == n_slots - 1 { back } else { 0 };
        if legs > 0 {
            *hours.entry((days[di].week, depot)).or_default() += (crew as f64 * legs as f64) * y;
        }
    }
    if let Some(zones) = &zones {
        for (key, stops) in &day_stops {
            let slack = single.get(key).cloned().unwrap_or_default();
            n_vars += zones.cuts(&mut vars, [&stops[0], &stops[1]], &slack, &mut constraints);
        }
    }
    for ((di, s, depot), sum) in slot_sum {
        let cap = stops_in.remove(&(di, s, depot)).unwrap_or_default();
        constraints.push(sum.leq(cap));
    }
    // A site hosts one vehicle per date and slot (it matters when repeats count).
    if repeats > 0 {
        for ys in hosts.into_values().filter(|ys| ys.len() > 1) {
            constraints.push(ys.into_iter().sum::<Expression>().leq(1.0));
        }
    }
    // Y[week, site] = the week's stops at the site, at most 1 — unless repeated
    // reaches are worth something (`repeat_factors`): then every stop counts.
    // Reaches per period (`Objective::period_of`) and place.
    //
    // The place rows name one variable per (period, site) — the week's `Y`, or the
    // period's stop count `S ≤ Σ y` — rather than the stops' `y` themselves: a
    // place is reached by dozens of sites, each with dozens of `y` a period, and
    // these rows would otherwise hold most of the model's non-zeros.
    let mut by_period: BTreeMap<(usize, usize), Expression> = BTreeMap::new();
    for ((week, site), sum) in site_week {
        let stops = if repeats == 0 {
            let y = vars.add(if integer {
                variable().binary()
            } else {
                variable().min(0).max(1)
            });
            n_vars += 1;
            constraints.push(Expression::from(y).leq(sum));
            Expression::from(y)
        } else {
            sum
        };
        *by_period
            .entry((sc.objective.period_of(week), site))
            .or_default() += stops;
    }
    let mut reach: BTreeMap<(usize, usize), Vec<(f64, good_lp::Variable)>> = BTreeMap::new();
    for ((period, site), stops) in by_period {
        let count = vars.add(variable().min(0));
        n_vars += 1;
        constraints.push(Expression::from(count).leq(stops));
        for c in &inst.coverage.by_site[site] {
            reach
                .entry((period, c.place.0 as usize))
                .or_default()
                .push((c.share, count));
        }
    }
    for ((di, depot), need) in crews {
        let day = &days[di];
        let available = sc
            .mediators
            .iter()
            .filter(|m| {
                m.base == depot && m.works_on(sc, day.weekday) && !m.leave.contains(&day.date)
            })
            .count();
        constraints.push(need.leq(available as f64));
    }
    for ((week, depot), need) in hours {
        let available: f64 = sc
            .mediators
            .iter()
            .filter(|m| m.base == depot)
            .map(|m| {
                let worked = days
                    .iter()
                    .filter(|d| {
                        d.week == week
                            && !sc.is_holiday(d.date)
                            && m.works_on(sc, d.weekday)
                            && !m.leave.contains(&d.date)
                    })
                    .count() as f64;
                (m.max_hours_per_week * 3600.0).min(m.max_hours_per_day * 3600.0 * worked)
            })
            .sum();
        // A minute of slack per cycle day, for rounding.
        constraints.push(need.leq(available + 60.0 * days.len() as f64));
    }
    // Per share level, the place's first reach and repeats among the week's stops
    // with at least that share.
    let (objective, n_z) =
        crate::place_terms::objective(&mut vars, sc, &values, reach, &mut constraints);
    n_vars += n_z;
    let n_constraints = constraints.len();
    let mut model = with_time_left(vars.maximise(objective.clone()).using(highs), stop)?;
    for c in constraints {
        model = model.with(c);
    }
    let Some(nodes) = max_nodes else {
        let solution = model.solve().map_err(|e: ResolutionError| {
            format!("the day-aggregated bound's solver failed: {e}")
        })?;
        if matches!(
            solution.status(),
            good_lp::solvers::SolutionStatus::TimeLimit
        ) {
            return Err(STOPPED.into());
        }
        return Ok(Bound {
            value: solution.eval(&objective),
            integer: false,
            variables: n_vars,
            constraints: n_constraints,
        });
    };
    // Branch and bound with HiGHS directly, for its dual bound.
    let mut highs = model
        .try_into_inner()
        .map_err(|e| format!("the day-aggregated MILP bound: {e}"))?;
    highs.make_quiet();
    highs.set_option("mip_max_nodes", nodes);
    let limit = stop.remaining().map_or(MILP_TIME_LIMIT_SECONDS, |left| {
        left.as_secs_f64().clamp(0.01, MILP_TIME_LIMIT_SECONDS)
    });
    highs.set_option("time_limit", limit);
    let solved = highs
        .try_solve()
        .map_err(|e| format!("the day-aggregated MILP bound's solver failed: {e:?}"))?;
    use ::highs::HighsModelStatus as S;
    let value = match solved.status() {
        S::Optimal => solved.objective_value().max(
            solved
                .double_info_value(c"mip_dual_bound")
                .unwrap_or(f64::INFINITY),
        ),
        S::ReachedTimeLimit | S::ReachedIterationLimit | S::ReachedSolutionLimit => solved
            .double_info_value(c"mip_dual_bound")
            .map_err(|e| format!("no dual bound from HiGHS: {e:?}"))?,
        S::ModelEmpty => 0.0,
        s => return Err(format!("the day-aggregated MILP bound's solver: {s:?}")),
    };
    if !value.is_finite() {
        return Err("the day-aggregated MILP bound has no finite dual bound".into());
    }
    Ok(Bound {
        value,
        integer: true,
        variables: n_vars,
        constraints: n_constraints,
    })
}

/// The drives depot → `site` and back when a single stop there in `slot` fits
/// `v`'s hours (departure, return, set-up and packing-up included); `None` when
/// it does not or the site cannot be reached. The day relaxations keep a site
/// only where this holds.
pub(crate) fn single_stop_legs(
    inst: &Instance,
    v: &tournee_model::scenario::Vehicle,
    depot: usize,
    site: usize,
    slot: &tournee_model::scenario::Slot,
    setup: tournee_model::Seconds,
) -> Option<(tournee_model::Seconds, tournee_model::Seconds)> {
    let point = inst.site_point(site);
    let ((t_in, _), (t_out, _)) = (inst.drive(depot, point)?, inst.drive(point, depot)?);
    let fits = v.earliest_departure.0 + t_in.0 <= (slot.start - setup).0 + 1
        && (slot.end + setup).0 + t_out.0 <= v.latest_return.0 + 1;
    fits.then_some((t_in, t_out))
}
