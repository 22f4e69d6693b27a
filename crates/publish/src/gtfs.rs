//! A GTFS static feed of the plan, the format transport planners exchange
//! timetables in: written as the files of a `gtfs/` folder (zip it to publish it).
//!
//! - `agency.txt`: one agency, the scenario (its URL is the contact's web page, or
//!   `https://example.invalid/` — a reserved name — when the scenario has none);
//! - `stops.txt`: one stop per site used, `stop_id` a stable key made from its OSM
//!   reference (a hash: no OSM id in what the public reads), `stop_desc` its
//!   address when known;
//! - `routes.txt`: one route per vehicle that runs (`route_type` 3, bus);
//! - `trips.txt` and `calendar_dates.txt`: one trip per vehicle-day, whose service
//!   runs on exactly that date (`exception_type` 1) — the explicit dates suit
//!   irregular frequencies, so there is no `calendar.txt`;
//! - `stop_times.txt`: per trip, the day's stops in order, arriving at the public
//!   opening of the stop and leaving at its closing.
//!
//! Promises: every file is CSV written by the `csv` crate (quoted where needed),
//! in a stable order (stops by OSM reference, routes by vehicle id, trips by date
//! then vehicle).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use tournee_model::{DayRoute, OsmRef, Plan, Scenario, TimeOfDay, Visit};

/// The folder, inside the output folder, that holds the feed.
pub const GTFS_DIR: &str = "gtfs";

const AGENCY_ID: &str = "tournee";
const PLACEHOLDER_URL: &str = "https://example.invalid/";

/// The feed's files: (file name, content), in writing order.
pub fn gtfs_files(plan: &Plan, scenario: &Scenario) -> Vec<(&'static str, String)> {
    let routes = running_routes(plan);
    vec![
        ("agency.txt", agency(scenario)),
        ("stops.txt", stops(plan)),
        ("routes.txt", vehicle_routes(scenario, &routes)),
        ("trips.txt", trips(&routes)),
        ("calendar_dates.txt", calendar_dates(&routes)),
        ("stop_times.txt", stop_times(&routes)),
    ]
}

/// The plan's routes that stop somewhere, by date then vehicle.
fn running_routes(plan: &Plan) -> Vec<&DayRoute> {
    let mut routes: Vec<&DayRoute> = plan
        .routes
        .iter()
        .filter(|r| !r.visits.is_empty())
        .collect();
    routes.sort_by(|a, b| (a.date, &a.vehicle).cmp(&(b.date, &b.vehicle)));
    routes
}

fn csv_text<T: Serialize>(rows: impl IntoIterator<Item = T>) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in rows {
        w.serialize(row)
            .expect("writing plain records into memory cannot fail");
    }
    let bytes = w.into_inner().expect("flushing into memory cannot fail");
    String::from_utf8(bytes).expect("the records are UTF-8 text")
}

#[derive(Serialize)]
struct Agency<'a> {
    agency_id: &'a str,
    agency_name: &'a str,
    agency_url: &'a str,
    agency_timezone: &'a str,
    agency_lang: &'a str,
    agency_phone: &'a str,
}

fn agency(sc: &Scenario) -> String {
    let contact = sc.contact.as_ref();
    csv_text([Agency {
        agency_id: AGENCY_ID,
        agency_name: &sc.name,
        agency_url: contact
            .and_then(|c| c.web.as_deref())
            .unwrap_or(PLACEHOLDER_URL),
        agency_timezone: crate::ics::TZID,
        agency_lang: "fr",
        agency_phone: contact.and_then(|c| c.phone.as_deref()).unwrap_or(""),
    }])
}

#[derive(Serialize)]
struct Stop {
    stop_id: String,
    stop_name: String,
    stop_desc: String,
    stop_lat: String,
    stop_lon: String,
}

fn stops(plan: &Plan) -> String {
    let mut sites: BTreeMap<OsmRef, &Visit> = BTreeMap::new();
    for (_, v) in plan.visits() {
        sites.entry(v.site).or_insert(v);
    }
    csv_text(sites.into_iter().map(|(site, v)| Stop {
        stop_id: stop_key(site),
        stop_name: format!("{} — {}", v.commune, v.site_name),
        stop_desc: match &v.address {
            Some(a) => format!("{}, {a}", crate::french::site_with_kind(v)),
            None => crate::french::site_with_kind(v),
        },
        stop_lat: format!("{:.6}", v.location.lat),
        stop_lon: format!("{:.6}", v.location.lon),
    }))
}

#[derive(Serialize)]
struct Route<'a> {
    route_id: &'a str,
    agency_id: &'a str,
    route_short_name: &'a str,
    route_long_name: String,
    route_type: u8,
}

fn vehicle_routes(sc: &Scenario, routes: &[&DayRoute]) -> String {
    let vehicles: BTreeSet<&str> = routes.iter().map(|r| r.vehicle.as_str()).collect();
    csv_text(vehicles.into_iter().map(|id| {
        let name = sc.vehicle(id).map_or(id, |v| v.name.as_str());
        Route {
            route_id: id,
            agency_id: AGENCY_ID,
            route_short_name: name,
            route_long_name: format!("Tournée du {name}"),
            route_type: 3,
        }
    }))
}

/// `bus-1-2027-03-02`.
fn trip_id(r: &DayRoute) -> String {
    format!("{}-{}", r.vehicle, r.date)
}

/// `20270302`: one service per date.
fn service_id(r: &DayRoute) -> String {
    r.date.format("%Y%m%d").to_string()
}

#[derive(Serialize)]
struct Trip {
    route_id: String,
    service_id: String,
    trip_id: String,
    trip_headsign: String,
}

fn trips(routes: &[&DayRoute]) -> String {
    csv_text(routes.iter().map(|r| {
        let mut communes: Vec<&str> = Vec::new();
        for v in &r.visits {
            if !communes.contains(&v.commune.as_str()) {
                communes.push(&v.commune);
            }
        }
        Trip {
            route_id: r.vehicle.clone(),
            service_id: service_id(r),
            trip_id: trip_id(r),
            trip_headsign: communes.join(", "),
        }
    }))
}

#[derive(Serialize)]
struct CalendarDate {
    service_id: String,
    date: String,
    exception_type: u8,
}

fn calendar_dates(routes: &[&DayRoute]) -> String {
    let services: BTreeSet<String> = routes.iter().map(|r| service_id(r)).collect();
    csv_text(services.into_iter().map(|s| CalendarDate {
        date: s.clone(),
        service_id: s,
        exception_type: 1,
    }))
}

/// The `stop_id` of a site: stable from one plan to the next, no OSM id.
pub fn stop_key(site: OsmRef) -> String {
    format!(
        "arret-{:012x}",
        crate::ics::naming::fnv1a(&site.to_string()) >> 16
    )
}

#[derive(Serialize)]
struct StopTime {
    trip_id: String,
    arrival_time: String,
    departure_time: String,
    stop_id: String,
    stop_sequence: usize,
}

/// `09:30:00`.
fn gtfs_time(t: TimeOfDay) -> String {
    let s = t.seconds();
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

fn stop_times(routes: &[&DayRoute]) -> String {
    csv_text(routes.iter().flat_map(|r| {
        r.visits.iter().enumerate().map(move |(i, v)| StopTime {
            trip_id: trip_id(r),
            arrival_time: gtfs_time(v.start),
            departure_time: gtfs_time(v.end),
            stop_id: stop_key(v.site),
            stop_sequence: i + 1,
        })
    }))
}
