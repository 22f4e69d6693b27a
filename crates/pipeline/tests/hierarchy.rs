//! The travel table by contraction hierarchies is the plain Dijkstra one: on the
//! demo, `prepare` gives the same table once the territory's hierarchy is built, and
//! the plan made with it passes the checker (which uses its own searches).

use std::path::Path;

use tournee_model::{NoProgress, Scenario};
use tournee_pipeline::{prepare, Territory};

#[test]
fn the_demo_travel_table_is_the_same_with_the_hierarchy() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let t = Territory::load(&root.join("osm-data/demo.osm.pbf"), &NoProgress).unwrap();
    let sc = Scenario::load(&root.join("scenarios/demo.toml")).unwrap();
    assert!(!t.has_hierarchy());
    let plain = prepare(&sc, &t, &NoProgress).unwrap();
    assert!(
        plain.travel.sources() < tournee_pipeline::CH_MIN_POINTS,
        "the demo is planned with plain Dijkstra unless the hierarchy exists"
    );
    assert!(!t.has_hierarchy());
    t.hierarchy();
    let with_ch = prepare(&sc, &t, &NoProgress).unwrap();
    assert_eq!(with_ch.travel, plain.travel);
    let n = plain.travel.sources();
    assert!(n > 20, "{n} depots and sites");
    let outcome = tournee_pipeline::plan(&sc, &t, &NoProgress).unwrap();
    assert!(outcome.check.is_ok());
}
