//! The outputs for the demo scenario (`scenarios/demo.toml` on the demo territory),
//! planned once by the pipeline: panel texts, announcement sheets, the GTFS feed
//! read back by `gtfs-structures`, and the visits' CSV.

use std::path::Path;
use std::sync::OnceLock;

use chrono::Datelike;
use tournee_model::{NoProgress, Plan, Scenario, Weekday};
use tournee_publish::panel::{panels, PANEL_LINES, PANEL_WIDTH};

fn demo() -> &'static (Plan, Scenario) {
    static DEMO: OnceLock<(Plan, Scenario)> = OnceLock::new();
    DEMO.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/demo.toml");
        let scenario = Scenario::load(&path).expect("the demo scenario loads");
        let territory = tournee_pipeline::Territory::load(&scenario.pbf_path(), &NoProgress)
            .expect("the demo territory loads");
        let outcome = tournee_pipeline::plan(&scenario, &territory, &NoProgress)
            .expect("the demo scenario plans");
        (outcome.plan, scenario)
    })
}

#[test]
fn every_panel_of_the_demo_plan_fits_and_names_its_date() {
    let (plan, _) = demo();
    let all = panels(plan);
    let count: usize = all.values().map(Vec::len).sum();
    assert_eq!(count, plan.visits().count(), "one panel per visit");
    for (route, visit) in plan.visits() {
        let of_commune = &all[&visit.commune];
        let p = of_commune
            .iter()
            .find(|p| p.date == route.date && p.start == visit.start)
            .unwrap_or_else(|| panic!("no panel for {} on {}", visit.commune, route.date));
        assert!(p.lines.len() <= PANEL_LINES, "{:?}", p.lines);
        for line in &p.lines {
            assert!(
                line.chars().count() <= PANEL_WIDTH && line.is_ascii(),
                "{line:?} in {:?}",
                p.lines
            );
            assert!(!line.is_empty());
        }
        let day = format!("{}/{}", route.date.day(), route.date.month());
        let weekday = Weekday::from_chrono(route.date.weekday()).french()[..3].to_uppercase();
        let hour = format!("{}H", visit.start.0 / 3600);
        assert!(
            p.lines
                .iter()
                .any(|l| l.contains(&day) && l.starts_with(&weekday) && l.contains(&hour)),
            "{:?} lacks {weekday} {day} {hour}",
            p.lines
        );
    }
}

#[test]
fn the_gtfs_feed_of_the_demo_plan_loads_in_gtfs_structures() {
    use gtfs_structures::{Exception, Gtfs};
    use std::collections::{BTreeMap, BTreeSet};

    let (plan, scenario) = demo();
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in tournee_publish::gtfs::gtfs_files(plan, scenario) {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let feed = Gtfs::from_path(dir.path()).expect("gtfs-structures reads the feed");

    let sites: BTreeSet<String> = plan.visits().map(|(_, v)| v.site.to_string()).collect();
    let stops: BTreeSet<String> = feed.stops.keys().cloned().collect();
    assert_eq!(stops, sites, "one stop per site used");
    for (_, v) in plan.visits() {
        let s = &feed.stops[&v.site.to_string()];
        assert!((s.latitude.unwrap() - v.location.lat).abs() < 1e-6);
        assert!((s.longitude.unwrap() - v.location.lon).abs() < 1e-6);
    }
    let vehicles: BTreeSet<&str> = plan.routes.iter().map(|r| r.vehicle.as_str()).collect();
    assert_eq!(feed.routes.len(), vehicles.len(), "one route per vehicle");

    let running: Vec<_> = plan
        .routes
        .iter()
        .filter(|r| !r.visits.is_empty())
        .collect();
    assert!(!running.is_empty());
    assert_eq!(feed.trips.len(), running.len(), "one trip per vehicle-day");
    // Each trip runs on exactly its day, through the day's stops at their hours.
    let mut days_of_vehicle: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for trip in feed.trips.values() {
        let dates = &feed.calendar_dates[&trip.service_id];
        assert_eq!(dates.len(), 1, "{}", trip.id);
        assert_eq!(dates[0].exception_type, Exception::Added);
        let date = dates[0].date.to_string();
        let route = running
            .iter()
            .find(|r| r.vehicle == trip.route_id && r.date.to_string() == date)
            .unwrap_or_else(|| panic!("trip {} on {date} is not in the plan", trip.id));
        days_of_vehicle
            .entry(route.vehicle.as_str())
            .or_default()
            .insert(date);
        assert_eq!(trip.stop_times.len(), route.visits.len());
        for (st, v) in trip.stop_times.iter().zip(&route.visits) {
            assert_eq!(st.stop.id, v.site.to_string());
            assert_eq!(st.arrival_time, Some(v.start.seconds()));
            assert_eq!(st.departure_time, Some(v.end.seconds()));
        }
    }
    for vehicle in &vehicles {
        let planned: BTreeSet<String> = running
            .iter()
            .filter(|r| r.vehicle == *vehicle)
            .map(|r| r.date.to_string())
            .collect();
        assert_eq!(
            days_of_vehicle[vehicle], planned,
            "service days of {vehicle}"
        );
    }
}

#[test]
fn the_visits_csv_has_one_row_per_visit() {
    let (plan, scenario) = demo();
    let text = tournee_publish::csv_export::visits_csv(plan, scenario);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    for column in [
        "date",
        "start",
        "end",
        "vehicle",
        "commune",
        "site",
        "lon",
        "lat",
        "mediators",
    ] {
        assert!(
            headers.iter().any(|h| h == column),
            "{column} in {headers:?}"
        );
    }
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), plan.visits().count());
    for (route, visit) in plan.visits() {
        let row = rows
            .iter()
            .find(|r| {
                r[col("date")] == route.date.to_string()
                    && r[col("vehicle")] == route.vehicle
                    && r[col("start")] == visit.start.to_string()
            })
            .unwrap_or_else(|| panic!("no row for {} {}", route.vehicle, route.date));
        assert_eq!(&row[col("commune")], visit.commune);
        assert_eq!(&row[col("site")], visit.site_name);
        assert_eq!(&row[col("end")], visit.end.to_string());
        let lon: f64 = row[col("lon")].parse().unwrap();
        assert!((lon - visit.location.lon).abs() < 1e-6);
        for id in &route.crew {
            let name = &scenario.mediator(id).unwrap().name;
            assert!(row[col("mediators")].contains(name.as_str()));
        }
    }
}

#[test]
fn every_commune_of_the_demo_plan_gets_a_sheet_with_its_stops_on_the_map() {
    let (plan, scenario) = demo();
    let sheets = tournee_publish::sheet::announcement_sheets(plan, scenario);
    let communes: std::collections::BTreeSet<&str> =
        plan.visits().map(|(_, v)| v.commune.as_str()).collect();
    assert_eq!(sheets.len(), communes.len());
    for s in &sheets {
        let sites: std::collections::BTreeSet<_> = plan
            .visits()
            .filter(|(_, v)| v.commune == s.commune)
            .map(|(_, v)| v.site)
            .collect();
        let markers = s.html.matches("fill=\"#0b5fa5\" stroke").count();
        assert_eq!(markers, sites.len(), "{}", s.commune);
        assert!(
            s.html.contains("Centre social de la Lize"),
            "the demo's contact"
        );
    }
}
