//! A publication horizon a year away: the two-week cycle repeated to that date,
//! public holidays excluded each year, read back with `rrule`.

mod common;

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use common::ics::*;
use common::*;
use icalendar::parser::{read_calendar, unfold};
use tournee_publish::horizon::{extend, is_french_public_holiday};
use tournee_publish::{commune_calendars, write_all_opts, PublishOptions};

fn expanded(ics: &str) -> BTreeSet<NaiveDateTime> {
    let unfolded = unfold(ics);
    let parsed = read_calendar(&unfolded).unwrap();
    parsed
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .flat_map(|e| occurrences(e))
        .collect()
}

#[test]
fn a_year_long_horizon_repeats_the_cycle_without_the_holidays() {
    let sc = scenario();
    let until = date("2028-01-03");
    let plan = extend(&plan(), &sc, until);
    let calendars = commune_calendars(&plan, &sc);
    let genetouze = calendars.iter().find(|c| c.commune == GENETOUZE).unwrap();
    let got = expanded(&genetouze.ics);
    // Every Thursday of 2027 from 7 January, 14:00, but Ascension (6 May) and
    // Armistice Day (11 November).
    let mut want = BTreeSet::new();
    let mut d = date("2027-01-07");
    while d <= until {
        if !is_french_public_holiday(d) {
            want.insert(d.and_hms_opt(14, 0, 0).unwrap());
        }
        d += chrono::Duration::weeks(1);
    }
    assert_eq!(want.len(), 50);
    assert!(!got.contains(&date("2027-05-06").and_hms_opt(14, 0, 0).unwrap()));
    assert!(!got.contains(&date("2027-11-11").and_hms_opt(14, 0, 0).unwrap()));
    assert_eq!(got, want);

    // Bors, visited in the first week of the cycle: every other Tuesday afternoon.
    let bors = calendars.iter().find(|c| c.commune == BORS).unwrap();
    let got = expanded(&bors.ics);
    assert_eq!(got.len(), 26, "{got:?}");
    for (a, b) in got.iter().zip(got.iter().skip(1)) {
        assert_eq!((*b - *a).num_days(), 14);
        assert_eq!(a.weekday(), chrono::Weekday::Tue);
    }
    // The horizon's holidays are written as exceptions of a rule, not as a list.
    assert!(
        genetouze.ics.contains("RRULE:FREQ=WEEKLY;INTERVAL=1"),
        "{}",
        genetouze.ics
    );
    assert!(genetouze
        .ics
        .contains("EXDATE;TZID=Europe/Paris:20270506T140000"));
}

#[test]
fn every_output_of_a_horizon_publication_agrees_and_plan_json_keeps_the_cycle() {
    let sc = scenario();
    let dir = tempfile::tempdir().unwrap();
    let options = PublishOptions {
        until: Some(date("2027-06-30")),
        ..PublishOptions::default()
    };
    write_all_opts(dir.path(), &plan(), &sc, &options).unwrap();
    let saved: tournee_model::Plan =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("plan.json")).unwrap())
            .unwrap();
    assert_eq!(saved, plan(), "plan.json is the cycle, as planned");
    let csv = std::fs::read_to_string(dir.path().join("visites.csv")).unwrap();
    let rows = csv.lines().count() - 1;
    let extended = extend(&plan(), &sc, date("2027-06-30"));
    assert_eq!(rows, extended.visits().count());
    assert!(rows > 40, "{rows} visits in half a year");
    let sheet = std::fs::read_to_string(dir.path().join("affiches/la-genetouze.html")).unwrap();
    assert!(
        sheet.contains("30 juin 2027"),
        "the sheet says how far it goes"
    );
    let last: NaiveDate = extended.routes.iter().map(|r| r.date).max().unwrap();
    assert!(last <= date("2027-06-30"));
}
