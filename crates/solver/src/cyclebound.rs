//! An upper bound aggregated over each period's dates: the
//! [`daybound`](crate::daybound) relaxation with the dates of a period
//! (`Objective::period_of`: the whole cycle by default, or each week) summed into
//! stop counts, small enough for HiGHS's branch and bound to move its dual bound on
//! a département within seconds.
//!
//! A place's value depends only on how many stops of a period reach it (and with
//! what share), not on their dates; the day-by-day model's `y[date, slot, site]` have
//! a symmetry over dates that branch and bound cannot break. Here, per period `q`,
//! vehicle `v`, slot `s` and site `i`:
//!
//! - `X[q, v, s, i] ∈ {0, 1, …, cap}`: how many of the period's days `v` stops at
//!   `i` in slot `s`; `cap` is the number of the period's dates on which `v` runs, a
//!   crew of its depot is free, and the site is usable in that slot
//!   (`SiteRule::for_scenario`); the site only where a single stop there fits the
//!   vehicle's hours;
//! - `n[q, v, k]` (integer): its days with `k` stops; `Σ_k n ≤` its dates (as in
//!   `cap`), `Σ_{s, i} X = Σ_k k·n`, `Σ_i X[s] ≤ Σ_k n` for each slot;
//! - a site hosts one vehicle per date and slot: `Σ_v X[q, ·, s, i] ≤` the period's
//!   dates on which it is usable in that slot;
//! - crews: per period and depot, `Σ_v crew(v)·Σ_k n ≤ Σ_dates min(Σ crews of the
//!   depot's vehicles running, mediators of the depot working)`: the sum of each
//!   date's rule;
//! - hours: per period and depot, the sum over its weeks of `daybound`'s weekly
//!   hours (the shortest span of `k` slots with set-up, the drive out to a first-slot
//!   stop and back from a last-slot stop, for each crew member) `≤` the sum of the
//!   weeks' hours of the depot's mediators;
//! - with two slots a day, [`pairbound`](crate::pairbound)'s cuts per period and
//!   vehicle (the sum of its per-date cuts): morning stops in a zone `≤` afternoon
//!   stops in compatible zones `+` one-stop days, and the same with the slots
//!   swapped;
//! - the places as everywhere ([`place_terms`](crate::place_terms)): per period and
//!   place, one `z` per share level and counted reach over the period's stop counts
//!   `Σ_{v, s} X` of the sites reaching it.
//!
//! Every plan the checker accepts gives a feasible point of the same value (count
//! its stops), so the optimum — and HiGHS's dual bound wherever it stops — bounds
//! every plan. Left out, beyond `daybound`'s omissions: which date each stop is on
//! within its period (each date's crews and rules hold only summed), and hours per
//! week when the period is the cycle (they hold summed over the cycle).

use std::collections::BTreeMap;

use good_lp::solvers::highs::highs;
use good_lp::{variable, Expression, ProblemVariables, SolverModel, Variable};
use tournee_model::StopSignal;

use crate::bound::{with_time_left, Bound, STOPPED};
use crate::instance::Instance;

/// The MILP's safety net when no deadline is given.
pub const TIME_LIMIT_SECONDS: f64 = 60.0;

/// Computes the bound: HiGHS's dual bound after at most `max_nodes` branch-and-bound
/// nodes (a node limit keeps it deterministic; `None`: the LP relaxation only).
pub fn upper_bound(inst: &Instance, max_nodes: Option<i32>) -> Result<Bound, String> {
    upper_bound_within(inst, max_nodes, &StopSignal::never())
}

