//! The plan's upper bound: which relaxations are solved, and the smallest taken.
//! `plan_with` runs it on its own thread beside the search, within the same
//! `--seconds`.

use tournee_model::StopSignal;
use tournee_solver::bound::Bound;
use tournee_solver::Instance;

/// The detailed LP bound (`solver::bound`) is solved when vehicle-days × slots ×
/// sites² (the size of its consecutive-slot constraints) is at most this; the
/// day-aggregated one (`solver::daybound`) always, and the smaller of the two is the plan's
/// bound. Measured: 0.6 M (the demo) solves in 0.1 s, 11 M (315 sites, 4 weeks)
/// took 60 s.
pub const DETAILED_BOUND_MAX_SIZE: usize = 2_000_000;

/// Branch-and-bound nodes per week for the integer version of the day-aggregated
/// bound (`solver::daybound::upper_bound_milp`): its dual bound when it stops is
/// the plan's bound.
pub const DAYBOUND_MILP_NODES: i32 = 200;

/// The smaller of the day-aggregated bound (its integer version's dual bound) and, when its model is small enough, the detailed one (all
/// relaxations, so all above every valid plan).
pub fn best_bound(instance: &Instance) -> Result<Bound, String> {
    best_bound_within(instance, &StopSignal::never())
}

/// [`best_bound`], given up when `stop` fires; a MILP cut short by `stop`'s
/// deadline gives HiGHS's dual bound so far (still a bound).
pub fn best_bound_within(instance: &Instance, stop: &StopSignal) -> Result<Bound, String> {
    let sc = instance.scenario;
    let vehicle_days = sc
        .cycle_days()
        .iter()
        .map(|d| {
            sc.vehicles
                .iter()
                .filter(|v| v.runs_on(sc, d.weekday) && !sc.is_holiday(d.date))
                .count()
        })
        .sum::<usize>();
    let size = vehicle_days * sc.slots.len() * instance.sites.len() * instance.sites.len();
    // The day-aggregated relaxation with integer stops (week by week, a node limit
    // per week: deterministic without a deadline), else its LP.
    // (`solver::pairbound`'s cuts are left out: on the département they kept
    // HiGHS at its root bound for 60 s, where without them it reaches its node
    // limit — see bench/results/departement.md.)
    let day =
        tournee_solver::daybound::upper_bound_milp_within(instance, DAYBOUND_MILP_NODES, stop)
            .or_else(|_| tournee_solver::daybound::upper_bound_within(instance, stop));
    if size > DETAILED_BOUND_MAX_SIZE {
        return day;
    }
    match (
        day,
        tournee_solver::bound::upper_bound_within(instance, false, stop),
    ) {
        (Ok(a), Ok(b)) => Ok(if a.value < b.value { a } else { b }),
        (Ok(a), Err(_)) | (Err(_), Ok(a)) => Ok(a),
        (Err(e), Err(_)) => Err(e),
    }
}

/// The bound when [`best_bound_within`] got none within the search's time (its
/// MILP not even through the root): the day-aggregated MILP without the pair cuts
/// (smaller), given up only when `stop` fires.
pub fn fallback_bound_within(instance: &Instance, stop: &StopSignal) -> Result<Bound, String> {
    tournee_solver::daybound::upper_bound_milp_within(instance, DAYBOUND_MILP_NODES, stop)
        .or_else(|_| tournee_solver::daybound::upper_bound_within(instance, stop))
}
