//! Home visits are published to the coordinator (plan.json, the mediators' grid,
//! visites-domicile.csv) and never to the communes' public outputs.

use std::path::Path;

use tournee_model::{NoProgress, Scenario};
use tournee_pipeline::{plan, Territory};

#[test]
fn home_visits_stay_private_and_reach_the_mediator_grid() {
    let sc = Scenario::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/home-visits.toml"),
    )
    .unwrap();
    let t = Territory::load(&sc.pbf_path(), &NoProgress).unwrap();
    let out = plan(&sc, &t, &NoProgress).unwrap();
    let (sc, p) = (&sc, &out.plan);
    assert!(!p.home_visits.is_empty());
    let dir = tempfile::tempdir().unwrap();
    tournee_publish::write_all(dir.path(), p, sc).unwrap();
    let read = |f: &str| std::fs::read_to_string(dir.path().join(f)).unwrap();
    let first = &p.home_visits[0].stops[0];
    assert!(read("plan.html").contains(&tournee_publish::html::escape(&first.name)));
    assert!(read("plan.json").contains("\"home_visits\""));
    assert!(read("visites-domicile.csv").contains(&first.request));
    // Nowhere public: calendars, sheets, panels, GeoJSON, GTFS, visits CSV.
    let mut public = vec![
        dir.path().join("stops.geojson"),
        dir.path().join("visites.csv"),
    ];
    for sub in ["calendriers", "affiches", "panneaux", "gtfs"] {
        for e in std::fs::read_dir(dir.path().join(sub)).unwrap() {
            public.push(e.unwrap().path());
        }
    }
    for f in public {
        let text = std::fs::read_to_string(&f).unwrap();
        for d in &p.home_visits {
            for s in &d.stops {
                assert!(
                    !text.contains(&s.name) && !text.contains(&format!("{:.6}", s.location.lon)),
                    "{} leaks into {}",
                    s.request,
                    f.display()
                );
            }
        }
    }
}
