//! The communes' announcement sheets and panel texts on the fixture of `common`.

mod common;

use common::*;
use tournee_model::{LonLat, OsmRef};
use tournee_publish::panel::{panels, panels_text};
use tournee_publish::sheet::{announcement_sheets, Sheet};

fn sheet<'a>(sheets: &'a [Sheet], commune: &str) -> &'a Sheet {
    sheets
        .iter()
        .find(|s| s.commune == commune)
        .unwrap_or_else(|| panic!("no sheet for {commune}"))
}

/// The centres of the commune's numbered markers (blue circles), in order.
fn markers(html: &str) -> Vec<(f64, f64)> {
    html.split("<circle ")
        .skip(1)
        .filter(|c| c.contains("fill=\"#0b5fa5\""))
        .map(|c| {
            let attr = |name: &str| -> f64 {
                let start = c.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                c[start..].split('"').next().unwrap().parse().unwrap()
            };
            (attr("cx"), attr("cy"))
        })
        .collect()
}

#[test]
fn each_commune_gets_a_sheet_with_its_dates_place_and_what_to_bring() {
    let sheets = announcement_sheets(&plan(), &scenario());
    let names: Vec<(&str, &str)> = sheets
        .iter()
        .map(|s| (s.commune.as_str(), s.file_stem.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            (BORS, "bors"),
            (GENETOUZE, "la-genetouze"),
            (SAINT_ELOI, "saint-eloi-des-pres")
        ]
    );
    let g = &sheet(&sheets, GENETOUZE).html;
    assert!(g.starts_with("<!DOCTYPE html>\n<html lang=\"fr\">"));
    assert!(g.contains("<h1>Le bus numérique vient à La Genétouze</h1>"));
    for expected in [
        "Jeudi 7 janvier 2027",
        "Jeudi 14 janvier 2027",
        "14 h – 16 h 30",
        "Mairie, parking; cour",
        "pièce d'identité",
        "identifiants",
        "justificatifs",
        "size: A4 portrait",
        "<svg ",
    ] {
        assert!(g.contains(expected), "{expected}");
    }
    assert!(!g.contains("5 janvier"), "only La Genétouze's own dates");
    for external in ["<script", "<link", "src=", "href=", "url(", "http"] {
        assert!(!g.contains(external), "{external}");
    }
    // The fixture has no contact: a field to fill in.
    assert!(g.contains("(à compléter)"));
}

#[test]
fn the_contact_of_the_scenario_is_printed() {
    let mut sc = scenario();
    sc.contact = Some(tournee_model::Contact {
        name: "Centre social & culturel".into(),
        phone: Some("05 45 00 00 00".into()),
        email: None,
        web: None,
    });
    let sheets = announcement_sheets(&plan(), &sc);
    let html = &sheet(&sheets, BORS).html;
    assert!(html.contains("Centre social &amp; culturel · tél. 05 45 00 00 00"));
    assert!(!html.contains("(à compléter)"));
}

#[test]
fn the_map_places_the_stops_by_longitude_and_latitude() {
    let mut p = plan();
    // A second stop in Saint-Éloi, 2 km east and 1 km south of the market square.
    let mut east = visit(&saint_eloi(), "après-midi", 5);
    east.site = OsmRef::node(999);
    east.site_name = "Salle polyvalente".into();
    east.location = LonLat::new(
        saint_eloi().location.lon + 2.0 / (111.195 * 45.3f64.to_radians().cos()),
        saint_eloi().location.lat - 1.0 / 111.195,
    );
    p.routes[1].visits.push(east);
    let sheets = announcement_sheets(&p, &scenario());
    let html = &sheet(&sheets, SAINT_ELOI).html;
    let m = markers(html);
    assert_eq!(m.len(), 2, "{html}");
    let (dx, dy) = (m[1].0 - m[0].0, m[1].1 - m[0].1);
    assert!(dx > 0.0 && dy > 0.0, "east is right, south is down: {m:?}");
    assert!((dx / dy - 2.0).abs() < 0.01, "same scale both ways: {m:?}");
    for (x, y) in m {
        assert!((0.0..=400.0).contains(&x) && (0.0..=300.0).contains(&y));
    }
    assert!(html.contains("<li>Salle polyvalente (place du marché)</li>"));
    // Bors, 11 km away, is off this map; the map of a single stop centres it.
    assert!(!html.contains(">Bors</text>"));
    assert_eq!(markers(&sheet(&sheets, BORS).html), [(200.0, 150.0)]);
}

#[test]
fn panels_of_the_fixture_read_as_expected() {
    let all = panels(&plan());
    let g = &all[GENETOUZE];
    assert_eq!(g.len(), 2);
    assert_eq!(
        g[0].lines,
        ["BUS NUMERIQUE", "JEU 7/1 14H-16H30", "MAIRIE PARKING COUR"]
    );
    assert_eq!(all[SAINT_ELOI][0].lines[1], "MAR 5/1 9H30-12H");
    let text = panels_text(GENETOUZE, g);
    assert!(text.contains("JEU 14/1 14H-16H30"), "{text}");
    assert!(text.starts_with("Textes pour le panneau lumineux de La Genétouze"));
}
