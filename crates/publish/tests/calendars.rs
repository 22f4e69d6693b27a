//! The communes' calendars, read back with independent parsers: `icalendar` for the
//! structure and `rrule` for the recurrence, which must expand to exactly the
//! plan's visits.

mod common;

use std::collections::BTreeSet;

use common::ics::*;
use common::*;
use icalendar::parser::{read_calendar, unfold, Component};
use tournee_publish::{commune_calendars, CommuneCalendar};

fn calendar_of<'a>(calendars: &'a [CommuneCalendar], commune: &str) -> &'a CommuneCalendar {
    calendars
        .iter()
        .find(|c| c.commune == commune)
        .unwrap_or_else(|| panic!("no calendar for {commune}"))
}

/// The unfolded events of a calendar, without its header and time zone.
fn events_text(cal: &CommuneCalendar) -> String {
    let unfolded = unfold(&cal.ics);
    let start = unfolded.find("BEGIN:VEVENT").expect("an event");
    unfolded[start..].to_string()
}

fn events<'a>(components: &'a [Component<'a>]) -> Vec<&'a Component<'a>> {
    components.iter().filter(|c| c.name == "VEVENT").collect()
}

#[test]
fn one_calendar_per_visited_commune_with_readable_file_names() {
    let calendars = commune_calendars(&plan(), &scenario());
    let names: Vec<(&str, &str)> = calendars
        .iter()
        .map(|c| (c.commune.as_str(), c.file_stem.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            (BORS, "bors"),
            (GENETOUZE, "la-genetouze"),
            (SAINT_ELOI, "saint-eloi-des-pres"),
        ]
    );
}

#[test]
fn every_calendar_parses_and_has_the_required_properties() {
    for cal in commune_calendars(&plan(), &scenario()) {
        let unfolded = unfold(&cal.ics);
        let parsed = read_calendar(&unfolded).unwrap_or_else(|e| panic!("{}: {e}", cal.commune));
        let root = Component {
            name: "VCALENDAR".into(),
            properties: parsed.properties.clone(),
            components: Vec::new(),
        };
        assert_eq!(value(&root, "VERSION"), "2.0");
        assert_eq!(value(&root, "CALSCALE"), "GREGORIAN");
        assert_eq!(value(&root, "METHOD"), "PUBLISH");
        assert!(value(&root, "PRODID").contains("Tournée"));
        assert!(value(&root, "X-WR-CALNAME").contains(&cal.commune));

        let tz = parsed
            .components
            .iter()
            .find(|c| c.name == "VTIMEZONE")
            .expect("a VTIMEZONE");
        assert_eq!(value(tz, "TZID"), "Europe/Paris");
        let parts: Vec<&str> = tz.components.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(parts, ["DAYLIGHT", "STANDARD"]);
        for part in &tz.components {
            assert!(value(part, "RRULE").starts_with("FREQ=YEARLY;BYMONTH="));
        }

        let evs = events(&parsed.components);
        assert!(!evs.is_empty());
        for ev in evs {
            for name in [
                "UID",
                "DTSTAMP",
                "SEQUENCE",
                "DTEND",
                "SUMMARY",
                "DESCRIPTION",
            ] {
                prop(ev, name);
            }
            assert_eq!(value(ev, "DTSTAMP"), "20270104T000000Z");
            assert_eq!(value(ev, "SEQUENCE"), "0");
            assert!(local(prop(ev, "DTEND")) > local(prop(ev, "DTSTART")));
            let summary = prop(ev, "SUMMARY").val.clone().unescape_text();
            assert!(summary
                .as_str()
                .starts_with("Bus numérique — médiation numérique gratuite"));
            let description = prop(ev, "DESCRIPTION").val.clone().unescape_text();
            for needed in [
                "impôts",
                "CAF",
                "pièce d'identité",
                "identifiants",
                &cal.commune,
            ] {
                assert!(description.as_str().contains(needed), "{needed}");
            }
        }
    }
}

#[test]
fn recurrences_expand_to_exactly_the_plans_visits() {
    let plan = plan();
    for cal in commune_calendars(&plan, &scenario()) {
        let unfolded = unfold(&cal.ics);
        let parsed = read_calendar(&unfolded).unwrap();
        let mut expanded = BTreeSet::new();
        for ev in events(&parsed.components) {
            expanded.extend(occurrences(ev));
        }
        let planned: BTreeSet<_> = visit_times(&plan, &cal.commune).into_iter().collect();
        assert_eq!(expanded, planned, "{}", cal.commune);
    }
}

#[test]
fn weekly_stop_is_a_rule_and_the_holiday_an_exception() {
    let calendars = commune_calendars(&plan(), &scenario());
    let saint_eloi = events_text(calendar_of(&calendars, SAINT_ELOI));
    assert!(saint_eloi.contains("DTSTART;TZID=Europe/Paris:20270105T093000\r\n"));
    assert!(saint_eloi.contains("DTEND;TZID=Europe/Paris:20270105T120000\r\n"));
    assert!(saint_eloi.contains("RRULE:FREQ=WEEKLY;INTERVAL=1;COUNT=2\r\n"));
    assert!(saint_eloi.contains("EXDATE;TZID=Europe/Paris:20270112T093000\r\n"));

    let genetouze = events_text(calendar_of(&calendars, GENETOUZE));
    assert!(genetouze.contains("DTSTART;TZID=Europe/Paris:20270107T140000\r\n"));
    assert!(genetouze.contains("RRULE:FREQ=WEEKLY;INTERVAL=1;COUNT=2\r\n"));
    assert!(!genetouze.contains("EXDATE"));

    let bors = events_text(calendar_of(&calendars, BORS));
    assert!(!bors.contains("RRULE") && !bors.contains("RDATE") && !bors.contains("EXDATE"));
}

