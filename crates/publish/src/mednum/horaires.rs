//! A stop's days and hours over the cycle in OpenStreetMap `opening_hours` syntax,
//! the format of the MedNum standard's `horaires`.
//!
//! Promise: read by an `opening_hours` evaluator, the text is open on exactly the
//! given dates at exactly the given hours, and closed on every other day (tested
//! with the `opening-hours` crate over the cycle and the weeks around it).
//!
//! How it is written: the span of days (the cycle) is cut at ISO week-year
//! boundaries, so that within one piece an ISO week number names one week only.
//! Each piece is a date range (`2027 Mar 01-2027 Mar 14`) followed by one rule per
//! (weeks, hours) pattern: `week 09-13/2 Mo,Th 09:30-12:00` is "Mondays and
//! Thursdays of ISO weeks 9, 11 and 13, 09:30–12:00" — a fortnightly stop reads as
//! such. Weeks that are no arithmetic progression are listed (`week 09,10,12`), so
//! a week missed for a holiday is simply not named: no `off` exceptions, whose
//! meaning varies between evaluators. Rules are joined by `; `; two rules never
//! select the same day (a day's hours are grouped first), so the standard's "a
//! later rule replaces an earlier one on the days it selects" never applies.
//! Nothing at all is written for no date (the field stays empty).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Duration, NaiveDate};
use tournee_model::TimeOfDay;

/// Opening intervals of one day, sorted and disjoint.
pub type DayHours = Vec<(TimeOfDay, TimeOfDay)>;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WEEKDAYS: [&str; 7] = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];

