//! A cheaper upper bound for large scenarios: a relaxation aggregated by day, whose
//! size grows with dates × sites instead of vehicle-days × slots × sites and with no
//! site-to-site constraints (the [`bound`](crate::bound) LP of a département, with
//! ~1,500 sites, has ~10⁸ non-zeros and does not fit in memory).
//!
//! Every vehicle-day that may run gets `n[k] ∈ [0, 1]` (it runs with `k` stops,
//! `Σ_k n[k] ≤ 1`) and `u[s] ∈ [0, 1]` (it stops in slot `s`, `Σ_s u[s] = Σ_k k·n[k]`).
//! Then:
//!
//! - `y[date, slot, site] ∈ [0, 1]` only where the site is usable that date and slot
//!   and a single stop there fits the hours of some vehicle running that date;
//!   `Σ_site y[date, slot, ·] ≤ Σ_v u[v, date, slot]` (a stop needs a vehicle);
//! - a site counts once a week: `Σ y[·, ·, site]` over a week `≤ 1` (visiting it
//!   again that week reaches no one new, so some optimal relaxed point never does);
//! - crews per date and depot, as in [`bound`](crate::bound);
//! - **weekly hours** per depot: a day with `k` stops lasts at least the shortest
//!   span of `k` consecutive slots plus set-up before and after (drives only add),
//!   for each of its `crew_size` mediators; their sum over a week is at most what the
//!   depot's mediators may work that week (each `min(weekly maximum, daily maximum ×
//!   days worked)`);
//! - `z[week, place] ≤ Σ y` over the week's stops that reach the place, `z ≤ 1`;
//!   maximise `Σ value · z / weeks`. With `objective.repeat_factors`, one `z` per
//!   counted reach (`Σ_k z_k ≤ Σ y`, each worth its `repeat_value`) and no
//!   once-a-week cap on a site, since a second stop there earns its share; with a
//!   reach decay curve, one set of `z` per share level of the place
//!   (`model::scenario::share_steps`) over the sites with at least that share;
//! - site rules are the scenario's (`SiteRule::for_scenario`: school holidays free
//!   school parkings).
//!
//! Every plan the checker accepts maps to a feasible point with the same value (take
//! each week's first stop at each site), so the LP's optimum bounds every plan.
//! Left out: drives between stops, the depot time budget across several stops,
//! daily hours and rest, which mediator does what.

use std::collections::BTreeMap;

use good_lp::solvers::highs::highs;
use good_lp::{variable, Expression, ProblemVariables, ResolutionError, Solution, SolverModel};
use tournee_model::availability::SiteRule;
use tournee_model::scenario::share_steps;
use tournee_model::StopSignal;

use crate::bound::{with_time_left, Bound, STOPPED};
use crate::instance::Instance;

/// Computes the day-aggregated bound; `Err` only when the solver fails.
pub fn upper_bound(inst: &Instance) -> Result<Bound, String> {
    upper_bound_within(inst, &StopSignal::never())
}