#[test]
fn location_and_geo_name_the_stop() {
    let calendars = commune_calendars(&plan(), &scenario());
    let unfolded = unfold(&calendar_of(&calendars, GENETOUZE).ics);
    let parsed = read_calendar(&unfolded).unwrap();
    let ev = events(&parsed.components)[0];
    assert!(unfolded.contains("\r\nLOCATION:Mairie\\, parking\\; cour\\, La Genétouze\r\n"));
    assert_eq!(value(ev, "LOCATION"), "Mairie, parking; cour, La Genétouze");
    assert_eq!(value(ev, "GEO"), "45.200000;-0.050000");
}

#[test]
fn lines_are_crlf_and_at_most_75_octets() {
    for cal in commune_calendars(&plan(), &scenario()) {
        assert!(cal.ics.ends_with("END:VCALENDAR\r\n"));
        assert_eq!(
            cal.ics.matches('\n').count(),
            cal.ics.matches("\r\n").count(),
            "every line break is CRLF"
        );
        assert_eq!(
            cal.ics.matches('\r').count(),
            cal.ics.matches("\r\n").count()
        );
        for line in cal.ics.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        assert!(
            cal.ics.contains("\r\n "),
            "the long DESCRIPTION of {} is folded",
            cal.commune
        );
    }
}

fn uids(calendars: &[CommuneCalendar], commune: &str) -> Vec<String> {
    let unfolded = unfold(&calendar_of(calendars, commune).ics);
    let parsed = read_calendar(&unfolded).unwrap();
    events(&parsed.components)
        .into_iter()
        .map(|e| value(e, "UID"))
        .collect()
}

#[test]
fn uids_survive_a_replan_that_moves_another_commune() {
    let before = plan();
    let mut after = plan();
    // Bors moves from Tuesday afternoon (bus 1) to Friday morning (bus 2).
    let bors_visit = after.routes[0].visits.pop().unwrap();
    let mut friday = route("bus-2", "2027-01-08", ["c", "d"], vec![bors_visit]);
    friday.visits[0].slot = "matin".to_string();
    after.routes.push(friday);

    let sc = scenario();
    let (old, new) = (
        commune_calendars(&before, &sc),
        commune_calendars(&after, &sc),
    );
    for commune in [SAINT_ELOI, GENETOUZE] {
        assert_eq!(uids(&old, commune), uids(&new, commune), "{commune}");
    }
    assert_ne!(uids(&old, BORS), uids(&new, BORS));

    let all: Vec<String> = [SAINT_ELOI, GENETOUZE, BORS]
        .iter()
        .flat_map(|c| uids(&old, c))
        .collect();
    let distinct: BTreeSet<&String> = all.iter().collect();
    assert_eq!(distinct.len(), all.len(), "different stops, different UIDs");
}

#[test]
fn output_is_deterministic_whatever_the_route_order() {
    let mut shuffled = plan();
    shuffled.routes.reverse();
    let sc = scenario();
    assert_eq!(
        commune_calendars(&plan(), &sc),
        commune_calendars(&shuffled, &sc)
    );
}

/// A longer cycle, where a holiday falls inside a fortnightly series and a commune
/// is visited on irregular weeks: the recurrence still expands to the plan's dates.
#[test]
fn longer_cycles_expand_exactly_too() {
    let mut sc = scenario();
    sc.cycle_weeks = 8;
    sc.holidays = vec![date("2027-01-19"), date("2027-02-16")];
    let mut p = plan();
    p.cycle_weeks = 8;
    p.routes.clear();
    // Saint-Éloi: fortnightly Tuesdays from 5 January; 19 January is a holiday.
    for day in ["2027-01-05", "2027-02-02"] {
        p.routes.push(route(
            "bus-1",
            day,
            ["a", "b"],
            vec![visit(&saint_eloi(), "matin", 15)],
        ));
    }
    // Bors: weeks 1, 2 and 5 on Thursdays (irregular).
    for day in ["2027-01-07", "2027-01-14", "2027-02-04"] {
        p.routes.push(route(
            "bus-2",
            day,
            ["c", "d"],
            vec![visit(&bors(), "matin", 10)],
        ));
    }
    let calendars = commune_calendars(&p, &sc);
    for cal in &calendars {
        let unfolded = unfold(&cal.ics);
        let parsed = read_calendar(&unfolded).unwrap();
        let expanded: BTreeSet<_> = events(&parsed.components)
            .into_iter()
            .flat_map(occurrences)
            .collect();
        let planned: BTreeSet<_> = visit_times(&p, &cal.commune).into_iter().collect();
        assert_eq!(expanded, planned, "{}", cal.commune);
    }
    let saint_eloi = events_text(calendar_of(&calendars, SAINT_ELOI));
    assert!(
        saint_eloi.contains("RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=4\r\n"),
        "{saint_eloi}"
    );
    assert!(saint_eloi.contains("EXDATE;TZID=Europe/Paris:20270119T093000\r\n"));
    assert!(saint_eloi.contains("EXDATE;TZID=Europe/Paris:20270216T093000\r\n"));
    let bors = events_text(calendar_of(&calendars, BORS));
    assert!(bors.contains("RDATE;TZID=Europe/Paris:20270114T093000\r\n"));
    assert!(bors.contains("RDATE;TZID=Europe/Paris:20270204T093000\r\n"));
    assert!(!bors.contains("RRULE"));
}
