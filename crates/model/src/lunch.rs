//! The crew's lunch break: the one rule, read by the optimiser's day timing
//! (`solver::greedy::timing`) and by the checker.
//!
//! Between a stop in a morning slot (starting before noon) and the next stop of the
//! day in an afternoon slot (starting at noon or later), the crew has at least
//! `lunch_minutes` (scenario key, default [`DEFAULT_LUNCH_MINUTES`]) between the end
//! of the morning's packing-up and the start of the afternoon's setting-up, **not
//! counting the drive** between the two sites: one does not eat at the wheel. So
//! `leave(morning) + drive + lunch ≤ start(afternoon) − setup`. Two stops both in
//! the morning or both in the afternoon need no break between them.

use crate::calendar::TimeOfDay;
use crate::scenario::{Scenario, Slot};
use crate::units::Seconds;

/// The default lunch break, minutes.
pub const DEFAULT_LUNCH_MINUTES: u32 = 45;

/// Noon: a slot starting before it is a morning slot.
pub const NOON: TimeOfDay = TimeOfDay(12 * 3600);

/// The break the crew needs between a stop in slot `before` and the next stop of
/// the day in slot `after`, beside the drive between them.
pub fn between(scenario: &Scenario, before: &Slot, after: &Slot) -> Seconds {
    if before.start < NOON && after.start >= NOON {
        Seconds::from_minutes(scenario.lunch_minutes)
    } else {
        Seconds::ZERO
    }
}

/// The longest drive that leaves the lunch break between a stop in `before` and
/// one in `after` (`None`: not even without driving, the slots are too close).
pub fn longest_drive(scenario: &Scenario, before: &Slot, after: &Slot) -> Option<Seconds> {
    let setup = scenario.setup();
    let free = (after.start - setup).0 as i64 - (before.end + setup).0 as i64;
    let left = free - between(scenario, before, after).0 as i64;
    (left >= 0).then_some(Seconds(left as u32))
}
