//! plan.json, the weekly grid, the GeoJSON, the terminal summary and the files
//! `write_all` leaves on disk, on the fixture of `common`.

mod common;

use std::str::FromStr;

use common::*;
use geojson::{Feature, GeoJson, Value};
use tournee_model::Plan;
use tournee_publish::{plan_json, stops_geojson, summary_text, weekly_grid_html, write_all};

#[test]
fn plan_json_round_trips() {
    let plan = plan();
    let back: Plan = serde_json::from_str(&plan_json(&plan)).unwrap();
    assert_eq!(back, plan);
}

fn features() -> Vec<Feature> {
    let text = stops_geojson(&plan(), &scenario());
    match GeoJson::from_str(&text).expect("valid GeoJSON") {
        GeoJson::FeatureCollection(fc) => fc.features,
        other => panic!("not a FeatureCollection: {other:?}"),
    }
}

fn of_type<'a>(features: &'a [Feature], which: &str) -> Vec<&'a Feature> {
    features
        .iter()
        .filter(|f| f.property("feature").and_then(|v| v.as_str()) == Some(which))
        .collect()
}

#[test]
fn geojson_stops_are_longitude_first_with_their_visits() {
    let features = features();
    let stops = of_type(&features, "stop");
    assert_eq!(stops.len(), 3, "one point per site used");
    for site in [saint_eloi(), bors(), genetouze()] {
        let f = stops
            .iter()
            .find(|f| f.property("osm").and_then(|v| v.as_str()) == Some(&site.site.to_string()))
            .unwrap_or_else(|| panic!("no stop for {}", site.site_name));
        let Some(Value::Point(p)) = f.geometry.as_ref().map(|g| &g.value) else {
            panic!("a stop is a point");
        };
        assert_eq!(p.as_slice(), [site.location.lon, site.location.lat]);
        assert_eq!(f.property("commune").unwrap(), site.commune);
        assert_eq!(f.property("name").unwrap(), site.site_name);
        assert_eq!(f.property("population_reached").unwrap(), 800);
    }
    let genetouze = stops
        .iter()
        .find(|f| f.property("commune").unwrap() == GENETOUZE)
        .unwrap();
    assert_eq!(genetouze.property("visits").unwrap(), 2);
    let when = genetouze.property("when").unwrap().as_array().unwrap();
    assert_eq!(when[0]["date"], "2027-01-07");
    assert_eq!(when[1]["date"], "2027-01-14");
    assert_eq!(when[1]["slot"], "après-midi");
    assert_eq!(genetouze.property("kind").unwrap(), "townhall");
}

#[test]
fn geojson_routes_go_from_the_depot_through_the_stops_and_back() {
    let features = features();
    let routes = of_type(&features, "route");
    assert_eq!(routes.len(), 3, "one line per day route");
    let depot = vec![-0.19, 45.22];
    let tuesday = routes
        .iter()
        .find(|f| f.property("date").unwrap() == "2027-01-05")
        .unwrap();
    let Some(Value::LineString(line)) = tuesday.geometry.as_ref().map(|g| &g.value) else {
        panic!("a route is a line");
    };
    let expected = vec![
        depot.clone(),
        vec![saint_eloi().location.lon, saint_eloi().location.lat],
        vec![bors().location.lon, bors().location.lat],
        depot,
    ];
    assert_eq!(line, &expected);
    assert_eq!(tuesday.property("vehicle").unwrap(), "bus-1");
    // 15 + 12 km to the stops and 18 km back; 15 + 12 + 20 minutes of driving.
    assert_eq!(tuesday.property("km").unwrap(), 45.0);
    assert_eq!(tuesday.property("driving_minutes").unwrap(), 47);
    assert_eq!(of_type(&features, "depot").len(), 1);
}

#[test]
fn weekly_grid_shows_every_stop_the_holiday_and_the_crew() {
    let html = weekly_grid_html(&plan(), &scenario());
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"fr\">"));
    for commune in [SAINT_ELOI, BORS, GENETOUZE] {
        assert!(html.contains(commune), "{commune}");
    }
    assert!(html.contains("Mairie, parking; cour"));
    assert!(
        html.contains("place du marché"),
        "the kind of site, in French"
    );
    assert!(html.contains("lundi 4 janvier") && html.contains("mardi 12 janvier"));
    assert!(html.contains("<td class=\"ferie\">férié</td>"));
    assert!(html.contains("Awa Diallo, Bruno Martin"));
    assert!(html.contains("15 min de route depuis le dépôt"));
    assert!(html.contains("12 min de route depuis l'arrêt précédent"));
    assert!(html.contains("départ 08:30 · retour 17:15"));
    assert!(html.contains("<td class=\"vide\">—</td>"));
    assert!(html.contains("Semaine 1") && html.contains("Semaine 2"));
    assert!(
        html.contains("jour férié : passage annulé"),
        "unplaced reasons"
    );
    assert!(html.contains("Lieux atteints") && html.contains("3 / 5"));
}

#[test]
fn weekly_grid_is_printable_and_self_contained() {
    let html = weekly_grid_html(&plan(), &scenario());
    assert!(html.contains("@media print") && html.contains("A4 landscape"));
    for external in ["<script", "<link", "src=", "href=", "url(", "http"] {
        assert!(!html.contains(external), "{external}");
    }
}

#[test]
fn weekly_grid_escapes_names_from_data() {
    let mut plan = plan();
    let evil = "<script>alert(\"pwned\")</script> & Cie";
    plan.routes[0].visits[1].site_name = evil.to_string();
    plan.unplaced[0].reason = "<b>non</b>".to_string();
    let html = weekly_grid_html(&plan, &scenario());
    assert!(!html.contains("<script>"));
    assert!(!html.contains("<b>non</b>"));
    assert!(html.contains("&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; Cie"));
}

#[test]
fn summary_names_every_figure() {
    let text = summary_text(&plan());
    for expected in [
        "Population atteignable par semaine : 1600 habitants sur 4000",
        "Lieux atteints : 3 / 5",
        "Passages : 4 en 2 semaine(s)",
        "Distance : 150.0 km",
        "Conduite : 3.0 h",
        "Temps de médiateurs : 70.0 h",
        "Non planifié : 1",
    ] {
        assert!(text.contains(expected), "{expected} in\n{text}");
    }
}

#[test]
fn write_all_writes_every_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sortie");
    let written = write_all(&out, &plan(), &scenario()).unwrap();
    let names: Vec<String> = written
        .files
        .iter()
        .map(|p| p.strip_prefix(&out).unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "plan.json",
            "plan.html",
            "stops.geojson",
            "calendriers/bors.ics",
            "calendriers/la-genetouze.ics",
            "calendriers/saint-eloi-des-pres.ics",
        ]
    );
    for f in &written.files {
        assert!(std::fs::metadata(f).unwrap().len() > 0, "{}", f.display());
    }
    let json = std::fs::read_to_string(out.join("plan.json")).unwrap();
    assert_eq!(serde_json::from_str::<Plan>(&json).unwrap(), plan());
}

#[test]
fn write_errors_name_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("un-fichier");
    std::fs::write(&blocker, "pas un dossier").unwrap();
    let err = write_all(&blocker, &plan(), &scenario()).unwrap_err();
    assert!(err.to_string().contains("un-fichier"), "{err}");
}