/// [`upper_bound`], given up (`Err`) when `stop` fires while the model is built;
/// HiGHS gets the time left, and its dual bound when the deadline stops it is
/// still a bound.
pub fn upper_bound_within(
    inst: &Instance,
    max_nodes: Option<i32>,
    stop: &StopSignal,
) -> Result<Bound, String> {
    let sc = inst.scenario;
    let setup = sc.setup();
    let values = inst.place_values();
    let rules = inst.site_rules();
    let n_slots = sc.slots.len();
    let integer = max_nodes.is_some();
    let zones = crate::pairbound::Zones::new(inst);
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
    let days = sc.cycle_days();
    // Mediators of a depot working on a date.
    let working = |depot: &str, di: usize| {
        let day = &days[di];
        sc.mediators
            .iter()
            .filter(|m| {
                m.base == depot && m.works_on(sc, day.weekday) && !m.leave.contains(&day.date)
            })
            .count() as u32
    };
    let mut vars = ProblemVariables::new();
    let mut constraints = Vec::new();
    let mut n_vars = 0;
    // (period, depot) → crew-days used, and their hours.
    let mut crews: BTreeMap<(usize, &str), Expression> = BTreeMap::new();
    let mut hours: BTreeMap<(usize, &str), Expression> = BTreeMap::new();
    // (period, site) → its stop count; (period, slot, site) → the vehicles' X.
    let mut site_stops: BTreeMap<(usize, usize), Expression> = BTreeMap::new();
    let mut hosts: BTreeMap<(usize, usize, usize), Vec<Variable>> = BTreeMap::new();
    for v in &sc.vehicles {
        if stop.stopped() {
            return Err(STOPPED.into());
        }
        let Some(depot) = inst.depot_point(v) else {
            continue;
        };
        let periods = sc.objective.periods(sc.cycle_weeks);
        for q in 0..periods {
            // The period's dates on which v runs with a crew of its depot free.
            let dates: Vec<usize> = days
                .iter()
                .enumerate()
                .filter(|(di, d)| {
                    sc.objective.period_of(d.week) == q
                        && !sc.is_holiday(d.date)
                        && v.runs_on(sc, d.weekday)
                        && !v.unavailable.contains(&d.date)
                        && working(&v.depot, *di) >= v.crew_size
                })
                .map(|(di, _)| di)
                .collect();
            if dates.is_empty() {
                continue;
            }
            let n: Vec<Variable> = (0..n_slots)
                .map(|_| {
                    let x = variable().min(0).max(dates.len() as f64);
                    vars.add(if integer { x.integer() } else { x })
                })
                .collect();
            n_vars += n_slots;
            let runs: Expression = n.iter().copied().sum();
            constraints.push(runs.clone().leq(dates.len() as f64));
            *crews.entry((q, v.depot.as_str())).or_default() += v.crew_size as f64 * runs.clone();
            let span: Expression = n
                .iter()
                .zip(&min_span)
                .map(|(&x, &d)| d * v.crew_size as f64 * x)
                .sum();
            *hours.entry((q, v.depot.as_str())).or_default() += span;
            let mut all_stops = Expression::from(0.0);
            let mut by_slot: Vec<Vec<(usize, Variable)>> = vec![Vec::new(); n_slots];
            let mut legs_of: Vec<Vec<(u32, u32)>> = vec![Vec::new(); n_slots];
            for (s, slot) in sc.slots.iter().enumerate() {
                let mut in_slot = Expression::from(0.0);
                for (site, rule) in rules.iter().enumerate() {
                    if inst.coverage.by_site[site].is_empty() {
                        continue;
                    }
                    let Some((t_in, t_out)) =
                        crate::daybound::single_stop_legs(inst, v, depot, site, slot, setup)
                    else {
                        continue;
                    };
                    let cap = dates
                        .iter()
                        .filter(|&&di| {
                            rule.usable(days[di].date, slot.start - setup, slot.end + setup)
                                .is_ok()
                        })
                        .count();
                    if cap == 0 {
                        continue;
                    }
                    let x = variable().min(0).max(cap as f64);
                    let x = vars.add(if integer { x.integer() } else { x });
                    n_vars += 1;
                    in_slot += x;
                    all_stops += x;
                    *site_stops.entry((q, site)).or_default() += x;
                    hosts.entry((q, s, site)).or_default().push(x);
                    by_slot[s].push((site, x));
                    legs_of[s].push((t_in.0, t_out.0));
                    // The first slot's stop is the day's first, the last slot's its
                    // last: the crew drives out to it or back from it.
                    let legs = if s == 0 { t_in.0 } else { 0 }
                        + if s == n_slots - 1 { t_out.0 } else { 0 };
                    if legs > 0 {
                        *hours.entry((q, v.depot.as_str())).or_default() +=
                            (v.crew_size as f64 * legs as f64) * x;
                    }
                }
                constraints.push(in_slot.leq(runs.clone()));
            }
            let count: Expression = n.iter().enumerate().map(|(k, &x)| (k + 1) as f64 * x).sum();
            constraints.push(all_stops.eq(count));
            if let Some(far) = far_stops(inst, v, &min_span, &by_slot, &legs_of) {
                constraints.push(far.leq(n[0]));
            }
            if let Some(zones) = &zones {
                n_vars += zones.cuts(
                    &mut vars,
                    [&by_slot[0], &by_slot[1]],
                    &Expression::from(n[0]),
                    &mut constraints,
                );
            }
        }
    }
    // A site hosts one vehicle per date and slot: at most the period's dates on
    // which it is usable in that slot (and some vehicle runs).
    for ((q, s, site), xs) in hosts {
        if xs.len() < 2 {
            continue;
        }
        let slot = &sc.slots[s];
        let cap = days
            .iter()
            .filter(|d| {
                sc.objective.period_of(d.week) == q
                    && !sc.is_holiday(d.date)
                    && sc.vehicles.iter().any(|v| v.runs_on(sc, d.weekday))
                    && rules[site]
                        .usable(d.date, slot.start - setup, slot.end + setup)
                        .is_ok()
            })
            .count();
        constraints.push(xs.into_iter().sum::<Expression>().leq(cap as f64));
    }
    for ((q, depot), need) in crews {
        let available: u32 = days
            .iter()
            .enumerate()
            .filter(|(_, d)| sc.objective.period_of(d.week) == q && !sc.is_holiday(d.date))
            .map(|(di, d)| {
                let seats: u32 = sc
                    .vehicles
                    .iter()
                    .filter(|v| {
                        v.depot == depot
                            && v.runs_on(sc, d.weekday)
                            && !v.unavailable.contains(&d.date)
                    })
                    .map(|v| v.crew_size)
                    .sum();
                seats.min(working(depot, di))
            })
            .sum();
        constraints.push(need.leq(available as f64));
    }
    for ((q, depot), need) in hours {
        let available: f64 = (0..sc.cycle_weeks)
            .filter(|&w| sc.objective.period_of(w) == q)
            .map(|week| {
                sc.mediators
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
                    .sum::<f64>()
            })
            .sum();
        // A minute of slack per cycle day, for rounding.
        constraints.push(need.leq(available + 60.0 * days.len() as f64));
    }
    // Reaches per period and place, over one stop count per (period, site).
    let mut reach: BTreeMap<(usize, usize), Vec<(f64, Variable)>> = BTreeMap::new();
    for ((q, site), stops) in site_stops {
        let count = vars.add(variable().min(0));
        n_vars += 1;
        constraints.push(Expression::from(count).leq(stops));
        for c in &inst.coverage.by_site[site] {
            reach
                .entry((q, c.place.0 as usize))
                .or_default()
                .push((c.share, count));
        }
    }
    let (objective, n_z) =
        crate::place_terms::objective(&mut vars, sc, &values, reach, &mut constraints);
    n_vars += n_z;
    let n_constraints = constraints.len();
    let mut model = with_time_left(vars.maximise(objective).using(highs), stop)?;
    for c in constraints {
        model = model.with(c);
    }
    let mut highs = model
        .try_into_inner()
        .map_err(|e| format!("the period-aggregated bound: {e}"))?;
    highs.make_quiet();
    if let Some(nodes) = max_nodes {
        highs.set_option("mip_max_nodes", nodes);
    }
    let limit = stop.remaining().map_or(TIME_LIMIT_SECONDS, |left| {
        left.as_secs_f64().clamp(0.01, TIME_LIMIT_SECONDS)
    });
    highs.set_option("time_limit", limit);
    let solved = highs
        .try_solve()
        .map_err(|e| format!("the period-aggregated bound's solver failed: {e:?}"))?;
    use ::highs::HighsModelStatus as S;
    let value = match (solved.status(), integer) {
        (S::Optimal, false) => solved.objective_value(),
        (S::Optimal, true) => solved.objective_value().max(
            solved
                .double_info_value(c"mip_dual_bound")
                .unwrap_or(f64::INFINITY),
        ),
        (S::ReachedTimeLimit | S::ReachedIterationLimit | S::ReachedSolutionLimit, true) => solved
            .double_info_value(c"mip_dual_bound")
            .map_err(|e| format!("no dual bound from HiGHS: {e:?}"))?,
        (S::ReachedTimeLimit, false) => return Err(STOPPED.into()),
        (S::ModelEmpty, _) => 0.0,
        (s, _) => return Err(format!("the period-aggregated bound's solver: {s:?}")),
    };
    if !value.is_finite() {
        return Err("the period-aggregated bound has no finite dual bound".into());
    }
    Ok(Bound {
        value,
        integer,
        variables: n_vars,
        constraints: n_constraints,
    })
}

