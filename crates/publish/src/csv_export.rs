//! `visites.csv`: one line per visit, for spreadsheets and analysts.
//!
//! Columns: `date` (YYYY-MM-DD), `weekday`, `slot`, `start` and `end` (public
//! hours, HH:MM), `vehicle` (id), `commune`, `site` (name), `site_osm`, `lon`,
//! `lat` (WGS84), `mediators` (names, separated by `; `).
//!
//! Promises: written by the `csv` crate (quoted where needed), UTF-8, one header
//! line, rows by date, then start, then vehicle.

use serde::Serialize;
use tournee_model::{Plan, Scenario};

#[derive(Serialize)]
struct Row<'a> {
    date: String,
    weekday: String,
    slot: &'a str,
    start: String,
    end: String,
    vehicle: &'a str,
    commune: &'a str,
    site: &'a str,
    site_osm: String,
    lon: String,
    lat: String,
    mediators: String,
}

/// The plan's visits as CSV.
pub fn visits_csv(plan: &Plan, scenario: &Scenario) -> String {
    let mut visits: Vec<_> = plan.visits().collect();
    visits.sort_by(|(ra, va), (rb, vb)| {
        (ra.date, va.start, &ra.vehicle).cmp(&(rb.date, vb.start, &rb.vehicle))
    });
    let mut w = csv::Writer::from_writer(Vec::new());
    for (r, v) in visits {
        let mediators: Vec<&str> = r
            .crew
            .iter()
            .map(|id| {
                scenario
                    .mediator(id)
                    .map_or(id.as_str(), |m| m.name.as_str())
            })
            .collect();
        w.serialize(Row {
            date: r.date.to_string(),
            weekday: r.weekday.to_string(),
            slot: &v.slot,
            start: v.start.to_string(),
            end: v.end.to_string(),
            vehicle: &r.vehicle,
            commune: &v.commune,
            site: &v.site_name,
            site_osm: v.site.to_string(),
            lon: format!("{:.6}", v.location.lon),
            lat: format!("{:.6}", v.location.lat),
            mediators: mediators.join("; "),
        })
        .expect("writing plain records into memory cannot fail");
    }
    let bytes = w.into_inner().expect("flushing into memory cannot fail");
    String::from_utf8(bytes).expect("the records are UTF-8 text")
}
