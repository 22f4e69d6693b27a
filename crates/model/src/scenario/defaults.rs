//! Default values of scenario fields, for serde.

use crate::calendar::{TimeOfDay, Weekday};
use crate::site::SiteKind;

pub(crate) fn one() -> u32 {
    1
}
pub(crate) fn two() -> u32 {
    2
}
pub(crate) fn one_u64() -> u64 {
    1
}
pub(crate) fn one_f64() -> f64 {
    1.0
}
pub(crate) fn ten_f64() -> f64 {
    10.0
}
pub(crate) fn thirty_five_f64() -> f64 {
    35.0
}
pub(crate) fn default_lunch() -> u32 {
    crate::lunch::DEFAULT_LUNCH_MINUTES
}
pub(crate) fn is_default_lunch(v: &u32) -> bool {
    *v == crate::lunch::DEFAULT_LUNCH_MINUTES
}
pub(crate) fn thirty() -> u32 {
    30
}
pub(crate) fn three_hundred() -> u32 {
    300
}
pub(crate) fn working_days() -> Vec<Weekday> {
    Weekday::ALL[..5].to_vec()
}
pub(crate) fn all_kinds() -> Vec<SiteKind> {
    SiteKind::ALL.to_vec()
}
pub(crate) fn default_departure() -> TimeOfDay {
    TimeOfDay::hm(7, 30)
}
pub(crate) fn default_return() -> TimeOfDay {
    TimeOfDay::hm(19, 0)
}
