//! The publication horizon: the cycle repeated up to a date (`tournee publish
//! --until DATE`), so that a town hall's calendar runs to the end of the season
//! rather than to the end of the first cycle.
//!
//! Week `w` of the plan's cycle is week `w + k·cycle_weeks` of the horizon for
//! every `k`: each route is repeated on the same weekday, `cycle_weeks` weeks later,
//! as long as the date is on or before the horizon. A repeated date that is a day
//! off — one of the scenario's holidays or school-holiday pauses, a French public
//! holiday of its year (computed: 1 January, Easter Monday, 1 and 8 May, Ascension,
//! Whit Monday, 14 July, 15 August, 1 and 11 November, 25 December), or a day the
//! vehicle is off the road — is not repeated: its visits are listed in
//! `Plan::unplaced` with the reason, so calendars write it as an exception.
//!
//! Every output is then derived from the extended plan, so calendars, sheets,
//! panels, GTFS and CSV agree on the horizon.

use chrono::{Datelike, Duration, NaiveDate};
use tournee_model::{Plan, Scenario, Unplaced};

/// Easter Sunday of `year` (anonymous Gregorian algorithm).
pub fn easter(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("a valid Easter date")
}

/// Whether `date` is a French public holiday (metropolitan list).
pub fn is_french_public_holiday(date: NaiveDate) -> bool {
    let fixed = [
        (1, 1),
        (5, 1),
        (5, 8),
        (7, 14),
        (8, 15),
        (11, 1),
        (11, 11),
        (12, 25),
    ];
    if fixed.contains(&(date.month(), date.day())) {
        return true;
    }
    let e = easter(date.year());
    [1, 39, 50].iter().any(|d| e + Duration::days(*d) == date)
}

/// Why no tour runs on a repeated `date`, if none does.
fn day_off(scenario: &Scenario, date: NaiveDate) -> Option<&'static str> {
    scenario
        .day_off(date)
        .or_else(|| is_french_public_holiday(date).then_some("jour férié : pas de tournée ce jour"))
}

/// The plan with its cycle repeated up to `until` (inclusive). Nothing changes
/// when `until` is before the end of the first cycle.
pub fn extend(plan: &Plan, scenario: &Scenario, until: NaiveDate) -> Plan {
    let mut out = plan.clone();
    let step = Duration::weeks(i64::from(plan.cycle_weeks.max(1)));
    for k in 1.. {
        let shift = step * k;
        if plan.start_date + shift > until {
            break;
        }
        for route in &plan.routes {
            let date = route.date + shift;
            if date > until {
                continue;
            }
            let off_road = scenario
                .vehicle(&route.vehicle)
                .is_some_and(|v| v.unavailable.contains(&date));
            let why = day_off(scenario, date).or(off_road.then_some("véhicule indisponible"));
            if let Some(reason) = why {
                for v in &route.visits {
                    out.unplaced.push(Unplaced {
                        vehicle: Some(route.vehicle.clone()),
                        date: Some(date),
                        commune: Some(v.commune.clone()),
                        reason: reason.to_string(),
                        ..Unplaced::default()
                    });
                }
                continue;
            }
            let mut r = route.clone();
            r.date = date;
            r.week = route.week + plan.cycle_weeks * k as u32;
            out.routes.push(r);
        }
    }
    out.routes
        .sort_by(|a, b| (a.date, &a.vehicle).cmp(&(b.date, &b.vehicle)));
    out
}

/// The last day a plan covers: its last route's date, or the end of its cycle.
pub fn last_day(plan: &Plan) -> NaiveDate {
    let cycle_end =
        plan.start_date + Duration::weeks(i64::from(plan.cycle_weeks)) - Duration::days(1);
    plan.routes
        .iter()
        .map(|r| r.date)
        .max()
        .map_or(cycle_end, |d| d.max(cycle_end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn easter_and_the_holidays_it_moves() {
        assert_eq!(easter(2027), d("2027-03-28"));
        assert_eq!(easter(2028), d("2028-04-16"));
        assert!(is_french_public_holiday(d("2027-03-29")), "Easter Monday");
        assert!(is_french_public_holiday(d("2027-05-06")), "Ascension");
        assert!(is_french_public_holiday(d("2027-05-17")), "Whit Monday");
        assert!(is_french_public_holiday(d("2028-07-14")));
        assert!(!is_french_public_holiday(d("2027-05-18")));
    }
}
