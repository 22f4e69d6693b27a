//! An upper bound on the reachable population per week, so that a coordinator knows
//! how far a plan can be from the best possible.
//!
//! The bound is the optimum of a relaxation of the planning problem, solved with
//! HiGHS through `good_lp`: everything in it is implied by the real rules, some real
//! rules are left out, so no plan the checker accepts can do better.
//!
//! - `y[vehicle-day, slot, site]`: the vehicle is at the site in that slot. It exists
//!   only where the site is usable that date and slot (`model::availability`) and a
//!   day with that single stop fits the vehicle's hours (a real day with more stops
//!   only drives more, up to one second of rounding per path, which is allowed);
//! - one site at most per vehicle-day and slot;
//! - consecutive slots: `y[s, i] + Σ y[s+1, j] ≤ 1` over the sites `j` that cannot be
//!   reached from `i` in time (valid without a big M, since at most one `j` is
//!   chosen);
//! - a site hosts one vehicle at most per date and slot;
//! - crews: on each date and at each depot, the crews of the vehicles out need no
//!   more mediators than work that day (daily and weekly hours and rest are left
//!   out);
//! - `z[week, place] ≤ Σ y` over the stops of that week that reach the place, and
//!   `z ≤ 1`; maximise `Σ value · z / weeks`. With `repeat_factors`, one `z` per
//!   reach (`Σ z ≤ Σ y`, each repeat worth its factor); with a reach decay curve,
//!   one such set per share level of the place, over the stops with at least that
//!   share (`model::scenario::share_steps`): every plan's value is reachable by
//!   these `z`, so the bound stays above it.
//!
//! Left out (hence a relaxation): stops two slots apart, daily and weekly hours,
//! rest, the depot time budget across several stops. With `integer` the `y` are
//! binary and the bound is the relaxed MILP's optimum (tighter, slower); otherwise
//! the LP relaxation's.

use std::collections::HashMap;

use good_lp::solvers::highs::highs;
use good_lp::{
    variable, Expression, ProblemVariables, ResolutionError, Solution, SolverModel, Variable,
};
use tournee_model::StopSignal;

use crate::instance::Instance;

/// Why a model was given up when its caller's stop signal fired.
pub const STOPPED: &str = "stopped before the end (cancelled or out of time)";

/// `model` with the time left before `stop`'s deadline as HiGHS's time limit;
/// `Err` when none is left or the signal already fired.
pub(crate) fn with_time_left(
    model: good_lp::solvers::highs::HighsProblem,
    stop: &StopSignal,
) -> Result<good_lp::solvers::highs::HighsProblem, String> {
    if stop.stopped() {
        return Err(STOPPED.into());
    }
    Ok(match stop.remaining() {
        Some(left) => model.set_time_limit(left.as_secs_f64().max(0.01)),
        None => model,
    })
}

/// (period, place): `Objective::period_of`.
type PlaceWeek = (usize, usize);
/// The share and the stop variable of each stop that may reach a place in a week.
type ShareVars = Vec<(f64, Variable)>;

/// The bound and the size of the model that gave it.
#[derive(Debug, Clone, PartialEq)]
pub struct Bound {
    /// Upper bound on the weighted reachable population per week.
    pub value: f64,
    /// Whether the `y` were binary (MILP) or continuous (LP).
    pub integer: bool,
    pub variables: usize,
    pub constraints: usize,
}

/// Computes the bound; `Err` only when the solver fails.
pub fn upper_bound(inst: &Instance, integer: bool) -> Result<Bound, String> {
    upper_bound_within(inst, integer, &StopSignal::never())
}

