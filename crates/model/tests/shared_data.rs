//! The real files of `../shared/data` (beside the clone; CI always has them) read as
//! they are published: the Etalab commune tables, the ANCT France services list,
//! the digital-fragility index by IRIS and by commune. The figures asserted are
//! those the shared README documents (row counts, population sums). A missing file
//! fails the test naming it.

use std::path::{Path, PathBuf};

use tournee_model::demand::{read_communes, read_served, read_weights};

fn shared(rel: &str) -> (Vec<u8>, PathBuf) {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(rel);
    let bytes = std::fs::read(&p).unwrap_or_else(|e| {
        panic!(
            "{} is missing ({e}): this test needs the shared data beside the clone",
            p.display()
        )
    });
    (bytes, p)
}

#[test]
fn the_etalab_commune_tables_are_read_as_published() {
    let (b, p) = shared("communes/communes-17-charente-maritime.csv");
    let t = read_communes(&b, &p, None).unwrap();
    assert_eq!(t.rows.len(), 462);
    // `population` (municipale) is read, not `population_totale`.
    let sum: u64 = t.rows.iter().map(|r| u64::from(r.population.0)).sum();
    assert_eq!(sum, 672_279);
    let tonnay = t
        .rows
        .iter()
        .find(|r| r.code.as_deref() == Some("17449"))
        .unwrap();
    assert_eq!(tonnay.name, "Tonnay-Charente");
    assert_eq!(tonnay.population.0, 8_289);
    let at = tonnay.location.unwrap();
    assert_eq!((at.lon, at.lat), (-0.87461, 45.96366));

    let (b, p) = shared("communes/communes-nouvelle-aquitaine.csv");
    let t = read_communes(&b, &p, None).unwrap();
    assert_eq!(t.rows.len(), 4_293);
    let sum: u64 = t.rows.iter().map(|r| u64::from(r.population.0)).sum();
    assert_eq!(sum, 6_150_451);
    assert!(t.rows.iter().all(|r| r.location.is_some()));

    // No coordinates in the Alpes-Maritimes table: joined on ref:INSEE or names.
    let (b, p) = shared("communes/communes-06-alpes-maritimes.csv");
    let t = read_communes(&b, &p, None).unwrap();
    assert_eq!(t.rows.len(), 163);
    let sum: u64 = t.rows.iter().map(|r| u64::from(r.population.0)).sum();
    assert_eq!(sum, 1_128_418);
    assert!(t.rows.iter().all(|r| r.location.is_none()));
    let b06 = t.rows.iter().find(|r| r.code.as_deref() == Some("06012"));
    assert_eq!(b06.unwrap().population.0, 11_936);
    // `codesPostaux`: one code, or several `|`-separated.
    assert_eq!(b06.unwrap().postcodes, ["06240"]);
    let nice = t.rows.iter().find(|r| r.name == "Nice").unwrap();
    assert_eq!(nice.postcodes, ["06000", "06100", "06200", "06300"]);
    assert!(t.rows.iter().all(|r| !r.postcodes.is_empty()));
}

#[test]
fn the_france_services_list_gives_fixed_sites_without_the_buses() {
    let (b, p) = shared("france-services/france-services-nouvelle-aquitaine.csv");
    let l = read_served(&b, &p).unwrap();
    assert_eq!(l.skipped_itinerant, 18);
    assert_eq!(l.sites.len(), 330);
    assert!(l
        .sites
        .iter()
        .all(|s| !s.name.contains("Bus France services")));
    // The region's three rows without any hours are buses (skipped above).
    assert_eq!(l.sites.iter().filter(|s| s.hours_unknown).count(), 0);
    // Every fixed site's hours read; thirteen are open less than the label's
    // 24 hours a week, and serve only that share of their surroundings.
    assert!(l.sites.iter().all(|s| s.weekly_hours.is_some()));
    assert_eq!(l.sites.iter().filter(|s| s.openness() < 1.0).count(), 13);
    // The national list, with newlines inside quoted fields.
    let (b, p) = shared("france-services/liste-fs-20240801.csv");
    let l = read_served(&b, &p).unwrap();
    assert_eq!(l.sites.len() + l.skipped_itinerant, 2_845);
    // The MedNum standard's conversion of the dép-17 sites.
    let (b, p) = shared("standards/france-services-17-au-standard-mednum.csv");
    let l = read_served(&b, &p).unwrap();
    assert_eq!(l.sites.len() + l.skipped_itinerant, 35);
    assert!(l
        .sites
        .iter()
        .all(|s| s.insee.as_deref().unwrap().starts_with("17")));
}

#[test]
fn the_fragility_index_by_iris_and_by_commune() {
    // By IRIS (`;`, 542 rows in 463 communes of the 2019 map): one weight per commune.
    let (b, p) = shared("fragilite/ifn-2020-iris-17-charente-maritime.csv");
    let w = read_weights(&b, &p, Some("SCORE GLOBAL departement 1")).unwrap();
    assert_eq!(w.len(), 463);
    // La Rochelle has 31 IRIS: its weight is their mean, within their range.
    let lr = w["17300"];
    assert!((15.0..=210.0).contains(&lr), "{lr}");
    // By commune (`,`, COG 2026): the derived table, and its unweighted means agree
    // with ours to its rounding (3 decimals).
    let (b, p) = shared("fragilite/ifn-2020-communes-17-charente-maritime.csv");
    let c = read_weights(&b, &p, Some("score_global_ref_departement")).unwrap();
    assert_eq!(c.len(), 462);
    assert!((c["17300"] - lr).abs() < 0.001, "{} vs {lr}", c["17300"]);
}
