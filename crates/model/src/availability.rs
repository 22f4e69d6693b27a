//! When a site can host a stop. These are the coordinators' rules from the field:
//!
//! - a **market square** is only worth it, and only usable, during the market: its
//!   OSM `opening_hours` must cover the whole stop, set-up included; a market with no
//!   `opening_hours` is never used, since its day is unknown;
//! - a **church square** is not usable during Sunday services (09:00–12:30 Sunday)
//!   nor during the hours its `opening_hours`/`service_times` forbid (not modelled yet);
//! - a **school parking** is busy at drop-off (08:00–09:00) and pick-up (16:00–17:00)
//!   on school days (Monday, Tuesday, Thursday, Friday), and at 11:30–13:30 lunch
//!   rush; it is free on Wednesday afternoons and at weekends, and all day during
//!   the scenario's school holidays;
//! - every other site is usable at any time;
//! - and, over all of these, what the coordinator says of a site (`[[site]]`
//!   `days` and `hours`: "the village hall is free on Tuesdays only", the market's
//!   day when OSM has none): the stop must fall on one of those days and inside
//!   those hours.
//!
//! Public holidays (and school holidays when tours pause then) are days off, applied
//! by the planner with [`crate::Scenario::day_off`], not here.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use opening_hours::OpeningHours;

use crate::calendar::{TimeOfDay, Weekday};
use crate::scenario::{Period, Scenario};
use crate::site::{Site, SiteKind};

/// A site's usability rule, with its opening hours parsed once.
#[derive(Debug, Clone)]
pub struct SiteRule {
    kind: SiteKind,
    hours: Option<OpeningHours>,
    /// Why the raw `opening_hours` could not be used, if it could not.
    pub hours_error: Option<String>,
    school_holidays: Vec<Period>,
    /// The coordinator's weekdays for the site (`[[site]] days`); empty: any.
    days: Vec<Weekday>,
    /// The coordinator's hours for the site (`[[site]] hours`).
    coordinator_hours: Option<OpeningHours>,
}

impl SiteRule {
    pub fn new(site: &Site) -> SiteRule {
        let (hours, hours_error) = match site.opening_hours.as_deref() {
            None => (None, None),
            Some(raw) => match raw.parse::<OpeningHours>() {
                Ok(h) => (Some(h), None),
                Err(e) => (
                    None,
                    Some(format!("opening_hours `{raw}` cannot be read: {e}")),
                ),
            },
        };
        SiteRule {
            kind: site.kind,
            hours,
            hours_error,
            school_holidays: Vec::new(),
            days: Vec::new(),
            coordinator_hours: None,
        }
    }

    /// The rule with the scenario's school holidays (school parkings free then)
    /// and what the coordinator says of the site (`[[site]]` `days` and `hours`).
    pub fn for_scenario(site: &Site, scenario: &Scenario) -> SiteRule {
        let mut rule = SiteRule {
            school_holidays: scenario.school_holidays.clone(),
            ..SiteRule::new(site)
        };
        for entry in scenario.site_entries.iter().filter(|e| e.is_about(site)) {
            rule.days.extend(entry.days.iter().copied());
            if let Some(h) = entry.hours.as_deref().and_then(|h| h.parse().ok()) {
                rule.coordinator_hours = Some(h);
                if site.kind == SiteKind::Marketplace || site.kind.is_partner() {
                    // The market day the coordinator knows, where OSM has none.
                    rule.hours_error = None;
                }
            }
        }
        rule
    }

