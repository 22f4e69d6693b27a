//! Population estimated from residential buildings: a PBF written with
//! `tournee_osm::write`, imported, and the places' populations and flags checked.

use tournee_model::{NoProgress, PopulationSource, SiteKind};
use tournee_osm::buildings::{population_of, FLAT_FLOOR_M2};
use tournee_osm::write::{tags, write_pbf_file, Node, OsmData, Way};

/// Metres → degrees around latitude 45°.
const LAT_M: f64 = 1.0 / 111_195.0;
fn lon_m() -> f64 {
    LAT_M / 45f64.to_radians().cos()
}

struct Builder {
    data: OsmData,
    next: i64,
}

impl Builder {
    fn new() -> Builder {
        Builder {
            data: OsmData::default(),
            next: 1,
        }
    }

    fn node(&mut self, x_m: f64, y_m: f64, t: &[(&str, &str)]) -> i64 {
        let id = self.next;
        self.next += 1;
        self.data.nodes.push(Node {
            id,
            lon: x_m * lon_m(),
            lat: 45.0 + y_m * LAT_M,
            tags: tags(t),
        });
        id
    }

    fn way(&mut self, nodes: Vec<i64>, t: &[(&str, &str)]) {
        let id = self.next;
        self.next += 1;
        self.data.ways.push(Way {
            id,
            nodes,
            tags: tags(t),
        });
    }

    /// A square building of `side` metres whose south-west corner is at (x, y).
    fn building(&mut self, x: f64, y: f64, side: f64, t: &[(&str, &str)]) {
        let a = self.node(x, y, &[]);
        let b = self.node(x + side, y, &[]);
        let c = self.node(x + side, y + side, &[]);
        let d = self.node(x, y + side, &[]);
        self.way(vec![a, b, c, d, a], t);
    }

    fn road(&mut self, from: (f64, f64), to: (f64, f64)) {
        let a = self.node(from.0, from.1, &[]);
        let b = self.node(to.0, to.1, &[]);
        self.way(vec![a, b], &[("highway", "unclassified")]);
    }
}

