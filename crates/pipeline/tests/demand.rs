//! The demo planned with a (fictitious) INSEE commune table: the table's populations
//! are what the optimiser and the independent checker count.

use std::path::{Path, PathBuf};

use tournee_model::{NoProgress, PopulationSource, Scenario};
use tournee_pipeline::{plan, PipelineError, Territory};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The demo scenario with a `[demand]` table, written next to a copy of it.
fn demo_with(demand: &str, dir: &Path) -> Scenario {
    let text = std::fs::read_to_string(root().join("scenarios/demo.toml")).unwrap();
    let pbf = root().join("osm-data/demo.osm.pbf");
    let text = text.replace(
        "pbf = \"../osm-data/demo.osm.pbf\"",
        &format!("pbf = {:?}", pbf.to_str().unwrap()),
    );
    let path = dir.join("demo-table.toml");
    std::fs::write(&path, format!("{text}\n[demand]\n{demand}\n")).unwrap();
    Scenario::load(&path).unwrap()
}

#[test]
fn the_plan_counts_the_tables_populations_and_the_checker_agrees() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = root().join("tests/fixtures/communes-fictives-demo.csv");
    let table_text = std::fs::read_to_string(&fixture).unwrap();
    let sc = demo_with(
        &format!(
            "communes = {:?}\nvintage = 2024\nweight_column = \"IFN\"",
            fixture.to_str().unwrap()
        ),
        dir.path(),
    );
    let t = Territory::load(&sc.pbf_path(), &NoProgress).unwrap();
    let out = plan(&sc, &t, &NoProgress).unwrap();
    let places = &out.prepared.places;
    let report = out.prepared.table.as_ref().unwrap();

    // Every row of the fixture with a code the demo has: its commune's places
    // (seat and hamlets) now sum to the table's population.
    let table = sc.communes.as_ref().unwrap();
    assert_eq!(table.rows.len(), table_text.lines().count() - 1);
    for row in &table.rows {
        let code = row.code.as_deref().unwrap();
        let Some(seat) = t
            .map
            .places
            .iter()
            .position(|p| p.insee.as_deref() == Some(code))
        else {
            continue;
        };
        // The hamlets whose nearest commune seat is this one.
        let group: Vec<usize> = (0..t.map.places.len())
            .filter(|&i| {
                i == seat
                    || (!t.map.places[i].is_commune_seat()
                        && t.map
                            .places
                            .iter()
                            .enumerate()
                            .filter(|(_, p)| p.is_commune_seat())
                            .min_by(|a, b| {
                                a.1.location
                                    .distance_m(&t.map.places[i].location)
                                    .total_cmp(&b.1.location.distance_m(&t.map.places[i].location))
                            })
                            .map(|(j, _)| j)
                            == Some(seat))
            })
            .collect();
        let sum: u32 = group.iter().map(|&i| places[i].population.0).sum();
        assert_eq!(sum, row.population.0, "{}", row.name);
        assert!(group
            .iter()
            .all(|&i| places[i].population_source == PopulationSource::Table));
    }
    // Risteilles had no OSM population (the per-type guess): now the table's.
    let risteilles = places.iter().find(|p| p.name == "Risteilles").unwrap();
    assert_eq!(risteilles.population_source, PopulationSource::Table);
    // The row with coordinates and no place is a new place; the other is reported.
    let added = places
        .iter()
        .find(|p| p.name == "Nouvelle-Commune")
        .unwrap();
    assert_eq!(added.population.0, 100);
    assert_eq!(places.len(), t.map.places.len() + 1);
    assert_eq!(report.places_added, 1);
    assert_eq!(report.matched_by_code, 3);
    assert_eq!(report.unmatched.len(), 1);
    assert_eq!(report.unmatched[0].0, "Commune-Absente");
    assert!(report.text().contains("COG 2024"));

    // The optimiser's totals are the table's…
    let total: u64 = places.iter().map(|p| p.population.0 as u64).sum();
    assert_eq!(out.plan.summary.population_total, total);
    let osm_total: u64 = t.map.places.iter().map(|p| p.population.0 as u64).sum();
    assert_ne!(total, osm_total);
    // …and the checker, which recomputed the objective with its own searches,
    // counted the same populations and weights.
    assert!(
        (out.check.reachable_population_per_week - out.plan.summary.reachable_population_per_week)
            .abs()
            < 1e-6
    );
    assert_eq!(sc.objective.weights.get("00006"), Some(&2.0));
    assert!(tournee_pipeline::check_with(&out.plan, &t, &sc).is_ok());
    // Checked against the OSM populations instead, the same plan counts otherwise.
    let mut without = sc.clone();
    without.demand = None;
    without.communes = None;
    let osm = tournee_pipeline::check_with(&out.plan, &t, &without);
    assert!(
        (osm.reachable_population_per_week - out.check.reachable_population_per_week).abs() > 1.0
    );
}

#[test]
fn a_table_that_was_not_read_is_an_error_not_a_silent_fallback() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = root().join("tests/fixtures/communes-fictives-demo.csv");
    let mut sc = demo_with(
        &format!("communes = {:?}\nvintage = 2024", fixture.to_str().unwrap()),
        dir.path(),
    );
    sc.communes = None; // as after `Scenario::parse`
    let t = Territory::load(&sc.pbf_path(), &NoProgress).unwrap();
    match plan(&sc, &t, &NoProgress) {
        Err(PipelineError::CommunesNotRead(p)) => assert_eq!(p, fixture),
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("planned without the table"),
    }
}