    /// Whether the site can host a vehicle on `date` from `from` to `to` (set-up
    /// included); `Err` says why not.
    pub fn usable(&self, date: NaiveDate, from: TimeOfDay, to: TimeOfDay) -> Result<(), String> {
        let weekday = Weekday::from_chrono(date.weekday());
        let overlaps = |a: TimeOfDay, b: TimeOfDay| from < b && a < to;
        if !self.days.is_empty() && !self.days.contains(&weekday) {
            return Err(format!(
                "le coordinateur réserve ce site au(x) {} : pas le {}",
                self.days
                    .iter()
                    .map(|d| d.french())
                    .collect::<Vec<_>>()
                    .join(", "),
                weekday.french()
            ));
        }
        if let Some(hours) = &self.coordinator_hours {
            if !open_throughout(hours, date, from, to) {
                return Err(format!(
                    "hors des horaires que le coordinateur donne à ce site ({} {date}, {from}–{to})",
                    weekday.french()
                ));
            }
        }
        match self.kind {
            SiteKind::Marketplace => {
                let Some(hours) = self.coordinator_hours.as_ref().or(self.hours.as_ref()) else {
                    return Err(self.hours_error.clone().unwrap_or_else(|| {
                        "market with no opening_hours: market day unknown".into()
                    }));
                };
                if open_throughout(hours, date, from, to) {
                    Ok(())
                } else {
                    Err(format!(
                        "no market on {} {date} from {from} to {to}",
                        weekday.french()
                    ))
                }
            }
            kind if kind.is_partner() => {
                // A partner venue hosts the practice during its opening hours only.
                let Some(hours) = self.coordinator_hours.as_ref().or(self.hours.as_ref()) else {
                    return Err(self
                        .hours_error
                        .clone()
                        .unwrap_or_else(|| tournee_i18n::tr!("rules-partner-no-hours")));
                };
                if open_throughout(hours, date, from, to) {
                    Ok(())
                } else {
                    Err(tournee_i18n::tr!(
                        "rules-partner-closed",
                        weekday = weekday.french(),
                        date = date.to_string(),
                        from = from.to_string(),
                        to = to.to_string()
                    ))
                }
            }
            SiteKind::PlaceOfWorship => {
                if weekday == Weekday::Sun && overlaps(TimeOfDay::hm(9, 0), TimeOfDay::hm(12, 30)) {
                    Err("church square busy during Sunday service".into())
                } else {
                    Ok(())
                }
            }
            SiteKind::School => {
                let school_day = matches!(
                    weekday,
                    Weekday::Mon | Weekday::Tue | Weekday::Thu | Weekday::Fri
                );
                let wednesday_morning = weekday == Weekday::Wed && from < TimeOfDay::hm(12, 30);
                let holidays = self.school_holidays.iter().any(|p| p.contains(date));
                if (school_day || wednesday_morning)
                    && !holidays
                    && (overlaps(TimeOfDay::hm(8, 0), TimeOfDay::hm(9, 0))
                        || overlaps(TimeOfDay::hm(11, 30), TimeOfDay::hm(13, 30))
                        || overlaps(TimeOfDay::hm(16, 0), TimeOfDay::hm(17, 0)))
                {
                    Err("school parking busy at drop-off, lunch or pick-up".into())
                } else {
                    Ok(())
                }
            }
            _ => Ok(()),
        }
    }
}

fn at(date: NaiveDate, t: TimeOfDay) -> NaiveDateTime {
    date.and_time(t.to_naive_time())
}