#[test]
fn places_without_population_are_estimated_from_their_buildings() {
    let mut b = Builder::new();
    b.road((-3000.0, 0.0), (6000.0, 0.0));
    // A village with no population, a hamlet 2 km east with none, a village 4 km
    // north with one, a hamlet far away with neither figure nor buildings.
    b.node(0.0, 0.0, &[("place", "village"), ("name", "Aubrac")]);
    b.node(2000.0, 0.0, &[("place", "hamlet"), ("name", "Le Moulin")]);
    b.node(
        0.0,
        4000.0,
        &[
            ("place", "village"),
            ("name", "Brès"),
            ("population", "500"),
        ],
    );
    b.node(9000.0, 9000.0, &[("place", "hamlet"), ("name", "Loin")]);
    // Around Aubrac: ten cadastre houses (`yes`, 100 m²), three sheds (16 m²), a
    // barn (900 m²), a bakery of a house's size, an apartment block of 400 m² on
    // 5 levels, a house tagged `ruins=yes`, a church.
    for i in 0..10 {
        b.building(50.0 + 30.0 * i as f64, 100.0, 10.0, &[("building", "yes")]);
    }
    for i in 0..3 {
        b.building(-200.0 - 20.0 * i as f64, 50.0, 4.0, &[("building", "yes")]);
    }
    b.building(-400.0, -300.0, 30.0, &[("building", "yes")]);
    b.building(
        100.0,
        -100.0,
        10.0,
        &[("building", "yes"), ("shop", "bakery")],
    );
    b.building(
        300.0,
        -200.0,
        20.0,
        &[("building", "apartments"), ("building:levels", "5")],
    );
    b.building(
        -100.0,
        -100.0,
        10.0,
        &[("building", "house"), ("ruins", "yes")],
    );
    b.building(0.0, 30.0, 20.0, &[("building", "church")]);
    // Around Le Moulin (300 m from it, 1.7 km from Aubrac): three houses.
    for i in 0..3 {
        b.building(
            2000.0 + 20.0 * i as f64,
            300.0,
            10.0,
            &[("building", "house")],
        );
    }
    // Around Brès: five houses, which change nothing (it has a population).
    for i in 0..5 {
        b.building(20.0 * i as f64, 4100.0, 10.0, &[("building", "detached")]);
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("buildings.osm.pbf");
    write_pbf_file(&path, &b.data, "test").unwrap();
    let map = tournee_osm::import(&path, &SiteKind::ALL, &NoProgress).unwrap();
    let place = |n: &str| map.places.iter().find(|p| p.name == n).unwrap();

    let flats = (400.0 * 5.0 / FLAT_FLOOR_M2).round() as u32;
    assert_eq!(place("Aubrac").population.0, population_of(10 + flats));
    assert_eq!(
        place("Aubrac").population_source,
        PopulationSource::Buildings
    );
    assert_eq!(place("Le Moulin").population.0, population_of(3));
    assert_eq!(
        place("Le Moulin").population_source,
        PopulationSource::Buildings
    );
    assert_eq!(place("Brès").population.0, 500);
    assert_eq!(place("Brès").population_source, PopulationSource::Osm);
    // No building near: the per-type guess, flagged as such.
    assert_eq!(place("Loin").population_source, PopulationSource::Estimated);
    assert!(place("Loin").population.0 > 0);

    let r = &map.report;
    assert_eq!(r.buildings_read, 10 + 3 + 1 + 1 + 1 + 1 + 1 + 3 + 5);
    assert_eq!(r.buildings_residential, 10 + 1 + 3 + 5);
    assert_eq!(r.dwellings, 10 + flats as u64 + 3 + 5);
    assert_eq!(r.dwellings_assigned, r.dwellings);
    assert_eq!(r.places_from_buildings, 2);
    assert_eq!(r.places_estimated, 1);
}

/// A grid territory: `villages` places without population, each with `houses`
/// cadastre houses around it (and as many sheds), on a road grid; the houses are
/// tagged `building=<house>` (and the sheds too when it is `garage`).
fn synthetic(villages: usize, houses: usize, house: &str) -> OsmData {
    let mut b = Builder::new();
    let side = (villages as f64).sqrt().ceil() as usize;
    let spacing = 3000.0;
    for r in 0..=side {
        let y = r as f64 * spacing;
        b.road((0.0, y), (side as f64 * spacing, y));
        let x = r as f64 * spacing;
        b.road((x, 0.0), (x, side as f64 * spacing));
    }
    for v in 0..villages {
        let (cx, cy) = (
            (v % side) as f64 * spacing + 1500.0,
            (v / side) as f64 * spacing + 1500.0,
        );
        b.node(cx, cy, &[("place", "village"), ("name", &format!("V{v}"))]);
        let row = (houses as f64).sqrt().ceil() as usize;
        for h in 0..houses {
            let (x, y) = (
                cx - 600.0 + (h % row) as f64 * 1200.0 / row as f64,
                cy - 600.0 + (h / row) as f64 * 1200.0 / row as f64,
            );
            b.building(x, y, 10.0, &[("building", house)]);
            // Sheds: `yes` (read, measured, skipped) unless the baseline.
            let shed = if house == "garage" { "garage" } else { "yes" };
            b.building(x + 15.0, y, 4.0, &[("building", shed)]);
        }
    }
    b.data
}

#[test]
fn every_house_of_a_synthetic_territory_is_counted_once() {
    let (villages, houses) = (16, 50);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("grid.osm.pbf");
    write_pbf_file(&path, &synthetic(villages, houses, "yes"), "test").unwrap();
    let map = tournee_osm::import(&path, &SiteKind::ALL, &NoProgress).unwrap();
    assert_eq!(map.report.buildings_read, (2 * villages * houses) as u64);
    assert_eq!(map.report.dwellings, (villages * houses) as u64);
    assert!(map
        .places
        .iter()
        .all(|p| p.population.0 == population_of(houses as u32)
            && p.population_source == PopulationSource::Buildings));
}

/// The import's cost of reading buildings: a territory of 400 villages with 500
/// houses and 500 sheds each (400,000 building ways, 1.6 M nodes), against the
/// same file whose houses are `building=garage` (skipped in the first pass, as
/// before buildings were read). `cargo test -p tournee-osm --test buildings --
/// --ignored --nocapture`.
#[test]
#[ignore]
fn import_time_with_and_without_buildings() {
    let dir = tempfile::tempdir().unwrap();
    for house in ["garage", "yes", "garage", "yes"] {
        let path = dir.path().join(format!("grid-{house}.osm.pbf"));
        write_pbf_file(&path, &synthetic(400, 500, house), "test").unwrap();
        let size = std::fs::metadata(&path).unwrap().len();
        let start = std::time::Instant::now();
        let map = tournee_osm::import(&path, &SiteKind::ALL, &NoProgress).unwrap();
        println!(
            "houses tagged {house}: {:.1} MB, {} buildings, {} dwellings, import {:.2} s",
            size as f64 / 1e6,
            map.report.buildings_read,
            map.report.dwellings,
            start.elapsed().as_secs_f64()
        );
    }
}
