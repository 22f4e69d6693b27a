//! The plan's upper bound: which relaxations are solved, and the smallest taken.
//! `plan_with` runs it on its own thread beside the search, within the same
//! `--seconds`.

use tournee_model::StopSignal;
use tournee_solver::bound::Bound;
use tournee_solver::Instance;

/// The detailed LP bound (`solver::bound`) is solved when vehicle-days × slots ×
/// sites² (the size of its consecutive-slot constraints) is at most this; the
/// period-aggregated one (`solver::cyclebound`) always, and the smallest is the
/// plan's bound. Measured: 0.6 M (the demo) solves in 0.1 s, 11 M (315 sites, 4
/// weeks) took 60 s.
pub const DETAILED_BOUND_MAX_SIZE: usize = 2_000_000;

/// The day-aggregated MILP (`solver::daybound::upper_bound_milp`) is also solved
/// when vehicle-days × slots × sites (its stop variables) is at most this: on a
/// département (≈158,000) it needs 45–60 s for a bound above the period-aggregated
/// LP's, which takes 2 s.
pub const DAYBOUND_MAX_SIZE: usize = 20_000;

/// Branch-and-bound nodes per week for the integer version of the day-aggregated
/// bound (`solver::daybound::upper_bound_milp`): its dual bound when it stops is
/// the plan's bound.
pub const DAYBOUND_MILP_NODES: i32 = 200;

/// The smallest of the relaxations solved (all above every valid plan):
/// `solver::cyclebound`'s LP always, the day-aggregated MILP's dual bound and the
/// detailed LP when their models are small enough.
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
    let stops = vehicle_days * sc.slots.len() * instance.sites.len();
    let size = stops * instance.sites.len();
    // The period-aggregated LP: seconds on a département, and there the tightest.
    let mut best = tournee_solver::cyclebound::upper_bound_within(instance, None, stop);
    let mut keep = |b: Result<Bound, String>| {
        best = match (std::mem::replace(&mut best, Err(String::new())), b) {
            (Ok(a), Ok(b)) => Ok(if b.value < a.value { b } else { a }),
            (Ok(a), Err(_)) | (Err(_), Ok(a)) => Ok(a),
            (Err(e), Err(_)) => Err(e),
        };
    };
    // The day-aggregated relaxation with integer stops (week by week, a node limit
    // per week: deterministic without a deadline), else its LP.
    // (`solver::pairbound`'s cuts are left out of it: on the département they kept
    // HiGHS at its root bound for 60 s — see bench/results/departement.md.)
    if stops <= DAYBOUND_MAX_SIZE {
        keep(
            tournee_solver::daybound::upper_bound_milp_within(instance, DAYBOUND_MILP_NODES, stop)
                .or_else(|_| tournee_solver::daybound::upper_bound_within(instance, stop)),
        );
    }
    if size <= DETAILED_BOUND_MAX_SIZE {
        keep(tournee_solver::bound::upper_bound_within(
            instance, false, stop,
        ));
    }
    best
}

/// The bound when [`best_bound_within`] got none within the search's time: the
/// period-aggregated LP, given up only when `stop` fires.
pub fn fallback_bound_within(instance: &Instance, stop: &StopSignal) -> Result<Bound, String> {
    tournee_solver::cyclebound::upper_bound_within(instance, None, stop)
        .or_else(|_| tournee_solver::daybound::upper_bound_within(instance, stop))
}
