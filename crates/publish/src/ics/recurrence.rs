//! How the dates of a stop series are written in iCalendar.
//!
//! Promise: the written form expands (RFC 5545 §3.8.5: DTSTART, then RRULE and
//! RDATE, minus EXDATE) to exactly the given dates, no more, no fewer.
//!
//! A series is written as a rule (`RRULE:FREQ=WEEKLY;INTERVAL=k;COUNT=n`) when
//! every date of the rule that the plan does not visit is a known [`Cancellation`];
//! those become `EXDATE`s, so residents see a regular rhythm with its exceptions.
//! Otherwise the dates are listed (`RDATE`).
//!
//! A rhythm also continues past its last visit over the cancellations that end the
//! cycle (a weekly Tuesday stop whose last Tuesday is a holiday gets that Tuesday
//! as an `EXDATE`), so the cancellation is announced. A lone visit has no rhythm
//! of its own: it is continued weekly only over dates on which the plan says this
//! very stop is cancelled ([`Cancellation::OfThisStop`]), since a holiday the week
//! after a one-off visit says nothing about a rhythm. The series never starts on a
//! cancelled date: DTSTART is always a real visit, as some calendar applications
//! show DTSTART even when an EXDATE removes it.

use chrono::{Duration, NaiveDate};

/// Why a stop does not happen on a date of its rhythm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cancellation {
    /// No tour that day: a holiday, or the vehicle off the road.
    NoTour,
    /// The plan names this stop's commune as cancelled that day.
    OfThisStop,
}

/// The recurrence of a series whose first date is DTSTART.
#[derive(Debug, Clone, PartialEq)]
pub enum Recurrence {
    /// DTSTART only.
    Once,
    /// Every `interval` weeks from DTSTART, `count` times, minus `cancelled`.
    Weekly {
        interval: u32,
        count: u32,
        cancelled: Vec<NaiveDate>,
    },
    /// DTSTART and these further dates.
    Dates(Vec<NaiveDate>),
}

/// Chooses how to write sorted, distinct `dates`, within a cycle that ends before
/// `cycle_end`; `cancellation` tells why a date without visit has none, if known.
/// Among the weekly rhythms that fit (every k weeks, k dividing every gap, missing
/// dates all cancelled), the most frequent one is chosen: a fortnightly stop that
/// lost a date to a holiday stays fortnightly with one exception rather than
/// becoming "every four weeks".
pub fn recurrence(
    dates: &[NaiveDate],
    cycle_end: NaiveDate,
    cancellation: impl Fn(NaiveDate) -> Option<Cancellation>,
) -> Recurrence {
    let Some((&first, rest)) = dates.split_first() else {
        return Recurrence::Once;
    };
    if rest.is_empty() {
        let lone = Recurrence::Weekly {
            interval: 1,
            count: 1,
            cancelled: Vec::new(),
        };
        let of_this_stop = |d| cancellation(d) == Some(Cancellation::OfThisStop);
        return match extend_over_final_cancellations(lone, first, cycle_end, &of_this_stop) {
            Recurrence::Weekly { count: 1, .. } => Recurrence::Once,
            rule => rule,
        };
    }
    let is_cancelled = |d| cancellation(d).is_some();
    match regular_rhythm(dates, &is_cancelled) {
        Some(rule) => extend_over_final_cancellations(rule, first, cycle_end, &is_cancelled),
        None => Recurrence::Dates(rest.to_vec()),
    }
}

/// The most frequent every-k-weeks rule that gives `dates` (at least two) once the
/// cancellations are excluded.
fn regular_rhythm(
    dates: &[NaiveDate],
    is_cancelled: &dyn Fn(NaiveDate) -> bool,
) -> Option<Recurrence> {
    let first = dates[0];
    let offsets: Vec<i64> = dates[1..]
        .iter()
        .map(|d| whole_weeks(first, *d))
        .collect::<Option<_>>()?;
    let step = offsets.iter().copied().fold(0, gcd);
    let span = offsets.last().copied().unwrap_or(0);
    (1..=step)
        .filter(|k| step % k == 0)
        .find_map(|k| weekly_rule(dates, first, span, k, is_cancelled))
}

/// Lengthens a weekly rule while its next date is still in the cycle and cancelled.
fn extend_over_final_cancellations(
    rule: Recurrence,
    first: NaiveDate,
    cycle_end: NaiveDate,
    is_cancelled: &dyn Fn(NaiveDate) -> bool,
) -> Recurrence {
    let Recurrence::Weekly {
        interval,
        mut count,
        mut cancelled,
    } = rule
    else {
        return rule;
    };
    loop {
        let next = first + Duration::weeks(i64::from(interval) * i64::from(count));
        if next >= cycle_end || !is_cancelled(next) {
            break;
        }
        cancelled.push(next);
        count += 1;
    }
    Recurrence::Weekly {
        interval,
        count,
        cancelled,
    }
}

