//! The fixture every test reads: a two-week cycle, two buses, and three communes.
//!
//! | week | day               | bus   | slot       | commune             | site                  |
//! |------|-------------------|-------|------------|---------------------|-----------------------|
//! | 1    | Tuesday 5 January | bus-1 | matin      | Saint-Éloi-des-Prés | Place du Marché       |
//! | 1    | Tuesday 5 January | bus-1 | après-midi | Bors                | Salle des fêtes       |
//! | 1    | Thursday 7 Jan.   | bus-2 | après-midi | La Genétouze        | Mairie, parking; cour |
//! | 2    | Tuesday 12 Jan.   | —     | —          | holiday: Saint-Éloi's weekly Tuesday morning is cancelled |
//! | 2    | Thursday 14 Jan.  | bus-2 | après-midi | La Genétouze        | Mairie, parking; cour |
//!
//! Saint-Éloi is the weekly Tuesday-morning commune, Bors is visited in week 1 only,
//! La Genétouze every Thursday afternoon.
#![allow(dead_code)]

pub mod ics;

use chrono::NaiveDate;
use tournee_model::plan::Reached;
use tournee_model::{
    DayRoute, LonLat, Meters, OsmRef, Plan, PlanSummary, Scenario, Seconds, SiteKind, TimeOfDay,
    Unplaced, Visit, Weekday,
};

pub const SCENARIO: &str = r#"
name = "Bus numérique du Pays d'Essai"
start_date = "2027-01-04"
cycle_weeks = 2
holidays = ["2027-01-12"]

[territory]
pbf = "never-read.osm.pbf"

[[slots]]
name = "matin"
start = "09:30"
end = "12:00"

[[slots]]
name = "après-midi"
start = "14:00"
end = "16:30"

[[depots]]
id = "cs"
name = "Centre social"
lon = -0.19
lat = 45.22

[[vehicles]]
id = "bus-1"
name = "Bus 1"
depot = "cs"

[[vehicles]]
id = "bus-2"
name = "Bus 2"
depot = "cs"

[[mediators]]
id = "a"
name = "Awa Diallo"
base = "cs"

[[mediators]]
id = "b"
name = "Bruno Martin"
base = "cs"

[[mediators]]
id = "c"
name = "Chloé Petit"
base = "cs"

[[mediators]]
id = "d"
name = "David Moreau"
base = "cs"
"#;

pub const SAINT_ELOI: &str = "Saint-Éloi-des-Prés";
pub const BORS: &str = "Bors";
pub const GENETOUZE: &str = "La Genétouze";
pub const HOLIDAY: &str = "2027-01-12";

pub fn scenario() -> Scenario {
    Scenario::parse(SCENARIO, None).expect("the fixture scenario is valid")
}

pub fn date(s: &str) -> NaiveDate {
    s.parse().expect("a YYYY-MM-DD date")
}

/// A stop of the fixture: its site, public hours of its slot, and one reached place.
pub struct Stop {
    pub commune: &'static str,
    pub site: OsmRef,
    pub site_name: &'static str,
    pub kind: SiteKind,
    pub location: LonLat,
}

pub fn saint_eloi() -> Stop {
    Stop {
        commune: SAINT_ELOI,
        site: OsmRef::node(101),
        site_name: "Place du Marché",
        kind: SiteKind::Marketplace,
        location: LonLat::new(-0.25, 45.30),
    }
}

pub fn bors() -> Stop {
    Stop {
        commune: BORS,
        site: OsmRef::way(202),
        site_name: "Salle des fêtes",
        kind: SiteKind::CommunityCentre,
        location: LonLat::new(-0.10, 45.28),
    }
}

pub fn genetouze() -> Stop {
    Stop {
        commune: GENETOUZE,
        site: OsmRef::node(303),
        site_name: "Mairie, parking; cour",
        kind: SiteKind::Townhall,
        location: LonLat::new(-0.05, 45.20),
    }
}