/// Sorts and merges overlapping or touching intervals.
pub fn merge(mut hours: Vec<(TimeOfDay, TimeOfDay)>) -> DayHours {
    hours.sort();
    let mut out: DayHours = Vec::new();
    for (s, e) in hours {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// `opening_hours` for `days` (dates → merged hours), all within `first..=last`.
pub fn opening_hours(
    days: &BTreeMap<NaiveDate, DayHours>,
    first: NaiveDate,
    last: NaiveDate,
) -> String {
    let mut rules = Vec::new();
    let mut piece_start = first;
    while piece_start <= last {
        let year = piece_start.iso_week().year();
        // Last day of this ISO week-year: the Sunday before week 1 of the next.
        let year_end = NaiveDate::from_isoywd_opt(year + 1, 1, chrono::Weekday::Mon)
            .map_or(last, |d| d - Duration::days(1));
        let piece_end = year_end.min(last);
        rules.extend(piece_rules(days, piece_start, piece_end));
        piece_start = piece_end + Duration::days(1);
    }
    rules.join("; ")
}

/// The rules of one piece in which ISO week numbers are unique.
fn piece_rules(
    days: &BTreeMap<NaiveDate, DayHours>,
    first: NaiveDate,
    last: NaiveDate,
) -> Vec<String> {
    // (hours, weekday) → ISO weeks.
    let mut weeks_of: BTreeMap<(&DayHours, usize), BTreeSet<u32>> = BTreeMap::new();
    for (date, hours) in days.range(first..=last) {
        if hours.is_empty() {
            continue;
        }
        let wd = date.weekday().num_days_from_monday() as usize;
        weeks_of
            .entry((hours, wd))
            .or_default()
            .insert(date.iso_week().week());
    }
    // (weeks, hours) → weekdays, so that days sharing weeks and hours share a rule.
    let mut weekdays_of: BTreeMap<(Vec<u32>, &DayHours), BTreeSet<usize>> = BTreeMap::new();
    for ((hours, wd), weeks) in weeks_of {
        weekdays_of
            .entry((weeks.into_iter().collect(), hours))
            .or_default()
            .insert(wd);
    }
    let range = date_range(first, last);
    let mut rules: Vec<(usize, String)> = weekdays_of
        .into_iter()
        .map(|((weeks, hours), wds)| {
            let wd_text: Vec<&str> = wds.iter().map(|&w| WEEKDAYS[w]).collect();
            let hours_text: Vec<String> = hours.iter().map(|(s, e)| format!("{s}-{e}")).collect();
            let first_wd = *wds.iter().next().expect("a rule has a weekday");
            (
                first_wd,
                format!(
                    "{range} week {} {} {}",
                    weeks_text(&weeks),
                    wd_text.join(","),
                    hours_text.join(",")
                ),
            )
        })
        .collect();
    // In weekday order, then as built: easier to read.
    rules.sort_by_key(|(wd, _)| *wd);
    rules.into_iter().map(|(_, r)| r).collect()
}

fn date_range(first: NaiveDate, last: NaiveDate) -> String {
    let d = |x: NaiveDate| {
        format!(
            "{} {} {:02}",
            x.year(),
            MONTHS[x.month0() as usize],
            x.day()
        )
    };
    if first == last {
        d(first)
    } else {
        format!("{}-{}", d(first), d(last))
    }
}

/// `09-13/2` for an arithmetic progression of at least three weeks (or `09-10`
/// for two in a row), else the weeks listed with runs joined (`09-11,14`).
fn weeks_text(weeks: &[u32]) -> String {
    let w = |n: u32| format!("{n:02}");
    if weeks.len() >= 3 {
        let step = weeks[1] - weeks[0];
        if weeks.windows(2).all(|p| p[1] - p[0] == step) {
            let last = weeks[weeks.len() - 1];
            return if step == 1 {
                format!("{}-{}", w(weeks[0]), w(last))
            } else {
                format!("{}-{}/{step}", w(weeks[0]), w(last))
            };
        }
    }
    let mut parts = Vec::new();
    let mut i = 0;
    while i < weeks.len() {
        let mut j = i;
        while j + 1 < weeks.len() && weeks[j + 1] == weeks[j] + 1 {
            j += 1;
        }
        parts.push(if j > i {
            format!("{}-{}", w(weeks[i]), w(weeks[j]))
        } else {
            w(weeks[i])
        });
        i = j + 1;
    }
    parts.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: u32, m: u32) -> TimeOfDay {
        TimeOfDay(h * 3600 + m * 60)
    }
    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn weeks_are_written_as_progressions_or_lists() {
        assert_eq!(weeks_text(&[9, 11, 13]), "09-13/2");
        assert_eq!(weeks_text(&[9, 10, 11]), "09-11");
        assert_eq!(weeks_text(&[9, 10]), "09-10");
        assert_eq!(weeks_text(&[9, 11]), "09,11");
        assert_eq!(weeks_text(&[9, 10, 11, 14]), "09-11,14");
        assert_eq!(weeks_text(&[9]), "09");
    }

    #[test]
    fn a_fortnightly_stop_and_a_weekly_one_with_a_gap() {
        let morning = vec![(t(9, 30), t(12, 0))];
        let mut days = BTreeMap::new();
        for date in ["2027-03-01", "2027-03-15", "2027-03-29"] {
            days.insert(d(date), morning.clone());
        }
        for date in ["2027-03-04", "2027-03-11", "2027-03-25"] {
            days.insert(
                d(date),
                merge(vec![(t(14, 0), t(16, 30)), (t(9, 30), t(12, 0))]),
            );
        }
        assert_eq!(
            opening_hours(&days, d("2027-03-01"), d("2027-04-04")),
            "2027 Mar 01-2027 Apr 04 week 09-13/2 Mo 09:30-12:00; \
             2027 Mar 01-2027 Apr 04 week 09-10,12 Th 09:30-12:00,14:00-16:30"
        );
    }

    #[test]
    fn a_cycle_across_new_year_is_cut_at_the_iso_year() {
        let mut days = BTreeMap::new();
        // Monday 2027-12-27 is in ISO week 52 of 2027; Monday 2028-01-03 in week 1.
        days.insert(d("2027-12-27"), vec![(t(9, 0), t(12, 0))]);
        days.insert(d("2028-01-03"), vec![(t(9, 0), t(12, 0))]);
        assert_eq!(
            opening_hours(&days, d("2027-12-27"), d("2028-01-09")),
            "2027 Dec 27-2028 Jan 02 week 52 Mo 09:00-12:00; \
             2028 Jan 03-2028 Jan 09 week 01 Mo 09:00-12:00"
        );
        assert_eq!(
            opening_hours(&BTreeMap::new(), d("2027-12-27"), d("2028-01-09")),
            ""
        );
    }

    #[test]
    fn merge_joins_overlaps() {
        assert_eq!(
            merge(vec![
                (t(14, 0), t(16, 0)),
                (t(9, 0), t(12, 0)),
                (t(11, 0), t(12, 30))
            ]),
            vec![(t(9, 0), t(12, 30)), (t(14, 0), t(16, 0))]
        );
    }
}