/// [`upper_bound`], given up (`Err`) when `stop` fires: checked while the model is
/// built, and HiGHS gets the time left as its limit (a relaxation cut short is no
/// bound, so it is refused too).
pub fn upper_bound_within(
    inst: &Instance,
    integer: bool,
    stop: &StopSignal,
) -> Result<Bound, String> {
    let sc = inst.scenario;
    let setup = sc.setup();
    let values = inst.place_values();
    let rules = inst.site_rules();
    let mut vars = ProblemVariables::new();
    let mut constraints = Vec::new();
    let mut n_vars = 0;
    let y_kind = || {
        if integer {
            variable().binary()
        } else {
            variable().min(0).max(1)
        }
    };

    // Stops per (week, place) that reach it; per (date, slot, site) the vehicles there;
    // per (date, depot) the crews needed.
    let mut reach: HashMap<PlaceWeek, Vec<(f64, Variable)>> = HashMap::new();
    let mut site_slot: HashMap<(chrono::NaiveDate, usize, usize), Vec<Variable>> = HashMap::new();
    let mut crews: HashMap<(chrono::NaiveDate, &str), Expression> = HashMap::new();

    for day in sc.cycle_days() {
        if stop.stopped() {
            return Err(STOPPED.into());
        }
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
            // y per slot: (site, variable).
            let mut by_slot: Vec<Vec<(usize, Variable)>> = Vec::new();
            for (s, slot) in sc.slots.iter().enumerate() {
                let mut here = Vec::new();
                for (site, rule) in rules.iter().enumerate() {
                    if inst.coverage.by_site[site].is_empty() {
                        continue; // worth nothing, takes nothing from a bound
                    }
                    let point = inst.site_point(site);
                    let (Some((t_in, _)), Some((t_out, _))) =
                        (inst.drive(depot, point), inst.drive(point, depot))
                    else {
                        continue;
                    };
                    let fits = v.earliest_departure.0 + t_in.0 <= (slot.start - setup).0 + 1
                        && (slot.end + setup).0 + t_out.0 <= v.latest_return.0 + 1;
                    if !fits
                        || rule
                            .usable(day.date, slot.start - setup, slot.end + setup)
                            .is_err()
                    {
                        continue;
                    }
                    let y = vars.add(y_kind());
                    n_vars += 1;
                    here.push((site, y));
                    site_slot.entry((day.date, s, site)).or_default().push(y);
                    for c in &inst.coverage.by_site[site] {
                        reach
                            .entry((sc.objective.period_of(day.week), c.place.0 as usize))
                            .or_default()
                            .push((c.share, y));
                    }
                }
                by_slot.push(here);
            }
            let active = vars.add(variable().min(0).max(1));
            n_vars += 1;
            let mut all = Expression::from(0.0);
            for (s, here) in by_slot.iter().enumerate() {
                let sum: Expression = here.iter().map(|(_, y)| *y).sum();
                all += sum.clone();
                constraints.push(sum.leq(1.0));
                if let Some(next) = by_slot.get(s + 1) {
                    let (a, b) = (&sc.slots[s], &sc.slots[s + 1]);
                    for &(i, yi) in here {
                        let blocked: Expression = next
                            .iter()
                            .filter(|(j, _)| {
                                inst.drive(inst.site_point(i), inst.site_point(*j))
                                    .is_none_or(|(t, _)| {
                                        (a.end + setup).0 + t.0 > (b.start - setup).0
                                    })
                            })
                            .map(|(_, y)| *y)
                            .sum();
                        constraints.push((blocked + yi).leq(1.0));
                    }
                }
            }
            constraints.push(all.leq(sc.slots.len() as f64 * active));
            *crews.entry((day.date, v.depot.as_str())).or_default() += v.crew_size as f64 * active;
        }
    }
    for ys in site_slot.into_values().filter(|ys| ys.len() > 1) {
        constraints.push(ys.into_iter().sum::<Expression>().leq(1.0));
    }
    for ((date, depot), need) in crews {
        let weekday = tournee_model::Weekday::from_chrono(chrono::Datelike::weekday(&date));
        let available = sc
            .mediators
            .iter()
            .filter(|m| m.base == depot && m.works_on(sc, weekday) && !m.leave.contains(&date))
            .count();
        constraints.push(need.leq(available as f64));
    }
    let mut reach: Vec<(PlaceWeek, ShareVars)> = reach.into_iter().collect();
    reach.sort_by_key(|(k, _)| *k);
    // Per share level, first reach and repeats (`repeat_factors`), as in the exact
    // model.
    let (objective, n_z) =
        crate::place_terms::objective(&mut vars, sc, &values, reach, &mut constraints);
    n_vars += n_z;
    let n_constraints = constraints.len();
    let mut model = with_time_left(vars.maximise(objective.clone()).using(highs), stop)?;
    for c in constraints {
        model = model.with(c);
    }
    let solution = model
        .solve()
        .map_err(|e: ResolutionError| format!("the bound's solver failed: {e}"))?;
    if matches!(
        solution.status(),
        good_lp::solvers::SolutionStatus::TimeLimit
    ) {
        return Err(STOPPED.into());
    }
    Ok(Bound {
        value: solution.eval(&objective),
        integer,
        variables: n_vars,
        constraints: n_constraints,
    })
}
