//! plan.json, the weekly grid, the GeoJSON, the terminal summary and the files
//! `write_all` leaves on disk, on the fixture of `common`.

mod common;

use std::str::FromStr;

use common::*;
use geojson::{Feature, GeoJson, Value};
use tournee_model::Plan;
use tournee_publish::{
    plan_json, stops_geojson, summary_text, weekly_grid_html, write_all, write_all_with, Previous,
    Sequences,
};

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
fn weekly_grid_has_a_line_per_mediator_with_the_day_route_and_drive_times() {
    let mut sc = scenario();
    sc.mediators[3].leave.push(date("2027-01-05"));
    let html = weekly_grid_html(&plan(), &sc);
    let week1 = &html[html.find("Semaine 1").unwrap()..html.find("Semaine 2").unwrap()];
    let per_mediator = &week1[week1.find("<h3>Par médiateur</h3>").expect("the section")..];
    let row = |name: &str| {
        let start = per_mediator
            .find(&format!("<th scope=\"row\">{name}</th>"))
            .unwrap_or_else(|| panic!("no row for {name}"));
        let rest = &per_mediator[start..];
        rest[..rest.find("</tr>").unwrap()].to_string()
    };
    let awa = row("Awa Diallo");
    assert!(
        awa.contains(
            "Centre social 08:30 → <span class=\"trajet\">15 min</span> → \
             <strong>Saint-Éloi-des-Prés</strong> (Place du Marché, 09:30–12:00) → \
             <span class=\"trajet\">12 min</span> → <strong>Bors</strong> \
             (Salle des fêtes, 14:00–16:30) → <span class=\"trajet\">20 min</span> → \
             Centre social 17:15"
        ),
        "{awa}"
    );
    assert!(awa.contains("Bus 1"));
    assert!(!awa.contains("Genétouze"), "Awa is not on bus 2");
    let chloe = row("Chloé Petit");
    assert!(chloe.contains("Bus 2") && chloe.contains("<strong>La Genétouze</strong>"));
    assert!(row("David Moreau").contains("congé"), "leave on Tuesday 5");
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
fn weekly_grid_lists_the_coordinators_notes_escaped() {
    let mut plan = plan();
    assert!(!weekly_grid_html(&plan, &scenario()).contains("Remarques"));
    plan.notes.push(tournee_model::PlanNote {
        commune: "Bors".into(),
        kind: tournee_model::plan::PREFERENCE_MISSED.into(),
        message: "Bors : préférence « mercredi » non respectée <b>1</b>".into(),
    });
    let html = weekly_grid_html(&plan, &scenario());
    assert!(html.contains("<h2>Remarques</h2>"));
    assert!(html.contains("Bors : préférence « mercredi » non respectée &lt;b&gt;1&lt;/b&gt;"));
    // The communes' own documents never carry them.
    let dir = tempfile::tempdir().unwrap();
    write_all(dir.path(), &plan, &scenario()).unwrap();
    for entry in walkdir(dir.path()) {
        if entry.ends_with("plan.json") || entry.ends_with("plan.html") {
            continue;
        }
        let text = std::fs::read_to_string(&entry).unwrap_or_default();
        assert!(
            !text.contains("préférence « mercredi »"),
            "{}",
            entry.display()
        );
    }
}

fn walkdir(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walkdir(&p));
        } else {
            out.push(p);
        }
    }
    out
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
            "calendriers/sequences.json",
            "affiches/bors.html",
            "affiches/la-genetouze.html",
            "affiches/saint-eloi-des-pres.html",
            "panneaux/bors.txt",
            "panneaux/la-genetouze.txt",
            "panneaux/saint-eloi-des-pres.txt",
            "gtfs/agency.txt",
            "gtfs/stops.txt",
            "gtfs/routes.txt",
            "gtfs/trips.txt",
            "gtfs/calendar_dates.txt",
            "gtfs/stop_times.txt",
            "visites.csv",
        ]
    );
    for f in &written.files {
        assert!(std::fs::metadata(f).unwrap().len() > 0, "{}", f.display());
    }
    let json = std::fs::read_to_string(out.join("plan.json")).unwrap();
    assert_eq!(serde_json::from_str::<Plan>(&json).unwrap(), plan());
}

#[test]
fn write_all_with_a_previous_plan_adds_the_notices_and_bumps_sequences() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("avant");
    write_all(&first, &plan(), &scenario()).unwrap();
    let kept = std::fs::read_to_string(first.join("calendriers/sequences.json")).unwrap();
    let mut moved = plan();
    moved.routes.retain(|r| r.date != date("2027-01-14"));
    let previous = Previous {
        plan: plan(),
        sequences: Some(Sequences::from_json(&kept).unwrap()),
    };
    let out = dir.path().join("apres");
    let written = write_all_with(&out, &moved, &scenario(), Some(&previous)).unwrap();
    let last: Vec<_> = written.files.iter().rev().take(2).collect();
    assert!(last[0].ends_with("changements.json") && last[1].ends_with("changements.md"));
    let md = std::fs::read_to_string(out.join("changements.md")).unwrap();
    assert!(
        md.contains("## La Genétouze") && !md.contains("## Bors"),
        "{md}"
    );
    let ics = std::fs::read_to_string(out.join("calendriers/la-genetouze.ics")).unwrap();
    assert!(ics.contains("SEQUENCE:1\r\n"), "{ics}");
    let ics = std::fs::read_to_string(out.join("calendriers/bors.ics")).unwrap();
    assert!(ics.contains("SEQUENCE:0\r\n"));
}

#[test]
fn write_errors_name_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("un-fichier");
    std::fs::write(&blocker, "pas un dossier").unwrap();
    let err = write_all(&blocker, &plan(), &scenario()).unwrap_err();
    assert!(err.to_string().contains("un-fichier"), "{err}");
}