/// With two slots a day, the stops of `v` that can only be one-stop days: a
/// morning stop `a` and an afternoon stop `b` make one day only when the drive
/// `a → b` fits beside the lunch break and the day — from leaving the depot for `a`
/// to coming back from `b`, at least both slots with set-up plus those two drives —
/// is within the longest day a mediator of the depot may work. The sum of the
/// stops with no such partner (every one is a one-stop day, which has one stop), or
/// `None` when there are none or not two slots.
fn far_stops(
    inst: &Instance,
    v: &tournee_model::scenario::Vehicle,
    min_span: &[f64],
    by_slot: &[Vec<(usize, Variable)>],
    legs: &[Vec<(u32, u32)>],
) -> Option<Expression> {
    let sc = inst.scenario;
    if sc.slots.len() != 2 {
        return None;
    }
    let gap = tournee_model::lunch::longest_drive(sc, &sc.slots[0], &sc.slots[1]);
    let longest_day = sc
        .mediators
        .iter()
        .filter(|m| m.base == v.depot)
        .map(|m| m.max_hours_per_day * 3600.0)
        .fold(0.0, f64::max);
    // A couple of minutes of slack: whole-minute departures and returns, a second
    // of rounding per path in the checker's drives.
    let budget = longest_day - min_span[1] + 180.0;
    let mut pairs = [vec![false; by_slot[0].len()], vec![false; by_slot[1].len()]];
    if let Some(gap) = gap {
        for (i, &(a, _)) in by_slot[0].iter().enumerate() {
            let pa = inst.site_point(a);
            for (j, &(b, _)) in by_slot[1].iter().enumerate() {
                if pairs[0][i] && pairs[1][j] {
                    continue;
                }
                let near = a == b
                    || inst
                        .drive(pa, inst.site_point(b))
                        .is_some_and(|(t, _)| t.0 <= gap.0 + 2);
                if near && (legs[0][i].0 + legs[1][j].1) as f64 <= budget {
                    pairs[0][i] = true;
                    pairs[1][j] = true;
                }
            }
        }
    }
    let mut far = Expression::from(0.0);
    let mut any = false;
    for s in 0..2 {
        for (k, &(_, x)) in by_slot[s].iter().enumerate() {
            if !pairs[s][k] {
                far += x;
                any = true;
            }
        }
    }
    any.then_some(far)
}