pub fn visit(stop: &Stop, slot: &str, drive_minutes: u32) -> Visit {
    let (start, end) = match slot {
        "matin" => (TimeOfDay::hm(9, 30), TimeOfDay::hm(12, 0)),
        _ => (TimeOfDay::hm(14, 0), TimeOfDay::hm(16, 30)),
    };
    Visit {
        slot: slot.to_string(),
        site: stop.site,
        site_name: stop.site_name.to_string(),
        site_kind: stop.kind,
        commune: stop.commune.to_string(),
        location: stop.location,
        arrive: TimeOfDay(start.0 - 1800),
        start,
        end,
        leave: TimeOfDay(end.0 + 1800),
        drive_from_previous: Seconds::from_minutes(drive_minutes),
        distance_from_previous: Meters(drive_minutes * 1000),
        address: None,
        wheelchair: None,
        insee: None,
        description: None,
        reaches: vec![Reached {
            place: stop.commune.to_string(),
            osm: OsmRef::node(stop.site.id + 9000),
            population: 800,
            drive: Seconds::from_minutes(5),
            share: 1.0,
        }],
    }
}

pub fn route(vehicle: &str, day: &str, crew: [&str; 2], visits: Vec<Visit>) -> DayRoute {
    let on = date(day);
    DayRoute {
        vehicle: vehicle.to_string(),
        date: on,
        week: ((on - date("2027-01-04")).num_days() / 7) as u32,
        weekday: Weekday::from_chrono(chrono::Datelike::weekday(&on)),
        depot: "cs".to_string(),
        depart: TimeOfDay::hm(8, 30),
        back: TimeOfDay::hm(17, 15),
        crew: crew.iter().map(|c| c.to_string()).collect(),
        visits,
        drive_back: Seconds::from_minutes(20),
        distance_back: Meters(18_000),
        mode: Default::default(),
    }
}

pub fn plan() -> Plan {
    Plan {
        scenario: "Bus numérique du Pays d'Essai".to_string(),
        start_date: date("2027-01-04"),
        cycle_weeks: 2,
        method: "greedy (seed 1)".to_string(),
        routes: vec![
            route(
                "bus-1",
                "2027-01-05",
                ["a", "b"],
                vec![
                    visit(&saint_eloi(), "matin", 15),
                    visit(&bors(), "après-midi", 12),
                ],
            ),
            route(
                "bus-2",
                "2027-01-07",
                ["c", "d"],
                vec![visit(&genetouze(), "après-midi", 25)],
            ),
            route(
                "bus-2",
                "2027-01-14",
                ["c", "d"],
                vec![visit(&genetouze(), "après-midi", 25)],
            ),
        ],
        unplaced: vec![Unplaced {
            vehicle: Some("bus-1".to_string()),
            date: Some(date(HOLIDAY)),
            commune: Some(SAINT_ELOI.to_string()),
            mediator: None,
            request: None,
            reason: "jour férié : passage annulé".to_string(),
        }],
        summary: PlanSummary {
            reachable_population_per_week: 1600.0,
            reachable_inhabitants_per_week: 1600.0,
            places_reached: 3,
            places_total: 5,
            population_total: 4000,
            visits: 4,
            distance: Meters(150_000),
            driving: Seconds::from_minutes(180),
            mediator_hours: 70.0,
            upper_bound: None,
            home: None,
        },
        home_visits: Vec::new(),
        notes: Vec::new(),
    }
}

/// The (date, public start) of every visit of `commune` in `plan`.
pub fn visit_times(plan: &Plan, commune: &str) -> Vec<chrono::NaiveDateTime> {
    let mut out: Vec<_> = plan
        .visits()
        .filter(|(_, v)| v.commune == commune)
        .map(|(r, v)| r.date.and_time(v.start.to_naive_time()))
        .collect();
    out.sort();
    out
}
