//! The outputs for the demo scenario (`scenarios/demo.toml` on the demo territory),
//! planned once by the pipeline: panel texts, announcement sheets, the GTFS feed
//! read back by `gtfs-structures`, the visits' CSV, and the directory entries in
//! the MedNum standard (valid against the shared schema, their `horaires` read back
//! by the `opening-hours` crate).

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

    let key = tournee_publish::gtfs::stop_key;
    let sites: BTreeSet<String> = plan.visits().map(|(_, v)| key(v.site)).collect();
    let stops: BTreeSet<String> = feed.stops.keys().cloned().collect();
    assert_eq!(stops, sites, "one stop per site used");
    for (_, v) in plan.visits() {
        let s = &feed.stops[&key(v.site)];
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
            assert_eq!(st.stop.id, key(v.site));
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

/// The directory file of the demo, its records by `id`.
fn directory() -> (String, Vec<std::collections::BTreeMap<String, String>>) {
    let (plan, scenario) = demo();
    let text = tournee_publish::mednum::directory_csv(plan, scenario)
        .unwrap_or_else(|e| panic!("the demo has what the directory needs: {e}"));
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let records = r.deserialize().map(|x| x.unwrap()).collect();
    (text, records)
}

#[test]
fn the_demo_directory_file_is_valid_against_the_mednum_schema() {
    use tournee_test_support::table_schema::Schema;
    let schema = Schema::from_file(&tournee_test_support::shared_data(
        "data/standards/schema-lieux-mediation-numerique-v1.0.2.json",
    ))
    .unwrap();
    let (text, records) = directory();
    let violations = schema.validate_csv(&text);
    assert!(violations.is_empty(), "{violations:#?}\n{text}");
    // The reference validator agrees.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(tournee_publish::mednum::DIRECTORY_FILE);
    std::fs::write(&file, &text).unwrap();
    tournee_test_support::frictionless_validate(
        &tournee_test_support::shared_data(
            "data/standards/schema-lieux-mediation-numerique-v1.0.2.json",
        ),
        &file,
    )
    .unwrap();
    let (plan, scenario) = demo();
    // One record per stop site, each with the organisation's SIRET and the stop.
    let sites: std::collections::BTreeSet<String> = plan
        .visits()
        .map(|(_, v)| format!("arret-{}", v.site.to_string().replace('/', "-")))
        .collect();
    let ids: std::collections::BTreeSet<String> = records.iter().map(|r| r["id"].clone()).collect();
    assert_eq!(ids, sites);
    assert_eq!(records.len(), sites.len());
    let org = scenario.organisation.as_ref().unwrap();
    for r in &records {
        assert_eq!(r["pivot"], org.siret_digits().unwrap());
        assert_eq!(r["itinerance"], "Itinérant");
        assert_eq!(r["date_maj"], plan.start_date.to_string());
        assert_eq!(r["code_postal"], org.postcodes[&r["commune"]]);
        assert_eq!(r["telephone"], "+33500000000");
        let (_, v) = plan
            .visits()
            .find(|(_, v)| r["id"].ends_with(&v.site.to_string().replace('/', "-")))
            .unwrap();
        assert_eq!(r["commune"], v.commune);
        assert!((r["latitude"].parse::<f64>().unwrap() - v.location.lat).abs() < 1e-6);
        assert!((r["longitude"].parse::<f64>().unwrap() - v.location.lon).abs() < 1e-6);
        // Fields the scenario cannot know stay empty.
        for unknown in [
            "typologie",
            "structure_parente",
            "fiche_acces_libre",
            "prise_rdv",
        ] {
            assert_eq!(r[unknown], "", "{unknown}");
        }
    }
}

/// Open intervals (seconds of the day) of `hours` on `date`, read by the
/// `opening-hours` crate, touching ones joined.
fn open_on(hours: &opening_hours::OpeningHours, date: chrono::NaiveDate) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::new();
    for r in hours.schedule_at(date) {
        if r.kind != opening_hours::RuleKind::Open {
            continue;
        }
        let s = u32::from(r.range.start.hour()) * 3600 + u32::from(r.range.start.minute()) * 60;
        let e = u32::from(r.range.end.hour()) * 3600 + u32::from(r.range.end.minute()) * 60;
        match out.last_mut() {
            Some(last) if last.1 == s => last.1 = e,
            _ => out.push((s, e)),
        }
    }
    out
}

