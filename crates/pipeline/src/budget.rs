//! The memory a solve needs, estimated from the scenario's size before the
//! optimiser runs, so that what would not fit is refused (or an optional stage
//! skipped) instead of growing until the machine gives out.
//!
//! The sizes that drive memory: vehicle-days (vehicles × running days of the
//! cycle), usable sites, slots per day, places and weeks. Two stages list every
//! feasible day of every vehicle-day (a site or none per slot, so up to
//! `(sites + 1)^slots` per vehicle-day): local search and the exact MILP. They are
//! optional — the large-neighbourhood search makes the same moves over shortlists —
//! and are skipped when their lists would not fit. The others (construction, LNS,
//! the day-aggregated bound, the checker, the plan itself) grow with the sizes
//! above; a scenario whose estimate for them exceeds the budget is refused.
//!
//! The byte counts per item are measured orders of magnitude (peak resident
//! memory of the demo territory at 2 to 52 weeks and 2 to 50 vehicles; see
//! `bench/results/bounded-jobs.md`), rounded up: an estimate, not an accounting.

use tournee_model::Scenario;

/// The default memory budget of one solve.
pub const DEFAULT_MEMORY_MIB: u64 = 2048;

/// Bytes per listed day pattern (stops, timing, places reached; measured ≈ 300).
const PATTERN_BYTES: u64 = 400;
/// Bytes per pattern in the exact MILP on top of the listing (a binary variable,
/// its coefficients in every row it enters).
const MILP_PATTERN_BYTES: u64 = 1_000;
/// Bytes per vehicle-day in construction, LNS (two chains) and the plan
/// (routes, visits with their names, crews, bookkeeping).
const VEHICLE_DAY_BYTES: u64 = 16_000;
/// Bytes per (week, place) in the reach bookkeeping and the day-aggregated bound.
const PLACE_WEEK_BYTES: u64 = 2_000;
/// Bytes per (day, slot, site) in the day-aggregated bound and the shortlists.
const SITE_SLOT_DAY_BYTES: u64 = 400;
/// What every solve needs besides (buffers, thread stacks, the scenario).
const FIXED_BYTES: u64 = 64 << 20;

/// The sizes of a solve and the memory they are estimated to need.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    pub vehicle_days: u64,
    pub days: u64,
    pub sites: u64,
    pub slots: u64,
    pub places: u64,
    pub weeks: u64,
    /// Day patterns local search would list (an upper bound).
    pub patterns: u64,
    /// Bytes of the stages every solve runs.
    pub required: u64,
    /// Bytes of local search's lists, and of the exact MILP.
    pub local: u64,
    pub exact: u64,
}

/// Vehicle-days of the cycle that may run (vehicle's weekdays, not a day off, not
/// unavailable): the sizes every stage iterates over.
pub fn vehicle_days(scenario: &Scenario) -> u64 {
    scenario
        .cycle_days()
        .iter()
        .map(|d| {
            if scenario.is_day_off(d.date) {
                return 0;
            }
            scenario
                .vehicles
                .iter()
                .filter(|v| v.runs_on(scenario, d.weekday) && !v.unavailable.contains(&d.date))
                .count() as u64
        })
        .sum()
}

/// The estimate for `scenario` with `sites` usable sites (or an upper bound, such
/// as the territory's candidates of the chosen kinds), of which `reaching` reach
/// some place (those day patterns use), and `places` demand points.
pub fn estimate(scenario: &Scenario, sites: usize, reaching: usize, places: usize) -> Estimate {
    let vehicle_days = vehicle_days(scenario);
    let days = scenario.cycle_days().len() as u64;
    let (sites, slots, places) = (sites as u64, scenario.slots.len() as u64, places as u64);
    let weeks = u64::from(scenario.cycle_weeks);
    // A site or none per slot: (sites + 1)^slots per vehicle-day, saturating.
    let per_day = (0..slots).fold(1u64, |n, _| n.saturating_mul(reaching as u64 + 1));
    let patterns = vehicle_days.saturating_mul(per_day);
    let required = FIXED_BYTES
        .saturating_add(vehicle_days.saturating_mul(VEHICLE_DAY_BYTES))
        .saturating_add(
            weeks
                .saturating_mul(places)
                .saturating_mul(PLACE_WEEK_BYTES),
        )
        .saturating_add(
            days.saturating_mul(slots)
                .saturating_mul(sites)
                .saturating_mul(SITE_SLOT_DAY_BYTES),
        );
    Estimate {
        vehicle_days,
        days,
        sites,
        slots,
        places,
        weeks,
        patterns,
        required,
        local: patterns.saturating_mul(PATTERN_BYTES),
        exact: patterns.saturating_mul(PATTERN_BYTES + MILP_PATTERN_BYTES),
    }
}

impl Estimate {
    /// `Err` with a French message saying what is too large and what to reduce, when
    /// the stages every solve runs would need more than `budget_mib`.
    pub fn fits(&self, budget_mib: u64) -> Result<(), String> {
        let budget = budget_mib.saturating_mul(1 << 20);
        if self.required <= budget {
            return Ok(());
        }
        Err(format!(
            "scénario trop grand pour ce serveur : {} jours-véhicule ({} semaines), {} sites, {} lieux demanderaient environ {} Mio de mémoire, au-delà de la limite de {} Mio par calcul ; réduisez le nombre de semaines du cycle, de véhicules ou de types de sites",
            self.vehicle_days,
            self.weeks,
            self.sites,
            self.places,
            self.required >> 20,
            budget_mib
        ))
    }

    /// Whether local search's lists fit in `budget_mib` beside the required stages.
    pub fn local_fits(&self, budget_mib: u64) -> bool {
        self.required.saturating_add(self.local) <= budget_mib.saturating_mul(1 << 20)
    }

    /// Whether the exact MILP fits in `budget_mib` beside the required stages.
    pub fn exact_fits(&self, budget_mib: u64) -> bool {
        self.required.saturating_add(self.exact) <= budget_mib.saturating_mul(1 << 20)
    }
}
