//! The calendar of a scenario: the cycle and its days, public and school holidays,
//! the weekly slots.

use super::*;
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::calendar::{TimeOfDay, Weekday};

/// A period of days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    #[serde(deserialize_with = "crate::calendar::date::deserialize")]
    pub from: NaiveDate,
    #[serde(deserialize_with = "crate::calendar::date::deserialize")]
    pub to: NaiveDate,
}

impl Period {
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }
}

/// A half-day slot: the bus is open to the public from `start` to `end`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Slot {
    pub name: String,
    pub start: TimeOfDay,
    pub end: TimeOfDay,
}

/// One day of the cycle on which tours may run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CycleDay {
    /// 0-based week of the cycle.
    pub week: u32,
    pub weekday: Weekday,
    pub date: NaiveDate,
}

impl Scenario {
    /// Every day of the cycle on which tours may run (holidays included: callers
    /// report them as cancelled).
    pub fn cycle_days(&self) -> Vec<CycleDay> {
        let mut out = Vec::new();
        for week in 0..self.cycle_weeks {
            for &weekday in &self.days {
                let date = self.start_date
                    + Duration::days(i64::from(week) * 7 + i64::from(weekday.index()));
                out.push(CycleDay {
                    week,
                    weekday,
                    date,
                });
            }
        }
        out.sort_by_key(|d| d.date);
        out
    }

    /// The week of the cycle a date falls in, if it falls in the cycle.
    pub fn week_of(&self, date: NaiveDate) -> Option<u32> {
        let days = (date - self.start_date).num_days();
        if days < 0 || days >= i64::from(self.cycle_weeks) * 7 {
            None
        } else {
            Some((days / 7) as u32)
        }
    }

    pub fn is_holiday(&self, date: NaiveDate) -> bool {
        self.holidays.contains(&date)
    }

    pub fn is_school_holiday(&self, date: NaiveDate) -> bool {
        self.school_holidays.iter().any(|p| p.contains(date))
    }

    /// Why no tour runs on `date` (a public holiday, or school holidays when tours
    /// pause then), if none does.
    pub fn day_off(&self, date: NaiveDate) -> Option<&'static str> {
        if self.is_holiday(date) {
            Some("jour férié : pas de tournée ce jour")
        } else if self.pause_in_school_holidays && self.is_school_holiday(date) {
            Some("vacances scolaires : tournées suspendues")
        } else {
            None
        }
    }

    /// Whether no tour runs on `date` ([`Scenario::day_off`]).
    pub fn is_day_off(&self, date: NaiveDate) -> bool {
        self.day_off(date).is_some()
    }
}