/// The plan's public hours at a site on a date, touching ones joined.
fn planned_on(plan: &Plan, site: &str, date: chrono::NaiveDate) -> Vec<(u32, u32)> {
    let mut hours: Vec<(u32, u32)> = plan
        .visits()
        .filter(|(r, v)| r.date == date && v.site.to_string() == site)
        .map(|(_, v)| (v.start.0, v.end.0))
        .collect();
    hours.sort();
    let mut out: Vec<(u32, u32)> = Vec::new();
    for (s, e) in hours {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

#[test]
fn the_horaires_of_every_demo_stop_read_back_to_the_plans_days_and_hours() {
    let (plan, _) = demo();
    let (_, records) = directory();
    let first = plan.start_date - chrono::Duration::days(14);
    let last = plan.start_date + chrono::Duration::days(7 * i64::from(plan.cycle_weeks) + 14);
    for r in &records {
        let site = r["id"]
            .strip_prefix("arret-")
            .unwrap()
            .replacen('-', "/", 1);
        let hours: opening_hours::OpeningHours = r["horaires"]
            .parse()
            .unwrap_or_else(|e| panic!("{}: `{}` does not parse: {e}", r["id"], r["horaires"]));
        let mut date = first;
        while date <= last {
            assert_eq!(
                open_on(&hours, date),
                planned_on(plan, &site, date),
                "{site} on {date}: `{}`",
                r["horaires"]
            );
            date += chrono::Duration::days(1);
        }
    }
}

/// The bar's hand-checked example: the stops of bus 1, their days and hours read
/// back from the directory's `horaires`, are the plan's (printed for reading).
#[test]
fn bus_1_days_and_hours_read_back_from_the_directory_are_the_plans() {
    let (plan, _) = demo();
    let (_, records) = directory();
    let by_site: std::collections::BTreeMap<String, opening_hours::OpeningHours> = records
        .iter()
        .map(|r| {
            let site = r["id"]
                .strip_prefix("arret-")
                .unwrap()
                .replacen('-', "/", 1);
            (site, r["horaires"].parse().unwrap())
        })
        .collect();
    let stops: Vec<_> = plan
        .visits()
        .filter(|(r, _)| r.vehicle == "bus-1")
        .collect();
    assert!(stops.len() >= 5, "bus 1 makes stops");
    let hhmm = |s: u32| format!("{:02}:{:02}", s / 3600, s / 60 % 60);
    // Every stop of bus 1 is open in its site's horaires on its date at its hours…
    for (route, v) in &stops {
        let site = v.site.to_string();
        let read = open_on(&by_site[&site], route.date);
        eprintln!(
            "{} {} {}-{} {} ({}) — horaires: {}",
            route.date,
            route.weekday.french(),
            v.start,
            v.end,
            v.site_name,
            v.commune,
            read.iter()
                .map(|(s, e)| format!("{}-{}", hhmm(*s), hhmm(*e)))
                .collect::<Vec<_>>()
                .join(",")
        );
        assert!(
            read.iter().any(|&(s, e)| s <= v.start.0 && v.end.0 <= e),
            "{site} on {}: {read:?}",
            route.date
        );
    }
    // …and the days the horaires of bus 1's sites open, over the cycle, are the
    // days some vehicle stops there: no day more, no day less.
    let cycle: Vec<chrono::NaiveDate> = (0..7 * i64::from(plan.cycle_weeks))
        .map(|d| plan.start_date + chrono::Duration::days(d))
        .collect();
    for (_, v) in &stops {
        let site = v.site.to_string();
        let read: Vec<_> = cycle
            .iter()
            .filter(|d| !open_on(&by_site[&site], **d).is_empty())
            .collect();
        let planned: Vec<_> = cycle
            .iter()
            .filter(|d| !planned_on(plan, &site, **d).is_empty())
            .collect();
        assert_eq!(read, planned, "{site}");
    }
}

#[test]
fn the_demo_sheets_mention_the_directory_entry_and_a_scenario_without_siret_does_not() {
    let (plan, scenario) = demo();
    let sheets = tournee_publish::sheet::announcement_sheets(plan, scenario);
    assert!(!sheets.is_empty());
    for s in &sheets {
        assert!(
            s.html
                .contains("annuaire national des lieux de médiation numérique"),
            "{}",
            s.commune
        );
    }
    let mut without = scenario.clone();
    without.organisation.as_mut().unwrap().siret = None;
    let err = tournee_publish::mednum::directory_csv(plan, &without).unwrap_err();
    assert!(err.to_string().contains("SIRET"), "{err}");
    for s in tournee_publish::sheet::announcement_sheets(plan, &without) {
        assert!(!s.html.contains("annuaire national"), "{}", s.commune);
    }
    // A commune without postcode is named.
    let mut no_postcode = scenario.clone();
    let (_, first) = plan.visits().next().unwrap();
    no_postcode
        .organisation
        .as_mut()
        .unwrap()
        .postcodes
        .remove(&first.commune);
    let err = tournee_publish::mednum::directory_csv(plan, &no_postcode).unwrap_err();
    assert!(
        err.to_string().contains(&first.commune) && err.to_string().contains("code postal"),
        "{err}"
    );
}