/// Whether `hours` is open for the whole of `[from, to)` on `date`.
fn open_throughout(hours: &OpeningHours, date: NaiveDate, from: TimeOfDay, to: TimeOfDay) -> bool {
    let start = at(date, from);
    let end = at(date, to);
    if !hours.is_open(start) {
        return false;
    }
    match hours.next_change(start) {
        None => true,
        Some(change) => change >= end,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{LonLat, OsmRef, SiteId};

    fn site(kind: SiteKind, hours: Option<&str>) -> Site {
        Site {
            id: SiteId(0),
            osm: OsmRef::node(1),
            kind,
            name: "x".into(),
            location: LonLat::new(0.0, 45.0),
            commune: "c".into(),
            opening_hours: hours.map(String::from),
            reason: "amenity".into(),
        }
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn market_only_on_market_day_and_hours() {
        let r = SiteRule::new(&site(SiteKind::Marketplace, Some("Tu 08:00-13:00")));
        // 2027-01-05 is a Tuesday.
        assert!(r
            .usable(d("2027-01-05"), TimeOfDay::hm(9, 0), TimeOfDay::hm(12, 30))
            .is_ok());
        assert!(r
            .usable(d("2027-01-05"), TimeOfDay::hm(13, 30), TimeOfDay::hm(17, 0))
            .is_err());
        assert!(r
            .usable(d("2027-01-06"), TimeOfDay::hm(9, 0), TimeOfDay::hm(12, 30))
            .is_err());
        // Ends after the market packs up.
        assert!(r
            .usable(d("2027-01-05"), TimeOfDay::hm(9, 0), TimeOfDay::hm(13, 30))
            .is_err());
    }

    #[test]
    fn market_without_hours_is_not_used() {
        let r = SiteRule::new(&site(SiteKind::Marketplace, None));
        assert!(r
            .usable(d("2027-01-05"), TimeOfDay::hm(9, 0), TimeOfDay::hm(12, 0))
            .is_err());
        let r = SiteRule::new(&site(SiteKind::Marketplace, Some("every second blue moon")));
        assert!(r.hours_error.is_some());
        assert!(r
            .usable(d("2027-01-05"), TimeOfDay::hm(9, 0), TimeOfDay::hm(12, 0))
            .is_err());
    }

    #[test]
    fn school_parking_free_on_wednesday_afternoon_only() {
        let r = SiteRule::new(&site(SiteKind::School, None));
        let pm = (TimeOfDay::hm(13, 30), TimeOfDay::hm(17, 0));
        assert!(r.usable(d("2027-01-06"), pm.0, pm.1).is_ok());
        assert!(r.usable(d("2027-01-07"), pm.0, pm.1).is_err());
        assert!(r
            .usable(d("2027-01-07"), TimeOfDay::hm(9, 0), TimeOfDay::hm(11, 30))
            .is_ok());
    }

    #[test]
    fn school_parking_free_all_day_in_school_holidays() {
        let s = site(SiteKind::School, None);
        let mut sc = Scenario::parse(crate::scenario::tests::MINIMAL, None).unwrap();
        sc.school_holidays = vec![Period {
            from: d("2027-02-13"),
            to: d("2027-02-28"),
        }];
        let pm = (TimeOfDay::hm(13, 30), TimeOfDay::hm(17, 0));
        // Thursday 2027-02-18 in the holidays: free; the Thursday after: busy.
        let r = SiteRule::for_scenario(&s, &sc);
        assert!(r.usable(d("2027-02-18"), pm.0, pm.1).is_ok());
        assert!(r.usable(d("2027-03-04"), pm.0, pm.1).is_err());
        assert!(SiteRule::new(&s)
            .usable(d("2027-02-18"), pm.0, pm.1)
            .is_err());
        // Other kinds are not affected.
        let market =
            SiteRule::for_scenario(&site(SiteKind::Marketplace, Some("Tu 08:00-13:00")), &sc);
        assert!(market.usable(d("2027-02-18"), pm.0, pm.1).is_err());
    }

    #[test]
    fn partner_venue_only_during_its_opening_hours() {
        let r = SiteRule::new(&site(SiteKind::Library, Some("Tu,Th 09:00-18:00")));
        // 2027-01-05 is a Tuesday, 2027-01-06 a Wednesday.
        assert!(r
            .usable(d("2027-01-05"), TimeOfDay::hm(9, 0), TimeOfDay::hm(12, 30))
            .is_ok());
        assert!(r
            .usable(d("2027-01-06"), TimeOfDay::hm(9, 0), TimeOfDay::hm(12, 30))
            .is_err());
        assert!(SiteRule::new(&site(SiteKind::Cafe, None))
            .usable(d("2027-01-05"), TimeOfDay::hm(9, 0), TimeOfDay::hm(12, 30))
            .is_err());
        let sc = Scenario::parse(
            &format!(
                "{}
[sites]
partner_venues = true
",
                crate::scenario::tests::MINIMAL
            ),
            None,
        );
        // `[sites]` after `[[mediators]]` is a table of its own: parsed.
        let sc = sc.unwrap();
        assert!(sc.sites.allows(SiteKind::Cafe));
        assert!(!crate::scenario::SiteRulesConfig::default().allows(SiteKind::Cafe));
    }

    #[test]
    fn church_square_not_during_sunday_mass() {
        let r = SiteRule::new(&site(SiteKind::PlaceOfWorship, None));
        assert!(r
            .usable(d("2027-01-10"), TimeOfDay::hm(9, 0), TimeOfDay::hm(12, 30))
            .is_err());
        assert!(r
            .usable(d("2027-01-11"), TimeOfDay::hm(9, 0), TimeOfDay::hm(12, 30))
            .is_ok());
    }
}