/// Every-`k`-weeks rule from `first` over `span` weeks, if the dates it adds to
/// `dates` are all cancellations.
fn weekly_rule(
    dates: &[NaiveDate],
    first: NaiveDate,
    span: i64,
    k: i64,
    is_cancelled: &dyn Fn(NaiveDate) -> bool,
) -> Option<Recurrence> {
    let count = span / k + 1;
    let rule_dates = (0..count).map(|i| first + Duration::weeks(i * k));
    let cancelled: Vec<NaiveDate> = rule_dates
        .filter(|d| dates.binary_search(d).is_err())
        .collect();
    if !cancelled.iter().all(|d| is_cancelled(*d)) {
        return None;
    }
    Some(Recurrence::Weekly {
        interval: u32::try_from(k).ok()?,
        count: u32::try_from(count).ok()?,
        cancelled,
    })
}

/// Weeks from `a` to the later `b`, when `b` falls on the same weekday.
fn whole_weeks(a: NaiveDate, b: NaiveDate) -> Option<i64> {
    let days = (b - a).num_days();
    (days > 0 && days % 7 == 0).then_some(days / 7)
}

fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// A cycle end far enough not to matter.
    const END: NaiveDate = NaiveDate::from_ymd_opt(2028, 1, 1).unwrap();

    fn holidays(list: &[&str]) -> impl Fn(NaiveDate) -> Option<Cancellation> {
        let list: Vec<NaiveDate> = list.iter().map(|s| d(s)).collect();
        move |x| list.contains(&x).then_some(Cancellation::NoTour)
    }

    #[test]
    fn one_date_is_dtstart_only() {
        assert_eq!(
            recurrence(&[d("2027-03-02")], END, holidays(&[])),
            Recurrence::Once
        );
    }

    #[test]
    fn weekly_with_a_holiday_is_a_rule_with_an_exception() {
        let dates = [d("2027-03-02"), d("2027-03-16"), d("2027-03-23")];
        assert_eq!(
            recurrence(&dates, END, holidays(&["2027-03-09"])),
            Recurrence::Weekly {
                interval: 1,
                count: 4,
                cancelled: vec![d("2027-03-09")]
            }
        );
    }

    #[test]
    fn a_gap_that_is_no_cancellation_lists_the_dates() {
        let dates = [d("2027-03-02"), d("2027-03-16"), d("2027-03-23")];
        assert_eq!(
            recurrence(&dates, END, holidays(&[])),
            Recurrence::Dates(vec![d("2027-03-16"), d("2027-03-23")])
        );
    }

    #[test]
    fn fortnightly_is_interval_two() {
        let dates = [d("2027-03-02"), d("2027-03-16"), d("2027-03-30")];
        assert_eq!(
            recurrence(&dates, END, holidays(&[])),
            Recurrence::Weekly {
                interval: 2,
                count: 3,
                cancelled: vec![]
            }
        );
    }

    #[test]
    fn fortnightly_that_lost_a_date_stays_fortnightly() {
        let dates = [d("2027-03-02"), d("2027-03-30")];
        assert_eq!(
            recurrence(&dates, END, holidays(&["2027-03-16"])),
            Recurrence::Weekly {
                interval: 2,
                count: 3,
                cancelled: vec![d("2027-03-16")]
            }
        );
    }

    #[test]
    fn dates_on_different_weekdays_are_listed() {
        let dates = [d("2027-03-02"), d("2027-03-10")];
        assert_eq!(
            recurrence(&dates, END, holidays(&[])),
            Recurrence::Dates(vec![d("2027-03-10")])
        );
    }

    #[test]
    fn a_final_holiday_in_the_cycle_is_an_exception() {
        let dates = [d("2027-03-02"), d("2027-03-09")];
        let cycle_end = d("2027-03-22");
        assert_eq!(
            recurrence(&dates, cycle_end, holidays(&["2027-03-16"])),
            Recurrence::Weekly {
                interval: 1,
                count: 3,
                cancelled: vec![d("2027-03-16")]
            }
        );
        // Past the end of the cycle, a holiday is none of the plan's business.
        assert_eq!(
            recurrence(&dates, d("2027-03-15"), holidays(&["2027-03-16"])),
            Recurrence::Weekly {
                interval: 1,
                count: 2,
                cancelled: vec![]
            }
        );
    }

    #[test]
    fn a_lone_visit_before_a_holiday_stays_a_single_date() {
        assert_eq!(
            recurrence(
                &[d("2027-01-05")],
                d("2027-01-18"),
                holidays(&["2027-01-12"])
            ),
            Recurrence::Once
        );
    }

    #[test]
    fn a_lone_visit_before_its_own_cancellation_is_weekly_with_an_exception() {
        let cancelled = |x: NaiveDate| (x == d("2027-01-12")).then_some(Cancellation::OfThisStop);
        assert_eq!(
            recurrence(&[d("2027-01-05")], d("2027-01-18"), cancelled),
            Recurrence::Weekly {
                interval: 1,
                count: 2,
                cancelled: vec![d("2027-01-12")]
            }
        );
    }

    #[test]
    fn a_holiday_before_the_first_visit_does_not_move_dtstart() {
        assert_eq!(
            recurrence(
                &[d("2027-01-12")],
                d("2027-01-18"),
                holidays(&["2027-01-05"])
            ),
            Recurrence::Once
        );
    }
}