/// [`upper_bound`], given up (`Err`) when `stop` fires (checked while the model is
/// built; HiGHS gets the time left).
pub fn upper_bound_within(inst: &Instance, stop: &StopSignal) -> Result<Bound, String> {
    let sc = inst.scenario;
    let setup = sc.setup();
    let values = inst.place_values();
    let rules: Vec<SiteRule> = inst
        .sites
        .iter()
        .map(|site| SiteRule::for_scenario(site, sc))
        .collect();
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
    let mut stops_in: BTreeMap<(usize, usize), Expression> = BTreeMap::new(); // (day, slot)
    let mut crews: BTreeMap<(usize, &str), Expression> = BTreeMap::new(); // (day, depot)
    let mut hours: BTreeMap<(u32, &str), Expression> = BTreeMap::new(); // (week, depot)
    let days = sc.cycle_days();
    // Which (day, slot, site) some vehicle running that day can serve.
    let mut servable: BTreeMap<(usize, usize, usize), ()> = BTreeMap::new();
    for (di, day) in days.iter().enumerate() {
        if stop.stopped() {
            return Err(STOPPED.into());
        }
        if sc.is_holiday(day.date) {
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
            let span: Expression = n
                .iter()
                .zip(&min_span)
                .map(|(&x, &d)| d * v.crew_size as f64 * x)
                .sum();
            *hours.entry((day.week, v.depot.as_str())).or_default() += span;
            for (s, slot) in sc.slots.iter().enumerate() {
                *stops_in.entry((di, s)).or_default() += u[s];
                for (site, rule) in rules.iter().enumerate() {
                    if inst.coverage.by_site[site].is_empty()
                        || servable.contains_key(&(di, s, site))
                    {
                        continue;
                    }
                    let point = inst.site_point(site);
                    let (Some((t_in, _)), Some((t_out, _))) =
                        (inst.drive(depot, point), inst.drive(point, depot))
                    else {
                        continue;
                    };
                    let fits = v.earliest_departure.0 + t_in.0 <= (slot.start - setup).0 + 1
                        && (slot.end + setup).0 + t_out.0 <= v.latest_return.0 + 1;
                    if fits
                        && rule
                            .usable(day.date, slot.start - setup, slot.end + setup)
                            .is_ok()
                    {
                        servable.insert((di, s, site), ());
                    }
                }
            }
        }
    }
    let mut site_week: BTreeMap<(u32, usize), Expression> = BTreeMap::new();
    let mut slot_sum: BTreeMap<(usize, usize), Expression> = BTreeMap::new();
    for &(di, s, site) in servable.keys() {
        let y = vars.add(variable().min(0).max(1));
        n_vars += 1;
        *site_week.entry((days[di].week, site)).or_default() += y;
        *slot_sum.entry((di, s)).or_default() += y;
    }
    for ((di, s), sum) in slot_sum {
        let cap = stops_in.remove(&(di, s)).unwrap_or_default();
        constraints.push(sum.leq(cap));
    }
    // Y[week, site] = the week's stops at the site, at most 1 — unless repeated
    // reaches are worth something (`repeat_factors`): then every stop counts.
    // Reaches per period (`Objective::period_of`) and place.
    let mut reach: BTreeMap<(usize, usize), Vec<(f64, Expression)>> = BTreeMap::new();
    for ((week, site), sum) in site_week {
        let stops = if repeats == 0 {
            let y = vars.add(variable().min(0).max(1));
            n_vars += 1;
            constraints.push(Expression::from(y).leq(sum));
            Expression::from(y)
        } else {
            sum
        };
        for c in &inst.coverage.by_site[site] {
            reach
                .entry((sc.objective.period_of(week), c.place.0 as usize))
                .or_default()
                .push((c.share, stops.clone()));
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
    let weeks = sc.cycle_weeks.max(1) as f64;
    let mut objective = Expression::from(0.0);
    for ((_, p), by_site) in reach {
        if values[p] <= 0.0 {
            continue;
        }
        // Per share level (`share_steps`, one with a hard radius), z[k]: the
        // place's (k+1)-th reach that week among the stops with at least that
        // share, worth the level's step × `repeat_value(k + 1)` (non-increasing,
        // so the LP fills them in order).
        for (level, step) in share_steps(by_site.iter().map(|(s, _)| *s)) {
            let z: Vec<_> = (0..=repeats)
                .map(|_| vars.add(variable().min(0).max(1)))
                .collect();
            n_vars += z.len();
            let mut stops = Expression::from(0.0);
            for (_, e) in by_site.iter().filter(|(s, _)| *s >= level) {
                stops += e.clone();
            }
            constraints.push(z.iter().copied().sum::<Expression>().leq(stops));
            for (k, &zk) in z.iter().enumerate() {
                objective +=
                    (values[p] * step * sc.objective.repeat_value(k as u32 + 1) / weeks) * zk;
            }
        }
    }
    let n_constraints = constraints.len();
    let mut model = with_time_left(vars.maximise(objective.clone()).using(highs), stop)?;
    for c in constraints {
        model = model.with(c);
    }
    let solution = model
        .solve()
        .map_err(|e: ResolutionError| format!("the day-aggregated bound's solver failed: {e}"))?;
    if matches!(solution.status(), good_lp::solvers::SolutionStatus::TimeLimit) {
        return Err(STOPPED.into());
    }
    Ok(Bound {
        value: solution.eval(&objective),
        integer: false,
        variables: n_vars,
        constraints: n_constraints,
    })
}
