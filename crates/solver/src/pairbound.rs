//! Valid cuts on a day's morning and afternoon stops, tightening the
//! day-aggregated bound ([`daybound`](crate::daybound)) when the scenario has
//! exactly two slots a day.
//!
//! The day-aggregated relaxation picks the morning's and the afternoon's stops of a
//! depot independently: the morning far to the north and the afternoon far to the
//! south reach more distinct places than any real day can. In a real day the two
//! stops are one vehicle's, so the drive between them fits between the morning's
//! packing-up and the afternoon's setting-up, beside the lunch break
//! (`model::lunch::longest_drive`: 15 minutes with the defaults). Here:
//!
//! - the sites are grouped into **zones** of sites close to one another (greedy
//!   clusters: every site within [`ZONE_RADIUS`] of its zone's first site, both
//!   ways); a zone only serves to keep the cuts small;
//! - morning zone `A` and afternoon zone `B` are *compatible* when some site of `A`
//!   and some site of `B` are within the lunch-gap drive (a couple of seconds of
//!   slack for rounding);
//! - for each date, depot and morning zone `A`: `Σ y[morning, A] ≤ Σ y[afternoon,
//!   B compatible with A] + Σ_v n_v[1]`, where `n_v[1]` is "vehicle `v` runs a
//!   one-stop day" — and the same with the slots swapped.
//!
//! Valid for every plan: each vehicle of the depot with its morning stop in `A`
//! either runs a one-stop day (counted in `Σ n_v[1]`) or has its afternoon stop in
//! a zone compatible with `A` (counted on the right, once per vehicle: a site hosts
//! one vehicle per slot). So the relaxation with these rows still bounds every plan
//! the checker accepts; the property tests check it on random territories.

use std::collections::BTreeMap;

use good_lp::{Constraint, Expression, ProblemVariables, Variable};

use tournee_model::StopSignal;

use crate::bound::Bound;
use crate::instance::Instance;

/// Radius of a zone in drive seconds (each way, from its first site).
pub const ZONE_RADIUS: u32 = 600;

/// Slack on the lunch-gap drive, seconds: the checker recomputes drives on the
/// road graph, up to a second of rounding per path.
const SLACK: u32 = 2;

/// Zones of sites and which morning and afternoon zones a day can join.
pub(crate) struct Zones {
    /// Zone of each site (`None`: a site that reaches no one, left out).
    of: Vec<Option<usize>>,
    count: usize,
    /// `compatible[a * count + b]`: a morning stop in `a` and an afternoon stop in
    /// `b` can be one vehicle's day.
    compatible: Vec<bool>,
}

impl Zones {
    /// The zones of `inst`, or `None` unless it has exactly two slots a day.
    pub(crate) fn new(inst: &Instance) -> Option<Zones> {
        let sc = inst.scenario;
        if sc.slots.len() != 2 {
            return None;
        }
        let gap = tournee_model::lunch::longest_drive(sc, &sc.slots[0], &sc.slots[1]);
        let n = inst.sites.len();
        let used: Vec<usize> = (0..n)
            .filter(|&s| !inst.coverage.by_site[s].is_empty())
            .collect();
        let mut of = vec![None; n];
        let mut count = 0;
        for &c in &used {
            if of[c].is_some() {
                continue;
            }
            of[c] = Some(count);
            let pc = inst.site_point(c);
            for &s in &used {
                if of[s].is_some() {
                    continue;
                }
                let ps = inst.site_point(s);
                let near = |a, b| inst.drive(a, b).is_some_and(|(t, _)| t.0 <= ZONE_RADIUS);
                if near(pc, ps) && near(ps, pc) {
                    of[s] = Some(count);
                }
            }
            count += 1;
        }
        let mut compatible = vec![false; count * count];
        if let Some(gap) = gap {
            for &i in &used {
                let (pi, zi) = (inst.site_point(i), of[i].unwrap_or(0));
                for &j in &used {
                    let zj = of[j].unwrap_or(0);
                    if compatible[zi * count + zj] {
                        continue;
                    }
                    let ok = i == j
                        || inst
                            .drive(pi, inst.site_point(j))
                            .is_some_and(|(t, _)| t.0 <= gap.0 + SLACK);
                    if ok {
                        compatible[zi * count + zj] = true;
                    }
                }
            }
        }
        Some(Zones {
            of,
            count,
            compatible,
        })
    }

    /// Adds the cuts of one date and depot: `stops[s]` are the (site, y) of slot
    /// `s`; `single` is `Σ_v n_v[1]` over the depot's vehicles that day. Returns
    /// the number of variables added.
    pub(crate) fn cuts(
        &self,
        vars: &mut ProblemVariables,
        stops: [&[(usize, Variable)]; 2],
        single: &Expression,
        constraints: &mut Vec<Constraint>,
    ) -> usize {
        // Per slot, the zone sums, as one variable each (fewer non-zeros).
        let mut added = 0;
        let mut sums: [BTreeMap<usize, Variable>; 2] = Default::default();
        for (s, here) in stops.iter().enumerate() {
            let mut by_zone: BTreeMap<usize, Expression> = BTreeMap::new();
            for &(site, y) in here.iter() {
                if let Some(z) = self.of[site] {
                    *by_zone.entry(z).or_default() += y;
                }
            }
            for (z, sum) in by_zone {
                let v = vars.add(good_lp::variable().min(0));
                added += 1;
                constraints.push(Expression::from(v).eq(sum));
                sums[s].insert(z, v);
            }
        }
        for s in 0..2 {
            let other = 1 - s;
            for (&a, &va) in &sums[s] {
                let reachable: Expression = sums[other]
                    .iter()
                    .filter(|(&b, _)| {
                        let (am, pm) = if s == 0 { (a, b) } else { (b, a) };
                        self.compatible[am * self.count + pm]
                    })
                    .map(|(_, &vb)| vb)
                    .sum();
                constraints.push(Expression::from(va).leq(reachable + single.clone()));
            }
        }
        added
    }
}

/// The day-aggregated LP with these cuts; `Err` when the scenario has not exactly
/// two slots a day or the solver fails.
pub fn upper_bound(inst: &Instance) -> Result<Bound, String> {
    upper_bound_within(inst, &StopSignal::never())
}

/// [`upper_bound`], given up (`Err`) when `stop` fires.
pub fn upper_bound_within(inst: &Instance, stop: &StopSignal) -> Result<Bound, String> {
    crate::daybound::lp(inst, true, stop)
}

/// The day-aggregated MILP with these cuts (as
/// [`daybound::upper_bound_milp`](crate::daybound::upper_bound_milp)): HiGHS's
/// dual bound after at most `max_nodes` nodes.
pub fn upper_bound_milp(inst: &Instance, max_nodes: i32) -> Result<Bound, String> {
    upper_bound_milp_within(inst, max_nodes, &StopSignal::never())
}

/// [`upper_bound_milp`] within `stop`: HiGHS gets the time left, and its dual
/// bound when it stops early is still a bound.
pub fn upper_bound_milp_within(
    inst: &Instance,
    max_nodes: i32,
    stop: &StopSignal,
) -> Result<Bound, String> {
    crate::daybound::milp(inst, max_nodes, true, stop)
}
