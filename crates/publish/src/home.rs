//! Home visits for the coordinator and the mediator: the day's text in the
//! per-mediator grid of `plan.html`, and `visites-domicile.csv` (one line per
//! visit). They appear in `plan.json` too, as part of the plan.
//!
//! People's homes are private: home visits are deliberately absent from every
//! public output — the communes' calendars, announcement sheets, road-side panels,
//! `stops.geojson`, the GTFS feed and `visites.csv` — which all read
//! `Plan::routes` (the buses) only. Keep it so.

use std::fmt::Write;

use serde::Serialize;
use tournee_model::{HomeVisitDay, Plan, Scenario};

use crate::html::escape;

/// A home-visit day for the mediator's grid cell: base (departure) → drive → name
/// (hours) → … → drive → base (return).
pub fn day_text(sc: &Scenario, d: &HomeVisitDay) -> String {
    let base = sc
        .depot(&d.base)
        .map_or(d.base.as_str(), |b| b.name.as_str());
    let leg = |s: tournee_model::Seconds| {
        format!(
            " → <span class=\"trajet\">{} min</span> → ",
            (s.0 + 30) / 60
        )
    };
    let mut t = format!(
        "<div class=\"commune\">Visites à domicile</div><div class=\"meta\">{} {}",
        escape(base),
        d.depart
    );
    for s in &d.stops {
        t.push_str(&leg(s.drive_from_previous));
        let _ = write!(
            t,
            "<strong>{}</strong> ({}–{})",
            escape(&s.name),
            s.start,
            s.end
        );
    }
    t.push_str(&leg(d.drive_back));
    let _ = write!(t, "{} {}</div>", escape(base), d.back);
    t
}

#[derive(Serialize)]
struct Row<'a> {
    mediator: &'a str,
    date: String,
    weekday: String,
    arrive: String,
    start: String,
    end: String,
    request: &'a str,
    name: &'a str,
    lon: String,
    lat: String,
    drive_minutes: u32,
    km: String,
}

/// `visites-domicile.csv`: the home visits, by mediator, date and time; `None`
/// when the plan has none.
pub fn home_visits_csv(plan: &Plan, scenario: &Scenario) -> Option<String> {
    if plan.home_visits.is_empty() {
        return None;
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    for d in &plan.home_visits {
        let mediator = scenario
            .mediator(&d.mediator)
            .map_or(d.mediator.as_str(), |m| m.name.as_str());
        for s in &d.stops {
            w.serialize(Row {
                mediator,
                date: d.date.to_string(),
                weekday: d.weekday.to_string(),
                arrive: s.arrive.to_string(),
                start: s.start.to_string(),
                end: s.end.to_string(),
                request: &s.request,
                name: &s.name,
                lon: format!("{:.6}", s.location.lon),
                lat: format!("{:.6}", s.location.lat),
                drive_minutes: (s.drive_from_previous.0 + 30) / 60,
                km: format!("{:.1}", s.distance_from_previous.as_km_f64()),
            })
            .expect("writing plain records into memory cannot fail");
        }
    }
    let bytes = w.into_inner().expect("flushing into memory cannot fail");
    Some(String::from_utf8(bytes).expect("the records are UTF-8 text"))
}
